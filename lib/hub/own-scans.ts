/**
 * Hub Sentinel's own pickle scan of a repo (issue 9): for the pickle-format files the Hub has not
 * judged (its pickle-import scan is queued, errored, not run, or missing) and for the pickle files
 * an open conversion-looking PR changes, read the imports ourselves with HTTP Range requests on
 * `resolve/{rev}/{path}`: a PyTorch zip costs its end (EOCD and central directory) and its
 * `data.pkl`, a few kilobytes even for a multi-GB checkpoint.
 *
 * Why only those files: a completed Hub verdict (safe or flagged) already answers the question,
 * and every file we read is requests and bytes on the user's connection. The exception is a `.zip`:
 * its name says nothing of what it holds (a CoreML model, images, or pickles), and it is pickle weights
 * only if its central directory lists a pickle member, so every zip is read (its directory costs about
 * 12 KB in 2 requests; pickle members, if any, are then read as for any pickle). Why caps: a repo with
 * hundreds of shards must not turn a page view into hundreds of downloads; files past a cap are
 * reported as not read (`unknown`), never as clean.
 *
 * These are not API requests: they go to `/resolve` and the storage hosts (storage-hosts.ts), so
 * they do not go through the API transport and are not counted in its budget or its rate-limit
 * state. They have their own concurrency limit, per-file time limit and byte cap, go without
 * cookies (range-reader.ts), and stop with the tab's signal. Results are cached by the file's LFS
 * sha256: the same bytes give the same imports, in any repo, for as long as the cache keeps them.
 */
import { scanPickleFile } from "../readers/pickle/scan-file";
import { repoPagePath, type RepoRef } from "../repo-ref";
import type { FactCache } from "./cache";
import type { OwnPickleScan, PullRequest, RepoFile, ScanStatus } from "./facts";
import { isPickleFormat, isZipArchive } from "./file-kinds";
import { readThroughCache } from "./cached-file-read";
import { createRangeReader, RangeReadError, type FetchLike } from "./range-reader";
import { createLimiter, withTimeout } from "./limits";

export interface OwnScanTarget {
  path: string;
  /** Revision the bytes are read at: the viewed revision (its commit sha when known) or `refs/pr/N`. */
  revision: string;
  size?: number;
  lfsOid?: string;
  /** Set for a file read at a PR's revision. */
  pr?: number;
}

export interface OwnScanSelection {
  /** Files to read, in order of priority, at most `maxFiles`. */
  targets: OwnScanTarget[];
  /** Files that needed a scan but were beyond the cap. */
  overCap: OwnScanTarget[];
}

export interface OwnScannerOptions {
  fetch: FetchLike;
  /** Origin of the Hub, e.g. https://huggingface.co. */
  hubUrl: string;
  cache: FactCache;
  /** Most bytes fetched per file; a file that needs more is `unknown` (unless a dangerous import was already found). */
  maxBytesPerFile?: number;
  /** Most files read per repo (viewed revision and PRs together). */
  maxFilesPerRepo?: number;
  /** Files read at the same time, over all repos. */
  concurrency?: number;
  /** Time allowed per file, all its requests together. */
  timeoutMs?: number;
  /** Size of each Range request. */
  chunkSize?: number;
}

export const OWN_SCAN_DEFAULTS = {
  maxBytesPerFile: 2 * 1024 * 1024,
  maxFilesPerRepo: 6,
  concurrency: 2,
  timeoutMs: 20_000,
  chunkSize: 64 * 1024,
} as const;

const DAY = 24 * 60 * 60 * 1000;
/** How long a result stays cached. Bytes named by a sha256 (or a commit) never change. */
export const OWN_SCAN_TTL = {
  /** A verdict on immutable bytes (LFS sha256, or a path at a commit sha). */
  settled: 30 * DAY,
  /** A verdict on a path at a movable revision (a PR branch) without an LFS sha256. */
  movable: 60 * 60 * 1000,
  /** A read that failed (network, HTTP error, timeout): try again soon. */
  failed: 30_000,
} as const;

const NOT_DONE: ReadonlySet<ScanStatus> = new Set(["unscanned", "queued", "error"]);

/** The Hub has a completed pickle-import result for this file (clean or flagged): nothing for us to add. */
export function hubPickleScanDone(file: RepoFile): boolean {
  const security = file.security;
  if (!security || NOT_DONE.has(security.status)) return false;
  const pickleScan = security.scans.pickleImportScan;
  return pickleScan !== undefined && !NOT_DONE.has(pickleScan.status);
}

/**
 * Which files need our scan. Files of the viewed revision come first (that is what a download
 * loads), then files of open PRs that the client fetched changes for (conversion-looking ones).
 * Merged PRs are not read at their ref: their files are on the branch now, judged there.
 */
export function selectOwnScanTargets(input: {
  revision: string;
  files: readonly RepoFile[];
  pullRequests?: readonly PullRequest[];
  maxFiles: number;
}): OwnScanSelection {
  const wanted: OwnScanTarget[] = [];
  // Zips the Hub has judged come last: their read only tells whether they are pickle weights at all.
  const judgedZips: OwnScanTarget[] = [];
  for (const file of input.files) {
    if (!isPickleFormat(file.path)) continue;
    const target = { path: file.path, revision: input.revision, ...sizeAndOid(file.size, file.lfsOid) };
    if (!hubPickleScanDone(file)) wanted.push(target);
    else if (isZipArchive(file.path)) judgedZips.push(target);
  }
  for (const pr of input.pullRequests ?? []) {
    if ((pr.status !== "open" && pr.status !== "draft") || !pr.changedFiles?.ok) continue;
    for (const change of pr.changedFiles.value) {
      if (change.change === "removed" || !isPickleFormat(change.path)) continue;
      wanted.push({ path: change.path, revision: `refs/pr/${pr.num}`, pr: pr.num, ...sizeAndOid(change.size, change.lfsOid) });
    }
  }
  wanted.push(...judgedZips);
  const max = Math.max(0, input.maxFiles);
  return { targets: wanted.slice(0, max), overCap: wanted.slice(max) };
}

function sizeAndOid(size: number | undefined, lfsOid: string | undefined): { size?: number; lfsOid?: string } {
  return { ...(size === undefined ? {} : { size }), ...(lfsOid === undefined ? {} : { lfsOid }) };
}

/** `https://huggingface.co/{models: nothing | datasets | spaces}/{id}/resolve/{rev}/{path}`, revision and path segments encoded. */
export function resolveUrl(hubUrl: string, repo: Pick<RepoRef, "type" | "id">, revision: string, path: string): string {
  const encodedPath = path.split("/").map(encodeURIComponent).join("/");
  return `${hubUrl.replace(/\/$/, "")}${repoPagePath(repo.type, repo.id)}/resolve/${encodeURIComponent(revision)}/${encodedPath}`;
}

/** The cache key of a file's result: its LFS sha256 when known (shared by every repo holding the same bytes). */
export function ownScanCacheKey(repo: Pick<RepoRef, "type" | "id">, target: OwnScanTarget): string {
  // v2: zips list their members (`archive`), and encryption is judged by the bytes: v1 results are read again.
  return target.lfsOid ? `own-scan:v2:lfs:${target.lfsOid}` : `own-scan:v2:path:${repo.type}:${repo.id}@${target.revision}:${target.path}`;
}

function unread(target: OwnScanTarget, reason: string): OwnPickleScan {
  return { path: target.path, verdict: "unknown", imports: [], reason, bytesRead: 0, ...(target.pr === undefined ? {} : { pr: target.pr }) };
}

function isOwnPickleScan(value: unknown): value is OwnPickleScan {
  if (typeof value !== "object" || value === null) return false;
  const scan = value as Partial<OwnPickleScan>;
  return (
    typeof scan.path === "string" &&
    (scan.verdict === "clean" || scan.verdict === "suspicious" || scan.verdict === "dangerous" || scan.verdict === "unknown") &&
    Array.isArray(scan.imports) &&
    typeof scan.bytesRead === "number" &&
    (scan.archive === undefined || (typeof scan.archive.members === "number" && typeof scan.archive.pickleMembers === "number"))
  );
}

export interface OwnScanner {
  /** Scans what needs scanning; undefined when no file needs it (the facts then carry no `ownScans`). */
  scanRepo(
    repo: Pick<RepoRef, "type" | "id">,
    input: { revision: string; files: readonly RepoFile[]; pullRequests?: readonly PullRequest[] },
    signal?: AbortSignal,
  ): Promise<OwnPickleScan[] | undefined>;
  /** One file, through the cache. Never throws. */
  scanFile(repo: Pick<RepoRef, "type" | "id">, target: OwnScanTarget, signal?: AbortSignal): Promise<OwnPickleScan>;
}

export function createOwnScanner(options: OwnScannerOptions): OwnScanner {
  const maxBytes = options.maxBytesPerFile ?? OWN_SCAN_DEFAULTS.maxBytesPerFile;
  const maxFiles = options.maxFilesPerRepo ?? OWN_SCAN_DEFAULTS.maxFilesPerRepo;
  const timeoutMs = options.timeoutMs ?? OWN_SCAN_DEFAULTS.timeoutMs;
  const chunkSize = options.chunkSize ?? OWN_SCAN_DEFAULTS.chunkSize;
  const limit = createLimiter(options.concurrency ?? OWN_SCAN_DEFAULTS.concurrency);

  /** Reads one file; `failed` says whether the outcome depends on the network rather than the bytes. */
  async function readFile(repo: Pick<RepoRef, "type" | "id">, target: OwnScanTarget, signal: AbortSignal): Promise<{ scan: OwnPickleScan; failed: boolean }> {
    if (target.size === undefined) return { scan: unread(target, "not read: the Hub gave no file size"), failed: false };
    const timer = withTimeout(signal, timeoutMs);
    let readError: RangeReadError | undefined;
    try {
      const reader = createRangeReader({ fetch: options.fetch, url: resolveUrl(options.hubUrl, repo, target.revision, target.path), signal: timer.signal });
      const scan = await scanPickleFile({
        path: target.path,
        size: target.size,
        maxBytes,
        chunkSize,
        signal: timer.signal,
        read: async (offset, length) => {
          try {
            return await reader.read(offset, length);
          } catch (error) {
            if (error instanceof RangeReadError) readError ??= error;
            throw error;
          }
        },
      });
      if (target.pr !== undefined) scan.pr = target.pr;
      if (timer.timedOut()) scan.reason = `reading stopped after ${timeoutMs / 1000} s${scan.verdict === "dangerous" ? "" : "; the imports seen so far are listed"}`;
      const failed = timer.timedOut() || signal.aborted || readError !== undefined;
      return { scan, failed };
    } finally {
      timer.dispose();
    }
  }

  async function scanFile(repo: Pick<RepoRef, "type" | "id">, target: OwnScanTarget, signal?: AbortSignal): Promise<OwnPickleScan> {
    const movable = target.lfsOid === undefined && target.pr !== undefined;
    const cached = await readThroughCache<OwnPickleScan>({
      cache: options.cache,
      key: ownScanCacheKey(repo, target),
      limit,
      cancelled: () => unread(target, "cancelled"),
      read: (loadSignal) => readFile(repo, target, loadSignal),
      // A failed read is kept briefly, unless it already proved danger.
      ttl: (scan, failed) => (failed && scan.verdict !== "dangerous" ? OWN_SCAN_TTL.failed : movable ? OWN_SCAN_TTL.movable : OWN_SCAN_TTL.settled),
      ...(signal ? { signal } : {}),
    });
    // A stored value from an older version (or a damaged store) is read again rather than trusted.
    const scan = isOwnPickleScan(cached) ? cached : (await readFile(repo, target, signal ?? new AbortController().signal)).scan;
    // The cache is keyed by content: the same bytes may sit at another path or PR.
    const located: OwnPickleScan = { ...scan, path: target.path };
    delete located.pr;
    if (target.pr !== undefined) located.pr = target.pr;
    return located;
  }

  async function scanRepo(
    repo: Pick<RepoRef, "type" | "id">,
    input: { revision: string; files: readonly RepoFile[]; pullRequests?: readonly PullRequest[] },
    signal?: AbortSignal,
  ): Promise<OwnPickleScan[] | undefined> {
    const { targets, overCap } = selectOwnScanTargets({ ...input, maxFiles });
    if (targets.length === 0 && overCap.length === 0) return undefined;
    const scans = await Promise.all(targets.map((target) => scanFile(repo, target, signal)));
    const skipped = overCap.map((target) => unread(target, `not read: Hub Sentinel reads at most ${maxFiles} pickle files per repo`));
    return [...scans, ...skipped];
  }

  return { scanRepo, scanFile };
}
