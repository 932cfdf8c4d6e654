import { describe, expect, it } from "vitest";
import {
  FIRST_TAIL_BYTES,
  bufferReader,
  inflateRaw,
  memberChunks,
  memberDataOffset,
  readZipDirectory,
  ZipFormatError,
} from "../../../lib/readers/zip/zip";
import { concatBytes, fixture, memoryFile } from "./fixtures";
import { buildSparseZip } from "./sparse-zip";

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return concatBytes(...parts);
}

describe("readZipDirectory", () => {
  it("lists a PyTorch zip's members with their sizes and offsets", async () => {
    const data = fixture("benign-torch.pt");
    const directory = await readZipDirectory(bufferReader(data), data.length);
    expect(directory.zip64).toBe(false);
    expect(directory.entries.map((e) => e.name)).toEqual([
      "archive/data.pkl",
      "archive/byteorder",
      "archive/data/0",
      "archive/data/1",
      "archive/version",
      "archive/.data/serialization_id",
    ]);
    const pkl = directory.entries[0];
    expect(pkl).toMatchObject({ method: 0, localHeaderOffset: 0, isDirectory: false });
    if (pkl === undefined) throw new Error("no entry");
    const offset = await memberDataOffset(bufferReader(data), pkl, data.length);
    const body = await collect(memberChunks(bufferReader(data), pkl, offset, 100));
    expect(body.length).toBe(pkl.uncompressedSize);
    expect([body[0], body[1], body[body.length - 1]]).toEqual([0x80, 2, 0x2e]);
  });

  it("reads ZIP64 records and extra fields", async () => {
    const plain = fixture("benign-torch.pt");
    const data = fixture("benign-zip64.pt");
    const directory = await readZipDirectory(bufferReader(data), data.length);
    const reference = await readZipDirectory(bufferReader(plain), plain.length);
    expect(directory.zip64).toBe(true);
    expect(directory.entries.map((e) => [e.name, e.compressedSize, e.uncompressedSize])).toEqual(
      reference.entries.map((e) => [e.name, e.compressedSize, e.uncompressedSize]),
    );
    expect(directory.entries[1]?.localHeaderOffset).toBeGreaterThan(0);
  });

  it("reads ZIP64 offsets above 4 GiB", async () => {
    const file = buildSparseZip(
      [
        { name: "big/data/0", data: 5 * 1024 ** 3 },
        { name: "big/data.pkl", data: Uint8Array.of(0x80, 2, 0x4e, 0x2e) },
      ],
      true,
    );
    const directory = await readZipDirectory(file.read, file.size);
    expect(directory.entries[1]).toMatchObject({ name: "big/data.pkl", compressedSize: 4 });
    expect(directory.entries[1]?.localHeaderOffset).toBeGreaterThan(2 ** 32);
  });

  it("searches the last 64 KiB + 22 bytes for the EOCD, past a comment", async () => {
    const data = fixture("benign-torch.pt");
    const comment = new Uint8Array(60_000).fill(0x41);
    const withComment = concatBytes(data, comment);
    new DataView(withComment.buffer).setUint16(data.length - 2, comment.length, true);
    const file = memoryFile(withComment);
    const directory = await readZipDirectory(file.read, withComment.length);
    expect(directory.entries).toHaveLength(6);
    // First the last 8 KiB (no EOCD ends there: the comment is longer), then the whole comment range.
    expect(file.calls[0]).toEqual({ offset: withComment.length - FIRST_TAIL_BYTES, length: FIRST_TAIL_BYTES });
    expect(file.calls[1]).toEqual({ offset: Math.max(0, withComment.length - 65557), length: Math.min(withComment.length, 65557) });
  });

  it("finds the EOCD of a comment-less archive in its last 8 KiB, without the 64 KiB search", async () => {
    const file = buildSparseZip([{ name: "archive/data.pkl", data: fixture("benign-plain.pkl") }, { name: "archive/data/0", data: 1024 * 1024 }], false);
    const calls: { offset: number; length: number }[] = [];
    const directory = await readZipDirectory((offset, length) => {
      calls.push({ offset, length });
      return file.read(offset, length);
    }, file.size);
    expect(directory.entries).toHaveLength(2);
    expect(calls[0]).toEqual({ offset: file.size - FIRST_TAIL_BYTES, length: FIRST_TAIL_BYTES });
    expect(calls.every((call) => call.length <= FIRST_TAIL_BYTES)).toBe(true);
  });

  it("inflates deflated members", async () => {
    const data = fixture("arrays.npz");
    const read = bufferReader(data);
    const directory = await readZipDirectory(read, data.length);
    const entry = directory.entries.find((e) => e.name === "a.npy");
    if (entry === undefined) throw new Error("no a.npy");
    expect(entry.method).toBe(8);
    const body = await collect(memberChunks(read, entry, await memberDataOffset(read, entry, data.length), 16));
    expect(body.length).toBe(entry.uncompressedSize);
    expect(new TextDecoder().decode(body.subarray(1, 6))).toBe("NUMPY");
  });

  it("rejects corrupt deflate data", async () => {
    const data = fixture("arrays.npz").slice();
    const read = bufferReader(data);
    const directory = await readZipDirectory(read, data.length);
    const entry = directory.entries[0];
    if (entry === undefined) throw new Error("no entry");
    const offset = await memberDataOffset(read, entry, data.length);
    data.fill(0xff, offset, offset + entry.compressedSize);
    await expect(collect(memberChunks(read, entry, offset, 16))).rejects.toThrow(ZipFormatError);
  });

  it("reports a failing source as itself, not as bad deflate data", async () => {
    const data = fixture("arrays.npz");
    const read = bufferReader(data);
    const entry = (await readZipDirectory(read, data.length)).entries[0];
    if (entry === undefined) throw new Error("no entry");
    const offset = await memberDataOffset(read, entry, data.length);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield data.slice(offset, offset + 10);
      throw new Error("connection reset");
    }
    const error = await collect(inflateRaw(failing())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ZipFormatError);
    expect((error as Error).message).toBe("connection reset");
  });

  it("stops cleanly when the consumer stops early", async () => {
    const data = fixture("arrays.npz");
    const read = bufferReader(data);
    const entry = (await readZipDirectory(read, data.length)).entries[0];
    if (entry === undefined) throw new Error("no entry");
    const offset = await memberDataOffset(read, entry, data.length);
    let first: Uint8Array | undefined;
    for await (const chunk of memberChunks(read, entry, offset, 4)) {
      first = chunk;
      break;
    }
    expect(first?.[0]).toBe(0x93);
  });

  it.each([
    ["truncated-zip.pt", /no end of central directory/],
    ["bad-cd-offset.pt", /outside the archive/],
    ["benign-plain.pkl", /no end of central directory|too small/],
  ])("%s → ZipFormatError %s", async (name, message) => {
    const data = fixture(name);
    await expect(readZipDirectory(bufferReader(data), data.length)).rejects.toThrow(message);
  });
});
