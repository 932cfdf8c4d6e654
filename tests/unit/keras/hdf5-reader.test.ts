import { describe, expect, it } from "vitest";
import { readRootAttribute, Hdf5FormatError, Hdf5Unsupported } from "../../../lib/readers/hdf5/hdf5-reader";
import { lookup3 } from "../../../lib/readers/hdf5/lookup3";
import { bufferReader } from "../../../lib/readers/zip/zip";
import { kerasFixture } from "./fixtures";

const OPTIONS = { maxValueBytes: 8 * 1024 * 1024 };

async function attribute(name: string, fixture: string) {
  const bytes = kerasFixture(fixture);
  return readRootAttribute(bufferReader(bytes), bytes.length, name, OPTIONS);
}

describe("lookup3 (HDF5's checksum and name hash)", () => {
  it("matches the reference vectors of lookup3.c", () => {
    expect(lookup3(new Uint8Array(0))).toBe(0xdeadbeef);
    expect(lookup3(new TextEncoder().encode("Four score and seven years ago"))).toBe(0x17770551);
    expect(lookup3(new TextEncoder().encode("Four score and seven years ago"), 1)).toBe(0xcd628161);
  });
});

describe("readRootAttribute", () => {
  it("superblock v0, version-1 header, fixed-length strings, model_config in a continuation block", async () => {
    const config = await attribute("model_config", "lambda-v0.h5");
    expect(JSON.parse(config.value ?? "")).toMatchObject({ class_name: "Sequential" });
    expect((await attribute("keras_version", "lambda-v0.h5")).value).toBe("2.15.0");
    expect((await attribute("backend", "lambda-v0.h5")).value).toBe("tensorflow");
  });

  it("variable-length UTF-8 strings through the global heap", async () => {
    expect((await attribute("keras_version", "clean-v0-vlen.h5")).value).toBe("2.15.0");
    expect(JSON.parse((await attribute("model_config", "clean-v0-vlen.h5")).value ?? "")).toMatchObject({ class_name: "Sequential" });
  });

  it("superblock v2, OHDR root, dense storage: managed objects and a huge model_config", async () => {
    expect((await attribute("backend", "lambda-v2-dense.h5")).value).toBe("tensorflow");
    const config = (await attribute("model_config", "lambda-v2-dense.h5")).value ?? "";
    expect(config.length).toBeGreaterThan(64 * 1024);
    expect(JSON.parse(config)).toMatchObject({ class_name: "Sequential" });
  });

  it("an attribute that is not there is undefined (weights-only files)", async () => {
    const result = await attribute("model_config", "weights-only.h5");
    expect(result.value).toBeUndefined();
    expect(result.names).toEqual(["backend", "keras_version"]);
  });

  it("not an HDF5 file: a format error", async () => {
    const bytes = new TextEncoder().encode("placeholder bytes for model.h5\n".repeat(20));
    await expect(readRootAttribute(bufferReader(bytes), bytes.length, "model_config", OPTIONS)).rejects.toBeInstanceOf(Hdf5FormatError);
  });

  it("a value larger than the cap is refused before it is read", async () => {
    const bytes = kerasFixture("lambda-v2-dense.h5");
    await expect(readRootAttribute(bufferReader(bytes), bytes.length, "model_config", { maxValueBytes: 1024 })).rejects.toBeInstanceOf(Hdf5Unsupported);
  });

  it("an unknown superblock version is unsupported, not misread", async () => {
    const bytes = kerasFixture("lambda-v0.h5").slice();
    bytes[8] = 7;
    await expect(readRootAttribute(bufferReader(bytes), bytes.length, "model_config", OPTIONS)).rejects.toBeInstanceOf(Hdf5Unsupported);
  });

  it("a continuation block pointing at itself ends with an error, never a hang", async () => {
    const bytes = kerasFixture("lambda-v0.h5").slice();
    // Find the continuation message (type 0x0010) in the root header and point it at the header's own block.
    const view = new DataView(bytes.buffer);
    let patched = false;
    for (let p = 96 + 16; p + 8 < 4096; ) {
      const type = view.getUint16(p, true);
      const size = view.getUint16(p + 2, true);
      if (type === 0x0010) {
        view.setBigUint64(p + 8, 96n + 16n, true);
        patched = true;
        break;
      }
      p += 8 + size;
    }
    expect(patched).toBe(true);
    await expect(readRootAttribute(bufferReader(bytes), bytes.length, "no_such_attribute", OPTIONS)).rejects.toBeInstanceOf(Hdf5FormatError);
  });

  it.each(["lambda-v0.h5", "clean-v0-vlen.h5", "lambda-v2-dense.h5"])("%s cut short at any point: an error or the right value, never another value", async (name) => {
    const bytes = kerasFixture(name);
    const whole = (await attribute("model_config", name)).value;
    for (let cut = 0; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 97))) {
      const prefix = bytes.slice(0, cut);
      const outcome = await readRootAttribute(bufferReader(prefix), prefix.length, "model_config", OPTIONS).then(
        (result) => result.value,
        (error: unknown) => (error instanceof Hdf5FormatError || error instanceof Hdf5Unsupported ? "error" : `unexpected ${String(error)}`),
      );
      expect(outcome === "error" || outcome === whole, `cut at ${cut}`).toBe(true);
    }
  });

  it("random bytes after a valid signature never throw anything but format errors", async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed & 0xff);
    for (let round = 0; round < 50; round++) {
      const bytes = kerasFixture(round % 2 === 0 ? "lambda-v0.h5" : "lambda-v2-dense.h5").slice(0, 8192);
      for (let i = 8; i < bytes.length; i++) if (random() < 24) bytes[i] = random();
      await readRootAttribute(bufferReader(bytes), bytes.length, "model_config", OPTIONS).catch((error: unknown) => {
        expect(error instanceof Hdf5FormatError || error instanceof Hdf5Unsupported, String(error)).toBe(true);
      });
    }
  });
});
