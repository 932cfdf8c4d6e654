import { gguf } from "@huggingface/gguf";
import { describe, expect, it } from "vitest";
import { GgufCapError, GgufFormatError, readGgufMetadata, type GgufMetadataOptions } from "../../../lib/readers/gguf/metadata";
import { buildGgufHeader, sparseGguf, type GgufSpec } from "../../fake-hub/gguf-fixture";
import { LLAMA31_TOOLS, QWEN25_TOOLS } from "../../fixtures/chat-templates";

const GB = 1024 ** 3;
const MB = 1024 * 1024;

/** A GGUF file behind a `read(offset, length)`, recording each request. */
function file(spec: GgufSpec, size = 4 * GB) {
  const sparse = sparseGguf(buildGgufHeader(spec), size);
  const requests: { offset: number; length: number }[] = [];
  const read = (offset: number, length: number) => {
    requests.push({ offset, length });
    return Promise.resolve(sparse.read(offset, length));
  };
  return { sparse, requests, read };
}

function options(read: GgufMetadataOptions["read"], extra: Partial<GgufMetadataOptions> = {}): GgufMetadataOptions {
  return { read, chunkSize: 256 * 1024, maxBytes: 16 * MB, keep: () => true, ...extra };
}

/** @huggingface/gguf over the same bytes: the reference parser. */
async function reference(sparse: ReturnType<typeof sparseGguf>) {
  const fetch = (_input: RequestInfo | URL, init?: RequestInit) => {
    const [, start = "0", end = "0"] = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get("Range") ?? "") ?? [];
    const bytes = sparse.read(Number(start), Number(end) - Number(start) + 1);
    return Promise.resolve(new Response(bytes as Uint8Array<ArrayBuffer>, { status: 206 }));
  };
  return (await gguf("https://example.test/model.gguf", { fetch })).metadata as Record<string, unknown>;
}

const SPECS: [string, GgufSpec][] = [
  ["a Llama-shaped header with a 32k vocabulary", { architecture: "llama", name: "Llama", vocabSize: 32_000, chatTemplate: LLAMA31_TOOLS }],
  ["a Qwen-shaped header with named templates", { architecture: "qwen2", name: "Qwen", vocabSize: 5_000, chatTemplate: QWEN25_TOOLS, namedTemplates: { tool_use: LLAMA31_TOOLS, rag: "{{ messages }}" } }],
  ["a header without a template", { architecture: "llama", name: "base", vocabSize: 1_000 }],
  ["a later shard of a split GGUF", { architecture: "llama", name: "x", vocabSize: 1_000, splitShard: { index: 2, count: 3 } }],
];

describe("readGgufMetadata", () => {
  it.each(SPECS)("%s: the same keys and values as @huggingface/gguf", async (_label, spec) => {
    const { sparse, read } = file(spec);
    const ours = await readGgufMetadata(options(read));
    const theirs = await reference(sparse);
    const keys = Object.keys(theirs).filter((key) => key !== "version" && key !== "tensor_count" && key !== "kv_count");
    expect(ours.keys).toEqual(keys);
    for (const key of keys) expect(ours.values.get(key), key).toEqual(theirs[key]);
    expect(ours.version).toBe(3);
    expect(ours.tensorCount).toBe(theirs.tensor_count);
  });

  it("decodes only the keys asked for, and steps over fixed-size arrays without fetching them", async () => {
    // 128k tokens: the token-type array alone is 512 KB.
    const { sparse, read, requests } = file({ architecture: "llama", name: "Llama 3", vocabSize: 128_256, chatTemplate: LLAMA31_TOOLS });
    const metadata = await readGgufMetadata(options(read, { chunkSize: 64 * 1024, keep: (key) => key === "tokenizer.chat_template" }));
    expect([...metadata.values.keys()]).toEqual(["tokenizer.chat_template"]);
    expect(metadata.values.get("tokenizer.chat_template")).toBe(LLAMA31_TOOLS);
    const fetched = requests.reduce((sum, request) => sum + request.length, 0);
    // The token types (4 bytes × 128,256) were never asked for; nothing past the metadata either.
    expect(fetched).toBeLessThan(metadata.metadataEnd - 4 * 128_256 + 64 * 1024);
    expect(metadata.metadataEnd).toBeLessThan(sparse.headerLength);
    expect(requests.every((request) => request.offset < metadata.metadataEnd)).toBe(true);
  });

  it("asks chunks of the size given, and a first chunk from a hint: one request for a header of the expected length", async () => {
    const spec: GgufSpec = { architecture: "llama", name: "m", vocabSize: 20_000, chatTemplate: LLAMA31_TOOLS };
    const first = file(spec);
    const cold = await readGgufMetadata(options(first.read, { chunkSize: 64 * 1024 }));
    expect(first.requests.length).toBeGreaterThan(3);
    expect(first.requests.every((request) => request.length <= 64 * 1024 || request.offset === 0)).toBe(true);
    const second = file(spec);
    await readGgufMetadata(options(second.read, { chunkSize: 64 * 1024, firstChunk: cold.metadataEnd + 4096 }));
    expect(second.requests).toHaveLength(1);
  });

  it("a header longer than the cap stops at the cap, never past it", async () => {
    const { read, requests } = file({ architecture: "llama", name: "big", vocabSize: 128_256, chatTemplate: LLAMA31_TOOLS });
    await expect(readGgufMetadata(options(read, { maxBytes: MB }))).rejects.toBeInstanceOf(GgufCapError);
    expect(requests.every((request) => request.offset + request.length <= MB)).toBe(true);
  });

  it.each([
    ["not GGUF at all", new TextEncoder().encode("PK\u0003\u0004 a zip, not a gguf".padEnd(4096, "x"))],
    ["an unknown version", new Uint8Array([0x47, 0x47, 0x55, 0x46, 9, 0, 0, 0, ...new Array<number>(64).fill(0)])],
    ["a file that ends inside its metadata", buildGgufHeader({ architecture: "llama", name: "m", vocabSize: 2_000, chatTemplate: LLAMA31_TOOLS }).slice(0, 5_000)],
  ])("%s is a format error", async (_label, bytes) => {
    const read = (offset: number, length: number) => Promise.resolve(bytes.slice(offset, offset + length));
    await expect(readGgufMetadata(options(read))).rejects.toBeInstanceOf(GgufFormatError);
  });

  it("absurd counts are refused before anything is allocated", async () => {
    const header = new Uint8Array(32);
    const view = new DataView(header.buffer);
    header.set([0x47, 0x47, 0x55, 0x46]);
    view.setUint32(4, 3, true);
    view.setBigUint64(8, 1n, true);
    view.setBigUint64(16, 10n ** 12n, true);
    const read = (offset: number, length: number) => Promise.resolve(header.slice(offset, offset + length));
    await expect(readGgufMetadata(options(read))).rejects.toThrow(/metadata keys/);
  });

  it("reads a big-endian version 3 header", async () => {
    const encoder = new TextEncoder();
    const key = encoder.encode("tokenizer.chat_template");
    const template = encoder.encode("{{ messages }}");
    const bytes = new Uint8Array(4 + 4 + 8 + 8 + 8 + key.length + 4 + 8 + template.length);
    const view = new DataView(bytes.buffer);
    bytes.set([0x47, 0x47, 0x55, 0x46]);
    let at = 4;
    view.setUint32(at, 3, false);
    at += 4;
    view.setBigUint64(at, 0n, false);
    at += 8;
    view.setBigUint64(at, 1n, false);
    at += 8;
    view.setBigUint64(at, BigInt(key.length), false);
    at += 8;
    bytes.set(key, at);
    at += key.length;
    view.setUint32(at, 8, false);
    at += 4;
    view.setBigUint64(at, BigInt(template.length), false);
    at += 8;
    bytes.set(template, at);
    const read = (offset: number, length: number) => Promise.resolve(bytes.slice(offset, offset + length));
    const metadata = await readGgufMetadata(options(read));
    expect(metadata).toMatchObject({ littleEndian: false, version: 3 });
    expect(metadata.values.get("tokenizer.chat_template")).toBe("{{ messages }}");
  });
});
