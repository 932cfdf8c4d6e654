import { statSync } from "node:fs";
import { join } from "node:path";
import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import { KERAS_FIXTURES, KERAS_PREFIX } from "./file-content";

/**
 * The download guard (issue 27): one repo with a file at each level a download link can lead to,
 * so a test clicks each row's download link (or its file page's) and reads the fake Hub's log to
 * see what was requested. Appended to the catalogue, so the catalogue walk checks the verdict.
 *
 * - pytorch_model.bin: Danger (the Hub's scans say unsafe, it imports builtins.exec), with a
 *   safetensors copy beside it and a scanner report link: what the dialog offers instead;
 * - model.onnx: Unknown (the Hub's scan is queued);
 * - checkpoint.pt: Info (a pickle the Hub scanned clean);
 * - model.keras: OK (a clean Keras config, read by Hub Sentinel);
 * - config.json, model.safetensors: no mark at all.
 */
const OLD = "2024-04-10T10:00:00.000Z";
const commit = (path: string) => ({ title: `Upload ${path}`, date: OLD });

export const GUARD_REPO_ID = "guard-lab/held-downloads";
export const GUARD_REPORT_LINK = "https://protectai.com/insights/models/guard-lab/held-downloads/main/files?blob-id=pytorch_model.bin";

const files: FixtureFile[] = [
  { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } },
  { path: "README.md", size: 800, lastCommit: commit("README.md") },
  { path: "config.json", size: 700, lastCommit: commit("config.json") },
  { path: "model.safetensors", size: 440_000_000, lfs: true, scan: "safe", lastCommit: commit("model.safetensors") },
  {
    path: "pytorch_model.bin",
    size: 440_473_133,
    lfs: true,
    scan: "unsafe",
    scanners: {
      pickleImportScan: { status: "unsafe" },
      protectAiScan: { status: "unsafe", message: "Arbitrary code execution on load", reportLink: GUARD_REPORT_LINK },
      avScan: { status: "safe", message: "No security issues detected" },
    },
    imports: [
      { module: "collections", name: "OrderedDict", safety: "innocuous" },
      { module: "torch._utils", name: "_rebuild_tensor_v2", safety: "innocuous" },
      { module: "builtins", name: "exec", safety: "dangerous" },
    ],
    lastCommit: commit("pytorch_model.bin"),
  },
  { path: "model.onnx", size: 90_000_000, lfs: true, scan: "queued", lastCommit: commit("model.onnx") },
  {
    path: "checkpoint.pt",
    size: 9_000_000,
    lfs: true,
    scan: "safe",
    imports: [
      { module: "collections", name: "OrderedDict", safety: "innocuous" },
      { module: "torch._utils", name: "_rebuild_tensor_v2", safety: "innocuous" },
    ],
    lastCommit: commit("checkpoint.pt"),
  },
  // A .keras zip is served at its own size: its directory is at its end.
  { path: "model.keras", size: statSync(join(KERAS_FIXTURES, "clean.keras")).size, lfs: true, scan: "safe", content: `${KERAS_PREFIX}clean.keras`, lastCommit: commit("model.keras") },
];

export const GUARD_REPOS: FixtureRepo[] = [
  {
    type: "model",
    id: GUARD_REPO_ID,
    story: "Download links to a Danger pickle, an Unknown (scan queued) ONNX file, an Info pickle and an OK Keras model: Hub Sentinel holds the first two and lets the others through.",
    author: { name: "guard-lab", kind: "org", isVerified: true, fullname: "Guard Lab", followers: 300 },
    tags: ["pytorch", "safetensors"],
    files,
    // A queued scan: the Hub's summary says its scans are not done, so every file's details are read.
    scansDone: false,
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scanner-flag", "scan-incomplete"] },
  },
];
