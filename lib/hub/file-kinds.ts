/**
 * What kind of content a file holds, judged from its name. Extension lists follow picklescan's
 * (shared/reference/picklescan-globals.txt) plus the formats risk-signals.md names.
 */

/** Formats that are, or may contain, a Python pickle: loading one can run code. */
const PICKLE_EXTENSIONS = [
  ".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib", ".dill", ".dat", ".data", ".npy", ".npz",
] as const;
/** Archives that may hold pickles. */
const ARCHIVE_EXTENSIONS = [".zip", ".7z"] as const;
/** Safe tensor formats: no code runs on load. */
const SAFE_WEIGHT_EXTENSIONS = [".safetensors", ".onnx", ".tflite", ".msgpack"] as const;
/**
 * GGUF holds tensors, but also a chat template that some runtimes render unsandboxed
 * (CVE-2024-34359): not a safe format until its header has been read (the chat-template rule).
 */
const GGUF_EXTENSIONS = [".gguf"] as const;
/** Keras/HDF5 may carry Lambda layers (code). */
const KERAS_EXTENSIONS = [".keras", ".h5", ".hdf5"] as const;

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot);
}

export function fileName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function isPickleFormat(path: string): boolean {
  const ext = extensionOf(path);
  return (PICKLE_EXTENSIONS as readonly string[]).includes(ext) || (ARCHIVE_EXTENSIONS as readonly string[]).includes(ext);
}

/**
 * A zip archive by name. It may hold pickles (a PyTorch checkpoint, pickled objects) or none at all (a
 * CoreML `.mlmodelc.zip`, images, audio): it counts as pickle weights until its central directory is read
 * (lib/hub/own-scans.ts), and only if that lists a pickle member (lib/rules/shared.ts `pickleFreeArchive`).
 */
export function isZipArchive(path: string): boolean {
  return extensionOf(path) === ".zip";
}

export function isSafetensors(path: string): boolean {
  return extensionOf(path) === ".safetensors";
}

export function isSafeWeightFormat(path: string): boolean {
  return (SAFE_WEIGHT_EXTENSIONS as readonly string[]).includes(extensionOf(path));
}

export function isKerasFormat(path: string): boolean {
  return (KERAS_EXTENSIONS as readonly string[]).includes(extensionOf(path));
}

export function isGgufFormat(path: string): boolean {
  return (GGUF_EXTENSIONS as readonly string[]).includes(extensionOf(path));
}

/** Weight files: what a download of the model actually loads. */
export function isWeightFile(path: string): boolean {
  return isPickleFormat(path) || isSafeWeightFormat(path) || isKerasFormat(path) || isGgufFormat(path);
}

/**
 * Files a loader reads a chat template from, besides GGUF headers: `tokenizer_config.json`
 * (`chat_template`), `chat_template.jinja` and `chat_template.json` (transformers 4.43+, processors),
 * and the named templates under `additional_chat_templates/` (transformers 4.54+). Any folder:
 * diffusers and multi-model repos keep tokenizers in sub-folders.
 */
export function chatTemplateFileKind(path: string): "tokenizer-config" | "jinja" | "chat-template-json" | undefined {
  const name = fileName(path).toLowerCase();
  if (name === "tokenizer_config.json") return "tokenizer-config";
  if (name === "chat_template.json") return "chat-template-json";
  if (name === "chat_template.jinja" || (/(^|\/)additional_chat_templates\/[^/]+\.jinja$/i.test(path))) return "jinja";
  return undefined;
}

/**
 * Pickles that are routinely present and not weights: the Trainer's `training_args.bin`,
 * optimizer/scheduler/RNG state. They are still pickles (loading one runs its imports) but a
 * person should read an explanation, not an alarm.
 */
const TRAINING_STATE_NAMES = new Set([
  "training_args.bin",
  "optimizer.pt",
  "optimizer.bin",
  "scheduler.pt",
  "scheduler.bin",
  "rng_state.pth",
  "scaler.pt",
]);
export function isTrainingStateFile(path: string): boolean {
  const name = fileName(path).toLowerCase();
  return TRAINING_STATE_NAMES.has(name) || /^rng_state_\d+\.pth$/.test(name);
}

/**
 * Ultralytics YOLO checkpoints (`yolov8n.pt`, `yolo11s.pt`, `best.pt`, `last.pt`). They pickle the
 * whole model object, so scanners routinely flag them for `builtins.getattr`: rules explain that
 * pattern instead of raising a bare alarm. The name alone is a hint, not proof; rules also look at
 * the imports (ultralytics modules) or the repo's library.
 */
export function isYoloCheckpointName(path: string): boolean {
  const name = fileName(path).toLowerCase();
  if (extensionOf(name) !== ".pt") return false;
  return /^yolo/.test(name) || name === "best.pt" || name === "last.pt";
}

/** Python source: code that `trust_remote_code=True` (or a loading script) would run. */
export function isPythonFile(path: string): boolean {
  return extensionOf(path) === ".py";
}

/**
 * The index json a safetensors conversion adds beside sharded weights
 * (`model.safetensors.index.json`, `diffusion_pytorch_model.safetensors.index.json`).
 */
export function isSafetensorsIndex(path: string): boolean {
  return fileName(path).toLowerCase().endsWith(".safetensors.index.json");
}
