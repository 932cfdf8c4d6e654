import { browser } from "wxt/browser";
import type { BudgetSnapshot } from "../hub/rate-limit";

/**
 * The background's rate-limit state, shared with every tab through storage.local: when the Hub
 * blocks (or the window is nearly used up) all tabs know, say so, and re-check by themselves when
 * it ends. The timer lives in each content script, not in the background, because an MV3 service
 * worker may be asleep when a minute-long block ends; the content script's re-check wakes it.
 * Only two times are stored: nothing about pages, repos or tokens.
 */
export const RATE_LIMIT_KEY = "hub:rate-limit";

export interface RateLimitSignal {
  /** No API call goes out before this time (ms since epoch); 0: not blocked. */
  blockedUntil: number;
  /** Listing cards and row details wait until this time (the window resets); 0: not saving. */
  savingUntil: number;
}

/** A little after the Hub's own time, so the first call after a block does not land just before it ends. */
const AFTER_LIFT_MS = 500;

function readSignal(value: unknown): RateLimitSignal | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { blockedUntil, savingUntil } = value as Partial<RateLimitSignal>;
  const time = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);
  return { blockedUntil: time(blockedUntil), savingUntil: time(savingUntil) };
}

/** Background: publish the budget's state (only its two times). */
export async function publishRateLimit(snapshot: BudgetSnapshot): Promise<void> {
  const signal: RateLimitSignal = { blockedUntil: snapshot.blockedUntil, savingUntil: snapshot.savingUntil };
  await browser.storage.local.set({ [RATE_LIMIT_KEY]: signal });
}

/** The state last published, e.g. for a restarted service worker to keep honouring the Hub's block. */
export async function readRateLimit(): Promise<RateLimitSignal | undefined> {
  const stored = await browser.storage.local.get(RATE_LIMIT_KEY);
  return readSignal(stored[RATE_LIMIT_KEY]);
}

export interface RateLimitWatch {
  /** The state changed (a block began or was extended, saving began or ended). */
  onChange?(signal: RateLimitSignal): void;
  /** A block or saving period this tab saw has ended: re-check what it left unknown or paused. */
  onLifted(): void;
}

/** Every feature of a content script watches; one storage listener and one read serve them all. */
const watchers = new Set<(signal: RateLimitSignal) => void>();
let lastSignal: RateLimitSignal | undefined;
let sharedStop: (() => void) | undefined;

function startShared() {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== "local" || !(RATE_LIMIT_KEY in changes)) return;
    lastSignal = readSignal(changes[RATE_LIMIT_KEY]?.newValue) ?? { blockedUntil: 0, savingUntil: 0 };
    for (const watcher of watchers) watcher(lastSignal);
  };
  browser.storage.onChanged.addListener(listener);
  // A tab opened during a block: its checks were refused, so it must know when to ask again.
  readRateLimit().then(
    (signal) => {
      if (!signal || lastSignal) return;
      lastSignal = signal;
      for (const watcher of watchers) watcher(signal);
    },
    () => undefined,
  );
  sharedStop = () => browser.storage.onChanged.removeListener(listener);
}

/**
 * Content scripts (and extension pages): follow the published state, and call `onLifted` once
 * after each block or saving period ends. Returns the unsubscribe (pass it to ctx.onInvalidated).
 */
export function watchRateLimit(watch: RateLimitWatch, now: () => number = () => Date.now()): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;

  function follow(signal: RateLimitSignal) {
    watch.onChange?.(signal);
    const end = Math.max(signal.blockedUntil, signal.savingUntil);
    const waiting = timer !== undefined;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    // Ended early (a fresh window with plenty left): re-check now rather than at the old time.
    if (waiting && end <= now()) watch.onLifted();
    if (end > now()) {
      timer = setTimeout(() => {
        timer = undefined;
        if (watchers.has(follow)) watch.onLifted();
      }, end - now() + AFTER_LIFT_MS);
    }
  }

  watchers.add(follow);
  if (!sharedStop) startShared();
  else if (lastSignal) follow(lastSignal);
  return () => {
    watchers.delete(follow);
    if (timer !== undefined) clearTimeout(timer);
    if (watchers.size === 0) {
      sharedStop?.();
      sharedStop = undefined;
      lastSignal = undefined;
    }
  };
}

/** The state last seen by this context's watchers (undefined before the first read). */
export function currentRateLimit(): RateLimitSignal | undefined {
  return lastSignal;
}

/** Whether a stored state is in force now. */
export function rateLimitActive(signal: RateLimitSignal | undefined, now = Date.now()): "blocked" | "saving" | undefined {
  if (!signal) return undefined;
  if (signal.blockedUntil > now) return "blocked";
  if (signal.savingUntil > now) return "saving";
  return undefined;
}
