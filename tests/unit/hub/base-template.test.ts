import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { baseModelCandidates, isRepoId } from "../../../lib/hub/base-model";
import { compactBaseInfo, lookUpBaseTemplate, MAX_BASE_STEPS, secondLook, type BaseInfo, type BaseTemplateLoaders, type BaseTemplateLookup } from "../../../lib/hub/base-template";
import { createFactCache, type PersistentStore } from "../../../lib/hub/cache";
import { createHubClient } from "../../../lib/hub/client";
import { factOf, gapOf, type Fact, type GapKind } from "../../../lib/hub/gaps";
import { parseRepoInfo } from "../../../lib/hub/parse";
import { MAX_KEPT_TEMPLATE_CHARS } from "../../../lib/readers/chat-template/types";
import { poisoned, realTemplate } from "../../fixtures/chat-template-variants";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";
import { GATED_BASE, QWEN_BASE, QWEN_BASE_EARLIER } from "../../fake-hub/template-diff-catalogue";

const LLAMA = realTemplate("meta-llama/Llama-3.1-8B-Instruct");

describe("which repos a model is derived from", () => {
  it.each([
    ["meta-llama/Llama-3.1-8B-Instruct", true],
    ["gpt2", true],
    ["Qwen/Qwen2.5-7B-Instruct", true],
    ["../x", false],
    ["owner/../x", false],
    ["https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct", false],
    ["a/b/c", false],
    ["owner/name--x", false],
    ["owner/-name", false],
    ["owner/name.git", false],
    ["", false],
    [`owner/${"x".repeat(500)}`, false],
    ["owner/name<script>", false],
  ])("%s is a repo id: %s", (value, expected) => {
    expect(isRepoId(value)).toBe(expected);
  });

  it("card entries first, then the base_model tags of each relation, each once, never the repo itself; the rest named as invalid", () => {
    const candidates = baseModelCandidates({
      id: "me/derived",
      cardBaseModels: ["org/a", "../x", "ME/derived"],
      tags: ["gguf", "base_model:org/a", "base_model:quantized:org/b", "base_model:finetune:org/c", "base_model:adapter:org/d", "base_model:merge:org/e", "base_model:merge:org/A"],
    });
    expect(candidates).toEqual({ ids: ["org/a", "org/b", "org/c", "org/d", "org/e"], invalid: ["../x"], selfReference: true });
  });

  it("parse.ts keeps cardData.base_model as a string or a list, and drops what is not text", () => {
    const parsed = (base_model: unknown) => parseRepoInfo({ id: "me/derived", cardData: { base_model } }).info.cardBaseModels;
    expect(parsed("org/a")).toEqual(["org/a"]);
    expect(parsed([" org/a ", "org/b", 3, null, ""])).toEqual(["org/a", "org/b"]);
    expect(parsed({ id: "org/a" })).toBeUndefined();
    expect(parsed(undefined)).toBeUndefined();
    expect(parsed("x".repeat(500))?.[0]).toHaveLength(201);
    expect(parsed(Array.from({ length: 100 }, (_, index) => `org/m${index}`))).toHaveLength(16);
  });
});

/** Loaders over a table of bases, counting what was asked. */
function fakeLoaders(bases: Record<string, Partial<BaseInfo> | GapKind>, files: Record<string, string> = {}, commits: { id: string; date: string }[] = []) {
  const asked: string[] = [];
  const loaders: BaseTemplateLoaders = {
    info: (id, revision) => {
      asked.push(`info ${id}${revision ? `@${revision}` : ""}`);
      const entry = bases[revision ? `${id}@${revision}` : id];
      if (entry === undefined) return Promise.resolve(gapOf({ kind: "not-found", message: "404" }));
      if (typeof entry === "string") return Promise.resolve(gapOf({ kind: entry, message: `The Hub answered ${entry}.` }));
      return Promise.resolve(factOf({ id, gated: false, private: false, configTemplates: [], bases: [], files: { jinja: false, tokenizerConfig: false }, sha: "f".repeat(40), ...entry }));
    },
    commits: (id) => {
      asked.push(`commits ${id}`);
      return Promise.resolve(factOf(commits));
    },
    file: (id, sha, path) => {
      asked.push(`file ${id}/${path}`);
      const text = files[`${id}/${path}`];
      return Promise.resolve(text === undefined ? gapOf({ kind: "not-found", message: "404" }) : factOf(text));
    },
  };
  return { loaders, asked };
}

const derived = (card: string[], id = "me/derived") => ({ id, tags: [], cardBaseModels: card });
const withTemplate = (text = LLAMA): Partial<BaseInfo> => ({ configTemplates: [{ name: "default", text, length: text.length }] });

function value(fact: Fact<BaseTemplateLookup> | undefined): BaseTemplateLookup {
  if (!fact?.ok) throw new Error(`expected a lookup, got ${JSON.stringify(fact)}`);
  return fact.value;
}

describe("looking up the base template", () => {
  it("a repo that names no base asks nothing", async () => {
    const { loaders, asked } = fakeLoaders({});
    expect(await lookUpBaseTemplate({ id: "me/x", tags: ["gguf"] }, loaders)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it("a base_model that is not a repo id (../x, a URL, 500 characters) is said so, and nothing is asked", async () => {
    const { loaders, asked } = fakeLoaders({});
    const lookup = value(await lookUpBaseTemplate(derived(["../x", "https://huggingface.co/org/model", "y".repeat(300)]), loaders));
    expect(lookup.status).toBe("none");
    if (lookup.status === "none") expect(lookup.reason).toMatch(/are not repo ids/);
    expect(asked).toEqual([]);
    expect(value(await lookUpBaseTemplate(derived(["me/derived"]), loaders))).toMatchObject({ status: "none", reason: "it names itself as its base model" });
  });

  it("the base's model info: one request, the templates as the Hub sent them", async () => {
    const { loaders, asked } = fakeLoaders({ "org/base": { ...withTemplate(), gated: true, lastModified: "2024-07-23T00:00:00.000Z" } });
    const lookup = value(await lookUpBaseTemplate(derived(["org/base"]), loaders));
    expect(lookup).toMatchObject({ status: "found", compared: { repoId: "org/base", source: "model-info", templates: [{ name: "default", text: LLAMA }] }, via: [], lastModified: "2024-07-23T00:00:00.000Z" });
    expect(asked).toEqual(["info org/base"]);
  });

  it("a base whose info has no template: its chat_template.jinja, else its tokenizer_config.json, never for a gated one", async () => {
    const { loaders, asked } = fakeLoaders(
      { "org/jinja": { files: { jinja: true, tokenizerConfig: true } }, "org/tok": { files: { jinja: false, tokenizerConfig: true } }, "org/gated": { gated: true, files: { jinja: true, tokenizerConfig: true } } },
      { "org/jinja/chat_template.jinja": LLAMA, "org/tok/tokenizer_config.json": JSON.stringify({ chat_template: [{ name: "default", template: LLAMA }, { name: "tool_use", template: "{{ x }}" }] }) },
    );
    expect(value(await lookUpBaseTemplate(derived(["org/jinja"]), loaders))).toMatchObject({ status: "found", compared: { source: "jinja", path: "chat_template.jinja" } });
    const tok = value(await lookUpBaseTemplate(derived(["org/tok"]), loaders));
    expect(tok).toMatchObject({ status: "found", compared: { source: "tokenizer-config", path: "tokenizer_config.json" } });
    if (tok.status === "found") expect(tok.compared.templates.map((template) => template.name)).toEqual(["default", "tool_use"]);
    const gated = value(await lookUpBaseTemplate(derived(["org/gated"]), loaders));
    expect(gated).toMatchObject({ status: "none" });
    if (gated.status === "none") expect(gated.reason).toContain("org/gated is gated: its model info carries no chat template and its files cannot be read");
    expect(asked.filter((entry) => entry.startsWith("file"))).toEqual(["file org/jinja/chat_template.jinja", "file org/tok/tokenizer_config.json"]);
  });

  it("a base that is itself derived and has no template: its base, two steps at most, and it says so", async () => {
    const { loaders, asked } = fakeLoaders({ "org/middle": { bases: ["org/root"] }, "org/root": withTemplate() });
    expect(value(await lookUpBaseTemplate(derived(["org/middle"]), loaders))).toMatchObject({ status: "found", compared: { repoId: "org/root" }, via: ["org/middle"] });
    expect(asked).toEqual(["info org/middle", "info org/root"]);

    const deep = fakeLoaders({ "org/one": { bases: ["org/two"] }, "org/two": { bases: ["org/three"] }, "org/three": withTemplate() });
    const lookup = value(await lookUpBaseTemplate(derived(["org/one"]), deep.loaders));
    expect(lookup.status).toBe("none");
    if (lookup.status === "none") expect(lookup.reason).toContain("its base org/three was not followed (the extension follows two steps)");
    expect(deep.asked).toHaveLength(MAX_BASE_STEPS);
  });

  it("a base with a template that is itself derived: compared with its own template, and named", async () => {
    const { loaders } = fakeLoaders({ "org/tuned": { ...withTemplate(), bases: ["org/root"] } });
    expect(value(await lookUpBaseTemplate(derived(["org/tuned"]), loaders))).toMatchObject({ status: "found", baseOfBase: "org/root" });
  });

  it("bases that name each other: a cycle, said plainly", async () => {
    const { loaders, asked } = fakeLoaders({ "org/b": { bases: ["me/derived"] } });
    const lookup = value(await lookUpBaseTemplate(derived(["org/b"]), loaders));
    expect(lookup.status).toBe("none");
    if (lookup.status === "none") expect(lookup.reason).toContain("cycle (org/b → me/derived)");
    expect(asked).toEqual(["info org/b"]);
  });

  it("a missing or private base is none; a failure that may pass is a gap (the rule says unknown)", async () => {
    const { loaders } = fakeLoaders({ "org/limited": "rate-limited", "org/down": "server-error", "org/private": "unauthorized" });
    expect(value(await lookUpBaseTemplate(derived(["org/missing"]), loaders))).toMatchObject({ status: "none", reason: "the base model org/missing does not exist or is private" });
    expect(value(await lookUpBaseTemplate(derived(["org/private"]), loaders))).toMatchObject({ status: "none" });
    expect(await lookUpBaseTemplate(derived(["org/limited"]), loaders)).toMatchObject({ ok: false, gap: { kind: "rate-limited" } });
    expect(await lookUpBaseTemplate(derived(["org/down"]), loaders)).toMatchObject({ ok: false, gap: { kind: "server-error" } });
  });

  it("keeps a base's info small: long templates named, not kept, and no file list", () => {
    const long = "x".repeat(MAX_KEPT_TEMPLATE_CHARS + 1);
    const info = compactBaseInfo({ id: "org/base", tags: ["base_model:org/root"], configChatTemplates: [{ name: "default", template: LLAMA }, { name: "rag", template: long }], siblingPaths: ["chat_template.jinja", ...Array.from({ length: 5000 }, (_, index) => `shard-${index}.safetensors`)] });
    expect(info.configTemplates).toEqual([{ name: "default", text: LLAMA, length: LLAMA.length }, { name: "rag", length: long.length }]);
    expect(info.bases).toEqual(["org/root"]);
    expect(info.files).toEqual({ jinja: true, tokenizerConfig: false });
    expect(JSON.stringify(info).length).toBeLessThan(64 * 1024);
  });
});

describe("the second look", () => {
  const found = (extra: Partial<Extract<BaseTemplateLookup, { status: "found" }>> = {}): BaseTemplateLookup => ({
    status: "found",
    named: ["org/base"],
    invalid: [],
    compared: { repoId: "org/base", source: "model-info", sha: "f".repeat(40), templates: [{ name: "default", text: LLAMA }], tooLong: [] },
    via: [],
    lastModified: "2025-03-01T00:00:00.000Z",
    alternatives: [],
    ...extra,
  });
  const POISONED = poisoned(LLAMA, "link", "system") ?? "";

  it("nothing is read when the derived template adds nothing a model would follow", async () => {
    const { loaders, asked } = fakeLoaders({});
    const lookup = found();
    expect(await secondLook(lookup, [{ name: "default", text: LLAMA, writtenBy: "2024-01-01T00:00:00.000Z" }], loaders)).toBe(lookup);
    expect(asked).toEqual([]);
  });

  it("nothing is read when the base has not changed since the derived template was made", async () => {
    const { loaders, asked } = fakeLoaders({});
    await secondLook(found({ lastModified: "2023-01-01T00:00:00.000Z" }), [{ name: "default", text: POISONED, writtenBy: "2024-01-01T00:00:00.000Z" }], loaders);
    expect(asked).toEqual([]);
  });

  it("additions in a template older than the base's last change: the base at the commit of then, two requests", async () => {
    const { loaders, asked } = fakeLoaders({ [`org/base@${"e".repeat(40)}`]: withTemplate(POISONED) }, {}, [
      { id: "d".repeat(40), date: "2025-03-01T00:00:00.000Z" },
      { id: "e".repeat(40), date: "2023-06-01T00:00:00.000Z" },
    ]);
    const result = await secondLook(found(), [{ name: "default", text: POISONED, writtenBy: "2024-01-01T00:00:00.000Z" }], loaders);
    expect(asked).toEqual(["commits org/base", `info org/base@${"e".repeat(40)}`]);
    expect(result).toMatchObject({ alternatives: [{ repoId: "org/base", revision: { sha: "e".repeat(40), date: "2023-06-01T00:00:00.000Z" } }] });
  });

  it("a merge: the other bases it names, two at most", async () => {
    const { loaders, asked } = fakeLoaders({ "org/b": withTemplate(POISONED), "org/c": withTemplate() });
    const result = await secondLook(found({ named: ["org/base", "org/b", "org/c", "org/d"] }), [{ name: "default", text: POISONED }], loaders);
    expect(asked).toEqual(["info org/b", "info org/c"]);
    expect(result).toMatchObject({ alternatives: [{ repoId: "org/b" }, { repoId: "org/c" }], secondLookGap: "1 more bases were not read" });
  });
});

describe("through the client, against the fake Hub: requests counted", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });
  beforeEach(() => hub.resetLog());

  /** storage.local as the fact store uses it: JSON, and nothing over 64 KB. */
  function memoryStore(): PersistentStore & { keys(): string[] } {
    const entries = new Map<string, string>();
    return {
      get: (key) => Promise.resolve(entries.has(key) ? (JSON.parse(entries.get(key) ?? "null") as { value: unknown; expiresAt: number }) : undefined),
      set: (key, stored, expiresAt) => {
        const text = JSON.stringify({ value: stored, expiresAt });
        if (text.length <= 64 * 1024) entries.set(key, text);
        return Promise.resolve();
      },
      clear: () => Promise.resolve(entries.clear()),
      keys: () => [...entries.keys()],
    };
  }
  const client = (store?: PersistentStore) => createHubClient({ fetch: fetchViaFakeHub(hub), ownScans: false, cache: createFactCache(store ? { store } : {}) });
  const model = (id: string) => ({ type: "model" as const, id, revision: "main" });
  /** API requests about other repos than the one on the page: the base lookups. */
  const baseCalls = (id: string) =>
    hub
      .apiRequests()
      .map((entry) => entry.path)
      .filter((path) => path.startsWith("/api/models/") && !path.startsWith(`/api/models/${id}`));

  it.each(["quant-lab/Llama-3.1-8B-Instruct-GGUF", "mirror-quants/Llama-3.1-8B-Instruct-GGUF", "helpful-tuner/Llama-3.1-8B-Instruct-helpful", "tidy-tuner/Llama-3.1-8B-Instruct-tidy", "orphan-quants/Llama-3.1-8B-Instruct-GGUF"])(
    "%s: one request for its base cold, none warm",
    async (id) => {
      const extension = client();
      const facts = await extension.gatherRepoFacts(model(id));
      expect(facts.baseTemplate?.ok).toBe(true);
      expect(baseCalls(id)).toHaveLength(1);
      hub.resetLog();
      await extension.gatherRepoFacts(model(id));
      expect(hub.apiRequests()).toEqual([]);
    },
  );

  it("a gated base is compared through its model info: no file of it is read", async () => {
    const facts = await client().gatherRepoFacts(model("quant-lab/Llama-3.1-8B-Instruct-GGUF"));
    expect(facts.baseTemplate).toMatchObject({ ok: true, value: { status: "found", compared: { repoId: GATED_BASE, source: "model-info" } } });
    expect(baseCalls("quant-lab/Llama-3.1-8B-Instruct-GGUF")).toEqual([`/api/models/${GATED_BASE}`]);
    expect(hub.log.some((entry) => entry.path.startsWith(`/${GATED_BASE}/resolve/`))).toBe(false);
  });

  it("repos derived from the same base share its one request; a restarted background reads it from storage", async () => {
    const store = memoryStore();
    const extension = client(store);
    for (const id of ["quant-lab/Llama-3.1-8B-Instruct-GGUF", "mirror-quants/Llama-3.1-8B-Instruct-GGUF", "helpful-tuner/Llama-3.1-8B-Instruct-helpful"]) await extension.gatherRepoFacts(model(id));
    expect(hub.apiRequests().filter((entry) => entry.path === `/api/models/${GATED_BASE}`)).toHaveLength(1);
    expect(store.keys()).toContain(`base-info:v1:model:${GATED_BASE.toLowerCase()}`);
    hub.resetLog();
    await client(store).gatherRepoFacts(model("tidy-tuner/Llama-3.1-8B-Instruct-tidy"));
    expect(baseCalls("tidy-tuner/Llama-3.1-8B-Instruct-tidy")).toEqual([]);
  });

  it("the two cases that need more, and say why: a base without template (its base too), and a base that changed its template since (its history)", async () => {
    const extension = client();
    await extension.gatherRepoFacts(model("chain-quants/Llama-3.1-8B-abliterated-GGUF"));
    expect(baseCalls("chain-quants/Llama-3.1-8B-abliterated-GGUF")).toEqual(["/api/models/middle-tuner/Llama-3.1-8B-abliterated", `/api/models/${GATED_BASE}`]);
    hub.resetLog();
    const facts = await extension.gatherRepoFacts(model("quant-lab/Qwen2.5-7B-Instruct-GGUF"));
    expect(baseCalls("quant-lab/Qwen2.5-7B-Instruct-GGUF")).toEqual([`/api/models/${QWEN_BASE}`, `/api/models/${QWEN_BASE}/commits/main?limit=100`, `/api/models/${QWEN_BASE}/revision/${QWEN_BASE_EARLIER}`]);
    expect(facts.baseTemplate).toMatchObject({ ok: true, value: { status: "found", alternatives: [{ revision: { sha: QWEN_BASE_EARLIER } }] } });
    hub.resetLog();
    await extension.gatherRepoFacts(model("quant-lab/Qwen2.5-7B-Instruct-GGUF"));
    expect(hub.apiRequests()).toEqual([]);
  });

  it("a repo with no base_model asks for none, and the option switches the lookup off", async () => {
    await client().gatherRepoFacts(model("sentinel-verified/Llama-3.1-8B-Instruct-GGUF"));
    expect(baseCalls("sentinel-verified/Llama-3.1-8B-Instruct-GGUF")).toEqual([]);
    hub.resetLog();
    const off = createHubClient({ fetch: fetchViaFakeHub(hub), ownScans: false, baseTemplates: false });
    const facts = await off.gatherRepoFacts(model("quant-lab/Llama-3.1-8B-Instruct-GGUF"));
    expect(facts.baseTemplate).toBeUndefined();
    expect(baseCalls("quant-lab/Llama-3.1-8B-Instruct-GGUF")).toEqual([]);
  });

  it("the base's failure is a gap, kept briefly: the Hub answering 500 for the base", async () => {
    hub.setFault(GATED_BASE, "info", { kind: "status", status: 500 });
    try {
      const facts = await client().gatherRepoFacts(model("quant-lab/Llama-3.1-8B-Instruct-GGUF"));
      expect(facts.baseTemplate).toMatchObject({ ok: false, gap: { kind: "server-error" } });
    } finally {
      hub.clearFaults();
    }
  });
});
