import { describe, expect, it } from "vitest";
import { createRecheckTimer, RECHECK_AFTER_MS } from "../../../lib/annotations/recheck";

/** A fake clock whose timers run when it is advanced past them. */
function fakeTimers(start = 1_000_000) {
  let time = start;
  let next = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => time,
    setTimer: (run: () => void, ms: number) => {
      const id = ++next;
      timers.set(id, { at: time + ms, run });
      return id;
    },
    clearTimer: (handle: unknown) => void timers.delete(handle as number),
    advance(ms: number) {
      time += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > time) continue;
        timers.delete(id);
        timer.run();
      }
    },
    pending: () => timers.size,
  };
}

describe("the content script's re-check at the end of the Hub's block", () => {
  it("runs once, a little after the time the answer named, not before", () => {
    const clock = fakeTimers();
    let rechecks = 0;
    const timer = createRecheckTimer({ recheck: () => rechecks++, ...clock });
    timer.schedule(clock.now() + 1000);
    clock.advance(1000 + RECHECK_AFTER_MS - 1);
    expect(rechecks).toBe(0);
    clock.advance(1);
    expect(rechecks).toBe(1);
    clock.advance(60_000);
    expect(rechecks).toBe(1);
  });

  it("a time already past (Retry-After: 0) re-checks right after", () => {
    const clock = fakeTimers();
    let rechecks = 0;
    const timer = createRecheckTimer({ recheck: () => rechecks++, ...clock });
    timer.schedule(clock.now() - 5000);
    expect(timer.due).toBe(clock.now() + RECHECK_AFTER_MS);
    clock.advance(RECHECK_AFTER_MS);
    expect(rechecks).toBe(1);
  });

  it("several answers keep one timer, at the earliest time named", () => {
    const clock = fakeTimers();
    let rechecks = 0;
    const timer = createRecheckTimer({ recheck: () => rechecks++, ...clock });
    timer.schedule(clock.now() + 30_000);
    timer.schedule(clock.now() + 2_000);
    timer.schedule(clock.now() + 10_000);
    expect(clock.pending()).toBe(1);
    clock.advance(2_000 + RECHECK_AFTER_MS);
    expect(rechecks).toBe(1);
    clock.advance(60_000);
    expect(rechecks).toBe(1);
  });

  it("the published lift runs a waiting re-check at once, and does nothing when none waits", () => {
    const clock = fakeTimers();
    let rechecks = 0;
    const timer = createRecheckTimer({ recheck: () => rechecks++, ...clock });
    timer.lifted();
    expect(rechecks).toBe(0);
    timer.schedule(clock.now() + 300_000);
    timer.lifted();
    expect(rechecks).toBe(1);
    expect(clock.pending()).toBe(0);
    timer.lifted();
    expect(rechecks).toBe(1);
  });

  it("a final answer cancels it; a stopped timer never runs", () => {
    const clock = fakeTimers();
    let rechecks = 0;
    const timer = createRecheckTimer({ recheck: () => rechecks++, ...clock });
    timer.schedule(clock.now() + 1000);
    timer.cancel();
    clock.advance(10_000);
    expect(rechecks).toBe(0);
    timer.schedule(clock.now() + 1000);
    timer.stop();
    timer.schedule(clock.now() + 1000);
    clock.advance(10_000);
    timer.lifted();
    expect(rechecks).toBe(0);
  });
});
