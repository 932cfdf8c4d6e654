import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFactCache, type PersistentStore } from "../../../lib/hub/cache";
import { createHubClient } from "../../../lib/hub/client";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * Remember longer (issue 20): repo facts pinned to the commit the page shows, and slow facts
 * (authors: verified marks, account age) kept for a day across a restart, against the fake Hub.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("facts pinned to a commit, and kept for a day", () => {
  let hub: FakeHub;
  let time = Date.parse("2026-03-02T09:00:00.000Z");
  const now = () => time;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });
  beforeEach(() => hub.resetLog());

  /** A storage.local stand-in that keeps what is written (the extension's fact store keeps JSON). */
  function memoryStore(): PersistentStore {
    const entries = new Map<string, string>();
    return {
      get: (key) => Promise.resolve(entries.has(key) ? (JSON.parse(entries.get(key) ?? "null") as { value: unknown; expiresAt: number }) : undefined),
      set: (key, value, expiresAt) => Promise.resolve(void entries.set(key, JSON.stringify({ value, expiresAt }))),
      clear: () => Promise.resolve(entries.clear()),
    };
  }
  const extension = (store?: PersistentStore) => createHubClient({ fetch: fetchViaFakeHub(hub), now, ownScans: false, cache: createFactCache({ now, ...(store ? { store } : {}) }) });
  const model = (id: string) => ({ type: "model" as const, id, revision: "main" });
  const infoCalls = () => hub.apiRequests().filter((entry) => entry.path.includes("/revision/"));

  it("while the page names the same commit, the repo info read at it is reused past its five minutes", async () => {
    const client = extension();
    const first = await client.gatherRepoFacts(model("google-bert/bert-base-uncased"));
    const sha = first.info.ok ? first.info.value.sha : undefined;
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(infoCalls()).toHaveLength(1);

    time += 30 * MINUTE;
    const again = await client.gatherRepoFacts(model("google-bert/bert-base-uncased"), { pageSha: sha });
    expect(infoCalls()).toHaveLength(1);
    expect(again.info).toEqual(first.info);
    // Files are keyed by the sha too: not asked again either.
    expect(hub.apiRequests().filter((entry) => entry.path.includes("/paths-info/"))).toHaveLength(1);

    // Without the page's sha, or with another one, the five-minute info is asked again.
    await client.gatherRepoFacts(model("google-bert/bert-base-uncased"), { pageSha: "0".repeat(40) });
    expect(infoCalls()).toHaveLength(2);
  });

  it("a repo whose scans are not done is not pinned: it is asked again", async () => {
    const client = extension();
    const first = await client.gatherRepoFacts(model("quiet-lab/queued-scan"));
    const sha = first.info.ok ? first.info.value.sha : undefined;
    time += 30 * MINUTE;
    await client.gatherRepoFacts(model("quiet-lab/queued-scan"), { pageSha: sha });
    expect(infoCalls()).toHaveLength(2);
  });

  it("a page sha that is not a commit id is ignored", async () => {
    const client = extension();
    await client.gatherRepoFacts(model("google-bert/bert-base-uncased"), { pageSha: "main" });
    time += 30 * MINUTE;
    await client.gatherRepoFacts(model("google-bert/bert-base-uncased"), { pageSha: "../../x" });
    expect(infoCalls()).toHaveLength(2);
  });

  it("author facts (verified mark, account age) survive a restart for a day, then are asked again", async () => {
    const store = memoryStore();
    await extension(store).author("google-bert", "org");
    const authorCalls = () => hub.apiRequests().filter((entry) => /^\/api\/(organizations|users)\//.test(entry.path));
    expect(authorCalls()).toHaveLength(1);
    // A browser restart: a new client and memory cache over the same storage.
    time += 23 * HOUR;
    const restarted = await extension(store).author("google-bert", "org");
    expect(restarted.ok).toBe(true);
    expect(authorCalls()).toHaveLength(1);
    time += 2 * HOUR;
    await extension(store).author("google-bert", "org");
    expect(authorCalls()).toHaveLength(2);
  });
});
