import { render } from "preact";
import type { ContentScriptContext } from "wxt/utils/content-script-context";

/**
 * A custom element with an open shadow root holding our styles and one container to render into:
 * the page's CSS cannot reach in, ours cannot leak out. What WXT's createShadowRootUi does for our
 * use (inline position, styles from a string, our own placement), without its auto-mount, anchor
 * lookup and CSS-file loading, which we never use and which cost the content script 3.3 KB
 * gzipped (issue #10's size budget).
 */
export interface ShadowHost {
  host: HTMLElement;
  shadow: ShadowRoot;
  container: HTMLElement;
  /** Unmount what was rendered (its effects clean up: listeners on the page go) and take the host out; it may be placed again. */
  remove(): void;
  /** remove(), for good: it also stops waiting for the context's end, so a page with many short-lived hosts keeps none of them alive. */
  dispose(): void;
}

// Hub styles must not inherit into the host (font, colour, line height): start from nothing.
const HOST_RESET = ":host{all:initial !important;}";

export function createShadowHost(ctx: ContentScriptContext, options: { name: string; css: string; doc?: Document }): ShadowHost {
  const doc = options.doc ?? document;
  const host = doc.createElement(options.name);
  const shadow = host.attachShadow({ mode: "open" });
  const style = doc.createElement("style");
  style.textContent = `${HOST_RESET}\n${options.css}`;
  const container = doc.createElement("div");
  shadow.append(style, container);
  const remove = () => {
    render(null, container);
    host.remove();
  };
  const forgetOnInvalidated = ctx.onInvalidated(remove);
  const dispose = () => {
    forgetOnInvalidated();
    remove();
  };
  return { host, shadow, container, remove, dispose };
}
