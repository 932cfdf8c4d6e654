import type { FactCache } from "./cache";
import type { createLimiter } from "./limits";

/**
 * One file read by the extension's own scanners (pickle imports, Keras configs, chat templates),
 * through the fact cache: deduplicated with any read of the same key already under way, run within
 * the scanner's concurrency limit, and kept as long as its outcome deserves. A read cancelled by
 * the tab's signal is never kept (the next page view reads again); a failed one is kept as long as
 * the caller says (briefly, unless what was read already proves danger).
 */
export interface CachedFileRead<T> {
  cache: FactCache;
  key: string;
  limit: ReturnType<typeof createLimiter>;
  /** What the scan says when the read was cancelled before it began. */
  cancelled: () => T;
  read: (signal: AbortSignal) => Promise<{ scan: T; failed: boolean }>;
  /** How long to keep a read that was not cancelled. */
  ttl: (scan: T, failed: boolean) => number;
  signal?: AbortSignal;
}

export function readThroughCache<T>(options: CachedFileRead<T>): Promise<T> {
  let failed = false;
  let aborted = false;
  return options.cache.getOrLoad<T>(
    options.key,
    (loadSignal) =>
      options.limit(async () => {
        if (loadSignal.aborted) {
          aborted = true;
          return options.cancelled();
        }
        const outcome = await options.read(loadSignal);
        failed = outcome.failed;
        aborted = loadSignal.aborted;
        return outcome.scan;
      }),
    (scan) => (aborted ? 0 : options.ttl(scan, failed)),
    options.signal,
  );
}
