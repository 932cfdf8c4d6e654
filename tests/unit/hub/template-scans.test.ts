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
  it("GGUF files in reading order, template files root first and capped, later shards set aside", () => {
    const files: RepoFile[] = ["a/tokenizer_config.json", "tokenizer_config.json", "m-Q8_0-00001-of-00003.gguf", "m-Q8_0-00002-of-00003.gguf", "m-Q2_K.gguf", "m-Q4_K_M.gguf", "README.md", "chat_template.jinja", "additional_chat_templates/tool_use.jinja", "model.safetensors"].map((path) => ({ path }));
    const selection = selectTemplateTargets(files, { maxTextFiles: 3 });
    expect(selection.gguf.map((target) => target.path)).toEqual(["m-Q4_K_M.gguf", "m-Q8_0-00001-of-00003.gguf", "m-Q2_K.gguf"]);
    expect(selection.text.map((target) => target.path)).toEqual(["tokenizer_config.json", "chat_template.jinja", "a/tokenizer_config.json"]);
    expect(selection.textOverCap.map((target) => target.path)).toEqual(["additional_chat_templates/tool_use.jinja"]);
    expect(selection.laterShards).toEqual(["m-Q8_0-00002-of-00003.gguf"]);
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
    expect(templateScanCacheKey(REPO, SHA, { path: "a.gguf", kind: "gguf", lfsOid: oid })).toBe(`chat-template:v3:lfs:${oid}`);
  });

  it("a header past the byte cap is unread, with the reason", async () => {
    const hub = fakeHub({ "big.gguf": gguf(LLAMA31_TOOLS, 128_256) });
    const scans = await scanner(hub.fetch, { maxGgufBytes: 2_000_000 }).scanRepo(REPO, { revision: SHA, files: [lfs("big.gguf", "c".repeat(64))] });
    expect(scans?.[0]).toMatchObject({ path: "big.gguf", status: "unread" });
    expect(scans?.[0]?.reason).toMatch(/header is longer than the 1\.9 MB/);
    expect(scans?.[0]?.deferred).toBeUndefined();
  });

  it("a server that ignores Range is refused, not downloaded; an HTTP error and a cancelled read are failed reads", async () => {
    const whole = gguf(LLAMA31_TOOLS);
    const ignoring: FetchLike = () => Promise.resolve(new Response(whole.read(0, 64 * 1024) as Uint8Array<ArrayBuffer>, { status: 200 }));
    const [ignored] = (await scanner(ignoring).scanRepo(REPO, { revision: SHA, files: [lfs("a.gguf", "2".repeat(64))] })) ?? [];
    expect(ignored).toMatchObject({ status: "unread", reason: "not read: the server ignored the Range request; reading stopped" });
    const forbidden: FetchLike = () => Promise.resolve(new Response("Forbidden", { status: 403 }));
    const [refused] = (await scanner(forbidden).scanRepo(REPO, { revision: SHA, files: [lfs("a.gguf", "3".repeat(64))] })) ?? [];
    expect(refused).toMatchObject({ status: "unread", reason: "not read: HTTP 403" });
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

describe("a GGUF repo of many quantizations, within the page's byte budget", () => {
  const QUANTS = ["Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "IQ4_XS", "Q4_0", "Q4_K_S", "Q4_K_M", "Q5_0", "Q5_K_S", "Q5_K_M", "Q6_K", "Q8_0", "F16"];
  const files = QUANTS.map((quant, index) => lfs(`Model-8B-${quant}.gguf`, index.toString(16).padStart(64, "a")));
  /** One model, one tokenizer: every quantization has the same header (about 700 KB with a 20k vocabulary). */
  const header = gguf(LLAMA31_TOOLS, 20_000);
  const hubOf = () => fakeHub(Object.fromEntries(files.map((file) => [file.path, header])));
  const MB = 1024 * 1024;

  it("reads the most used quantizations first, stops before the budget, and names the rest as left for the budget", async () => {
    const hub = hubOf();
    const scans = (await scanner(hub.fetch, { pageByteBudget: 3 * MB, chunkSize: 128 * 1024 }).scanRepo(REPO, { revision: SHA, files })) ?? [];
    const read = scans.filter((scan) => scan.status === "read");
    expect(read.map((scan) => scan.path).slice(0, 3)).toEqual(["Model-8B-Q4_K_M.gguf", "Model-8B-Q8_0.gguf", "Model-8B-Q5_K_M.gguf"]);
    const spent = scans.reduce((sum, scan) => sum + scan.bytesRead, 0);
    expect(spent).toBeLessThanOrEqual(3 * MB);
    expect(read.length).toBeGreaterThanOrEqual(3);
    const deferred = scans.filter((scan) => scan.status === "unread");
    expect(deferred.length).toBe(QUANTS.length - read.length);
    expect(deferred.every((scan) => scan.deferred === "budget" && /budget for GGUF headers is spent/.test(scan.reason ?? ""))).toBe(true);
    // The first header read tells the others' length: one request each after it.
    expect(read[0]?.requests).toBeGreaterThan(1);
    expect(read.slice(1).every((scan) => scan.requests === 1)).toBe(true);
  });

  it("pages of the repo opened soon after share the budget; a page after the window reads the next ones", async () => {
    const hub = hubOf();
    let clock = 1_000_000;
    const cache = createFactCache({ now: () => clock });
    const scan = scanner(hub.fetch, { cache, pageByteBudget: 2 * MB, now: () => clock });
    const first = (await scan.scanRepo(REPO, { revision: SHA, files })) ?? [];
    const firstRead = first.filter((entry) => entry.status === "read").length;
    const requestsAfterFirst = hub.seen.length;
    const again = (await scan.scanRepo(REPO, { revision: SHA, files })) ?? [];
    expect(again.filter((entry) => entry.status === "read").length).toBe(firstRead);
    expect(hub.seen.length).toBe(requestsAfterFirst);
    clock += 11 * 60_000;
    const later = (await scan.scanRepo(REPO, { revision: SHA, files })) ?? [];
    expect(later.filter((entry) => entry.status === "read").length).toBeGreaterThan(firstRead);
  });

  it("a file left for the budget is read when asked for (its row or page opened), then kept", async () => {
    const hub = hubOf();
    const cache = createFactCache();
    const scan = scanner(hub.fetch, { cache, pageByteBudget: MB });
    const before = (await scan.scanRepo(REPO, { revision: SHA, files })) ?? [];
    const left = before.find((entry) => entry.path === "Model-8B-F16.gguf");
    expect(left).toMatchObject({ status: "unread", deferred: "budget" });
    const opened = await scan.readFile(REPO, { revision: SHA, file: files.find((file) => file.path === "Model-8B-F16.gguf") ?? { path: "" } });
    expect(opened).toMatchObject({ status: "read", templates: [{ judgement: { verdict: "clean" } }] });
    const after = (await scan.scanRepo(REPO, { revision: SHA, files })) ?? [];
    expect(after.find((entry) => entry.path === "Model-8B-F16.gguf")).toMatchObject({ status: "read" });
  });

  it("results named by an LFS sha256 go to the content cache and are kept for good", async () => {
    const hub = hubOf();
    let clock = 0;
    const cache = createFactCache({ now: () => clock });
    const contentCache = createFactCache({ now: () => clock });
    await scanner(hub.fetch, { cache, contentCache, pageByteBudget: MB, now: () => clock }).scanRepo(REPO, { revision: SHA, files: files.slice(0, 1) });
    clock += 10 * 365 * 24 * 60 * 60_000;
    expect(await contentCache.peek(templateScanCacheKey(REPO, SHA, { path: files[0]?.path ?? "", kind: "gguf", lfsOid: files[0]?.lfsOid ?? "" }))).toMatchObject({ status: "read" });
    expect(await cache.peek(templateScanCacheKey(REPO, SHA, { path: files[0]?.path ?? "", kind: "gguf", lfsOid: files[0]?.lfsOid ?? "" }))).toBeUndefined();
  });

  it("a file count cap leaves the rest for later too", async () => {
    const scans = (await scanner(hubOf().fetch, { maxGgufFiles: 2 }).scanRepo(REPO, { revision: SHA, files })) ?? [];
    expect(scans.filter((scan) => scan.status === "read")).toHaveLength(2);
    expect(scans.filter((scan) => scan.deferred === "budget").every((scan) => /at most 2 GGUF headers per page/.test(scan.reason ?? ""))).toBe(true);
  });
});

describe("a gated repo's tokenizer_config.json", () => {
  const gatedFetch: FetchLike = () => Promise.resolve(new Response(JSON.stringify({ error: "Access to model meta-llama/x is restricted." }), { status: 401, headers: { "X-Error-Code": "GatedRepo" } }));

  it("refused: the Hub's copy in the model info is judged, and the scan says which copy", async () => {
    const scans = await scanner(gatedFetch).scanRepo(REPO, { revision: SHA, files: [{ path: "tokenizer_config.json" }], configChatTemplates: [{ name: "default", template: LLAMA31_TOOLS }] });
    expect(scans).toMatchObject([{ path: "tokenizer_config.json", status: "read", copy: "model-info", templates: [{ judgement: { verdict: "clean" } }] }]);
    expect(scans?.[0]?.reason).toMatch(/Hub's copy in the model info; the file itself is gated \(HTTP 401\)/);
  });

  it("an escaping copy is judged as such", async () => {
    const scans = await scanner(gatedFetch).scanRepo(REPO, { revision: SHA, files: [{ path: "tokenizer_config.json" }], configChatTemplates: [{ name: "default", template: ESCAPE_OS_POPEN }] });
    expect(scans?.[0]?.templates[0]?.judgement.verdict).toBe("escapes");
  });

  it("refused without a copy in the model info: unread, said plainly", async () => {
    const scans = await scanner(gatedFetch).scanRepo(REPO, { revision: SHA, files: [{ path: "tokenizer_config.json" }, { path: "chat_template.jinja" }], configChatTemplates: [{ name: "default", template: LLAMA31_TOOLS }] });
    expect(scans?.[1]).toMatchObject({ path: "chat_template.jinja", status: "unread" });
    expect(scans?.[1]?.reason).toMatch(/HTTP 401 \(the repo is gated/);
  });
});
