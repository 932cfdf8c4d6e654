/**
 * Random access for the Keras and HDF5 readers: every byte fetched is counted against a cap, and
 * what was fetched once is served again from memory (the zip directory sits inside the tail read;
 * HDF5 structures sit close together), so a file costs few requests.
 */
import type { ReadAt } from "../zip/zip";

export class ByteCapReached extends Error {
  override readonly name = "ByteCapReached";
  constructor(readonly cap: number) {
    super(`the reader would need more than ${cap} bytes`);
  }
}

export interface BudgetedReader {
  read: ReadAt;
  readonly bytesRead: number;
  readonly requests: number;
}

export interface BudgetedReaderOptions {
  /** The file's size: reads are clipped to it. */
  size: number;
  /** Most bytes fetched over all reads. */
  maxBytes: number;
  /** Fetch at least this many bytes per request (from the asked offset), so neighbours come along; default 0. */
  minFetch?: number;
  signal?: AbortSignal;
}

export function createBudgetedReader(source: ReadAt, options: BudgetedReaderOptions): BudgetedReader {
  const segments: { start: number; bytes: Uint8Array }[] = [];
  let bytesRead = 0;
  let requests = 0;

  function cached(offset: number, length: number): Uint8Array | undefined {
    for (const segment of segments) {
      if (offset >= segment.start && offset + length <= segment.start + segment.bytes.length) {
        return segment.bytes.subarray(offset - segment.start, offset - segment.start + length);
      }
    }
    return undefined;
  }

  async function read(offset: number, length: number): Promise<Uint8Array> {
    if (options.signal?.aborted) throw new DOMException("the read was cancelled", "AbortError");
    const end = Math.min(options.size, offset + length);
    if (offset < 0 || offset >= end) return new Uint8Array(0);
    const wanted = end - offset;
    const hit = cached(offset, wanted);
    if (hit) return hit;
    const fetchLength = Math.min(options.size - offset, Math.max(wanted, options.minFetch ?? 0));
    if (bytesRead + fetchLength > options.maxBytes) {
      // A smaller fetch may still fit: never fetch more than the cap allows, never less than asked.
      if (bytesRead + wanted > options.maxBytes) throw new ByteCapReached(options.maxBytes);
    }
    const take = bytesRead + fetchLength > options.maxBytes ? wanted : fetchLength;
    requests++;
    const bytes = await source(offset, take);
    bytesRead += bytes.length;
    segments.push({ start: offset, bytes });
    return bytes.subarray(0, Math.min(wanted, bytes.length));
  }

  return {
    read,
    get bytesRead() {
      return bytesRead;
    },
    get requests() {
      return requests;
    },
  };
}
