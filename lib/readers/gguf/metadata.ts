/**
 * A GGUF header's key/value metadata, read through a `read(offset, length)` the caller hands in
 * (HTTP Range requests on the Hub), in chunks of a size the caller chooses, up to the end of the
 * metadata and no further (GGUF spec, ggml docs/gguf.md: magic, version, tensor count, KV count,
 * the KV pairs, then the tensor infos and the data).
 *
 * Why our own and not `@huggingface/gguf` (which the tests keep as the cross-check): that parser
 * asks for fixed 2 MB chunks (`HTTP_CHUNK_SIZE`, no option) and parses the whole header, tensor
 * infos included, so reading one template cost up to 2 MB past it, and the same again for every
 * file of a repo with 25 quantizations. Here:
 * - the chunk size is an option, and the first request can be sized from a hint (the quantizations
 *   of one model share their tokenizer, so their headers are the same length to within bytes);
 * - values are decoded only for the keys asked for; arrays of fixed-size values (token types,
 *   scores: 512 KB each for a 128k vocabulary) are stepped over without being fetched;
 * - reading ends with the last KV pair. The chat template is written among the last keys by
 *   llama.cpp's converter (after the vocabulary), so the end of the metadata is within a few
 *   hundred bytes of the template's end; stopping at the template key itself would leave room for a
 *   named template (`tokenizer.chat_template.<name>`) placed behind another key, which llama.cpp
 *   would still load. The tensor infos after the metadata cannot hold a template and are not read.
 *
 * Nothing is trusted: every count and length is checked against the byte cap before it is used,
 * versions 1 to 3 in either byte order are read as the spec and `@huggingface/gguf` read them.
 */

export type GgufValue = string | number | bigint | boolean | GgufValue[];

export interface GgufMetadataOptions {
  /** `length` bytes at `offset`, fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Bytes asked per request. */
  chunkSize: number;
  /** Bytes asked by the first request, when the caller expects a header of about that length. */
  firstChunk?: number;
  /** No byte at or past this offset is read: a header that needs more is `too-large`. */
  maxBytes: number;
  /** Keys whose values are decoded and returned; every other value is walked over. */
  keep(key: string): boolean;
}

export interface GgufMetadata {
  version: 1 | 2 | 3;
  littleEndian: boolean;
  tensorCount: bigint;
  /** Every key, in file order. */
  keys: string[];
  /** The values of the kept keys. */
  values: Map<string, GgufValue>;
  /** The offset just past the last KV pair: where the tensor infos begin. */
  metadataEnd: number;
}

export class GgufFormatError extends Error {
  override readonly name = "GgufFormatError";
}

export class GgufCapError extends Error {
  override readonly name = "GgufCapError";
  constructor(readonly maxBytes: number) {
    super(`the metadata runs past the ${maxBytes} bytes read`);
  }
}

const TYPE = { UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12 } as const;
const FIXED_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
/** The spec allows nesting; real files nest one level at most. `@huggingface/gguf` stops at 4 too. */
const MAX_ARRAY_DEPTH = 4;
/** As `@huggingface/gguf`: more keys than this is not a model's header. */
const MAX_KV_COUNT = 100_000;
/** Longest key name: the spec says 65,535 bytes. */
const MAX_KEY_BYTES = 65_535;

/** A forward-only window over the file: bytes before the window are dropped once passed. */
class Cursor {
  private start = 0;
  private bytes = new Uint8Array(0);
  private view = new DataView(this.bytes.buffer);
  private requests = 0;
  offset = 0;

  constructor(private readonly options: GgufMetadataOptions) {}

  /** Makes `[offset, offset + length)` available, fetching from the window's end (or the offset, after a skip). */
  async ensure(length: number): Promise<void> {
    const end = this.offset + length;
    if (end > this.options.maxBytes) throw new GgufCapError(this.options.maxBytes);
    const windowEnd = this.start + this.bytes.length;
    if (this.offset >= this.start && end <= windowEnd) return;
    const keepFrom = this.offset >= this.start && this.offset < windowEnd ? this.offset : undefined;
    const fetchFrom = keepFrom === undefined ? this.offset : windowEnd;
    // The first request may be sized to the header the caller expects (smaller or larger than a chunk).
    const wanted = this.requests === 0 && this.options.firstChunk !== undefined ? this.options.firstChunk : this.options.chunkSize;
    const ask = Math.min(Math.max(wanted, end - fetchFrom), this.options.maxBytes - fetchFrom);
    this.requests++;
    const fresh = await this.options.read(fetchFrom, ask);
    const kept = keepFrom === undefined ? new Uint8Array(0) : this.bytes.subarray(keepFrom - this.start);
    const joined = new Uint8Array(kept.length + fresh.length);
    joined.set(kept, 0);
    joined.set(fresh, kept.length);
    this.start = keepFrom ?? fetchFrom;
    this.bytes = joined;
    this.view = new DataView(joined.buffer, joined.byteOffset, joined.byteLength);
    if (end > this.start + this.bytes.length) throw new GgufFormatError("the file ends inside its metadata");
  }

  private at(): number {
    return this.offset - this.start;
  }

  async u8(): Promise<number> {
    await this.ensure(1);
    const value = this.view.getUint8(this.at());
    this.offset += 1;
    return value;
  }

  async u32(littleEndian: boolean): Promise<number> {
    await this.ensure(4);
    const value = this.view.getUint32(this.at(), littleEndian);
    this.offset += 4;
    return value;
  }

  async u64(littleEndian: boolean): Promise<bigint> {
    await this.ensure(8);
    const value = this.view.getBigUint64(this.at(), littleEndian);
    this.offset += 8;
    return value;
  }

  async scalar(type: number, littleEndian: boolean): Promise<number | bigint | boolean> {
    const size = FIXED_SIZE[type] ?? 0;
    await this.ensure(size);
    const at = this.at();
    const view = this.view;
    this.offset += size;
    switch (type) {
      case TYPE.UINT8:
        return view.getUint8(at);
      case TYPE.INT8:
        return view.getInt8(at);
      case TYPE.UINT16:
        return view.getUint16(at, littleEndian);
      case TYPE.INT16:
        return view.getInt16(at, littleEndian);
      case TYPE.UINT32:
        return view.getUint32(at, littleEndian);
      case TYPE.INT32:
        return view.getInt32(at, littleEndian);
      case TYPE.FLOAT32:
        return view.getFloat32(at, littleEndian);
      case TYPE.BOOL:
        return view.getUint8(at) !== 0;
      case TYPE.UINT64:
        return view.getBigUint64(at, littleEndian);
      case TYPE.INT64:
        return view.getBigInt64(at, littleEndian);
      default:
        return view.getFloat64(at, littleEndian);
    }
  }

  async text(length: number): Promise<string> {
    await this.ensure(length);
    const value = DECODER.decode(this.bytes.subarray(this.at(), this.at() + length));
    this.offset += length;
    return value;
  }

  /** Steps over `length` bytes without fetching them (the next read starts after them). */
  skip(length: number): void {
    if (this.offset + length > this.options.maxBytes) throw new GgufCapError(this.options.maxBytes);
    this.offset += length;
  }
}

const DECODER = new TextDecoder("utf-8");

export async function readGgufMetadata(options: GgufMetadataOptions): Promise<GgufMetadata> {
  const cursor = new Cursor(options);
  await cursor.ensure(8);
  const magic = [await cursor.u8(), await cursor.u8(), await cursor.u8(), await cursor.u8()];
  if (String.fromCharCode(...magic) !== "GGUF") throw new GgufFormatError("it does not start with the GGUF magic number");
  // The version is written in the file's byte order: a big-endian file's reads as a huge number little-endian.
  const raw = await cursor.u32(true);
  const littleEndian = (raw & 0xffff) !== 0;
  const version = littleEndian ? raw : ((raw >>> 24) | ((raw >>> 8) & 0xff00)) >>> 0;
  if (version !== 1 && version !== 2 && version !== 3) throw new GgufFormatError(`GGUF version ${version} is not one the extension reads (1 to 3)`);
  /** Counts and lengths: 32 bits in version 1, 64 bits since. */
  const size = async (): Promise<number> => {
    const value = version === 1 ? BigInt(await cursor.u32(littleEndian)) : await cursor.u64(littleEndian);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufFormatError("a count or length is larger than any file");
    return Number(value);
  };
  const tensorCount = BigInt(await size());
  const kvCount = await size();
  if (kvCount > MAX_KV_COUNT) throw new GgufFormatError(`it declares ${kvCount} metadata keys`);

  const string = async (keepValue: boolean): Promise<string | undefined> => {
    const length = await size();
    if (!keepValue) {
      cursor.skip(length);
      return undefined;
    }
    return cursor.text(length);
  };

  const value = async (type: number, keepValue: boolean, depth: number): Promise<GgufValue | undefined> => {
    if (type === TYPE.STRING) return string(keepValue);
    if (type === TYPE.ARRAY) {
      if (depth >= MAX_ARRAY_DEPTH) throw new GgufFormatError(`arrays nested deeper than ${MAX_ARRAY_DEPTH}`);
      const elementType = await cursor.u32(littleEndian);
      const count = await size();
      const fixed = FIXED_SIZE[elementType];
      if (fixed !== undefined && !keepValue) {
        // Token types, scores: stepped over unread.
        cursor.skip(count * fixed);
        return undefined;
      }
      if (fixed === undefined && elementType !== TYPE.STRING && elementType !== TYPE.ARRAY) throw new GgufFormatError(`unknown array element type ${elementType}`);
      const items: GgufValue[] = [];
      for (let index = 0; index < count; index++) {
        const item = await value(elementType, keepValue, depth + 1);
        if (keepValue && item !== undefined) items.push(item);
      }
      return keepValue ? items : undefined;
    }
    if (FIXED_SIZE[type] === undefined) throw new GgufFormatError(`unknown value type ${type}`);
    if (!keepValue) {
      cursor.skip(FIXED_SIZE[type]);
      return undefined;
    }
    return cursor.scalar(type, littleEndian);
  };

  const keys: string[] = [];
  const values = new Map<string, GgufValue>();
  for (let index = 0; index < kvCount; index++) {
    const keyLength = await size();
    if (keyLength > MAX_KEY_BYTES) throw new GgufFormatError(`a key name of ${keyLength} bytes`);
    const key = await cursor.text(keyLength);
    const type = await cursor.u32(littleEndian);
    const keepValue = options.keep(key);
    const read = await value(type, keepValue, 0);
    keys.push(key);
    if (keepValue && read !== undefined) values.set(key, read);
  }
  return { version, littleEndian, tensorCount, keys, values, metadataEnd: cursor.offset };
}
