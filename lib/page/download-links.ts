/**
 * Which links download which file (the download guard, issue 27). A link downloads a repo file when
 * its URL is the Hub's `/{repo}/resolve/{rev}/{path}` or `/{repo}/raw/{rev}/{path}`, on huggingface.co
 * or hf.co, whatever the element looks like: file rows' `a[download][href$="?download=true"]`
 * (hub-pages.md, tree rows), a file page's raw link and its download links
 * (shared/reference/pages/real/*-blob-*.html: `a[href="/{id}/raw/main/{path}"]`), and links to files
 * anywhere in a page's text. Judged from the URL alone, so a renamed class or a new button keeps
 * being guarded. Pure: callers pass the page's URL in for relative hrefs.
 */
import { isHubHost, parseHubUrl } from "../hub-url";
import type { RepoRef } from "../repo-ref";

export type DownloadRoute = "resolve" | "raw";

export interface DownloadTarget {
  repo: RepoRef;
  /** The file's path in the repo, decoded. */
  path: string;
  route: DownloadRoute;
  /** The absolute URL the link asks for, as the browser would send it (https, the link's host). */
  url: string;
}

const ROUTES: ReadonlySet<string> = new Set<DownloadRoute>(["resolve", "raw"]);

export function downloadTargetOf(href: string, base: string | URL): DownloadTarget | undefined {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return undefined;
  }
  // http:// redirects to the same https:// download: the request for the file follows all the same.
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !isHubHost(url.hostname)) return undefined;
  url.protocol = "https:";
  const segments = url.pathname.split("/").filter(Boolean);
  // The route follows the repo's segments: `/owner/name/…` for models, `/datasets|spaces/owner/name/…`.
  const route = segments[segments[0] === "datasets" || segments[0] === "spaces" ? 3 : 2];
  if (route === undefined || !ROUTES.has(route)) return undefined;
  const page = parseHubUrl(url);
  if (page?.kind !== "repo" || page.path === undefined) return undefined;
  return { repo: page.repo, path: page.path, route: route as DownloadRoute, url: url.href };
}

