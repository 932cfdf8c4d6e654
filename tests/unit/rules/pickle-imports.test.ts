import { describe, expect, it } from "vitest";
import { pickleImportsRule } from "../../../lib/rules/pickle-imports";
import type { RepoFacts } from "../../../lib/hub/facts";
import {
  BALANCED,
  STRICT,
  TORCH_IMPORTS,
  TRAINING_ARGS_IMPORTS,
  YOLO_IMPORTS,
  bertFacts,
  bertFiles,
  factOf,
  file,
  imp,
  listing,
  missing,
  modelFacts,
  ownScan,
  pickleScanned,
  cleanPickleSecurity,
} from "../../fixtures/facts/builders";

const evalBalanced = (facts: RepoFacts) => pickleImportsRule.evaluate(facts, BALANCED);
const evalStrict = (facts: RepoFacts) => pickleImportsRule.evaluate(facts, STRICT);

const POSIX_SYSTEM = [imp("posix", "system", "dangerous"), imp("collections", "OrderedDict", "innocuous")];
const EXEC_AND_SUSPICIOUS = [imp("mypkg.loader", "Loader", "suspicious"), imp("builtins", "exec", "dangerous")];

describe("pickle-imports", () => {
  it("says nothing when every import is innocuous (bert-base-uncased)", () => {
    expect(evalBalanced(bertFacts())).toEqual([]);
    expect(evalStrict(bertFacts())).toEqual([]);
  });

  it.each([
    ["posix.system in pytorch_model.bin", "pytorch_model.bin", POSIX_SYSTEM, "danger", "danger"],
    ["builtins.exec beside a suspicious class", "model.pkl", EXEC_AND_SUSPICIOUS, "danger", "danger"],
    ["getattr in an ordinary weight file", "pytorch_model.bin", [imp("builtins", "getattr", "dangerous")], "danger", "danger"],
    ["a suspicious import", "pytorch_model.bin", [imp("mypkg.model", "Net", "suspicious"), ...TORCH_IMPORTS], "warn", "danger"],
    ["a numpy scalar the Hub calls suspicious (our list clears it)", "pytorch_model.bin", [imp("numpy.core.multiarray", "scalar", "suspicious"), ...TORCH_IMPORTS], "info", "danger"],
    ["training_args.bin with Trainer classes only", "training_args.bin", TRAINING_ARGS_IMPORTS, "info", "danger"],
    ["training_args.bin with getattr", "training_args.bin", [...TRAINING_ARGS_IMPORTS, imp("builtins", "getattr", "dangerous")], "warn", "danger"],
    ["a YOLO checkpoint flagged for getattr", "yolov8n.pt", YOLO_IMPORTS, "warn", "danger"],
    ["best.pt with ultralytics classes and getattr", "weights/best.pt", YOLO_IMPORTS, "warn", "danger"],
    ["a YOLO checkpoint that also imports posix.system", "yolov8n.pt", [...YOLO_IMPORTS, imp("posix", "system", "dangerous")], "danger", "danger"],
    ["training_args.bin that imports os.system", "training_args.bin", [...TRAINING_ARGS_IMPORTS, imp("os", "system", "dangerous")], "danger", "danger"],
    ["training_args.bin importing a lower-case function from an allowed library", "training_args.bin", [imp("torch.serialization", "os", "suspicious")], "warn", "danger"],
  ] as const)("%s → %s (strict: %s)", (_name, path, imports, balanced, strict) => {
    const facts = modelFacts("someone/model", [file(path, { security: pickleScanned([...imports], "unsafe") })]);
    const [finding] = evalBalanced(facts);
    expect(finding?.level).toBe(balanced);
    expect(finding?.overridesAllowlist === true).toBe(balanced === "danger");
    const [strictFinding] = evalStrict(facts);
    expect(strictFinding?.level).toBe(strict);
    expect(strictFinding?.overridesAllowlist).toBe(true);
  });

  it("explains the YOLO getattr pattern instead of a bare alarm, and names the imports", () => {
    const facts = modelFacts("Ultralytics/YOLOv8", [file("yolov8n.pt", { security: pickleScanned(YOLO_IMPORTS, "unsafe") })]);
    const [finding] = evalBalanced(facts);
    expect(finding?.title).toContain("YOLO");
    expect(finding?.explanation).toContain("builtins.getattr");
    expect(finding?.explanation).toMatch(/Ultralytics YOLO checkpoint/);
    expect(finding?.explanation).toMatch(/cannot prove/);
    expect(finding?.advice.join(" ")).toContain("YOLO");
    expect(finding?.advice.join(" ")).not.toContain("training_args.bin");
    expect(finding?.evidence[0]).toEqual({
      label: "yolov8n.pt",
      url: "https://huggingface.co/Ultralytics/YOLOv8/blob/main/yolov8n.pt",
    });
  });

  it("recognizes a YOLO checkpoint by its ultralytics imports even with a plain name", () => {
    const facts = modelFacts("someone/detector", [file("detector.pt", { security: pickleScanned(YOLO_IMPORTS, "unsafe") })]);
    expect(evalBalanced(facts)[0]?.level).toBe("warn");
  });

  it("lists dangerous files and dangerous imports first, saying which scanner found what", () => {
    const facts = modelFacts("someone/model", [
      file("a_suspicious.bin", { security: pickleScanned([imp("numpy.core.multiarray", "scalar", "suspicious"), imp("builtins", "exec", "dangerous")], "unsafe") }),
      file("z_evil.pkl", { security: pickleScanned(POSIX_SYSTEM, "unsafe") }),
    ]);
    const [finding] = evalBalanced(facts);
    const text = finding?.explanation ?? "";
    expect(text).toContain("Hugging Face's scan: dangerous builtins.exec (evaluates a code string); suspicious numpy.core.multiarray.scalar");
    expect(text.indexOf("dangerous builtins.exec")).toBeLessThan(text.indexOf("suspicious numpy"));
    expect(finding?.title).toBe("Dangerous pickle imports in a_suspicious.bin and z_evil.pkl");
  });

  it("says in plain words what loading each dangerous import would do", () => {
    const facts = modelFacts("someone/model", [file("pytorch_model.bin", { security: cleanPickleSecurity() })], {
      ownScans: factOf([
        ownScan("pytorch_model.bin", "dangerous", [
          ...TORCH_IMPORTS,
          imp("torch.hub", "load_state_dict_from_url", "dangerous"),
          imp("http.client", "HTTPSConnection", "dangerous"),
          imp("posix", "system", "dangerous"),
        ]),
      ]),
    });
    const text = evalBalanced(facts)[0]?.explanation ?? "";
    expect(text).toContain("torch.hub.load_state_dict_from_url (downloads a model or code from the internet and loads it)");
    expect(text).toContain("http.client.HTTPSConnection (opens a network connection)");
    expect(text).toContain("posix.system (runs shell commands and reads, writes or deletes files)");
  });

  it("an import a scanner flags but our lists do not know is said to be flagged, not guessed at", () => {
    const facts = modelFacts("someone/model", [file("model.pkl", { security: pickleScanned([imp("exotic.module", "thing", "dangerous")], "unsafe") })]);
    expect(evalBalanced(facts)[0]?.explanation).toContain("exotic.module.thing (flagged as able to run code on load)");
  });

  it("reports Hub Sentinel's own scan, and the disagreement when the Hub saw nothing", () => {
    const facts = modelFacts("someone/model", [file("pytorch_model.bin", { security: cleanPickleSecurity() })], {
      ownScans: factOf([ownScan("pytorch_model.bin", "dangerous", [...TORCH_IMPORTS, imp("builtins", "eval", "dangerous")])]),
    });
    const [finding] = evalBalanced(facts);
    expect(finding?.level).toBe("danger");
    expect(finding?.overridesAllowlist).toBe(true);
    expect(finding?.explanation).toContain("Hugging Face's scan: nothing risky");
    expect(finding?.explanation).toContain("Hub Sentinel's own scan: dangerous builtins.eval");
    expect(finding?.explanation).toContain("The scanners disagree");
  });

  it("reports our own scan of a file the Hub has not scanned", () => {
    const facts = modelFacts("someone/model", [file("model.ckpt")], {
      ownScans: factOf([ownScan("model.ckpt", "suspicious", [imp("pytorch_lightning.callbacks", "ModelCheckpoint", "suspicious")])]),
    });
    const [finding] = evalBalanced(facts);
    expect(finding?.level).toBe("warn");
    expect(finding?.explanation).toContain("Hub Sentinel's own scan: suspicious pytorch_lightning.callbacks.ModelCheckpoint");
    expect(finding?.explanation).not.toContain("Hugging Face's scan");
  });

  it("treats a flagged pickle scan without an import list by its status", () => {
    const facts = modelFacts("someone/model", [file("weights.pkl", { security: pickleScanned([], "unsafe") })]);
    const [finding] = evalBalanced(facts);
    expect(finding?.level).toBe("danger");
    expect(finding?.explanation).toContain("imports not listed");
  });

  it.each([
    ["network", "network error"],
    ["rate-limited", "rate-limiting"],
  ] as const)("a file-list gap (%s) is unknown, not silence", (kind, words) => {
    const [finding] = evalBalanced(bertFacts({ files: missing(kind) }));
    expect(finding?.level).toBe("unknown");
    expect(finding?.title).toContain(words);
  });

  it("leaves a gap to fetch-failed when the whole repo failed the same way", () => {
    expect(evalBalanced(bertFacts({ info: missing("unauthorized"), files: missing("unauthorized") }))).toEqual([]);
  });

  it("still reports our own scan's findings when the file list failed", () => {
    const facts = bertFacts({
      files: missing("timeout"),
      ownScans: factOf([ownScan("pytorch_model.bin", "dangerous", POSIX_SYSTEM)]),
    });
    const levels = evalBalanced(facts).map((finding) => finding.level);
    expect(levels).toEqual(["unknown", "danger"]);
  });

  it("ignores non-pickle files' empty pickle scans", () => {
    expect(evalBalanced(bertFacts({ files: listing(bertFiles().filter((f) => f.path !== "pytorch_model.bin")) }))).toEqual([]);
  });

  describe("well-known library classes the Hub calls suspicious (issue 24)", () => {
    // What the Hub's scan lists for runwayml's v1-5-pruned-emaonly.ckpt: Lightning's callback class, numpy scalars.
    const LIGHTNING_SD = [
      ...TORCH_IMPORTS,
      imp("torch", "IntStorage", "innocuous"),
      imp("_codecs", "encode", "innocuous"),
      imp("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint", "suspicious"),
      imp("numpy.core.multiarray", "scalar", "suspicious"),
      imp("numpy", "dtype", "suspicious"),
    ];
    const sdFacts = (imports = LIGHTNING_SD) =>
      modelFacts("runwayml/stable-diffusion-v1-5", [
        file("v1-5-pruned-emaonly.ckpt", { security: pickleScanned(imports, "suspicious") }),
        file("v1-5-pruned-emaonly.safetensors", { security: cleanPickleSecurity() }),
      ]);

    it("a scanned Lightning checkpoint is info, naming the imports as well-known library classes", () => {
      const [finding] = evalBalanced(sdFacts());
      expect(finding?.level).toBe("info");
      expect(finding?.title).toBe("v1-5-pruned-emaonly.ckpt: the imports Hugging Face flags are well-known library classes");
      expect(finding?.explanation).toContain("pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint");
      expect(finding?.explanation).toContain("numpy.core.multiarray.scalar");
      expect(finding?.explanation).toMatch(/well-known library classes \(PyTorch Lightning and numpy\)/);
      expect(finding?.explanation).toMatch(/runs nothing the file chose/);
      expect(finding?.overridesAllowlist).toBeUndefined();
    });

    it("strict mode keeps the Hub's flag", () => {
      expect(evalStrict(sdFacts())[0]?.level).toBe("danger");
    });

    it("never overrides the Hub's dangerous, even for a name on our list", () => {
      const [finding] = evalBalanced(sdFacts([...LIGHTNING_SD.filter((i) => i.name !== "scalar"), imp("numpy.core.multiarray", "scalar", "dangerous")]));
      expect(finding?.level).toBe("danger");
    });

    it("an unlisted class beside the cleared ones is still a warning, and the cleared ones are still named", () => {
      const [finding] = evalBalanced(sdFacts([...LIGHTNING_SD, imp("ldm.models.diffusion.ddpm", "LatentDiffusion", "suspicious")]));
      expect(finding?.level).toBe("warn");
      expect(finding?.explanation).toContain("suspicious ldm.models.diffusion.ddpm.LatentDiffusion");
      expect(finding?.explanation).toContain("ModelCheckpoint");
    });
  });
});
