/**
 * Just enough of the zip format (PKWARE APPNOTE 6.3.10) to find and read members over a
 * random-access reader: end of central directory (EOCD), ZIP64 locator and record, central
 * directory entries, local headers, stored and deflated member data.
 *
 * Only the directory and the members asked for are read, so the PyTorch zip of a multi-GB
 * checkpoint costs a few reads. Format problems throw ZipFormatError; the scanner turns them
 * into an `unknown` verdict.
 */

/** Reads `length` bytes at `offset` (fewer only at the end of the file). */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; others are not supported. */
  method: number;
  flags: number;
  /** CRC-32 of the uncompressed data, as the central directory gives it. */
  crc32: number;
  /** Header ids of the central directory entry's extra fields (1 ZIP64, 0x9901 AES, 0x0017 strong encryption, …). */
  extraIds: number[];
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  isDirectory: boolean;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** True when the archive carries a ZIP64 end of central directory. */
  zip64: boolean;
  centralDirectoryOffset: number;
  centralDirectorySize: number;
}

export class ZipFormatError extends Error {
  override readonly name = "ZipFormatError";
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
/** APPNOTE 4.3.11: precedes a central directory that is itself encrypted (strong encryption, flag bit 13). */
const ARCHIVE_EXTRA_DATA_SIGNATURE = 0x08064b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
/** The EOCD comment is at most 65535 bytes, so the EOCD starts within the last 64 KiB + 22 bytes. */
const EOCD_SEARCH = 0xffff + EOCD_SIZE;

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

export interface ZipDirectoryOptions {
  /** Refuse a central directory larger than this (bytes); default 16 MiB. */
  maxCentralDirectoryBytes?: number;
  /** Refuse more entries than this; default 100 000. */
  maxEntries?: number;
  /** Look for the EOCD in this many last bytes first (default FIRST_TAIL_BYTES), the full 64 KiB only when it is not there. */
  firstTailBytes?: number;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(data: DataView, at: number): number {
  const value = data.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError(`a 64-bit field is too large (${value})`);
  return Number(value);
}

async function readExactly(read: ReadAt, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await read(offset, length);
  if (bytes.length < length) throw new ZipFormatError(`${what} is cut short (wanted ${length} bytes at ${offset}, got ${bytes.length})`);
  return bytes.length === length ? bytes : bytes.subarray(0, length);
}

/**
 * The first look at the end of an archive. Writers of model files (torch.save, numpy.savez) leave no
 * comment, so the EOCD is the last 22 bytes, usually with the ZIP64 records and a short central directory
 * just before it: a few KB answer for most files, and the full 64 KiB comment range is read only when
 * the EOCD is not in them.
 */
export const FIRST_TAIL_BYTES = 8 * 1024;

/** Finds the EOCD in the file's last bytes: prefer one whose comment ends exactly at the end of the file. */
function findEocd(tail: Uint8Array): { at: number; exact: boolean } {
  const data = view(tail);
  let fallback = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (data.getUint32(i, true) !== EOCD_SIGNATURE) continue;
    const commentLength = data.getUint16(i + 20, true);
    if (i + EOCD_SIZE + commentLength === tail.length) return { at: i, exact: true };
    if (fallback < 0 && i + EOCD_SIZE + commentLength <= tail.length) fallback = i;
  }
  return { at: fallback, exact: false };
}

/** The EOCD: first in a small tail, then, only when not found exactly there, in the whole comment range. */
async function locateEocd(read: ReadAt, size: number, firstTail: number): Promise<{ tail: Uint8Array; tailStart: number; eocdAt: number }> {
  const smallStart = Math.max(0, size - Math.min(EOCD_SEARCH, Math.max(EOCD_SIZE, firstTail)));
  const small = await readExactly(read, smallStart, size - smallStart, "the end of the archive");
  const first = findEocd(small);
  if (first.exact || smallStart === 0) return { tail: small, tailStart: smallStart, eocdAt: first.at };
  const tailStart = Math.max(0, size - EOCD_SEARCH);
  const tail = await readExactly(read, tailStart, size - tailStart, "the end of the archive");
  return { tail, tailStart, eocdAt: findEocd(tail).at };
}

export async function readZipDirectory(read: ReadAt, size: number, options: ZipDirectoryOptions = {}): Promise<ZipDirectory> {
  const maxCdBytes = options.maxCentralDirectoryBytes ?? 16 * 1024 * 1024;
  const maxEntries = options.maxEntries ?? 100_000;
  if (size < EOCD_SIZE) throw new ZipFormatError("too small to be a zip archive");
  const { tail, tailStart, eocdAt } = await locateEocd(read, size, options.firstTailBytes ?? FIRST_TAIL_BYTES);
  if (eocdAt < 0) throw new ZipFormatError("no end of central directory record (truncated or not a zip)");
  const eocd = view(tail.subarray(eocdAt, eocdAt + EOCD_SIZE));
  const eocdOffset = tailStart + eocdAt;
  const disk = eocd.getUint16(4, true);
  const cdDisk = eocd.getUint16(6, true);
  let entryCount = eocd.getUint16(10, true);
  let cdSize = eocd.getUint32(12, true);
  let cdOffset = eocd.getUint32(16, true);
  let zip64 = false;
  let directoryEnd = eocdOffset;

  // ZIP64: a locator sits just before the EOCD and points at the ZIP64 EOCD record.
  const locatorAt = eocdOffset - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0) {
    const locatorBytes =
      locatorAt >= tailStart ? tail.subarray(locatorAt - tailStart, eocdAt) : await readExactly(read, locatorAt, ZIP64_LOCATOR_SIZE, "the ZIP64 locator");
    const locator = view(locatorBytes);
    if (locator.getUint32(0, true) === ZIP64_LOCATOR_SIGNATURE) {
      const recordOffset = u64(locator, 8);
      if (locator.getUint32(16, true) > 1) throw new ZipFormatError("split (multi-disk) archives are not supported");
      if (recordOffset + ZIP64_EOCD_SIZE > locatorAt) throw new ZipFormatError("the ZIP64 locator points outside the archive");
      const record = view(await readExactly(read, recordOffset, ZIP64_EOCD_SIZE, "the ZIP64 end of central directory"));
      if (record.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) throw new ZipFormatError("the ZIP64 locator does not point at a ZIP64 record");
      if (record.getUint32(16, true) !== 0 || record.getUint32(20, true) !== 0) {
        throw new ZipFormatError("split (multi-disk) archives are not supported");
      }
      entryCount = u64(record, 32);
      cdSize = u64(record, 40);
      cdOffset = u64(record, 48);
      zip64 = true;
      directoryEnd = recordOffset;
    }
  }
  if (!zip64 && (disk !== 0 || cdDisk !== 0)) throw new ZipFormatError("split (multi-disk) archives are not supported");
  if (!zip64 && (entryCount === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)) {
    throw new ZipFormatError("the archive needs ZIP64 but has no ZIP64 record");
  }
  if (cdOffset + cdSize > directoryEnd) throw new ZipFormatError("the central directory lies outside the archive");
  if (cdSize > maxCdBytes) throw new ZipFormatError(`the central directory is too large (${cdSize} bytes)`);
  if (entryCount > maxEntries) throw new ZipFormatError(`too many entries (${entryCount})`);

  const cd = cdSize === 0 ? new Uint8Array(0) : await readExactly(read, cdOffset, cdSize, "the central directory");
  if (cd.length >= 4 && view(cd).getUint32(0, true) === ARCHIVE_EXTRA_DATA_SIGNATURE) {
    throw new ZipFormatError("the central directory is encrypted (strong encryption of the directory), so the archive's members cannot be listed");
  }
  const entries = parseCentralDirectory(cd, entryCount, directoryEnd);
  return { entries, zip64, centralDirectoryOffset: cdOffset, centralDirectorySize: cdSize };
}

const nameDecoder = new TextDecoder("utf-8");

function parseCentralDirectory(cd: Uint8Array, entryCount: number, archiveLimit: number): ZipEntry[] {
  const data = view(cd);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let index = 0; index < entryCount; index++) {
    if (at + CENTRAL_SIZE > cd.length) throw new ZipFormatError(`central directory entry ${index} is cut short`);
    if (data.getUint32(at, true) !== CENTRAL_SIGNATURE) throw new ZipFormatError(`central directory entry ${index} has a bad signature`);
    const flags = data.getUint16(at + 8, true);
    const method = data.getUint16(at + 10, true);
    const crc32 = data.getUint32(at + 16, true);
    let compressedSize = data.getUint32(at + 20, true);
    let uncompressedSize = data.getUint32(at + 24, true);
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const diskStart = data.getUint16(at + 34, true);
    let localHeaderOffset = data.getUint32(at + 42, true);
    const end = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (end > cd.length) throw new ZipFormatError(`central directory entry ${index} is cut short`);
    const name = nameDecoder.decode(cd.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength));
    // ZIP64 extended information (header id 1): the fields whose 32-bit value is all ones, in order.
    const extra = cd.subarray(at + CENTRAL_SIZE + nameLength, at + CENTRAL_SIZE + nameLength + extraLength);
    const extraView = view(extra);
    const extraIds: number[] = [];
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extraView.getUint16(e, true);
      const length = extraView.getUint16(e + 2, true);
      if (e + 4 + length > extra.length) break;
      extraIds.push(id);
      if (id === 0x0001) {
        let f = e + 4;
        const take = (): number => {
          if (f + 8 > e + 4 + length) throw new ZipFormatError(`the ZIP64 field of entry ${JSON.stringify(name)} is too short`);
          const value = u64(extraView, f);
          f += 8;
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      e += 4 + length;
    }
    if (diskStart !== 0 && diskStart !== 0xffff) throw new ZipFormatError("split (multi-disk) archives are not supported");
    if (localHeaderOffset + LOCAL_SIZE > archiveLimit) {
      throw new ZipFormatError(`entry ${JSON.stringify(name)} points outside the archive`);
    }
    entries.push({
      name,
      method,
      flags,
      crc32,
      extraIds,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
      isDirectory: name.endsWith("/"),
    });
    at = end;
  }
  return entries;
}

/** A member's local header: where its data starts and the ids of its own extra fields (they may differ from the directory's). */
export async function readLocalHeader(read: ReadAt, entry: ZipEntry, archiveSize: number): Promise<{ dataOffset: number; extraIds: number[] }> {
  const header = view(await readExactly(read, entry.localHeaderOffset, LOCAL_SIZE, `the local header of ${entry.name}`));
  if (header.getUint32(0, true) !== LOCAL_SIGNATURE) throw new ZipFormatError(`the local header of ${JSON.stringify(entry.name)} has a bad signature`);
  const nameLength = header.getUint16(26, true);
  const extraLength = header.getUint16(28, true);
  const dataOffset = entry.localHeaderOffset + LOCAL_SIZE + nameLength + extraLength;
  if (dataOffset + entry.compressedSize > archiveSize) {
    throw new ZipFormatError(`the data of ${JSON.stringify(entry.name)} runs past the end of the archive`);
  }
  const extraIds: number[] = [];
  if (extraLength > 0) {
    const extra = await readExactly(read, entry.localHeaderOffset + LOCAL_SIZE + nameLength, extraLength, `the local extra fields of ${entry.name}`);
    const extraView = view(extra);
    for (let e = 0; e + 4 <= extra.length; e += 4 + extraView.getUint16(e + 2, true)) extraIds.push(extraView.getUint16(e, true));
  }
  return { dataOffset, extraIds };
}

/** Where a member's data starts, from its local header (whose name/extra lengths may differ from the directory's). */
export async function memberDataOffset(read: ReadAt, entry: ZipEntry, archiveSize: number): Promise<number> {
  const header = view(await readExactly(read, entry.localHeaderOffset, LOCAL_SIZE, `the local header of ${entry.name}`));
  if (header.getUint32(0, true) !== LOCAL_SIGNATURE) throw new ZipFormatError(`the local header of ${JSON.stringify(entry.name)} has a bad signature`);
  const dataOffset = entry.localHeaderOffset + LOCAL_SIZE + header.getUint16(26, true) + header.getUint16(28, true);
  if (dataOffset + entry.compressedSize > archiveSize) {
    throw new ZipFormatError(`the data of ${JSON.stringify(entry.name)} runs past the end of the archive`);
  }
  return dataOffset;
}

const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
/** Bit 13: the local headers are masked, the central directory encrypted (APPNOTE 4.4.4). */
const FLAG_MASKED_HEADERS = 0x2000;
/** The general-purpose flag bits that speak of encryption: 0, 6 and 13. */
export const ENCRYPTION_FLAG_BITS = FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS;
export const METHOD_AES = 99;
/** Traditional PKWARE encryption puts a 12-byte header before the data (APPNOTE 6.1.6). */
const TRADITIONAL_ENCRYPTION_HEADER = 12;
/** WinZip AES (AE-1/AE-2) extra field; the Strong Encryption Header extra field (APPNOTE 4.5.12). */
export const EXTRA_AES = 0x9901;
export const EXTRA_STRONG_ENCRYPTION = 0x0017;
/** Algorithm ids of APPNOTE 7.2.3.2 (DES, RC2, 3DES, AES 128/192/256, Blowfish, Twofish, RC4). */
const STRONG_ALGORITHMS = new Set([0x6601, 0x6602, 0x6603, 0x6609, 0x660e, 0x660f, 0x6610, 0x6702, 0x6720, 0x6721, 0x6801]);
/** Bytes of a member's data enough to recognise a decryption header. */
export const DECRYPTION_HEADER_PROBE = 96;

/** What in a member's bytes shows it is encrypted, whatever its flag bits say. */
export type EncryptionEvidence = "aes" | "strong" | "traditional";

export const ENCRYPTION_WORDS: Record<EncryptionEvidence, string> = {
  aes: "WinZip AES: an AES extra field (0x9901)",
  strong: "PKWARE strong encryption: an encryption header record",
  traditional: "traditional PKWARE encryption: a 12-byte encryption header before the data",
};

/**
 * A Decryption Header (APPNOTE 7.2.4) at the start of a member's data: IV size and IV, the header's size,
 * format 3, a known algorithm id and a plausible key length. Random or pickle bytes do not look like one.
 */
export function startsWithDecryptionHeader(head: Uint8Array, dataLength: number): boolean {
  if (head.length < 2) return false;
  const data = view(head);
  const ivSize = data.getUint16(0, true);
  const at = 2 + ivSize;
  if (ivSize > 64 || at + 10 > head.length) return false;
  const size = data.getUint32(at, true);
  const format = data.getUint16(at + 4, true);
  const algorithm = data.getUint16(at + 6, true);
  const bitLength = data.getUint16(at + 8, true);
  return format === 3 && STRONG_ALGORITHMS.has(algorithm) && bitLength >= 40 && bitLength <= 448 && size >= 10 && at + 4 + size <= dataLength;
}

/**
 * Whether a member's bytes are encrypted, decided by the bytes rather than the flag bits: readers differ on
 * the flags (PyTorch's ignores bits 0, 6 and 13 and loads the data as stored; Python's zipfile refuses bits 0
 * and 6), so a flag over clear data is a way to hide a payload from scanners. Evidence is an AES extra field,
 * a strong-encryption extra field or decryption header, or a stored member 12 bytes longer than its data
 * (the traditional encryption header). `localExtraIds` and `dataHead` (the first
 * bytes of the raw data) add what the local header and the data show; either may be left out.
 */
export function encryptionEvidence(entry: ZipEntry, localExtraIds: readonly number[] = [], dataHead?: Uint8Array): EncryptionEvidence | undefined {
  const ids = [...entry.extraIds, ...localExtraIds];
  if (ids.includes(EXTRA_AES) || entry.method === METHOD_AES) return "aes";
  if (ids.includes(EXTRA_STRONG_ENCRYPTION)) return "strong";
  if (dataHead !== undefined && startsWithDecryptionHeader(dataHead, entry.compressedSize)) return "strong";
  // Stored data is as long as the file it holds; 12 bytes more is the traditional encryption header, flag or not.
  if (entry.method === METHOD_STORED && entry.compressedSize === entry.uncompressedSize + TRADITIONAL_ENCRYPTION_HEADER) return "traditional";
  return undefined;
}

/** The encryption flag bits a member sets, in words ("bit 0, bit 6"); empty when none. */
export function encryptionFlagWords(entry: ZipEntry): string {
  return [0, 6, 13].filter((bit) => (entry.flags & (1 << bit)) !== 0).map((bit) => `bit ${bit}`).join(", ");
}

/**
 * As Python's zipfile decides (Keras loads .keras archives through it): by the flags and the sizes.
 * PyTorch checkpoints are judged by `encryptionEvidence` instead (lib/readers/pickle/scan-file.ts).
 */
function entryEncryption(entry: ZipEntry): "none" | "flag-only" | "maybe" | "encrypted" {
  if (entry.method === METHOD_AES || (entry.flags & FLAG_STRONG_ENCRYPTION) !== 0) return "encrypted";
  if ((entry.flags & FLAG_ENCRYPTED) === 0) return "none";
  if (entry.method !== METHOD_STORED) return "maybe";
  return entry.compressedSize === entry.uncompressedSize + TRADITIONAL_ENCRYPTION_HEADER ? "encrypted" : "flag-only";
}

/** Throws when a member cannot be read by this module (really encrypted, or an unsupported method). */
export function checkReadable(entry: ZipEntry): void {
  if (entryEncryption(entry) === "encrypted") throw new ZipFormatError(`${JSON.stringify(entry.name)} is encrypted, so it was not read`);
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) {
    throw new ZipFormatError(`${JSON.stringify(entry.name)} uses compression method ${entry.method}, which cannot be read`);
  }
}

/** The raw (possibly compressed) bytes of a member, in chunks; the first may be smaller (a look at the format). */
export async function* rawMemberChunks(read: ReadAt, dataOffset: number, length: number, chunkSize: number, firstChunk = chunkSize): AsyncGenerator<Uint8Array> {
  for (let done = 0; done < length; ) {
    const want = Math.min(done === 0 ? firstChunk : chunkSize, length - done);
    const chunk = await readExactly(read, dataOffset + done, want, "member data");
    done += chunk.length;
    yield chunk;
  }
}

/**
 * Inflates raw deflate data with the platform's DecompressionStream("deflate-raw") (browsers;
 * Node ≥ 20). Stopping early (a `break` in the consumer) cancels the stream.
 */
export async function* inflateRaw(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let sourceError: unknown;
  let stopped = false;
  const pump = (async () => {
    const iterator = source[Symbol.asyncIterator]();
    try {
      for (;;) {
        let step: IteratorResult<Uint8Array>;
        try {
          step = await iterator.next();
        } catch (error) {
          // The compressed bytes could not be had (network, byte cap): that error, not "bad data".
          sourceError = error;
          await writer.abort(error).catch(() => undefined);
          return;
        }
        if (step.done === true || stopped) break;
        // A rejected write means the stream failed; the reading side reports why.
        await writer.write(step.value as Uint8Array<ArrayBuffer>);
      }
      if (!stopped) await writer.close();
    } catch {
      // Reported by reader.read() below.
    } finally {
      if (stopped) await iterator.return?.(undefined);
    }
  })();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (error) {
        // A failed read of the compressed bytes (network, cap) is reported as itself, not as bad data.
        if (sourceError instanceof Error) throw sourceError;
        throw new ZipFormatError(`bad deflate data: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (step.done) break;
      yield step.value;
    }
  } finally {
    stopped = true;
    await reader.cancel().catch(() => undefined);
    await pump;
  }
}

/** The member's uncompressed bytes, in chunks (as Python's zipfile would give them: see checkReadable). */
export function memberChunks(read: ReadAt, entry: ZipEntry, dataOffset: number, chunkSize: number): AsyncGenerator<Uint8Array> {
  checkReadable(entry);
  return clearMemberChunks(read, entry, dataOffset, chunkSize);
}

/**
 * The member's data read in the clear, whatever its flag bits say, as PyTorch reads it: stored bytes as
 * they are, deflated ones inflated. Only methods 0 and 8 (PyTorch's reader has no others).
 */
export function clearMemberChunks(read: ReadAt, entry: ZipEntry, dataOffset: number, chunkSize: number, firstChunk = chunkSize): AsyncGenerator<Uint8Array> {
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) {
    throw new ZipFormatError(`${JSON.stringify(entry.name)} uses compression method ${entry.method}, which cannot be read`);
  }
  const raw = rawMemberChunks(read, dataOffset, entry.compressedSize, chunkSize, firstChunk);
  return entry.method === METHOD_STORED ? raw : inflateRaw(raw);
}

/** A reader over a byte range of another reader: a stored zip member read as an archive of its own. */
export function sliceReader(read: ReadAt, start: number, length: number): ReadAt {
  return (offset, count) => {
    if (offset < 0 || offset > length) return Promise.resolve(new Uint8Array(0));
    return read(start + offset, Math.min(count, length - offset));
  };
}

/** A reader over bytes in memory. */
export function bufferReader(bytes: Uint8Array): ReadAt {
  return (offset, count) => Promise.resolve(bytes.subarray(Math.max(0, offset), Math.max(0, Math.min(bytes.length, offset + count))));
}
