import { describe, expect, it } from "vitest";
import { createCardQueue } from "../../../lib/annotations/card-queue";
import type { CardRequest, CardVerdictView } from "../../../lib/annotations/types";

/** A queue whose timers and clock the test drives, and whose "background" records each batch. */
function setup(options: { fail?: boolean; maxBatch?: number } = {}) {
  const timers: (() => void)[] = [];
  let clock = 1_000;
  const batches: CardRequest[][] = [];
  let fail = options.fail ?? false;
  const queue = createCardQueue({
    send: (cards) => {
      batches.push(cards);
      if (fail) return Promise.reject(new Error("no background"));
      return Promise.resolve(cards.map((card): CardVerdictView => ({ type: card.type, id: card.id, level: card.id.includes("bad") ? "danger" : "ok", findings: [] })));
    },
    setTimer: (run) => timers.push(run),
    now: () => clock,
    ttlMs: 60_000,
    maxBatch: options.maxBatch,
  });
  return {
    queue,
    batches,
    flushTimers: async () => {
      for (const run of timers.splice(0)) run();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    advance: (ms: number) => (clock += ms),
    setFail: (value: boolean) => (fail = value),
  };
}

const card = (id: string, type: CardRequest["type"] = "model"): CardRequest => ({ type, id });

describe("card queue", () => {
  it("sends the cards asked for in the same moment as one batch", async () => {
    const { queue, batches, flushTimers } = setup();
    const answers = Promise.all([queue.request(card("a/one")), queue.request(card("a/two")), queue.request(card("b/bad"))]);
    expect(batches).toHaveLength(0); // waits for the batch to fill
    await flushTimers();
    expect(batches.map((batch) => batch.map((c) => c.id))).toEqual([["a/one", "a/two", "b/bad"]]);
    expect((await answers).map((view) => view.level)).toEqual(["ok", "ok", "danger"]);
  });

  it("asks once for a card requested twice, also while its answer is on the way", async () => {
    const { queue, batches, flushTimers } = setup();
    const first = queue.request(card("a/one"));
    const again = queue.request(card("A/One")); // ids compare without case, as the Hub's do
    await flushTimers();
    expect(await first).toBe(await again);
    expect(batches.flat()).toHaveLength(1);
  });

  it("answers from its cache until the answer expires, then asks again", async () => {
    const { queue, batches, flushTimers, advance } = setup();
    const pending = queue.request(card("a/one"));
    await flushTimers();
    await pending;
    expect(queue.peek(card("a/one"))?.level).toBe("ok");
    await queue.request(card("a/one"));
    expect(batches.flat()).toHaveLength(1);
    advance(60_001);
    expect(queue.peek(card("a/one"))).toBeUndefined();
    const later = queue.request(card("a/one"));
    await flushTimers();
    await later;
    expect(batches.flat()).toHaveLength(2);
  });

  it("forgets its answers when cleared (settings changed), so the next request asks again", async () => {
    const { queue, batches, flushTimers } = setup();
    const first = queue.request(card("a/one"));
    await flushTimers();
    await first;
    expect(queue.peek(card("a/one"))?.level).toBe("ok");
    queue.clear();
    expect(queue.peek(card("a/one"))).toBeUndefined();
    const again = queue.request(card("a/one"));
    await flushTimers();
    await again;
    expect(batches).toHaveLength(2);
  });

  it("keeps types apart: a model and a dataset with the same id are two cards", async () => {
    const { queue, batches, flushTimers } = setup();
    const both = Promise.all([queue.request(card("a/x")), queue.request(card("a/x", "dataset"))]);
    await flushTimers();
    await both;
    expect(batches.flat().map((c) => `${c.type}:${c.id}`)).toEqual(["model:a/x", "dataset:a/x"]);
  });

  it("splits a long list into batches of at most maxBatch", async () => {
    const { queue, batches, flushTimers } = setup({ maxBatch: 10 });
    const all = Promise.all(Array.from({ length: 25 }, (_, i) => queue.request(card(`o/r${i}`))));
    await flushTimers();
    await flushTimers();
    await all;
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(new Set(batches.flat().map((c) => c.id)).size).toBe(25);
  });

  it("does not cache a failure: the card is asked again next time", async () => {
    const { queue, batches, flushTimers, setFail } = setup({ fail: true });
    const failed = queue.request(card("a/one")).catch((error: unknown) => error);
    await flushTimers();
    expect(await failed).toEqual(new Error("no background"));
    setFail(false);
    const retried = queue.request(card("a/one"));
    await flushTimers();
    expect((await retried).level).toBe("ok");
    expect(batches).toHaveLength(2);
  });
});

describe("card queue and the Hub's rate limit", () => {
  it("does not keep an answer the rate limit left unknown: the card is asked again", async () => {
    let round = 0;
    const queue = createCardQueue({
      send: (batch) => {
        round++;
        return Promise.resolve(batch.map((card) => ({ type: card.type, id: card.id, level: round === 1 ? ("unknown" as const) : ("ok" as const), findings: [], ...(round === 1 ? { recheckAt: 5 } : {}) })));
      },
      setTimer: (run) => run(),
    });
    const card = { type: "model" as const, id: "a/b" };
    expect((await queue.request(card)).recheckAt).toBe(5);
    expect(queue.peek(card)).toBeUndefined();
    expect((await queue.request(card)).level).toBe("ok");
    expect(queue.peek(card)?.level).toBe("ok");
    expect(queue.sent).toHaveLength(2);
  });
});
