/**
 * The chat templates in a GGUF file's header (`tokenizer.chat_template`, and the named
 * `tokenizer.chat_template.<name>` variants llama.cpp also reads), read with `@huggingface/gguf`,
 * the Hub's own parser for remote GGUF files, through a fetch of ours:
 *
 * - no cookies (`credentials: "omit"`), the caller's signal, redirects to the storage hosts followed;
 * - only 206 answers are accepted: a server that ignores Range would otherwise send gigabytes into
 *   the parser's `arrayBuffer()`; its body is cancelled instead;
 * - a byte cap: the parser asks for 2 MB chunks until the header (metadata and tensor infos)
 *   ends, so a header longer than the cap is reported as too large, and the file as unchecked.
 *
 * Where the template sits: llama.cpp's converter writes it after the vocabulary (tokens, scores,
 * token types, merges), so the bytes read grow with the vocabulary: about 6 MB for a 128k-token
 * vocabulary (scripts/bench-templates.ts measures it).
 */
import { gguf } from "@huggingface/gguf";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface GgufTemplatesResult {
  ok: true;
  templates: { name: string; template: string }[];
  bytesRead: number;
  requests: number;
}

export interface GgufReadFailure {
  ok: false;
  kind: "too-large" | "not-gguf" | "http" | "network" | "aborted";
  message: string;
  bytesRead: number;
  requests: number;
}

export const GGUF_TEMPLATE_KEY = "tokenizer.chat_template";

class CapReached extends Error {}
class HttpFailure extends Error {}

export async function readGgufTemplates(options: { fetch: FetchLike; url: string; maxBytes: number; signal?: AbortSignal }): Promise<GgufTemplatesResult | GgufReadFailure> {
  let bytesRead = 0;
  let requests = 0;
  const cappedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const range = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get("Range") ?? "");
    const wanted = range ? Number(range[2]) - Number(range[1]) + 1 : Infinity;
    if (bytesRead >= options.maxBytes || (range !== null && Number(range[1]) >= options.maxBytes)) throw new CapReached();
    requests += 1;
    const response = await options.fetch(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, {
      headers: new Headers(init?.headers),
      credentials: "omit",
      redirect: "follow",
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (response.status !== 206) {
      await response.body?.cancel().catch(() => undefined);
      throw new HttpFailure(response.status === 200 ? "the server ignored the Range request; reading stopped" : `HTTP ${response.status}`);
    }
    const limit = Math.min(wanted, options.maxBytes - bytesRead);
    const body = await readAtMost(response, limit, (count) => (bytesRead += count));
    return new Response(body, { status: 206, headers: { "content-range": response.headers.get("content-range") ?? "" } });
  };
  try {
    const { metadata } = await gguf(options.url, { fetch: cappedFetch });
    const templates: { name: string; template: string }[] = [];
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") continue;
      if (key === GGUF_TEMPLATE_KEY) templates.push({ name: "default", template: value });
      else if (key.startsWith(`${GGUF_TEMPLATE_KEY}.`)) templates.push({ name: key.slice(GGUF_TEMPLATE_KEY.length + 1), template: value });
    }
    return { ok: true, templates, bytesRead, requests };
  } catch (error) {
    const failure = (kind: GgufReadFailure["kind"], message: string): GgufReadFailure => ({ ok: false, kind, message, bytesRead, requests });
    if (options.signal?.aborted) return failure("aborted", "cancelled");
    if (error instanceof CapReached) return failure("too-large", `its header is longer than the ${formatBytes(options.maxBytes)} the extension reads`);
    if (error instanceof HttpFailure) return failure("http", error.message);
    if (error instanceof TypeError) return failure("network", `network error: ${error.message}`);
    // The parser's own refusals: bad magic, unsupported version, counts beyond its limits, a truncated header.
    return failure("not-gguf", `it could not be read as GGUF (${error instanceof Error ? error.message : String(error)})`);
  }
}

async function readAtMost(response: Response, limit: number, onBytes: (count: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      const take = value.subarray(0, Math.min(value.length, limit - total));
      onBytes(value.length);
      parts.push(take);
      total += take.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
