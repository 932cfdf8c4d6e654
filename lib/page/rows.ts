/**
 * Reading file rows, pull-request rows and repo cards out of a Hub page, for the row annotations.
 * Everything is found by href pattern and island props (hub-pages.md: "Anchor annotations on what
 * is stable everywhere"); selectors come from selectors.ts. Page data is untrusted: hrefs are
 * parsed as URLs, props as JSON, nothing is evaluated. Callers pass the document in.
 */
import type { CardRequest } from "../annotations/types";
import { isRepoId, repoPagePath, type RepoRef, type RepoType } from "../repo-ref";
import { parseHubUrl } from "../hub-url";
import { readIslandProps } from "./islands";
import { queryAllFirst, queryFirst, SELECTORS } from "./selectors";

const BASE = "https://huggingface.co";

function pathnameOf(href: string): string | undefined {
  try {
    const url = new URL(href, BASE);
    return url.hostname === "huggingface.co" || url.hostname === "hf.co" ? url.pathname : undefined;
  } catch {
    return undefined;
  }
}

/** The file path of a `/{repo}/blob/{rev}/{path}` href of this repo, or undefined. */
export function filePathFromBlobHref(href: string, repo: Pick<RepoRef, "type" | "id">): string | undefined {
  const pathname = pathnameOf(href);
  const prefix = `${repoPagePath(repo.type, repo.id)}/blob/`;
  if (!pathname || !pathname.toLowerCase().startsWith(prefix.toLowerCase())) return undefined;
  let segments: string[];
  try {
    segments = pathname.slice(prefix.length).split("/").map(decodeURIComponent);
  } catch {
    return undefined;
  }
  // The revision is one segment (encoded `refs%2Fpr%2F3` decodes to it) or `refs/pr/N` in three.
  const [head, second, third] = segments;
  const skip = head === "refs" && (second === "pr" || second === "convert") && third !== undefined ? 3 : 1;
  const path = segments.slice(skip).join("/");
  return path === "" ? undefined : path;
}

export interface FileRow {
  path: string;
  /** The row's name link, beside which the annotation goes. */
  link: Element;
}

/** File rows of the tree list (directories link to /tree/, so they are not among them). */
export function findFileRows(doc: ParentNode, repo: Pick<RepoRef, "type" | "id">): FileRow[] {
  const list = queryFirst(doc, SELECTORS.treeList);
  if (!list) return [];
  const rows: FileRow[] = [];
  const seen = new Set<string>();
  for (const row of queryAllFirst(list, SELECTORS.treeRow)) {
    const link = queryFirst(row, SELECTORS.treeFileLink);
    const path = link ? filePathFromBlobHref(link.getAttribute("href") ?? "", repo) : undefined;
    if (!link || !path || seen.has(path)) continue;
    seen.add(path);
    rows.push({ path, link });
  }
  return rows;
}

export interface PrRow {
  num: number;
  link: Element;
}

/** The first link to each `/{repo}/discussions/{n}` on the page, in page order. */
export function findDiscussionRows(doc: ParentNode, repo: Pick<RepoRef, "type" | "id">): PrRow[] {
  const base = `${repoPagePath(repo.type, repo.id)}/discussions/`.toLowerCase();
  const rows: PrRow[] = [];
  const seen = new Set<number>();
  for (const link of Array.from(doc.querySelectorAll(SELECTORS.discussionLink.join(",")))) {
    const pathname = pathnameOf(link.getAttribute("href") ?? "");
    if (!pathname || !pathname.toLowerCase().startsWith(base)) continue;
    const rest = pathname.slice(base.length);
    if (!/^\d{1,9}$/.test(rest)) continue;
    const num = Number(rest);
    if (seen.has(num)) continue;
    seen.add(num);
    rows.push({ num, link });
  }
  return rows;
}

/**
 * The discussions one island's props describe (objects with a `num` and an `isPullRequest`), under
 * whatever keys the island keeps them, with `isPullRequest` for each: bounded in depth and breadth,
 * since props are page data of any size.
 */
export function discussionsInProps(props: unknown, into = new Map<number, boolean>()): Map<number, boolean> {
  const visit = (value: unknown, depth: number) => {
    if (depth > 4 || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 500)) visit(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.num === "number" && typeof record.isPullRequest === "boolean") {
      into.set(record.num, record.isPullRequest);
      return;
    }
    for (const child of Object.values(record)) if (typeof child === "object") visit(child, depth + 1);
  };
  visit(props, 0);
  return into;
}

/** `isPullRequest` for each discussion the page's discussion islands describe (list and header islands). */
export function discussionHints(doc: ParentNode): Map<number, boolean> {
  const hints = new Map<number, boolean>();
  for (const island of queryAllFirst(doc, SELECTORS.propsIslands)) {
    const target = island.getAttribute("data-target") ?? "";
    if (/Discussion/i.test(target)) discussionsInProps(readIslandProps(island), hints);
  }
  return hints;
}

/** The repo a card links to, when the link is a repo's own page (not a promotion, a tab or a file). */
export function repoFromCardHref(href: string): Pick<RepoRef, "type" | "id"> | undefined {
  const pathname = pathnameOf(href);
  if (!pathname) return undefined;
  const page = parseHubUrl(new URL(pathname, BASE));
  if (page?.kind !== "repo" || (page.tab !== "card" && page.tab !== "app")) return undefined;
  return { type: page.repo.type, id: page.repo.id };
}

export interface RepoCard {
  card: Element;
  repo: Pick<RepoRef, "type" | "id">;
  /** Where the mark goes. */
  anchor: Element;
}

export function findRepoCards(doc: ParentNode): RepoCard[] {
  const cards: RepoCard[] = [];
  for (const card of queryAllFirst(doc, SELECTORS.repoCard)) {
    let repo: Pick<RepoRef, "type" | "id"> | undefined;
    let link: Element | undefined;
    for (const candidate of Array.from(card.querySelectorAll("a[href]"))) {
      repo = repoFromCardHref(candidate.getAttribute("href") ?? "");
      if (repo) {
        link = candidate;
        break;
      }
    }
    if (!repo || !link) continue;
    cards.push({ card, repo, anchor: queryFirst(card, SELECTORS.repoCardHeader) ?? link });
  }
  return cards;
}

/**
 * What listing islands already say about each repo (ModelList `initialValues.models[]`, collection
 * items' `authorData`): the author's kind saves an overview request, `private` one that would fail.
 */
export function listingHints(doc: ParentNode): Map<string, Pick<CardRequest, "authorKind" | "private">> {
  const hints = new Map<string, Pick<CardRequest, "authorKind" | "private">>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 5 || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 1000)) visit(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.id === "string" && isRepoId(record.id)) {
      const hint: Pick<CardRequest, "authorKind" | "private"> = {};
      const authorData = record.authorData;
      const kind = typeof authorData === "object" && authorData !== null ? (authorData as { type?: unknown }).type : undefined;
      if (kind === "org" || kind === "user") hint.authorKind = kind;
      if (record.private === true) hint.private = true;
      hints.set(record.id.toLowerCase(), hint);
      return;
    }
    for (const child of Object.values(record)) visit(child, depth + 1);
  };
  for (const island of queryAllFirst(doc, SELECTORS.propsIslands)) visit(readIslandProps(island), 0);
  return hints;
}

export type { RepoType };
