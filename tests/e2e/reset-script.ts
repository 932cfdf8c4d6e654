/**
 * The script that empties the extension's storage and memory caches between tests (and between the
 * benchmark's cold figures), run inside an extension context: Chromium's service worker, or Firefox's
 * probe page (tests/e2e/firefox/puppeteer-driver.ts). It returns only once the background confirms
 * it dropped its memory caches (`cache:cleared`, lib/storage/fact-store.ts), awaited as a storage
 * event: a memory cache cleared after the next test's navigation began would serve that test the
 * last test's facts, or forget what its prefetch just cached. An event, not a poll: Firefox holds
 * the timers of a background tab such as the probe to one a second.
 *
 * `keep`: storage.local keys left in place (the benchmark keeps the organization-policy snapshot,
 * whose removal would count as a policy change). Without it, every storage area is cleared.
 */
export function resetExtensionScript(options: { keep?: string[]; timeoutMs?: number } = {}): string {
  const keep = JSON.stringify(options.keep ?? []);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return `(async () => {
  const api = globalThis.browser ?? globalThis.chrome;
  const keep = ${keep};
  if (keep.length === 0) {
    await api.storage.local.clear();
    await api.storage.sync?.clear();
    await api.storage.session?.clear();
  } else {
    const names = Object.keys(await api.storage.local.get(null)).filter((name) => !keep.includes(name));
    await api.storage.local.remove(names);
  }
  // Bumping the generation is what "clear cached facts" does; the background confirms with cache:cleared.
  const generation = Date.now();
  const confirmed = new Promise((resolve, reject) => {
    const listener = (changes, area) => {
      if (area !== "local" || changes["cache:cleared"]?.newValue !== generation) return;
      clearTimeout(timer);
      api.storage.onChanged.removeListener(listener);
      resolve(true);
    };
    const timer = setTimeout(() => {
      api.storage.onChanged.removeListener(listener);
      reject(new Error("the background did not confirm within ${timeoutMs / 1000} s that it cleared its caches"));
    }, ${timeoutMs});
    api.storage.onChanged.addListener(listener);
  });
  await api.storage.local.set({ "cache:generation": generation });
  return confirmed;
})()`;
}
