/**
 * Reads the chat templates a repo ships (issue 16) so the `chat-template` rule can judge them:
 *
 * - GGUF files: `tokenizer.chat_template*` from the header, by Range requests through
 *   @huggingface/gguf (lib/readers/chat-template/gguf-header.ts), up to a byte cap per file (16 MB: a
 *   128k-token vocabulary puts the template about 6 MB in). Later shards of a split GGUF are not
 *   read: llama.cpp takes the metadata, template included, from the first shard.
 * - `tokenizer_config.json`, `chat_template.jinja`, `chat_template.json`: small files, read whole
 *   up to a cap.
 * - The model info's `gguf.chat_template`, when the Hub sent one: judged without a request.
 *
 * Like the own pickle scans, these are not API requests: they go to `resolve/{sha}/{path}` and the
 * storage hosts with the plain fetch, without cookies, with their own concurrency limit, time limit
 * and caps, and stop with the tab's signal. Results are cached by content: a GGUF by its LFS
 * sha256, a small file by its path at the commit sha. Files past a cap or that failed to read are
 * `unread` (the rule says `unknown`), never clean.
 */
import { readGgufTemplates, formatBytes, type FetchLike } from "../readers/chat-template/gguf-header";
import { judgeNamed, templatesOfText } from "../readers/chat-template/sources";
import type { ChatTemplateScan } from "../readers/chat-template/types";
import type { RepoRef } from "../repo-ref";
import type { FactCache } from "./cache";
import { readThroughCache } from "./cached-file-read";
import type { RepoFile } from "./facts";
import { chatTemplateFileKind, isGgufFormat } from "./file-kinds";
import { createLimiter, withTimeout } from "./limits";
import { resolveUrl } from "./own-scans";

export interface TemplateScannerOptions {
  fetch: FetchLike;
  hubUrl: string;
  cache: FactCache;
  /** Most header bytes read per GGUF file; a longer header leaves the file unread. */
  maxGgufBytes?: number;
  /** Most bytes read of a tokenizer_config.json or template file. */
  maxTextBytes?: number;
  /** GGUF files read per repo (first shards and single files). */
  maxGgufFiles?: number;
  /** Template text files read per repo. */
  maxTextFiles?: number;
  /** Files read at the same time, over all repos. */
  concurrency?: number;
  /** Time allowed per file, all its requests together. */
  timeoutMs?: number;
}

export const TEMPLATE_SCAN_DEFAULTS = {
  maxGgufBytes: 16 * 1024 * 1024,
  maxTextBytes: 2 * 1024 * 1024,
  maxGgufFiles: 4,
  maxTextFiles: 8,
  concurrency: 2,
  timeoutMs: 30_000,
} as const;

const DAY = 24 * 60 * 60 * 1000;
export const TEMPLATE_SCAN_TTL = { settled: 30 * DAY, movable: 60 * 60 * 1000, failed: 30_000 } as const;

/** `model-00002-of-00005.gguf`: the shard number and count of a split GGUF. */
const SHARD = /-(\d{5})-of-(\d{5})\.gguf$/i;
const COMMIT_SHA = /^[0-9a-f]{40}$/i;

export interface TemplateTarget {
  path: string;
  kind: "gguf" | "tokenizer-config" | "jinja" | "chat-template-json";
  lfsOid?: string;
}

export function selectTemplateTargets(files: readonly RepoFile[], caps: { maxGgufFiles: number; maxTextFiles: number }) {
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
  return {
    targets: [...gguf.slice(0, caps.maxGgufFiles), ...text.slice(0, caps.maxTextFiles)],
    overCap: [...gguf.slice(caps.maxGgufFiles), ...text.slice(caps.maxTextFiles)],
    laterShards,
  };
}

export function templateScanCacheKey(repo: Pick<RepoRef, "type" | "id">, revision: string, target: TemplateTarget): string {
  // v2: scans keep the template text (issue 26); a v1 scan, stored without it, could not be compared.
  return target.lfsOid ? `chat-template:v2:lfs:${target.lfsOid}` : `chat-template:v2:path:${repo.type}:${repo.id}@${revision}:${target.path}`;
}

function unread(target: TemplateTarget, reason: string, bytesRead = 0, requests = 0): ChatTemplateScan {
  return { path: target.path, source: target.kind, status: "unread", templates: [], reason, bytesRead, requests };
}

function isChatTemplateScan(value: unknown): value is ChatTemplateScan {
  if (typeof value !== "object" || value === null) return false;
  const scan = value as Partial<ChatTemplateScan>;
  return typeof scan.path === "string" && (scan.status === "read" || scan.status === "unread") && Array.isArray(scan.templates) && typeof scan.bytesRead === "number";
}

export interface TemplateScanner {
  /** Undefined when the repo has no template source at all (the facts then carry no `chatTemplates`). */
  scanRepo(
    repo: Pick<RepoRef, "type" | "id">,
    input: { revision: string; files: readonly RepoFile[]; ggufChatTemplate?: string },
    signal?: AbortSignal,
  ): Promise<ChatTemplateScan[] | undefined>;
}

export function createTemplateScanner(options: TemplateScannerOptions): TemplateScanner {
  const maxGgufBytes = options.maxGgufBytes ?? TEMPLATE_SCAN_DEFAULTS.maxGgufBytes;
  const maxTextBytes = options.maxTextBytes ?? TEMPLATE_SCAN_DEFAULTS.maxTextBytes;
  const maxGgufFiles = options.maxGgufFiles ?? TEMPLATE_SCAN_DEFAULTS.maxGgufFiles;
  const maxTextFiles = options.maxTextFiles ?? TEMPLATE_SCAN_DEFAULTS.maxTextFiles;
  const timeoutMs = options.timeoutMs ?? TEMPLATE_SCAN_DEFAULTS.timeoutMs;
  const limit = createLimiter(options.concurrency ?? TEMPLATE_SCAN_DEFAULTS.concurrency);

  async function readGguf(url: string, target: TemplateTarget, signal: AbortSignal): Promise<{ scan: ChatTemplateScan; failed: boolean }> {
    const result = await readGgufTemplates({ fetch: options.fetch, url, maxBytes: maxGgufBytes, signal });
    if (!result.ok) {
      const reason = signal.aborted && result.kind === "aborted" ? `reading stopped after ${timeoutMs / 1000} s or was cancelled` : `not read: ${result.message}`;
      return { scan: unread(target, reason, result.bytesRead, result.requests), failed: result.kind !== "too-large" && result.kind !== "not-gguf" };
    }
    const scan: ChatTemplateScan = { path: target.path, source: "gguf", status: "read", templates: judgeNamed(result.templates), bytesRead: result.bytesRead, requests: result.requests };
    if (result.templates.length === 0) scan.reason = "the header has no chat template";
    return { scan, failed: false };
  }

  async function readText(url: string, target: TemplateTarget & { kind: "tokenizer-config" | "jinja" | "chat-template-json" }, signal: AbortSignal): Promise<{ scan: ChatTemplateScan; failed: boolean }> {
    let response: Response;
    try {
      response = await options.fetch(url, { credentials: "omit", redirect: "follow", signal });
    } catch (error) {
      const reason = signal.aborted ? "cancelled or timed out" : `network error: ${error instanceof Error ? error.message : String(error)}`;
      return { scan: unread(target, `not read: ${reason}`, 0, 1), failed: true };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { scan: unread(target, `not read: HTTP ${response.status}`, 0, 1), failed: true };
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

  async function scanFile(repo: Pick<RepoRef, "type" | "id">, revision: string, target: TemplateTarget, signal?: AbortSignal): Promise<ChatTemplateScan> {
    const immutable = target.lfsOid !== undefined || COMMIT_SHA.test(revision);
    const cached = await readThroughCache<ChatTemplateScan>({
      cache: options.cache,
      key: templateScanCacheKey(repo, revision, target),
      limit,
      cancelled: () => unread(target, "cancelled"),
      read: async (loadSignal) => {
        const timer = withTimeout(loadSignal, timeoutMs);
        try {
          const url = resolveUrl(options.hubUrl, repo, revision, target.path);
          const { kind } = target;
          const outcome = kind === "gguf" ? await readGguf(url, target, timer.signal) : await readText(url, { ...target, kind }, timer.signal);
          if (timer.timedOut() && outcome.scan.status === "unread") outcome.scan.reason = `not read: reading stopped after ${timeoutMs / 1000} s`;
          return { scan: outcome.scan, failed: outcome.failed || timer.timedOut() };
        } finally {
          timer.dispose();
        }
      },
      ttl: (_scan, failed) => (failed ? TEMPLATE_SCAN_TTL.failed : immutable ? TEMPLATE_SCAN_TTL.settled : TEMPLATE_SCAN_TTL.movable),
      ...(signal ? { signal } : {}),
    });
    // A stored value from another version (or a damaged store) is not trusted: say it was not read.
    const scan = isChatTemplateScan(cached) ? cached : unread(target, "not read: the cached result could not be used; reload the page");
    // Cached by content: the same bytes may sit at another path.
    return { ...scan, path: target.path };
  }

  async function scanRepo(
    repo: Pick<RepoRef, "type" | "id">,
    input: { revision: string; files: readonly RepoFile[]; ggufChatTemplate?: string },
    signal?: AbortSignal,
  ): Promise<ChatTemplateScan[] | undefined> {
    const { targets, overCap, laterShards } = selectTemplateTargets(input.files, { maxGgufFiles, maxTextFiles });
    const fromInfo: ChatTemplateScan[] =
      input.ggufChatTemplate === undefined
        ? []
        : [{ path: "", source: "model-info", status: "read", templates: judgeNamed([{ name: "default", template: input.ggufChatTemplate }]), bytesRead: 0, requests: 0 }];
    if (targets.length === 0 && overCap.length === 0 && laterShards.length === 0 && fromInfo.length === 0) return undefined;
    const scans = await Promise.all(targets.map((target) => scanFile(repo, input.revision, target, signal)));
    const skipped = overCap.map((target) =>
      unread(target, `not read: Hub Sentinel reads at most ${target.kind === "gguf" ? `${maxGgufFiles} GGUF files` : `${maxTextFiles} tokenizer and template files`} per repo`),
    );
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
    const readFingerprints = new Set(scans.flatMap((scan) => (scan.source === "gguf" ? scan.templates.map((template) => template.fingerprint) : [])));
    const infoOnly = fromInfo.filter((scan) => !scan.templates.every((template) => readFingerprints.has(template.fingerprint)));
    return [...infoOnly, ...scans, ...skipped, ...shards];
  }

  return { scanRepo };
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
