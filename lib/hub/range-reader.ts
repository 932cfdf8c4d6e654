/**
 * Random access to a Hub file over HTTP Range requests, for the pickle reader (lib/readers/pickle).
 *
 * `https://huggingface.co/{repo}/resolve/{rev}/{path}` answers with a redirect to the storage host
 * (LFS/Xet CDN, e.g. cdn-lfs.hf.co or cas-bridge.xethub.hf.co); fetch follows it and keeps the
 * Range header, so the extension's host permissions must cover the storage hosts too. Requests go
 * without cookies (`credentials: "omit"`): public files need none, and a signed-in session must not
 * ride along to a third-party host. A server that ignores Range (200 with the whole file) is
 * reported as an error after at most `length` bytes, never downloaded in full.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RangeReaderOptions {
  fetch: FetchLike;
  url: string;
  signal?: AbortSignal;
}

export interface RangeReader {
  /** `length` bytes at `offset` (fewer only at the end of the file). Throws RangeReadError. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Total size, once a response's Content-Range said it. */
  readonly size: number | undefined;
  /** Body bytes received so far, over all requests (including bytes of refused answers). */
  readonly bytesTransferred: number;
  readonly requests: number;
  /** Where the last request ended up after redirects (the storage host), when known. */
  readonly finalUrl: string | undefined;
}

export type RangeReadErrorKind = "range-ignored" | "http" | "bad-range" | "network" | "aborted";

export class RangeReadError extends Error {
  override readonly name = "RangeReadError";
  constructor(
    readonly kind: RangeReadErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** `bytes 0-99/1234` → { start: 0, end: 99, total: 1234 }; total undefined for `*`. */
export function parseContentRange(header: string | null): { start: number; end: number; total: number | undefined } | undefined {
  const match = header === null ? null : /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (match === null) return undefined;
  const [, start = "", end = "", total = ""] = match;
  return { start: Number(start), end: Number(end), total: total === "*" ? undefined : Number(total) };
}

export function createRangeReader(options: RangeReaderOptions): RangeReader {
  let size: number | undefined;
  let bytesTransferred = 0;
  let requests = 0;
  let finalUrl: string | undefined;

  /** Reads at most `limit` body bytes, then cancels the rest of the body. */
  async function readBody(response: Response, limit: number): Promise<Uint8Array> {
    const body = response.body;
    if (body === null) return new Uint8Array(0);
    const reader = body.getReader();
    const parts: Uint8Array[] = [];
    let total = 0;
    try {
      while (total < limit) {
        const { value, done } = await reader.read();
        if (done) break;
        bytesTransferred += value.length;
        parts.push(value);
        total += value.length;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    const out = new Uint8Array(Math.min(total, limit));
    let at = 0;
    for (const part of parts) {
      const take = Math.min(part.length, out.length - at);
      out.set(part.subarray(0, take), at);
      at += take;
      if (at >= out.length) break;
    }
    return out;
  }

  async function read(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length <= 0) {
      throw new RangeReadError("bad-range", `invalid range: ${length} bytes at ${offset}`);
    }
    if (size !== undefined && offset >= size) return new Uint8Array(0);
    const end = offset + length - 1;
    requests += 1;
    let response: Response;
    try {
      response = await options.fetch(options.url, {
        headers: { Range: `bytes=${offset}-${end}` },
        credentials: "omit",
        redirect: "follow",
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      if (options.signal?.aborted === true) throw new RangeReadError("aborted", "the read was cancelled");
      throw new RangeReadError("network", `network error reading ${options.url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.url !== "") finalUrl = response.url;
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get("Content-Range"));
      if (range === undefined) {
        await response.body?.cancel().catch(() => undefined);
        throw new RangeReadError("bad-range", "206 answer without a valid Content-Range", 206);
      }
      if (range.total !== undefined) size = range.total;
      if (range.start !== offset) {
        await response.body?.cancel().catch(() => undefined);
        throw new RangeReadError("bad-range", `asked for bytes from ${offset}, got bytes from ${range.start}`, 206);
      }
      return readBody(response, Math.min(length, range.end - range.start + 1));
    }
    if (response.status === 200) {
      // The server ignored Range and is sending the whole file: take no more than was asked, then stop.
      await readBody(response, length);
      throw new RangeReadError(
        "range-ignored",
        `the server ignored the Range request (200 with the whole file${response.headers.get("Content-Length") === null ? "" : `, ${response.headers.get("Content-Length")} bytes`}); reading stopped`,
        200,
      );
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 416) {
      // "bytes */1234": the unsatisfied-range form still tells the size.
      const total = /\/(\d+)\s*$/.exec(response.headers.get("Content-Range") ?? "")?.[1];
      if (total !== undefined) size = Number(total);
      throw new RangeReadError("bad-range", `range not satisfiable: ${length} bytes at ${offset}${size === undefined ? "" : ` (file is ${size} bytes)`}`, 416);
    }
    throw new RangeReadError("http", `HTTP ${response.status} reading ${options.url}`, response.status);
  }

  return {
    read,
    get size() {
      return size;
    },
    get bytesTransferred() {
      return bytesTransferred;
    },
    get requests() {
      return requests;
    },
    get finalUrl() {
      return finalUrl;
    },
  };
}
