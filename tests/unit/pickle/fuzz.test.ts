/**
 * Seeded fuzzing of the own pickle scan (issue 15): thousands of mutated and truncated real-shaped
 * checkpoints (PyTorch zips, ZIP64, legacy torch files, training_args-style objects, .npy/.npz, plain and
 * attack pickles from tests/fixtures/pickles). For every case the scan returns (never throws), reads no
 * more than its byte cap, ends within its time cap, and never calls a truncated or cut-off pickle clean.
 * The seed is fixed, so a failure names a case that can be replayed (FUZZ_SEED overrides it).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readPickles } from "../../../lib/readers/pickle/pickle-reader";
import { scanPickleFile } from "../../../lib/readers/pickle/scan-file";
import { bufferReader, memberDataOffset, readZipDirectory } from "../../../lib/readers/zip/zip";
import { fixture, memoryFile } from "./fixtures";
import { buildSparseZip } from "./sparse-zip";

const SEED = Number(process.env.FUZZ_SEED ?? 0x15f022);
const MUTATED_CASES = 2500;
const CUT_CASES = 1500;
const RAW_CASES = 3000;
/** A scan of these small files that takes longer than this is a hang, not slowness. */
const TIME_CAP_MS = 10_000;

/** mulberry32: small, fast, good enough to spread mutations. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ManifestEntry {
  file: string;
  expect: string;
}
const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../fixtures/pickles/manifest.json", import.meta.url)), "utf8")) as ManifestEntry[];

const expected = (name: string): string | undefined => manifest.find((entry) => entry.file === name)?.expect;

/** Files of a single pickle (or a zip): any cut before the end leaves a pickle that is not whole. */
const WHOLE_PICKLES = ["benign-plain.pkl", "benign-proto0.pkl", "benign-training-args.bin", "benign-training-args-p4.bin", "posix-system.pkl", "peer-torch-hub-load.pkl", "peer-http-client.pkl", "object-array.npy"];
const ZIPS = [
  "benign-torch.pt", "benign-zip64.pt", "deflated-torch.pt", "benign-parameter-torch.pt", "numeric-deflated.npz", "arrays.npz", "peer-encrypted-flag-benign.pt", "nested.zip",
  // issues 24 and 28: zips without pickles, flag bits over clear data, a Lightning checkpoint
  "coreml-text-encoder.mlmodelc.zip", "images.zip", "flag-bit6-benign.pt", "flag-bit13-benign.pt", "flag-bit0-deflated-benign.pt", "lightning-sd.ckpt",
];
const FLAG_CASES = 1500;
const CORPUS = [...new Set([...WHOLE_PICKLES, ...ZIPS, ...manifest.map((entry) => entry.file)])].map((name) => ({ name, bytes: fixture(name) }));

const OPCODE_BYTES = [0x80, 0x93, 0x8c, 0x94, 0x63, 0x69, 0x52, 0x2e, 0x28, 0x74, 0x71, 0x68, 0x58, 0x95, 0x82, 0x4b];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("empty list");
  return item;
}

function mutate(random: () => number, input: Uint8Array): Uint8Array {
  let bytes = input.slice();
  const steps = 1 + Math.floor(random() * 4);
  for (let step = 0; step < steps; step++) {
    const at = Math.floor(random() * Math.max(1, bytes.length));
    switch (Math.floor(random() * 6)) {
      case 0: // flip a byte
        bytes[at] = Math.floor(random() * 256);
        break;
      case 1: // plant an opcode
        bytes[at] = pick(random, OPCODE_BYTES);
        break;
      case 2: {
        // delete a run
        const length = 1 + Math.floor(random() * 16);
        bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + length)]);
        break;
      }
      case 3: {
        // insert random bytes
        const extra = Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256));
        bytes = new Uint8Array([...bytes.subarray(0, at), ...extra, ...bytes.subarray(at)]);
        break;
      }
      case 4: {
        // duplicate a region
        const length = Math.floor(random() * 64);
        bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at, at + length), ...bytes.subarray(at)]);
        break;
      }
      default: {
        // overwrite with a 32-bit value (lengths, offsets)
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        if (at + 4 <= bytes.length) view.setUint32(at, [0, 0xffffffff, 0x7fffffff, Math.floor(random() * 2 ** 32)][Math.floor(random() * 4)] ?? 0, true);
      }
    }
  }
  return bytes;
}

async function scanBytes(name: string, bytes: Uint8Array, maxBytes: number) {
  const file = memoryFile(bytes);
  const started = performance.now();
  const scan = await scanPickleFile({ path: name, size: bytes.length, read: file.read, maxBytes, chunkSize: 4096, signal: AbortSignal.timeout(TIME_CAP_MS) });
  return { scan, ms: performance.now() - started, served: file.bytesServed() };
}

async function dataPklOf(name: string): Promise<Uint8Array> {
  const zip = fixture(name);
  const directory = await readZipDirectory(bufferReader(zip), zip.length);
  const entry = directory.entries.find((candidate) => candidate.name.endsWith("data.pkl"));
  if (entry === undefined) throw new Error(`${name} has no data.pkl`);
  const offset = await memberDataOffset(bufferReader(zip), entry, zip.length);
  return zip.slice(offset, offset + entry.compressedSize);
}

describe(`fuzzing the own scan (seed ${SEED})`, () => {
  it(`${MUTATED_CASES} mutated files: never throws, stays within its byte and time caps`, async () => {
    const random = prng(SEED);
    let slowest = 0;
    for (let i = 0; i < MUTATED_CASES; i++) {
      const base = pick(random, CORPUS);
      const bytes = mutate(random, base.bytes);
      const maxBytes = random() < 0.3 ? 1024 + Math.floor(random() * 8192) : 2 * 1024 * 1024;
      const { scan, ms, served } = await scanBytes(base.name, bytes, maxBytes);
      const label = `case ${i}: ${base.name} mutated (${bytes.length} bytes, cap ${maxBytes})`;
      expect(["clean", "suspicious", "dangerous", "unknown"], label).toContain(scan.verdict);
      expect(scan.bytesRead, label).toBeLessThanOrEqual(maxBytes);
      expect(scan.bytesRead, label).toBe(served);
      expect(scan.reason ?? "", label).not.toMatch(/cancelled|reader failure/);
      if (scan.verdict === "clean") expect(scan.reason, label).toBeUndefined();
      slowest = Math.max(slowest, ms);
    }
    console.log(`fuzz: ${MUTATED_CASES} mutated files, slowest scan ${slowest.toFixed(1)} ms`);
  }, 60_000);

  it(`${CUT_CASES} cut-off files and cut-off data.pkl members: never clean`, async () => {
    const random = prng(SEED ^ 0x5eed);
    const members = await Promise.all(["benign-torch.pt", "benign-parameter-torch.pt", "peer-encrypted-flag-benign.pt"].map(dataPklOf));
    for (let i = 0; i < CUT_CASES; i++) {
      if (random() < 0.5) {
        // The file itself cut short: a whole pickle, or a zip, minus its tail.
        const base = pick(random, [...WHOLE_PICKLES, ...ZIPS]);
        const bytes = fixture(base);
        const cut = bytes.subarray(0, Math.floor(random() * bytes.length));
        const { scan } = await scanBytes(base, cut, 2 * 1024 * 1024);
        const label = `case ${i}: ${base} cut to ${cut.length} of ${bytes.length}`;
        expect(scan.verdict, label).not.toBe("clean");
        // A benign file cut short is unchecked, not an alarm (an attack file cut after its import stays dangerous).
        if (expected(base) === "clean") expect(scan.verdict, label).toBe("unknown");
      } else {
        // A well-formed zip whose data.pkl member is itself cut off (its sizes say the cut length).
        const pkl = pick(random, members);
        const cut = pkl.subarray(0, Math.floor(random() * pkl.length));
        const zip = buildSparseZip([{ name: "archive/data.pkl", data: cut }, { name: "archive/data/0", data: 64 }, { name: "archive/version", data: new TextEncoder().encode("3\n") }], random() < 0.3);
        const scan = await scanPickleFile({ path: "pytorch_model.bin", size: zip.size, read: zip.read, maxBytes: 2 * 1024 * 1024 });
        expect(scan.verdict, `case ${i}: data.pkl cut to ${cut.length} of ${pkl.length}`).toBe("unknown");
      }
    }
  }, 60_000);

  it(`${FLAG_CASES} zips with encryption flag bits set at random: the verdict follows the bytes, never the flags`, async () => {
    // Bits 0, 6 and 13 set or cleared at random on random entries, in the central directory, the local
    // headers or both: data in the clear keeps its verdict (PyTorch loads it whatever the flags say), and a
    // really encrypted member stays unknown.
    const random = prng(SEED ^ 0xf1a9);
    const bases = [
      ...["benign-torch.pt", "flag-bit6-benign.pt", "deflated-torch.pt", "exec-torch.pt", "flag-bit13-torch.pt", "coreml-text-encoder.mlmodelc.zip", "lightning-sd.ckpt"],
      ...manifest.filter((entry) => entry.file.startsWith("encrypted-") && entry.file !== "encrypted-central-directory.zip").map((entry) => entry.file),
    ];
    const BITS = [0x0001, 0x0040, 0x2000];
    for (let i = 0; i < FLAG_CASES; i++) {
      const base = pick(random, bases);
      const bytes = fixture(base).slice();
      const view = new DataView(bytes.buffer);
      const directory = await readZipDirectory(bufferReader(bytes), bytes.length);
      let at = directory.centralDirectoryOffset;
      for (const entry of directory.entries) {
        const bit = pick(random, BITS);
        const where = Math.floor(random() * 3);
        const flip = (offset: number) => view.setUint16(offset, random() < 0.5 ? view.getUint16(offset, true) | bit : view.getUint16(offset, true) & ~bit, true);
        if (where !== 1) flip(at + 8);
        if (where !== 0) flip(entry.localHeaderOffset + 6);
        at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
      }
      const { scan } = await scanBytes(base, bytes, 2 * 1024 * 1024);
      expect(scan.verdict, `case ${i}: ${base} with flags changed (${scan.reason ?? ""})`).toBe(expected(base));
    }
  }, 60_000);

  it(`${RAW_CASES} raw streams through the opcode reader: never throws, never complete when cut`, () => {
    const random = prng(SEED ^ 0xacce55);
    const pickles = WHOLE_PICKLES.filter((name) => !name.endsWith(".npy")).map((name) => fixture(name));
    for (let i = 0; i < RAW_CASES; i++) {
      const base = pick(random, pickles);
      const bytes = random() < 0.5 ? mutate(random, base) : base.subarray(0, Math.floor(random() * base.length));
      const result = readPickles(bytes, { maxBytes: 64 * 1024 });
      expect(result.bytesConsumed, `case ${i}`).toBeLessThanOrEqual(bytes.length);
      if (bytes.length < base.length && base.subarray(0, bytes.length).every((byte, at) => byte === bytes[at])) {
        expect(result.complete, `case ${i}: a prefix of ${bytes.length} bytes`).toBe(false);
      }
      if (!result.complete) expect(result.error, `case ${i}`).toMatch(/\w/);
    }
  });
});
