import { describe, expect, it } from "vitest";
import { readGgufTemplates, type FetchLike } from "../../../lib/readers/chat-template/gguf-header";
import { buildGgufHeader, sparseGguf } from "../../fake-hub/gguf-fixture";
import { ESCAPE_OS_POPEN, LLAMA31_TOOLS, QWEN25_TOOLS } from "../../fixtures/chat-templates";

const GB = 1024 ** 3;
const URL_OF_FILE = "https://huggingface.co/org/model-GGUF/resolve/abc/model-Q4_K_M.gguf";

/** Serves a file by Range as a storage host does, recording what was asked. */
function servedBy(file: { size: number; read(start: number, length: number): Uint8Array }, options: { ignoreRange?: boolean } = {}) {
  const calls: { range: string | null; credentials: RequestCredentials | undefined }[] = [];
  const fetch: FetchLike = (_input, init) => {
    const range = new Headers(init.headers).get("Range");
    calls.push({ range, credentials: init.credentials });
    const match = /bytes=(\d+)-(\d+)/.exec(range ?? "");
    if (!match || options.ignoreRange) return Promise.resolve(new Response(file.read(0, 4 * 1024 * 1024) as Uint8Array<ArrayBuffer>, { status: 200 }));
    const start = Number(match[1]);
    const end = Math.min(Number(match[2]), file.size - 1);
    return Promise.resolve(new Response(file.read(start, end - start + 1) as Uint8Array<ArrayBuffer>, { status: 206, headers: { "content-range": `bytes ${start}-${end}/${file.size}` } }));
  };
  return { fetch, calls };
}

describe("readGgufTemplates", () => {
  it("reads the chat template from a real GGUF v3 header of a 5 GB file, by Range, without cookies", async () => {
    const header = buildGgufHeader({ architecture: "llama", name: "Llama 3.1 8B Instruct", vocabSize: 32_000, chatTemplate: LLAMA31_TOOLS });
    const file = sparseGguf(header, 5 * GB);
    const { fetch, calls } = servedBy(file);
    const result = await readGgufTemplates({ fetch, url: URL_OF_FILE, maxBytes: 16 * 1024 * 1024 });
    expect(result).toMatchObject({ ok: true, templates: [{ name: "default", template: LLAMA31_TOOLS }] });
    expect(calls.every((call) => call.credentials === "omit" && call.range !== null)).toBe(true);
    expect(result.bytesRead).toBeLessThan(header.length + 2_000_001);
    expect(result.bytesRead).toBeGreaterThanOrEqual(header.length);
  });

  it("reads named templates (tokenizer.chat_template.tool_use) beside the default", async () => {
    const header = buildGgufHeader({ architecture: "qwen2", name: "Qwen", vocabSize: 2_000, chatTemplate: QWEN25_TOOLS, namedTemplates: { tool_use: ESCAPE_OS_POPEN } });
    const result = await readGgufTemplates({ fetch: servedBy(sparseGguf(header, GB)).fetch, url: URL_OF_FILE, maxBytes: 16 * 1024 * 1024 });
    expect(result.ok && result.templates.map((entry) => entry.name)).toEqual(["default", "tool_use"]);
  });

  it("a header longer than the cap leaves the file unread, said plainly", async () => {
    const header = buildGgufHeader({ architecture: "llama", name: "big vocab", vocabSize: 128_256, chatTemplate: LLAMA31_TOOLS });
    const result = await readGgufTemplates({ fetch: servedBy(sparseGguf(header, 8 * GB)).fetch, url: URL_OF_FILE, maxBytes: 2_000_000 });
    expect(result).toMatchObject({ ok: false, kind: "too-large" });
    expect(result.bytesRead).toBeLessThanOrEqual(2_000_000);
  });

  it("a server that ignores Range is refused, not downloaded", async () => {
    const header = buildGgufHeader({ architecture: "llama", name: "x", vocabSize: 1_000, chatTemplate: LLAMA31_TOOLS });
    const result = await readGgufTemplates({ fetch: servedBy(sparseGguf(header, GB), { ignoreRange: true }).fetch, url: URL_OF_FILE, maxBytes: 16 * 1024 * 1024 });
    expect(result).toMatchObject({ ok: false, kind: "http" });
    expect(result.bytesRead).toBe(0);
  });

  it("a file that is not GGUF is reported as such", async () => {
    const junk = { size: 10_000, read: (start: number, length: number) => new TextEncoder().encode("not a gguf file at all".padEnd(10_000, "x")).slice(start, start + length) };
    const result = await readGgufTemplates({ fetch: servedBy(junk).fetch, url: URL_OF_FILE, maxBytes: 16 * 1024 * 1024 });
    expect(result).toMatchObject({ ok: false, kind: "not-gguf" });
  });

  it("an HTTP error is a failed read", async () => {
    const fetch: FetchLike = () => Promise.resolve(new Response("Forbidden", { status: 403 }));
    expect(await readGgufTemplates({ fetch, url: URL_OF_FILE, maxBytes: 1024 })).toMatchObject({ ok: false, kind: "http", message: "HTTP 403" });
  });

  it("a cancelled read says so", async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch: FetchLike = (_input, init) => (init.signal?.aborted ? Promise.reject(new DOMException("aborted", "AbortError")) : Promise.reject(new Error("unreachable")));
    expect(await readGgufTemplates({ fetch, url: URL_OF_FILE, maxBytes: 1024, signal: controller.signal })).toMatchObject({ ok: false, kind: "aborted" });
  });

  it("a GGUF without a template reads as none", async () => {
    const header = buildGgufHeader({ architecture: "llama", name: "base", vocabSize: 500 });
    expect(await readGgufTemplates({ fetch: servedBy(sparseGguf(header, GB)).fetch, url: URL_OF_FILE, maxBytes: 16 * 1024 * 1024 })).toMatchObject({ ok: true, templates: [] });
  });
});
