import type { Gap } from "./gaps";
import { createLimiter, withTimeout } from "./limits";
import { createRateBudget, MAX_REFUSALS_IN_A_ROW, SHORT_WAIT_SECONDS, type RateBudget, parseRateLimit } from "./rate-limit";

/**
 * The one way the extension talks to the Hub's API: anonymous (`credentials: "omit"`, so the
 * verdict never depends on the browsing session and no cookie rides along), time-limited,
 * concurrency-capped, cancellable, and rate-limit aware (rate-limit.ts):
 * - every answer's `RateLimit` meter is read into the shared budget;
 * - during a block (a 429, or a meter at r=0) nothing is sent: a short one (up to
 *   SHORT_WAIT_SECONDS) is waited out, a longer one fails fast with a `rate-limited` gap;
 * - a request waits out at most one block and is re-sent at most once after a 429 (also after a
 *   `Retry-After: 0`, which would otherwise be a loop), and after a 429 one request goes first:
 *   the others follow only once the Hub has accepted it, so the end of a block brings one retry,
 *   not a storm;
 * - a rate-limited gap carries `retryAfterSeconds`, which callers turn into a re-check at the
 *   block's end (lib/hub/recheck.ts); after MAX_REFUSALS_IN_A_ROW refusals in a row it carries
 *   none and says "the Hub keeps refusing; reload to try again" instead.
 */
export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs?: number;
  maxConcurrent?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** The shared budget (one per extension: every tab shares the Hub's block). */
  budget?: RateBudget;
  /** Waits, injectable for tests; must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class HubRequestError extends Error {
  constructor(readonly gap: Gap) {
    super(gap.message);
    this.name = "HubRequestError";
  }
}

export interface Transport {
  /** A fetch with the transport's rules, suitable to hand to `@huggingface/hub` functions. */
  fetch: typeof fetch;
  /** GET a JSON document; throws HubRequestError with a typed gap on any failure. */
  getJson(url: string, signal?: AbortSignal): Promise<{ body: unknown; response: Response }>;
  /** When the Hub last told us to wait, the time (ms) until which requests are refused. */
  blockedUntil(): number;
  /** The Hub's meter as last read, and the gate for optional work. */
  budget: RateBudget;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** How many times a request woken before its block's end sleeps the rest of it. */
const MAX_EARLY_WAKES = 3;
const DEFAULT_MAX_CONCURRENT = 4;

export function createTransport(options: TransportOptions): Transport {
  const baseFetch = options.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? abortableSleep;
  const limiter = createLimiter(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  const budget = options.budget ?? createRateBudget({ now });
  // After a 429 the next request sent is the probe; others wait for its answer.
  let unproven = false;
  let probe: Promise<void> | undefined;

  async function send(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    // This request has slept through one block (the end it waited for) / been re-sent once after a 429: never more.
    let waitedUntil: number | undefined;
    let earlyWakes = 0;
    let resent = false;
    /** Returns once nothing stops this request from being sent; throws a rate-limited gap otherwise. */
    const clearToSend = async () => {
      for (;;) {
        const until = budget.blockedUntil();
        const waitMs = until - now();
        if (waitMs > 0) {
          if (budget.refusalsInARow() >= MAX_REFUSALS_IN_A_ROW) throw new HubRequestError(keepsRefusingGap(url, budget.refusalsInARow()));
          // Woken a moment before the end of the block it slept through (a timer and Date.now() may differ by a
          // millisecond, as in Firefox): the same block, so sleep the rest (a few times at most: a sleep that lets
          // no time pass must not spin). Only a block that ends later is a second one.
          const sameBlock = waitedUntil !== undefined && until <= waitedUntil && earlyWakes < MAX_EARLY_WAKES;
          if (!sameBlock && (waitedUntil !== undefined || waitMs > SHORT_WAIT_SECONDS * 1000)) throw new HubRequestError(rateLimitedGap(url, Math.ceil(waitMs / 1000)));
          if (sameBlock) earlyWakes++;
          waitedUntil = until;
          await sleep(waitMs, init.signal ?? undefined).catch(() => {
            throw new HubRequestError(abortedGap());
          });
          continue;
        }
        if (!probe) return;
        await probe;
      }
    };
    // Synchronous when nothing is in the way, so a request goes out in the same turn it was made.
    const mustWait = () => budget.blockedUntil() > now() || probe !== undefined;
    if (mustWait()) await clearToSend();
    return limiter(async () => {
      for (;;) {
        // Checked again once a slot frees up: a 429 may have arrived, or the caller given up, while
        // this request waited behind the concurrency cap; neither should reach the Hub.
        // Checked again after every wait, in the same turn as the send: no other request can
        // become the one that goes first in between.
        if (mustWait()) {
          await clearToSend();
          continue;
        }
        if (init.signal?.aborted) throw new HubRequestError(abortedGap());
        let endProbe: (() => void) | undefined;
        if (unproven) {
          unproven = false;
          probe = new Promise<void>((resolve) => (endProbe = resolve));
        }
        try {
          const response = await attempt(input, init, url);
          if (response.status !== 429) return response;
          const seconds = retryAfterSeconds(response.headers, now()) ?? 60;
          budget.block(seconds);
          unproven = true;
          if (budget.refusalsInARow() >= MAX_REFUSALS_IN_A_ROW) throw new HubRequestError(keepsRefusingGap(url, budget.refusalsInARow()));
          // A short block is waited out once (clearToSend at the top of the loop); a long one, or a second, is reported.
          if (waitedUntil !== undefined || resent || seconds > SHORT_WAIT_SECONDS) throw new HubRequestError(rateLimitedGap(url, seconds));
          resent = true;
        } finally {
          if (endProbe) {
            probe = undefined;
            endProbe();
          }
        }
      }
    });
  }

  async function attempt(input: RequestInfo | URL, init: RequestInit, url: string): Promise<Response> {
    const { signal, dispose, timedOut } = withTimeout(init.signal ?? undefined, timeoutMs);
    try {
      const response = await baseFetch(input, { ...init, credentials: "omit", signal });
      budget.observe(response.headers, response.status);
      return response;
    } catch (error) {
      if (timedOut()) {
        throw new HubRequestError({ kind: "timeout", message: `The Hub did not answer ${describe(url)} within ${timeoutMs / 1000} s.` });
      }
      if (signal.aborted) throw new HubRequestError(abortedGap());
      throw new HubRequestError({ kind: "network", message: `Could not reach the Hub for ${describe(url)}: ${errorText(error)}.` });
    } finally {
      dispose();
    }
  }

  async function getJson(url: string, signal?: AbortSignal) {
    const response = await send(url, { headers: { accept: "application/json" }, signal });
    if (!response.ok) throw new HubRequestError(await gapFromResponse(response, url));
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new HubRequestError({ kind: "malformed", status: response.status, message: `The Hub's answer for ${describe(url)} was not valid JSON.` });
    }
    return { body, response };
  }

  const transportFetch = ((input: RequestInfo | URL, init?: RequestInit) => send(input, init)) as typeof fetch;
  return { fetch: transportFetch, getJson, blockedUntil: () => budget.blockedUntil(), budget };
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Turn a non-2xx answer into the gap it means (hub-api.md, "Errors and limits"). */
export async function gapFromResponse(response: Response, url: string): Promise<Gap> {
  const status = response.status;
  const code = response.headers.get("x-error-code") ?? "";
  const headerMessage = response.headers.get("x-error-message") ?? "";
  let bodyMessage = "";
  try {
    const body: unknown = await response.json();
    if (body && typeof body === "object" && "error" in body && typeof body.error === "string") bodyMessage = body.error;
  } catch {
    // Error bodies are JSON on the real Hub, but a proxy may answer with HTML: the status is enough.
  }
  const said = (headerMessage || bodyMessage).slice(0, 200);
  const what = describe(url);
  if (status === 401) {
    return { kind: "unauthorized", status, message: `The Hub answered 401 for ${what}: the repo does not exist or is private.` };
  }
  if (status === 404) return { kind: "not-found", status, message: `The Hub has no ${what} (404).` };
  if (status === 403) {
    if (code === "GatedRepo" || /gated/i.test(said)) return { kind: "gated", status, message: `${what} is gated: the Hub asks you to request access first.` };
    if (/disabled/i.test(said)) return { kind: "disabled", status, message: `The Hub has disabled ${what}.` };
    return { kind: "unauthorized", status, message: `The Hub refused ${what} (403)${said ? `: ${said}` : ""}.` };
  }
  if (status === 410) return { kind: "disabled", status, message: `The Hub says ${what} is gone (410).` };
  return { kind: "server-error", status, message: `The Hub answered ${status} for ${what}${said ? `: ${said}` : ""}.` };
}

function abortedGap(): Gap {
  return { kind: "aborted", message: "The check was cancelled because the page changed." };
}

function rateLimitedGap(url: string, seconds: number): Gap {
  return {
    kind: "rate-limited",
    status: 429,
    retryAfterSeconds: seconds,
    message: `The Hub is rate-limiting requests (${describe(url)}); it accepts them again in about ${seconds} s.`,
  };
}

/**
 * The Hub refused MAX_REFUSALS_IN_A_ROW requests in a row: no `retryAfterSeconds`, so nothing is
 * re-checked by itself any more (a reload asks again, and any accepted answer ends the streak).
 */
function keepsRefusingGap(url: string, refusals: number): Gap {
  return {
    kind: "rate-limited",
    status: 429,
    message: `The Hub keeps refusing; reload to try again. It refused ${refusals} requests in a row (rate limit; the last for ${describe(url)}), so the extension has stopped asking by itself.`,
  };
}

/** Seconds to wait, from `Retry-After` (seconds or HTTP date) or the `RateLimit` header's `t=`. */
export function retryAfterSeconds(headers: Headers, nowMs = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(Math.ceil(seconds), 3600);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.min(Math.max(0, Math.ceil((date - nowMs) / 1000)), 3600);
  }
  return parseRateLimit(headers.get("ratelimit"))?.resetSeconds;
}

/** The API path of a URL, for messages: never the query (which is ours) and never a host other than the Hub's. */
function describe(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "the request";
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : "unknown error";
}
