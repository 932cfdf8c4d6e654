import { isRepoId, type RepoRef, type RepoType } from "./repo-ref";

/** What a huggingface.co URL shows, as far as the extension cares. */
export type HubPage =
  | { kind: "repo"; repo: RepoRef; tab: RepoTab; revisionFromUrl: boolean; path?: string; discussion?: number }
  | { kind: "listing"; listing: "models" | "datasets" | "spaces" | "profile" | "collection" | "search" };

export type RepoTab = "card" | "files" | "blob" | "commits" | "commit" | "community" | "discussion" | "app" | "other";

export const HUB_HOSTS = ["huggingface.co", "hf.co"] as const;

/**
 * First path segments that are not owners (hub-pages.md, observed). A one-segment path such as
 * `/gpt2` is a legacy id that the Hub redirects; after the redirect the URL has two segments.
 */
const RESERVED = new Set(
  (
    "models datasets spaces docs enterprise pricing login join logout front avatars posts settings api oauth " +
    "organizations papers blog collections tasks new new-space new-dataset new-model buckets storage jobs subscribe pro contact " +
    "playground inference inference-endpoints inference-providers mcp cli search notifications changelog templates " +
    "languages hardware support course learn chat tags terms privacy brand .well-known models-json spaces-json datasets-json"
  ).split(" "),
);

const REPO_ROUTES: Record<string, RepoTab> = {
  tree: "files",
  blob: "blob",
  resolve: "blob",
  raw: "blob",
  blame: "blob",
  edit: "blob",
  commits: "commits",
  commit: "commit",
  discussions: "community",
};

export function isHubHost(hostname: string): boolean {
  return (HUB_HOSTS as readonly string[]).includes(hostname.toLowerCase());
}

/** Pure: never reads `location`; callers pass the URL in. */
export function parseHubUrl(url: URL): HubPage | undefined {
  if (url.protocol !== "https:" || !isHubHost(url.hostname)) return undefined;
  let segments: string[];
  try {
    segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined; // a malformed %-escape is not a page we annotate
  }
  const [first, ...rest] = segments;
  if (first === undefined) return undefined;
  if (first === "models" || first === "datasets" || first === "spaces") {
    if (rest.length === 0) return { kind: "listing", listing: first };
    const type: RepoType = first === "datasets" ? "dataset" : first === "spaces" ? "space" : "model";
    // `/models/owner/name` is not a route: model pages live at `/owner/name`.
    if (type === "model") return undefined;
    return repoPage(type, rest);
  }
  if (first === "collections" && rest.length >= 2) return { kind: "listing", listing: "collection" };
  if (first === "search") return { kind: "listing", listing: "search" };
  if (RESERVED.has(first.toLowerCase())) return undefined;
  if (segments.length === 1) return { kind: "listing", listing: "profile" };
  return repoPage("model", segments);
}

function repoPage(type: RepoType, segments: string[]): HubPage | undefined {
  const [owner, name, route, ...rest] = segments;
  if (owner === undefined || name === undefined) return undefined;
  const id = `${owner}/${name}`;
  if (!isRepoId(id)) return undefined;
  const base = { kind: "repo" as const, revisionFromUrl: false };
  if (route === undefined) return { ...base, repo: { type, id, revision: "main" }, tab: type === "space" ? "app" : "card" };
  const tab = REPO_ROUTES[route];
  if (tab === undefined) return { ...base, repo: { type, id, revision: "main" }, tab: "other" };
  if (tab === "community") {
    const num = rest[0] !== undefined && /^\d+$/.test(rest[0]) ? Number(rest[0]) : undefined;
    if (num !== undefined) return { ...base, repo: { type, id, revision: "main" }, tab: "discussion", discussion: num };
    return { ...base, repo: { type, id, revision: "main" }, tab };
  }
  if (tab === "commit") return { ...base, repo: { type, id, revision: rest[0] ?? "main" }, tab, revisionFromUrl: rest[0] !== undefined };
  if (rest.length === 0) return { ...base, repo: { type, id, revision: "main" }, tab };
  const { revision, remainder } = splitRevision(rest);
  const page: HubPage = { ...base, repo: { type, id, revision }, tab, revisionFromUrl: true };
  if (remainder.length > 0) page.path = remainder.join("/");
  return page;
}

/** `refs/pr/3` arrives either encoded as one segment or as three; both mean the PR's ref. */
function splitRevision(rest: string[]): { revision: string; remainder: string[] } {
  const [head, second, third, ...after] = rest;
  if (head === "refs" && (second === "pr" || second === "convert") && third !== undefined) {
    return { revision: `refs/${second}/${third}`, remainder: after };
  }
  return { revision: head ?? "main", remainder: rest.slice(1) };
}

/** How a revision is named to a person: "main", "PR #3", "commit 1a2b3c4", "branch dev". */
export function describeRevision(revision: string): string {
  const pr = /^refs\/pr\/(\d+)$/.exec(revision);
  if (pr) return `PR #${pr[1]}`;
  if (/^[0-9a-f]{40}$/.test(revision)) return `commit ${revision.slice(0, 7)}`;
  return revision;
}
