/**
 * Reads the Python a repo's loading would run (issue 25), so the `remote-code` rule can say what it
 * does instead of only that it runs:
 *
 * - the modules config.json's `auto_map` names, in this repo or, for `other/repo--module.Class`,
 *   in the other repo, read at that repo's own commit (its info is asked for once);
 * - in a repo whose code transformers loads (auto_map or the custom_code tag), the other root
 *   modules too: tokenizers and processors name theirs in their own configs;
 * - a dataset's loading script `<name>.py`, and a Space's `app_file` (README front matter; `app.py`
 *   by default for Gradio and Streamlit);
 * - every `.py` of the same repo those import, relative or absolute, transitively;
 * - then, within what is left of the caps, the model repo's other `.py` files (nothing loads them:
 *   `info` at most, but the panel can still say what they would do if run).
 *
 * Like the other own reads, these are not API requests: plain cookie-free fetches of
 * `resolve/{sha}/{path}` with their own concurrency limit, time limit and caps, stopped by the
 * tab's signal, and cached by the file's blob (its path at the commit sha; 30 days, those bytes
 * never change). A file past a cap, or that failed, is `unread` with the reason, never clean.
 */
import { importedFiles } from "../readers/python/reach";
import { reachBehaviours, type ReachFile } from "../readers/python/reach";
import { readPythonModule, unreadReport } from "../readers/python/read-module";
import { formatSize } from "../readers/python/source";
import type { ModuleReport, PythonFileRole, PythonFileScan } from "../readers/python/types";
import type { RepoRef, RepoType } from "../repo-ref";
import type { FactCache } from "./cache";
import { readThroughCache } from "./cached-file-read";
import type { RepoFile, RepoInfo } from "./facts";
import { isPythonFile } from "./file-kinds";
import type { Fact } from "./gaps";
import { createLimiter, withTimeout } from "./limits";
import { resolveUrl } from "./own-scans";
import type { FetchLike } from "./range-reader";

export interface PythonScannerOptions {
  fetch: FetchLike;
  hubUrl: string;
  cache: FactCache;
  /** Another repo's info (sha and file names), for auto_map code that lives there. Without it such code is "not read". */
  repoInfo?: (repo: RepoRef, signal?: AbortSignal) => Promise<Fact<{ info: RepoInfo }>>;
  /** Most bytes read of one file. */
  maxBytesPerFile?: number;
  /** Most files read per repo page (this repo and another one auto_map names, together). */
  maxFiles?: number;
  /** Most bytes read per repo page. */
  maxBytesPerPage?: number;
  /** Of the files, at most this many that nothing loads. */
  maxUnloadedFiles?: number;
  concurrency?: number;
  timeoutMs?: number;
  /** The clock parse times are measured with (tests pass a fake one). */
  now?: () => number;
}

export const PYTHON_SCAN_DEFAULTS = {
  maxBytesPerFile: 1024 * 1024,
  maxFiles: 16,
  maxBytesPerPage: 4 * 1024 * 1024,
  maxUnloadedFiles: 6,
  concurrency: 2,
  timeoutMs: 20_000,
} as const;

const DAY = 24 * 60 * 60 * 1000;
export const PYTHON_SCAN_TTL = { settled: 30 * DAY, movable: 60 * 60 * 1000, failed: 30_000 } as const;
const COMMIT_SHA = /^[0-9a-f]{40}$/i;

/** Root files named like scripts, not modules a loader imports (in a custom-code repo they stay "unloaded"). */
const SCRIPT_PREFIXES = ["train", "finetune", "fine_tune", "convert", "export", "eval", "test", "bench", "example", "demo", "handler", "setup", "app", "run", "inference", "generate", "quantize", "upload", "download", "prepare", "preprocess", "main", "serve", "server", "client", "sample", "tool", "vllm"];

function isScriptName(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  return SCRIPT_PREFIXES.some((prefix) => name.startsWith(prefix)) || name.endsWith("_test.py") || name === "__init__.py";
}

interface Target {
  repo: { type: RepoType; id: string };
  revision: string;
  path: string;
  role: PythonFileRole;
  loadedBy?: string;
  /** The repo's file names, for resolving imports. */
  files: ReadonlySet<string>;
  /** A reason the file cannot be read at all (another repo whose info failed, a file auto_map names that is missing). */
  refused?: string;
}

interface Read {
  target: Target;
  report: ModuleReport;
  bytesRead: number;
  requests: number;
}

/** `module.Class` or `repo/name--module.Class` (transformers' class references): the repo (when another) and the module file. */
export function parseAutoMapReference(reference: string): { repo?: string; file: string; className: string } | undefined {
  let rest = reference.trim();
  let repo: string | undefined;
  const sep = rest.indexOf("--");
  if (sep >= 0) {
    repo = rest.slice(0, sep);
    rest = rest.slice(sep + 2);
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) return undefined;
  }
  const dot = rest.lastIndexOf(".");
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  const module = rest.slice(0, dot);
  if (!/^[\w.]+$/.test(module)) return undefined;
  return { ...(repo ? { repo } : {}), file: `${module.split(".").join("/")}.py`, className: rest.slice(dot + 1) };
}

/** Every class reference of an auto_map (values are strings, or lists such as `[slow, fast]` with nulls). */
export function autoMapReferences(autoMap: Record<string, unknown> | undefined): { key: string; reference: string }[] {
  const out: { key: string; reference: string }[] = [];
  for (const [key, value] of Object.entries(autoMap ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) if (typeof item === "string" && item.length < 500) out.push({ key, reference: item });
  }
  return out;
}

export interface PythonScanner {
  /** Undefined when the repo has no Python that anything could run and no auto_map. */
  scanRepo(
    repo: Pick<RepoRef, "type" | "id">,
    input: { revision: string; files: readonly RepoFile[]; info: RepoInfo },
    signal?: AbortSignal,
  ): Promise<PythonFileScan[] | undefined>;
}

export function createPythonScanner(options: PythonScannerOptions): PythonScanner {
  const maxBytesPerFile = options.maxBytesPerFile ?? PYTHON_SCAN_DEFAULTS.maxBytesPerFile;
  const maxFiles = options.maxFiles ?? PYTHON_SCAN_DEFAULTS.maxFiles;
  const maxBytesPerPage = options.maxBytesPerPage ?? PYTHON_SCAN_DEFAULTS.maxBytesPerPage;
  const maxUnloaded = options.maxUnloadedFiles ?? PYTHON_SCAN_DEFAULTS.maxUnloadedFiles;
  const timeoutMs = options.timeoutMs ?? PYTHON_SCAN_DEFAULTS.timeoutMs;
  const limit = createLimiter(options.concurrency ?? PYTHON_SCAN_DEFAULTS.concurrency);
  const now = options.now ?? (() => performance.now());

  async function fetchFile(target: Target, signal: AbortSignal): Promise<{ report: ModuleReport; failed: boolean; bytesRead: number }> {
    const url = resolveUrl(options.hubUrl, target.repo, target.revision, target.path);
    let response: Response;
    try {
      response = await options.fetch(url, { credentials: "omit", redirect: "follow", signal });
    } catch (error) {
      const why = signal.aborted ? "cancelled or timed out" : `network error: ${error instanceof Error ? error.message : String(error)}`;
      return { report: unreadReport(`not read: ${why}`), failed: true, bytesRead: 0 };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const why = response.status === 429 ? "the Hub is rate-limiting requests (HTTP 429)" : response.status === 401 || response.status === 403 ? `access refused (HTTP ${response.status}: gated or private)` : `HTTP ${response.status}`;
      return { report: unreadReport(`not read: ${why}`), failed: response.status !== 404, bytesRead: 0 };
    }
    let body: { bytes: Uint8Array; complete: boolean };
    try {
      body = await readBodyUpTo(response, maxBytesPerFile);
    } catch {
      return { report: unreadReport("not read: the answer broke off"), failed: true, bytesRead: 0 };
    }
    if (!body.complete) return { report: unreadReport(`not read: the file is larger than the ${formatSize(maxBytesPerFile)} the extension reads of one file`, body.bytes.length), failed: false, bytesRead: body.bytes.length };
    return { report: readPythonModule(body.bytes, { now, maxBytes: maxBytesPerFile }), failed: false, bytesRead: body.bytes.length };
  }

  async function readTarget(target: Target, signal?: AbortSignal): Promise<Read> {
    if (target.refused) return { target, report: unreadReport(target.refused), bytesRead: 0, requests: 0 };
    const immutable = COMMIT_SHA.test(target.revision);
    let requests = 0;
    let bytesRead = 0;
    const report = await readThroughCache<ModuleReport>({
      cache: options.cache,
      key: `python:v1:${target.repo.type}:${target.repo.id}@${target.revision}:${target.path}`,
      limit,
      cancelled: () => unreadReport("not read: cancelled"),
      read: async (loadSignal) => {
        const timer = withTimeout(loadSignal, timeoutMs);
        try {
          requests = 1;
          const outcome = await fetchFile(target, timer.signal);
          bytesRead = outcome.bytesRead;
          if (timer.timedOut() && outcome.report.status === "unread") outcome.report.reason = `not read: reading stopped after ${timeoutMs / 1000} s`;
          return { scan: outcome.report, failed: outcome.failed || timer.timedOut() };
        } finally {
          timer.dispose();
        }
      },
      ttl: (_report, failed) => (failed ? PYTHON_SCAN_TTL.failed : immutable ? PYTHON_SCAN_TTL.settled : PYTHON_SCAN_TTL.movable),
      ...(signal ? { signal } : {}),
    });
    // A stored value from another version (or a damaged store) is not trusted.
    const usable = isModuleReport(report) ? report : unreadReport("not read: the cached result could not be used; reload the page");
    return { target, report: usable, bytesRead: bytesRead || (requests > 0 ? usable.bytes : 0), requests };
  }

  async function otherRepoTargets(repoId: string, modules: { file: string; loadedBy: string }[], signal?: AbortSignal): Promise<Target[]> {
    const repo = { type: "model" as const, id: repoId };
    const refuse = (why: string) => modules.map((module): Target => ({ repo, revision: "main", path: module.file, role: "auto-map", loadedBy: module.loadedBy, files: new Set(), refused: why }));
    if (!options.repoInfo) return refuse(`not read: the code is in another repo (${repoId}), which this check does not read`);
    const fact = await options.repoInfo({ type: "model", id: repoId, revision: "main" }, signal);
    if (!fact.ok) return refuse(`not read: the info of ${repoId}, where this code lives, could not be read (${fact.gap.message})`);
    const files = new Set(fact.value.info.siblingPaths ?? []);
    const revision = fact.value.info.sha ?? "main";
    return modules.map((module): Target => ({
      repo,
      revision,
      path: module.file,
      role: "auto-map",
      loadedBy: module.loadedBy,
      files,
      ...(files.size > 0 && !files.has(module.file) ? { refused: `not read: config.json's auto_map names ${module.file} in ${repoId}, which has no such file` } : {}),
    }));
  }

  async function scanRepo(
    repo: Pick<RepoRef, "type" | "id">,
    input: { revision: string; files: readonly RepoFile[]; info: RepoInfo },
    signal?: AbortSignal,
  ): Promise<PythonFileScan[] | undefined> {
    const ownRepo = { type: repo.type, id: repo.id };
    const paths = new Set(input.files.map((file) => file.path));
    const pyFiles = input.files.map((file) => file.path).filter(isPythonFile);
    const primary: Target[] = [];
    /** Root modules of a custom-code repo: read after what auto_map names and imports, so a file both imports keeps the more exact reason. */
    const secondary: Target[] = [];
    const seen = new Set<string>();
    const add = (target: Target, list: Target[]) => {
      const key = `${target.repo.id}:${target.path}`;
      if (seen.has(key)) return;
      seen.add(key);
      list.push(target);
    };
    const local = (path: string, role: PythonFileRole, loadedBy?: string): Target => ({ repo: ownRepo, revision: input.revision, path, role, ...(loadedBy ? { loadedBy } : {}), files: paths });

    if (repo.type === "model") {
      const others = new Map<string, { file: string; loadedBy: string }[]>();
      for (const { key, reference } of autoMapReferences(input.info.autoMap)) {
        const parsed = parseAutoMapReference(reference);
        if (!parsed) continue;
        const loadedBy = `config.json's auto_map: ${key} → ${reference}`;
        if (parsed.repo && parsed.repo.toLowerCase() !== repo.id.toLowerCase()) {
          const list = others.get(parsed.repo) ?? [];
          if (!list.some((item) => item.file === parsed.file)) list.push({ file: parsed.file, loadedBy: `${loadedBy} (the code is in ${parsed.repo})` });
          others.set(parsed.repo, list);
        } else {
          const target = local(parsed.file, "auto-map", loadedBy);
          if (!paths.has(parsed.file) && input.files.length > 0) target.refused = `not read: config.json's auto_map names ${parsed.file}, which the repo does not have`;
          add(target, primary);
        }
      }
      const trusted = Object.keys(input.info.autoMap ?? {}).length > 0 || input.info.tags.includes("custom_code");
      for (const [otherId, modules] of others) for (const target of await otherRepoTargets(otherId, modules, signal)) add(target, primary);
      if (trusted) {
        for (const path of pyFiles) {
          if (!path.includes("/") && !isScriptName(path)) secondary.push(local(path, "custom-code", "a root module of a repo whose code transformers loads (tokenizers and processors name theirs in their own configs)"));
        }
      }
    } else if (repo.type === "dataset") {
      const name = (repo.id.split("/")[1] ?? "").toLowerCase();
      const script = pyFiles.find((path) => path.toLowerCase() === `${name}.py`);
      if (script) add(local(script, "loading-script", "the dataset's loading script (datasets runs it with trust_remote_code=True)"), primary);
    } else {
      const sdk = (input.info.sdk ?? "").toLowerCase();
      const appFile = input.info.appFile ?? (sdk === "gradio" || sdk === "streamlit" || sdk === "" ? "app.py" : undefined);
      if (appFile && isPythonFile(appFile) && paths.has(appFile)) add(local(appFile, "space-app", `the Space's app file (${input.info.appFile ? "app_file in its README" : "app.py, the default"})`), primary);
    }
    if (primary.length === 0 && secondary.length === 0 && (repo.type !== "model" || pyFiles.length === 0)) return undefined;

    const reads: Read[] = [];
    const skipped: { target: Target; reason: string }[] = [];
    let bytes = 0;
    const capReason = () => (bytes >= maxBytesPerPage ? `not read: Hub Sentinel reads at most ${formatSize(maxBytesPerPage)} of Python per repo page` : `not read: Hub Sentinel reads at most ${maxFiles} Python files per repo page`);
    for (const phase of [primary, secondary]) {
      let queue = phase.filter((target) => target.role !== "custom-code" || !seen.has(`${target.repo.id}:${target.path}`));
      for (const target of queue) seen.add(`${target.repo.id}:${target.path}`);
      while (queue.length > 0) {
        const batch: Target[] = [];
        for (const target of queue) {
          if (reads.length + batch.length >= maxFiles || bytes >= maxBytesPerPage) skipped.push({ target, reason: capReason() });
          else batch.push(target);
        }
        const done = await Promise.all(batch.map((target) => readTarget(target, signal)));
        const next: Target[] = [];
        for (const read of done) {
          reads.push(read);
          bytes += read.bytesRead;
          // What this file imports from its own repo runs when it does.
          for (const item of read.report.imports) {
            for (const path of importedFiles(read.target.path, item, (candidate) => read.target.files.has(candidate))) {
              add({ repo: read.target.repo, revision: read.target.revision, path, role: "imported", loadedBy: `imported by ${read.target.path} (line ${item.line})`, files: read.target.files }, next);
            }
          }
        }
        queue = next;
      }
    }
    if (repo.type === "model") {
      const unloaded = pyFiles
        .filter((path) => !seen.has(`${repo.id}:${path}`))
        .sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
      const batch: Target[] = [];
      for (const path of unloaded) {
        const target = local(path, "unloaded");
        if (batch.length >= maxUnloaded) skipped.push({ target, reason: `not read: nothing loads it, and Hub Sentinel reads at most ${maxUnloaded} such files per repo page` });
        else if (reads.length + batch.length >= maxFiles || bytes >= maxBytesPerPage) skipped.push({ target, reason: capReason() });
        else batch.push(target);
      }
      for (const read of await Promise.all(batch.map((target) => readTarget(target, signal)))) {
        reads.push(read);
        bytes += read.bytesRead;
      }
    }

    // Reach is worked out per repo: another repo's modules import from that repo only.
    const scans: PythonFileScan[] = [];
    const byRepo = new Map<string, Read[]>();
    for (const read of reads) byRepo.set(read.target.repo.id, [...(byRepo.get(read.target.repo.id) ?? []), read]);
    for (const group of byRepo.values()) {
      const files: ReachFile[] = group.map((read) => ({ path: read.target.path, role: read.target.role, report: read.report }));
      const exists = (path: string) => group[0]?.target.files.has(path) === true;
      const reached = reachBehaviours(files, exists, { followReferences: repo.type !== "space" });
      for (const read of group) {
        const scan: PythonFileScan = {
          repo: read.target.repo,
          revision: read.target.revision,
          path: read.target.path,
          role: read.target.role,
          status: read.report.status,
          behaviours: reached.get(read.target.path) ?? [],
          bytesRead: read.bytesRead,
          requests: read.requests,
        };
        if (read.target.loadedBy) scan.loadedBy = read.target.loadedBy;
        if (read.report.reason) scan.reason = read.report.reason;
        // Timings only for a read made now (a cached report's were measured when it was read).
        if (read.requests > 0 && read.report.parseMs !== undefined) scan.parseMs = read.report.parseMs;
        if (read.requests > 0 && read.report.analyseMs !== undefined) scan.analyseMs = read.report.analyseMs;
        scans.push(scan);
      }
    }
    for (const { target, reason } of skipped) {
      scans.push({ repo: target.repo, revision: target.revision, path: target.path, role: target.role, ...(target.loadedBy ? { loadedBy: target.loadedBy } : {}), status: "unread", reason, behaviours: [], bytesRead: 0, requests: 0 });
    }
    return scans;
  }

  return { scanRepo };
}

function isModuleReport(value: unknown): value is ModuleReport {
  if (typeof value !== "object" || value === null) return false;
  const report = value as Partial<ModuleReport>;
  return (
    (report.status === "read" || report.status === "unread") &&
    Array.isArray(report.behaviours) &&
    Array.isArray(report.imports) &&
    Array.isArray(report.links) &&
    Array.isArray(report.classes) &&
    Array.isArray(report.functions) &&
    typeof report.bytes === "number"
  );
}

/** The body, up to `cap` bytes; `complete` is false when there was more. */
async function readBodyUpTo(response: Response, cap: number): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), complete: true };
  const parts: Uint8Array[] = [];
  let total = 0;
  let complete = true;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parts.push(value);
      total += value.length;
      if (total > cap) {
        complete = false;
        break;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(total, cap + 1));
  let at = 0;
  for (const part of parts) {
    const take = Math.min(part.length, bytes.length - at);
    bytes.set(part.subarray(0, take), at);
    at += take;
  }
  return { bytes: complete ? bytes : bytes.subarray(0, cap), complete };
}
