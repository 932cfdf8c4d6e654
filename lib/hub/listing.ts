/**
 * Listing calls: one `GET /api/{models|datasets|spaces}?…&expand[]=…` answers for a whole screen
 * of listing cards what a card can judge without a request of its own (file names, tags, config's
 * auto_map, Space SDK and OAuth scopes, gated, private). The query repeats the page's own filters
 * and sort (hub-api.md, hub-docs `api.md`: `search`, `author`, `filter`, `sort`, `direction`,
 * `limit`, `expand`), so the answer holds the cards the page shows; a card it misses is checked on
 * its own by the caller. `securityRepoStatus` is not expandable: a list answer carries no scan
 * verdicts, and the caller says so or asks for them where they decide the level.
 */
import { parseHubUrl } from "../hub-url";
import { repoTypePath, type RepoType } from "../repo-ref";
import type { RepoInfo } from "./facts";
import { isPythonFile, isWeightFile } from "./file-kinds";
import { MalformedError, parseRepoInfo } from "./parse";

/** What the API answers for a listing page: the page's filters in the API's words. */
export interface ListingQuery {
  type: RepoType;
  /** Sorted `[name, value]` pairs, so one page's cards share one cache key. */
  params: [string, string][];
}

/** Fields asked for per type: only those the card rules read (each one exists in the Hub's expand list). */
export const LISTING_EXPAND: Record<RepoType, readonly string[]> = {
  model: ["author", "cardData", "config", "createdAt", "disabled", "gated", "lastModified", "library_name", "private", "sha", "siblings", "tags"],
  dataset: ["author", "cardData", "createdAt", "disabled", "gated", "lastModified", "private", "sha", "siblings", "tags"],
  space: ["author", "cardData", "createdAt", "disabled", "lastModified", "private", "sdk", "sha", "siblings", "subdomain", "tags"],
};

/** Cards a listing page shows at most (the Hub shows 30; the fake Hub 100): one answer covers a page. */
export const LISTING_PAGE_ITEMS = 100;
/** The API's largest page: deeper pages of a listing are checked card by card. */
export const LISTING_MAX_LIMIT = 1000;

/**
 * File names kept per listed repo: the card rules read only weights (pickle, safetensors, Keras,
 * other formats) and Python files. Others are dropped, so a listing of repos with thousands of
 * files stays small in the fact cache; a repo with more kept names than this is left out of the
 * answer (its card is checked on its own, which reports a long list honestly).
 */
export const LISTING_MAX_FILES_PER_REPO = 2000;

/** Page sort names (`?sort=` on /models) and the API's names for them. */
const SORTS: Record<string, string> = {
  trending: "trendingScore",
  downloads: "downloads",
  likes: "likes",
  modified: "lastModified",
  created: "createdAt",
};

/** Page filters the API takes under the same name, and `other` (free tags), which it takes as `filter`. */
const SAME_NAME_FILTERS = ["search", "author", "pipeline_tag", "library", "language", "license", "dataset", "sdk"] as const;

/**
 * The API query of the listing a page URL shows, for cards of `type`; undefined when no listing
 * call covers that page (search results, collections, or a type the page does not list).
 * Page data is untrusted: values are passed on as search parameters, never spliced into a path.
 */
export function listingQueryOf(pageUrl: URL, type: RepoType): ListingQuery | undefined {
  const page = parseHubUrl(pageUrl);
  if (page?.kind !== "listing") return undefined;
  const [first] = pageUrl.pathname.split("/").filter(Boolean);
  const params = new Map<string, string>();
  if (page.listing === "models" || page.listing === "datasets" || page.listing === "spaces") {
    if (repoTypePath(type) !== first) return undefined;
    for (const name of SAME_NAME_FILTERS) {
      const value = pageUrl.searchParams.get(name);
      if (value) params.set(name, value.slice(0, 200));
    }
    const other = pageUrl.searchParams.getAll("other").concat(pageUrl.searchParams.getAll("filter"));
    if (other.length > 0) params.set("filter", other.join(",").slice(0, 400));
    params.set("sort", SORTS[pageUrl.searchParams.get("sort") ?? "trending"] ?? "trendingScore");
  } else if (page.listing === "profile" && first !== undefined && /^[\w.-]{1,96}$/.test(first)) {
    // A profile lists the account's repos of every type: one call per type shown, by author.
    params.set("author", first);
    params.set("sort", "lastModified");
  } else {
    return undefined;
  }
  const pageIndex = Math.max(0, Math.floor(Number(pageUrl.searchParams.get("p") ?? "0")) || 0);
  const limit = (pageIndex + 1) * LISTING_PAGE_ITEMS;
  if (limit > LISTING_MAX_LIMIT) return undefined;
  params.set("limit", String(limit));
  params.set("direction", "-1");
  return { type, params: [...params.entries()].sort(([a], [b]) => a.localeCompare(b)) };
}

export function listingKey(query: ListingQuery): string {
  return `listing:${query.type}:${new URLSearchParams(query.params).toString()}`;
}

export function listingUrl(hubUrl: string, query: ListingQuery): string {
  const search = new URLSearchParams(query.params);
  for (const field of LISTING_EXPAND[query.type]) search.append("expand[]", field);
  return `${hubUrl}/api/${repoTypePath(query.type)}?${search.toString()}`;
}

/**
 * The list answer as repo infos (plain data: the fact cache may keep it in storage.local), with
 * only the file names cards read. Items that are not repo infos are skipped (one odd item must not
 * cost the rest of the list); an answer that is not a list is malformed.
 */
export function parseListing(body: unknown): RepoInfo[] {
  if (!Array.isArray(body)) throw new MalformedError("the listing is not a list");
  const repos: RepoInfo[] = [];
  for (const item of body.slice(0, LISTING_MAX_LIMIT)) {
    let info: RepoInfo;
    try {
      info = parseRepoInfo(item).info;
    } catch {
      continue; // skipped: the card of this item is checked on its own
    }
    if (info.siblingPaths) {
      const kept = info.siblingPaths.filter((path) => isWeightFile(path) || isPythonFile(path));
      if (kept.length > LISTING_MAX_FILES_PER_REPO) continue;
      info.siblingPaths = kept;
    }
    repos.push(info);
  }
  return repos;
}
