import type { ComponentChild } from "preact";
import { render } from "preact";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { ANNOTATION_CSS } from "../../components/Annotation";
import { BADGE_CSS } from "../../components/level-style";
import { createShadowHost } from "./shadow-host";

/**
 * Shadow-root hosts for row annotations (file, pr, card, leak), shared by those features. The
 * page re-renders (hydration, "Load more", list replacement) and removes what we inserted, so each
 * host is kept and put back where it belongs, never created twice for the same thing.
 */
export interface AnnotationHost {
  host: HTMLElement;
  paint(attributes: Record<string, string>, view: ComponentChild): void;
  /** Put the host back in place when the page removed or moved it. */
  place(): void;
  /** Unmount and take the host out, for good (a row that comes back gets a new host). */
  remove(): void;
}

export function createAnnotationHost(
  ctx: ContentScriptContext,
  options: { name: string; doc: Document; place: (host: HTMLElement) => void },
): AnnotationHost {
  const ui = createShadowHost(ctx, { name: options.name, css: BADGE_CSS + ANNOTATION_CSS, doc: options.doc });
  const host = ui.host;
  options.place(host);
  return {
    host,
    paint(attributes, view) {
      for (const [name, value] of Object.entries(attributes)) host.setAttribute(name, value);
      host.setAttribute("data-theme", options.doc.documentElement.classList.contains("dark") ? "dark" : "light");
      render(view, ui.container);
    },
    place() {
      options.place(host);
    },
    remove() {
      ui.dispose();
    },
  };
}

export function findingIds(findings: readonly { id: string }[]): string {
  return [...new Set(findings.map((finding) => finding.id))].join(" ");
}
