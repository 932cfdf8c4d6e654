/**
 * "This page's layout was not recognised" (issue 17): a Files, Community or listing page where the
 * page itself says there are rows or cards, but none is found by the selectors the annotations use,
 * so nothing could be marked. Said plainly instead of silence, which reads as "fine".
 *
 * Only honest signals count as "there should be some": links to this repo's files, a discussion
 * list or count in the islands' props, repos listed in a listing island's props. An empty repo, a
 * repo with no discussions or a search with no results has none of them, so it is not a failure.
 * Pure: callers pass the document in; selectors come from selectors.ts.
 */
import type { RepoRef } from "../repo-ref";
import type { LayoutNote } from "./layout-note";
import { readHeaderProps, readIslandProps } from "./islands";
import { discussionsInProps, filePathFromBlobHref, listingHints } from "./rows";
import { queryAllFirst, queryFirst, SELECTORS } from "./selectors";

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * Why a tree page of `dir` should show file rows: links to files of this repo in that folder (the
 * rows' own links, found without the rows' markup), or the header props' file list for that folder.
 */
export function expectedFileRows(doc: ParentNode, repo: Pick<RepoRef, "type" | "id">, dir: string): string | undefined {
  const prefix = dir === "" ? "" : `${dir.replace(/\/+$/, "")}/`;
  const root = queryFirst(doc, SELECTORS.contentRoot) ?? doc;
  const linked = new Set<string>();
  for (const link of Array.from(root.querySelectorAll(SELECTORS.treeFileLink.join(",")))) {
    const path = filePathFromBlobHref(link.getAttribute("href") ?? "", repo);
    if (path !== undefined && path.startsWith(prefix) && !path.slice(prefix.length).includes("/")) linked.add(path);
  }
  if (linked.size > 0) return `the page links to ${plural(linked.size, "file")} of this repo`;
  const listed = siblingsIn(doc, repo, prefix);
  if (listed > 0) return `the page's data lists ${plural(listed, "file")} in this folder`;
  return undefined;
}

/** Files directly in the folder, from the header island's `siblings` when the page carries them. */
function siblingsIn(doc: ParentNode, repo: Pick<RepoRef, "type" | "id">, prefix: string): number {
  const island = queryAllFirst(doc, SELECTORS.propsIslands).find((candidate) => {
    const props = readIslandProps(candidate);
    const described = props?.[repo.type];
    return typeof described === "object" && described !== null && (described as { id?: unknown }).id === repo.id;
  });
  const described = island ? (readIslandProps(island)?.[repo.type] as { siblings?: unknown } | undefined) : undefined;
  if (!Array.isArray(described?.siblings)) return 0;
  let count = 0;
  for (const sibling of described.siblings.slice(0, 100_000)) {
    const name = typeof sibling === "object" && sibling !== null ? (sibling as { rfilename?: unknown }).rfilename : undefined;
    if (typeof name === "string" && name.startsWith(prefix) && !name.slice(prefix.length).includes("/")) count++;
  }
  return count;
}

/**
 * Why a discussions list should show rows: discussions listed in an island's props (objects with a
 * `num` and `isPullRequest`, under whatever the island calls its list), else, on the unfiltered
 * list, the header's count of open discussions. A filtered list (`?status=`, `?search=`) may rightly
 * be empty, so the count is not used there.
 */
export function expectedDiscussionRows(doc: ParentNode, repo: Pick<RepoRef, "type" | "id">, url: URL): string | undefined {
  const listed = new Map<number, boolean>();
  for (const island of queryAllFirst(doc, SELECTORS.propsIslands)) {
    const props = readIslandProps(island);
    // The header describes the repo, not its discussions: its props are large and hold none.
    if (props && !(repo.type in props)) discussionsInProps(props, listed);
  }
  if (listed.size > 0) return `the page's data lists ${plural(listed.size, "discussion")}`;
  if (url.search !== "") return undefined;
  const open = openDiscussions(doc, repo);
  return open > 0 ? `the repo's header counts ${plural(open, "open discussion")}` : undefined;
}

function openDiscussions(doc: ParentNode, repo: Pick<RepoRef, "type" | "id">): number {
  return readHeaderProps(doc, repo.type)?.discussions?.open ?? 0;
}

/**
 * Why a listing page should show cards: repos listed in the page's islands' props (ModelList
 * `initialValues.models[]`, collection items and the like).
 */
export function expectedCards(doc: ParentNode): string | undefined {
  const listed = listingHints(doc).size;
  if (listed > 0) return `the page's data lists ${plural(listed, "repo")}`;
  return undefined;
}

/** A listing page's note: none while cards are found, or when the page lists no repos. */
export function cardLayoutNote(doc: ParentNode, cardsFound: number): LayoutNote | undefined {
  if (cardsFound > 0) return undefined;
  const evidence = expectedCards(doc);
  return evidence === undefined ? undefined : { part: "cards", evidence };
}
