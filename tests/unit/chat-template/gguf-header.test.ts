import { describe, expect, it } from "vitest";
import { readGgufTemplates } from "../../../lib/readers/chat-template/gguf-header";
import { buildGgufHeader, sparseGguf } from "../../fake-hub/gguf-fixture";
import { ESCAPE_OS_POPEN, LLAMA31_TOOLS, QWEN25_TOOLS } from "../../fixtures/chat-templates";

const GB = 1024 ** 3;
const MB = 1024 * 1024;

/** A file behind `read(offset, length)`, counting the bytes handed out. */
function served(file: { read(start: number, length: number): Uint8Array }) {
  const stats = { bytes: 0, requests: 0 };
  const read = (offset: number, length: number) => {
    const bytes = file.read(offset, length);
    stats.bytes += bytes.length;
    stats.requests += 1;
    return Promise.resolve(bytes);
  };
  return { read, stats };
}

describe("readGgufTemplates", () => {
  it("reads the chat template from a real GGUF v3 header of a 5 GB file, and not much past the metadata", async () => {
    const header = buildGgufHeader({ architecture: "llama", name: "Llama 3.1 8B Instruct", vocabSize: 32_000, chatTemplate: LLAMA31_TOOLS });
    const { read, stats } = served(sparseGguf(header, 5 * GB));
    const result = await readGgufTemplates({ read, maxBytes: 16 * MB, chunkSize: 256 * 1024 });
    expect(result).toMatchObject({ ok: true, templates: [{ name: "default", template: LLAMA31_TOOLS }] });
    if (!result.ok) return;
    // The tensor infos after the metadata are not read; the token types inside it are stepped over.
    expect(result.metadataEnd).toBeLessThan(header.length);
    expect(stats.bytes).toBeLessThan(result.metadataEnd + 256 * 1024);
  });

  it("reads named templates (tokenizer.chat_template.tool_use) beside the default, the default first", async () => {
    const header = buildGgufHeader({ architecture: "qwen2", name: "Qwen", vocabSize: 2_000, chatTemplate: QWEN25_TOOLS, namedTemplates: { tool_use: ESCAPE_OS_POPEN } });
    const result = await readGgufTemplates({ read: served(sparseGguf(header, GB)).read, maxBytes: 16 * MB, chunkSize: MB });
    expect(result.ok && result.templates.map((entry) => entry.name)).toEqual(["default", "tool_use"]);
  });

  it("a header longer than the cap leaves the file unread, said plainly, and nothing past the cap is asked", async () => {
    const header = buildGgufHeader({ architecture: "llama", name: "big vocab", vocabSize: 128_256, chatTemplate: LLAMA31_TOOLS });
    const { read, stats } = served(sparseGguf(header, 8 * GB));
    const result = await readGgufTemplates({ read, maxBytes: 2_000_000, chunkSize: MB });
    expect(result).toMatchObject({ ok: false, kind: "too-large" });
    expect(stats.bytes).toBeLessThanOrEqual(2_000_000);
  });

  it("a file that is not GGUF is reported as such", async () => {
    const junk = { read: (start: number, length: number) => new TextEncoder().encode("not a gguf file at all".padEnd(10_000, "x")).slice(start, start + length) };
    expect(await readGgufTemplates({ read: served(junk).read, maxBytes: 16 * MB, chunkSize: MB })).toMatchObject({ ok: false, kind: "not-gguf" });
  });

  it("a failed read is the caller's to name: it is thrown on", async () => {
    const read = () => Promise.reject(new Error("HTTP 403"));
    await expect(readGgufTemplates({ read, maxBytes: MB, chunkSize: MB })).rejects.toThrow("HTTP 403");
  });

  it("a GGUF without a template reads as none", async () => {
    const header = buildGgufHeader({ architecture: "llama", name: "base", vocabSize: 500 });
    expect(await readGgufTemplates({ read: served(sparseGguf(header, GB)).read, maxBytes: 16 * MB, chunkSize: MB })).toMatchObject({ ok: true, templates: [] });
  });
});
