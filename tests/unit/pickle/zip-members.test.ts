/**
 * Issues 24 and 28: a zip is judged by what its central directory lists (a zip with no pickle member is
 * not pickle weights, and costs its directory only), and encryption by the bytes, never the flag bits.
 * The fixtures and their verdicts come from scripts/make-pickle-fixtures.py (manifest.json).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { OWN_SCAN_DEFAULTS } from "../../../lib/hub/own-scans";
import { scanPickleFile } from "../../../lib/readers/pickle/scan-file";
import { bufferReader, encryptionEvidence, readLocalHeader, readZipDirectory, startsWithDecryptionHeader } from "../../../lib/readers/zip/zip";
import { ascii, concatBytes, fixture, memoryFile } from "./fixtures";
import { buildSparseZip } from "./sparse-zip";

interface ManifestEntry {
  file: string;
  expect: string;
  class?: string;
}
const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../fixtures/pickles/manifest.json", import.meta.url)), "utf8")) as ManifestEntry[];
const ofClass = (name: string) => manifest.filter((entry) => entry.class === name);

async function scan(name: string, bytes = fixture(name)) {
  const file = memoryFile(bytes);
  const result = await scanPickleFile({ path: name, size: bytes.length, read: file.read, maxBytes: OWN_SCAN_DEFAULTS.maxBytesPerFile, chunkSize: OWN_SCAN_DEFAULTS.chunkSize });
  return { result, file };
}

const KB = 1024;

describe("a zip is pickle weights only if it holds a pickle member", () => {
  it.each(ofClass("zip without pickles").map((entry) => entry.file))("%s: read, clean, no pickle member", async (name) => {
    const { result } = await scan(name);
    expect(result).toMatchObject({ verdict: "clean", imports: [] });
    expect(result.archive?.pickleMembers).toBe(0);
    expect(result.archive?.members).toBeGreaterThan(0);
  });

  it.each(ofClass("zip with pickles").map((entry) => [entry.file, entry.expect] as const))("%s: its pickle member is judged (%s)", async (name, verdict) => {
    const { result } = await scan(name);
    expect(result.verdict).toBe(verdict);
    expect(result.archive?.pickleMembers).toBe(1);
  });

  it("a CoreML model with 1.2 GB of weights costs its directory and a look at each .bin member", async () => {
    const mil = ascii(`program(1.0)\n${"    tensor<fp16, [768, 768]> w = const()[val = BLOBFILE(\"@model_path/weights/weight.bin\")];\n".repeat(600)}`);
    const zip = buildSparseZip(
      [
        { name: "Unet.mlmodelc/analytics/coremldata.bin", data: concatBytes(Uint8Array.of(0x0a, 0x04), new Uint8Array(190).fill(7)) },
        { name: "Unet.mlmodelc/coremldata.bin", data: concatBytes(Uint8Array.of(0x08, 0x07, 0x12), new Uint8Array(600).fill(3)) },
        { name: "Unet.mlmodelc/metadata.json", data: ascii(JSON.stringify([{ specificationVersion: 7, modelType: { name: "MLModelType_mlProgram" } }])) },
        { name: "Unet.mlmodelc/model.mil", data: mil },
        { name: "Unet.mlmodelc/weights/weight.bin", data: 1_200_000_000 },
      ],
      false,
    );
    const result = await scanPickleFile({ path: "Unet.mlmodelc.zip", size: zip.size, read: zip.read, maxBytes: OWN_SCAN_DEFAULTS.maxBytesPerFile, chunkSize: OWN_SCAN_DEFAULTS.chunkSize });
    expect(result).toMatchObject({ verdict: "clean", archive: { members: 5, pickleMembers: 0 } });
    // The first 4 KiB (two small .bin members), the last 8 KiB (the directory), 4 KiB at weight.bin's start.
    expect(zip.requests()).toBeLessThanOrEqual(3);
    expect(result.bytesRead).toBeLessThanOrEqual(16 * KB);
    console.log(`CoreML zip of 1.2 GB: ${zip.requests()} requests, ${result.bytesRead} bytes`);
  });

  it("an archive of 200 images costs its start and its directory, no image is read", async () => {
    const zip = buildSparseZip(
      [...Array.from({ length: 200 }, (_, i) => ({ name: `images/${String(i).padStart(5, "0")}.png`, data: 300_000 })), { name: "labels.csv", data: ascii("a,1\n") }],
      false,
    );
    const result = await scanPickleFile({ path: "images.zip", size: zip.size, read: zip.read, maxBytes: OWN_SCAN_DEFAULTS.maxBytesPerFile, chunkSize: OWN_SCAN_DEFAULTS.chunkSize });
    expect(result).toMatchObject({ verdict: "clean", archive: { members: 201, pickleMembers: 0 } });
    // The directory of 201 entries is 12 KB: the end's 8 KiB, then the rest of it.
    expect(zip.requests()).toBeLessThanOrEqual(3);
    expect(result.bytesRead).toBeLessThanOrEqual(4 * KB + 8 * KB + 12 * KB);
    console.log(`images zip (200 × 300 KB): ${zip.requests()} requests, ${result.bytesRead} bytes`);
  });

  it("members no loader unpickles are not read, even when their bytes start like a pickle", async () => {
    const pickle = fixture("posix-system.pkl");
    const zip = buildSparseZip([{ name: "notes/readme.txt", data: pickle }, { name: "images/a.png", data: 1000 }], false);
    const result = await scanPickleFile({ path: "docs.zip", size: zip.size, read: zip.read, maxBytes: 1024 * KB });
    expect(result).toMatchObject({ verdict: "clean", imports: [], archive: { members: 2, pickleMembers: 0 } });
  });

  it("a member with no extension is looked at by its first bytes; torch.save's text records are not", async () => {
    const zip = buildSparseZip(
      [{ name: "export/model", data: fixture("posix-system.pkl") }, { name: "archive/version", data: ascii("3\n") }, { name: "archive/byteorder", data: ascii("little") }],
      false,
    );
    const result = await scanPickleFile({ path: "export.zip", size: zip.size, read: zip.read, maxBytes: 1024 * KB });
    expect(result).toMatchObject({ verdict: "dangerous", archive: { members: 3, pickleMembers: 1 } });
  });

  it("a .bin member is looked at by its first bytes: a PyTorch file inside is read", async () => {
    const inner = fixture("exec-torch.pt");
    const zip = buildSparseZip([{ name: "checkpoints/pytorch_model.bin", data: inner }, { name: "config.json", data: ascii("{}") }], false);
    const result = await scanPickleFile({ path: "bundle.zip", size: zip.size, read: zip.read, maxBytes: 1024 * KB });
    expect(result.verdict).toBe("dangerous");
    expect(result.archive?.pickleMembers).toBe(1);
  });
});

describe("encryption is decided by the bytes, not the flag bits", () => {
  it.each(ofClass("zip flag bits").map((entry) => [entry.file, entry.expect] as const))("%s → %s, read as PyTorch reads it", async (name, verdict) => {
    const { result } = await scan(name);
    expect(result.verdict).toBe(verdict);
    expect(result.reason).toBeUndefined();
  });

  it.each(ofClass("zip encryption").map((entry) => entry.file))("%s: really encrypted, unknown, and says so", async (name) => {
    const { result } = await scan(name);
    expect(result.verdict).toBe("unknown");
    expect(result.reason).toMatch(/encrypted/);
  });

  it("names the evidence: AES extra field, strong-encryption header, traditional header", async () => {
    expect((await scan("encrypted-aes-torch.pt")).result.reason).toMatch(/AES extra field \(0x9901\)/);
    expect((await scan("encrypted-strong-torch.pt")).result.reason).toMatch(/strong encryption/);
    expect((await scan("encrypted-strong-no-extra-torch.pt")).result.reason).toMatch(/encryption header record/);
    expect((await scan("encrypted-traditional-torch.pt")).result.reason).toMatch(/12-byte encryption header/);
    expect((await scan("encrypted-central-directory.zip")).result.reason).toMatch(/central directory is encrypted/);
  });

  it("a decryption header is recognised from the data, and random or pickle bytes never look like one", async () => {
    const bytes = fixture("encrypted-strong-no-extra-torch.pt");
    const read = bufferReader(bytes);
    const entry = (await readZipDirectory(read, bytes.length)).entries[0];
    if (entry === undefined) throw new Error("no entry");
    const local = await readLocalHeader(read, entry, bytes.length);
    const head = bytes.subarray(local.dataOffset, local.dataOffset + 96);
    expect(startsWithDecryptionHeader(head, entry.compressedSize)).toBe(true);
    expect(encryptionEvidence(entry, local.extraIds, head)).toBe("strong");
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 20_000; i++) {
      const random = Uint8Array.from({ length: 96 }, next);
      expect(startsWithDecryptionHeader(random, 1 << 20)).toBe(false);
    }
    expect(startsWithDecryptionHeader(fixture("posix-system.pkl"), 100)).toBe(false);
  });

  it("the local header's extra fields count too", async () => {
    const bytes = fixture("encrypted-aes-torch.pt");
    const read = bufferReader(bytes);
    const entry = (await readZipDirectory(read, bytes.length)).entries[0];
    if (entry === undefined) throw new Error("no entry");
    expect((await readLocalHeader(read, entry, bytes.length)).extraIds).toContain(0x9901);
    expect(encryptionEvidence({ ...entry, extraIds: [], method: 0 }, [0x9901])).toBe("aes");
  });
});

describe("STACK_GLOBAL on values that are not plain strings (issue 28)", () => {
  it.each(ofClass("STACK_GLOBAL trick").map((entry) => entry.file))("%s is dangerous, and says why in plain words", async (name) => {
    const { result } = await scan(name);
    expect(result.verdict).toBe("dangerous");
    const unresolved = result.imports.filter((imp) => `${imp.module}.${imp.name}`.includes("unknown ("));
    expect(unresolved.length).toBeGreaterThan(0);
    for (const imp of unresolved) expect(imp.safety).toBe("dangerous");
  });

  it("raw bytes that spell the trick by chance, with no PROTO and no whole pickle, are not a pickle", async () => {
    const { result } = await scan("stack-global-noise.bin");
    expect(result).toMatchObject({ verdict: "unknown", imports: [] });
    expect(result.reason).toMatch(/not a pickle/);
    // The same opcodes announced as a pickle are the trick.
    const announced = concatBytes(Uint8Array.of(0x80, 4), fixture("stack-global-noise.bin"));
    expect((await scan("x.pkl", announced)).result.verdict).toBe("dangerous");
  });
});
