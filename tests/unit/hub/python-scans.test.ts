import { describe, expect, it } from "vitest";
import { createFactCache } from "../../../lib/hub/cache";
import type { RepoFile, RepoInfo } from "../../../lib/hub/facts";
import { factOf, gapOf } from "../../../lib/hub/gaps";
import { autoMapReferences, createPythonScanner, parseAutoMapReference, type PythonScannerOptions } from "../../../lib/hub/python-scans";
import type { FetchLike } from "../../../lib/hub/range-reader";
import type { RepoRef } from "../../../lib/repo-ref";
import { PAYLOADS, injectionOf } from "../../fixtures/python/payloads";
import { configurationFile, gradioApp, JINA_FILES, jinaModeling, loadingScript, modelingOf, NOMIC_CONFIGURATION, nomicBertModeling, TRAIN_SCRIPT } from "../../fixtures/python/shapes";

const HUB = "https://huggingface.co";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const OTHER_SHA = "fedcba9876543210fedcba9876543210fedcba98";

/** `resolve/{rev}/{path}` of several repos; counts what was asked. */
function fakeHub(repos: Record<string, Record<string, string | Uint8Array | number>>) {
  const seen: { url: string; credentials: RequestCredentials | undefined }[] = [];
  const fetch: FetchLike = (input, init) => {
    seen.push({ url: input, credentials: init.credentials });
    const url = new URL(input);
    const [, repoPart = "", path = ""] = /^\/(?:datasets\/|spaces\/)?(.+?)\/resolve\/[^/]+\/(.+)$/.exec(url.pathname) ?? [];
    const file = repos[repoPart]?.[decodeURIComponent(path)];
    if (file === undefined) return Promise.resolve(new Response("Entry not found", { status: 404 }));
    if (typeof file === "number") return Promise.resolve(new Response("", { status: file }));
    return Promise.resolve(new Response(file as BodyInit, { status: 200 }));
  };
  return { fetch, seen };
}

function info(partial: Partial<RepoInfo> = {}): RepoInfo {
  return { id: "org/model", sha: SHA, tags: [], ...partial };
}

const files = (...paths: string[]): RepoFile[] => paths.map((path) => ({ path }));

function scanner(fetch: FetchLike, options: Partial<PythonScannerOptions> = {}) {
  return createPythonScanner({ fetch, hubUrl: HUB, cache: createFactCache(), ...options });
}

describe("auto_map references", () => {
  it.each([
    ["modeling_phi3.Phi3ForCausalLM", { file: "modeling_phi3.py", className: "Phi3ForCausalLM" }],
    ["nomic-ai/nomic-bert-2048--modeling_hf_nomic_bert.NomicBertModel", { repo: "nomic-ai/nomic-bert-2048", file: "modeling_hf_nomic_bert.py", className: "NomicBertModel" }],
    ["pkg.sub.Model", { file: "pkg/sub.py", className: "Model" }],
    ["no-dot", undefined],
    ["evil/repo--../../x.Y", undefined],
  ])("%s", (reference, expected) => {
    expect(parseAutoMapReference(reference)).toEqual(expected);
  });

  it("tokenizer-style lists with nulls", () => {
    expect(autoMapReferences({ AutoTokenizer: ["tokenization_x.XTokenizer", null], AutoModel: "modeling_x.X", Bad: 3 })).toEqual([
      { key: "AutoTokenizer", reference: "tokenization_x.XTokenizer" },
      { key: "AutoModel", reference: "modeling_x.X" },
    ]);
  });
});

describe("the Python scanner", () => {
  it("reads the auto_map modules and what they import, cookie-free at the commit, and leaves scripts as unloaded", async () => {
    const hub = fakeHub({
      "org/model": {
        "configuration_minicpm.py": configurationFile("MiniCPMV", "minicpm", "OpenBMB"),
        "modeling_minicpm.py": modelingOf("minicpm"),
        "resampler.py": "import torch\n",
        "modeling_navit_siglip.py": "import torch\n",
        "train_script.py": TRAIN_SCRIPT,
      },
    });
    const scans = await scanner(hub.fetch).scanRepo(
      { type: "model", id: "org/model" },
      {
        revision: SHA,
        files: files("config.json", "configuration_minicpm.py", "modeling_minicpm.py", "resampler.py", "modeling_navit_siglip.py", "train_script.py", "model.safetensors"),
        info: info({ autoMap: { AutoConfig: "configuration_minicpm.MiniCPMVConfig", AutoModel: "modeling_minicpm.MiniCPMVModel" } }),
      },
    );
    expect(scans?.map((scan) => [scan.path, scan.role, scan.status])).toEqual([
      ["configuration_minicpm.py", "auto-map", "read"],
      ["modeling_minicpm.py", "auto-map", "read"],
      ["resampler.py", "imported", "read"],
      ["modeling_navit_siglip.py", "imported", "read"],
      ["train_script.py", "unloaded", "read"],
    ]);
    expect(scans?.find((scan) => scan.path === "resampler.py")?.loadedBy).toMatch(/^imported by modeling_minicpm\.py \(line \d+\)$/);
    expect(hub.seen.every((call) => call.credentials === "omit" && call.url.includes(`/resolve/${SHA}/`))).toBe(true);
    expect(scans?.find((scan) => scan.path === "train_script.py")?.behaviours.map((b) => b.reach)).toEqual(["never"]);
  });

  it("reaches a payload in __init__ as load, and one in generate_with_tools as call", async () => {
    const shell = PAYLOADS[0]!;
    const hub = fakeHub({ "org/model": { "modeling_phi3.py": modelingOf("phi3", { ...injectionOf(shell, "init"), onCall: '        os.system("echo tools")' }), "configuration_phi3.py": "x = 1\n" } });
    const scans = await scanner(hub.fetch).scanRepo({ type: "model", id: "org/model" }, { revision: SHA, files: files("modeling_phi3.py", "configuration_phi3.py"), info: info({ autoMap: { AutoModelForCausalLM: "modeling_phi3.Phi3ForCausalLM" } }) });
    const behaviours = scans?.find((scan) => scan.path === "modeling_phi3.py")?.behaviours ?? [];
    expect(behaviours.map((b) => [b.scope, b.reach])).toEqual([
      ["Phi3Model.__init__", "load"],
      ["Phi3ForCausalLM.generate_with_tools", "call"],
    ]);
  });

  it("code in another repo is read there, at that repo's own commit, with that repo's files for imports", async () => {
    const hub = fakeHub({
      "org/code": { "modeling_xlm_roberta.py": jinaModeling(), ...JINA_FILES, "embedding.py": "import torch\n", "configuration_hf_nomic_bert.py": NOMIC_CONFIGURATION },
    });
    const asked: RepoRef[] = [];
    const repoInfo: PythonScannerOptions["repoInfo"] = (repo) => {
      asked.push(repo);
      return Promise.resolve(factOf({ info: info({ id: repo.id, sha: OTHER_SHA, siblingPaths: ["modeling_xlm_roberta.py", "embedding.py", ...Object.keys(JINA_FILES)] }) }));
    };
    const scans = await scanner(hub.fetch, { repoInfo }).scanRepo(
      { type: "model", id: "org/embeddings" },
      { revision: SHA, files: files("config.json", "custom_st.py", "model.safetensors"), info: info({ id: "org/embeddings", autoMap: { AutoModel: "org/code--modeling_xlm_roberta.XLMRobertaModel" } }) },
    );
    expect(asked).toEqual([{ type: "model", id: "org/code", revision: "main" }]);
    const other = scans?.filter((scan) => scan.repo.id === "org/code") ?? [];
    expect(other.map((scan) => scan.path)).toEqual(expect.arrayContaining(["modeling_xlm_roberta.py", "block.py", "mha.py", "rotary.py", "embedding.py"]));
    expect(other.every((scan) => scan.revision === OTHER_SHA && scan.status === "read")).toBe(true);
    expect(hub.seen.some((call) => call.url.includes(`/org/code/resolve/${OTHER_SHA}/mha.py`))).toBe(true);
    // The model repo's own root module (a sentence-transformers module) is code it loads too.
    expect(scans?.find((scan) => scan.path === "custom_st.py")).toMatchObject({ repo: { id: "org/embeddings" }, role: "custom-code", status: "unread", reason: "not read: HTTP 404" });
  });

  it("another repo whose info cannot be read: its code is 'not read', with the reason", async () => {
    const repoInfo: PythonScannerOptions["repoInfo"] = () => Promise.resolve(gapOf({ kind: "rate-limited", message: "The Hub is rate-limiting requests." }));
    const scans = await scanner(fakeHub({}).fetch, { repoInfo }).scanRepo({ type: "model", id: "a/b" }, { revision: SHA, files: files("config.json"), info: info({ autoMap: { AutoModel: "nomic-ai/nomic-bert-2048--modeling_hf_nomic_bert.NomicBertModel" } }) });
    expect(scans).toEqual([expect.objectContaining({ repo: { type: "model", id: "nomic-ai/nomic-bert-2048" }, status: "unread", reason: "not read: the info of nomic-ai/nomic-bert-2048, where this code lives, could not be read (The Hub is rate-limiting requests.)" })]);
  });

  it("a module auto_map names that the repo lacks is said plainly, without a request", async () => {
    const hub = fakeHub({});
    const scans = await scanner(hub.fetch).scanRepo({ type: "model", id: "a/b" }, { revision: SHA, files: files("config.json"), info: info({ autoMap: { AutoModel: "modeling_x.X" } }) });
    expect(scans).toEqual([expect.objectContaining({ path: "modeling_x.py", status: "unread", reason: "not read: config.json's auto_map names modeling_x.py, which the repo does not have" })]);
    expect(hub.seen).toHaveLength(0);
  });

  it("a dataset's loading script, and a Space's app_file (default app.py)", async () => {
    const hub = fakeHub({ "datasets/someone/squad_like": {}, "someone/squad_like": { "squad_like.py": loadingScript("squad_like") }, "someone/demo": { "app.py": gradioApp(), "main.py": gradioApp() } });
    const dataset = await scanner(hub.fetch).scanRepo({ type: "dataset", id: "someone/squad_like" }, { revision: SHA, files: files("squad_like.py", "scripts/prepare.py"), info: info() });
    expect(dataset?.map((scan) => [scan.path, scan.role])).toEqual([["squad_like.py", "loading-script"]]);
    const space = await scanner(hub.fetch).scanRepo({ type: "space", id: "someone/demo" }, { revision: SHA, files: files("app.py", "main.py", "README.md"), info: info({ sdk: "gradio" }) });
    expect(space?.map((scan) => [scan.path, scan.role])).toEqual([["app.py", "space-app"]]);
    const named = await scanner(hub.fetch).scanRepo({ type: "space", id: "someone/demo" }, { revision: SHA, files: files("app.py", "main.py"), info: info({ sdk: "gradio", appFile: "main.py" }) });
    expect(named?.map((scan) => [scan.path, scan.loadedBy])).toEqual([["main.py", "the Space's app file (app_file in its README)"]]);
    const docker = await scanner(hub.fetch).scanRepo({ type: "space", id: "someone/demo" }, { revision: SHA, files: files("app.py", "Dockerfile"), info: info({ sdk: "docker" }) });
    expect(docker).toBeUndefined();
  });

  it("nothing to read: a repo without Python and without auto_map", async () => {
    expect(await scanner(fakeHub({}).fetch).scanRepo({ type: "model", id: "a/b" }, { revision: SHA, files: files("config.json", "model.safetensors"), info: info() })).toBeUndefined();
  });

  it("caps: files per page, bytes per file, bytes per page; the rest is 'not read' with the cap named", async () => {
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`tool_${i}.py`, "x = 1\n"]));
    const hub = fakeHub({ "a/b": { ...many, "modeling_big.py": "x = 1\n".repeat(40_000), "modeling_x.py": "import torch\n" } });
    const scans = await scanner(hub.fetch, { maxFiles: 3, maxBytesPerFile: 64 * 1024, maxUnloadedFiles: 1 }).scanRepo(
      { type: "model", id: "a/b" },
      { revision: SHA, files: files("modeling_big.py", "modeling_x.py", ...Object.keys(many)), info: info({ autoMap: { AutoModel: "modeling_x.X", AutoConfig: "modeling_big.C" } }) },
    );
    const byPath = new Map(scans?.map((scan) => [scan.path, scan]));
    expect(byPath.get("modeling_big.py")).toMatchObject({ status: "unread", reason: "not read: the file is larger than the 64 KB the extension reads of one file" });
    expect(byPath.get("modeling_x.py")?.status).toBe("read");
    expect(byPath.get("tool_0.py")?.status).toBe("read");
    expect(byPath.get("tool_1.py")).toMatchObject({ status: "unread", reason: "not read: nothing loads it, and Hub Sentinel reads at most 1 such files per repo page" });
    expect(hub.seen.length).toBe(3);

    const pageCap = await scanner(fakeHub({ "a/b": { "modeling_a.py": "x = 1\n".repeat(2000), "modeling_b.py": "import torch\n" } }).fetch, { maxBytesPerPage: 4096 }).scanRepo(
      { type: "model", id: "a/b" },
      { revision: SHA, files: files("modeling_a.py", "modeling_b.py"), info: info({ autoMap: { AutoModel: "modeling_a.X" } }) },
    );
    // The first file read took the page's bytes: the next one is left, and says why.
    expect(pageCap?.find((scan) => scan.path === "modeling_a.py")?.status).toBe("read");
    expect(pageCap?.find((scan) => scan.path === "modeling_b.py")).toMatchObject({ role: "custom-code", status: "unread", reason: "not read: Hub Sentinel reads at most 4 KB of Python per repo page" });
  });

  it("a per-page file cap stops imports too, and says which cap", async () => {
    const hub = fakeHub({ "a/b": { "modeling_a.py": "from .b import x\n", "b.py": "x = 1\n" } });
    const scans = await scanner(hub.fetch, { maxFiles: 1 }).scanRepo({ type: "model", id: "a/b" }, { revision: SHA, files: files("modeling_a.py", "b.py"), info: info({ autoMap: { AutoModel: "modeling_a.X" } }) });
    expect(scans?.find((scan) => scan.path === "b.py")).toMatchObject({ role: "imported", status: "unread", reason: "not read: Hub Sentinel reads at most 1 Python files per repo page" });
  });

  it("HTTP errors, rate limits and broken answers are 'not read', and a failure is not kept long", async () => {
    const hub = fakeHub({ "a/b": { "modeling_a.py": 429, "modeling_b.py": 500, "modeling_c.py": 403 } });
    const scans = await scanner(hub.fetch).scanRepo({ type: "model", id: "a/b" }, { revision: SHA, files: files("modeling_a.py", "modeling_b.py", "modeling_c.py"), info: info({ tags: ["custom_code"] }) });
    expect(scans?.map((scan) => scan.reason)).toEqual(["not read: the Hub is rate-limiting requests (HTTP 429)", "not read: HTTP 500", "not read: access refused (HTTP 403: gated or private)"]);
    const network: FetchLike = () => Promise.reject(new TypeError("Failed to fetch"));
    const offline = await scanner(network).scanRepo({ type: "model", id: "a/b" }, { revision: SHA, files: files("modeling_a.py"), info: info({ tags: ["custom_code"] }) });
    expect(offline?.[0]?.reason).toBe("not read: network error: Failed to fetch");
  });

  it("cached by the file at its commit: a second page view asks nothing", async () => {
    const hub = fakeHub({ "a/b": { "modeling_a.py": nomicBertModeling() } });
    const cache = createFactCache();
    const input = { revision: SHA, files: files("modeling_a.py"), info: info({ autoMap: { AutoModel: "modeling_a.X" } }) };
    const first = await createPythonScanner({ fetch: hub.fetch, hubUrl: HUB, cache }).scanRepo({ type: "model", id: "a/b" }, input);
    const second = await createPythonScanner({ fetch: hub.fetch, hubUrl: HUB, cache }).scanRepo({ type: "model", id: "a/b" }, input);
    expect(hub.seen).toHaveLength(1);
    expect(second?.[0]).toMatchObject({ status: "read", requests: 0 });
    expect(first?.[0]?.requests).toBe(1);
  });

  it("a cancelled page reads nothing more, and keeps no result", async () => {
    const controller = new AbortController();
    controller.abort();
    const hub = fakeHub({ "a/b": { "modeling_a.py": "x = 1\n" } });
    const cache = createFactCache();
    const scans = await createPythonScanner({ fetch: hub.fetch, hubUrl: HUB, cache }).scanRepo({ type: "model", id: "a/b" }, { revision: SHA, files: files("modeling_a.py"), info: info({ autoMap: { AutoModel: "modeling_a.X" } }) }, controller.signal);
    expect(scans?.[0]?.status).toBe("unread");
    expect(await cache.peek("python:v1:model:a/b@" + SHA + ":modeling_a.py")).toBeUndefined();
  });
});
