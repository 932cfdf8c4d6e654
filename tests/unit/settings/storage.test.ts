import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createFactCache } from "../../../lib/hub/cache";
import { withMaxLifetime } from "../../../lib/settings/cache-lifetime";
import { DEFAULT_SETTINGS, SETTINGS_VERSION } from "../../../lib/settings/schema";
import {
  clearCachedFacts,
  loadEffectivePolicy,
  loadManagedPolicy,
  loadUserSettings,
  MANAGED_SNAPSHOT_KEY,
  onPolicyChange,
  resetManagedPolicyMemory,
  warmManagedPolicy,
  saveUserSettings,
  SETTINGS_KEY,
  updateUserSettings,
} from "../../../lib/settings/storage";
import { CACHE_CLEARED_KEY, CACHE_GENERATION_KEY, confirmCacheCleared } from "../../../lib/storage/fact-store";

beforeEach(() => {
  fakeBrowser.reset();
  resetManagedPolicyMemory();
});

describe("settings storage", () => {
  it("a fresh install reads the defaults", async () => {
    expect(await loadUserSettings()).toEqual({ settings: DEFAULT_SETTINGS, notes: [] });
  });

  it("saves a versioned document and reads it back", async () => {
    const settings = { ...DEFAULT_SETTINGS, allowlist: [{ value: "google", note: "vendor" }], strictness: "strict" as const };
    await saveUserSettings(settings);
    expect((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).toEqual({ ...settings, version: SETTINGS_VERSION });
    expect((await loadUserSettings()).settings).toEqual(settings);
  });

  it("refuses to write an invalid document, and the stored one stays", async () => {
    await saveUserSettings({ ...DEFAULT_SETTINGS, allowlist: [{ value: "google" }] });
    await expect(saveUserSettings({ ...DEFAULT_SETTINGS, allowlist: [{ value: "a b" }] })).rejects.toThrow(/Not saved: allowlist\[0\]\.value/);
    expect((await loadUserSettings()).settings.allowlist).toEqual([{ value: "google" }]);
  });

  it("an unversioned stored value is migrated on read", async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { allowlist: ["google", "meta-llama/*"] } });
    expect((await loadUserSettings()).settings.allowlist).toEqual([{ value: "google" }, { value: "meta-llama/*" }]);
  });

  it("a malformed stored value never crashes: what is bad is dropped with a note, and storage is not rewritten by reading", async () => {
    const raw = { version: 1, allowlist: [{ value: "google" }, { value: 42 }], cacheMaxMinutes: "soon" };
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: raw });
    const { settings, notes } = await loadUserSettings();
    expect(settings.allowlist).toEqual([{ value: "google" }]);
    expect(settings.cacheMaxMinutes).toBe(DEFAULT_SETTINGS.cacheMaxMinutes);
    expect(notes).toHaveLength(2);
    expect((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).toEqual(raw);
    // The effective policy carries the notes to the options page.
    expect((await loadEffectivePolicy()).notes).toEqual(notes);
  });

  it("settings from a newer version are not read and not overwritten by reading", async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { version: 9, allowlist: [] } });
    const { settings, notes } = await loadUserSettings();
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(notes[0]).toMatch(/newer Hub Sentinel/);
    expect((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).toEqual({ version: 9, allowlist: [] });
  });

  it("updates run one at a time, so quick successive changes all land", async () => {
    await Promise.all(["a", "b", "c"].map((value) => updateUserSettings((current) => ({ ...current, allowlist: [...current.allowlist, { value }] }))));
    expect((await loadUserSettings()).settings.allowlist.map((entry) => entry.value)).toEqual(["a", "b", "c"]);
  });

  it("a refused change writes nothing and does not block the next one", async () => {
    await expect(updateUserSettings(() => { throw new Error("refused"); })).rejects.toThrow("refused");
    await updateUserSettings((current) => ({ ...current, strictness: "strict" }));
    expect((await loadUserSettings()).settings.strictness).toBe("strict");
  });

  it("clear cached facts bumps the key the background watches, and resolves once the background confirms", async () => {
    // The background's side (entrypoints/background.ts): clear, then confirm the generation it acted on.
    const background = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === "local" && CACHE_GENERATION_KEY in changes) void confirmCacheCleared(changes[CACHE_GENERATION_KEY]?.newValue);
    };
    fakeBrowser.storage.onChanged.addListener(background);
    try {
      await clearCachedFacts(1234);
      expect((await fakeBrowser.storage.local.get(CACHE_GENERATION_KEY))[CACHE_GENERATION_KEY]).toBe(1234);
      expect((await fakeBrowser.storage.local.get(CACHE_CLEARED_KEY))[CACHE_CLEARED_KEY]).toBe(1234);
    } finally {
      fakeBrowser.storage.onChanged.removeListener(background);
    }
  });

  it("clear cached facts is not reported done when the background never confirms", async () => {
    vi.useFakeTimers();
    try {
      const clearing = clearCachedFacts(1234, 10_000);
      const outcome = expect(clearing).rejects.toThrow(/did not confirm within 10 s that it cleared its caches/);
      await vi.advanceTimersByTimeAsync(10_000);
      await outcome;
      // The request itself was made: a background that wakes later still clears.
      expect((await fakeBrowser.storage.local.get(CACHE_GENERATION_KEY))[CACHE_GENERATION_KEY]).toBe(1234);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a confirmation of an older clear does not count for a newer one", async () => {
    vi.useFakeTimers();
    try {
      const clearing = clearCachedFacts(2000, 10_000);
      const outcome = expect(clearing).rejects.toThrow(/did not confirm/);
      await confirmCacheCleared(1999);
      await vi.advanceTimersByTimeAsync(10_000);
      await outcome;
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("managed policy storage", () => {
  it("reads and validates storage.managed, merged into the effective policy", async () => {
    await fakeBrowser.storage.managed.set({ trustedOrganizations: ["acme-ai"], minimumStrictness: "strict", disableTokenReview: true, blockedAuthors: ["x y"] });
    const managed = await loadManagedPolicy();
    expect(managed.policy.trustedOrganizations).toEqual(["acme-ai"]);
    expect(managed.notes).toHaveLength(1);
    const effective = await loadEffectivePolicy();
    expect(effective.settings.strictness).toBe("strict");
    expect(effective.tokenReviewDisabled).toBe(true);
    expect(effective.allowlist[0]).toMatchObject({ value: "acme-ai", source: "managed" });
  });

  it("Firefox without policies.json rejects storage.managed.get: no policy, no note", async () => {
    vi.spyOn(fakeBrowser.storage.managed, "get").mockRejectedValueOnce(new Error("Managed storage manifest not found"));
    expect(await loadManagedPolicy()).toEqual({ policy: expect.objectContaining({ blockedAuthors: [] }) as unknown, notes: [] });
  });

  it("any other failure is a note, and the policy is empty", async () => {
    vi.spyOn(fakeBrowser.storage.managed, "get").mockRejectedValueOnce(new Error("policy service crashed"));
    expect((await loadManagedPolicy()).notes).toEqual(["The organization's policy could not be read (policy service crashed)."]);
  });
});

/** storage.managed.get as Chromium's first call in a fresh browser behaves: it answers when the test says. */
function slowManagedGet() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const real = fakeBrowser.storage.managed.get.bind(fakeBrowser.storage.managed);
  const spy = vi.spyOn(fakeBrowser.storage.managed, "get").mockImplementation(async (keys?: unknown) => {
    await gate;
    return real(keys as null);
  });
  return { release, spy };
}

describe("the last known managed policy (a new service worker judges with it at once)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const strictPolicy = { blockedAuthors: ["fresh-uploader-7"], minimumStrictness: "strict" };

  it("the first read ever waits for storage.managed, and keeps what it said", async () => {
    await fakeBrowser.storage.managed.set(strictPolicy);
    const managed = await loadManagedPolicy();
    expect(managed.policy.blockedAuthors).toEqual(["fresh-uploader-7"]);
    expect(managed.fromSnapshot).toBeUndefined();
    const stored = (await fakeBrowser.storage.local.get(MANAGED_SNAPSHOT_KEY))[MANAGED_SNAPSHOT_KEY] as { policy: { blockedAuthors: string[] } };
    expect(stored.policy.blockedAuthors).toEqual(["fresh-uploader-7"]);
  });

  it("a new context answers from the snapshot before the slow first read, and the fresh read then wins", async () => {
    await fakeBrowser.storage.managed.set(strictPolicy);
    await loadManagedPolicy();
    resetManagedPolicyMemory();
    // The administrator changed the policy while the browser was closed.
    await fakeBrowser.storage.managed.set({ blockedAuthors: ["someone-else"], minimumStrictness: "strict" });
    const slow = slowManagedGet();
    const changes: number[] = [];
    const stop = onPolicyChange(() => changes.push(1));

    const early = await loadManagedPolicy();
    expect(early).toMatchObject({ fromSnapshot: true, policy: { blockedAuthors: ["fresh-uploader-7"] } });
    expect((await loadEffectivePolicy()).settings.strictness).toBe("strict");
    expect(changes).toEqual([]);

    slow.release();
    await vi.waitFor(() => expect(changes.length).toBeGreaterThan(0));
    const fresh = await loadManagedPolicy();
    expect(fresh.fromSnapshot).toBeUndefined();
    expect(fresh.policy.blockedAuthors).toEqual(["someone-else"]);
    stop();
  });

  it("the first snapshot ever written of an empty policy is not a policy change (the first verdicts were judged with none)", async () => {
    const changes: number[] = [];
    const stop = onPolicyChange(() => changes.push(1));
    await loadManagedPolicy();
    expect((await fakeBrowser.storage.local.get(MANAGED_SNAPSHOT_KEY))[MANAGED_SNAPSHOT_KEY]).toBeDefined();
    expect(changes).toEqual([]);
    stop();
  });

  it("the first snapshot ever written of a real policy is a change: tabs judged with none judge again", async () => {
    const changes: number[] = [];
    const stop = onPolicyChange(() => changes.push(1));
    await fakeBrowser.storage.managed.set(strictPolicy);
    changes.length = 0; // the managed area's own change event
    await loadManagedPolicy();
    expect(changes).toEqual([1]);
    stop();
  });

  it("the first start after install: verdicts are judged at once with no policy, then the organization's policy arrives as a change", async () => {
    await fakeBrowser.storage.managed.set(strictPolicy);
    const slow = slowManagedGet();
    const changes: number[] = [];
    const stop = onPolicyChange(() => changes.push(1));
    changes.length = 0;
    warmManagedPolicy();
    const provisional = await loadManagedPolicy({ provisional: true });
    expect(provisional).toMatchObject({ provisional: true, policy: { blockedAuthors: [], minimumStrictness: "balanced" } });
    expect((await loadEffectivePolicy({ provisional: true })).settings.strictness).toBe("balanced");
    // The token review and the options page wait for the organization's answer.
    let waited = false;
    const careful = loadEffectivePolicy().then((policy) => {
      waited = true;
      return policy;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(waited).toBe(false);
    slow.release();
    expect((await careful).settings.strictness).toBe("strict");
    await vi.waitFor(() => expect(changes).toEqual([1]));
    // From now on verdicts use the policy too.
    const after = await loadManagedPolicy({ provisional: true });
    expect(after.provisional).toBeUndefined();
    expect(after.policy.blockedAuthors).toEqual(["fresh-uploader-7"]);
    stop();
  });

  it("a snapshot that is kept but unreadable is not 'nothing kept': verdicts wait for the organization's answer", async () => {
    await fakeBrowser.storage.local.set({ [MANAGED_SNAPSHOT_KEY]: { version: 2, policy: {}, notes: [] } });
    await fakeBrowser.storage.managed.set(strictPolicy);
    const slow = slowManagedGet();
    let answered = false;
    const pending = loadManagedPolicy({ provisional: true }).then((managed) => {
      answered = true;
      return managed;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answered).toBe(false);
    slow.release();
    expect((await pending).policy.blockedAuthors).toEqual(["fresh-uploader-7"]);
  });

  it("a fresh read that says the same writes nothing, so nothing is judged again", async () => {
    await fakeBrowser.storage.managed.set(strictPolicy);
    await loadManagedPolicy();
    resetManagedPolicyMemory();
    const changes: number[] = [];
    const stop = onPolicyChange(() => changes.push(1));
    await loadManagedPolicy();
    await loadManagedPolicy();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(changes).toEqual([]);
    stop();
  });

  it("a failed read never replaces the snapshot: the last known policy stays, with a note", async () => {
    await fakeBrowser.storage.managed.set(strictPolicy);
    await loadManagedPolicy();
    vi.spyOn(fakeBrowser.storage.managed, "get").mockRejectedValue(new Error("policy service crashed"));
    const managed = await loadManagedPolicy();
    expect(managed.policy.blockedAuthors).toEqual(["fresh-uploader-7"]);
    expect(managed.notes).toEqual(["The organization's policy could not be read (policy service crashed)."]);
    const stored = (await fakeBrowser.storage.local.get(MANAGED_SNAPSHOT_KEY))[MANAGED_SNAPSHOT_KEY] as { policy: { blockedAuthors: string[] } };
    expect(stored.policy.blockedAuthors).toEqual(["fresh-uploader-7"]);
  });

  it.each([
    ["a wrong version", { version: 2, policy: {}, notes: [] }],
    ["a policy that does not validate", { version: 1, policy: { blockedAuthors: "everyone" }, notes: [] }],
    ["no policy", { version: 1, notes: [] }],
    ["notes that are not strings", { version: 1, policy: {}, notes: [1] }],
    ["not an object", "loose"],
  ])("a snapshot with %s counts as none: the verdict waits for the organization's answer", async (_name, snapshot) => {
    await fakeBrowser.storage.local.set({ [MANAGED_SNAPSHOT_KEY]: snapshot });
    await fakeBrowser.storage.managed.set(strictPolicy);
    const slow = slowManagedGet();
    let answered = false;
    const pending = loadManagedPolicy().then((managed) => {
      answered = true;
      return managed;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answered).toBe(false);
    slow.release();
    expect((await pending).policy.blockedAuthors).toEqual(["fresh-uploader-7"]);
  });

  it("a policy the organization removed is removed from the snapshot too (the fresh read wins either way)", async () => {
    await fakeBrowser.storage.managed.set(strictPolicy);
    await loadManagedPolicy();
    await fakeBrowser.storage.managed.clear();
    expect((await loadManagedPolicy()).policy.blockedAuthors).toEqual([]);
    resetManagedPolicyMemory();
    const slow = slowManagedGet();
    expect((await loadManagedPolicy()).policy.blockedAuthors).toEqual([]);
    slow.release();
  });
});

describe("onPolicyChange", () => {
  it("fires for the settings key and for managed changes, not for the fact cache", async () => {
    const calls: number[] = [];
    const stop = onPolicyChange(() => calls.push(1));
    await fakeBrowser.storage.local.set({ "facts:x": 1 });
    expect(calls).toHaveLength(0);
    await saveUserSettings(DEFAULT_SETTINGS);
    expect(calls).toHaveLength(1);
    await fakeBrowser.storage.managed.set({ minimumStrictness: "strict" });
    expect(calls).toHaveLength(2);
    stop();
    await saveUserSettings({ ...DEFAULT_SETTINGS, strictness: "strict" });
    expect(calls).toHaveLength(2);
  });
});

describe("withMaxLifetime", () => {
  it("no fact outlives the cap; shorter lifetimes are kept", async () => {
    let now = 0;
    let cap = 60_000;
    const cache = withMaxLifetime(createFactCache({ now: () => now }), () => cap);
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    await cache.getOrLoad("long", load, () => 3_600_000);
    await cache.getOrLoad("short", load, () => 10_000);
    now = 30_000;
    expect(await cache.peek("long")).toBe(1);
    expect(await cache.peek("short")).toBeUndefined();
    now = 61_000;
    expect(await cache.peek("long")).toBeUndefined();
    cap = 0;
    await cache.getOrLoad("none", load, () => 3_600_000);
    expect(await cache.peek("none")).toBeUndefined();
  });
});
