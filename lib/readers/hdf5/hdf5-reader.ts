/**
 * Just enough of HDF5 (the HDF Group's "HDF5 File Format Specification", version 3) to read one
 * string attribute of the root group, such as legacy Keras's `model_config`, over a random-access
 * reader: nothing else of the file (datasets, weights) is touched.
 *
 * Supported: superblock versions 0/1 (root symbol-table entry) and 2/3 (root object header
 * address), found at 0, 512, 1024, … (a user block); object headers version 1 and version 2
 * ("OHDR") with continuation blocks (message 0x0010; "OCHK" for version 2); attribute messages
 * (0x000C) versions 1–3 stored compactly in the header; dense attribute storage (attribute info
 * message 0x0015): the name-index v2 B-tree (a leaf root) and the fractal heap's managed objects in
 * a root direct block or a root indirect block of direct blocks, and huge objects through the
 * huge-object v2 B-tree (a leaf root, unfiltered); fixed-length strings (class 3) and
 * variable-length strings (class 9) through the global heap ("GCOL"), scalar or a one-element array.
 *
 * Not supported (reported as Hdf5Unsupported, which callers turn into "not checked"): B-trees
 * deeper than their root, filtered (compressed) heaps, indirect blocks below the root,
 * shared (committed) datatypes and shared attribute messages, superblock versions above 3. Checksums are not verified (lookup3.ts serves the name hashes): a damaged
 * structure fails its signature or bounds checks instead. Nothing read here is executed.
 */
import type { ReadAt } from "../zip/zip";
import { lookup3 } from "./lookup3";

export class Hdf5FormatError extends Error {
  override readonly name = "Hdf5FormatError";
}
/** A valid layout this reader does not follow. */
export class Hdf5Unsupported extends Error {
  override readonly name = "Hdf5Unsupported";
}

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const UNDEFINED_ADDRESS = -1;
const MSG_ATTRIBUTE = 0x000c;
const MSG_CONTINUATION = 0x0010;
const MSG_ATTRIBUTE_INFO = 0x0015;
/** Continuation blocks followed per header: a loop of continuations must end. */
const MAX_CONTINUATIONS = 64;

export interface Hdf5AttributeResult {
  /** The attribute's value, or undefined when the root group has no attribute of that name. */
  value: string | undefined;
  /** Other root attribute names seen (compact storage), for messages. */
  names: string[];
}

export interface ReadRootAttributeOptions {
  /** Most bytes an attribute value may have (its declared size is checked before reading). */
  maxValueBytes: number;
}

function u8(bytes: Uint8Array, at: number): number {
  const value = bytes[at];
  if (value === undefined) throw new Hdf5FormatError("a structure is cut short");
  return value;
}

/** Little-endian unsigned integer of `size` bytes; all-ones (the undefined address) gives -1. */
function uint(bytes: Uint8Array, at: number, size: number): number {
  if (at + size > bytes.length) throw new Hdf5FormatError("a structure is cut short");
  let value = 0;
  let allOnes = true;
  for (let i = size - 1; i >= 0; i--) {
    const byte = u8(bytes, at + i);
    if (byte !== 0xff) allOnes = false;
    value = value * 256 + byte;
  }
  if (allOnes && size >= 4) return UNDEFINED_ADDRESS;
  if (!Number.isSafeInteger(value)) throw new Hdf5FormatError("a 64-bit field is too large");
  return value;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += String.fromCharCode(u8(bytes, at + i));
  return out;
}

interface Geometry {
  offsetSize: number;
  lengthSize: number;
  base: number;
  eof: number;
}

interface Message {
  type: number;
  data: Uint8Array;
}

export async function readRootAttribute(read: ReadAt, size: number, name: string, options: ReadRootAttributeOptions): Promise<Hdf5AttributeResult> {
  async function exactly(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (offset < 0 || !Number.isSafeInteger(offset) || length < 0) throw new Hdf5FormatError(`${what} is at an invalid address`);
    if (offset + length > size) throw new Hdf5FormatError(`${what} lies past the end of the file`);
    const bytes = await read(offset, length);
    if (bytes.length < length) throw new Hdf5FormatError(`${what} is cut short`);
    return bytes;
  }

  // The superblock is at 0 or at 512, 1024, 2048 (after a user block); Keras never writes a user block,
  // so the search stops at 2 KiB, within the first read of a caching reader.
  let superAt = -1;
  for (const at of [0, 512, 1024, 2048]) {
    if (at + 8 > size) break;
    const head = await read(at, 8);
    if (looksLikeHdf5(head)) {
      superAt = at;
      break;
    }
  }
  if (superAt < 0) throw new Hdf5FormatError("no HDF5 signature: this is not an HDF5 file");

  const sb = await exactly(superAt, Math.min(size - superAt, 128), "the superblock");
  const version = u8(sb, 8);
  let geometry: Geometry;
  let rootHeader: number;
  if (version === 0 || version === 1) {
    const offsetSize = u8(sb, 13);
    const lengthSize = u8(sb, 14);
    checkSizes(offsetSize, lengthSize);
    const at = version === 0 ? 24 : 28;
    const base = uint(sb, at, offsetSize);
    const eof = uint(sb, at + 2 * offsetSize, offsetSize);
    // The root group symbol table entry: link name offset, then the object header address.
    rootHeader = uint(sb, at + 4 * offsetSize + offsetSize, offsetSize);
    geometry = { offsetSize, lengthSize, base: base === UNDEFINED_ADDRESS ? superAt : base, eof };
  } else if (version === 2 || version === 3) {
    const offsetSize = u8(sb, 9);
    const lengthSize = u8(sb, 10);
    checkSizes(offsetSize, lengthSize);
    const base = uint(sb, 12, offsetSize);
    const eof = uint(sb, 12 + 2 * offsetSize, offsetSize);
    rootHeader = uint(sb, 12 + 3 * offsetSize, offsetSize);
    geometry = { offsetSize, lengthSize, base: base === UNDEFINED_ADDRESS ? superAt : base, eof };
  } else {
    throw new Hdf5Unsupported(`superblock version ${version} is not supported`);
  }
  if (rootHeader === UNDEFINED_ADDRESS) throw new Hdf5FormatError("the superblock names no root group");
  const g = geometry;
  const address = (relative: number) => g.base + relative;

  const messages = await objectHeaderMessages(address(rootHeader));
  const names: string[] = [];
  for (const message of messages) {
    if (message.type !== MSG_ATTRIBUTE) continue;
    const attribute = parseAttribute(message.data);
    names.push(attribute.name);
    if (attribute.name === name) return { value: await attributeValue(attribute), names };
  }
  const info = messages.find((message) => message.type === MSG_ATTRIBUTE_INFO);
  if (info) {
    const dense = await denseAttribute(info.data);
    if (dense) return { value: await attributeValue(dense), names };
  }
  return { value: undefined, names };

  function checkSizes(offsetSize: number, lengthSize: number): void {
    if (![2, 4, 8].includes(offsetSize) || ![2, 4, 8].includes(lengthSize)) {
      throw new Hdf5FormatError(`unusual address sizes (${offsetSize}/${lengthSize} bytes)`);
    }
  }

  async function objectHeaderMessages(at: number): Promise<Message[]> {
    const first = await exactly(at, Math.min(16, size - at), "the root object header");
    if (ascii(first, 0, 4) === "OHDR") return objectHeaderV2(at);
    if (u8(first, 0) !== 1) throw new Hdf5FormatError(`the root object header has unknown version ${u8(first, 0)}`);
    const headerSize = uint(first, 8, 4);
    const messages: Message[] = [];
    const blocks: { at: number; length: number }[] = [{ at: at + 16, length: headerSize }];
    for (let index = 0; index < blocks.length; index++) {
      if (index > MAX_CONTINUATIONS) throw new Hdf5FormatError("too many object header continuation blocks");
      const block = blocks[index];
      if (!block) break;
      const bytes = await exactly(block.at, block.length, "an object header block");
      for (let p = 0; p + 8 <= bytes.length; ) {
        const type = uint(bytes, p, 2);
        const length = uint(bytes, p + 2, 2);
        if (p + 8 + length > bytes.length) throw new Hdf5FormatError("an object header message runs past its block");
        const data = bytes.subarray(p + 8, p + 8 + length);
        if (type === MSG_ATTRIBUTE && (u8(bytes, p + 4) & 0x02) !== 0) throw new Hdf5Unsupported("a shared attribute message is not supported");
        if (type === MSG_CONTINUATION) blocks.push({ at: address(uint(data, 0, g.offsetSize)), length: uint(data, g.offsetSize, g.lengthSize) });
        else messages.push({ type, data });
        p += 8 + length;
      }
    }
    return messages;
  }

  async function objectHeaderV2(at: number): Promise<Message[]> {
    const head = await exactly(at, Math.min(size - at, 6 + 16 + 4 + 8), "the root object header");
    if (u8(head, 4) !== 2) throw new Hdf5Unsupported(`object header version ${u8(head, 4)} is not supported`);
    const flags = u8(head, 5);
    let p = 6;
    if (flags & 0x20) p += 16;
    if (flags & 0x10) p += 4;
    const chunkSizeBytes = 1 << (flags & 0x03);
    const chunkSize = uint(head, p, chunkSizeBytes);
    p += chunkSizeBytes;
    const creationOrder = (flags & 0x04) !== 0;
    const messages: Message[] = [];
    const blocks: { at: number; length: number; skip: number }[] = [{ at, length: p + chunkSize + 4, skip: p }];
    for (let index = 0; index < blocks.length; index++) {
      if (index > MAX_CONTINUATIONS) throw new Hdf5FormatError("too many object header continuation blocks");
      const block = blocks[index];
      if (!block) break;
      const bytes = await exactly(block.at, block.length, "an object header chunk");
      if (index > 0 && ascii(bytes, 0, 4) !== "OCHK") throw new Hdf5FormatError("an object header continuation block has a bad signature");
      const end = bytes.length - 4;
      const headerLength = 4 + (creationOrder ? 2 : 0);
      for (let q = block.skip; q + headerLength <= end; ) {
        const type = u8(bytes, q);
        const length = uint(bytes, q + 1, 2);
        const start = q + headerLength;
        if (start + length > end) throw new Hdf5FormatError("an object header message runs past its chunk");
        const data = bytes.subarray(start, start + length);
        if (type === MSG_ATTRIBUTE && (u8(bytes, q + 3) & 0x02) !== 0) throw new Hdf5Unsupported("a shared attribute message is not supported");
        if (type === MSG_CONTINUATION) blocks.push({ at: address(uint(data, 0, g.offsetSize)), length: uint(data, g.offsetSize, g.lengthSize), skip: 4 });
        else if (type !== 0) messages.push({ type, data });
        q = start + length;
      }
    }
    return messages;
  }

  interface Attribute {
    name: string;
    datatype: Uint8Array;
    dataspace: Uint8Array;
    data: Uint8Array;
    /** Set when the datatype is a shared (committed) one. */
    sharedType: boolean;
  }

  function parseAttribute(bytes: Uint8Array): Attribute {
    const version = u8(bytes, 0);
    const flags = u8(bytes, 1);
    const nameSize = uint(bytes, 2, 2);
    const typeSize = uint(bytes, 4, 2);
    const spaceSize = uint(bytes, 6, 2);
    const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
    let p = version === 3 ? 9 : 8;
    if (version < 1 || version > 3) throw new Hdf5Unsupported(`attribute message version ${version} is not supported`);
    const nameBytes = bytes.subarray(p, p + nameSize);
    if (nameBytes.length < nameSize) throw new Hdf5FormatError("an attribute name is cut short");
    const zero = nameBytes.indexOf(0);
    const name = new TextDecoder().decode(zero >= 0 ? nameBytes.subarray(0, zero) : nameBytes);
    p += pad(nameSize);
    const datatype = bytes.subarray(p, p + typeSize);
    p += pad(typeSize);
    const dataspace = bytes.subarray(p, p + spaceSize);
    p += pad(spaceSize);
    if (datatype.length < typeSize || dataspace.length < spaceSize) throw new Hdf5FormatError(`attribute ${JSON.stringify(name)} is cut short`);
    return { name, datatype, dataspace, data: bytes.subarray(p), sharedType: version > 1 && (flags & 0x01) !== 0 };
  }

  /** Elements in the dataspace: 1 for a scalar; a string attribute of more than one element is not a config. */
  function elementCount(space: Uint8Array): number {
    const version = u8(space, 0);
    const rank = u8(space, 1);
    if (version === 2 && u8(space, 3) === 2) return 0;
    if (version === 2 && u8(space, 3) === 0) return 1;
    const dimsAt = version === 1 ? 8 : 4;
    let count = 1;
    for (let i = 0; i < rank; i++) count *= uint(space, dimsAt + i * g.lengthSize, g.lengthSize);
    return count;
  }

  async function attributeValue(attribute: Attribute): Promise<string> {
    if (attribute.sharedType) throw new Hdf5Unsupported(`attribute ${JSON.stringify(attribute.name)} uses a shared datatype`);
    const count = elementCount(attribute.dataspace);
    if (count < 1) return "";
    const typeClass = u8(attribute.datatype, 0) & 0x0f;
    const elementSize = uint(attribute.datatype, 4, 4);
    const decoder = new TextDecoder("utf-8");
    if (typeClass === 3) {
      // Fixed-length string: the first element; padding (NUL or spaces) trimmed.
      if (elementSize > options.maxValueBytes) throw new Hdf5Unsupported(`the attribute is ${elementSize} bytes, more than the ${options.maxValueBytes} read`);
      const raw = attribute.data.subarray(0, elementSize);
      if (raw.length < elementSize) throw new Hdf5FormatError("the attribute's value is cut short");
      const end = raw.indexOf(0);
      return decoder.decode(end >= 0 ? raw.subarray(0, end) : raw).replace(/ +$/, "");
    }
    if (typeClass === 9 && (u8(attribute.datatype, 1) & 0x0f) === 1) {
      // Variable-length string: { length (4), global heap collection address, object index (4) }.
      const length = uint(attribute.data, 0, 4);
      const collection = uint(attribute.data, 4, g.offsetSize);
      const index = uint(attribute.data, 4 + g.offsetSize, 4);
      if (length > options.maxValueBytes) throw new Hdf5Unsupported(`the attribute is ${length} bytes, more than the ${options.maxValueBytes} read`);
      if (collection === UNDEFINED_ADDRESS || length === 0) return "";
      return decoder.decode(await globalHeapObject(address(collection), index, length));
    }
    throw new Hdf5Unsupported(`attribute ${JSON.stringify(attribute.name)} is not a string (datatype class ${typeClass})`);
  }

  async function globalHeapObject(at: number, index: number, length: number): Promise<Uint8Array> {
    const head = await exactly(at, 8 + g.lengthSize, "a global heap collection");
    if (ascii(head, 0, 4) !== "GCOL") throw new Hdf5FormatError("a global heap collection has a bad signature");
    const collectionSize = uint(head, 8, g.lengthSize);
    if (collectionSize > options.maxValueBytes + 4096 + 16 * 1024) throw new Hdf5Unsupported(`a global heap collection of ${collectionSize} bytes is more than the reader takes`);
    const bytes = await exactly(at, Math.min(collectionSize, size - at), "a global heap collection");
    for (let p = 8 + g.lengthSize; p + 8 + g.lengthSize <= bytes.length; ) {
      const objectIndex = uint(bytes, p, 2);
      const objectSize = uint(bytes, p + 8, g.lengthSize);
      if (objectIndex === 0) break;
      const start = p + 8 + g.lengthSize;
      if (objectIndex === index) {
        if (objectSize < length || start + length > bytes.length) throw new Hdf5FormatError("a global heap object is cut short");
        return bytes.subarray(start, start + length);
      }
      p = start + Math.ceil(objectSize / 8) * 8;
    }
    throw new Hdf5FormatError(`global heap object ${index} not found`);
  }

  // ---- dense attribute storage ---------------------------------------------------------------

  interface FractalHeap {
    at: number;
    heapIdLength: number;
    maxManagedSize: number;
    tableWidth: number;
    startingBlockSize: number;
    maxDirectBlockSize: number;
    maxHeapSizeBits: number;
    rootBlock: number;
    rootRows: number;
    hugeBtree: number;
    blockOffsetBytes: number;
    checksummedDirect: boolean;
  }

  async function denseAttribute(info: Uint8Array): Promise<Attribute | undefined> {
    const flags = u8(info, 1);
    let p = 2 + (flags & 0x01 ? 2 : 0);
    const heapAddress = uint(info, p, g.offsetSize);
    p += g.offsetSize;
    const nameIndex = uint(info, p, g.offsetSize);
    if (heapAddress === UNDEFINED_ADDRESS || nameIndex === UNDEFINED_ADDRESS) return undefined;
    const heap = await fractalHeap(address(heapAddress));
    const records = await btreeLeafRecords(address(nameIndex), 8);
    // Name-index records: heap ID, message flags (1), creation order (4), name hash (4). Only records whose
    // hash matches are read (and their message's name is still compared: hashes collide).
    const wantedHash = lookup3(new TextEncoder().encode(name));
    for (const record of records) {
      if (record.length < heap.heapIdLength + 9) throw new Hdf5FormatError("a name-index record is too short");
      const recordHash = uint(record, heap.heapIdLength + 5, 4);
      // uint() reads all-ones as the undefined address.
      if ((recordHash === UNDEFINED_ADDRESS ? 0xffffffff : recordHash) !== wantedHash) continue;
      const id = record.subarray(0, heap.heapIdLength);
      const message = await heapObject(heap, id);
      const attribute = parseAttribute(message);
      if (attribute.name === name) return attribute;
    }
    return undefined;
  }

  async function fractalHeap(at: number): Promise<FractalHeap> {
    const O = g.offsetSize;
    const L = g.lengthSize;
    const headerSize = 4 + 1 + 2 + 2 + 1 + 4 + L + O + L + O + 8 * L + 2 + L + L + 2 + 2 + O + 2 + 4;
    const bytes = await exactly(at, headerSize, "a fractal heap header");
    if (ascii(bytes, 0, 4) !== "FRHP") throw new Hdf5FormatError("a fractal heap header has a bad signature");
    const heapIdLength = uint(bytes, 5, 2);
    const filterLength = uint(bytes, 7, 2);
    const flags = u8(bytes, 9);
    if (filterLength > 0) throw new Hdf5Unsupported("a filtered (compressed) fractal heap is not supported");
    const maxManagedSize = uint(bytes, 10, 4);
    let p = 14 + L;
    const hugeBtree = uint(bytes, p, O);
    p += O + L + O + 8 * L;
    const tableWidth = uint(bytes, p, 2);
    const startingBlockSize = uint(bytes, p + 2, L);
    const maxDirectBlockSize = uint(bytes, p + 2 + L, L);
    const maxHeapSizeBits = uint(bytes, p + 2 + 2 * L, 2);
    const rootBlock = uint(bytes, p + 2 + 2 * L + 4, O);
    const rootRows = uint(bytes, p + 2 + 2 * L + 4 + O, 2);
    return {
      at,
      heapIdLength,
      maxManagedSize,
      tableWidth,
      startingBlockSize,
      maxDirectBlockSize,
      maxHeapSizeBits,
      rootBlock,
      rootRows,
      hugeBtree,
      blockOffsetBytes: Math.ceil(maxHeapSizeBits / 8),
      checksummedDirect: (flags & 0x02) !== 0,
    };
  }

  /** The records of a v2 B-tree whose root is a leaf (depth 0). */
  async function btreeLeafRecords(at: number, expectedType: number): Promise<Uint8Array[]> {
    const O = g.offsetSize;
    const L = g.lengthSize;
    const header = await exactly(at, 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + O + 2 + L + 4, "a B-tree header");
    if (ascii(header, 0, 4) !== "BTHD") throw new Hdf5FormatError("a B-tree header has a bad signature");
    if (u8(header, 5) !== expectedType) throw new Hdf5FormatError(`a B-tree of type ${u8(header, 5)} where type ${expectedType} was expected`);
    const recordSize = uint(header, 10, 2);
    const depth = uint(header, 12, 2);
    const root = uint(header, 16, O);
    const rootRecords = uint(header, 16 + O, 2);
    if (rootRecords === 0 || root === UNDEFINED_ADDRESS) return [];
    if (depth !== 0) throw new Hdf5Unsupported("a B-tree deeper than its root is not supported");
    const leaf = await exactly(address(root), 6 + recordSize * rootRecords, "a B-tree leaf");
    if (ascii(leaf, 0, 4) !== "BTLF") throw new Hdf5FormatError("a B-tree leaf has a bad signature");
    const records: Uint8Array[] = [];
    for (let i = 0; i < rootRecords; i++) records.push(leaf.subarray(6 + i * recordSize, 6 + (i + 1) * recordSize));
    return records;
  }

  async function heapObject(heap: FractalHeap, id: Uint8Array): Promise<Uint8Array> {
    const kind = (u8(id, 0) >> 4) & 0x03;
    if (kind === 2) {
      // Tiny: the object is in the ID itself.
      const length = (u8(id, 0) & 0x0f) + 1;
      return id.subarray(1, 1 + length);
    }
    if (kind === 1) return hugeObject(heap, id);
    if (kind !== 0) throw new Hdf5FormatError("a heap ID of unknown type");
    const offset = uint(id, 1, heap.blockOffsetBytes);
    const lengthBytes = Math.ceil(Math.log2(Math.min(heap.maxDirectBlockSize, heap.maxManagedSize) + 1) / 8);
    const length = uint(id, 1 + heap.blockOffsetBytes, lengthBytes);
    if (length > options.maxValueBytes + 4096) throw new Hdf5Unsupported(`a heap object of ${length} bytes is more than the reader takes`);
    const block = await directBlockFor(heap, offset);
    const start = block.at + (offset - block.heapOffset);
    return exactly(start, length, "a fractal heap object");
  }

  /** The direct block holding heap offset `offset`: the root block itself, or one listed by a root indirect block. */
  async function directBlockFor(heap: FractalHeap, offset: number): Promise<{ at: number; heapOffset: number }> {
    if (heap.rootBlock === UNDEFINED_ADDRESS) throw new Hdf5FormatError("the fractal heap has no root block");
    const root = address(heap.rootBlock);
    if (heap.rootRows === 0) return { at: root, heapOffset: 0 };
    const O = g.offsetSize;
    const maxDirectRows = Math.log2(heap.maxDirectBlockSize) - Math.log2(heap.startingBlockSize) + 2;
    if (heap.rootRows > maxDirectRows) throw new Hdf5Unsupported("indirect blocks below the fractal heap's root are not supported");
    const entries = heap.rootRows * heap.tableWidth;
    const head = 4 + 1 + O + heap.blockOffsetBytes;
    const bytes = await exactly(root, head + entries * O, "a fractal heap indirect block");
    if (ascii(bytes, 0, 4) !== "FHIB") throw new Hdf5FormatError("a fractal heap indirect block has a bad signature");
    let heapOffset = 0;
    for (let row = 0; row < heap.rootRows; row++) {
      const blockSize = heap.startingBlockSize * (row <= 1 ? 1 : 2 ** (row - 1));
      for (let column = 0; column < heap.tableWidth; column++) {
        const child = uint(bytes, head + (row * heap.tableWidth + column) * O, O);
        if (offset >= heapOffset && offset < heapOffset + blockSize) {
          if (child === UNDEFINED_ADDRESS) throw new Hdf5FormatError("a heap object lies in an unallocated block");
          return { at: address(child), heapOffset };
        }
        heapOffset += blockSize;
      }
    }
    throw new Hdf5FormatError("a heap offset lies outside the fractal heap");
  }

  async function hugeObject(heap: FractalHeap, id: Uint8Array): Promise<Uint8Array> {
    const O = g.offsetSize;
    const L = g.lengthSize;
    if (heap.hugeBtree === UNDEFINED_ADDRESS) throw new Hdf5FormatError("a huge heap object without a huge-object index");
    // Huge objects not filtered, indirectly accessed (B-tree type 1): records { address, length, id }.
    const wanted = uint(id, 1, Math.min(id.length - 1, L));
    const records = await btreeLeafRecords(address(heap.hugeBtree), 1);
    for (const record of records) {
      const recordId = uint(record, O + L, L);
      if (recordId !== wanted) continue;
      const at = uint(record, 0, O);
      const length = uint(record, O, L);
      if (length > options.maxValueBytes + 4096) throw new Hdf5Unsupported(`a heap object of ${length} bytes is more than the reader takes`);
      return exactly(address(at), length, "a huge heap object");
    }
    throw new Hdf5FormatError(`huge heap object ${wanted} not found`);
  }
}

/** True when the first bytes are an HDF5 signature (a file without a user block). */
export function looksLikeHdf5(head: Uint8Array): boolean {
  return head.length >= 8 && HDF5_SIGNATURE.every((byte, i) => head[i] === byte);
}

