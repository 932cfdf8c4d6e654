import { statSync } from "node:fs";
import { join } from "node:path";
import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import { PICKLE_FIXTURES } from "./file-content";

/**
 * Issues 24 and 28, the pickle and zip classes: a Lightning-trained Stable Diffusion checkpoint the Hub
 * flags for Lightning and numpy classes (info, not a warning), CoreML zips with no pickle inside (not
 * pickle weights), a zip Hub Sentinel cannot read (unknown), and the two attack files read as PyTorch
 * reads them (danger). Bytes come from tests/fixtures/pickles (scripts/make-pickle-fixtures.py). Appended
 * to the catalogue, so the catalogue walk test checks each verdict.
 */
const OLD = "2023-09-14T10:00:00.000Z";
const gitattributes: FixtureFile = { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } };
const readme: FixtureFile = { path: "README.md", size: 6200, lastCommit: { title: "Update README.md", date: OLD } };

/** A pickle fixture served at its own size (a zip's directory is at its end). */
function fromFixture(path: string, fixture: string, rest: Partial<FixtureFile> = {}): FixtureFile {
  return { path, size: statSync(join(PICKLE_FIXTURES, fixture)).size, lfs: true, content: fixture, lastCommit: { title: `Upload ${path}`, date: OLD }, ...rest };
}

/** Scanned by the Hub: its pickle scan came back as given, the antivirus safe. */
const hubScanned = (status: "safe" | "suspicious" | "unsafe") => ({
  scan: status,
  scanners: { pickleImportScan: { status }, avScan: { status: "safe" as const } },
});

/** What the Hub's scan lists for a Lightning 1.x Stable Diffusion checkpoint (picklescan's rule: off its safe list is suspicious). */
const LIGHTNING_SD_IMPORTS: NonNullable<FixtureFile["imports"]> = [
  { module: "collections", name: "OrderedDict", safety: "innocuous" },
  { module: "torch._utils", name: "_rebuild_tensor_v2", safety: "innocuous" },
  { module: "torch", name: "FloatStorage", safety: "innocuous" },
  { module: "torch", name: "IntStorage", safety: "innocuous" },
  { module: "numpy", name: "dtype", safety: "innocuous" },
  { module: "_codecs", name: "encode", safety: "suspicious" },
  { module: "numpy.core.multiarray", name: "scalar", safety: "suspicious" },
  { module: "pytorch_lightning.callbacks.model_checkpoint", name: "ModelCheckpoint", safety: "suspicious" },
];

const safetensors = (path: string, size: number): FixtureFile => ({ path, size, lfs: true, scan: "safe", lastCommit: { title: `Upload ${path}`, date: OLD } });
const json = (path: string, size = 600): FixtureFile => ({ path, size, lastCommit: { title: `Upload ${path}`, date: OLD } });

export const PICKLE_CLASS_REPOS: FixtureRepo[] = [
  {
    type: "model",
    id: "diffusion-guild/stable-diffusion-v1-5",
    story:
      "A Lightning-trained Stable Diffusion 1.5, as runwayml published it: v1-5-pruned-emaonly.ckpt beside its .safetensors, scanned; the Hub calls Lightning's ModelCheckpoint and numpy scalars suspicious. Well-known library classes: info, not a warning.",
    author: { name: "diffusion-guild", kind: "org", isVerified: false, fullname: "Diffusion Guild", followers: 9000 },
    tags: ["diffusers", "safetensors", "stable-diffusion", "text-to-image"],
    files: [
      gitattributes,
      readme,
      json("model_index.json", 541),
      {
        path: "v1-5-pruned-emaonly.ckpt",
        size: 4_265_380_512,
        lfs: true,
        ...hubScanned("suspicious"),
        imports: LIGHTNING_SD_IMPORTS,
        lastCommit: { title: "Upload v1-5-pruned-emaonly.ckpt", date: OLD },
        // Its data.pkl is the Lightning checkpoint fixture's, served sparsely at the real size.
        content: "sparse-torch:lightning-sd.ckpt",
      },
      safetensors("v1-5-pruned-emaonly.safetensors", 4_265_146_304),
      json("unet/config.json", 743),
      safetensors("unet/diffusion_pytorch_model.safetensors", 3_438_167_536),
    ],
    expect: { level: "info", findings: ["pickle-weights", "pickle-imports", "unverified-author"] },
  },
  {
    type: "model",
    id: "coreml-community/coreml-text-encoder",
    story:
      "CoreML models shipped as zips, as apple/coreml-* repos do: a compiled .mlmodelc.zip and an .mlpackage.zip. Hub Sentinel reads each zip's directory (its first and last few KB): no pickle inside, so they are not pickle weights.",
    author: { name: "coreml-community", kind: "org", isVerified: true, fullname: "CoreML Community", followers: 2000 },
    tags: ["coreml", "stable-diffusion"],
    files: [
      gitattributes,
      readme,
      fromFixture("original/compiled/TextEncoder.mlmodelc.zip", "coreml-text-encoder.mlmodelc.zip", hubScanned("safe")),
      // The Hub's pickle scan never ran on this one: Hub Sentinel's read answers for it.
      fromFixture("original/packages/Unet.mlpackage.zip", "coreml-unet.mlpackage.zip", { scan: "safe", scanners: { pickleImportScan: { status: "unscanned" }, avScan: { status: "safe" } } }),
    ],
    expect: { level: "ok", findings: [] },
  },
  {
    type: "dataset",
    id: "coreml-community/pet-images",
    story: "A dataset whose images come as a zip: read by its directory, no pickle inside, not pickle weights.",
    author: { name: "coreml-community", kind: "org", isVerified: true, fullname: "CoreML Community", followers: 2000 },
    files: [gitattributes, readme, fromFixture("data/images.zip", "images.zip", hubScanned("safe"))],
    expect: { level: "ok", findings: [] },
  },
  {
    type: "model",
    id: "coreml-community/sealed-weights",
    story: "A zip whose weights member is really encrypted: what it holds cannot be read, so the repo is unknown, never ok.",
    author: { name: "coreml-community", kind: "org", isVerified: true, fullname: "CoreML Community", followers: 2000 },
    files: [gitattributes, readme, fromFixture("weights.zip", "encrypted-weights-member.zip", hubScanned("safe"))],
    expect: { level: "unknown", findings: ["pickle-weights", "scan-incomplete"] },
  },
  {
    type: "model",
    id: "cipher-lab/strong-flag-zip",
    story:
      "A PyTorch zip whose entries set general-purpose flag bit 6 ('strong encryption') over data stored in the clear: PyTorch's reader ignores the flag and loads it. Decided by the bytes (no encryption header), Hub Sentinel reads it and finds builtins.exec (issue 28).",
    author: { name: "cipher-lab", kind: "user", createdAt: "2022-09-01T00:00:00.000Z", followers: 2 },
    files: [
      gitattributes,
      fromFixture("pytorch_model.bin", "flag-bit6-torch.pt", { scan: "error", scanners: { pickleImportScan: { status: "error", message: "File is encrypted" }, avScan: { status: "safe" } } }),
    ],
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scan-incomplete", "unverified-author"] },
  },
  {
    type: "model",
    id: "cipher-lab/computed-import",
    story:
      "A pickle whose STACK_GLOBAL takes a number from the memo instead of a module name: an import whose name is computed while loading cannot be checked, and hiding it is what attacks do (issue 28).",
    author: { name: "cipher-lab", kind: "user", createdAt: "2022-09-01T00:00:00.000Z", followers: 2 },
    files: [
      gitattributes,
      fromFixture("model.pkl", "stack-global-memo-int.pkl", { scan: "queued", scanners: { pickleImportScan: { status: "queued" }, avScan: { status: "queued" } } }),
    ],
    scansDone: false,
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scan-incomplete", "unverified-author"] },
  },
];
