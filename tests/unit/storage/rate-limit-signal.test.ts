import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createRateBudget } from "../../../lib/hub/rate-limit";
import { publishRateLimit, RATE_LIMIT_KEY, rateLimitActive, readRateLimit, watchRateLimit } from "../../../lib/storage/rate-limit-signal";

/** The background publishes the Hub's block; every tab's features hear it and re-check when it ends. */
describe("rate-limit signal", () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers({ now: Date.parse("2026-03-02T09:00:00.000Z"), toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => vi.useRealTimers());

  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  it("a block the background publishes reaches every watcher, and each re-checks once when it ends", async () => {
    const lifted: string[] = [];
    const seen: number[] = [];
    const stopBadge = watchRateLimit({ onChange: (signal) => seen.push(signal.blockedUntil), onLifted: () => lifted.push("badge") });
    const stopCards = watchRateLimit({ onLifted: () => lifted.push("cards") });
    await flush();
    const budget = createRateBudget();
    budget.onChange((snapshot) => void publishRateLimit(snapshot));
    budget.block(30);
    await flush();
    expect(seen).toEqual([Date.now() + 30_000]);
    expect(rateLimitActive(await readRateLimit())).toBe("blocked");
    await vi.advanceTimersByTimeAsync(29_000);
    expect(lifted).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(lifted.sort()).toEqual(["badge", "cards"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lifted).toHaveLength(2);
    stopBadge();
    stopCards();
  });

  it("a tab opened during a block reads it from storage and re-checks when it ends", async () => {
    await fakeBrowser.storage.local.set({ [RATE_LIMIT_KEY]: { blockedUntil: Date.now() + 12_000, savingUntil: Date.now() + 12_000 } });
    const lifted = vi.fn();
    const stop = watchRateLimit({ onLifted: lifted });
    await flush();
    await vi.advanceTimersByTimeAsync(13_000);
    expect(lifted).toHaveBeenCalledTimes(1);
    stop();
  });

  it("saving that ends early (a fresh window) re-checks at once; a stopped watcher hears nothing", async () => {
    const lifted = vi.fn();
    const stopped = vi.fn();
    const stop = watchRateLimit({ onLifted: lifted });
    const stopOther = watchRateLimit({ onLifted: stopped });
    await flush();
    stopOther();
    await publishRateLimit({ blockedUntil: 0, savingUntil: Date.now() + 200_000 });
    await flush();
    await publishRateLimit({ blockedUntil: 0, savingUntil: 0 });
    await flush();
    expect(lifted).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(lifted).toHaveBeenCalledTimes(1);
    expect(stopped).not.toHaveBeenCalled();
    stop();
  });

  it("a malformed stored value is read as no block", async () => {
    await fakeBrowser.storage.local.set({ [RATE_LIMIT_KEY]: { blockedUntil: "soon", savingUntil: -5 } });
    expect(await readRateLimit()).toEqual({ blockedUntil: 0, savingUntil: 0 });
    await fakeBrowser.storage.local.set({ [RATE_LIMIT_KEY]: "x" });
    expect(await readRateLimit()).toBeUndefined();
  });
});
