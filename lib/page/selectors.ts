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
  /**
   * When no header island is recognised (renamed, issue 17): a page heading that links to the repo
   * is still the right place for the badge. Headings anywhere, the repo link picked by href.
   * (2026-12, fake Hub layout variants; no real page has been seen without the island)
   */
  anyHeading: ["main h1", "h1", "header h2"],
  /** Scan badge island on blob and tree pages. (2025-12, real pages) */
  scanStatusBadge: ['[data-target="ScanStatusBadge"]'],
  /** The file view's header island: the blob annotation's fallback anchor. (2025-12, real pages) */
  viewerHeader: ['[data-target="ViewerHeader"]'],
  /**
   * Tree page file list and its rows. Island name and `ul > li` from scrapers and the re-created
   * rows in shared/reference/pages/tree-rows.derived.txt (2024-10); no raw tree HTML was saved.
   */
  treeList: ['[data-target="ViewerIndexTreeList"]', '[data-target*="TreeList"]'],
  treeRow: ["ul > li", "li"],
  /** A row's name link: by its href pattern, never by class. (2024-10, derived rows) */
  treeFileLink: ['a[href*="/blob/"]', '[href*="/blob/"]'],
  /** Discussion and PR links in a discussions list: by href. (2025-12, hub-pages.md "Pages with no saved HTML") */
  discussionLink: ['a[href*="/discussions/"]'],
  /** A discussion or PR page's header island; the title heading as fallback. (scrapers, 2025) */
  discussionHeader: ['[data-target="DiscussionHeader"]', "main h1"],
  /** Repo cards on listing pages: `article.overview-card-wrapper > a[href]` (scrapers, 2025), any article as fallback. */
  repoCard: ["article.overview-card-wrapper", "article"],
  /** Where a card's mark goes: its header (title attribute = repo id), else its first link. (scrapers, 2025) */
  repoCardHeader: ["header[title]", "header", "h4"],
  /** Islands whose props may list repos or discussions (ModelList `initialValues.models[]` and the like). (scrapers, 2025) */
  propsIslands: [".SVELTE_HYDRATER[data-props]", "[data-target][data-props]"],
  /**
   * Links the download guard looks at: any link, told apart by its href (lib/page/download-links.ts:
   * a repo file's `/resolve/` or `/raw/` URL), since a download is wherever a link points, not what it
   * looks like. (2026-12: file rows' `a[download][title="Download file"]`, tree-rows.derived.txt; the
   * raw link of every real blob page in pages/real/)
   */
  link: ["a[href]", "area[href]"],
  /** Where page text worth scanning for leaked tokens lives. (2025-12, real pages) */
  contentRoot: ["main", "body"],
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

/** Every match of the first selector of a list that matches anything (fallbacks in order). */
export function queryAllFirst(root: ParentNode, selectors: readonly string[]): Element[] {
  for (const selector of selectors) {
    const found = Array.from(root.querySelectorAll(selector));
    if (found.length > 0) return found;
  }
  return [];
}
