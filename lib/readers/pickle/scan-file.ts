/**
 * The extension's own pickle scan of one Hub file, read by ranges: which globals its pickles
 * import, judged by classify.ts. Nothing is ever unpickled or run.
 *
 * Formats: PyTorch zip (and any zip/npz, nested up to a depth), legacy non-zip PyTorch (five
 * pickles then raw storage bytes), plain pickle/joblib, .npy (object dtype → a pickle payload).
 * 7z and other containers we cannot open give `unknown`, never `clean`: a 7z-wrapped checkpoint
 * is how nullifAI hid from the Hub's scanner.
 *
 * Reads go through a cache of the spans fetched, counted against `maxBytes`: a zip costs its first
 * 4 KiB (format, and often data.pkl), its last 8 KiB (the end record, and often the central directory;
 * the whole 64 KiB comment range only when the end record is not there), and the pickle members.
 *
 * Which members of a zip are read is decided by the central directory, as loaders decide: a name a
 * loader unpickles (`data.pkl`, `.pkl`, `.joblib`, …) is read as a pickle; a name of a format that may
 * hold one (`.bin`, `.pt`, `.npy`, a nested archive, or no extension at all) is looked at by its first
 * bytes (a few KB); any other member (json, text, images, audio, CoreML's model.mil, torch.save's text
 * records) is not loaded as a pickle by anything, and is not read (picklescan also reads members that start
 * with a PROTO opcode whatever their name: that costs a request per image in a large archive). So a zip of images or a CoreML model costs its directory, and says it holds no pickle member.
 *
 * Encryption is decided by the bytes, not by the flag bits (PyTorch's reader ignores bits 0, 6 and 13 and
 * loads the data as stored): every member is read in the clear, and called encrypted only when that read
 * fails and the bytes show encryption (zip.ts `encryptionEvidence`), or the flags say so.
 */
import type { OwnPickleScan, PickleImport } from "./types";
import { classifyImport, worstSafety } from "./classify";
import { isPickleOpcode, PickleStreamReader, type PickleReadResult } from "./pickle-reader";
import {
  bufferReader,
  clearMemberChunks,
  DECRYPTION_HEADER_PROBE,
  ENCRYPTION_FLAG_BITS,
  ENCRYPTION_WORDS,
  encryptionEvidence,
  encryptionFlagWords,
  METHOD_AES,
  METHOD_DEFLATED,
  METHOD_STORED,
  readLocalHeader,
  readZipDirectory,
  sliceReader,
  ZipFormatError,
  type ReadAt,
  type ZipEntry,
} from "../zip/zip";

export interface ScanPickleFileOptions {
  path: string;
  size: number;
  /** Reads `length` bytes at `offset` (e.g. an HTTP Range request); fewer only at the end of the file. */
  read: (offset: number, length: number) => Promise<Uint8Array>;
  /** Most bytes to read from `read`; reaching it gives `unknown` unless a dangerous import was found. */
  maxBytes: number;
  /** Size of each read; default 64 KiB. */
  chunkSize?: number;
  /** How many archives deep to look into zips inside zips; default 3. */
  maxDepth?: number;
  /** Most bytes to inflate from one deflated member, or to buffer for a deflated nested zip; default 32 MiB. */
  maxInflatedBytes?: number;
  signal?: AbortSignal;
}

const DEFAULT_CHUNK = 64 * 1024;
/** Sniffing needs the first bytes only; .npy headers are read separately when longer. */
const HEAD_BYTES = 512;
/** The first read of a file larger than one chunk. */
const FIRST_READ = 4 * 1024;
/** Smallest request for bytes not yet fetched (a local header alone would be 30 bytes). */
const MIN_REQUEST = 4 * 1024;

/** Legacy torch.save: the first pickle is the magic number 0x1950a86a20f9469cfc6c (LONG1 at protocol ≥ 2). */
const LEGACY_TORCH_MAGIC_LONG1 = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
/** The same magic number written at protocols 0–1 (decimal text). */
const LEGACY_TORCH_MAGIC_TEXT = "119547037146038801333356";
/** magic, protocol version, sys info, data, storage keys: torch/serialization.py `_legacy_load`. */
const LEGACY_TORCH_PICKLES = 5;

class CapReached extends Error {}
class Cancelled extends Error {}

/**
 * Counts every byte fetched, keeps what was fetched, and refuses to go past the cap. Only the bytes
 * asked for are fetched (a gap between cached spans, grown to `minRequest` so that walking a zip's
 * local headers does not cost a request each), split into requests of at most `maxRequest`.
 */
class RangeCache {
  bytesRead = 0;
  /** Cached spans, sorted by start and never overlapping. */
  private spans: { start: number; bytes: Uint8Array }[] = [];
  private cachedBytes = 0;
  /** Spans beyond this are dropped oldest first (a streamed pickle is never read twice). */
  private static readonly MAX_CACHED = 4 * 1024 * 1024;

  constructor(
    private readonly fetchRange: ReadAt,
    readonly size: number,
    private readonly minRequest: number,
    private readonly maxRequest: number,
    private readonly maxBytes: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  readonly read: ReadAt = async (offset, length) => {
    const start = Math.max(0, offset);
    const end = Math.min(this.size, offset + length);
    if (end <= start) return new Uint8Array(0);
    const out = new Uint8Array(end - start);
    for (let at = start; at < end; ) {
      const span = this.spans.find((candidate) => candidate.start <= at && at < candidate.start + candidate.bytes.length);
      if (span) {
        const to = Math.min(end, span.start + span.bytes.length);
        out.set(span.bytes.subarray(at - span.start, to - span.start), at - start);
        at = to;
        continue;
      }
      const next = this.spans.find((candidate) => candidate.start > at)?.start ?? this.size;
      const gapEnd = Math.min(next, Math.max(end, Math.min(this.size, at + this.minRequest)));
      const fetchEnd = Math.min(gapEnd, at + this.maxRequest);
      this.remember(at, await this.fetch(at, fetchEnd - at));
    }
    return out;
  };

  private async fetch(start: number, length: number): Promise<Uint8Array> {
    if (this.signal?.aborted) throw new Cancelled("cancelled");
    if (this.bytesRead + length > this.maxBytes) throw new CapReached(`reached the byte cap (${this.maxBytes} bytes)`);
    const bytes = await this.fetchRange(start, length);
    this.bytesRead += bytes.length;
    if (bytes.length < length) throw new ZipFormatError(`the file is shorter than its size says (${start + bytes.length} < ${this.size})`);
    return bytes.length === length ? bytes : bytes.subarray(0, length);
  }

  private remember(start: number, bytes: Uint8Array): void {
    const index = this.spans.findIndex((candidate) => candidate.start > start);
    this.spans.splice(index < 0 ? this.spans.length : index, 0, { start, bytes });
    this.order.push(start);
    this.cachedBytes += bytes.length;
    while (this.cachedBytes > RangeCache.MAX_CACHED && this.order.length > 1) {
      const oldest = this.order.shift();
      const at = this.spans.findIndex((candidate) => candidate.start === oldest);
      const removed = at >= 0 ? this.spans.splice(at, 1)[0] : undefined;
      if (removed) this.cachedBytes -= removed.bytes.length;
    }
  }

  private readonly order: number[] = [];
}

/** A sequential byte source; `skip` jumps ahead without reading when the source allows it. */
interface ByteSource {
  next(): Promise<Uint8Array | undefined>;
  skip(count: number): number;
  close(): Promise<void>;
}

/** `firstChunk`: a smaller first read, so that looking at a member's format does not fetch a whole chunk of it. */
function rangeSource(read: ReadAt, start: number, length: number, chunkSize: number, firstChunk = chunkSize): ByteSource {
  let position = 0;
  return {
    async next() {
      if (position >= length) return undefined;
      const chunk = await read(start + position, Math.min(position === 0 ? firstChunk : chunkSize, length - position));
      if (chunk.length === 0) throw new ZipFormatError("the data ends early");
      position += chunk.length;
      return chunk;
    },
    skip(count) {
      const n = Math.min(count, length - position);
      position += n;
      return n;
    },
    close: () => Promise.resolve(),
  };
}

function generatorSource(chunks: AsyncGenerator<Uint8Array>, maxBytes: number, what: string): ByteSource {
  let total = 0;
  return {
    async next() {
      const step = await chunks.next();
      if (step.done === true) return undefined;
      total += step.value.length;
      if (total > maxBytes) throw new CapReached(`${what} inflates to more than ${maxBytes} bytes`);
      return step.value;
    },
    skip: () => 0,
    async close() {
      await chunks.return(undefined);
    },
  };
}

/** Lets a caller look at the first bytes and then read the source from its start. */
class Peekable implements ByteSource {
  private pending: Uint8Array[] = [];
  constructor(private readonly inner: ByteSource) {}

  async head(count: number): Promise<Uint8Array> {
    let have = this.pending.reduce((sum, part) => sum + part.length, 0);
    while (have < count) {
      const chunk = await this.inner.next();
      if (chunk === undefined) break;
      this.pending.push(chunk);
      have += chunk.length;
    }
    return concat(this.pending).subarray(0, count);
  }

  next(): Promise<Uint8Array | undefined> {
    const first = this.pending.shift();
    return first === undefined ? this.inner.next() : Promise.resolve(first);
  }

  skip(count: number): number {
    return this.pending.length > 0 ? 0 : this.inner.skip(count);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

type Format =
  | { kind: "zip" }
  | { kind: "pickle" }
  | { kind: "legacy-torch" }
  | { kind: "npy" }
  | { kind: "unreadable"; reason: string }
  | { kind: "unrecognised" };

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

function indexOfBytes(bytes: Uint8Array, needle: readonly number[], limit: number): number {
  for (let i = 0; i + needle.length <= Math.min(bytes.length, limit); i++) if (startsWith(bytes, needle, i)) return i;
  return -1;
}

/** Bytes that begin a pickle: PROTO 2–5 (how torch, numpy and joblib write), or a protocol 0/1 opening opcode. */
function looksLikePickle(head: Uint8Array, strict: boolean): boolean {
  const first = head[0];
  if (first === undefined) return false;
  if (first === 0x80) return (head[1] ?? 0xff) <= 5;
  if (strict) return false;
  // Python needs no PROTO: a file (not an archive member) starting with any opcode is read as a pickle,
  // and bytes that then fail to form one are reported as "not a pickle this reader knows".
  return isPickleOpcode(first);
}

/** Names picklescan reads as pickles whatever their first bytes. */
const PICKLE_NAME = /\.(pkl|pickle|joblib|dat|data|dill)$/;

function sniff(head: Uint8Array, path: string, inArchive: boolean): Format {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return { kind: "zip" };
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { kind: "unreadable", reason: "cannot read 7z archives" };
  if (startsWith(head, [0x1f, 0x8b])) return { kind: "unreadable", reason: "cannot read gzip-compressed files" };
  if (startsWith(head, [0x42, 0x5a, 0x68])) return { kind: "unreadable", reason: "cannot read bzip2-compressed files" };
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return { kind: "unreadable", reason: "cannot read xz-compressed files" };
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return { kind: "unreadable", reason: "cannot read zstd-compressed files" };
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return { kind: "unreadable", reason: "cannot read RAR archives" };
  // tar: "ustar" at 257. Very old torch.save wrote a tar of pickles.
  if (startsWith(head, [0x75, 0x73, 0x74, 0x61, 0x72], 257)) return { kind: "unreadable", reason: "cannot read tar archives" };
  if (startsWith(head, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return { kind: "npy" };
  if (indexOfBytes(head, LEGACY_TORCH_MAGIC_LONG1, 16) >= 0) return { kind: "legacy-torch" };
  const text = new TextDecoder("latin1").decode(head.subarray(0, 64));
  if (looksLikePickle(head, false) && text.includes(LEGACY_TORCH_MAGIC_TEXT)) return { kind: "legacy-torch" };
  const pickleName = PICKLE_NAME.test(path.toLowerCase());
  // Inside an archive, picklescan's rule: a pickle extension, or PROTO 0–5 as first bytes.
  if (inArchive) return pickleName || looksLikePickle(head, true) ? { kind: "pickle" } : { kind: "unrecognised" };
  return looksLikePickle(head, false) || pickleName ? { kind: "pickle" } : { kind: "unrecognised" };
}

interface Context {
  chunkSize: number;
  maxDepth: number;
  maxInflated: number;
  imports: Map<string, PickleImport>;
  problems: string[];
  /** Streams read as pickles (members and nested members included): what makes a zip pickle weights. */
  pickleStreams: number;
}

function addProblem(ctx: Context, problem: string): void {
  if (!ctx.problems.includes(problem)) ctx.problems.push(problem);
}

function problemOf(error: unknown): string {
  if (error instanceof CapReached || error instanceof ZipFormatError) return error.message;
  if (error instanceof Error) return `read failed: ${error.message}`;
  return `read failed: ${String(error)}`;
}

async function scanPickleStream(source: ByteSource, ctx: Context, label: string, maxPickles?: number): Promise<void> {
  const reader = new PickleStreamReader(maxPickles === undefined ? {} : { maxPickles });
  try {
    while (!reader.done) {
      const skippable = reader.skippable();
      if (skippable > 0) {
        const skipped = source.skip(skippable);
        if (skipped > 0) {
          reader.skip(skipped);
          continue;
        }
      }
      const chunk = await source.next();
      if (chunk === undefined) break;
      reader.push(chunk);
    }
  } catch (error) {
    if (error instanceof Cancelled) throw error;
    reader.abort(problemOf(error));
  } finally {
    await source.close().catch(() => undefined);
  }
  const result: PickleReadResult = reader.finish();
  const malformed = (result.error ?? "").startsWith("malformed");
  // Bytes that fail before forming one pickle or naming one import are not a (dangerous) pickle at all:
  // the file stays unchecked, and says so. The same for bytes that never announced a protocol and whose
  // only "imports" are STACK_GLOBALs on values the reader could not name: raw data (a tensor, noise) can
  // spell a few stack opcodes and 0x93 by chance. A real trick of that kind that runs an import needs a
  // named import (a callable to compute the name, a class) or a PROTO, and is dangerous as such.
  const onlyTricks = result.imports.length > 0 && result.imports.every((raw) => raw.opcode === "STACK_GLOBAL" && !raw.resolved);
  const notAPickle = result.pickles === 0 && malformed && (result.imports.length === 0 || (onlyTricks && !result.announcedProtocol));
  if (!notAPickle) ctx.pickleStreams += 1;
  for (const raw of notAPickle ? [] : result.imports) {
    // getattr that only reads constants by name (enum members, Python ≥ 3.12) reaches no function.
    const found: PickleImport = raw.onlyLooksUpNames ? { module: raw.module, name: raw.name, safety: "innocuous" } : classifyImport(raw.module, raw.name);
    const key = `${found.module}\u0000${found.name}`;
    const known = ctx.imports.get(key);
    if (known === undefined || worstSafety([known, found]) !== known.safety) ctx.imports.set(key, found);
  }
  if (result.complete) return;
  addProblem(ctx, notAPickle ? `${label}: not a pickle this reader knows (${result.error ?? "malformed"})` : `${label}: ${result.error ?? "incomplete"}`);
}

/** Object arrays (dtype 'O', alone or inside a structured dtype) are stored as a pickle after the header. */
function npyHasObjects(header: string): boolean {
  const quoted = header.match(/'[^']*'|"[^"]*"/g) ?? [];
  return quoted.some((token) => /^[|<>=]?O\d*$/.test(token.slice(1, -1)));
}

async function scanNpy(source: Peekable, ctx: Context, label: string): Promise<void> {
  const fixed = await source.head(12);
  const major = fixed[6] ?? 0;
  const headerLengthSize = major === 1 ? 2 : 4;
  const lengthView = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  if (fixed.length < 8 + headerLengthSize || major < 1 || major > 3) {
    addProblem(ctx, `${label}: malformed .npy header`);
    return;
  }
  const headerLength = major === 1 ? lengthView.getUint16(8, true) : lengthView.getUint32(8, true);
  if (headerLength > 1024 * 1024) {
    addProblem(ctx, `${label}: .npy header too long (${headerLength} bytes)`);
    return;
  }
  const headerStart = 8 + headerLengthSize;
  const all = await source.head(headerStart + headerLength);
  if (all.length < headerStart + headerLength) {
    addProblem(ctx, `${label}: truncated .npy header`);
    return;
  }
  const header = new TextDecoder("latin1").decode(all.subarray(headerStart));
  if (!/['"]descr['"]\s*:/.test(header)) {
    addProblem(ctx, `${label}: malformed .npy header (no descr)`);
    return;
  }
  if (!npyHasObjects(header)) return;
  // Drop the header from the source, then read the payload as pickles.
  let toDrop = headerStart + headerLength;
  const payload: ByteSource = {
    next: async () => {
      for (;;) {
        const chunk = await source.next();
        if (chunk === undefined || toDrop === 0) return chunk;
        if (chunk.length <= toDrop) {
          toDrop -= chunk.length;
          continue;
        }
        const rest = chunk.subarray(toDrop);
        toDrop = 0;
        return rest;
      }
    },
    skip: (count) => (toDrop === 0 ? source.skip(count) : 0),
    close: () => source.close(),
  };
  await scanPickleStream(payload, ctx, `${label} (object array)`);
}

/** Raw storage members of a PyTorch zip (`<prefix>/data/<n>`): torch reads them as bytes, never as pickles. */
function isTorchStorage(name: string, torchPrefixes: ReadonlySet<string>): boolean {
  const match = /^(.*\/)?data\/\d+$/.exec(name);
  return match !== null && torchPrefixes.has(match[1] ?? "");
}

/**
 * Member names of formats that may hold a pickle, judged by their first bytes: PyTorch files inside a zip
 * (`model.pt`, `pytorch_model.bin`, a legacy `.ckpt`), numpy arrays, and archives or compressed files that
 * could wrap one (a 7z- or gzip-wrapped checkpoint is how nullifAI hid).
 */
const MAY_HOLD_PICKLE = /\.(bin|pt|pth|ckpt|npy|npz|zip|7z|tar|gz|tgz|bz2|xz|zst|rar)$/;

/** The text records torch.save writes beside data.pkl: PyTorch reads them as text, never as pickles. */
const TORCH_RECORDS = /(^|\/)(byteorder|version|serialization_id)$/;

type MemberKind = "pickle" | "maybe" | "not-loaded";

/**
 * How a member of an archive is read, from its name (see the module comment). A name with no extension
 * says nothing, so it is looked at like `.bin` (torch.save writes whatever name it is given).
 */
function memberKind(name: string): MemberKind {
  const lower = name.toLowerCase();
  if (PICKLE_NAME.test(lower)) return "pickle";
  if (MAY_HOLD_PICKLE.test(lower)) return "maybe";
  const base = lower.slice(lower.lastIndexOf("/") + 1);
  return !base.includes(".") && !TORCH_RECORDS.test(lower) ? "maybe" : "not-loaded";
}

async function scanZip(read: ReadAt, size: number, ctx: Context, label: string, depth: number): Promise<number> {
  if (depth > ctx.maxDepth) {
    addProblem(ctx, `${label}: archives nested more than ${ctx.maxDepth} deep were not opened`);
    return 0;
  }
  const directory = await readZipDirectory(read, size);
  const torchPrefixes = new Set<string>();
  for (const entry of directory.entries) {
    const match = /^(.*\/)?data\.pkl$/.exec(entry.name);
    if (match !== null) torchPrefixes.add(match[1] ?? "");
  }
  const members = directory.entries.filter((entry) => !entry.isDirectory);
  for (const entry of members) {
    if (isTorchStorage(entry.name, torchPrefixes)) continue;
    const kind = memberKind(entry.name);
    const memberLabel = `${label}:${entry.name}`;
    if (kind === "not-loaded") {
      // Not read, and not loaded as a pickle by anything; but one whose directory entry shows it encrypted
      // holds what nobody can tell, so it is said to be unchecked.
      const evidence = encryptionEvidence(entry);
      if (evidence !== undefined) addProblem(ctx, `${memberLabel}: encrypted (${ENCRYPTION_WORDS[evidence]}), so what it holds was not checked`);
      continue;
    }
    await scanMember(read, size, entry, ctx, memberLabel, depth);
  }
  return members.length;
}

async function scanMember(read: ReadAt, archiveSize: number, entry: ZipEntry, ctx: Context, label: string, depth: number): Promise<void> {
  if (entry.compressedSize === 0 && entry.uncompressedSize === 0) {
    // An empty member is no pickle; one named as a pickle (data.pkl cut to nothing) fails to load: unchecked.
    if (PICKLE_NAME.test(entry.name.toLowerCase())) addProblem(ctx, `${label}: empty, so it holds no whole pickle`);
    return;
  }
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) {
    // PyTorch's reader knows stored and deflated data only; neither it nor this reader can read the rest.
    const evidence = encryptionEvidence(entry);
    addProblem(
      ctx,
      entry.method === METHOD_AES || evidence !== undefined
        ? `${label}: encrypted (${ENCRYPTION_WORDS[evidence ?? "aes"]}), so it was not read`
        : `${label}: uses compression method ${entry.method}, which cannot be read`,
    );
    return;
  }
  const problemsBefore = ctx.problems.length;
  let readable = false;
  let evidence: ReturnType<typeof encryptionEvidence>;
  try {
    const local = await readLocalHeader(read, entry, archiveSize);
    // The raw bytes at the start of the data, to recognise an encryption header; usually already fetched with the local header.
    const rawHead = await read(local.dataOffset, Math.min(DECRYPTION_HEADER_PROBE, entry.compressedSize));
    evidence = encryptionEvidence(entry, local.extraIds, rawHead);
    const stored = entry.method === METHOD_STORED;
    // Read in the clear, whatever the flags say: what PyTorch loads is what is judged.
    const source = new Peekable(
      stored
        ? rangeSource(read, local.dataOffset, entry.compressedSize, ctx.chunkSize, HEAD_BYTES)
        : generatorSource(clearMemberChunks(read, entry, local.dataOffset, ctx.chunkSize, MIN_REQUEST), ctx.maxInflated, label),
    );
    const random: ReadAt | undefined = stored ? sliceReader(read, local.dataOffset, entry.compressedSize) : undefined;
    const format = await scanSource(source, random, entry.uncompressedSize, ctx, label, entry.name, depth, true);
    // Clear bytes that are no pickle and show no encryption are simply not a pickle (a CoreML weight file
    // under a stray flag bit); bytes that show encryption and read as nothing were not read.
    readable = ctx.problems.length === problemsBefore && (format !== "unrecognised" || evidence === undefined);
  } catch (error) {
    if (error instanceof Cancelled) throw error;
    addProblem(ctx, `${label}: ${problemOf(error)}`);
  }
  const flags = encryptionFlagWords(entry);
  if (readable || (evidence === undefined && (entry.flags & ENCRYPTION_FLAG_BITS) === 0)) return;
  // Not readable in the clear, and encrypted by its bytes or its flags: say that, rather than "not a pickle".
  ctx.problems.splice(problemsBefore);
  addProblem(
    ctx,
    evidence !== undefined
      ? `${label}: encrypted (${ENCRYPTION_WORDS[evidence]}), so it was not read`
      : `${label}: marked encrypted (general-purpose flag ${flags}) and not readable in the clear, so it was not checked`,
  );
}

/** Reads what the source holds by its format; returns the format it was read as. */
async function scanSource(
  source: Peekable,
  random: ReadAt | undefined,
  size: number,
  ctx: Context,
  label: string,
  name: string,
  depth: number,
  inArchive: boolean,
): Promise<Format["kind"]> {
  const head = await source.head(HEAD_BYTES);
  const format = sniff(head, name, inArchive);
  switch (format.kind) {
    case "zip": {
      let reader = random;
      let zipSize = size;
      if (reader === undefined) {
        // A deflated archive inside an archive: no random access, so inflate it into memory (capped).
        const parts: Uint8Array[] = [];
        for (let chunk = await source.next(); chunk !== undefined; chunk = await source.next()) parts.push(chunk);
        const whole = concat(parts);
        reader = bufferReader(whole);
        zipSize = whole.length;
      } else await source.close();
      await scanZip(reader, zipSize, ctx, label, depth + 1);
      break;
    }
    case "pickle":
      await scanPickleStream(source, ctx, label);
      break;
    case "legacy-torch":
      await scanPickleStream(source, ctx, label, LEGACY_TORCH_PICKLES);
      break;
    case "npy":
      await scanNpy(source, ctx, label);
      break;
    case "unreadable":
      await source.close();
      addProblem(ctx, inArchive ? `${label}: ${format.reason}` : format.reason);
      break;
    case "unrecognised":
      await source.close();
      // A member of an archive that is not a pickle (json, text, raw tensors) is not loaded as one.
      if (!inArchive) addProblem(ctx, "not a pickle, zip or .npy file this reader knows");
  }
  return format.kind;
}

/** Scans one file; never throws, and never says "clean" unless every pickle was read in full. */
export async function scanPickleFile(options: ScanPickleFileOptions): Promise<OwnPickleScan> {
  const chunkSize = Math.max(1024, options.chunkSize ?? DEFAULT_CHUNK);
  const blocks = new RangeCache(options.read, options.size, Math.min(MIN_REQUEST, chunkSize), chunkSize * 16, options.maxBytes, options.signal);
  const ctx: Context = {
    chunkSize,
    maxDepth: options.maxDepth ?? 3,
    maxInflated: options.maxInflatedBytes ?? 32 * 1024 * 1024,
    imports: new Map(),
    problems: [],
    pickleStreams: 0,
  };
  let archive: OwnPickleScan["archive"];
  try {
    if (options.size <= 0) addProblem(ctx, "the file is empty");
    else {
      // A small first read: enough to tell the format (and, in a PyTorch zip, often data.pkl itself);
      // a file that fits one chunk is read whole.
      const head = await blocks.read(0, options.size <= chunkSize ? options.size : Math.max(HEAD_BYTES, Math.min(FIRST_READ, chunkSize)));
      const source = new Peekable(rangeSource(blocks.read, 0, options.size, chunkSize));
      if (sniff(head, options.path, false).kind === "zip") {
        const members = await scanZip(blocks.read, options.size, ctx, options.path, 0);
        archive = { members, pickleMembers: ctx.pickleStreams };
      } else {
        await scanSource(source, blocks.read, options.size, ctx, options.path, options.path, 0, false);
      }
    }
  } catch (error) {
    addProblem(ctx, error instanceof Cancelled ? "cancelled" : problemOf(error));
  }
  return summarise(options.path, ctx, blocks.bytesRead, archive);
}

function summarise(path: string, ctx: Context, bytesRead: number, archive: OwnPickleScan["archive"]): OwnPickleScan {
  const imports = [...ctx.imports.values()];
  const worst = worstSafety(imports);
  const incomplete = ctx.problems.length > 0;
  const verdict =
    worst === "dangerous" ? "dangerous" : worst === "suspicious" ? "suspicious" : incomplete ? "unknown" : "clean";
  const scan: OwnPickleScan = { path, verdict, imports, bytesRead, ...(archive === undefined ? {} : { archive }) };
  // The reason is kept even when a dangerous import decided the verdict: the caller learns the scan was partial.
  if (incomplete) scan.reason = ctx.problems.slice(0, 3).join("; ") + (ctx.problems.length > 3 ? ` (+${ctx.problems.length - 3} more)` : "");
  return scan;
}
