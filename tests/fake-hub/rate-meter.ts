/**
 * The Hub's per-IP limit on API calls, as the real Hub applies it to anonymous callers (hub-docs
 * rate-limits.md): a fixed window (500 calls per 5 minutes), a `RateLimit` meter and
 * `RateLimit-Policy` on every API answer, and 429 with `Retry-After` once the window is used up.
 * Off unless a test, the bench or the CLI switches it on, so unrelated tests never share a window.
 */
export interface RateLimitOptions {
  /** Calls per window (the Hub: 500 for anonymous callers). */
  limit: number;
  windowMs: number;
  /** Calls already counted in the current window for every IP (a busy office, for a test). */
  used?: number;
}

export interface RateMeter {
  /** Count one API call from `ip`: the headers for its answer, or the 429 to send instead. */
  count(ip: string): { headers: Record<string, string>; refuse?: { retryAfter: number } };
  /** Calls counted in each window that has ended or is running, oldest first (for the bench). */
  windows(): { start: number; calls: number; refused: number }[];
}

export const HUB_ANONYMOUS_LIMIT: RateLimitOptions = { limit: 500, windowMs: 5 * 60_000 };

export function createRateMeter(options: RateLimitOptions, now: () => number = () => Date.now()): RateMeter {
  const perIp = new Map<string, { start: number; calls: number; refused: number }>();
  const history: { start: number; calls: number; refused: number }[] = [];

  function windowOf(ip: string) {
    const time = now();
    let current = perIp.get(ip);
    if (!current || time >= current.start + options.windowMs) {
      // Windows are fixed: the next one starts at the first call after the last one ended.
      current = { start: time, calls: current ? 0 : (options.used ?? 0), refused: 0 };
      perIp.set(ip, current);
      history.push(current);
    }
    return current;
  }

  return {
    count(ip): { headers: Record<string, string>; refuse?: { retryAfter: number } } {
      const window = windowOf(ip);
      const resetSeconds = Math.max(1, Math.ceil((window.start + options.windowMs - now()) / 1000));
      const policy = `"fixed window";"api";q=${options.limit};w=${Math.round(options.windowMs / 1000)}`;
      if (window.calls >= options.limit) {
        window.refused++;
        return {
          headers: { ratelimit: `"api";r=0;t=${resetSeconds}`, "ratelimit-policy": policy, "retry-after": String(resetSeconds) },
          refuse: { retryAfter: resetSeconds },
        };
      }
      window.calls++;
      return { headers: { ratelimit: `"api";r=${options.limit - window.calls};t=${resetSeconds}`, "ratelimit-policy": policy } };
    },
    windows: () => history.map((window) => ({ ...window })),
  };
}
