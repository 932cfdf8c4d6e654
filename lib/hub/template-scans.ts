/**
 * Reads the chat templates a repo ships (issues 16 and 24) so the `chat-template` rule can judge them:
 *
 * - GGUF files: `tokenizer.chat_template*` from the header, by Range requests through our GGUF
 *   metadata reader (lib/readers/gguf), up to the end of the metadata and at most 16 MB per file
 *   (a 128k-token vocabulary puts the template about 7 MB in). Later shards of a split GGUF are
 *   not read: llama.cpp takes the metadata, template included, from the first shard.
 * - A page's byte budget: the big quantizers publish 7 to 25 files of one model, so a page reads
 *   headers, most used quantizations first (gguf-quants.ts), until 16 MB of them is spent (or 32
 *   files); pages of the same repo opened within 10 minutes share that budget. The first file read
 *   tells how long the others' headers are (one model, one tokenizer), so each further file costs
 *   one request, and a file is left unread rather than read past the budget. Files left unread
 *   for the budget are `deferred`, named in the findings, and read when their row is opened or
 *   their file page is (`readFile`).
 * - `tokenizer_config.json`, `chat_template.jinja`, `chat_template.json`: small files, read whole
 *   up to a cap. A `tokenizer_config.json` refused (gated) or missing is judged from the Hub's copy
 *   of its template in the model info, and the scan says so (`copy: "model-info"`).
 * - The model info's `gguf.chat_template`, when the Hub sent one: judged without a request.
 *
 * Like the own pickle scans, these are not API requests: they go to `resolve/{sha}/{path}` and the
 * storage hosts with the plain fetch, without cookies, with their own concurrency limit, time limit
 * and caps, and stop with the tab's signal. A GGUF's result is kept by its LFS sha256 for good
 * (those bytes never change) in the content cache; a small file's by its path at the commit sha.
 * Files past a cap or that failed to read are `unread` (the rule says `unknown`), never clean.
 */
import { formatBytes, readGgufTemplates, type FetchLike } from "../readers/chat-template/gguf-header";
import { judgeNamed, templatesOfText } from "../readers/chat-template/sources";
import type { ChatTemplateScan } from "../readers/chat-template/types";
import type { RepoRef } from "../repo-ref";
import type { FactCache } from "./cache";
import { readThroughCache } from "./cached-file-read";
import type { RepoFile } from "./facts";
import { chatTemplateFileKind, isGgufFormat } from "./file-kinds";
import { inReadingOrder } from "./gguf-quants";
import { createLimiter, withTimeout } from "./limits";
import { resolveUrl } from "./own-scans";
import { createRangeReader, RangeReadError } from "./range-reader";

export interface TemplateScannerOptions {
  fetch: FetchLike;
  hubUrl: string;
  cache: FactCache;
  /**
   * Where results named by an LFS sha256 are kept, for good: a cache the user's cache-lifetime
   * setting does not shorten (the bytes behind a sha cannot change). Defaults to `cache`.
   */
  contentCache?: FactCache;
  /** Most header bytes read per GGUF file; a longer header leaves the file unread. */
  maxGgufBytes?: number;
  /** Most GGUF header bytes read for one page of a repo (opened rows and file pages aside). */
  pageByteBudget?: number;
  /** Most GGUF files read for one page of a repo. */
  maxGgufFiles?: number;
  /** Pages of the same repo (and revision) within this time share one budget. */
  budgetWindowMs?: number;
  /** Bytes asked per Range request while the header's length is not known yet. */
  chunkSize?: number;
  /** Most bytes read of a tokenizer_config.json or template file. */
  maxTextBytes?: number;
  /** Template text files read per repo. */
  maxTextFiles?: number;
  /** Files read at the same time, over all repos. */
  concurrency?: number;
  /** Time allowed per file, all its requests together. */
  timeoutMs?: number;
  now?: () => number;
}

const MB = 1024 * 1024;

export const TEMPLATE_SCAN_DEFAULTS = {
  maxGgufBytes: 16 * MB,
  pageByteBudget: 16 * MB,
  maxGgufFiles: 32,
  budgetWindowMs: 10 * 60_000,
  // 1 MB: a 128k-token header takes 7 requests for the first file of a repo (the rest take 1),
  // and at most 1 MB is fetched past the metadata's end.
  chunkSize: MB,
  maxTextBytes: 2 * MB,
  maxTextFiles: 8,
  concurrency: 2,
  timeoutMs: 30_000,
} as const;

const DAY = 24 * 60 * 60 * 1000;
export const TEMPLATE_SCAN_TTL = {
  /** Bytes named by their sha256: kept for good (a century stands for it, stored as a plain number). */
  content: 36_500 * DAY,
  /** A small file at a commit sha. */
  settled: 30 * DAY,
  movable: 60 * 60 * 1000,
  failed: 30_000,
} as const;

/** Asked beyond the header length the first file showed: other quantizations differ by a few bytes of metadata. */
const HINT_SLACK = 16 * 1024;
/** Repos whose budget is remembered (each a few numbers). */
const MAX_LEDGERS = 200;

/** `model-00002-of-00005.gguf`: the shard number and count of a split GGUF. */
const SHARD = /-(\d{5})-of-(\d{5})\.gguf$/i;
const COMMIT_SHA = /^[0-9a-f]{40}$/i;

export interface TemplateTarget {
  path: string;
  kind: "gguf" | "tokenizer-config" | "jinja" | "chat-template-json";
  lfsOid?: string;
}

export function selectTemplateTargets(files: readonly RepoFile[], caps: { maxTextFiles: number }) {
  const gguf: TemplateTarget[] = [];
  const text: TemplateTarget[] = [];
  const laterShards: string[] = [];
  for (const file of files) {
    if (isGgufFormat(file.path)) {
      const shard = SHARD.exec(file.path);
      if (shard && Number(shard[1]) > 1) laterShards.push(file.path);
      else gguf.push({ path: file.path, kind: "gguf", ...(file.lfsOid ? { lfsOid: file.lfsOid } : {}) });
      continue;
    }
    const kind = chatTemplateFileKind(file.path);
    if (kind) text.push({ path: file.path, kind });
  }
  // Root files first: that is what a loader given the repo id reads.
  const byDepth = (a: TemplateTarget, b: TemplateTarget) => a.path.split("/").length - b.path.split("/").length;
  text.sort(byDepth);
  return { gguf: inReadingOrder(gguf), text: text.slice(0, caps.maxTextFiles), textOverCap: text.slice(caps.maxTextFiles), laterShards };
}

/**
 * `v2`: the judge reads strings as Jinja2 does and judges unparsed templates from their tokens;
 * `v3`: scans keep the template text (issue 26), which a v2 scan stored without it could not be
 * compared by. Bump when the judge or the scan's shape changes.
 */
export function templateScanCacheKey(repo: Pick<RepoRef, "type" | "id">, revision: string, target: TemplateTarget): string {
  return target.lfsOid ? `chat-template:v3:lfs:${target.lfsOid}` : `chat-template:v3:path:${repo.type}:${repo.id}@${revision}:${target.path}`;
}

function unread(target: TemplateTarget, reason: string, bytesRead = 0, requests = 0): ChatTemplateScan {
  return { path: target.path, source: target.kind, status: "unread", templates: [], reason, bytesRead, requests };
}

function isChatTemplateScan(value: unknown): value is ChatTemplateScan {
  if (typeof value !== "object" || value === null) return false;
  const scan = value as Partial<ChatTemplateScan>;
  return typeof scan.path === "string" && (scan.status === "read" || scan.status === "unread") && Array.isArray(scan.templates) && typeof scan.bytesRead === "number";
}

export interface TemplateScanInput {
  revision: string;
  files: readonly RepoFile[];
  /** The model info's `gguf.chat_template`. */
  ggufChatTemplate?: string;
  /** The model info's `config.tokenizer_config.chat_template`: judged when the file itself is refused or missing. */
  configChatTemplates?: readonly { name: string; template: string }[];
}

export interface TemplateScanner {
  /** Undefined when the repo has no template source at all (the facts then carry no `chatTemplates`). */
  scanRepo(repo: Pick<RepoRef, "type" | "id">, input: TemplateScanInput, signal?: AbortSignal): Promise<ChatTemplateScan[] | undefined>;
  /**
   * One GGUF file's templates now, outside the page's budget (its row was opened, or its file
   * page): read once, then kept by its sha256 like the others. Undefined for a file that is not
   * the first shard of a GGUF.
   */
  readFile(repo: Pick<RepoRef, "type" | "id">, input: { revision: string; file: RepoFile }, signal?: AbortSignal): Promise<ChatTemplateScan | undefined>;
}

/** What one repo page (and those opened soon after it) may still spend on GGUF headers. */
interface Ledger {
  openedAt: number;
  spent: number;
  reserved: number;
  files: number;
  /** Where the first header read ended: the others of the model end about there. */
  headerEnd?: number;
}

type Admission = { kind: "read"; cap: number; reservation: number; release(bytes: number): void } | { kind: "deferred"; reason: string };

export function createTemplateScanner(options: TemplateScannerOptions): TemplateScanner {
  const maxGgufBytes = options.maxGgufBytes ?? TEMPLATE_SCAN_DEFAULTS.maxGgufBytes;
  const pageByteBudget = options.pageByteBudget ?? TEMPLATE_SCAN_DEFAULTS.pageByteBudget;
  const maxGgufFiles = options.maxGgufFiles ?? TEMPLATE_SCAN_DEFAULTS.maxGgufFiles;
  const budgetWindowMs = options.budgetWindowMs ?? TEMPLATE_SCAN_DEFAULTS.budgetWindowMs;
  const chunkSize = options.chunkSize ?? TEMPLATE_SCAN_DEFAULTS.chunkSize;
  const maxTextBytes = options.maxTextBytes ?? TEMPLATE_SCAN_DEFAULTS.maxTextBytes;
  const maxTextFiles = options.maxTextFiles ?? TEMPLATE_SCAN_DEFAULTS.maxTextFiles;
  const timeoutMs = options.timeoutMs ?? TEMPLATE_SCAN_DEFAULTS.timeoutMs;
  const now = options.now ?? (() => Date.now());
  const contentCache = options.contentCache ?? options.cache;
  const limit = createLimiter(options.concurrency ?? TEMPLATE_SCAN_DEFAULTS.concurrency);
  const ledgers = new Map<string, Ledger>();

  const ledgerKey = (repo: Pick<RepoRef, "type" | "id">, revision: string) => `${repo.type}:${repo.id.toLowerCase()}@${revision}`;

  function ledgerOf(repo: Pick<RepoRef, "type" | "id">, revision: string): Ledger {
    const key = ledgerKey(repo, revision);
    const existing = ledgers.get(key);
    if (existing && now() - existing.openedAt < budgetWindowMs) return existing;
    const fresh: Ledger = { openedAt: now(), spent: 0, reserved: 0, files: 0, ...(existing?.headerEnd === undefined ? {} : { headerEnd: existing.headerEnd }) };
    ledgers.delete(key);
    ledgers.set(key, fresh);
    while (ledgers.size > MAX_LEDGERS) {
      const oldest = ledgers.keys().next().value;
      if (oldest === undefined) break;
      ledgers.delete(oldest);
    }
    return fresh;
  }

  /**
   * Whether a header may be read within the page's budget, and with what cap. A read's bytes are
   * reserved while it runs, so reads side by side never spend more than the budget together.
   */
  function admit(ledger: Ledger): Admission {
    const budgetWords = `the page's ${formatBytes(pageByteBudget)} budget for GGUF headers`;
    if (ledger.files >= maxGgufFiles) return { kind: "deferred", reason: `not read yet: Hub Sentinel reads at most ${maxGgufFiles} GGUF headers per page` };
    const remaining = pageByteBudget - ledger.spent - ledger.reserved;
    const expected = ledger.headerEnd === undefined ? undefined : ledger.headerEnd + HINT_SLACK;
    if (remaining <= 0 || (expected !== undefined && expected > remaining)) return { kind: "deferred", reason: `not read yet: ${budgetWords} is spent` };
    const cap = Math.min(maxGgufBytes, remaining);
    const reservation = Math.min(cap, expected ?? cap);
    ledger.files += 1;
    ledger.reserved += reservation;
    return {
      kind: "read",
      cap,
      reservation,
      release(bytes) {
        ledger.reserved -= reservation;
        ledger.spent += bytes;
      },
    };
  }

  async function readGguf(url: string, target: TemplateTarget, cap: number, headerHint: number | undefined, signal: AbortSignal): Promise<{ scan: ChatTemplateScan; failed: boolean }> {
    const reader = createRangeReader({ fetch: options.fetch, url, signal });
    const read = (offset: number, length: number) => reader.read(offset, length);
    const counted = <T extends ChatTemplateScan>(scan: T): T => ({ ...scan, bytesRead: reader.bytesTransferred, requests: reader.requests });
    try {
      const result = await readGgufTemplates({ read, maxBytes: cap, chunkSize, ...(headerHint === undefined ? {} : { firstChunk: Math.min(cap, headerHint + HINT_SLACK) }) });
      if (!result.ok) {
        if (result.kind === "too-large" && cap < maxGgufBytes) {
          return { scan: counted({ ...unread(target, "not read yet: the page's budget for GGUF headers ran out while reading it"), deferred: "budget" }), failed: true };
        }
        return { scan: counted(unread(target, `not read: ${result.message}`)), failed: false };
      }
      const scan: ChatTemplateScan = counted({ path: target.path, source: "gguf", status: "read", templates: judgeNamed(result.templates), bytesRead: 0, requests: 0, headerEnd: result.metadataEnd });
      if (result.templates.length === 0) scan.reason = "the header has no chat template";
      return { scan, failed: false };
    } catch (error) {
      const reason =
        signal.aborted || (error instanceof RangeReadError && error.kind === "aborted")
          ? "not read: cancelled or timed out"
          : error instanceof RangeReadError && error.kind === "range-ignored"
            ? "not read: the server ignored the Range request; reading stopped"
            : error instanceof RangeReadError && error.kind === "http" && error.status !== undefined
              ? `not read: HTTP ${error.status}`
              : `not read: ${error instanceof Error ? error.message : String(error)}`;
      return { scan: counted(unread(target, reason)), failed: true };
    }
  }

  async function readText(
    url: string,
    target: TemplateTarget & { kind: "tokenizer-config" | "jinja" | "chat-template-json" },
    hubCopy: readonly { name: string; template: string }[] | undefined,
    signal: AbortSignal,
  ): Promise<{ scan: ChatTemplateScan; failed: boolean }> {
    let response: Response;
    try {
      response = await options.fetch(url, { credentials: "omit", redirect: "follow", signal });
    } catch (error) {
      const reason = signal.aborted ? "cancelled or timed out" : `network error: ${error instanceof Error ? error.message : String(error)}`;
      return { scan: unread(target, `not read: ${reason}`, 0, 1), failed: true };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      // A gated repo's files are refused to anonymous requests (401/403 GatedRepo) while the model
      // info, readable by everyone, holds the Hub's copy of the tokenizer config's template.
      const refused = response.status === 401 || response.status === 403 || response.status === 404;
      if (refused && target.kind === "tokenizer-config" && hubCopy && hubCopy.length > 0) {
        const why = response.status === 404 ? "the file itself could not be found (HTTP 404)" : `the file itself is gated (HTTP ${response.status})`;
        return {
          scan: { path: target.path, source: target.kind, status: "read", copy: "model-info", templates: judgeNamed(hubCopy), reason: `judged from the Hub's copy in the model info; ${why}`, bytesRead: 0, requests: 1 },
          failed: false,
        };
      }
      return { scan: unread(target, `not read: HTTP ${response.status}${response.status === 401 || response.status === 403 ? " (the repo is gated, or the file is private)" : ""}`, 0, 1), failed: true };
    }
    let body: { bytes: Uint8Array; complete: boolean };
    try {
      body = await readBodyUpTo(response, maxTextBytes);
    } catch {
      return { scan: unread(target, "not read: the answer broke off", 0, 1), failed: true };
    }
    if (!body.complete) return { scan: unread(target, `not read: the file is larger than the ${formatBytes(maxTextBytes)} the extension reads`, body.bytes.length, 1), failed: false };
    const text = new TextDecoder().decode(body.bytes);
    const { templates, note } = templatesOfText(target.kind, text);
    const scan: ChatTemplateScan = { path: target.path, source: target.kind, status: "read", templates, bytesRead: body.bytes.length, requests: 1 };
    if (note) scan.reason = note;
    return { scan, failed: false };
  }

  const cacheOf = (target: TemplateTarget) => (target.lfsOid ? contentCache : options.cache);

  /** A result kept from before, without reading anything. */
  async function cachedScan(repo: Pick<RepoRef, "type" | "id">, revision: string, target: TemplateTarget): Promise<ChatTemplateScan | undefined> {
    const hit = await cacheOf(target).peek<unknown>(templateScanCacheKey(repo, revision, target));
    return isChatTemplateScan(hit) ? { ...hit, path: target.path } : undefined;
  }

  /**
   * One file through the cache: read, or joined to a read of the same bytes already under way.
   * `ledger`: the page's budget, asked once the read's turn has come; without it (an opened row or
   * file page) the file is read whatever the page spent.
   */
  async function scanFile(
    repo: Pick<RepoRef, "type" | "id">,
    input: Pick<TemplateScanInput, "revision" | "configChatTemplates">,
    target: TemplateTarget,
    ledger: Ledger | undefined,
    signal?: AbortSignal,
  ): Promise<ChatTemplateScan> {
    const { revision } = input;
    const immutable = target.lfsOid !== undefined || COMMIT_SHA.test(revision);
    let deferred = false;
    const cached = await readThroughCache<ChatTemplateScan>({
      cache: cacheOf(target),
      key: templateScanCacheKey(repo, revision, target),
      limit,
      cancelled: () => unread(target, "cancelled"),
      read: async (loadSignal) => {
        let admission: Admission | undefined;
        if (target.kind === "gguf" && ledger) {
          admission = admit(ledger);
          if (admission.kind === "deferred") {
            deferred = true;
            return { scan: { ...unread(target, admission.reason), deferred: "budget" }, failed: false };
          }
        }
        const timer = withTimeout(loadSignal, timeoutMs);
        try {
          const url = resolveUrl(options.hubUrl, repo, revision, target.path);
          const { kind } = target;
          const hint = (ledger ?? ledgers.get(ledgerKey(repo, revision)))?.headerEnd;
          const outcome =
            kind === "gguf"
              ? await readGguf(url, target, admission?.kind === "read" ? admission.cap : maxGgufBytes, hint, timer.signal)
              : await readText(url, { ...target, kind }, input.configChatTemplates, timer.signal);
          if (admission?.kind === "read") admission.release(outcome.scan.bytesRead);
          if (outcome.scan.deferred) deferred = true;
          if (timer.timedOut() && outcome.scan.status === "unread") outcome.scan.reason = `not read: reading stopped after ${timeoutMs / 1000} s`;
          return { scan: outcome.scan, failed: outcome.failed || timer.timedOut() };
        } finally {
          timer.dispose();
        }
      },
      // Left for the budget: not kept, the next page may read it. Bytes named by their sha: for good.
      ttl: (_scan, failed) => (deferred ? 0 : failed ? TEMPLATE_SCAN_TTL.failed : target.lfsOid ? TEMPLATE_SCAN_TTL.content : immutable ? TEMPLATE_SCAN_TTL.settled : TEMPLATE_SCAN_TTL.movable),
      ...(signal ? { signal } : {}),
    });
    // A stored value from another version (or a damaged store) is not trusted: say it was not read.
    const scan = isChatTemplateScan(cached) ? cached : unread(target, "not read: the cached result could not be used; reload the page");
    if (scan.status === "read" && scan.source === "gguf" && scan.headerEnd !== undefined) rememberHeaderEnd(repo, revision, scan.headerEnd);
    // Cached by content: the same bytes may sit at another path.
    return { ...scan, path: target.path };
  }

  function rememberHeaderEnd(repo: Pick<RepoRef, "type" | "id">, revision: string, headerEnd: number) {
    const ledger = ledgerOf(repo, revision);
    ledger.headerEnd ??= headerEnd;
  }

  /** The GGUF files: kept results first (free), then reads in order of use, the first alone when it is to tell the others' length. */
  async function scanGguf(repo: Pick<RepoRef, "type" | "id">, input: TemplateScanInput, targets: TemplateTarget[], signal?: AbortSignal): Promise<ChatTemplateScan[]> {
    const known = await Promise.all(targets.map((target) => cachedScan(repo, input.revision, target)));
    for (const scan of known) if (scan?.status === "read" && scan.headerEnd !== undefined) rememberHeaderEnd(repo, input.revision, scan.headerEnd);
    const ledger = ledgerOf(repo, input.revision);
    const results: (ChatTemplateScan | undefined)[] = [...known];
    const pending = targets.map((target, index) => ({ target, index })).filter(({ index }) => results[index] === undefined);
    let rest = pending;
    const first = pending[0];
    if (first && ledger.headerEnd === undefined) {
      results[first.index] = await scanFile(repo, input, first.target, ledger, signal);
      rest = pending.slice(1);
    }
    await Promise.all(
      rest.map(async ({ target, index }) => {
        results[index] = await scanFile(repo, input, target, ledger, signal);
      }),
    );
    return results.map((scan, index) => scan ?? unread(targets[index] ?? { path: "", kind: "gguf" }, "not read"));
  }

  async function scanRepo(repo: Pick<RepoRef, "type" | "id">, input: TemplateScanInput, signal?: AbortSignal): Promise<ChatTemplateScan[] | undefined> {
    const { gguf, text, textOverCap, laterShards } = selectTemplateTargets(input.files, { maxTextFiles });
    const fromInfo: ChatTemplateScan[] =
      input.ggufChatTemplate === undefined
        ? []
        : [{ path: "", source: "model-info", status: "read", templates: judgeNamed([{ name: "default", template: input.ggufChatTemplate }]), bytesRead: 0, requests: 0 }];
    if (gguf.length === 0 && text.length === 0 && textOverCap.length === 0 && laterShards.length === 0 && fromInfo.length === 0) return undefined;
    const [ggufScans, textScans] = await Promise.all([scanGguf(repo, input, gguf, signal), Promise.all(text.map((target) => scanFile(repo, input, target, undefined, signal)))]);
    const skipped = textOverCap.map((target) => unread(target, `not read: Hub Sentinel reads at most ${maxTextFiles} tokenizer and template files per repo`));
    const shards: ChatTemplateScan[] = laterShards.map((path) => ({
      path,
      source: "gguf",
      status: "read",
      templates: [],
      reason: "a later shard of a split GGUF: runtimes take the chat template from the first shard",
      bytesRead: 0,
      requests: 0,
    }));
    // The model info's template is the Hub's copy of one GGUF's: said once, on the file, when that file was read.
    const readFingerprints = new Set(ggufScans.flatMap((scan) => scan.templates.map((template) => template.fingerprint)));
    const infoOnly = fromInfo.filter((scan) => !scan.templates.every((template) => readFingerprints.has(template.fingerprint)));
    return [...infoOnly, ...ggufScans, ...textScans, ...skipped, ...shards];
  }

  async function readFile(repo: Pick<RepoRef, "type" | "id">, input: { revision: string; file: RepoFile }, signal?: AbortSignal): Promise<ChatTemplateScan | undefined> {
    const { gguf } = selectTemplateTargets([input.file], { maxTextFiles: 0 });
    const [target] = gguf;
    if (!target) return undefined;
    return scanFile(repo, { revision: input.revision }, target, undefined, signal);
  }

  return { scanRepo, readFile };
}

/** The body, up to `cap` bytes; `complete` is false when there was more. Also reads a base model's template file (base-template.ts). */
export async function readBodyUpTo(response: Response, cap: number): Promise<{ bytes: Uint8Array; complete: boolean }> {
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
