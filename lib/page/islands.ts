import type { DiscussionCounts, RepoType } from "../repo-ref";
import { queryFirst, SELECTORS } from "./selectors";

/** What the header island's props tell about the repo (hub-pages.md, "Model header"). */
export interface HeaderProps {
  repoId?: string;
  authorName?: string;
  authorKind?: "org" | "user";
  /** The commit the page shows, when its props carry it (SpaceHeader's `space.sha`; hub-pages.md): repo facts at it can be reused. */
  sha?: string;
  /** The header's `discussionsStats`: at a total of 0 the repo has no pull request to ask about. */
  discussions?: DiscussionCounts;
}

/**
 * Parsed props by island, while its `data-props` stays the same. Header props can be hundreds of
 * kilobytes (a model's config and chat template) and several features read them, some on every
 * change of the page: each island is parsed once, not once per reader per change.
 */
const parsed = new WeakMap<Element, { raw: string; props: Record<string, unknown> | undefined }>();

/** The parsed `data-props` of an island, or undefined. Page data is untrusted: parse, never evaluate. */
export function readIslandProps(island: Element): Record<string, unknown> | undefined {
  const raw = island.getAttribute("data-props");
  if (!raw || raw.length > 2_000_000) return undefined;
  const hit = parsed.get(island);
  if (hit && hit.raw === raw) return hit.props;
  let props: Record<string, unknown> | undefined;
  try {
    const value: unknown = JSON.parse(raw);
    props = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    props = undefined;
  }
  parsed.set(island, { raw, props });
  return props;
}

/**
 * The repo header island by its name; when the Hub renames it, the island whose props describe a
 * repo of this type with its author (what every header's props hold), so the repo id and the
 * author's kind still come from the page.
 */
export function findHeaderIsland(doc: ParentNode, type: RepoType): Element | null {
  const named = queryFirst(doc, SELECTORS.repoHeaderIsland[type]);
  if (named) return named;
  // The props key is the repo type itself: `model`, `dataset` or `space`.
  for (const island of Array.from(doc.querySelectorAll(SELECTORS.propsIslands.join(",")))) {
    const props = readIslandProps(island);
    const repo = props?.[type];
    if (typeof repo === "object" && repo !== null && typeof (repo as { id?: unknown }).id === "string" && typeof props?.author === "object") return island;
  }
  return null;
}


/** Reads repo id and author kind from `ModelHeader` / `DatasetHeader` / `SpaceHeader` props. */
export function readHeaderProps(doc: ParentNode, type: RepoType): HeaderProps | undefined {
  const island = findHeaderIsland(doc, type);
  if (!island) return undefined;
  const props = readIslandProps(island);
  if (!props) return undefined;
  const repo = props[type];
  const author = props.author;
  const result: HeaderProps = {};
  if (typeof repo === "object" && repo !== null && typeof (repo as { id?: unknown }).id === "string") {
    result.repoId = (repo as { id: string }).id;
    const sha = (repo as { sha?: unknown }).sha;
    if (typeof sha === "string" && /^[0-9a-f]{40}$/.test(sha)) result.sha = sha;
  }
  const discussions = discussionCountsOf(props.discussionsStats);
  if (discussions) result.discussions = discussions;
  if (typeof author === "object" && author !== null) {
    const { name, type: kind } = author as { name?: unknown; type?: unknown };
    if (typeof name === "string") result.authorName = name;
    if (kind === "org" || kind === "user") result.authorKind = kind;
  }
  return result;
}

/** `discussionsStats` when it is whole counts that agree (open ≤ total); anything else is not used. */
export function discussionCountsOf(value: unknown): DiscussionCounts | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { open, total } = value as { open?: unknown; total?: unknown };
  const count = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!count(open) || !count(total) || open > total) return undefined;
  return { open, total };
}
