import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bufferReader, memberDataOffset, METHOD_STORED, readZipDirectory } from "../../lib/readers/zip/zip";
import { buildSparseZip, type SparseFile } from "../unit/pickle/sparse-zip";
import type { FixtureFile } from "./catalogue-types";
import { buildGgufHeader, sparseGguf } from "./gguf-fixture";
import { GGUF_FIXTURES } from "./template-catalogue";
import { POPULAR_GGUF_FIXTURES } from "./popular-catalogue";
import { TEMPLATE_DIFF_GGUF } from "./template-diff-catalogue";
import { REAL_PAGE_GGUF_FIXTURES } from "./real-pages-catalogue";

/**
 * The bytes the fake Hub serves for a fixture file (resolve and the storage host), by Range.
 *
 * `content` names a generated pickle fixture in tests/fixtures/pickles. `sparse-torch:<fixture>`
 * instead synthesizes a PyTorch zip exactly `size` bytes long (several GB if asked) whose data.pkl
 * is that fixture's, followed by one storage member of zeros, with the central directory at the
 * end: no byte of it exists until a Range request asks for it, so a test can show that judging a
 * huge checkpoint reads only its start and end. `gguf:<name>` is a real GGUF v3 header in front of
 * virtual zeros (template-catalogue.ts), `sparse-coreml:<Name>` a compiled Core ML model zipped as
 * apple/coreml-* repos ship it (`<Name>.mlmodelc/` with its program, metadata and a weights blob of
 * zeros sized to the file: no pickle inside), and `text` a small file's content as given.
 */
export interface ServedContent {
  size: number;
  /** Bytes [start, end] (inclusive), end already clamped to the size. */
  slice(start: number, end: number): Promise<Buffer>;
  /** True when the whole file must never be sent in one answer. */
  sparse: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
export const PICKLE_FIXTURES = join(here, "../fixtures/pickles");
export const SPARSE_TORCH = "sparse-torch:";
export const SPARSE_COREML = "sparse-coreml:";
/** `keras/<name>`: a generated Keras model file in tests/fixtures/keras (scripts/make-format-fixtures.py). */
export const KERAS_FIXTURES = join(here, "../fixtures/keras");
export const KERAS_PREFIX = "keras/";
const ZIP64_LIMIT = 0xffffffff;

const sparseCache = new Map<string, Promise<SparseFile>>();
export const GGUF = "gguf:";
const ggufHeaders = new Map<string, Uint8Array>();

/** `gguf:<name>`: a real GGUF v3 header (GGUF_FIXTURES) followed by zeros up to `size`; only asked-for bytes are made. */
function ggufContent(name: string, size: number): ServedContent {
  const spec = GGUF_FIXTURES[name] ?? POPULAR_GGUF_FIXTURES[name] ?? TEMPLATE_DIFF_GGUF[name] ?? REAL_PAGE_GGUF_FIXTURES[name];
  if (!spec) throw new Error(`no GGUF fixture named ${name}`);
  let header = ggufHeaders.get(name);
  if (!header) {
    header = buildGgufHeader(spec);
    ggufHeaders.set(name, header);
  }
  const file = sparseGguf(header, size);
  return { size, sparse: true, slice: (start, end) => Promise.resolve(Buffer.from(file.read(start, end - start + 1))) };
}

export function contentOf(file: FixtureFile): ServedContent {
  if (file.text !== undefined) {
    const bytes = Buffer.from(file.text, "utf8");
    return { size: bytes.length, sparse: false, slice: (start, end) => Promise.resolve(bytes.subarray(start, end + 1)) };
  }
  if (file.content?.startsWith(GGUF)) return ggufContent(file.content.slice(GGUF.length), file.size);
  if (file.content?.startsWith(SPARSE_TORCH)) return sparseContent(file.content.slice(SPARSE_TORCH.length), file.size);
  if (file.content?.startsWith(SPARSE_COREML)) return sparseServed(sparseCoreMlZip(file.content.slice(SPARSE_COREML.length), file.size));
  if (file.content?.startsWith(KERAS_PREFIX)) return paddedContent(readFileSync(join(KERAS_FIXTURES, file.content.slice(KERAS_PREFIX.length))), file.size);
  const bytes =
    file.content && existsSync(join(PICKLE_FIXTURES, file.content))
      ? readFileSync(join(PICKLE_FIXTURES, file.content))
      : // A Python file without a text of its own is still Python (a comment), as the Hub would serve a real one.
        Buffer.from(file.path.endsWith(".py") ? `# placeholder source for ${file.path}\n` : `placeholder bytes for ${file.path}\n`);
  return { size: bytes.length, sparse: false, slice: (start, end) => Promise.resolve(bytes.subarray(start, end + 1)) };
}

/** The zip is built to exactly `size` bytes, so the size is known before the layout is. */
function sparseContent(fixture: string, size: number): ServedContent {
  const key = `${fixture}:${size}`;
  let file = sparseCache.get(key);
  if (!file) {
    file = dataPklOf(fixture).then((dataPkl) => sparseTorchZip(dataPkl, size));
    sparseCache.set(key, file);
  }
  const layout = file;
  return {
    size,
    sparse: true,
    slice: async (start, end) => Buffer.from(await (await layout).read(start, end - start + 1)),
  };
}

/** The stored `data.pkl` member of a fixture PyTorch zip, read with the extension's own zip reader. */
async function dataPklOf(fixture: string): Promise<Uint8Array> {
  const zip = new Uint8Array(readFileSync(join(PICKLE_FIXTURES, fixture)));
  const read = bufferReader(zip);
  const directory = await readZipDirectory(read, zip.length);
  const entry = directory.entries.find((candidate) => /(^|\/)data\.pkl$/.test(candidate.name));
  if (!entry || entry.method !== METHOD_STORED) throw new Error(`${fixture} has no stored data.pkl`);
  const offset = await memberDataOffset(read, entry, zip.length);
  return zip.slice(offset, offset + entry.compressedSize);
}

function sparseServed(file: SparseFile): ServedContent {
  return { size: file.size, sparse: true, slice: async (start, end) => Buffer.from(await file.read(start, end - start + 1)) };
}

/** A compiled Core ML model's folder, zipped: small program and metadata files, and its weights as one blob of zeros filling `size`. */
function sparseCoreMlZip(name: string, size: number): SparseFile {
  const text = (value: string) => new TextEncoder().encode(value);
  const folder = `${name}.mlmodelc`;
  const members = (weights: number) => [
    { name: `${folder}/analytics/coremldata.bin`, data: text("coreml analytics\n") },
    { name: `${folder}/coremldata.bin`, data: text("coreml model description\n") },
    { name: `${folder}/metadata.json`, data: text(JSON.stringify([{ shortDescription: name, specificationVersion: 7 }])) },
    { name: `${folder}/model.mil`, data: text("program(1.0)\n[buildInfo = dict<tensor<string, []>, tensor<string, []>>({})]\n{\n}\n") },
    { name: `${folder}/weights/weight.bin`, data: weights },
  ];
  const zip64 = size >= ZIP64_LIMIT;
  const overhead = buildSparseZip(members(0), zip64).size;
  if (size < overhead) throw new Error(`a sparse Core ML zip needs at least ${overhead} bytes`);
  return buildSparseZip(members(size - overhead), zip64);
}

/** archive/data.pkl, archive/data/0 (zeros), archive/version; the zeros member is sized so the file is `size` bytes. */
export function sparseTorchZip(dataPkl: Uint8Array, size: number): SparseFile {
  const zip64 = size >= ZIP64_LIMIT;
  const members = (storage: number) => [
    { name: "archive/data.pkl", data: dataPkl },
    { name: "archive/data/0", data: storage },
    { name: "archive/version", data: new TextEncoder().encode("3\n") },
  ];
  const overhead = buildSparseZip(members(0), zip64).size;
  if (size < overhead) throw new Error(`a sparse torch zip needs at least ${overhead} bytes`);
  return buildSparseZip(members(size - overhead), zip64);
}

/**
 * A fixture's bytes followed by virtual zeros up to `size`: an HDF5 file whose datasets (the
 * weights) would follow its headers, served at its catalogued size without holding it in memory.
 * A zip must be served at its own size (its directory is at the end): give it that size.
 */
function paddedContent(bytes: Buffer, size: number): ServedContent {
  const total = Math.max(size, bytes.length);
  return {
    size: total,
    sparse: total > bytes.length,
    slice: (start, end) => {
      const out = Buffer.alloc(end - start + 1);
      if (start < bytes.length) bytes.copy(out, 0, start, Math.min(bytes.length, end + 1));
      return Promise.resolve(out);
    },
  };
}
