import { describe, expect, it } from "vitest";
import type { GapKind } from "../../../lib/hub/gaps";
import { createTransport, gapFromResponse, HubRequestError, retryAfterSeconds } from "../../../lib/hub/transport";
import { createFakeFetch, deferred, hang, json, on } from "../../fixtures/hub/fake-fetch";
import { bertInfo, hubError, rateLimited, recordedResponse } from "../../fixtures/hub/recorded";

const INFO = "https://huggingface.co/api/models/google-bert/bert-base-uncased/revision/main?securityStatus=true";

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

    time.advance(seconds * 1000 - 1000);
    const late = await gapOf(transport.getJson(INFO));
    expect(late.retryAfterSeconds).toBe(1);
    expect(fake.calls).toHaveLength(1);

    time.advance(1000);
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
