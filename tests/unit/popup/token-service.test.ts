/**
 * The background's token handlers, through the real router (sender checks) and fakeBrowser's storage areas.
 */
import type { Runtime } from "webextension-polyfill";
import { beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createTokenService } from "../../../lib/background/token-service";
import { createMessageRouter, type Handlers } from "../../../lib/messaging/router";
import type { Envelope, MessageType, RequestOf } from "../../../lib/messaging/protocol";
import {
  createSessionTokenStore,
  createTokenReviewStore,
  MAX_STORED_REVIEWS,
  SESSION_TOKEN_KEY,
  TOKEN_REVIEW_PREFIX,
} from "../../../lib/storage/token-reviews";
import { tokenFingerprint } from "../../../lib/token/fingerprint";
import { createTokenReviewer } from "../../../lib/token/review-service";
import { summarizeForStorage } from "../../../lib/token/audit";
import { fakeFetch, jsonResponse, loadWhoami, NOW, OTHER_TOKEN, TOKEN } from "../token/helpers";

const EXTENSION_ID = "hub-sentinel-test-id";
const ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
const POPUP: Runtime.MessageSender = { id: EXTENSION_ID, url: `${ORIGIN}popup.html` };
const CONTENT_SCRIPT: Runtime.MessageSender = {
  id: EXTENSION_ID,
  url: "https://huggingface.co/google-bert/bert-base-uncased",
  tab: { id: 7, index: 0, highlighted: false, active: true, pinned: false, incognito: false },
};
const WEB_PAGE: Runtime.MessageSender = { url: "https://evil.example/" };

function envelope<K extends MessageType>(type: K, payload: RequestOf<K>): Envelope<K> {
  return { hubSentinel: 1, type, payload };
}

function setup(fetchHandlers: Parameters<typeof fakeFetch>, options: { tokenReviewDisabled?: () => boolean } = {}) {
  const hub = fakeFetch(...fetchHandlers);
  const reviewer = createTokenReviewer({ fetch: hub.fetch, hubUrl: "https://hub.test", now: () => NOW });
  const service = createTokenService({
    reviewer,
    reviews: createTokenReviewStore(fakeBrowser.storage.local),
    session: createSessionTokenStore(fakeBrowser.storage.session),
    policy: () => Promise.resolve({ tokenReviewDisabled: options.tokenReviewDisabled?.() ?? false }),
  });
  // Only the token handlers: other messages are not under test here (the router answers them with an error).
  const tokenHandlers: Pick<Handlers, "token-review" | "token-reviews" | "token-forget" | "token-session"> = {
    "token-review": (p) => service.review(p),
    "token-reviews": () => service.list(),
    "token-forget": (p) => service.forget(p),
    "token-session": (p) => service.session(p),
  };
  const handlers = tokenHandlers as unknown as Handlers;
  const route = createMessageRouter(handlers, { extensionOrigin: ORIGIN, extensionId: EXTENSION_ID });
  return { hub, service, route };
}

async function allStorage(): Promise<string> {
  const [local, sync, session] = await Promise.all([
    fakeBrowser.storage.local.get(null),
    fakeBrowser.storage.sync.get(null),
    fakeBrowser.storage.session.get(null),
  ]);
  return JSON.stringify({ local, sync, session });
}

const classicWrite = () => jsonResponse(loadWhoami("classic-write-hubci.json"));

beforeEach(() => {
  fakeBrowser.reset();
});

describe("token messages: who may send them", () => {
  it.each([
    ["a content script", CONTENT_SCRIPT],
    ["a web page", WEB_PAGE],
  ])("refuses token-review from %s, makes no request and stores nothing", async (_name, sender) => {
    const { hub, route } = setup([classicWrite]);
    const answer = await route(envelope("token-review", { token: TOKEN, keepForSession: true }), sender);
    expect(answer).toEqual({ error: "Refused: 'token-review' is not accepted from this sender." });
    expect(hub.calls).toHaveLength(0);
    expect(await allStorage()).toBe(JSON.stringify({ local: {}, sync: {}, session: {} }));
  });

  it("refuses to hand the kept token to a content script", async () => {
    await fakeBrowser.storage.session.set({ [SESSION_TOKEN_KEY]: TOKEN });
    const { route } = setup([classicWrite]);
    const answer = await route(envelope("token-session", { action: "get" }), CONTENT_SCRIPT);
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
    expect(answer).toHaveProperty("error");
  });

  it.each(["token-reviews", "token-forget"] as const)("refuses %s from a content script", async (type) => {
    const { route } = setup([classicWrite]);
    const answer = await route({ hubSentinel: 1, type, payload: { id: "0123456789abcdef" } }, CONTENT_SCRIPT);
    expect(answer).toHaveProperty("error");
  });
});

describe("token-review from the popup", () => {
  it("reviews, stores a summary under the fingerprint, and never stores the raw token", async () => {
    const { hub, route } = setup([classicWrite]);
    const answer = await route(envelope("token-review", { token: TOKEN, keepForSession: false }), POPUP);
    expect(answer).toMatchObject({ result: { result: { ok: true, cached: false } } });
    expect(hub.calls).toHaveLength(1);
    const fingerprint = await tokenFingerprint(TOKEN);
    const local = await fakeBrowser.storage.local.get(null);
    expect(Object.keys(local)).toEqual([TOKEN_REVIEW_PREFIX + fingerprint]);
    expect(local[TOKEN_REVIEW_PREFIX + fingerprint]).toMatchObject({ version: 1, broad: true, findingIds: ["legacy-role", "write-access", "pre-incident"] });
    const everything = await allStorage();
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.slice(3));
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it("a malformed token: a clear message, no request, nothing stored", async () => {
    const { hub, route } = setup([classicWrite]);
    const answer = await route(envelope("token-review", { token: "hf_short", keepForSession: true }), POPUP);
    expect(answer).toMatchObject({ result: { result: { ok: false, error: { kind: "malformed" } } } });
    expect(hub.calls).toHaveLength(0);
    expect(await allStorage()).toBe(JSON.stringify({ local: {}, sync: {}, session: {} }));
  });

  it("a malformed request gets a clear error, not a crash", async () => {
    const { hub, route } = setup([classicWrite]);
    const answer = await route({ hubSentinel: 1, type: "token-review", payload: { token: 42 } }, POPUP);
    expect(answer).toEqual({ error: "The token review request was malformed." });
    expect(hub.calls).toHaveLength(0);
  });

  it("an invalid token (401) is not stored and not kept, even when asked", async () => {
    const { service } = setup([() => jsonResponse({ error: "Invalid credentials" }, 401)]);
    const answer = await service.review({ token: TOKEN, keepForSession: true });
    expect(answer.result).toMatchObject({ ok: false, error: { kind: "invalid-token" } });
    expect(await allStorage()).toBe(JSON.stringify({ local: {}, sync: {}, session: {} }));
  });

  it("keeps the token in storage.session only when asked, and forgets it when the box is unticked", async () => {
    const { service } = setup([classicWrite]);
    await service.review({ token: TOKEN, keepForSession: true });
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ [SESSION_TOKEN_KEY]: TOKEN });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(TOKEN);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect((await service.session({ action: "get" })).token).toBe(TOKEN);

    // Another check with the box unticked: nothing is kept any more.
    await service.review({ token: OTHER_TOKEN, keepForSession: false });
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});

    await service.review({ token: TOKEN, keepForSession: true });
    await service.session({ action: "clear" });
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it("with token review turned off by the organization: refused before any request, and a kept token is forgotten", async () => {
    let disabled = false;
    const { hub, service } = setup([classicWrite], { tokenReviewDisabled: () => disabled });
    await service.review({ token: TOKEN, keepForSession: true });
    const requestsBefore = hub.calls.length;
    disabled = true;
    await expect(service.review({ token: OTHER_TOKEN, keepForSession: false })).rejects.toThrow(/turned off token review/);
    expect(hub.calls.length).toBe(requestsBefore);
    expect(await service.session({ action: "get" })).toEqual({});
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it("keeps a token the Hub could not be asked about (network), since it may well be good", async () => {
    const { service } = setup([() => Promise.reject(new TypeError("Failed to fetch"))]);
    const answer = await service.review({ token: TOKEN, keepForSession: true });
    expect(answer.result).toMatchObject({ ok: false, error: { kind: "network" } });
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ [SESSION_TOKEN_KEY]: TOKEN });
  });

  it("re-flags a broad token: when the Hub cannot be reached, the earlier review comes back", async () => {
    const { service } = setup([classicWrite, () => Promise.reject(new TypeError("Failed to fetch"))]);
    expect((await service.review({ token: TOKEN, keepForSession: false })).previous).toBeUndefined();
    service.clearCache();
    const again = await service.review({ token: TOKEN, keepForSession: false });
    expect(again.result).toMatchObject({ ok: false, error: { kind: "network" } });
    expect(again.previous).toMatchObject({ broad: true, findingIds: ["legacy-role", "write-access", "pre-incident"] });
    expect(JSON.stringify(again)).not.toContain(TOKEN);
  });

  it("answers a second review from the cache (no request), with the previous review", async () => {
    const { hub, service } = setup([classicWrite]);
    await service.review({ token: TOKEN, keepForSession: false });
    const again = await service.review({ token: TOKEN, keepForSession: false });
    expect(again.result).toMatchObject({ ok: true, cached: true });
    expect(again.previous).toMatchObject({ broad: true });
    expect(hub.calls).toHaveLength(1);
  });

  it("the kept token's previous review comes with it", async () => {
    const { service } = setup([classicWrite]);
    await service.review({ token: TOKEN, keepForSession: true });
    expect(await service.session({ action: "get" })).toMatchObject({ token: TOKEN, previous: { broad: true } });
  });
});

describe("reviewed tokens in storage", () => {
  it("lists summaries newest first, drops malformed entries, and forgets one", async () => {
    const { service } = setup([classicWrite]);
    await service.review({ token: TOKEN, keepForSession: false });
    await fakeBrowser.storage.local.set({
      [`${TOKEN_REVIEW_PREFIX}ffffffffffffffff`]: { version: 99, account: "x" },
      [`${TOKEN_REVIEW_PREFIX}not-a-fingerprint`]: { version: 1 },
      "facts:other": { keep: "me" },
    });
    const { reviews } = await service.list();
    expect(reviews).toHaveLength(1);
    expect(reviews[0]?.review.account).toBe("hub.js");
    const local = await fakeBrowser.storage.local.get(null);
    expect(Object.keys(local).sort()).toEqual(["facts:other", TOKEN_REVIEW_PREFIX + (reviews[0]?.id ?? "")].sort());

    expect((await service.forget({ id: reviews[0]?.id ?? "" })).reviews).toEqual([]);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ "facts:other": { keep: "me" } });
  });

  it(`keeps at most ${MAX_STORED_REVIEWS} reviews, dropping the oldest`, async () => {
    const store = createTokenReviewStore(fakeBrowser.storage.local);
    const base = summarizeForStorage({
      account: "a",
      scopes: { user: [], org: [], repo: [], other: [], global: [] },
      orgs: [],
      findings: [],
      broad: false,
      level: "ok",
      gaps: [],
      reviewedAt: "",
    } as unknown as Parameters<typeof summarizeForStorage>[0]);
    for (let i = 0; i <= MAX_STORED_REVIEWS; i++) {
      const day = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();
      await store.put(i.toString(16).padStart(16, "0"), { ...base, reviewedAt: day });
    }
    const list = await store.list();
    expect(list).toHaveLength(MAX_STORED_REVIEWS);
    expect(list.some((e) => e.id === "0".repeat(16))).toBe(false);
  });

  it("a kept value that is not a token is dropped on read", async () => {
    await fakeBrowser.storage.session.set({ [SESSION_TOKEN_KEY]: "<img src=x>" });
    const session = createSessionTokenStore(fakeBrowser.storage.session);
    expect(await session.get()).toBeUndefined();
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });
});
