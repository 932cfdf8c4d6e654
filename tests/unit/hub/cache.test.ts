import { describe, expect, it } from "vitest";
import { createFactCache, type PersistentStore } from "../../../lib/hub/cache";

function clock(start = 1_700_000_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

/** A store that keeps JSON, as storage.local does: what comes back is a copy, never the same object. */
function jsonStore() {
  const data = new Map<string, string>();
  const store: PersistentStore & { data: Map<string, string> } = {
    data,
    get: async (key) => {
      const text = data.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as { value: unknown; expiresAt: number });
    },
    set: async (key, value, expiresAt) => {
      data.set(key, JSON.stringify({ value, expiresAt }));
    },
    clear: async () => data.clear(),
  };
  return store;
}

/** A load the test finishes by hand, recording the signal it was given. */
function manualLoad<T>() {
  const runs: { signal: AbortSignal; resolve: (value: T) => void }[] = [];
  const load = (signal: AbortSignal) =>
    new Promise<T>((resolve) => {
      runs.push({ signal, resolve });
    });
  return { load, runs };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("fact cache: TTL", () => {
  it("serves a value until its TTL runs out, then loads again", async () => {
    const time = clock();
    const cache = createFactCache({ now: time.now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOrLoad("info:a", load, () => 1000)).toBe(1);
    time.advance(999);
    expect(await cache.getOrLoad("info:a", load, () => 1000)).toBe(1);
    expect(await cache.peek("info:a")).toBe(1);
    time.advance(1);
    expect(await cache.peek("info:a")).toBeUndefined();
    expect(await cache.getOrLoad("info:a", load, () => 1000)).toBe(2);
    expect(loads).toBe(2);
  });

  it("the TTL may depend on the value; 0 keeps nothing", async () => {
    const cache = createFactCache();
    let loads = 0;
    const load = async () => ({ ok: false as const, n: ++loads });
    await cache.getOrLoad("prs:a", load, () => 0);
    await cache.getOrLoad("prs:a", load, () => 0);
    expect(loads).toBe(2);
  });

  it("a failing load is not cached and reaches the caller", async () => {
    const cache = createFactCache();
    await expect(cache.getOrLoad("x", () => Promise.reject(new Error("boom")), () => 1000)).rejects.toThrow("boom");
    await expect(cache.getOrLoad("x", async () => "fine", () => 1000)).resolves.toBe("fine");
  });
});

describe("fact cache: persistent store", () => {
  it("round-trips through a JSON store: a new cache (a restarted service worker) does not reload", async () => {
    const time = clock();
    const store = jsonStore();
    const value = { ok: true, value: { id: "google-bert/bert-base-uncased", tags: ["bert"], lastCommit: { date: "2024-02-19T11:06:12.000Z" } } };
    const first = createFactCache({ now: time.now, store });
    await first.getOrLoad("info:bert", async () => value, () => 60_000);
    expect(store.data.size).toBe(1);

    time.advance(30_000);
    const restarted = createFactCache({ now: time.now, store });
    let loads = 0;
    const got = await restarted.getOrLoad("info:bert", async () => (loads++, { ok: false }), () => 60_000);
    expect(loads).toBe(0);
    expect(got).toEqual(value);
    expect(await restarted.peek("info:bert")).toEqual(value);
  });

  it("an expired stored entry is not served", async () => {
    const time = clock();
    const store = jsonStore();
    await createFactCache({ now: time.now, store }).getOrLoad("k", async () => "old", () => 1000);
    time.advance(1000);
    const restarted = createFactCache({ now: time.now, store });
    expect(await restarted.peek("k")).toBeUndefined();
    expect(await restarted.getOrLoad("k", async () => "new", () => 1000)).toBe("new");
  });

  it("a store that fails to read or write never fails a lookup", async () => {
    const broken: PersistentStore = {
      get: () => Promise.reject(new Error("QUOTA_BYTES quota exceeded")),
      set: () => Promise.reject(new Error("QUOTA_BYTES quota exceeded")),
      clear: async () => undefined,
    };
    const cache = createFactCache({ store: broken });
    expect(await cache.getOrLoad("k", async () => "v", () => 1000)).toBe("v");
    expect(await cache.getOrLoad("k", async () => "other", () => 1000)).toBe("v");
  });

  it("clear() empties memory and the store", async () => {
    const store = jsonStore();
    const cache = createFactCache({ store });
    await cache.getOrLoad("k", async () => "v", () => 60_000);
    await cache.clear();
    expect(store.data.size).toBe(0);
    expect(await cache.peek("k")).toBeUndefined();
  });
});

describe("fact cache: LRU bound", () => {
  it("keeps at most maxEntries in memory, dropping the least recently used", async () => {
    const cache = createFactCache({ maxEntries: 2 });
    const put = (key: string) => cache.getOrLoad(key, async () => key, () => 60_000);
    await put("a");
    await put("b");
    // Reading `a` makes `b` the least recently used.
    expect(await cache.peek("a")).toBe("a");
    await put("c");
    expect(await cache.peek("a")).toBe("a");
    expect(await cache.peek("b")).toBeUndefined();
    expect(await cache.peek("c")).toBe("c");
  });

  it("a hit through getOrLoad also counts as a use", async () => {
    const cache = createFactCache({ maxEntries: 2 });
    const put = (key: string) => cache.getOrLoad(key, async () => key, () => 60_000);
    await put("a");
    await put("b");
    await put("a");
    await put("c");
    expect(await cache.peek("a")).toBe("a");
    expect(await cache.peek("b")).toBeUndefined();
  });

  it("a thousand repos never hold more than the bound", async () => {
    const cache = createFactCache({ maxEntries: 50 });
    for (let i = 0; i < 1000; i++) await cache.getOrLoad(`info:${i}`, async () => i, () => 60_000);
    let held = 0;
    for (let i = 0; i < 1000; i++) if ((await cache.peek(`info:${i}`)) !== undefined) held++;
    expect(held).toBe(50);
  });
});

describe("fact cache: in-flight dedupe and cancellation", () => {
  it("two concurrent callers share one load", async () => {
    const cache = createFactCache();
    const { load, runs } = manualLoad<string>();
    const a = cache.getOrLoad("info:x", load, () => 1000);
    const b = cache.getOrLoad("info:x", load, () => 1000);
    await tick();
    expect(runs).toHaveLength(1);
    runs[0]?.resolve("value");
    expect(await Promise.all([a, b])).toEqual(["value", "value"]);
  });

  it("one caller aborting does not cancel the other's shared load", async () => {
    const cache = createFactCache();
    const { load, runs } = manualLoad<string>();
    const first = new AbortController();
    const second = new AbortController();
    const a = cache.getOrLoad("info:x", load, () => 1000, first.signal);
    const b = cache.getOrLoad("info:x", load, () => 1000, second.signal);
    await tick();
    first.abort();
    expect(runs[0]?.signal.aborted).toBe(false);
    runs[0]?.resolve("value");
    expect(await b).toBe("value");
    await a;
    expect(runs).toHaveLength(1);
  });

  it("every caller aborting cancels the load", async () => {
    const cache = createFactCache();
    const { load, runs } = manualLoad<string>();
    const first = new AbortController();
    const second = new AbortController();
    const a = cache.getOrLoad("info:x", load, () => 1000, first.signal);
    const b = cache.getOrLoad("info:x", load, () => 1000, second.signal);
    await tick();
    first.abort();
    second.abort();
    expect(runs[0]?.signal.aborted).toBe(true);
    runs[0]?.resolve("cancelled");
    await Promise.all([a, b]);
  });

  it("a caller with no signal keeps the load alive", async () => {
    const cache = createFactCache();
    const { load, runs } = manualLoad<string>();
    const controller = new AbortController();
    const a = cache.getOrLoad("k", load, () => 1000, controller.signal);
    const b = cache.getOrLoad("k", load, () => 1000);
    await tick();
    controller.abort();
    expect(runs[0]?.signal.aborted).toBe(false);
    runs[0]?.resolve("v");
    expect(await Promise.all([a, b])).toEqual(["v", "v"]);
  });

  it("a caller arriving after everyone else gave up gets a fresh load, not the cancelled one", async () => {
    const cache = createFactCache();
    const { load, runs } = manualLoad<string>();
    const leaving = new AbortController();
    const a = cache.getOrLoad("info:x", load, () => 0, leaving.signal);
    await tick();
    leaving.abort();
    expect(runs[0]?.signal.aborted).toBe(true);
    const b = cache.getOrLoad("info:x", load, () => 1000);
    await tick();
    expect(runs).toHaveLength(2);
    expect(runs[1]?.signal.aborted).toBe(false);
    runs[0]?.resolve("aborted");
    runs[1]?.resolve("fresh");
    expect(await b).toBe("fresh");
    await a;
    // The cancelled load finishing late must not overwrite the fresh value.
    expect(await cache.peek("info:x")).toBe("fresh");
  });

  it("a signal already aborted on arrival does not start a load for nobody", async () => {
    const cache = createFactCache();
    const { load, runs } = manualLoad<string>();
    const controller = new AbortController();
    controller.abort();
    const a = cache.getOrLoad("k", load, () => 0, controller.signal);
    await tick();
    expect(runs[0]?.signal.aborted ?? true).toBe(true);
    runs[0]?.resolve("x");
    await a;
  });
});
