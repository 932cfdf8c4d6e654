/**
 * The Hub's own meter, and what the extension does with it. The Hub limits anonymous API calls per
 * IP (500 per 5-minute fixed window), so a whole office shares one budget with its scripts. Every
 * API answer carries the meter (hub-docs `rate-limits.md`, IETF draft-ietf-httpapi-ratelimit-headers v9):
 *
 *   RateLimit:        "api";r=<remaining>;t=<seconds until the window resets>
 *   RateLimit-Policy: "fixed window";"api";q=<calls per window>;w=<window seconds>
 *
 * The budget below turns those readings, and 429 answers, into two states every caller shares:
 * - blocked: the Hub refuses calls (a 429, or a meter at r=0) until a time; nothing is sent before it;
 * - saving: under `LOW_SHARE` of the window is left; optional work (listing cards, row details,
 *   prefetch) waits for the window to reset, and only the badge of the page in front of the user is judged.
 */

/** One bucket's reading from `RateLimit`. */
export interface RateLimitReading {
  bucket?: string;
  remaining: number;
  resetSeconds: number;
}

/** One bucket's policy from `RateLimit-Policy`. */
export interface RateLimitPolicy {
  bucket?: string;
  quota: number;
  windowSeconds?: number;
}

/** Below this share of the window's quota left, optional work stops until the window resets. */
export const LOW_SHARE = 0.2;
/** The anonymous API quota per window, when an answer carries no policy (hub-docs, "Rate limit Tiers"). */
export const DEFAULT_QUOTA = 500;
/** A block up to this long is waited out (the badge stays pending); a longer one is reported. */
export const SHORT_WAIT_SECONDS = 10;
/**
 * After this many refusals (429 answers) in a row, with no accepted answer between them, the
 * extension stops asking by itself: every verdict, row or card the rate limit left unknown is
 * re-checked at the end of each block until then, and says "the Hub keeps refusing; reload to try
 * again" after. Any answer the Hub accepts starts the count again.
 */
export const MAX_REFUSALS_IN_A_ROW = 5;
/** Waits are capped: a hostile or broken header must not park the extension for a day. */
const MAX_WAIT_SECONDS = 3600;

/**
 * Split a header into its list members and each member into names (quoted strings or bare tokens)
 * and `key=value` parameters. Tolerant on purpose: the Hub's policy header puts two strings before
 * the parameters, which strict structured-field parsing rejects.
 */
function members(value: string): { names: string[]; params: Map<string, string> }[] {
  const result: { names: string[]; params: Map<string, string> }[] = [];
  // Commas inside quoted strings do not split members.
  for (const member of value.slice(0, 2000).match(/(?:"[^"]*"|[^,])+/g) ?? []) {
    const names: string[] = [];
    const params = new Map<string, string>();
    for (const raw of member.match(/(?:"[^"]*"|[^;])+/g) ?? []) {
      const part = raw.trim();
      const equals = /^([a-z][a-z0-9_.*-]*)\s*=\s*(.*)$/i.exec(part);
      if (equals?.[1] && equals[2] !== undefined) params.set(equals[1].toLowerCase(), equals[2].replace(/^"|"$/g, ""));
      else if (part) names.push(part.replace(/^"|"$/g, ""));
    }
    result.push({ names, params });
  }
  return result;
}

const BUCKET_NAME = /^(api|pages|resolvers)$/i;

/** The member for `bucket` (its name may be `"api"` or `"api|pages|resolvers"`), else one that names no bucket. */
function memberFor(value: string | null, bucket: string) {
  if (!value) return undefined;
  const all = members(value);
  const bucketsOf = (member: { names: string[] }) =>
    member.names.flatMap((name) => name.split("|")).map((name) => name.trim().toLowerCase()).filter((name) => BUCKET_NAME.test(name));
  return all.find((member) => bucketsOf(member).includes(bucket)) ?? all.find((member) => bucketsOf(member).length === 0);
}

function count(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,9}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** `RateLimit: "api";r=12;t=45` → `{ remaining: 12, resetSeconds: 45 }`; undefined when unreadable. */
export function parseRateLimit(value: string | null, bucket = "api"): RateLimitReading | undefined {
  const member = memberFor(value, bucket);
  if (!member) return undefined;
  const remaining = count(member.params.get("r"));
  const resetSeconds = count(member.params.get("t"));
  if (remaining === undefined || resetSeconds === undefined) return undefined;
  const name = member.names.find((n) => n.toLowerCase() !== "fixed window");
  return { remaining, resetSeconds: Math.min(resetSeconds, MAX_WAIT_SECONDS), ...(name ? { bucket: name } : {}) };
}

/** `RateLimit-Policy: "fixed window";"api";q=500;w=300` → `{ quota: 500, windowSeconds: 300 }`. */
export function parseRateLimitPolicy(value: string | null, bucket = "api"): RateLimitPolicy | undefined {
  const member = memberFor(value, bucket);
  if (!member) return undefined;
  const quota = count(member.params.get("q"));
  if (quota === undefined || quota === 0) return undefined;
  const windowSeconds = count(member.params.get("w"));
  const name = member.names.find((n) => n.toLowerCase() !== "fixed window");
  return { quota, ...(windowSeconds !== undefined ? { windowSeconds } : {}), ...(name ? { bucket: name } : {}) };
}

/** What every context may know of the budget: no URLs, no counts beyond the Hub's own meter. */
export interface BudgetSnapshot {
  /** Until then (ms since epoch) no API call goes out; 0 when not blocked. */
  blockedUntil: number;
  /** Until then optional work waits (the window resets then); 0 when not saving. */
  savingUntil: number;
  /** The last reading, for the popup's line. */
  remaining?: number;
  quota?: number;
}

export interface RateBudget {
  /** Read the meter of one API answer (any status). */
  observe(headers: Headers, status: number): void;
  /** The Hub asked to wait `seconds` (a 429's Retry-After). */
  block(seconds: number): void;
  blockedUntil(): number;
  /** False while blocked or saving: listing cards, row details and prefetch wait; the open page's badge does not. */
  allowsOptional(): boolean;
  snapshot(): BudgetSnapshot;
  /** Called when blockedUntil or savingUntil changes (not on every reading). Returns the unsubscribe. */
  onChange(listener: (snapshot: BudgetSnapshot) => void): () => void;
  /** 429 answers since the Hub last accepted a request (MAX_REFUSALS_IN_A_ROW bounds the re-checks). */
  refusalsInARow(): number;
  /** Start the count of refusals again ("Clear cached facts": the user asks to start over; the block itself stays). */
  forgetRefusals(): void;
  /** Take over a state published earlier (a restarted service worker keeps the Hub's block). */
  restore(snapshot: Partial<BudgetSnapshot>): void;
}

export function createRateBudget(options: { now?: () => number; lowShare?: number } = {}): RateBudget {
  const now = options.now ?? (() => Date.now());
  const lowShare = options.lowShare ?? LOW_SHARE;
  let blockedUntil = 0;
  let savingUntil = 0;
  let remaining: number | undefined;
  let quota: number | undefined;
  let refusals = 0;
  const listeners = new Set<(snapshot: BudgetSnapshot) => void>();

  const snapshot = (): BudgetSnapshot => ({
    blockedUntil: blockedUntil > now() ? blockedUntil : 0,
    savingUntil: savingUntil > now() ? savingUntil : 0,
    ...(remaining !== undefined ? { remaining } : {}),
    ...(quota !== undefined ? { quota } : {}),
  });

  function update(nextBlocked: number, nextSaving: number) {
    if (nextBlocked === blockedUntil && nextSaving === savingUntil) return;
    blockedUntil = nextBlocked;
    savingUntil = nextSaving;
    const current = snapshot();
    for (const listener of listeners) listener(current);
  }

  return {
    observe(headers, status) {
      refusals = status === 429 ? refusals + 1 : 0;
      const reading = parseRateLimit(headers.get("ratelimit"));
      if (!reading) return;
      const policy = parseRateLimitPolicy(headers.get("ratelimit-policy"));
      remaining = reading.remaining;
      quota = policy?.quota ?? quota ?? DEFAULT_QUOTA;
      const resetAt = now() + reading.resetSeconds * 1000;
      // r=0: the next call would be refused, so it is not sent (never run into a 429).
      const nextBlocked = reading.remaining === 0 ? Math.max(blockedUntil, resetAt) : blockedUntil;
      const low = reading.remaining < quota * lowShare;
      update(nextBlocked, low ? resetAt : 0);
    },
    block(seconds) {
      const until = now() + Math.min(Math.max(0, seconds), MAX_WAIT_SECONDS) * 1000;
      update(Math.max(blockedUntil, until), Math.max(savingUntil, until));
    },
    blockedUntil: () => blockedUntil,
    refusalsInARow: () => refusals,
    forgetRefusals: () => {
      refusals = 0;
    },
    allowsOptional: () => now() >= blockedUntil && now() >= savingUntil,
    snapshot,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    restore(previous) {
      const t = now();
      const keep = (value: number | undefined) => (typeof value === "number" && Number.isFinite(value) && value > t ? Math.min(value, t + MAX_WAIT_SECONDS * 1000) : 0);
      blockedUntil = Math.max(blockedUntil, keep(previous.blockedUntil));
      savingUntil = Math.max(savingUntil, keep(previous.savingUntil));
    },
  };
}
