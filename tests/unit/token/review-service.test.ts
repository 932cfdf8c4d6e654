import { describe, expect, it } from "vitest";
import { auditToken } from "../../../lib/token/audit";
import {
  createTokenReviewer,
  DEFAULT_TIMEOUT_MS,
  retryAfterSeconds,
  type TokenReviewResult,
} from "../../../lib/token/review-service";
import { fakeFetch, jsonResponse, loadWhoami, NOW, OTHER_TOKEN, TOKEN, type RecordedCall } from "./helpers";

function reviewer(fetch: ReturnType<typeof fakeFetch>["fetch"], extra: { now?: () => number; timeoutMs?: number } = {}) {
  return createTokenReviewer({ fetch, hubUrl: "https://hub.test/", now: extra.now ?? (() => NOW), ...extra });
}

function expectNoToken(value: unknown) {
  const text = JSON.stringify(value);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(TOKEN.slice(3));
}

describe("createTokenReviewer", () => {
  it("reviews a classic write token (real sample 17) with one well-formed request", async () => {
    const hub = fakeFetch(() => jsonResponse(loadWhoami("classic-write-hubci.json")));
    const result = await reviewer(hub.fetch).review(`  ${TOKEN} `);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.cached).toBe(false);
    expect(result.review.findings.map((f) => f.id)).toEqual(["legacy-role", "write-access", "pre-incident"]);
    expect(result.review.broad).toBe(true);
    expect(hub.calls).toHaveLength(1);
    const call = hub.calls[0] as RecordedCall;
    expect(call.url).toBe("https://hub.test/api/whoami-v2");
    expect(call.init.method).toBe("GET");
    expect(new Headers(call.init.headers).get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(call.init.credentials).toBe("omit");
    expect(call.init.cache).toBe("no-store");
    expect(call.init.signal).toBeInstanceOf(AbortSignal);
    expectNoToken(result);
  });

  it.each(["", "   ", "hf_short", `gh_${TOKEN.slice(3)}`, `${TOKEN}!`])(
    "malformed token %j: error kind malformed, no request",
    async (input) => {
      const hub = fakeFetch(() => jsonResponse({}));
      const result = await reviewer(hub.fetch).review(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.kind).toBe("malformed");
      expect(hub.calls).toHaveLength(0);
      expectNoToken(result);
    },
  );

  it("401: invalid-token with the invalid-token finding", async () => {
    const hub = fakeFetch(() => jsonResponse({ error: "Invalid credentials in Authorization header" }, 401));
    const result = await reviewer(hub.fetch).review(TOKEN);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("invalid-token");
    expect(result.error.status).toBe(401);
    expect(result.error.finding?.id).toBe("invalid-token");
    expectNoToken(result);
  });

  it("network failure: network error that does not carry the fetch error's text", async () => {
    const hub = fakeFetch(() => {
      throw new TypeError(`Failed to fetch https://hub.test with Bearer ${TOKEN}`);
    });
    const result = await reviewer(hub.fetch).review(TOKEN);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("network");
    expectNoToken(result);
  });

  it("timeout: aborts the request and says so", async () => {
    let aborted = false;
    const hub = fakeFetch(
      ({ init }) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener("abort", () => {
            aborted = true;
            reject(new DOMException("The operation was aborted.", "AbortError"));
          });
        }),
    );
    const result = await reviewer(hub.fetch, { timeoutMs: 30 }).review(TOKEN);
    expect(aborted).toBe(true);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("timeout");
    expect(DEFAULT_TIMEOUT_MS).toBe(10_000);
  });

  it("caller abort: aborted, not timeout", async () => {
    const hub = fakeFetch(
      ({ init }) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
    );
    const controller = new AbortController();
    const pending = reviewer(hub.fetch).review(TOKEN, controller.signal);
    setTimeout(() => controller.abort(), 5);
    const result = await pending;
    expect(!result.ok && result.error.kind).toBe("aborted");
  });

  it("429 with Retry-After: rate-limited with seconds, and no new request until then", async () => {
    let t = NOW;
    const hub = fakeFetch(
      () => jsonResponse({ error: "Too many requests" }, 429, { "Retry-After": "42" }),
      () => jsonResponse(loadWhoami("fine-grained-narrow.json")),
    );
    const r = reviewer(hub.fetch, { now: () => t });
    const first = await r.review(TOKEN);
    expect(first).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "rate-limited", retryAfterSeconds: 42, status: 429 }) as unknown,
    });
    t += 10_000;
    const second = await r.review(OTHER_TOKEN);
    expect(!second.ok && second.error.kind).toBe("rate-limited");
    expect(!second.ok && second.error.retryAfterSeconds).toBe(32);
    expect(hub.calls).toHaveLength(1);
    t += 33_000;
    const third = await r.review(TOKEN);
    expect(third.ok).toBe(true);
    expect(hub.calls).toHaveLength(2);
  });

  it("429 without Retry-After: rate-limited without seconds", async () => {
    const hub = fakeFetch(() => jsonResponse({ error: "Too many requests" }, 429));
    const result = await reviewer(hub.fetch).review(TOKEN);
    expect(!result.ok && result.error.kind).toBe("rate-limited");
    expect(!result.ok && result.error.retryAfterSeconds).toBeUndefined();
  });

  it("cache hit: a second review of the same token makes no request, until the TTL passes", async () => {
    let t = NOW;
    const hub = fakeFetch(() => jsonResponse(loadWhoami("fine-grained-narrow.json")));
    const r = reviewer(hub.fetch, { now: () => t });
    const first = await r.review(TOKEN);
    const second = await r.review(` ${TOKEN}`);
    expect(hub.calls).toHaveLength(1);
    expect(second.ok && second.cached).toBe(true);
    expect(second.ok && first.ok && second.review).toEqual(first.ok ? first.review : undefined);
    await r.review(OTHER_TOKEN);
    expect(hub.calls).toHaveLength(2);
    t += 5 * 60_000 + 1;
    await r.review(TOKEN);
    expect(hub.calls).toHaveLength(3);
    r.clearCache();
    await r.review(TOKEN);
    expect(hub.calls).toHaveLength(4);
  });

  it("a 401 is cached too (whoami-v2 is rate-limited); transient errors are not", async () => {
    const unauthorized = fakeFetch(() => jsonResponse({ error: "Invalid credentials" }, 401));
    const r1 = reviewer(unauthorized.fetch);
    await r1.review(TOKEN);
    await r1.review(TOKEN);
    expect(unauthorized.calls).toHaveLength(1);
    const down = fakeFetch(() => new Response("bad gateway", { status: 502 }));
    const r2 = reviewer(down.fetch);
    const result = await r2.review(TOKEN);
    expect(!result.ok && result.error.kind).toBe("network");
    expect(!result.ok && result.error.status).toBe(502);
    await r2.review(TOKEN);
    expect(down.calls).toHaveLength(2);
  });

  it.each([
    ["not JSON", () => new Response("<html>oops</html>", { status: 200 })],
    ["JSON of the wrong shape", () => jsonResponse({ hello: "world" })],
    ["scopes of the wrong shape", () => jsonResponse({ name: "x", auth: { accessToken: { role: "fineGrained", fineGrained: { scoped: "all" } } } })],
  ])("malformed-response for %s", async (_label, answer) => {
    const hub = fakeFetch(answer);
    const result = await reviewer(hub.fetch).review(TOKEN);
    expect(!result.ok && result.error.kind).toBe("malformed-response");
  });

  it("scrubs a token the Hub echoes back (e.g. as the token's name)", async () => {
    const body = loadWhoami("classic-read-2023.json") as { auth: { accessToken: { displayName: string } } };
    body.auth.accessToken.displayName = `copy of ${TOKEN}`;
    const hub = fakeFetch(() => jsonResponse(body));
    const result = await reviewer(hub.fetch).review(TOKEN);
    expect(result.ok).toBe(true);
    expectNoToken(result);
  });

  it("the token never appears in any result, error or summary", async () => {
    const outcomes: TokenReviewResult[] = [];
    const answers = [
      () => jsonResponse(loadWhoami("fine-grained-broad-org-admin.json")),
      () => jsonResponse({ error: "Invalid credentials" }, 401),
      () => jsonResponse({ error: "Too many" }, 429, { "Retry-After": "1" }),
      () => new Response("nope", { status: 200 }),
      () => {
        throw new Error(TOKEN);
      },
    ];
    for (const answer of answers) {
      const hub = fakeFetch(answer);
      outcomes.push(await reviewer(hub.fetch).review(TOKEN));
    }
    outcomes.push(await reviewer(fakeFetch(() => jsonResponse({})).fetch).review(`${TOKEN}x`));
    expectNoToken(outcomes);
    const ok = outcomes[0];
    expect(ok?.ok).toBe(true);
    if (ok?.ok) {
      const { summarizeForStorage } = await import("../../../lib/token/audit");
      expectNoToken(summarizeForStorage(ok.review));
    }
    // The pure audit never sees the token at all.
    expect(auditToken({ name: "x", orgs: [], auth: {} }, NOW)).not.toHaveProperty("token");
  });
});

describe("retryAfterSeconds", () => {
  it("reads delta-seconds, HTTP dates and the RateLimit header", () => {
    expect(retryAfterSeconds(new Headers({ "Retry-After": "120" }), NOW)).toBe(120);
    expect(retryAfterSeconds(new Headers({ "Retry-After": new Date(NOW + 30_000).toUTCString() }), NOW)).toBe(30);
    expect(retryAfterSeconds(new Headers({ RateLimit: '"api";r=0;t=77' }), NOW)).toBe(77);
    expect(retryAfterSeconds(new Headers({}), NOW)).toBeUndefined();
  });
});
