import { describe, expect, it } from "vitest";
import { createFactCache } from "../../../lib/hub/cache";
import { BOT_PR_TITLE, createHubClient, TTL } from "../../../lib/hub/client";
import type { GapKind } from "../../../lib/hub/gaps";
import type { RepoRef } from "../../../lib/repo-ref";
import { createFakeFetch, hang, json, on, type FakeFetch, type Route } from "../../fixtures/hub/fake-fetch";
import {
  BERT,
  BERT_SHA,
  bertInfo,
  bertSiblings,
  bertTreeEntries,
  discussionPage,
  hubError,
  orgOverview,
  rateLimited,
  recordedResponse,
  treeEntry,
  userOverview,
} from "../../fixtures/hub/recorded";

const HUB = "https://huggingface.co";
const bert: RepoRef = { type: "model", id: BERT, revision: "main" };
const NOW = Date.parse("2025-01-22T18:24:45.000Z");

function clock(start = NOW) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

/** paths-info answers from the recorded tree entries, plus a generated entry for other requested paths. */
function pathsInfoAnswer(body: string | undefined): Response {
  const { paths, expand } = JSON.parse(body ?? "{}") as { paths: string[]; expand?: boolean };
  const recorded = new Map(bertTreeEntries().map((entry) => [entry.path as string, entry]));
  return json(paths.map((path, index) => recorded.get(path) ?? treeEntry(path, index, expand === true)));
}

/** The Hub as seen for bert-base-uncased: recorded info, paths-info, no PRs, a verified org. */
function bertRoutes(info: () => Record<string, unknown> = () => bertInfo()): Route[] {
  return [
    on("GET", `/api/models/${BERT}/revision/main`, () => json(info())),
    on("POST", new RegExp(`^/api/models/${BERT}/paths-info/`), (request) => pathsInfoAnswer(request.body)),
    on("GET", `/api/models/${BERT}/discussions`, () => json(discussionPage([]))),
    on("GET", "/api/organizations/google-bert/overview", () => json(orgOverview("google-bert"))),
  ];
}

/** API calls only: the own pickle scan's Range reads go to /resolve (own-scans.ts), outside the API budget. */
function api(fake: FakeFetch) {
  return fake.calls.filter((call) => new URL(call.url).pathname.startsWith("/api/"));
}

function client(fake: FakeFetch, options: { now?: () => number; maxFiles?: number; timeoutMs?: number } = {}) {
  return createHubClient({ fetch: fake.fetch, now: options.now, maxFiles: options.maxFiles, timeoutMs: options.timeoutMs, cache: createFactCache({ now: options.now }) });
}

describe("a cold model page", () => {
  it("costs four anonymous requests: info with security status, paths-info for the pickle and Keras files, PRs, author", async () => {
    const fake = createFakeFetch(...bertRoutes());
    const facts = await client(fake).gatherRepoFacts(bert);

    expect(api(fake).map((call) => `${call.method} ${new URL(call.url).pathname}`).sort()).toEqual([
      `GET /api/models/${BERT}/discussions`,
      `GET /api/models/${BERT}/revision/main`,
      `GET /api/organizations/google-bert/overview`,
      `POST /api/models/${BERT}/paths-info/${BERT_SHA}`,
    ]);
    expect(fake.callsTo("/revision/main")[0]?.url).toContain("securityStatus=true");
    for (const call of fake.calls) {
      expect(call.credentials).toBe("omit");
      expect(call.headers.has("authorization")).toBe(false);
      expect(call.headers.has("cookie")).toBe(false);
    }

    // Only the pickle and Keras files are asked about: the repo's scan status and last commit (Feb 2024)
    // answer for the other weight files (file-details.ts). Every sibling is still listed.
    const asked = (JSON.parse(fake.callsTo("paths-info")[0]?.body ?? "{}") as { paths: string[] }).paths;
    expect(asked.sort()).toEqual(["coreml/fill-mask/float32_model.mlpackage/Data/com.apple.CoreML/weights/weight.bin", "pytorch_model.bin", "tf_model.h5"]);
    const safetensors = facts.files.ok ? facts.files.value.files.find((file) => file.path === "model.safetensors") : undefined;
    expect(safetensors).toEqual({ path: "model.safetensors", security: { status: "safe", scans: {}, fromRepoStatus: true }, changedNoLaterThan: "2024-02-19T11:06:12.000Z" });

    expect(facts.info.ok && facts.info.value.id).toBe(BERT);
    expect(facts.security).toEqual({ ok: true, value: { scansDone: true, filesWithIssues: [] } });
    expect(facts.author).toMatchObject({ ok: true, value: { kind: "org", isVerified: true } });
    expect(facts.pullRequests).toEqual({ ok: true, value: [] });
    if (!facts.files.ok) throw new Error("files should be known");
    expect(facts.files.value.complete).toBe(true);
    expect(facts.files.value.files.map((file) => file.path)).toEqual(bertSiblings());
    const bin = facts.files.value.files.find((file) => file.path === "pytorch_model.bin");
    expect(bin).toMatchObject({ lfsOid: "097417381d6c7230bd9e3557456d726de6e83245ec8b24f529f60198a67b203a", security: { status: "safe" } });
    // Dates are strings, so the facts survive storage.local.
    expect(bin?.lastCommit?.date).toBe("2019-06-18T09:06:34.000Z");
    expect(JSON.parse(JSON.stringify(facts.files))).toEqual(facts.files);
  });

  const askedPaths = (fake: FakeFetch) => fake.callsTo("paths-info").flatMap((call) => (JSON.parse(call.body ?? "{}") as { paths: string[] }).paths).sort();
  const weightPaths = ["coreml/fill-mask/float32_model.mlpackage/Data/com.apple.CoreML/weights/weight.bin", "flax_model.msgpack", "model.onnx", "model.safetensors", "pytorch_model.bin", "tf_model.h5"];

  it.each([
    ["the repo changed in the last 90 days", () => ({ ...bertInfo(), lastModified: new Date(NOW - 20 * 86_400_000).toISOString() })],
    ["the info gives no last-commit date", () => ({ ...bertInfo(), lastModified: undefined })],
    ["the Hub's scans are not done", () => bertInfo({ scansDone: false })],
    ["the info carries no security status", () => bertInfo(null)],
  ])("asks every weight file's details when %s", async (_why, info) => {
    const fake = createFakeFetch(...bertRoutes(info));
    await client(fake, { now: clock().now }).gatherRepoFacts(bert);
    expect(askedPaths(fake)).toEqual(expect.arrayContaining(["model.safetensors", "pytorch_model.bin"]));
  });

  it("asks about a file the repo's security status names, for what each scanner said", async () => {
    const fake = createFakeFetch(...bertRoutes(() => bertInfo({ scansDone: true, filesWithIssues: [{ path: "model.onnx", level: "suspicious" }] })));
    await client(fake, { now: clock().now }).gatherRepoFacts(bert);
    expect(askedPaths(fake)).toContain("model.onnx");
    expect(askedPaths(fake)).not.toContain("model.safetensors");
  });

  it("asks no file details at all for a repo whose weights are all safetensors, long unchanged and scanned", async () => {
    const safeOnly = () => ({ ...bertInfo(), siblings: [".gitattributes", "README.md", "config.json", "model.safetensors", "model-00002.safetensors"].map((rfilename) => ({ rfilename })) });
    const fake = createFakeFetch(...bertRoutes(safeOnly));
    const facts = await client(fake, { now: clock().now }).gatherRepoFacts(bert);
    expect(fake.callsTo("paths-info")).toHaveLength(0);
    expect(facts.files.ok && facts.files.value.files.filter((file) => file.security?.fromRepoStatus).map((file) => file.path)).toEqual(["model.safetensors", "model-00002.safetensors"]);
  });

  it("a file the repo status flags later, at the same commit, is asked about then: the listing from before is not reused", async () => {
    let filesWithIssues: { path: string; level: string }[] = [];
    const time = clock();
    const fake = createFakeFetch(...bertRoutes(() => bertInfo({ scansDone: true, filesWithIssues })));
    const shared = client(fake, { now: time.now });
    await shared.gatherRepoFacts(bert);
    expect(askedPaths(fake)).not.toContain("model.safetensors");
    filesWithIssues = [{ path: "model.safetensors", level: "unsafe" }];
    time.advance(TTL.info + 1);
    const facts = await shared.gatherRepoFacts(bert);
    expect(askedPaths(fake)).toContain("model.safetensors");
    expect(facts.files.ok && facts.files.value.files.find((file) => file.path === "model.safetensors")?.security?.fromRepoStatus).toBeUndefined();
  });

  it("skips the pull-request list when the page's header counts no discussion at all", async () => {
    const fake = createFakeFetch(...bertRoutes());
    const none = await client(fake).gatherRepoFacts(bert, { pageDiscussions: { open: 0, total: 0 } });
    expect(fake.callsTo("/discussions")).toHaveLength(0);
    expect(none.pullRequests).toEqual({ ok: true, value: [] });
    // Closed ones may still be recent merges: a count above 0 asks.
    const fake2 = createFakeFetch(...bertRoutes());
    await client(fake2).gatherRepoFacts(bert, { pageDiscussions: { open: 0, total: 3 } });
    expect(fake2.callsTo("/discussions")).toHaveLength(1);
  });

  it("every file's details, read while the scans ran, answer once they are done: no second paths-info for the same commit", async () => {
    let scansDone = false;
    const time = clock();
    const fake = createFakeFetch(...bertRoutes(() => bertInfo({ scansDone })));
    const shared = client(fake, { now: time.now });
    await shared.gatherRepoFacts(bert);
    expect(askedPaths(fake)).toEqual(weightPaths);
    scansDone = true;
    time.advance(TTL.info + 1);
    const facts = await shared.gatherRepoFacts(bert);
    expect(fake.callsTo("paths-info")).toHaveLength(1);
    expect(facts.files.ok && facts.files.value.files.find((file) => file.path === "model.safetensors")?.lastCommit).toBeTruthy();
  });

  it("the same page again within the TTL costs nothing; after the info TTL only the info is asked again", async () => {
    const time = clock();
    const fake = createFakeFetch(...bertRoutes());
    const hub = client(fake, { now: time.now });
    await hub.gatherRepoFacts(bert);
    const cold = api(fake).length;
    time.advance(TTL.info - 1);
    await hub.gatherRepoFacts(bert);
    expect(api(fake).length).toBe(cold);
    time.advance(2);
    await hub.gatherRepoFacts(bert);
    // Info again (the sha is the same, so the files stay cached); PRs' TTL is longer, the author's a day.
    expect(api(fake).slice(cold).map((call) => new URL(call.url).pathname)).toEqual([`/api/models/${BERT}/revision/main`]);
  });

  it("two tabs opening the page at once share one set of requests", async () => {
    const fake = createFakeFetch(...bertRoutes());
    const hub = client(fake);
    const [a, b] = await Promise.all([hub.gatherRepoFacts(bert), hub.gatherRepoFacts(bert)]);
    expect(api(fake)).toHaveLength(4);
    expect(a.files).toEqual(b.files);
  });

  it("a tab that leaves does not cancel the other tab's requests; when both leave, the requests are cancelled", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = createFakeFetch(on("GET", `/api/models/${BERT}/revision/main`, async () => (await gate, json(bertInfo()))), ...bertRoutes());
    const hub = client(fake);
    const left = new AbortController();
    const stays = new AbortController();
    const a = hub.gatherRepoFacts(bert, { signal: left.signal });
    const b = hub.gatherRepoFacts(bert, { signal: stays.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    left.abort();
    release();
    const facts = await b;
    expect(facts.info.ok).toBe(true);
    expect(facts.files.ok).toBe(true);
    await a;
    expect(fake.calls.filter((call) => call.signal?.aborted)).toHaveLength(0);

    const fake2 = createFakeFetch(on("GET", `/api/models/${BERT}/revision/main`, () => hang()), ...bertRoutes());
    const hub2 = client(fake2);
    const one = new AbortController();
    const two = new AbortController();
    const c = hub2.gatherRepoFacts(bert, { signal: one.signal });
    const d = hub2.gatherRepoFacts(bert, { signal: two.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    one.abort();
    two.abort();
    const [cf, df] = await Promise.all([c, d]);
    expect(cf.info).toMatchObject({ ok: false, gap: { kind: "aborted" } });
    expect(df.info).toMatchObject({ ok: false, gap: { kind: "aborted" } });
    expect(fake2.callsTo("/revision/main")[0]?.signal?.aborted).toBe(true);
    // A cancelled check is not remembered: the next visit asks again.
    const again = await client(createFakeFetch(...bertRoutes())).gatherRepoFacts(bert);
    expect(again.info.ok).toBe(true);
    fake2.prepend(on("GET", `/api/models/${BERT}/revision/main`, () => json(bertInfo())));
    expect((await hub2.repoInfo(bert)).ok).toBe(true);
  });

  it("a revision is URL-encoded into the info request", async () => {
    const fake = createFakeFetch(on("GET", /\/revision\//, () => json(bertInfo())));
    await client(fake).repoInfo({ ...bert, revision: "refs/pr/3" });
    expect(fake.calls[0]?.url).toBe(`${HUB}/api/models/${BERT}/revision/refs%2Fpr%2F3?securityStatus=true&blobs=true`);
  });
});

describe("the legacy 307 redirect (api-samples 02)", () => {
  it("is followed to the renamed repo, and its id is the canonical one", async () => {
    const recorded = recordedResponse("redirect-307-bert.json");
    expect(recorded.status).toBe(307);
    const fake = createFakeFetch(
      on("GET", "/api/models/bert-base-uncased/revision/main", (request) => {
        // The recorded 307, its Location carrying the rest of the path, as the Hub does for a renamed repo.
        const headers = new Headers(recorded.headers);
        headers.set("location", `${headers.get("location") ?? ""}/revision/main${request.url.search}`);
        return new Response("Temporary Redirect. Redirecting to /api/models/google-bert/bert-base-uncased", { status: 307, headers });
      }),
      ...bertRoutes(),
    );
    const fact = await client(fake).repoInfo({ type: "model", id: "bert-base-uncased", revision: "main" });
    expect(fact).toMatchObject({ ok: true, value: { info: { id: BERT }, security: { scansDone: true } } });
    expect(fake.calls.map((call) => new URL(call.url).pathname)).toEqual(["/api/models/bert-base-uncased/revision/main", `/api/models/${BERT}/revision/main`]);
    expect(fake.calls[1]?.url).toContain("securityStatus=true");
    for (const call of fake.calls) {
      expect(call.redirect ?? "follow").toBe("follow");
      expect(call.credentials).toBe("omit");
    }
  });
});

describe("every gap kind, as the facts report it", () => {
  const infoPath = `/api/models/${BERT}/revision/main`;
  it.each<[string, Route, GapKind, Partial<{ status: number; retryAfterSeconds: number }>]>([
    ["401 RepoNotFound", on("GET", infoPath, () => hubError(401, "Repository not found", "RepoNotFound")), "unauthorized", { status: 401 }],
    ["404", on("GET", infoPath, () => hubError(404, "Repository not found", "RepoNotFound")), "not-found", { status: 404 }],
    ["403 GatedRepo", on("GET", infoPath, () => hubError(403, "Access to model is restricted.", "GatedRepo")), "gated", { status: 403 }],
    ["403 disabled", on("GET", infoPath, () => hubError(403, "Access to this resource is disabled.")), "disabled", { status: 403 }],
    ["429 Retry-After", on("GET", infoPath, () => rateLimited({ retryAfter: "120" })), "rate-limited", { status: 429, retryAfterSeconds: 120 }],
    ["429 RateLimit t=", on("GET", infoPath, () => rateLimited({ rateLimit: '"api";r=0;t=42' })), "rate-limited", { retryAfterSeconds: 42 }],
    ["network", on("GET", infoPath, () => Promise.reject(new TypeError("Failed to fetch"))), "network", {}],
    ["timeout", on("GET", infoPath, () => hang()), "timeout", {}],
    ["not JSON", on("GET", infoPath, () => new Response("<html>upstream proxy error", { status: 200, headers: { "content-type": "application/json" } })), "malformed", { status: 200 }],
    ["JSON of the wrong shape", on("GET", infoPath, () => json(["google-bert/bert-base-uncased"])), "malformed", {}],
    ["an id of the wrong type", on("GET", infoPath, () => json({ ...bertInfo(), id: 42, modelId: null })), "malformed", {}],
    ["500", on("GET", infoPath, () => hubError(500, "Internal Error")), "server-error", { status: 500 }],
  ])("repo info: %s", async (_name, route, kind, extra) => {
    const fake = createFakeFetch(route, ...bertRoutes());
    const facts = await client(fake, { timeoutMs: 30 }).gatherRepoFacts(bert);
    expect(facts.info).toMatchObject({ ok: false, gap: { kind, ...extra } });
    // Files and security depend on the info: the same gap, never an empty "nothing found".
    expect(facts.files).toMatchObject({ ok: false, gap: { kind } });
    expect(facts.security).toMatchObject({ ok: false, gap: { kind } });
  });

  const pathsInfo = /\/paths-info\//;
  it.each<[string, Route, GapKind, Partial<{ status: number; retryAfterSeconds: number }>]>([
    ["401", on("POST", pathsInfo, () => hubError(401, "Repository not found", "RepoNotFound")), "unauthorized", { status: 401 }],
    ["404", on("POST", pathsInfo, () => hubError(404, "Entry not found", "EntryNotFound")), "not-found", { status: 404 }],
    ["403 GatedRepo", on("POST", pathsInfo, () => hubError(403, "Access to model google-bert/bert-base-uncased is restricted.", "GatedRepo")), "gated", { status: 403 }],
    ["403 disabled", on("POST", pathsInfo, () => hubError(403, "Access to this resource is disabled.")), "disabled", { status: 403 }],
    ["429", on("POST", pathsInfo, () => rateLimited({ retryAfter: "30" })), "rate-limited", { status: 429, retryAfterSeconds: 30 }],
    ["network", on("POST", pathsInfo, () => Promise.reject(new TypeError("Failed to fetch"))), "network", {}],
    ["timeout", on("POST", pathsInfo, () => hang()), "timeout", {}],
    ["not an array", on("POST", pathsInfo, () => json({ error: "nope" })), "malformed", {}],
    ["not JSON", on("POST", pathsInfo, () => new Response("<html>", { status: 200, headers: { "content-type": "application/json" } })), "malformed", {}],
    ["502", on("POST", pathsInfo, () => hubError(502, "Bad Gateway")), "server-error", { status: 502 }],
  ])("file details (paths-info through @huggingface/hub): %s", async (_name, route, kind, extra) => {
    const fake = createFakeFetch(route, ...bertRoutes());
    const facts = await client(fake, { timeoutMs: 30 }).gatherRepoFacts(bert);
    expect(facts.info.ok).toBe(true);
    expect(facts.files).toMatchObject({ ok: false, gap: { kind, ...extra } });
  });

  it("aborted", async () => {
    const fake = createFakeFetch(on("POST", pathsInfo, () => hang()), ...bertRoutes());
    const controller = new AbortController();
    const pending = client(fake).gatherRepoFacts(bert, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    expect((await pending).files).toMatchObject({ ok: false, gap: { kind: "aborted" } });
  });

  it("no security status in the info is a malformed security fact, not a clean one", async () => {
    const fake = createFakeFetch(...bertRoutes(() => bertInfo(null)));
    const facts = await client(fake).gatherRepoFacts(bert);
    expect(facts.security).toMatchObject({ ok: false, gap: { kind: "malformed" } });
  });

  it("garbage everywhere still gives facts (gaps), never an exception", async () => {
    const fake = createFakeFetch(() => json("surprise"));
    const facts = await client(fake).gatherRepoFacts(bert);
    for (const key of ["info", "files", "security", "pullRequests", "author"] as const) {
      expect(facts[key]).toMatchObject({ ok: false, gap: { kind: "malformed" } });
    }
  });
});

describe("the tree walk, when the info has no siblings", () => {
  /** A tree of `total` files served 100 expanded entries a page, with absolute `Link: <…>; rel="next"`. */
  function treeRoutes(total: number, options: { failAtCursor?: number; failWith?: () => Response; brokenLinkAtCursor?: number } = {}): Route[] {
    const info = bertInfo();
    delete info.siblings;
    const paths = Array.from({ length: total }, (_, i) => (i === 5 ? "pytorch_model.bin" : `data/shard-${String(i).padStart(5, "0")}.jsonl`));
    return [
      on("GET", `/api/models/${BERT}/revision/main`, () => json(info)),
      on("GET", new RegExp(`^/api/models/${BERT}/tree/`), (request) => {
        const cursor = Number(request.url.searchParams.get("cursor") ?? "0");
        if (options.failAtCursor === cursor && options.failWith) return options.failWith();
        const size = request.url.searchParams.get("expand") === "true" ? 100 : 1000;
        const page = paths.slice(cursor, cursor + size).map((path, i) => treeEntry(path, cursor + i));
        const headers: Record<string, string> = {};
        if (cursor + size < paths.length) {
          const next = new URL(request.url.href);
          next.searchParams.set("cursor", String(cursor + size));
          headers.link = options.brokenLinkAtCursor === cursor ? `<${next.pathname}${next.search}>; rel="next"` : `<${next.href}>; rel="next"`;
        }
        return json(page, 200, headers);
      }),
      ...bertRoutes(),
    ];
  }

  it("follows the Link chain, 100 expanded entries a page, and reports a complete listing", async () => {
    const fake = createFakeFetch(...treeRoutes(250));
    const facts = await client(fake).gatherRepoFacts(bert);
    const pages = fake.callsTo("/tree/");
    expect(pages).toHaveLength(3);
    expect(pages[0]?.url).toBe(`${HUB}/api/models/${BERT}/tree/${BERT_SHA}?recursive=true&expand=true`);
    expect(fake.callsTo("paths-info")).toHaveLength(0);
    if (!facts.files.ok) throw new Error(facts.files.gap.message);
    expect(facts.files.value).toMatchObject({ complete: true, readCount: 250 });
    expect(facts.files.value.files).toHaveLength(250);
    expect(facts.files.value.files[5]).toMatchObject({ path: "pytorch_model.bin", security: { status: "unscanned" } });
  });

  it("stops at the file cap on a huge repo and says the listing is incomplete", async () => {
    const fake = createFakeFetch(...treeRoutes(10_500));
    const facts = await client(fake, { maxFiles: 1_000 }).gatherRepoFacts(bert);
    if (!facts.files.ok) throw new Error(facts.files.gap.message);
    expect(facts.files.value).toMatchObject({ complete: false, readCount: 1_000 });
    expect(fake.callsTo("/tree/")).toHaveLength(10);
  });

  it("the default cap reads at most 10,000 files in 100 pages", async () => {
    const fake = createFakeFetch(...treeRoutes(10_500));
    const facts = await client(fake).gatherRepoFacts(bert);
    if (!facts.files.ok) throw new Error(facts.files.gap.message);
    expect(facts.files.value).toMatchObject({ complete: false, readCount: 10_000 });
    expect(fake.callsTo("/tree/")).toHaveLength(100);
  });

  it("a Link chain that breaks mid-way (a 500 on page 3) is a truncated gap, naming what was read and why", async () => {
    const fake = createFakeFetch(...treeRoutes(450, { failAtCursor: 200, failWith: () => hubError(500, "Internal Error") }));
    const facts = await client(fake).gatherRepoFacts(bert);
    expect(facts.files).toMatchObject({ ok: false, gap: { kind: "truncated", status: 500 } });
    if (facts.files.ok) return;
    expect(facts.files.gap.message).toContain("200");
    expect(fake.callsTo("/tree/")).toHaveLength(3);
  });

  it("a 429 mid-walk is a truncated gap that keeps the retry time, and stops the walk", async () => {
    const fake = createFakeFetch(...treeRoutes(450, { failAtCursor: 100, failWith: () => rateLimited({ retryAfter: "90" }) }));
    const facts = await client(fake).gatherRepoFacts(bert);
    expect(facts.files).toMatchObject({ ok: false, gap: { kind: "truncated", status: 429, retryAfterSeconds: 90 } });
    expect(fake.callsTo("/tree/")).toHaveLength(2);
  });

  it("a next link the client cannot follow is not taken for the end of the list", async () => {
    const fake = createFakeFetch(...treeRoutes(250, { brokenLinkAtCursor: 100 }));
    const facts = await client(fake).gatherRepoFacts(bert);
    expect(facts.files).toMatchObject({ ok: false, gap: { kind: "truncated" } });
  });

  it("a failure on the very first page is that failure, not a truncation", async () => {
    const fake = createFakeFetch(...treeRoutes(250, { failAtCursor: 0, failWith: () => hubError(403, "Access restricted", "GatedRepo") }));
    const facts = await client(fake).gatherRepoFacts(bert);
    expect(facts.files).toMatchObject({ ok: false, gap: { kind: "gated" } });
  });
});

describe("a huge repo with siblings", () => {
  it("asks paths-info for weight files in batches of 2,000, caps them, and says the listing is incomplete", async () => {
    const info = bertInfo();
    info.siblings = [
      { rfilename: "README.md" },
      ...Array.from({ length: 4_500 }, (_, i) => ({ rfilename: `shards/part-${i}.pkl` })),
      ...Array.from({ length: 6_000 }, (_, i) => ({ rfilename: `data/${i}.jsonl` })),
    ];
    const fake = createFakeFetch(...bertRoutes(() => info));
    const facts = await client(fake, { maxFiles: 3_000 }).gatherRepoFacts(bert);
    const batches = fake.callsTo("paths-info").map((call) => (JSON.parse(call.body ?? "{}") as { paths: string[] }).paths.length);
    expect(batches).toEqual([2_000, 1_000]);
    if (!facts.files.ok) throw new Error(facts.files.gap.message);
    expect(facts.files.value.complete).toBe(false);
    expect(facts.files.value.files).toHaveLength(10_501);
  });

  it("10,500 files, few of them weights: two requests for all file facts, complete", async () => {
    const info = bertInfo();
    info.siblings = [{ rfilename: "extra/embeddings.pkl" }, ...Array.from({ length: 10_500 }, (_, i) => ({ rfilename: `data/${i}.jsonl` }))];
    const fake = createFakeFetch(...bertRoutes(() => info));
    const facts = await client(fake).gatherRepoFacts(bert);
    expect(fake.callsTo("paths-info")).toHaveLength(1);
    expect(facts.files).toMatchObject({ ok: true, value: { complete: true } });
  });
});

describe("pull requests", () => {
  const recent = "2025-01-10T00:00:00.000Z";
  const old = "2023-01-10T00:00:00.000Z";

  it("keeps open, draft and recently merged PRs; asks for open ones alone when the first page is not all", async () => {
    const fake = createFakeFetch(
      on("GET", `/api/models/${BERT}/discussions`, (request) =>
        request.url.searchParams.get("status") === "open"
          ? json(discussionPage([{ num: 1, title: "Old open PR", status: "open", author: "someone", createdAt: old }], { count: 1 }))
          : json(
              discussionPage(
                [
                  { num: 60, title: "Fix typo", status: "closed", author: "a", createdAt: recent },
                  { num: 59, title: "Update README", status: "merged", author: "b", createdAt: recent },
                  { num: 58, title: "Ancient merge", status: "merged", author: "c", createdAt: old },
                  { num: 57, title: "Draft", status: "draft", author: "d", createdAt: recent },
                ],
                { count: 60 },
              ),
            ),
      ),
    );
    const fact = await client(fake, { now: () => NOW }).pullRequests(bert);
    expect(fact.ok && fact.value.map((pr) => pr.num)).toEqual([59, 57, 1]);
    expect(fake.calls.map((call) => new URL(call.url).searchParams.get("status"))).toEqual(["all", "open"]);
    for (const call of fake.calls) expect(new URL(call.url).searchParams.get("type")).toBe("pull_request");
  });

  it("a conversion-looking PR gets its changed files: tree at refs/pr/N against paths-info at main", async () => {
    const prTree: Record<string, unknown>[] = [...bertTreeEntries().map((entry) => ({ ...entry, lastCommit: undefined, securityFileStatus: undefined })), treeEntry("model.safetensors", 99, false)];
    // The PR also rewrites the pickle.
    const bin = prTree.find((entry) => entry.path === "pytorch_model.bin");
    if (bin) bin.oid = "ffffffffffffffffffffffffffffffffffffffff";
    const fake = createFakeFetch(
      on("GET", `/api/models/${BERT}/discussions`, () => json(discussionPage([{ num: 3, title: BOT_PR_TITLE, status: "open", author: "SFconvertbot", createdAt: "2025-01-20T00:00:00.000Z" }]))),
      on("GET", new RegExp(`^/api/models/${BERT}/tree/refs%2Fpr%2F3`), () => json(prTree)),
      on("POST", `/api/models/${BERT}/paths-info/main`, (request) => {
        const { paths } = JSON.parse(request.body ?? "{}") as { paths: string[] };
        return json(bertTreeEntries().filter((entry) => paths.includes(entry.path as string)));
      }),
      ...bertRoutes(),
    );
    const facts = await client(fake, { now: () => NOW }).gatherRepoFacts(bert);
    if (!facts.pullRequests.ok) throw new Error(facts.pullRequests.gap.message);
    const pr = facts.pullRequests.value[0];
    expect(pr?.changedFiles?.ok && pr.changedFiles.value.map(({ path, change }) => ({ path, change }))).toEqual([
      { path: "pytorch_model.bin", change: "modified" },
      { path: "model.safetensors", change: "added" },
    ]);
    // Cold page with a conversion PR: the four, plus the PR's tree and paths-info at main.
    expect(api(fake)).toHaveLength(6);
    expect(fake.callsTo("/tree/")[0]?.url).toBe(`${HUB}/api/models/${BERT}/tree/refs%2Fpr%2F3?recursive=true&expand=false`);
  });

  it("a PR imitating the bot's title is compared too; an ordinary PR is not", async () => {
    const fake = createFakeFetch(
      on("GET", `/api/models/${BERT}/discussions`, () =>
        json(
          discussionPage([
            { num: 7, title: BOT_PR_TITLE, status: "open", author: "SFconvert-bot", createdAt: "2025-01-20T00:00:00.000Z" },
            { num: 8, title: "Update README.md", status: "open", author: "someone", createdAt: "2025-01-20T00:00:00.000Z" },
          ]),
        ),
      ),
      on("GET", /\/tree\/refs%2Fpr%2F7/, () => json([])),
      on("POST", `/api/models/${BERT}/paths-info/main`, () => json([])),
    );
    const fact = await client(fake, { now: () => NOW }).gatherRepoFacts(bert);
    expect(fact.pullRequests.ok && fact.pullRequests.value.map((pr) => pr.changedFiles !== undefined)).toEqual([true, false]);
  });

  it("a failing discussions list is a gap for PRs only", async () => {
    const fake = createFakeFetch(on("GET", `/api/models/${BERT}/discussions`, () => hubError(500, "Internal Error")), ...bertRoutes());
    const facts = await client(fake).gatherRepoFacts(bert);
    expect(facts.pullRequests).toMatchObject({ ok: false, gap: { kind: "server-error" } });
    expect(facts.info.ok && facts.files.ok && facts.author.ok).toBe(true);
  });
});

describe("the author", () => {
  it("an organization: one request", async () => {
    const fake = createFakeFetch(on("GET", "/api/organizations/google-bert/overview", () => json(orgOverview("google-bert"))));
    expect(await client(fake).author("google-bert", undefined)).toMatchObject({ ok: true, value: { kind: "org", isVerified: true } });
    expect(fake.calls).toHaveLength(1);
  });

  it("not an organization: falls back to the user overview", async () => {
    const fake = createFakeFetch(
      on("GET", "/api/organizations/quiet-lab/overview", () => json({ error: "Organization not found" }, 404)),
      on("GET", "/api/users/quiet-lab/overview", () => json(userOverview("quiet-lab", "2021-06-01T00:00:00.000Z"))),
    );
    expect(await client(fake).author("quiet-lab", undefined)).toMatchObject({ ok: true, value: { kind: "user", createdAt: "2021-06-01T00:00:00.000Z" } });
    expect(fake.calls).toHaveLength(2);
  });

  it("known to be a user from the page: asks the user overview only", async () => {
    const fake = createFakeFetch(on("GET", "/api/users/quiet-lab/overview", () => json(userOverview("quiet-lab"))));
    expect((await client(fake).author("quiet-lab", "user")).ok).toBe(true);
    expect(fake.calls).toHaveLength(1);
  });

  it("known to be an org but missing: the org's gap, no user request", async () => {
    const fake = createFakeFetch(on("GET", "/api/organizations/gone-org/overview", () => json({ error: "Organization not found" }, 404)));
    expect(await client(fake).author("gone-org", "org")).toMatchObject({ ok: false, gap: { kind: "not-found" } });
    expect(fake.calls).toHaveLength(1);
  });

  it("a rate limit on the org request is not taken for 'not an org'", async () => {
    const fake = createFakeFetch(on("GET", "/api/organizations/google-bert/overview", () => rateLimited({ retryAfter: "60" })));
    expect(await client(fake).author("google-bert", undefined)).toMatchObject({ ok: false, gap: { kind: "rate-limited" } });
    expect(fake.calls).toHaveLength(1);
  });
});

describe("429 across the client", () => {
  it("a rate-limited info request: every other fact fails fast without reaching fetch until Retry-After", async () => {
    const time = clock();
    let limited = true;
    const fake = createFakeFetch(on("GET", `/api/models/${BERT}/revision/main`, () => (limited ? rateLimited({ retryAfter: "120" }) : json(bertInfo()))), ...bertRoutes());
    // One request at a time, so the info request is answered before any other starts.
    const hub = createHubClient({ fetch: fake.fetch, now: time.now, maxConcurrent: 1, cache: createFactCache({ now: time.now }) });
    const facts = await hub.gatherRepoFacts(bert);
    expect(facts.info).toMatchObject({ ok: false, gap: { kind: "rate-limited", retryAfterSeconds: 120 } });
    const afterFirst = api(fake).length;
    limited = false;

    for (const other of ["org-a/x", "org-b/y", "org-c/z"]) await hub.gatherRepoFacts({ type: "model", id: other, revision: "main" });
    expect(api(fake).length).toBe(afterFirst);

    time.advance(120_000);
    expect((await hub.gatherRepoFacts(bert)).info.ok).toBe(true);
    expect(api(fake).length).toBeGreaterThan(afterFirst);
  });
});

describe("GGUF files named by their LFS sha256 from the repo info (?blobs=true)", () => {
  const GGUF_REPO = "quant-lab/Model-GGUF";
  const sha = (char: string) => char.repeat(64);
  /** A quantizer's repo at rest (scans done, last commit months ago): no file needs paths-info. */
  const info = () => ({
    _id: "x",
    id: GGUF_REPO,
    author: "quant-lab",
    sha: BERT_SHA,
    lastModified: "2024-06-01T00:00:00.000Z",
    tags: ["gguf"],
    siblings: [
      { rfilename: ".gitattributes", blobId: "a".repeat(40), size: 1519 },
      { rfilename: "Model-Q4_K_M.gguf", blobId: "b".repeat(40), size: 4_920_734_016, lfs: { sha256: sha("c"), size: 4_920_734_016, pointerSize: 135 } },
      { rfilename: "Model-Q8_0.gguf", blobId: "d".repeat(40), size: 8_540_000_000, lfs: { sha256: sha("e"), size: 8_540_000_000, pointerSize: 135 } },
      { rfilename: "weird.gguf", lfs: { sha256: "not-a-sha" } },
    ],
    securityRepoStatus: { scansDone: true, filesWithIssues: [] },
  });

  it("asks the info with blobs=true, and gives the GGUF files their sha and size without a paths-info call", async () => {
    const fake = createFakeFetch(on("GET", `/api/models/${GGUF_REPO}/revision/main`, () => json(info())), on("GET", "/api/organizations/quant-lab/overview", () => json(orgOverview("quant-lab"))));
    const hub = createHubClient({ fetch: fake.fetch, now: () => NOW, cache: createFactCache({ now: () => NOW }), templateScans: false });
    const facts = await hub.gatherRepoFacts({ type: "model", id: GGUF_REPO, revision: "main" }, { pageDiscussions: { total: 0, open: 0 } });
    expect(fake.callsTo("/revision/main")[0]?.url).toContain("blobs=true");
    expect(api(fake).some((call) => call.url.includes("paths-info"))).toBe(false);
    const files = facts.files.ok ? facts.files.value.files : [];
    expect(files.find((file) => file.path === "Model-Q4_K_M.gguf")).toMatchObject({ lfsOid: sha("c"), size: 4_920_734_016 });
    expect(files.find((file) => file.path === "Model-Q8_0.gguf")).toMatchObject({ lfsOid: sha("e") });
    // A malformed sha is not a cache key.
    expect(files.find((file) => file.path === "weird.gguf")?.lfsOid).toBeUndefined();
  });
});
