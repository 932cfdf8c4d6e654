import type { Gap } from "./gaps";
import { createLimiter, withTimeout } from "./limits";

/**
 * The one way the extension talks to the Hub's API: anonymous (`credentials: "omit"`, so the
 * verdict never depends on the browsing session and no cookie rides along), time-limited,
 * concurrency-capped, cancellable, and rate-limit aware. After a 429 every request fails fast
 * until the Hub's retry time has passed: no retry storm.
 */
export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs?: number;
  maxConcurrent?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
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
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_CONCURRENT = 4;

export function createTransport(options: TransportOptions): Transport {
  const baseFetch = options.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? (() => Date.now());
  const limiter = createLimiter(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  let blockedUntil = 0;

  async function send(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const refuseIfBlocked = () => {
      const waitMs = blockedUntil - now();
      if (waitMs > 0) throw new HubRequestError(rateLimitedGap(url, Math.ceil(waitMs / 1000)));
    };
    refuseIfBlocked();
    return limiter(async () => {
      // Checked again once a slot frees up: a 429 may have arrived, or the caller given up, while
      // this request waited behind the concurrency cap; neither should reach the Hub.
      refuseIfBlocked();
      if (init.signal?.aborted) throw new HubRequestError(abortedGap());
      const { signal, dispose, timedOut } = withTimeout(init.signal ?? undefined, timeoutMs);
      try {
        const response = await baseFetch(input, { ...init, credentials: "omit", signal });
        if (response.status === 429) {
          const seconds = retryAfterSeconds(response.headers, now()) ?? 60;
          blockedUntil = Math.max(blockedUntil, now() + seconds * 1000);
          throw new HubRequestError(rateLimitedGap(url, seconds));
        }
        return response;
      } catch (error) {
        if (error instanceof HubRequestError) throw error;
        if (timedOut()) {
          throw new HubRequestError({ kind: "timeout", message: `The Hub did not answer ${describe(url)} within ${timeoutMs / 1000} s.` });
        }
        if (signal.aborted) throw new HubRequestError(abortedGap());
        throw new HubRequestError({ kind: "network", message: `Could not reach the Hub for ${describe(url)}: ${errorText(error)}.` });
      } finally {
        dispose();
      }
    });
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
  return { fetch: transportFetch, getJson, blockedUntil: () => blockedUntil };
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

/** Seconds to wait, from `Retry-After` (seconds or HTTP date) or the `RateLimit` header's `t=`. */
export function retryAfterSeconds(headers: Headers, nowMs = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(Math.ceil(seconds), 3600);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.min(Math.max(0, Math.ceil((date - nowMs) / 1000)), 3600);
  }
  const rateLimit = headers.get("ratelimit");
  const match = rateLimit ? /(?:^|[;,\s])t=(\d+)/.exec(rateLimit) : null;
  if (match?.[1]) return Math.min(Number(match[1]), 3600);
  return undefined;
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
