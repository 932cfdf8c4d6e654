import type { ContentScriptContext } from "wxt/utils/content-script-context";

export interface PageWatchers {
  /**
   * Something in the body changed; called in the observer's own microtask, before the page
   * paints or runs anything else. Only for cheap work such as putting a badge back where
   * hydration removed it, so it is never seen missing.
   */
  onDomChangeNow?: () => void;
  /** Something in the page's body changed (hydration, lists replaced, "Load more"); called at most once a frame. */
  onDomChange?: () => void;
  /** The `dark` class on <html> changed. */
  onThemeChange?: () => void;
  /** The URL changed without a reload (history.pushState, back/forward). */
  onLocationChange?: (url: URL) => void;
}

interface SharedWatch {
  watchers: Set<PageWatchers>;
  scheduled: boolean;
}

/**
 * One watch per document, shared by every feature (repo badge, file rows, PRs, cards, leaks):
 * two observers in all, however many features subscribe. Keyed by document so tests with
 * separate documents stay separate.
 */
const shared = new WeakMap<Document, SharedWatch>();

/**
 * Subscribe to the page's one narrow observer, stopped with the content script's context:
 * body child-list changes (never attributes of the whole tree, which is what freezes pages),
 * and the class attribute of <html> alone. The first subscriber creates the observers; the
 * last one to leave (context invalidated) disconnects them.
 */
export function watchPage(ctx: ContentScriptContext, doc: Document, watchers: PageWatchers): void {
  let watch = shared.get(doc);
  if (!watch) watch = startSharedWatch(ctx, doc);
  watch.watchers.add(watchers);
  ctx.addEventListener(window, "wxt:locationchange", (event) => safely(() => watchers.onLocationChange?.(event.newUrl)));
  ctx.onInvalidated(() => watch?.watchers.delete(watchers));
}

function startSharedWatch(ctx: ContentScriptContext, doc: Document): SharedWatch {
  const watch: SharedWatch = { watchers: new Set(), scheduled: false };
  shared.set(doc, watch);
  const bodyObserver = new MutationObserver(() => {
    for (const watcher of [...watch.watchers]) if (watcher.onDomChangeNow) safely(watcher.onDomChangeNow);
    if (watch.scheduled) return;
    watch.scheduled = true;
    ctx.requestAnimationFrame(() => {
      watch.scheduled = false;
      // Each feature in its own try: one failing feature never stops the others.
      for (const watcher of [...watch.watchers]) safely(() => watcher.onDomChange?.());
    });
  });
  bodyObserver.observe(doc.body, { childList: true, subtree: true });
  const themeObserver = new MutationObserver(() => {
    for (const watcher of [...watch.watchers]) safely(() => watcher.onThemeChange?.());
  });
  themeObserver.observe(doc.documentElement, { attributes: true, attributeFilter: ["class"] });
  ctx.onInvalidated(() => {
    bodyObserver.disconnect();
    themeObserver.disconnect();
    watch.watchers.clear();
    if (shared.get(doc) === watch) shared.delete(doc);
  });
  return watch;
}

/** An error in our code must never break the page. */
export function safely(run: () => void): void {
  try {
    run();
  } catch (error) {
    console.debug("Hub Sentinel:", error instanceof Error ? error.message : error);
  }
}
