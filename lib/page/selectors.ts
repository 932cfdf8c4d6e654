/**
 * Every huggingface.co selector the extension uses, in one place. Each is a list of fallbacks,
 * tried in order, with the date it was checked against real saved pages
 * (shared/reference/pages/, trimmed copies in tests/fixtures/pages/). Prefer Svelte island
 * names, their props and href patterns over Tailwind class chains, which change.
 */
export const SELECTORS = {
  /** The header island of a repo page; its `data-props` names the repo and its author. (2025-12, real pages) */
  repoHeaderIsland: {
    model: ['[data-target="ModelHeader"]'],
    dataset: ['[data-target="DatasetHeader"]'],
    space: ['[data-target="SpaceHeader"]'],
  },
  /** The heading inside a header island. (2025-12, real pages) */
  headerHeading: ["header h1", "h1"],
  /** Scan badge island on blob and tree pages. (2025-12, real pages) */
  scanStatusBadge: ['[data-target="ScanStatusBadge"]'],
} as const;

export function queryFirst(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** The repo-name link in the header: `a[href="/owner/name"]` (or `/datasets/…`, `/spaces/…`), by href, not class. */
export function findRepoNameLink(heading: Element, repoPath: string): HTMLAnchorElement | null {
  for (const link of Array.from(heading.querySelectorAll("a[href]"))) {
    const href = link.getAttribute("href") ?? "";
    const path = href.startsWith("http") ? safePath(href) : href.split(/[?#]/)[0];
    if (path === repoPath) return link as HTMLAnchorElement;
  }
  return null;
}

function safePath(href: string): string | undefined {
  try {
    return new URL(href).pathname;
  } catch {
    return undefined;
  }
}
