/**
 * Reviews a token: local format check, then one `GET /api/whoami-v2`, cached per token fingerprint.
 *
 * The token appears in exactly one place: the Authorization header of that request. It is never logged,
 * never put into a result or an error message, and never used as a cache key (its fingerprint is).
 * whoami-v2 is heavily rate-limited (shared/reference/hub-api.md), so answers are cached for a few minutes and,
 * after a 429, no request is made again until the Hub's Retry-After has passed.
 */
import type { TokenFinding } from "../findings";
import { auditToken, invalidTokenFinding, type TokenReview } from "./audit";
import { tokenFingerprint } from "./fingerprint";
import { checkTokenFormat } from "./format";
import { parseWhoAmI } from "./whoami";

export type TokenReviewErrorKind =
  | "malformed"
  | "invalid-token"
  | "network"
  | "timeout"
  | "rate-limited"
  | "malformed-response"
  /** The caller's AbortSignal fired (e.g. the popup closed). Not in the original list; nothing to show for it. */
  | "aborted";

export interface TokenReviewError {
  kind: TokenReviewErrorKind;
  /** Safe to show: never contains the token. */
  message: string;
  retryAfterSeconds?: number;
  /** For `invalid-token`: the contract's `invalid-token` finding. */
  finding?: TokenFinding;
  /** HTTP status when the Hub answered. */
  status?: number;
}

export type TokenReviewResult =
  | { ok: true; review: TokenReview; /** Served from the cache, no request made. */ cached: boolean }
  | { ok: false; error: TokenReviewError };

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TokenReviewerOptions {
  fetch: FetchLike;
  hubUrl?: string;
  /** Clock, for the review date and the cache. */
  now?: () => number;
  cacheTtlMs?: number;
  timeoutMs?: number;
}

export interface TokenReviewer {
  review(token: string, signal?: AbortSignal): Promise<TokenReviewResult>;
  /** Drop every cached answer (e.g. when the user asks to check again). */
  clearCache(): void;
}

export const DEFAULT_HUB_URL = "https://huggingface.co";
export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;

interface CacheEntry {
  expires: number;
  result: TokenReviewResult;
}

/** Seconds from `Retry-After` (delta-seconds or HTTP date), else from `RateLimit: "api";r=0;t=<seconds>`. */
export function retryAfterSeconds(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter !== undefined && retryAfter !== "") {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const rateLimit = headers.get("ratelimit");
  const t = rateLimit !== null ? /(?:^|;)\s*t=(\d+)/.exec(rateLimit) : null;
  if (t?.[1] !== undefined) return Number(t[1]);
  return undefined;
}

function fail(kind: TokenReviewErrorKind, message: string, extra: Partial<TokenReviewError> = {}): TokenReviewResult {
  return { ok: false, error: { kind, message, ...extra } };
}

/** Replace any occurrence of the token in the review's strings (a hostile or buggy answer could echo it). */
function scrub<T>(value: T, token: string): T {
  const json = JSON.stringify(value);
  if (!json.includes(token)) return value;
  return JSON.parse(json.split(token).join("[token hidden]")) as T;
}

export function createTokenReviewer(options: TokenReviewerOptions): TokenReviewer {
  const hubUrl = (options.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, "");
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch;
  const cache = new Map<string, CacheEntry>();
  let rateLimitedUntil = 0;

  function remember(key: string, result: TokenReviewResult): TokenReviewResult {
    cache.set(key, { expires: now() + ttl, result });
    return result;
  }

  async function review(input: string, signal?: AbortSignal): Promise<TokenReviewResult> {
    const format = checkTokenFormat(input);
    if (!format.ok) return fail("malformed", format.message);
    const token = format.token;
    if (signal?.aborted) return fail("aborted", "The check was cancelled.");

    const key = await tokenFingerprint(token);
    const hit = cache.get(key);
    if (hit !== undefined) {
      if (hit.expires > now()) return hit.result.ok ? { ...hit.result, cached: true } : hit.result;
      cache.delete(key);
    }

    const waitMs = rateLimitedUntil - now();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      return fail("rate-limited", `The Hub asked to wait before checking tokens again. Try again in ${seconds} s.`, {
        retryAfterSeconds: seconds,
      });
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });

    try {
      let response: Response;
      try {
        response = await doFetch(`${hubUrl}/api/whoami-v2`, {
          method: "GET",
          headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
          credentials: "omit",
          cache: "no-store",
          redirect: "error",
          signal: controller.signal,
        });
      } catch {
        // The error object is not kept: some fetch implementations put request details in it.
        if (timedOut) return fail("timeout", `The Hub did not answer within ${Math.round(timeoutMs / 1000)} s. Try again later.`);
        if (signal?.aborted) return fail("aborted", "The check was cancelled.");
        return fail("network", "The Hub could not be reached. Check your connection and try again.");
      }

      const status = response.status;
      if (status === 401) {
        return remember(
          key,
          fail("invalid-token", "Hugging Face does not accept this token: it is mistyped, invalidated, deleted or expired.", {
            finding: invalidTokenFinding(),
            status,
          }),
        );
      }
      if (status === 429) {
        const seconds = retryAfterSeconds(response.headers, now());
        if (seconds !== undefined) rateLimitedUntil = now() + seconds * 1000;
        return fail(
          "rate-limited",
          seconds !== undefined
            ? `The Hub is limiting requests right now. Try again in ${seconds} s.`
            : "The Hub is limiting requests right now. Try again in a few minutes.",
          seconds !== undefined ? { retryAfterSeconds: seconds, status } : { status },
        );
      }
      if (status === 403) {
        return fail(
          "invalid-token",
          "Hugging Face refused this token (HTTP 403): it may be blocked by an organization's token policy or revoked.",
          { finding: invalidTokenFinding(), status },
        );
      }
      if (status < 200 || status >= 300) {
        return fail("network", `The Hub answered with an error (HTTP ${status}). Try again later.`, { status });
      }

      let json: unknown;
      try {
        json = await response.json();
      } catch {
        if (timedOut) return fail("timeout", `The Hub did not answer within ${Math.round(timeoutMs / 1000)} s. Try again later.`);
        if (signal?.aborted) return fail("aborted", "The check was cancelled.");
        return fail("malformed-response", "The Hub's answer about this token was not valid JSON.", { status });
      }
      const parsed = parseWhoAmI(json);
      if (!parsed.ok) return fail("malformed-response", parsed.error.message, { status });
      const result = scrub(auditToken(parsed.value, now()), token);
      return remember(key, { ok: true, review: result, cached: false });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  return {
    review,
    clearCache: () => {
      cache.clear();
    },
  };
}
