/**
 * Hub Sentinel's own check of a repo's Keras model files (issue 16): every `.keras`, `.h5` and
 * `.hdf5` of the viewed revision is read by HTTP Range requests on `resolve/{rev}/{path}` for its
 * layer config (lib/readers/keras: a `.keras` zip's end and config.json; an HDF5 file's superblock, root
 * header and `model_config` attribute), never its weights. The Hub's scanners are not enough here:
 * a Lambda layer is legitimate Keras, so a "safe" scan says nothing about whether loading runs code.
 *
 * Like own-scans.ts these are not API requests (no API transport, budget or rate-limit state),
 * go without cookies, have their own concurrency, per-file time limit and byte caps, stop with the
 * tab's signal, and are cached by the file's LFS sha256. Files past the per-repo cap, or that
 * cannot be read within the caps, are `unknown` (scan-incomplete says so), never clean.
 */
import { scanKerasFile, KERAS_SCAN_DEFAULTS } from "../readers/keras/scan-keras-file";
import type { KerasFileScan } from "../readers/keras/types";
import type { RepoRef } from "../repo-ref";
import type { FactCache } from "./cache";
import { readThroughCache } from "./cached-file-read";
import type { RepoFile } from "./facts";
import { isKerasFormat } from "./file-kinds";
import { createLimiter, withTimeout } from "./limits";
import { OWN_SCAN_TTL, resolveUrl } from "./own-scans";
import { createRangeReader, type FetchLike } from "./range-reader";

export interface KerasScannerOptions {
  fetch: FetchLike;
  hubUrl: string;
  cache: FactCache;
  /** Most bytes for a file's structure (zip end and directory, HDF5 headers), beside the config itself. */
  maxStructureBytes?: number;
  /** Most bytes of config text read per file. */
  maxConfigBytes?: number;
  /** Most Keras files read per repo. */
  maxFilesPerRepo?: number;
  concurrency?: number;
  timeoutMs?: number;
}

export const KERAS_SCANNER_DEFAULTS = {
  ...KERAS_SCAN_DEFAULTS,
  maxFilesPerRepo: 4,
  concurrency: 2,
  timeoutMs: 20_000,
} as const;

export interface KerasScanTarget {
  path: string;
  revision: string;
  size?: number;
  lfsOid?: string;
}

export interface KerasScanner {
  /** The repo's Keras files, scanned; undefined when it has none (the facts then carry no `kerasScans`). */
  scanRepo(repo: Pick<RepoRef, "type" | "id">, input: { revision: string; files: readonly RepoFile[] }, signal?: AbortSignal): Promise<KerasFileScan[] | undefined>;
  scanFile(repo: Pick<RepoRef, "type" | "id">, target: KerasScanTarget, signal?: AbortSignal): Promise<KerasFileScan>;
}

export function kerasScanCacheKey(repo: Pick<RepoRef, "type" | "id">, target: KerasScanTarget): string {
  return target.lfsOid ? `keras-scan:v1:lfs:${target.lfsOid}` : `keras-scan:v1:path:${repo.type}:${repo.id}@${target.revision}:${target.path}`;
}

function unread(path: string, reason: string): KerasFileScan {
  return { path, verdict: "unknown", lambdas: [], foreign: [], custom: [], reason, bytesRead: 0, requests: 0 };
}

function isKerasFileScan(value: unknown): value is KerasFileScan {
  if (typeof value !== "object" || value === null) return false;
  const scan = value as Partial<KerasFileScan>;
  return (
    typeof scan.path === "string" &&
    (scan.verdict === "clean" || scan.verdict === "lambda" || scan.verdict === "foreign" || scan.verdict === "unknown") &&
    Array.isArray(scan.lambdas) &&
    Array.isArray(scan.foreign) &&
    Array.isArray(scan.custom)
  );
}

export function createKerasScanner(options: KerasScannerOptions): KerasScanner {
  const maxStructureBytes = options.maxStructureBytes ?? KERAS_SCANNER_DEFAULTS.maxStructureBytes;
  const maxConfigBytes = options.maxConfigBytes ?? KERAS_SCANNER_DEFAULTS.maxConfigBytes;
  const maxFiles = options.maxFilesPerRepo ?? KERAS_SCANNER_DEFAULTS.maxFilesPerRepo;
  const timeoutMs = options.timeoutMs ?? KERAS_SCANNER_DEFAULTS.timeoutMs;
  const limit = createLimiter(options.concurrency ?? KERAS_SCANNER_DEFAULTS.concurrency);

  async function readFile(repo: Pick<RepoRef, "type" | "id">, target: KerasScanTarget, signal: AbortSignal): Promise<{ scan: KerasFileScan; failed: boolean }> {
    if (target.size === undefined) return { scan: unread(target.path, "not read: the Hub gave no file size"), failed: false };
    const timer = withTimeout(signal, timeoutMs);
    try {
      const reader = createRangeReader({ fetch: options.fetch, url: resolveUrl(options.hubUrl, repo, target.revision, target.path), signal: timer.signal });
      let readFailed = false;
      const scan = await scanKerasFile({
        path: target.path,
        size: target.size,
        maxStructureBytes,
        maxConfigBytes,
        signal: timer.signal,
        read: async (offset, length) => {
          try {
            return await reader.read(offset, length);
          } catch (error) {
            readFailed = true;
            throw error;
          }
        },
      });
      // What went over the wire, refused answers included.
      scan.bytesRead = reader.bytesTransferred;
      scan.requests = reader.requests;
      if (timer.timedOut()) scan.reason = `not read: reading stopped after ${timeoutMs / 1000} s`;
      return { scan, failed: timer.timedOut() || signal.aborted || readFailed };
    } finally {
      timer.dispose();
    }
  }

  async function scanFile(repo: Pick<RepoRef, "type" | "id">, target: KerasScanTarget, signal?: AbortSignal): Promise<KerasFileScan> {
    const cached = await readThroughCache<KerasFileScan>({
      cache: options.cache,
      key: kerasScanCacheKey(repo, target),
      limit,
      cancelled: () => unread(target.path, "cancelled"),
      read: (loadSignal) => readFile(repo, target, loadSignal),
      // A failed read is kept briefly, unless it already proved a foreign reference.
      ttl: (scan, failed) =>
        failed && scan.verdict !== "foreign" ? OWN_SCAN_TTL.failed : target.lfsOid !== undefined ? OWN_SCAN_TTL.settled : OWN_SCAN_TTL.movable,
      ...(signal ? { signal } : {}),
    });
    const scan = isKerasFileScan(cached) ? cached : (await readFile(repo, target, signal ?? new AbortController().signal)).scan;
    // Keyed by content: the same bytes may sit at another path.
    return { ...scan, path: target.path };
  }

  async function scanRepo(repo: Pick<RepoRef, "type" | "id">, input: { revision: string; files: readonly RepoFile[] }, signal?: AbortSignal) {
    const wanted = input.files.filter((file) => isKerasFormat(file.path));
    if (wanted.length === 0) return undefined;
    const max = Math.max(0, maxFiles);
    const targets = wanted.slice(0, max).map((file) => ({
      path: file.path,
      revision: input.revision,
      ...(file.size === undefined ? {} : { size: file.size }),
      ...(file.lfsOid === undefined ? {} : { lfsOid: file.lfsOid }),
    }));
    const scans = await Promise.all(targets.map((target) => scanFile(repo, target, signal)));
    const skipped = wanted.slice(max).map((file) => unread(file.path, `not read: Hub Sentinel reads at most ${max} Keras files per repo`));
    return [...scans, ...skipped];
  }

  return { scanRepo, scanFile };
}
