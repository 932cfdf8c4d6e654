import { beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createFactStore } from "../../../lib/storage/fact-store";

const HOUR = 60 * 60_000;
const CENTURY = 100 * 365 * 24 * HOUR;

async function storedFactNames(): Promise<string[]> {
  return Object.keys(await fakeBrowser.storage.local.get(null))
    .filter((name) => name.startsWith("facts:"))
    .sort();
}

/** storage.local holds repo facts across restarts; it must not grow without bound. */
describe("the fact store in storage.local", () => {
  beforeEach(() => fakeBrowser.reset());

  it("keeps a fact until it expires, and sweeps expired ones on a later write", async () => {
    let time = Date.parse("2026-12-07T10:00:00.000Z");
    const store = createFactStore(() => time);
    await store.set("info:model:a/b", { id: "a/b" }, time + HOUR);
    expect(await store.get("info:model:a/b")).toEqual({ value: { id: "a/b" }, expiresAt: time + HOUR });

    time += 2 * HOUR;
    await store.set("info:model:c/d", { id: "c/d" }, time + HOUR);
    expect(await storedFactNames()).toEqual(["facts:info:model:c/d"]);
  });

  it("past the cap, the facts closest to expiring go first; the ones kept for good (sha-keyed) stay", async () => {
    let time = Date.parse("2026-12-07T10:00:00.000Z");
    const store = createFactStore(() => time, 3);
    await store.set("chat-template:v3:lfs:aaaa", { templates: 1 }, time + CENTURY);
    time += 2 * HOUR; // the next write sweeps again
    // Written straight to storage, as a long session's writes between two sweeps would leave them.
    await fakeBrowser.storage.local.set({
      "facts:info:model:soon/expiring": { value: {}, expiresAt: time + 60_000 },
      "facts:info:model:later/expiring": { value: {}, expiresAt: time + 10 * 60_000 },
      "facts:chat-template:v3:lfs:bbbb": { value: {}, expiresAt: time + CENTURY },
      "settings:v2": { kept: true },
    });
    await store.set("info:model:fresh/one", {}, time + 20 * 60_000);

    expect(await storedFactNames()).toEqual(["facts:chat-template:v3:lfs:aaaa", "facts:chat-template:v3:lfs:bbbb", "facts:info:model:fresh/one"]);
    // Only facts are ever swept: other keys in storage.local are not the store's.
    expect(await fakeBrowser.storage.local.get("settings:v2")).toEqual({ "settings:v2": { kept: true } });
  });

  it("a fact too large to store is kept in memory only (nothing written)", async () => {
    const store = createFactStore(() => 0);
    await store.set("files:model:big/repo", "x".repeat(70 * 1024), 1_000);
    expect(await storedFactNames()).toEqual([]);
  });
});
