import { describe, expect, it } from "vitest";
import type { FetchLike } from "../../../lib/readers/chat-template/gguf-header";
import { createFactCache } from "../../../lib/hub/cache";
import type { RepoFile } from "../../../lib/hub/facts";
import { createTemplateScanner, selectTemplateTargets, templateScanCacheKey, type TemplateScannerOptions } from "../../../lib/hub/template-scans";
import { buildGgufHeader, sparseGguf } from "../../fake-hub/gguf-fixture";
import { ESCAPE_OS_POPEN, LLAMA31_TOOLS, QWEN25_TOOLS } from "../../fixtures/chat-templates";

const HUB = "https://huggingface.co";
const REPO = { type: "model" as const, id: "quant-lab/Model-GGUF" };
const SHA = "0123456789abcdef0123456789abcdef01234567";
const GB = 1024 ** 3;

type Served = { size: number; read(start: number, length: number): Uint8Array };

/** `resolve` answers small files itself and redirects GGUF (LFS) files to a storage host that honours Range. */
function fakeHub(files: Record<string, Served | string>) {
  const seen: { url: string; range: string | null; credentials: RequestCredentials | undefined }[] = [];
  const fetch: FetchLike = (input, init) => {
    const url = new URL(input);
    seen.push({ url: url.href, range: new Headers(init.headers).get("Range"), credentials: init.credentials });
    if (init.signal?.aborted) return Promise.reject(new DOMException("aborted", "AbortError"));
    const path = decodeURIComponent(url.pathname.split(`/resolve/${SHA}/`)[1] ?? "");
    const file = files[path];
    if (file === undefined) return Promise.resolve(new Response("Entry not found", { status: 404 }));
    if (typeof file === "string") return Promise.resolve(new Response(file, { status: 200 }));
    const match = /bytes=(\d+)-(\d+)/.exec(new Headers(init.headers).get("Range") ?? "");
    if (!match) return Promise.resolve(new Response("Range only", { status: 501 }));
    const start = Number(match[1]);
    const end = Math.min(Number(match[2]), file.size - 1);
    const response = new Response(file.read(start, end - start + 1) as Uint8Array<ArrayBuffer>, { status: 206, headers: { "content-range": `bytes ${start}-${end}/${file.size}` } });
    Object.defineProperty(response, "url", { value: `https://cas-bridge.xethub.hf.co/xet-bridge-us/${path}` });
    return Promise.resolve(response);
  };
  return { fetch, seen };
}

function scanner(fetch: FetchLike, options: Partial<TemplateScannerOptions> = {}) {
  return createTemplateScanner({ fetch, hubUrl: HUB, cache: createFactCache(), ...options });
}

const gguf = (template: string | undefined, vocabSize = 4_000): Served => sparseGguf(buildGgufHeader({ architecture: "llama", name: "m", vocabSize, ...(template === undefined ? {} : { chatTemplate: template }) }), 4 * GB);
const lfs = (path: string, oid: string): RepoFile => ({ path, size: 4 * GB, lfsOid: oid });

describe("selectTemplateTargets", () => {
  it("GGUF files and template files, later shards set aside, root files first, capped", () => {
    const files: RepoFile[] = ["a/tokenizer_config.json", "tokenizer_config.json", "m-00001-of-00003.gguf", "m-00002-of-00003.gguf", "x.gguf", "README.md", "chat_template.jinja", "additional_chat_templates/tool_use.jinja", "model.safetensors"].map((path) => ({ path }));
    const selection = selectTemplateTargets(files, { maxGgufFiles: 1, maxTextFiles: 3 });
    expect(selection.targets.map((target) => target.path)).toEqual(["m-00001-of-00003.gguf", "tokenizer_config.json", "chat_template.jinja", "a/tokenizer_config.json"]);
    expect(selection.overCap.map((target) => target.path)).toEqual(["x.gguf", "additional_chat_templates/tool_use.jinja"]);
    expect(selection.laterShards).toEqual(["m-00002-of-00003.gguf"]);
  });
});

describe("the template scanner", () => {
  it("reads a GGUF header by Range and a tokenizer_config whole, without cookies, at the commit sha", async () => {
    const hub = fakeHub({ "model-Q4_K_M.gguf": gguf(ESCAPE_OS_POPEN), "tokenizer_config.json": JSON.stringify({ bos_token: "<s>", chat_template: [{ name: "default", template: QWEN25_TOOLS }, { name: "tool_use", template: LLAMA31_TOOLS }] }) });
    const scans = await scanner(hub.fetch).scanRepo(REPO, { revision: SHA, files: [lfs("model-Q4_K_M.gguf", "a".repeat(64)), { path: "tokenizer_config.json" }, { path: "README.md" }] });
    expect(scans?.map((scan) => [scan.path, scan.status, scan.templates.map((t) => `${t.name}:${t.judgement.verdict}`)])).toEqual([
      ["model-Q4_K_M.gguf", "read", ["default:escapes"]],
      ["tokenizer_config.json", "read", ["default:clean", "tool_use:clean"]],
    ]);
    expect(hub.seen.every((call) => call.credentials === "omit" && call.url.includes(`/resolve/${SHA}/`))).toBe(true);
    expect(hub.seen.filter((call) => call.url.endsWith(".gguf")).every((call) => call.range !== null)).toBe(true);
  });

  it("the model info's template is judged without a request", async () => {
    const hub = fakeHub({});
    const scans = await scanner(hub.fetch).scanRepo(REPO, { revision: SHA, files: [], ggufChatTemplate: ESCAPE_OS_POPEN });
    expect(scans).toMatchObject([{ path: "", source: "model-info", status: "read", templates: [{ judgement: { verdict: "escapes" } }] }]);
    expect(hub.seen).toHaveLength(0);
  });

  it("nothing to read: no scans at all", async () => {
    expect(await scanner(fakeHub({}).fetch).scanRepo(REPO, { revision: SHA, files: [{ path: "model.safetensors" }] })).toBeUndefined();
  });

  it("caches by LFS sha256: the same GGUF at another path costs nothing", async () => {
    const hub = fakeHub({ "a.gguf": gguf(LLAMA31_TOOLS), "b/a-copy.gguf": gguf(LLAMA31_TOOLS) });
    const cache = createFactCache();
    const oid = "b".repeat(64);
    await scanner(hub.fetch, { cache }).scanRepo(REPO, { revision: SHA, files: [lfs("a.gguf", oid)] });
    const before = hub.seen.length;
    const again = await scanner(hub.fetch, { cache }).scanRepo({ type: "model", id: "other/repo" }, { revision: SHA, files: [lfs("b/a-copy.gguf", oid)] });
    expect(hub.seen.length).toBe(before);
    expect(again?.[0]).toMatchObject({ path: "b/a-copy.gguf", status: "read" });
    expect(templateScanCacheKey(REPO, SHA, { path: "a.gguf", kind: "gguf", lfsOid: oid })).toBe(`chat-template:v2:lfs:${oid}`);
  });

  it("caps: a header past the byte cap and files past the file cap are unread, with the reason", async () => {
    const hub = fakeHub({ "big.gguf": gguf(LLAMA31_TOOLS, 128_256), "small.gguf": gguf(LLAMA31_TOOLS) });
    const scans = await scanner(hub.fetch, { maxGgufBytes: 2_000_000, maxGgufFiles: 1 }).scanRepo(REPO, { revision: SHA, files: [lfs("big.gguf", "c".repeat(64)), lfs("small.gguf", "d".repeat(64))] });
    expect(scans?.[0]).toMatchObject({ path: "big.gguf", status: "unread" });
    expect(scans?.[0]?.reason).toMatch(/header is longer than the 1\.9 MB/);
    expect(scans?.[1]).toMatchObject({ path: "small.gguf", status: "unread", reason: "not read: Hub Sentinel reads at most 1 GGUF files per repo" });
  });

  it("a tokenizer_config larger than the cap is unread; a 404 is unread; a file that is not JSON holds no template", async () => {
    const hub = fakeHub({ "tokenizer_config.json": JSON.stringify({ chat_template: "x".repeat(5000) }), "sub/tokenizer_config.json": "<html>not json</html>" });
    const scans = await scanner(hub.fetch, { maxTextBytes: 1000 }).scanRepo(REPO, { revision: SHA, files: [{ path: "tokenizer_config.json" }, { path: "sub/tokenizer_config.json" }, { path: "chat_template.jinja" }] });
    expect(scans?.map((scan) => [scan.path, scan.status, scan.reason])).toEqual([
      ["tokenizer_config.json", "unread", "not read: the file is larger than the 1000 bytes the extension reads"],
      ["chat_template.jinja", "unread", "not read: HTTP 404"],
      ["sub/tokenizer_config.json", "read", "the file is not valid JSON, so no loader reads a chat template from it"],
    ]);
  });

  it("a later shard is not read", async () => {
    const hub = fakeHub({ "m-00001-of-00002.gguf": gguf(LLAMA31_TOOLS) });
    const scans = await scanner(hub.fetch).scanRepo(REPO, { revision: SHA, files: [lfs("m-00001-of-00002.gguf", "e".repeat(64)), lfs("m-00002-of-00002.gguf", "f".repeat(64))] });
    expect(scans?.map((scan) => scan.path)).toEqual(["m-00001-of-00002.gguf", "m-00002-of-00002.gguf"]);
    expect(hub.seen.some((call) => call.url.includes("00002-of"))).toBe(false);
  });

  it("a cancelled page leaves the files unread and caches nothing", async () => {
    const hub = fakeHub({ "a.gguf": gguf(LLAMA31_TOOLS) });
    const controller = new AbortController();
    controller.abort();
    const cache = createFactCache();
    await scanner(hub.fetch, { cache }).scanRepo(REPO, { revision: SHA, files: [lfs("a.gguf", "1".repeat(64))] }, controller.signal).catch(() => undefined);
    const scans = await scanner(hub.fetch, { cache }).scanRepo(REPO, { revision: SHA, files: [lfs("a.gguf", "1".repeat(64))] });
    expect(scans?.[0]).toMatchObject({ status: "read" });
  });
});

describe("the model info's copy of a GGUF template", () => {
  it("is not reported twice when the GGUF it came from was read", async () => {
    const hub = fakeHub({ "a.gguf": gguf(ESCAPE_OS_POPEN) });
    const scans = await scanner(hub.fetch).scanRepo(REPO, { revision: SHA, files: [lfs("a.gguf", "9".repeat(64))], ggufChatTemplate: ESCAPE_OS_POPEN });
    expect(scans?.map((scan) => scan.path)).toEqual(["a.gguf"]);
  });

  it("is kept when it differs from every GGUF read (or none could be read)", async () => {
    const hub = fakeHub({ "a.gguf": gguf(LLAMA31_TOOLS) });
    const scans = await scanner(hub.fetch).scanRepo(REPO, { revision: SHA, files: [lfs("a.gguf", "8".repeat(64))], ggufChatTemplate: ESCAPE_OS_POPEN });
    expect(scans?.map((scan) => scan.path)).toEqual(["", "a.gguf"]);
  });
});
