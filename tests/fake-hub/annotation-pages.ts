import { discussionSummary, filesAt, lastModifiedAt, sha1 } from "./api";
import { DISCUSSIONS, FILE_TEXTS, type FixtureDiscussion } from "./annotation-catalogue";
import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import { escapeHtml, isReshuffled, pageLayout, repoPath, shell, type PageLayout } from "./pages";

/**
 * Page parts for the row annotations, shaped after shared/reference/hub-pages.md and
 * pages/tree-rows.derived.txt: the tree list (ViewerIndexTreeList rows with a per-row
 * ScanStatusBadge, a "Load more files" button that appends rows client-side), file views
 * (ScanStatusBadge, LastCommit, BlobContent), discussions lists and PR pages, and listing
 * pages (/models, /datasets, /spaces, profiles, collections, search) whose filters replace the
 * list client-side (assets/hydrate.js). No raw HTML of most of these was saved: the markup keeps
 * to what hub-pages.md calls stable (islands, props, href patterns), with Tailwind-like classes.
 */

/** Rows shown before "Load more files". */
export const TREE_PAGE_ROWS = 50;
/** Cards on one listing page. */
export const LISTING_PAGE_SIZE = 100;

function island(target: string, props: unknown, inner = ""): string {
  return `<div class="SVELTE_HYDRATER contents" data-target="${target}" data-props="${escapeHtml(JSON.stringify(props))}">${inner}</div>`;
}

function scanProps(file: FixtureFile): Record<string, unknown> {
  const status = file.scan ?? "unscanned";
  const sub = (name: keyof NonNullable<FixtureFile["scanners"]>, fallback: string) => ({ status: file.scanners?.[name]?.status ?? fallback, message: file.scanners?.[name]?.message ?? null });
  return {
    status,
    protectAiScan: sub("protectAiScan", "unscanned"),
    avScan: sub("avScan", status === "queued" ? "queued" : "safe"),
    pickleImportScan: { ...sub("pickleImportScan", file.imports ? status : "unscanned"), pickleImports: file.imports ?? [], version: "0.0.0" },
    virusTotalScan: sub("virusTotalScan", "unscanned"),
    jFrogScan: sub("jFrogScan", "unscanned"),
  };
}

function scanBadge(repo: FixtureRepo, revision: string, file: FixtureFile): string {
  if (!file.scan) return "";
  const words: Record<string, string> = { safe: "Safe", unsafe: "Unsafe", caution: "Caution", suspicious: "Suspicious", queued: "", error: "Error", unscanned: "" };
  return `<div class="sm:relative ml-1.5">${island(
    "ScanStatusBadge",
    { scanStatus: scanProps(file), repo: { name: repo.id, type: repo.type }, revision, filePath: file.path },
    `<button class="flex h-[1.125rem] select-none items-center gap-0.5 rounded border pl-0.5 pr-0.5 text-xs leading-tight"><svg class="flex-none" viewBox="0 0 22 28" width="10" height="12"></svg><span class="mr-0.5 text-[12px] max-sm:hidden">${escapeHtml(words[file.scan] ?? file.scan)}</span></button>`,
  )}</div>`;
}

function commitOf(repo: FixtureRepo, file: FixtureFile): { id: string; title: string; date: string } {
  const commit = file.lastCommit ?? { title: "initial commit", date: repo.createdAt ?? "2023-01-01T00:00:00.000Z" };
  return { id: commit.id ?? sha1(`${repo.id}:${file.path}:${commit.date}`), title: commit.title, date: commit.date };
}

function timeCell(repo: FixtureRepo, commit: { id: string; title: string; date: string }): string {
  const href = `${repoPath(repo)}/commit/${commit.id}`;
  return `<a class="col-span-3 truncate md:flex lg:col-span-4" href="${escapeHtml(href)}"><span class="truncate">${escapeHtml(commit.title)}</span></a><a class="col-span-2 truncate text-right" href="${escapeHtml(href)}"><time datetime="${escapeHtml(commit.date)}">${escapeHtml(commit.date.slice(0, 10))}</time></a>`;
}

/** One directory level of the tree, as ViewerIndexTreeList rows: folders first, then files. */
export function treeMain(repo: FixtureRepo, revision: string, dir: string, layout: PageLayout = "standard"): string {
  const prefix = dir ? `${dir}/` : "";
  const inDir = filesAt(repo, revision).filter((file) => file.path.startsWith(prefix));
  const folders = [...new Set(inDir.map((file) => file.path.slice(prefix.length)).filter((rest) => rest.includes("/")).map((rest) => rest.split("/")[0] ?? ""))].sort();
  const files = inDir.filter((file) => !file.path.slice(prefix.length).includes("/")).sort((a, b) => a.path.localeCompare(b.path));
  const rev = encodeURIComponent(revision);
  const folderRows = folders.map(
    (folder) =>
      `<li class="grid h-10 grid-cols-12 place-content-center gap-x-3 border-t px-3"><a class="col-span-6 flex items-center hover:underline md:col-span-5 lg:col-span-4" href="${escapeHtml(`${repoPath(repo)}/tree/${rev}/${prefix}${folder}`)}"><span class="truncate">${escapeHtml(folder)}</span></a><div class="col-span-1 md:col-span-2"></div></li>`,
  );
  const fileRows = files.map((file) => {
    const name = file.path.slice(prefix.length);
    return `<li class="relative grid h-10 grid-cols-12 place-content-center gap-x-3 border-t px-3"><div class="col-span-6 flex items-center md:col-span-4"><a class="group flex items-center truncate" href="${escapeHtml(`${repoPath(repo)}/blob/${rev}/${file.path}`)}"><span class="truncate group-hover:underline">${escapeHtml(name)}</span></a>${scanBadge(repo, revision, file)}</div><a class="group col-span-1 flex items-center justify-self-end truncate text-right font-mono md:col-span-3 lg:col-span-2" title="Download file" download="" href="${escapeHtml(`${repoPath(repo)}/resolve/${rev}/${file.path}?download=true`)}"><span class="truncate max-sm:text-xs">${file.size} B</span></a>${timeCell(repo, commitOf(repo, file))}</li>`;
  });
  const rows = [...folderRows, ...fileRows];
  const shown = rows.slice(0, TREE_PAGE_ROWS).join("\n");
  const more = rows.slice(TREE_PAGE_ROWS);
  const loadMore = more.length
    ? `<template data-fake-more-rows>${more.join("\n")}</template><button type="button" class="block w-full border-t py-2 text-sm" data-fake-load-more>Load more files</button>`
    : "";
  const props = { repo: { name: repo.id, type: repo.type }, revision, path: dir };
  if (isReshuffled(layout)) {
    // A redesign: rows are divs of a grid in a renamed island; the file links are still there.
    const grid = rows.map((row) => row.replace(/^<li /, '<div role="row" ').replace(/<\/li>$/, "</div>")).join("\n");
    return island("RepoFileBrowser", props, `<div role="table" class="file-grid">${grid}</div>`);
  }
  return island("ViewerIndexTreeList", props, `<ul class="mb-8 rounded-b-lg border border-t-0">${shown}</ul>${loadMore}`);
}

/** A file view: header, last commit, scan badge and the file's lines as text. */
/**
 * `?fakeHighlight=words`: each line as a code highlighter renders it, one span per word, number
 * and punctuation mark, so a token reaches the page as `<span>hf</span><span>_</span><span>AbC…</span>`.
 */
function highlightedLine(line: string): string {
  return (line.match(/[A-Za-z]+|[0-9]+|\s+|[^A-Za-z0-9\s]/g) ?? [])
    .map((part) => `<span class="${/^[A-Za-z]/.test(part) ? "hljs-name" : /^[0-9]/.test(part) ? "hljs-number" : "hljs-punctuation"}">${escapeHtml(part)}</span>`)
    .join("");
}

export function blobMain(repo: FixtureRepo, revision: string, path: string, highlight = false): string {
  const file = filesAt(repo, revision).find((candidate) => candidate.path === path);
  const text = FILE_TEXTS[`${repo.type}:${repo.id}:${path}`] ?? (file ? `${file.path}: ${file.size} bytes` : "File not found");
  const commit = file ? commitOf(repo, file) : undefined;
  const lines = text
    .split("\n")
    .map((line) => `<tr><td class="blob-line-num"></td><td class="blob-line">${highlight ? highlightedLine(line) : `<span class="hljs-string">${escapeHtml(line)}</span>`}</td></tr>`);
  // The file's raw and download links, as on real blob pages (pages/real/*-blob-*.html: a toolbar with
  // `raw`, then the file); an LFS file is "too big to display" and offers its download in the text too.
  const fileHref = (route: "raw" | "resolve") => `${repoPath(repo)}/${route}/${encodeURIComponent(revision)}/${path}`;
  const toolbar = file
    ? `<div class="relative flex flex-wrap items-center border px-3 py-1.5 text-sm" data-fake-file-links>${file.lfs ? "" : `<a class="my-1 mr-4 flex items-center hover:underline" href="${escapeHtml(fileHref("raw"))}">raw</a>`}<a class="my-1 mr-4 flex items-center hover:underline" title="Download file" download="" href="${escapeHtml(`${fileHref("resolve")}?download=true`)}">download</a></div>`
    : "";
  const tooBig = file?.lfs ? `<p class="p-4 text-gray-500">This file is stored with Xet. It is too big to display, but you can still <a class="underline" href="${escapeHtml(`${fileHref("resolve")}?download=true`)}">download</a> it.</p>` : "";
  return (
    `<section class="pt-8">` +
    island("ViewerHeader", { repo: { name: repo.id, type: repo.type }, revision, filePath: path }, `<header class="flex flex-wrap items-center pb-2"><div class="viewer-header"><span>${escapeHtml(path)}</span></div></header>`) +
    toolbar +
    (commit ? island("LastCommit", { commit: { id: commit.id, title: commit.title, date: commit.date, authors: [{ user: repo.author.name }] } }, `<div class="last-commit">${escapeHtml(commit.title)}</div>`) : "") +
    `<div class="mr-4 flex items-center">${file?.scan ? island("ScanStatusBadge", { scanStatus: scanProps(file), repo: { name: repo.id, type: repo.type }, revision, filePath: path }, `<button>${escapeHtml(file.scan)}</button>`) : ""}</div>` +
    `<div class="relative min-h-[100px] overflow-hidden rounded-b-lg border border-t-0"><div class="py-3">${island("BlobContent", { lines: text.split("\n") }, `<table class="blob-content"><tbody>${lines.join("")}</tbody></table>`)}</div></div>` +
    tooBig +
    `</section>`
  );
}

/** A model card: the README's text when the fixture has one. */
export function cardMain(repo: FixtureRepo): string | undefined {
  const text = FILE_TEXTS[`${repo.type}:${repo.id}:README.md`];
  if (text === undefined) return undefined;
  return `<div class="container prose model-card-content">${text
    .split("\n\n")
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join("")}</div>`;
}

interface ListedDiscussion {
  num: number;
  title: string;
  author: string;
  status: string;
  isPullRequest: boolean;
  createdAt: string;
}

function discussionsOf(repo: FixtureRepo): ListedDiscussion[] {
  const prs = (repo.pullRequests ?? []).map((pr) => ({ num: pr.num, title: pr.title, author: pr.author ?? "deleted", status: pr.status, isPullRequest: true, createdAt: pr.createdAt }));
  const others = (DISCUSSIONS[`${repo.type}:${repo.id}`] ?? []).map((d) => ({ num: d.num, title: d.title, author: d.author, status: "open", isPullRequest: false, createdAt: d.createdAt }));
  return [...prs, ...others].sort((a, b) => b.num - a.num);
}

/** The discussions list: a list island whose props carry each discussion's `isPullRequest`. */
export function communityMain(repo: FixtureRepo, layout: PageLayout = "standard"): string {
  const all = discussionsOf(repo);
  if (isReshuffled(layout)) {
    // A redesign: rows open the thread from a script, with no link to /discussions/N.
    const threads = all.map((d) => `<div role="link" tabindex="0" class="thread-row" data-thread="${d.num}"><span class="thread-title">${escapeHtml(d.title)}</span> <span class="text-gray-500">#${d.num}</span></div>`);
    const threadProps = { threads: all.map((d) => ({ ...d, author: { name: d.author } })), repo: { name: repo.id, type: repo.type } };
    return `<div class="container">${island("RepoThreads", threadProps, `<div class="thread-list">${threads.join("\n") || "<p>No discussions yet</p>"}</div>`)}</div>`;
  }
  const rows = all.map((d) => {
    const href = `${repoPath(repo)}/discussions/${d.num}`;
    return `<li class="flex items-center border-b py-3"><div class="flex-1"><a class="font-semibold hover:underline" href="${escapeHtml(href)}"><h4 class="inline">${escapeHtml(d.title)}</h4></a><div class="text-sm text-gray-500">#${d.num} ${d.isPullRequest ? "pull request" : "discussion"} opened by ${escapeHtml(d.author)} · ${escapeHtml(d.status)}</div></div><a class="text-sm text-gray-400" href="${escapeHtml(href)}">💬 1</a></li>`;
  });
  const props = { discussions: all.map((d) => ({ ...d, author: { name: d.author } })), repo: { name: repo.id, type: repo.type } };
  return `<div class="container">${island("DiscussionList", props, `<ul class="discussions">${rows.join("\n") || "<li>No discussions yet</li>"}</ul>`)}</div>`;
}

/** A discussion or PR page: header island (with `isPullRequest`) and the opening comment as text. */
export function discussionMain(repo: FixtureRepo, num: number, layout: PageLayout = "standard"): string {
  const found = discussionsOf(repo).find((d) => d.num === num);
  const body: FixtureDiscussion | undefined = (DISCUSSIONS[`${repo.type}:${repo.id}`] ?? []).find((d) => d.num === num);
  const pr = repo.pullRequests?.find((candidate) => candidate.num === num);
  const summary = pr ? discussionSummary(repo, pr) : undefined;
  const reshuffled = isReshuffled(layout);
  const header = island(
    reshuffled ? "ThreadTop" : "DiscussionHeader",
    { discussion: { num, title: found?.title ?? "", status: found?.status ?? "open", isPullRequest: found?.isPullRequest ?? false, author: summary?.author ?? { name: found?.author } } },
    reshuffled
      ? `<div class="container"><div class="thread-title text-xl">${escapeHtml(found?.title ?? "Discussion not found")} <span class="text-gray-400">#${num}</span></div></div>`
      : `<div class="container"><h1 class="text-xl">${escapeHtml(found?.title ?? "Discussion not found")} <span class="text-gray-400">#${num}</span></h1></div>`,
  );
  const comment = body?.body ?? (found?.isPullRequest ? "This pull request was opened from the fake Hub's catalogue." : "");
  const events = island("DiscussionEvents", { num }, `<div class="container"><div class="comment prose"><p>${escapeHtml(comment)}</p></div></div>`);
  return `${header}${events}`;
}

function cardHtml(repo: FixtureRepo, layout: PageLayout): string {
  const href = repoPath(repo);
  if (isReshuffled(layout)) {
    return `<div class="repo-tile"><a class="block p-2" href="${escapeHtml(href)}"><div class="tile-name font-mono">${escapeHtml(repo.id)}</div><div class="text-sm text-gray-400">${escapeHtml(repo.type)}</div></a></div>`;
  }
  return `<article class="overview-card-wrapper group/repo"><a class="block p-2" href="${escapeHtml(href)}"><header class="flex items-center mb-0.5" title="${escapeHtml(repo.id)}"><h4 class="text-md truncate font-mono">${escapeHtml(repo.id)}</h4></header><div class="text-sm text-gray-400">${escapeHtml(repo.type)} · updated ${escapeHtml(lastModifiedAt(repo, "main").slice(0, 10))}</div></a></article>`;
}

function listItem(repo: FixtureRepo): Record<string, unknown> {
  return {
    id: repo.id,
    author: repo.author.name,
    authorData: { name: repo.author.name, fullname: repo.author.fullname ?? repo.author.name, type: repo.author.kind, isHf: false },
    downloads: 120,
    likes: 3,
    gated: repo.gated ?? false,
    private: false,
    lastModified: lastModifiedAt(repo, "main"),
    repoType: repo.type,
  };
}

/** A promotional card mixed into the list (hub-pages.md): links elsewhere, gets no mark. */
const PROMO = `<article class="overview-card-wrapper promo"><a class="block p-2" href="/spaces"><header title="Spaces"><h4>Discover amazing AI apps made by the community</h4></header></a></article>`;

export interface ListingOptions {
  title: string;
  url: string;
  target: string;
  repos: FixtureRepo[];
  /** Links that replace the list client-side (assets/hydrate.js `data-fake-filter`). */
  filters?: { label: string; href: string }[];
  intro?: string;
}

/**
 * A listing page: an island whose props carry `initialValues.models[]`-like items and a grid of
 * cards. `data-fake-list` marks the container a client-side filter replaces.
 */
export function listingPage(options: ListingOptions): string {
  const layout = pageLayout(new URL(options.url).searchParams.get("fakeLayout"));
  const cards = options.repos.map((repo) => cardHtml(repo, layout));
  if (cards.length > 3 && !isReshuffled(layout)) cards.splice(3, 0, PROMO);
  const filters = (options.filters ?? [])
    .map((filter) => `<a class="tag" data-fake-filter href="${escapeHtml(filter.href)}">${escapeHtml(filter.label)}</a>`)
    .join(" ");
  const props = { initialValues: { models: options.repos.map(listItem), numTotalItems: options.repos.length, pageIndex: 0 } };
  const main = `<div class="container"><h1 class="text-lg">${escapeHtml(options.title)}</h1>${options.intro ? `<p>${escapeHtml(options.intro)}</p>` : ""}<div class="filters">${filters}</div>${island(
    isReshuffled(layout) ? `${options.target}Grid` : options.target,
    props,
    `<div class="grid grid-cols-1 gap-5 xl:grid-cols-2" data-fake-list>${cards.join("\n")}</div>`,
  )}</div>`;
  return shell({ title: `${options.title} - Hugging Face`, url: options.url, bodyClass: "", main });
}

function matches(repo: FixtureRepo, search: string): boolean {
  return search === "" || repo.id.toLowerCase().includes(search.toLowerCase());
}

/** The one collection of the fake Hub: a few repos of each type. */
export const COLLECTION_PATH = "/collections/annot-org/reviewed-picks-65f0c0ffee";

/**
 * Listing pages by URL, or undefined when the URL is not one: /models, /datasets, /spaces (with
 * `?search=` and `?p=`), /search?q=, the collection, and /{owner} profiles of catalogue authors.
 */
export function listingFor(url: URL, catalogue: FixtureRepo[]): string | undefined {
  const segments = url.pathname.split("/").filter(Boolean);
  const search = url.searchParams.get("search") ?? "";
  const pageIndex = Math.max(0, Number(url.searchParams.get("p") ?? "0") || 0);
  const page = (repos: FixtureRepo[]) => repos.slice(pageIndex * LISTING_PAGE_SIZE, (pageIndex + 1) * LISTING_PAGE_SIZE);
  const [first] = segments;
  if (segments.length === 1 && (first === "models" || first === "datasets" || first === "spaces")) {
    const type = first === "models" ? "model" : first === "datasets" ? "dataset" : "space";
    // Repos with injected faults stay off listings: a 429 (busy-org/rate-limited) rightly pauses every
    // request of the extension, which would leave the other cards unknown (tested on its own).
    const repos = catalogue.filter((repo) => repo.type === type && !repo.faults && matches(repo, search));
    const base = `/${first}`;
    return listingPage({
      title: first === "models" ? "Models" : first === "datasets" ? "Datasets" : "Spaces",
      url: url.href,
      target: first === "models" ? "ModelList" : first === "datasets" ? "DatasetList" : "SpaceList",
      repos: page(repos),
      intro: `${repos.length} results`,
      filters: [
        { label: "All", href: base },
        { label: "listing-beta", href: `${base}?search=listing-beta` },
        { label: "legacy-lab", href: `${base}?search=legacy-lab` },
        { label: "Next page", href: `${base}?search=${encodeURIComponent(search)}&p=${pageIndex + 1}` },
      ],
    });
  }
  if (segments.length === 1 && first === "search") {
    const q = url.searchParams.get("q") ?? "";
    return listingPage({ title: `Search results for “${q}”`, url: url.href, target: "FullTextSearch", repos: catalogue.filter((repo) => matches(repo, q)).slice(0, LISTING_PAGE_SIZE) });
  }
  if (url.pathname === COLLECTION_PATH) {
    const ids = ["sentinel-verified/tiny-safetensors", "fresh-uploader-7/pickle-rce", "sentinel-verified/parquet-corpus", "space-builder/docker-oauth", "annot-org/pr-mix"];
    const repos = ids.flatMap((id) => catalogue.filter((repo) => repo.id === id));
    return listingPage({ title: "Reviewed picks", url: url.href, target: "CollectionPage", repos });
  }
  if (segments.length === 1 && first !== undefined) {
    const owner = first.toLowerCase();
    const repos = catalogue.filter((repo) => repo.author.name.toLowerCase() === owner && repo.id.toLowerCase().startsWith(`${owner}/`));
    if (repos.length === 0) return undefined;
    const author = repos[0]?.author;
    return listingPage({
      title: author?.fullname ?? author?.name ?? first,
      url: url.href,
      target: author?.kind === "org" ? "OrgProfile" : "UserProfile",
      repos: repos.slice(0, LISTING_PAGE_SIZE),
    });
  }
  return undefined;
}

/**
 * `GET /api/{type}s/{id}/commits/{rev}` (api-samples/16): the commits that last touched each file,
 * newest first, each authored by the repo's owner unless the commit id says otherwise.
 */
export function commitList(repo: FixtureRepo, revision: string, limit: number): Record<string, unknown>[] {
  const commits = new Map<string, { id: string; title: string; date: string }>();
  for (const file of filesAt(repo, revision)) {
    const commit = commitOf(repo, file);
    commits.set(commit.id, commit);
  }
  return [...commits.values()]
    .sort((a, b) => b.date.localeCompare(a.date))
    .slice(0, limit)
    .map((commit) => ({ id: commit.id, title: commit.title, message: "", authors: [{ user: repo.author.name, avatar: "/avatars/x.svg" }], date: commit.date }));
}

/** The page's main part for the annotation pages, or undefined to keep the default (pages.ts `repoPage`). */
export function annotationMain(repo: FixtureRepo, tab: string, url: string, extra: { revision?: string; path?: string; discussion?: number; layout?: PageLayout }): string | undefined {
  const layout = extra.layout ?? "standard";
  const revision = extra.revision ?? "main";
  if (tab === "files") {
    const pathname = new URL(url).pathname;
    const marker = `/tree/${encodeURIComponent(revision)}/`;
    const at = pathname.indexOf(marker);
    const dir = at >= 0 ? decodeURIComponent(pathname.slice(at + marker.length)).replace(/\/$/, "") : "";
    return treeMain(repo, revision, dir, layout);
  }
  if (tab === "blob") return blobMain(repo, revision, extra.path ?? "", new URL(url).searchParams.get("fakeHighlight") === "words");
  if (tab === "community") return communityMain(repo, layout);
  if (tab === "discussion" && extra.discussion !== undefined) return discussionMain(repo, extra.discussion, layout);
  if (tab === "card") return cardMain(repo);
  return undefined;
}
