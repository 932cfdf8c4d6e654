import type { ContentScriptContext } from "wxt/utils/content-script-context";

export interface PageWatchers {
  /** Something in the page's body changed (hydration, lists replaced, "Load more"); called at most once a frame. */
  onDomChange?: () => void;
  /** The `dark` class on <html> changed. */
  onThemeChange?: () => void;
  /** The URL changed without a reload (history.pushState, back/forward). */
  onLocationChange?: (url: URL) => void;
}

/**
 * One narrow observer per page for every feature, stopped with the content script's context:
 * body child-list changes (never attributes of the whole tree, which is what freezes pages),
 * and the class attribute of <html> alone.
 */
export function watchPage(ctx: ContentScriptContext, doc: Document, watchers: PageWatchers): void {
  let scheduled = false;
  const bodyObserver = new MutationObserver(() => {
    if (scheduled || !watchers.onDomChange) return;
    scheduled = true;
    ctx.requestAnimationFrame(() => {
      scheduled = false;
      safely(() => watchers.onDomChange?.());
    });
  });
  bodyObserver.observe(doc.body, { childList: true, subtree: true });
  const themeObserver = new MutationObserver(() => safely(() => watchers.onThemeChange?.()));
  themeObserver.observe(doc.documentElement, { attributes: true, attributeFilter: ["class"] });
  ctx.addEventListener(window, "wxt:locationchange", (event) => safely(() => watchers.onLocationChange?.(event.newUrl)));
  ctx.onInvalidated(() => {
    bodyObserver.disconnect();
    themeObserver.disconnect();
  });
}

/** An error in our code must never break the page. */
export function safely(run: () => void): void {
  try {
    run();
  } catch (error) {
    console.debug("Hub Sentinel:", error instanceof Error ? error.message : error);
  }
}
