/**
 * Hub Sentinel's own check of one Keras model file, read by ranges: the `.keras` zip's config.json
 * (keras-archive.ts) or the legacy HDF5 root attribute `model_config` (lib/hdf5), walked by
 * config-walker.ts. Nothing is loaded or run. Any file that cannot be read within the caps is
 * `unknown`, never `clean`.
 */
import { readRootAttribute, Hdf5FormatError, Hdf5Unsupported, looksLikeHdf5 } from "../hdf5/hdf5-reader";
import { ZipFormatError, type ReadAt } from "../zip/zip";
import { ByteCapReached, createBudgetedReader } from "./byte-budget";
import { walkKerasConfig } from "./config-walker";
import { KerasArchiveError, readKerasArchive } from "./keras-archive";
import type { KerasConfigReport, KerasFileFormat, KerasFileScan } from "./types";

export interface ScanKerasFileOptions {
  path: string;
  size: number;
  read: ReadAt;
  /** Most bytes fetched for the file's structure (zip directory, HDF5 headers), not counting the config itself. */
  maxStructureBytes: number;
  /** Most bytes of config text (config.json, model_config) read and parsed. */
  maxConfigBytes: number;
  signal?: AbortSignal;
}

export const KERAS_SCAN_DEFAULTS = {
  maxStructureBytes: 64 * 1024,
  maxConfigBytes: 8 * 1024 * 1024,
} as const;

/** HDF5 reads come in blocks of this size: the superblock and the root header share the first. */
const HDF5_BLOCK = 4096;

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot);
}

export async function scanKerasFile(options: ScanKerasFileOptions): Promise<KerasFileScan> {
  const reader = createBudgetedReader(options.read, {
    size: options.size,
    maxBytes: options.maxStructureBytes + options.maxConfigBytes,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const blockReader = createBudgetedReader(reader.read, { size: options.size, maxBytes: Number.MAX_SAFE_INTEGER, minFetch: HDF5_BLOCK });
  const base = { path: options.path, lambdas: [], foreign: [], custom: [] };
  const finish = (scan: Omit<KerasFileScan, "bytesRead" | "requests">): KerasFileScan => ({ ...scan, bytesRead: reader.bytesRead, requests: reader.requests });
  let format: KerasFileFormat = extensionOf(options.path) === ".keras" ? "keras-zip" : "hdf5";
  try {
    let configText: string | undefined;
    let kerasVersion: string | undefined;
    if (format === "keras-zip") {
      try {
        const members = await readKerasArchive(reader.read, options.size, {
          maxConfigBytes: options.maxConfigBytes,
          prefetch: async (offset, length) => void (await reader.read(offset, length)),
        });
        configText = members.config;
        kerasVersion = versionFromMetadata(members.metadata);
      } catch (error) {
        // Keras 2 also wrote `.keras` names on HDF5 files: fall back when the start says HDF5.
        if (!(error instanceof ZipFormatError) || !looksLikeHdf5(await blockReader.read(0, 8))) throw error;
        format = "hdf5";
      }
    }
    if (format === "hdf5") {
      const config = await readRootAttribute(blockReader.read, options.size, "model_config", { maxValueBytes: options.maxConfigBytes });
      if (config.value === undefined) {
        // save_weights files (transformers' tf_model.h5) hold no model config: load_model cannot build layers from them.
        return finish({ ...base, format, verdict: "clean", reason: "weights only: the file holds no model_config, so no layer is built from it" });
      }
      configText = config.value;
      const version = await readRootAttribute(blockReader.read, options.size, "keras_version", { maxValueBytes: 256 }).catch(() => undefined);
      kerasVersion = version?.value;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(configText ?? "");
    } catch {
      return finish({ ...base, format, verdict: "unknown", reason: `the model config is not valid JSON, so its layers could not be checked` });
    }
    return finish({ ...fromReport(options.path, walkKerasConfig(parsed)), format, ...(kerasVersion === undefined ? {} : { kerasVersion }) });
  } catch (error) {
    return finish({ ...base, format, verdict: "unknown", reason: reasonOf(error, options) });
  }
}

function fromReport(path: string, report: KerasConfigReport): Omit<KerasFileScan, "bytesRead" | "requests"> {
  const verdict = report.foreign.length > 0 ? "foreign" : report.lambdas.length > 0 ? "lambda" : report.truncated ? "unknown" : "clean";
  return {
    path,
    verdict,
    lambdas: report.lambdas,
    foreign: report.foreign,
    custom: report.custom,
    ...(report.truncated ? { reason: "the model config is too large or too deeply nested to walk in full; the rest was not checked" } : {}),
  };
}

function versionFromMetadata(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const metadata: unknown = JSON.parse(text);
    const version = typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>).keras_version : undefined;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

function reasonOf(error: unknown, options: ScanKerasFileOptions): string {
  if (error instanceof ByteCapReached) return `not read: finding the model config would take more than ${Math.round((options.maxStructureBytes + options.maxConfigBytes) / 1024)} KiB`;
  if (error instanceof ZipFormatError || error instanceof KerasArchiveError) return `not a readable Keras archive: ${error.message}`;
  if (error instanceof Hdf5Unsupported) return `an HDF5 layout the reader does not follow: ${error.message}`;
  if (error instanceof Hdf5FormatError) return `not a readable HDF5 file: ${error.message}`;
  if (options.signal?.aborted) return "cancelled";
  return `not read: ${error instanceof Error ? error.message : String(error)}`;
}
