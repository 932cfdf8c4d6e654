import { describe, expect, it } from "vitest";
import { scanPickleFile } from "../../../lib/readers/pickle/scan-file";
import { bufferReader, memberDataOffset, readZipDirectory } from "../../../lib/readers/zip/zip";
import { concatBytes, fixture, memoryFile } from "./fixtures";
import { buildSparseZip } from "./sparse-zip";

const MB = 1024 * 1024;

async function scanFixture(name: string, extra: { maxBytes?: number; maxDepth?: number; chunkSize?: number } = {}) {
  const data = fixture(name);
  const file = memoryFile(data);
  const scan = await scanPickleFile({ path: name, size: data.length, read: file.read, maxBytes: extra.maxBytes ?? 8 * MB, ...extra });
  return { scan, file };
}

const TORCH_IMPORTS = ["collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch.FloatStorage"].sort();
const importNames = (scan: { imports: { module: string; name: string }[] }) => scan.imports.map((i) => `${i.module}.${i.name}`).sort();

async function dataPkl(): Promise<Uint8Array> {
  const zip = fixture("benign-torch.pt");
  const directory = await readZipDirectory(bufferReader(zip), zip.length);
  const entry = directory.entries[0];
  if (entry === undefined) throw new Error("no data.pkl");
  const offset = await memberDataOffset(bufferReader(zip), entry, zip.length);
  return zip.slice(offset, offset + entry.compressedSize);
}

describe("scanPickleFile verdicts on fixtures", () => {
  it.each([
    // name, verdict, imports (sorted), reason pattern for unknown
    ["benign-torch.pt", "clean", TORCH_IMPORTS],
    ["benign-zip64.pt", "clean", TORCH_IMPORTS],
    ["legacy-torch.pt", "clean", TORCH_IMPORTS],
    ["benign-proto0.pkl", "clean", ["collections.OrderedDict"]],
    ["benign-plain.pkl", "clean", []],
    ["object-array.npy", "clean", ["numpy.core.multiarray._reconstruct", "numpy.dtype", "numpy.ndarray"]],
    ["float32.npy", "clean", []],
    ["exec-torch.pt", "dangerous", ["builtins.exec"]],
    ["deflated-torch.pt", "dangerous", ["os.system"]],
    ["posix-system.pkl", "dangerous", ["posix.system"]],
    ["runpy-run-code.pkl", "dangerous", ["runpy._run_code"]],
    ["inst-os-system.pkl", "dangerous", ["os.system"]],
    ["memo-overwrite.pkl", "dangerous", ["os.system"]],
    ["memo-index.pkl", "dangerous", ["builtins.eval"]],
    ["stack-global-computed.pkl", "dangerous", ["builtins.str", "unknown (not a string).system"]],
    ["appended.pkl", "dangerous", ["builtins.eval"]],
    ["nested.zip", "dangerous", ["os.system"]],
    ["nested-deflated.zip", "dangerous", ["os.system"]],
    ["legacy-torch-evil.pt", "dangerous", [...TORCH_IMPORTS, "builtins.eval"].sort()],
    ["object-array-evil.npy", "dangerous", ["builtins.eval"]],
    ["arrays.npz", "dangerous", ["builtins.eval"]],
    ["dangerous-then-garbage.pkl", "dangerous", ["os.system"]],
  ] as const)("%s → %s", async (name, verdict, imports) => {
    const { scan } = await scanFixture(name);
    expect(scan.verdict).toBe(verdict);
    expect(importNames(scan)).toEqual(imports);
    expect(scan.path).toBe(name);
    expect(scan.bytesRead).toBe(fixture(name).length);
    if (verdict === "clean") expect(scan.reason).toBeUndefined();
  });

  it.each([
    ["archive.7z", /^cannot read 7z archives$/],
    ["nested-deep.zip", /nested more than 3 deep/],
    ["bad-opcode.pkl", /unknown opcode 0xff/],
    ["stack-underflow.pkl", /empty stack/],
    ["truncated.pkl", /truncated/],
    ["truncated-zip.pt", /no end of central directory/],
    ["bad-cd-offset.pt", /outside the archive/],
    ["not-a-pickle.bin", /not a pickle/],
  ])("%s → unknown (%s)", async (name, reason) => {
    const { scan } = await scanFixture(name);
    expect(scan.verdict).toBe("unknown");
    expect(scan.reason).toMatch(reason);
  });

  it("keeps the reason when a dangerous import decided an incomplete scan", async () => {
    const { scan } = await scanFixture("dangerous-then-garbage.pkl");
    expect(scan.reason).toMatch(/malformed/);
  });

  it("classifies every import it reports", async () => {
    const { scan } = await scanFixture("stack-global-computed.pkl");
    expect(scan.imports).toEqual(
      expect.arrayContaining([
        { module: "builtins", name: "str", safety: "innocuous" },
        { module: "unknown (not a string)", name: "system", safety: "dangerous" },
      ]),
    );
  });

  it("opens deeper nesting when allowed", async () => {
    const { scan } = await scanFixture("nested-deep.zip", { maxDepth: 6 });
    expect(scan.verdict).toBe("clean");
    expect(importNames(scan)).toEqual(TORCH_IMPORTS);
  });

  it("a suspicious import alone gives suspicious", async () => {
    const data = Uint8Array.from([0x80, 2, ...new TextEncoder().encode("cmy_pkg\nNet\n"), 0x29, 0x52, 0x2e]);
    const scan = await scanPickleFile({ path: "x.pkl", size: data.length, read: memoryFile(data).read, maxBytes: MB });
    expect(scan).toMatchObject({ verdict: "suspicious", imports: [{ module: "my_pkg", name: "Net", safety: "suspicious" }] });
  });

  it("a cancelled scan is unknown and reads nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const data = fixture("benign-torch.pt");
    const file = memoryFile(data);
    const scan = await scanPickleFile({ path: "m.pt", size: data.length, read: file.read, maxBytes: MB, signal: controller.signal });
    expect(scan).toMatchObject({ verdict: "unknown", reason: "cancelled", bytesRead: 0 });
    expect(file.calls).toEqual([]);
  });

  it("an empty file is unknown", async () => {
    const scan = await scanPickleFile({ path: "e.pkl", size: 0, read: memoryFile(new Uint8Array(0)).read, maxBytes: MB });
    expect(scan.verdict).toBe("unknown");
    expect(scan.bytesRead).toBe(0);
  });
});

describe("byte cap", () => {
  it("stops at the cap and says unknown", async () => {
    // A pickle whose GLOBAL sits after 300 KiB of list items: a 128 KiB cap never reaches it.
    const filler = new Uint8Array(300 * 1024).fill(0x4e); // NONE opcodes
    const data = concatBytes(Uint8Array.of(0x80, 2, 0x28), filler, new TextEncoder().encode("0cos\nsystem\n."));
    const capped = await scanPickleFile({ path: "f.pkl", size: data.length, read: memoryFile(data).read, maxBytes: 128 * 1024 });
    expect(capped.verdict).toBe("unknown");
    expect(capped.reason).toMatch(/byte cap/);
    expect(capped.bytesRead).toBeLessThanOrEqual(128 * 1024);
    const full = await scanPickleFile({ path: "f.pkl", size: data.length, read: memoryFile(data).read, maxBytes: MB });
    expect(full.verdict).toBe("dangerous");
  });

  it("skips a long bytes argument without reading it", async () => {
    const big = 50 * MB;
    const head = concatBytes(Uint8Array.of(0x80, 4, 0x8e), new Uint8Array(new BigUint64Array([BigInt(big)]).buffer));
    const tail = new TextEncoder().encode("0cposix\nsystem\n.");
    const size = head.length + big + tail.length;
    let served = 0;
    const read = (offset: number, length: number): Promise<Uint8Array> => {
      const out = new Uint8Array(Math.min(length, size - offset));
      for (let i = 0; i < out.length; i++) {
        const at = offset + i;
        if (at < head.length) out[i] = head[at] ?? 0;
        else if (at >= head.length + big) out[i] = tail[at - head.length - big] ?? 0;
      }
      served += out.length;
      return Promise.resolve(out);
    };
    const scan = await scanPickleFile({ path: "skip.pkl", size, read, maxBytes: MB });
    expect(scan.verdict).toBe("dangerous");
    expect(served).toBeLessThan(200 * 1024);
  });
});

describe("deflated members", () => {
  it("stops inflating at maxInflatedBytes and says unknown", async () => {
    const data = fixture("deflated-torch.pt");
    const scan = await scanPickleFile({ path: "m.pt", size: data.length, read: memoryFile(data).read, maxBytes: MB, maxInflatedBytes: 10 });
    expect(scan.verdict).toBe("unknown");
    expect(scan.reason).toMatch(/inflates to more than 10 bytes/);
  });
});

describe("reading few bytes", () => {
  it("judges a 2 GB PyTorch zip with less than 1 MB read", async () => {
    const pkl = await dataPkl();
    const file = buildSparseZip(
      [
        { name: "model/data.pkl", data: pkl },
        { name: "model/data/0", data: 2 * 1024 ** 3 - 4096 },
        { name: "model/data/1", data: 1000 },
        { name: "model/version", data: new TextEncoder().encode("3\n") },
      ],
      false,
    );
    expect(file.size).toBeGreaterThan(2 * 1024 ** 3 - 4096);
    const scan = await scanPickleFile({ path: "pytorch_model.bin", size: file.size, read: file.read, maxBytes: MB });
    expect(scan.verdict).toBe("clean");
    expect(importNames(scan)).toEqual(TORCH_IMPORTS);
    expect(scan.bytesRead).toBe(file.served());
    expect(scan.bytesRead).toBeLessThan(MB);
    // Head block (data.pkl), the EOCD search at the end (2 blocks) and the version member's block.
    expect(scan.bytesRead).toBeLessThanOrEqual(4 * 64 * 1024);
    expect(file.requests()).toBeLessThanOrEqual(4);
  });

  it("judges a 6 GB ZIP64 PyTorch zip with a dangerous pickle at the end, reading less than 1 MB", async () => {
    const evil = Uint8Array.of(0x80, 2, ...new TextEncoder().encode("cbuiltins\nexec\n"), 0x4e, 0x85, 0x52, 0x2e);
    const file = buildSparseZip(
      [
        { name: "archive/data/0", data: 6 * 1024 ** 3 },
        { name: "archive/data.pkl", data: evil },
      ],
      true,
    );
    const scan = await scanPickleFile({ path: "model.pt", size: file.size, read: file.read, maxBytes: MB });
    expect(scan.verdict).toBe("dangerous");
    expect(importNames(scan)).toEqual(["builtins.exec"]);
    expect(scan.bytesRead).toBeLessThan(MB);
  });

  it("reads in chunks of the requested size", async () => {
    const { file } = await scanFixture("legacy-torch.pt", { chunkSize: 1024 });
    expect(file.calls.every((c) => c.length <= 16 * 1024)).toBe(true);
  });
});
