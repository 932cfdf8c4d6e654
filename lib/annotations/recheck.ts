/**
 * The content script's side of recovering from the Hub's rate limit (lib/hub/recheck.ts): an
 * answer the limit left unknown or paused names the end of the block (`recheckAt`), and the
 * feature that showed it (repo badge, file rows, pull-request rows, listing cards) asks again then,
 * a little after, without a reload. One timer per feature and page: a later answer moves it to the
 * earliest time asked for, and the published "block lifted" signal (rate-limit-signal.ts) runs a
 * waiting re-check at once when a block ends early.
 *
 * The timer lives here rather than in the background because an MV3 service worker may be asleep
 * when a minute-long block ends; the re-check's message wakes it. Bounded by the background: once
 * the Hub has refused MAX_REFUSALS_IN_A_ROW requests in a row, answers carry no `recheckAt`.
 * Pure: the clock and timers are injected.
 */
export interface RecheckTimerOptions {
  recheck: () => void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** How long after the block's end the re-check goes out, so that it does not land just before. */
  afterMs?: number;
}

export interface RecheckTimer {
  /** Ask again at `at` (an answer's `recheckAt`, ms since epoch); the earliest time asked for wins. */
  schedule(at: number): void;
  /** The answer needs no re-check any more (a final verdict arrived). */
  cancel(): void;
  /** A block or saving period has ended (the published signal): a waiting re-check runs now. */
  lifted(): void;
  /** When the waiting re-check runs, or undefined. */
  readonly due: number | undefined;
  stop(): void;
}

/** A little after the Hub's own time, as the published signal's watchers wait (rate-limit-signal.ts). */
export const RECHECK_AFTER_MS = 500;

export function createRecheckTimer(options: RecheckTimerOptions): RecheckTimer {
  const now = options.now ?? (() => Date.now());
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const afterMs = options.afterMs ?? RECHECK_AFTER_MS;
  let handle: unknown;
  let due: number | undefined;
  let stopped = false;

  function cancel() {
    if (handle !== undefined) clearTimer(handle);
    handle = undefined;
    due = undefined;
  }

  function fire() {
    cancel();
    if (!stopped) options.recheck();
  }

  return {
    schedule(at) {
      if (stopped || !Number.isFinite(at)) return;
      const when = Math.max(at, now()) + afterMs;
      if (due !== undefined && due <= when) return;
      cancel();
      due = when;
      handle = setTimer(fire, when - now());
    },
    cancel,
    lifted() {
      if (due !== undefined) fire();
    },
    get due() {
      return due;
    },
    stop() {
      stopped = true;
      cancel();
    },
  };
}
