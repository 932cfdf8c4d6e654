import { describe, expect, it } from "vitest";
import { KERAS_SCAN_DEFAULTS, scanKerasFile } from "../../../lib/readers/keras/scan-keras-file";
import { bufferReader, memberDataOffset, readZipDirectory } from "../../../lib/readers/zip/zip";
import { buildSparseZip } from "../pickle/sparse-zip";
import { countingReader, kerasFixture } from "./fixtures";

const scan = (path: string, bytes: Uint8Array, read = bufferReader(bytes), overrides: Partial<Parameters<typeof scanKerasFile>[0]> = {}) =>
  scanKerasFile({ path, size: bytes.length, read, ...KERAS_SCAN_DEFAULTS, ...overrides });

/** config.json and metadata.json of a fixture archive, uncompressed, to rebuild it around virtual weights. */
async function membersOf(fixture: string): Promise<{ name: string; data: Uint8Array }[]> {
  const bytes = kerasFixture(fixture);
  const read = bufferReader(bytes);
  const directory = await readZipDirectory(read, bytes.length);
  const out: { name: string; data: Uint8Array }[] = [];
  for (const name of ["metadata.json", "config.json"]) {
    const entry = directory.entries.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`${fixture} has no ${name}`);
    const offset = await memberDataOffset(read, entry, bytes.length);
    const raw = bytes.slice(offset, offset + entry.compressedSize);
    const data = entry.method === 0 ? raw : new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer());
    out.push({ name, data });
  }
  return out;
}

describe("scanKerasFile on the generated fixtures", () => {
  it.each<[string, string, string[], string[]]>([
    ["model.keras", "clean.keras", [], []],
    ["model.keras", "lambda.keras", ["scale_by_two"], []],
    ["model.keras", "module-bypass.keras", [], ["builtins.exec", "subprocess.Popen"]],
    ["model.keras", "hostile-names.keras", ['"><img src=x onerror=alert(1)>', '<svg onload=alert("lambda")>\u202e'], []],
    ["model.h5", "lambda-v0.h5", ["normalize"], []],
    ["model.h5", "clean-v0-vlen.h5", [], []],
    ["model.h5", "lambda-v2-dense.h5", ["normalize"], []],
    ["model.h5", "lambda-v1.h5", ["normalize"], []],
    ["model.h5", "lambda-v3-dense.h5", ["normalize"], []],
    ["model.h5", "clean-v2-dense.h5", [], []],
  ])("%s from %s", async (path, fixture, lambdas, foreign) => {
    const result = await scan(path, kerasFixture(fixture));
    expect(result.lambdas.map((layer) => layer.name)).toEqual(lambdas);
    expect(result.foreign.map((reference) => reference.target)).toEqual(foreign);
    expect(result.verdict).toBe(foreign.length > 0 ? "foreign" : lambdas.length > 0 ? "lambda" : "clean");
    expect(result.kerasVersion).toMatch(/^[23]\./);
  });

  it("a weights-only HDF5 file (transformers' tf_model.h5) is clean and says why", async () => {
    const result = await scan("tf_model.h5", kerasFixture("weights-only.h5"));
    expect(result.verdict).toBe("clean");
    expect(result.reason).toContain("no model_config");
  });

  it("a .keras name on an HDF5 file (Keras 2 wrote those) is read as HDF5", async () => {
    const result = await scan("old.keras", kerasFixture("lambda-v0.h5"));
    expect(result).toMatchObject({ format: "hdf5", verdict: "lambda" });
  });

  it.each<[string, Uint8Array]>([
    ["placeholder text named .h5", new TextEncoder().encode("placeholder bytes for model.h5\n")],
    ["the first ten bytes of a .keras", kerasFixture("lambda.keras").slice(0, 10)],
    ["empty", new Uint8Array(0)],
  ])("%s is unknown with a reason, never clean", async (_name, bytes) => {
    const result = await scan(_name.includes(".keras") ? "model.keras" : "model.h5", bytes);
    expect(result.verdict).toBe("unknown");
    expect(result.reason).toBeTruthy();
  });

  it.each(["lambda.keras", "module-bypass.keras", "lambda-v0.h5", "lambda-v2-dense.h5"])("%s cut short anywhere: never clean", async (fixture) => {
    const bytes = kerasFixture(fixture);
    const path = fixture.endsWith(".keras") ? "model.keras" : "model.h5";
    for (let cut = 0; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 61))) {
      const result = await scan(path, bytes.slice(0, cut));
      expect(result.verdict, `cut at ${cut}`).not.toBe("clean");
    }
  });

  it("over the byte cap: unknown, and says the cap", async () => {
    const result = await scan("model.h5", kerasFixture("lambda-v2-dense.h5"), undefined, { maxStructureBytes: 4096, maxConfigBytes: 4096 });
    expect(result.verdict).toBe("unknown");
    expect(result.reason).toMatch(/more than|KiB/);
  });

  it("a zip without config.json is not a Keras 3 archive: unknown", async () => {
    const zip = buildSparseZip([{ name: "weights.bin", data: 100 }], false);
    expect(await scan("model.keras", await zip.read(0, zip.size))).toMatchObject({ verdict: "unknown", reason: expect.stringContaining("no config.json") });
  });

  it("config.json that is not JSON: unknown", async () => {
    const zip = buildSparseZip([{ name: "metadata.json", data: new TextEncoder().encode("{}") }, { name: "config.json", data: new TextEncoder().encode("{not json") }], false);
    const bytes = await zip.read(0, zip.size);
    expect(await scan("model.keras", bytes)).toMatchObject({ verdict: "unknown", reason: expect.stringContaining("not valid JSON") });
  });

  it("a 2 GB .keras costs its tail and its two JSON members: ≤ 64 KiB plus config.json, 2 requests", async () => {
    const [metadata, config] = await membersOf("lambda.keras");
    if (!metadata || !config) throw new Error("members missing");
    const zip = buildSparseZip([metadata, config, { name: "model.weights.h5", data: 2_000_000_000 }], false);
    const result = await scanKerasFile({ path: "model.keras", size: zip.size, read: zip.read, ...KERAS_SCAN_DEFAULTS });
    expect(result.verdict).toBe("lambda");
    expect(zip.served() - config.data.length).toBeLessThanOrEqual(64 * 1024);
    expect(result.bytesRead).toBe(zip.served());
    expect(result.requests).toBe(2);
  });

  it("an HDF5 file's weights are never read: the first blocks only", async () => {
    const bytes = kerasFixture("lambda-v0.h5");
    const padded = new Uint8Array(50_000_000);
    padded.set(bytes);
    const { read, stats } = countingReader(padded);
    const result = await scanKerasFile({ path: "model.h5", size: padded.length, read, ...KERAS_SCAN_DEFAULTS });
    expect(result.verdict).toBe("lambda");
    expect(stats.bytes).toBeLessThanOrEqual(16 * 1024);
    expect(stats.requests).toBeLessThanOrEqual(3);
  });

  it("a cancelled read is unknown", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await scan("model.keras", kerasFixture("lambda.keras"), undefined, { signal: controller.signal });
    expect(result.verdict).toBe("unknown");
  });
});
