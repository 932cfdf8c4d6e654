/**
 * The chat templates in a GGUF file's header (`tokenizer.chat_template`, and the named
 * `tokenizer.chat_template.<name>` variants llama.cpp also reads), through the GGUF metadata
 * reader (lib/readers/gguf/metadata.ts) and a `read(offset, length)` the caller hands in (Range
 * requests without cookies, refusing a server that ignores Range: lib/hub/range-reader.ts).
 *
 * Where the template sits: llama.cpp's converter writes it after the vocabulary (tokens, token
 * types, merges), so the bytes read grow with the vocabulary: about 6 MB for a 128k-token
 * vocabulary (scripts/bench-templates.ts measures it). Token types and scores are stepped over
 * without being fetched; only the metadata is read, never the tensor infos after it.
 */
import { GgufCapError, GgufFormatError, readGgufMetadata } from "../gguf/metadata";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface GgufTemplatesResult {
  ok: true;
  templates: { name: string; template: string }[];
  /** Where the metadata ended: the next quantization of the same model has its template about as far in. */
  metadataEnd: number;
}

export interface GgufReadFailure {
  ok: false;
  kind: "too-large" | "not-gguf";
  message: string;
}

export const GGUF_TEMPLATE_KEY = "tokenizer.chat_template";

export function isGgufTemplateKey(key: string): boolean {
  return key === GGUF_TEMPLATE_KEY || key.startsWith(`${GGUF_TEMPLATE_KEY}.`);
}

export interface ReadGgufTemplatesOptions {
  read(offset: number, length: number): Promise<Uint8Array>;
  maxBytes: number;
  chunkSize: number;
  firstChunk?: number;
}

/** Errors thrown by `read` (network, HTTP, cancellation) are the caller's: they are thrown on. */
export async function readGgufTemplates(options: ReadGgufTemplatesOptions): Promise<GgufTemplatesResult | GgufReadFailure> {
  try {
    const metadata = await readGgufMetadata({ ...options, keep: isGgufTemplateKey });
    const templates: { name: string; template: string }[] = [];
    for (const key of metadata.keys) {
      const value = metadata.values.get(key);
      if (typeof value !== "string") continue;
      templates.push({ name: key === GGUF_TEMPLATE_KEY ? "default" : key.slice(GGUF_TEMPLATE_KEY.length + 1), template: value });
    }
    // The default first, as a loader offers it.
    templates.sort((a, b) => Number(b.name === "default") - Number(a.name === "default"));
    return { ok: true, templates, metadataEnd: metadata.metadataEnd };
  } catch (error) {
    if (error instanceof GgufCapError) return { ok: false, kind: "too-large", message: `its header is longer than the ${formatBytes(options.maxBytes)} the extension reads` };
    if (error instanceof GgufFormatError) return { ok: false, kind: "not-gguf", message: `it could not be read as GGUF (${error.message})` };
    throw error;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
