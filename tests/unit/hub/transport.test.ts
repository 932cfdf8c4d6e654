import { describe, expect, it } from "vitest";
import type { GapKind } from "../../../lib/hub/gaps";
import { createTransport, gapFromResponse, HubRequestError, retryAfterSeconds } from "../../../lib/hub/transport";
import { createFakeFetch, deferred, hang, json, on } from "../../fixtures/hub/fake-fetch";
import { createRateBudget, MAX_REFUSALS_IN_A_ROW } from "../../../lib/hub/rate-limit";
import { bertInfo, hubError, rateLimited, recordedResponse } from "../../fixtures/hub/recorded";

const INFO = "https://huggingface.co/api/models/google-bert/bert-base-uncased/revision/main?securityStatus=true&blobs=true";

async function gapOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HubRequestError) return error.gap;
    throw new Error(`expected a HubRequestError, got ${String(error)}`);
  }
  throw new Error("expected the request to fail");
}

function clock(start = Date.parse("2025-01-22T18:24:45.000Z")) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe("transport: every failure is a typed gap", () => {
  it.each<[string, () => Response, GapKind, number | undefined]>([
    ["401 RepoNotFound (missing or private, anonymous)", () => hubError(401, "Repository not found", "RepoNotFound"), "unauthorized", 401],
    ["404 with a token's answer", () => hubError(404, "Repository not found", "RepoNotFound"), "not-found", 404],
    ["403 GatedRepo", () => hubError(403, "Access to model gated-org/gated-model is restricted.", "GatedRepo"), "gated", 403],
    ["403 disabled", () => hubError(403, "Access to this resource is disabled."), "disabled", 403],
    ["410 gone", () => hubError(410, "Gone"), "disabled", 410],
    ["500", () => hubError(500, "Internal Error"), "server-error", 500],
    ["recorded 409 JSON error body (api-samples 07)", () => recordedResponse("error-409.json"), "server-error", 409],
    ["429 Retry-After", () => rateLimited({ retryAfter: "120" }), "rate-limited", 429],
    ["200 that is not JSON (a proxy's HTML)", () => new Response("<html>upstream proxy error", { status: 200, headers: { "content-type": "application/json" } }), "malformed", 200],
  ])("%s", async (_name, answer, kind, status) => {
    const fake = createFakeFetch(() => answer());
    const transport = createTransport({ fetch: fake.fetch });
    const gap = await gapOf(transport.getJson(INFO));
    expect(gap.kind).toBe(kind);
    expect(gap.status).toBe(status);
    expect(gap.message).toMatch(/\S/);
    // The message names the API path, never the query or another host.
    expect(gap.message).not.toContain("securityStatus");
  });

  it("a recorded error body's text reaches the message", async () => {
    const gap = await gapFromResponse(recordedResponse("error-409.json"), "https://huggingface.co/api/repos/create");
    expect(gap).toMatchObject({ kind: "server-error", status: 409 });
    expect(gap.message).toContain("You already created this space repo");
  });

  it("an error answer in HTML (a proxy) still gives the status's gap", async () => {
    const gap = await gapFromResponse(new Response("<html>Bad gateway</html>", { status: 502 }), INFO);
    expect(gap).toMatchObject({ kind: "server-error", status: 502 });
  });

  it("a refused connection is a network gap", async () => {
    const fake = createFakeFetch(() => Promise.reject(new TypeError("Failed to fetch")));
    const gap = await gapOf(createTransport({ fetch: fake.fetch }).getJson(INFO));
    expect(gap.kind).toBe("network");
    expect(gap.message).toContain("Failed to fetch");
  });

  it("a Hub that does not answer in time is a timeout gap, and the request is aborted", async () => {
    const fake = createFakeFetch(() => hang());
    const gap = await gapOf(createTransport({ fetch: fake.fetch, timeoutMs: 30 }).getJson(INFO));
    expect(gap.kind).toBe("timeout");
    expect(fake.calls[0]?.signal?.aborted).toBe(true);
  });

  it("a caller's abort is an aborted gap, not a timeout or network error", async () => {
    const fake = createFakeFetch(() => hang());
    const controller = new AbortController();
    const pending = gapOf(createTransport({ fetch: fake.fetch }).getJson(INFO, controller.signal));
    await Promise.resolve();
    controller.abort();
    expect((await pending).kind).toBe("aborted");
    expect(fake.calls[0]?.signal?.aborted).toBe(true);
  });

  it("a request already aborted while waiting for a slot never reaches fetch", async () => {
    const first = deferred();
    const fake = createFakeFetch(on("GET", /first/, () => first.promise), () => json({}));
    const transport = createTransport({ fetch: fake.fetch, maxConcurrent: 1 });
    const running = transport.getJson("https://huggingface.co/api/first");
    const controller = new AbortController();
    const queued = gapOf(transport.getJson("https://huggingface.co/api/second", controller.signal));
    controller.abort();
    first.resolve(json({}));
    await running;
    expect((await queued).kind).toBe("aborted");
    expect(fake.callsTo("second")).toHaveLength(0);
  });
});

describe("transport: anonymous requests", () => {
  it("sends credentials: omit and no Authorization, even when a caller asks for cookies", async () => {
    const fake = createFakeFetch(() => json(bertInfo()));
    const transport = createTransport({ fetch: fake.fetch });
    await transport.getJson(INFO);
    await transport.fetch(INFO, { credentials: "include" });
    expect(fake.calls).toHaveLength(2);
    for (const call of fake.calls) {
      expect(call.credentials).toBe("omit");
      expect(call.headers.has("authorization")).toBe(false);
    }
  });

  it("caps concurrent requests", async () => {
    let active = 0;
    let peak = 0;
    const fake = createFakeFetch(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
      return json({});
    });
    const transport = createTransport({ fetch: fake.fetch, maxConcurrent: 2 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => transport.getJson(`https://huggingface.co/api/x/${i}`)));
    expect(fake.calls).toHaveLength(7);
    expect(peak).toBe(2);
  });
});

describe("retryAfterSeconds", () => {
  const now = Date.parse("2025-01-22T18:24:45.000Z");
  it.each<[string, Record<string, string>, number | undefined]>([
    ["Retry-After in seconds", { "retry-after": "120" }, 120],
    ["Retry-After with a fraction rounds up", { "retry-after": "1.2" }, 2],
    ["Retry-After as an HTTP date", { "retry-after": "Wed, 22 Jan 2025 18:26:15 GMT" }, 90],
    ["Retry-After as a date in the past", { "retry-after": "Wed, 22 Jan 2025 18:00:00 GMT" }, 0],
    ["RateLimit header t= (the Hub's own)", { ratelimit: '"api";r=0;t=45' }, 45],
    ["Retry-After wins over RateLimit", { "retry-after": "10", ratelimit: '"api";r=0;t=45' }, 10],
    ["unreadable Retry-After falls back to RateLimit", { "retry-after": "soon", ratelimit: '"api";r=0;t=45' }, 45],
    ["a day is capped at an hour", { "retry-after": "86400" }, 3600],
    ["nothing said", {}, undefined],
    ["r= alone is not a wait", { ratelimit: '"api";r=12' }, undefined],
  ])("%s", (_name, headers, expected) => {
    expect(retryAfterSeconds(new Headers(headers), now)).toBe(expected);
  });
});

describe("transport: a 429 blocks every request until the Hub's retry time (no retry storm)", () => {
  it.each<[string, { retryAfter?: string; rateLimit?: string }, number]>([
    ["Retry-After seconds", { retryAfter: "30" }, 30],
    ["Retry-After HTTP date", { retryAfter: "Wed, 22 Jan 2025 18:25:15 GMT" }, 30],
    ["RateLimit t=", { rateLimit: '"api";r=0;t=30' }, 30],
  ])("%s: requests during the block fail fast without reaching fetch", async (_name, headers, seconds) => {
    const time = clock();
    let limited = true;
    const fake = createFakeFetch(() => (limited ? rateLimited(headers) : json(bertInfo())));
    const transport = createTransport({ fetch: fake.fetch, now: time.now });

    const first = await gapOf(transport.getJson(INFO));
    expect(first).toMatchObject({ kind: "rate-limited", status: 429, retryAfterSeconds: seconds });
    expect(transport.blockedUntil()).toBe(time.now() + seconds * 1000);
    limited = false;

    // Ten more requests, to any endpoint, through getJson and through the library fetch: none reaches the Hub.
    for (let i = 0; i < 5; i++) {
      expect((await gapOf(transport.getJson(`https://huggingface.co/api/organizations/x${i}/overview`))).kind).toBe("rate-limited");
      expect((await gapOf(transport.fetch(`https://huggingface.co/api/models/a/b/tree/main?expand=true`))).kind).toBe("rate-limited");
    }
    expect(fake.calls).toHaveLength(1);

    time.advance(seconds * 1000 - 11_000);
    const late = await gapOf(transport.getJson(INFO));
    expect(late.retryAfterSeconds).toBe(11);
    expect(fake.calls).toHaveLength(1);

    time.advance(11_000);
    await expect(transport.getJson(INFO)).resolves.toMatchObject({ body: { id: "google-bert/bert-base-uncased" } });
    expect(fake.calls).toHaveLength(2);
  });

  it("a 429 without any header blocks for a minute", async () => {
    const time = clock();
    const fake = createFakeFetch(() => rateLimited({}));
    const transport = createTransport({ fetch: fake.fetch, now: time.now });
    expect((await gapOf(transport.getJson(INFO))).retryAfterSeconds).toBe(60);
    expect(transport.blockedUntil()).toBe(time.now() + 60_000);
  });

  it("requests queued behind the concurrency cap when the 429 arrives fail without reaching fetch", async () => {
    const time = clock();
    const first = deferred();
    const fake = createFakeFetch(on("GET", /first/, () => first.promise), () => json({}));
    const transport = createTransport({ fetch: fake.fetch, now: time.now, maxConcurrent: 1 });
    const results = [transport.getJson("https://huggingface.co/api/first"), ...[1, 2, 3].map((i) => transport.getJson(`https://huggingface.co/api/queued/${i}`))].map(gapOf);
    first.resolve(rateLimited({ retryAfter: "20" }));
    const gaps = await Promise.all(results);
    expect(gaps.map((gap) => gap.kind)).toEqual(["rate-limited", "rate-limited", "rate-limited", "rate-limited"]);
    expect(fake.calls).toHaveLength(1);
  });

  it("a later, shorter Retry-After does not shorten the block", async () => {
    const time = clock();
    const answers = [rateLimited({ retryAfter: "5" }), rateLimited({ retryAfter: "100" })];
    const gates = [deferred(), deferred()];
    let index = 0;
    const fake = createFakeFetch(() => gates[index++]?.promise);
    const transport = createTransport({ fetch: fake.fetch, now: time.now });
    const a = gapOf(transport.getJson("https://huggingface.co/api/a"));
    const b = gapOf(transport.getJson("https://huggingface.co/api/b"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    gates[1]?.resolve(answers[1] as Response);
    await b;
    gates[0]?.resolve(answers[0] as Response);
    await a;
    expect(transport.blockedUntil()).toBe(time.now() + 100_000);
  });
});

describe("transport: a short block is waited out, once, with one request going first", () => {
  /** A clock whose sleeps pass instantly, recording what was waited. */
  function waitingClock() {
    const time = clock();
    const waits: number[] = [];
    const sleep = async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new Error("aborted");
      waits.push(ms);
      time.advance(ms);
      await Promise.resolve();
    };
    return { ...time, waits, sleep };
  }

  it("Retry-After: 1 is waited out and the request retried once: the caller gets the answer", async () => {
    const time = waitingClock();
    let answers = 0;
    const fake = createFakeFetch(() => (answers++ === 0 ? rateLimited({ retryAfter: "1", rateLimit: '"api";r=0;t=1' }) : json(bertInfo())));
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep: time.sleep });
    await expect(transport.getJson(INFO)).resolves.toMatchObject({ body: { id: "google-bert/bert-base-uncased" } });
    expect(fake.calls).toHaveLength(2);
    expect(time.waits).toEqual([1000]);
  });

  it("a sleep that wakes a millisecond before the block's end sleeps the rest: the same block, not a second one", async () => {
    // Firefox's timers may fire just before Date.now() reaches the end they were set for.
    const time = clock();
    const waits: number[] = [];
    const earlySleep = async (ms: number) => {
      waits.push(ms);
      time.advance(ms > 1 ? ms - 1 : ms);
      await Promise.resolve();
    };
    let answers = 0;
    const fake = createFakeFetch(() => (answers++ === 0 ? rateLimited({ retryAfter: "1" }) : json(bertInfo())));
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep: earlySleep });
    await expect(transport.getJson(INFO)).resolves.toMatchObject({ body: { id: "google-bert/bert-base-uncased" } });
    expect(waits).toEqual([1000, 1]);
    expect(fake.calls).toHaveLength(2);
  });

  it("a block made longer while a request slept through it is a second block: reported, not waited again", async () => {
    const time = waitingClock();
    const budget = createRateBudget({ now: time.now });
    let answers = 0;
    const fake = createFakeFetch(() => (answers++ === 0 ? rateLimited({ retryAfter: "1" }) : json(bertInfo())));
    const extending = async (ms: number, signal?: AbortSignal) => {
      await time.sleep(ms, signal);
      // Another tab's request was refused meanwhile, for longer.
      if (time.waits.length === 1) budget.block(3);
    };
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep: extending, budget });
    expect(await gapOf(transport.getJson(INFO))).toMatchObject({ kind: "rate-limited", retryAfterSeconds: 3 });
    expect(fake.calls).toHaveLength(1);
  });

  it("a second 429 after the wait is reported, not retried again", async () => {
    const time = waitingClock();
    const fake = createFakeFetch(() => rateLimited({ retryAfter: "2" }));
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep: time.sleep });
    const gap = await gapOf(transport.getJson(INFO));
    expect(gap).toMatchObject({ kind: "rate-limited", retryAfterSeconds: 2 });
    expect(fake.calls).toHaveLength(2);
  });

  it("Retry-After: 0 is re-sent once, not in a loop, and the gap says 0 s", async () => {
    const time = waitingClock();
    const fake = createFakeFetch(() => rateLimited({ retryAfter: "0" }));
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep: time.sleep });
    expect(await gapOf(transport.getJson(INFO))).toMatchObject({ kind: "rate-limited", retryAfterSeconds: 0 });
    expect(fake.calls).toHaveLength(2);
    expect(time.waits).toEqual([]);
  });

  it(`after ${MAX_REFUSALS_IN_A_ROW} refusals in a row the gap says the Hub keeps refusing and names no retry time`, async () => {
    const time = waitingClock();
    const fake = createFakeFetch(() => rateLimited({ retryAfter: "1" }));
    const budget = createRateBudget({ now: time.now });
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep: time.sleep, budget });
    const gaps = [];
    // Each check is refused twice (the 429 and its one retry after the wait), as a re-check at each block's end would be.
    for (let check = 0; check < 3; check++) {
      gaps.push(await gapOf(transport.getJson(INFO)));
      time.advance(1000);
    }
    expect(fake.calls).toHaveLength(MAX_REFUSALS_IN_A_ROW);
    expect(gaps.slice(0, 2).map((gap) => gap.retryAfterSeconds)).toEqual([1, 1]);
    const last = gaps[2];
    expect(last).toMatchObject({ kind: "rate-limited", status: 429 });
    expect(last?.retryAfterSeconds).toBeUndefined();
    expect(last?.message).toContain("The Hub keeps refusing; reload to try again.");
    // During a block, still refusing: said at once, nothing sent.
    budget.block(30);
    expect((await gapOf(transport.getJson(INFO))).message).toContain("keeps refusing");
    expect(fake.calls).toHaveLength(MAX_REFUSALS_IN_A_ROW);
  });

  it("an accepted answer starts the count of refusals again", async () => {
    const time = waitingClock();
    let refuse = true;
    const fake = createFakeFetch(() => (refuse ? rateLimited({ retryAfter: "1" }) : json(bertInfo())));
    const budget = createRateBudget({ now: time.now });
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep: time.sleep, budget });
    await gapOf(transport.getJson(INFO));
    time.advance(1000);
    await gapOf(transport.getJson(INFO));
    expect(budget.refusalsInARow()).toBe(4);
    refuse = false;
    time.advance(1000);
    await transport.getJson(INFO);
    expect(budget.refusalsInARow()).toBe(0);
    refuse = true;
    time.advance(1000);
    expect((await gapOf(transport.getJson(INFO))).retryAfterSeconds).toBe(1);
  });

  it("a block longer than 10 s is not waited: the gap says how long", async () => {
    const time = waitingClock();
    const fake = createFakeFetch(() => rateLimited({ retryAfter: "11" }));
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep: time.sleep });
    expect(await gapOf(transport.getJson(INFO))).toMatchObject({ kind: "rate-limited", retryAfterSeconds: 11 });
    expect(fake.calls).toHaveLength(1);
    expect(time.waits).toEqual([]);
  });

  it("requests made during a short block wait for it; after it one goes first and the rest follow its answer", async () => {
    const time = clock();
    const wake = deferred();
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      await wake.promise;
    };
    const answers = [rateLimited({ retryAfter: "3" })];
    const probeAnswer = deferred();
    let calls = 0;
    const fake = createFakeFetch(() => {
      calls++;
      if (calls === 1) return answers[0];
      if (calls === 2) return probeAnswer.promise;
      return json({ ok: true });
    });
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep });
    const first = transport.getJson("https://huggingface.co/api/first");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const others = [1, 2, 3].map((i) => transport.getJson(`https://huggingface.co/api/other/${i}`));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.calls).toHaveLength(1); // nothing goes out during the block
    time.advance(3000);
    wake.resolve(json({}));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.calls).toHaveLength(2); // one request goes first...
    probeAnswer.resolve(json({ ok: true }));
    await Promise.all([first, ...others]);
    expect(fake.calls).toHaveLength(5); // ...and the others follow once the Hub accepted it
    expect(sleeps.length).toBe(4);
  });

  it("when the request that goes first is refused again, the waiting ones fail without reaching the Hub", async () => {
    const time = clock();
    const wake = deferred();
    const sleep = async () => {
      await wake.promise;
    };
    const fake = createFakeFetch(() => rateLimited({ retryAfter: "3" }));
    const transport = createTransport({ fetch: fake.fetch, now: time.now, sleep, maxConcurrent: 1 });
    const all = [transport.getJson("https://huggingface.co/api/first"), transport.getJson("https://huggingface.co/api/second"), transport.getJson("https://huggingface.co/api/third")].map(gapOf);
    await new Promise((resolve) => setTimeout(resolve, 0));
    time.advance(3000);
    wake.resolve(json({}));
    const gaps = await Promise.all(all);
    expect(gaps.map((gap) => gap.kind)).toEqual(["rate-limited", "rate-limited", "rate-limited"]);
    expect(fake.calls).toHaveLength(2); // the first answer and its one retry
  });

  it("a caller that gives up while waiting gets an aborted gap and sends nothing", async () => {
    const time = clock();
    const fake = createFakeFetch(() => json({}));
    const budget = createRateBudget({ now: time.now });
    budget.block(5);
    const transport = createTransport({ fetch: fake.fetch, now: time.now, budget });
    const controller = new AbortController();
    const pending = gapOf(transport.getJson(INFO, controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 0));
    controller.abort();
    expect((await pending).kind).toBe("aborted");
    expect(fake.calls).toHaveLength(0);
  });
});

describe("transport: the Hub's meter", () => {
  it("reads RateLimit on every answer; r=0 means the next call is not sent until the window resets", async () => {
    const time = clock();
    const fake = createFakeFetch(() => json(bertInfo(), 200, { ratelimit: '"api";r=0;t=120', "ratelimit-policy": '"fixed window";"api";q=500;w=300' }));
    const transport = createTransport({ fetch: fake.fetch, now: time.now });
    await transport.getJson(INFO);
    expect(transport.budget.snapshot()).toMatchObject({ remaining: 0, quota: 500, blockedUntil: time.now() + 120_000 });
    expect(await gapOf(transport.getJson(INFO))).toMatchObject({ kind: "rate-limited", retryAfterSeconds: 120 });
    expect(fake.calls).toHaveLength(1);
  });

  it("a low meter pauses optional work until the window resets, and the answer itself still arrives", async () => {
    const time = clock();
    const fake = createFakeFetch(() => json(bertInfo(), 200, { ratelimit: '"api";r=60;t=90', "ratelimit-policy": '"fixed window";"api";q=500;w=300' }));
    const transport = createTransport({ fetch: fake.fetch, now: time.now });
    await expect(transport.getJson(INFO)).resolves.toBeDefined();
    expect(transport.budget.allowsOptional()).toBe(false);
    await expect(transport.getJson(INFO)).resolves.toBeDefined(); // the badge's own calls still go out
    time.advance(90_000);
    expect(transport.budget.allowsOptional()).toBe(true);
  });
});
