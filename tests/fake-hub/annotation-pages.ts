import { discussionSummary, filesAt, lastModifiedAt, sha1 } from "./api";
import { DISCUSSIONS, FILE_TEXTS, type FixtureDiscussion } from "./annotation-catalogue";
import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import { avatarUrl, formatHubSize, ICON, scanBadgeButton, timeElement } from "./hub-markup";
import { cardLayout, escapeHtml, isReshuffled, pageLayout, repoPath, shell, type PageLayout } from "./pages";

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

function scanBadge(repo: FixtureRepo, revision: string, file: FixtureFile, place: "row" | "view"): string {
  if (!file.scan) return "";
  return `<div class="sm:relative ${place === "row" ? "ml-1.5" : "mr-2"}">${island(
    "ScanStatusBadge",
    { scanStatus: scanProps(file), repo: { name: repo.id, type: repo.type }, revision, filePath: file.path },
    scanBadgeButton(file.scan),
  )}</div>`;
}

function commitOf(repo: FixtureRepo, file: FixtureFile): { id: string; title: string; date: string } {
  const commit = file.lastCommit ?? { title: "initial commit", date: repo.createdAt ?? "2023-01-01T00:00:00.000Z" };
  return { id: commit.id ?? sha1(`${repo.id}:${file.path}:${commit.date}`), title: commit.title, date: commit.date };
}

function timeCell(repo: FixtureRepo, commit: { id: string; title: string; date: string }): string {
  const href = `${repoPath(repo)}/commit/${commit.id}`;
  return `<a class="col-span-3 hidden truncate text-gray-400 md:flex lg:col-span-4" href="${escapeHtml(href)}"><span class="truncate">${escapeHtml(commit.title)}</span></a><a class="col-span-2 truncate text-right text-gray-400" href="${escapeHtml(href)}">${timeElement(commit.date)}</a>`;
}

/** The newest commit among the files shown: the tree's and file view's last-commit box. */
function latestCommit(repo: FixtureRepo, files: FixtureFile[]): { id: string; title: string; date: string } {
  const commits = files.map((file) => commitOf(repo, file));
  return commits.reduce((latest, commit) => (Date.parse(commit.date) > Date.parse(latest.date) ? commit : latest), commits[0] ?? commitOf(repo, { path: "", size: 0 }));
}

/** The last-commit box above a file list or file view (the real LastCommit island's markup). */
function lastCommitBox(repo: FixtureRepo, commit: { id: string; title: string; date: string }, rounded: "top" | "all"): string {
  const user = repo.author.name;
  return `<div class="from-gray-100-to-white bg-linear-to-t flex flex-wrap items-baseline gap-y-1 ${rounded === "top" ? "rounded-t-lg border-b-0" : "rounded-lg"} border px-3 py-2 dark:border-gray-800"><img class="mr-2.5 mt-0.5 h-4 w-4 self-center rounded-full" alt="${escapeHtml(user)}'s picture" src="${escapeHtml(avatarUrl(user))}"><div class="mr-4 flex flex-none items-center truncate"><a class="hover:underline" href="/${escapeHtml(user)}">${escapeHtml(user)}</a></div><div class="mr-4 truncate font-mono text-xs text-gray-500 sm:text-sm">${escapeHtml(commit.title)}</div><a class="rounded-sm border bg-gray-50 px-1.5 text-sm hover:underline dark:border-gray-800 dark:bg-gray-900" href="${escapeHtml(`${repoPath(repo)}/commit/${commit.id}`)}">${escapeHtml(commit.id.slice(0, 7))}</a>${timeElement(commit.date, "ml-auto hidden flex-none truncate pl-2 text-gray-500 dark:text-gray-400 lg:block")}</div>`;
}

/** The bar above a file list or view: the branch button and the path as breadcrumb links into the tree. */
function viewerBar(repo: FixtureRepo, revision: string, path: string, right = ""): string {
  const rev = encodeURIComponent(revision);
  const [, name] = repo.id.split("/") as [string, string];
  const parts = path === "" ? [] : path.split("/");
  const crumbs = parts
    .map((part, index) => {
      const last = index === parts.length - 1;
      const href = `${repoPath(repo)}/tree/${rev}/${parts.slice(0, index + 1).join("/")}`;
      return `<span class="mx-1 text-gray-300">/</span>${last ? `<span class="dark:text-gray-300">${escapeHtml(part)}</span>` : `<a class="truncate text-gray-800 hover:underline" href="${escapeHtml(href)}">${escapeHtml(part)}</a>`}`;
    })
    .join("");
  return `<header class="flex flex-wrap items-center justify-start pb-2 md:justify-end lg:flex-nowrap"><div class="grow max-md:flex max-md:w-full max-md:items-start max-md:justify-between"><div class="relative mr-4 flex min-w-0 basis-auto flex-wrap items-center md:grow md:basis-full lg:basis-auto lg:flex-nowrap"><div class="relative mr-3 mb-2"><button class="text-sm md:text-base btn w-full cursor-pointer" type="button">${ICON.branch("mr-1.5 text-gray-700 dark:text-gray-400")} ${escapeHtml(revision)} ${ICON.chevronDown("-mr-1 text-gray-500")}</button></div><div class="relative mb-2 flex flex-wrap items-center"><a class="truncate text-gray-800 hover:underline" href="${escapeHtml(`${repoPath(repo)}/tree/${rev}`)}">${escapeHtml(name)}</a>${crumbs}</div></div></div>${right}</header>`;
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
      `<li class="grid h-10 grid-cols-12 place-content-center gap-x-3 border-t px-3 dark:border-gray-800"><a class="col-span-6 flex items-center hover:underline md:col-span-5 lg:col-span-4" href="${escapeHtml(`${repoPath(repo)}/tree/${rev}/${prefix}${folder}`)}">${ICON.folder("flex-none mr-2 text-blue-400 fill-current")}<span class="truncate">${escapeHtml(folder)}</span></a><div class="col-span-1 md:col-span-2"></div></li>`,
  );
  const fileRows = files.map((file) => {
    const name = file.path.slice(prefix.length);
    const download = `<a class="group col-span-1 flex items-center justify-self-end truncate text-right font-mono text-[0.8rem] leading-6 text-gray-400 md:col-span-3 lg:col-span-2 xl:pr-10" title="Download file" download="" href="${escapeHtml(`${repoPath(repo)}/resolve/${rev}/${file.path}?download=true`)}"><span class="truncate max-sm:text-xs">${escapeHtml(formatHubSize(file.size))}</span><div class="group-hover:shadow-xs ml-2 flex h-5 w-5 items-center justify-center rounded-sm border text-gray-500 group-hover:bg-gray-50 group-hover:text-gray-800 dark:border-gray-800 dark:group-hover:bg-gray-800 dark:group-hover:text-gray-300 xl:ml-4">${ICON.download()}</div></a>`;
    return `<li class="relative grid h-10 grid-cols-12 place-content-center gap-x-3 border-t px-3 dark:border-gray-800"><div class="col-span-6 flex items-center md:col-span-4"><a class="group flex items-center truncate" href="${escapeHtml(`${repoPath(repo)}/blob/${rev}/${file.path}`)}">${ICON.file("flex-none mr-2 text-gray-300")}<span class="truncate group-hover:underline">${escapeHtml(name)}</span></a>${scanBadge(repo, revision, file, "row")}</div>${download}${timeCell(repo, commitOf(repo, file))}</li>`;
  });
  const rows = [...folderRows, ...fileRows];
  const shown = rows.slice(0, TREE_PAGE_ROWS).join("\n");
  const more = rows.slice(TREE_PAGE_ROWS);
  const loadMore = more.length
    ? `<template data-fake-more-rows>${more.join("\n")}</template><button type="button" class="block w-full rounded-b-lg border border-t-0 py-2 text-sm text-gray-600 hover:bg-gray-50 dark:border-gray-800 dark:text-gray-300 dark:hover:bg-gray-900" data-fake-load-more>Load more files</button>`
    : "";
  const props = { repo: { name: repo.id, type: repo.type }, revision, path: dir };
  if (isReshuffled(layout)) {
    // A redesign: rows are divs of a grid in a renamed island; the file links are still there.
    const grid = rows.map((row) => row.replace(/^<li /, '<div role="row" ').replace(/<\/li>$/, "</div>")).join("\n");
    return island("RepoFileBrowser", props, `<div role="table" class="file-grid">${grid}</div>`);
  }
  // Files uploaded together share a commit: count them by title and date.
  const commits = new Set(filesAt(repo, revision).map((file) => { const commit = commitOf(repo, file); return `${commit.title} ${commit.date}`; })).size;
  const history = `<div class="mb-2 flex w-full items-center gap-2 md:w-auto"><div class="flex items-center whitespace-nowrap rounded-lg border px-2.5 py-1 text-sm text-gray-600 dark:border-gray-800 dark:text-gray-300">${ICON.users("mr-1.5 text-gray-400")} 1 contributor</div><a class="flex items-center whitespace-nowrap rounded-lg border px-2.5 py-1 text-sm text-gray-600 hover:bg-gray-50 dark:border-gray-800 dark:text-gray-300 dark:hover:bg-gray-900" href="${escapeHtml(`${repoPath(repo)}/commits/${rev}`)}">${ICON.history("mr-1.5 text-gray-400")} History: ${commits} commit${commits === 1 ? "" : "s"}</a></div>`;
  const list = island("ViewerIndexTreeList", props, `<ul class="${more.length ? "" : "mb-8 rounded-b-lg "}border border-t-0 dark:border-gray-800 dark:bg-gray-900">${shown}</ul>${loadMore}`);
  return `<div class="container relative flex flex-col md:grid md:space-y-0 w-full md:grid-cols-12 space-y-4 md:gap-6 mb-16"><section class="pt-8 border-gray-100 col-span-full">${viewerBar(repo, revision, dir, history)}${lastCommitBox(repo, latestCommit(repo, inDir), "top")}${list}</section></div>`;
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
  const own = FILE_TEXTS[`${repo.type}:${repo.id}:${path}`];
  const commit = file ? commitOf(repo, file) : undefined;
  const rev = encodeURIComponent(revision);
  const base = repoPath(repo);
  // What the Hub shows of a file: its lines, or for a large (LFS) file a note with a download link.
  let body: string;
  if (own === undefined && file?.lfs) {
    body = `<div class="p-4 py-8 text-center">This file is stored with <a class="underline" href="https://huggingface.co/docs/hub/xet/index">Xet</a>. It is too big to display, but you can still <a class="underline" download="" href="${escapeHtml(`${base}/resolve/${rev}/${path}?download=true`)}">download</a> it.</div>`;
  } else {
    const text = own ?? (file ? `${file.path}: ${file.size} bytes` : "File not found");
    const lines = text
      .split("\n")
      .map(
        (line, index) =>
          `<tr id="L${index + 1}"><td class="blob-line-num sticky left-0 w-1 cursor-pointer select-none pl-5 pr-3 text-right align-top text-gray-400/80 bg-white dark:bg-gray-950 dark:text-gray-500" data-line-num="${index + 1}"><div class="absolute inset-y-0 right-0 border-r"></div></td><td class="blob-line overflow-visible px-3 whitespace-pre">${highlight ? highlightedLine(line) : `<span class="hljs-string">${escapeHtml(line)}</span>`}</td></tr>`,
      );
    body = `<div class="py-3">${island("BlobContent", { lines: text.split("\n") }, `<div class="overflow-x-auto text-sm"><table class="blob-content min-w-full border-collapse font-mono"><tbody>${lines.join("")}</tbody></table></div>`)}</div>`;
  }
  const actions = [
    [`${base}/raw/${rev}/${path}`, "raw", ICON.file("mr-1.5")],
    [`${base}/commits/${rev}/${path}`, "history", ICON.history("mr-1.5")],
    [`${base}/blame/${rev}/${path}`, "blame", ICON.card("mr-1.5")],
  ]
    .map(([href, label, icon]) => `<a class="my-1 mr-4 flex items-center hover:underline" href="${escapeHtml(href ?? "")}">${icon} ${label}</a>`)
    .join("");
  // The file's own download link, as the Hub's bar has it (the download guard holds a click on it).
  const download = file ? `<a class="my-1 mr-4 flex items-center hover:underline" title="Download file" download="" href="${escapeHtml(`${base}/resolve/${rev}/${path}?download=true`)}">${ICON.download("mr-1.5")} download</a>` : "";
  const copy = `<button class="my-1 mr-4 flex items-center no-underline hover:underline" title="Copy download link" type="button">${ICON.copy()} <span class="ml-1.5">Copy download link</span></button>`;
  const bar = `<div class="relative flex flex-wrap items-center border px-3 py-1.5 text-sm text-gray-800 dark:border-gray-800 dark:bg-gray-900" data-fake-file-links>${actions}${download}${copy}<div class="mr-4 flex items-center">${file?.scan ? scanBadge(repo, revision, file, "view") : ""}</div><div class="flex items-center gap-x-3 dark:text-gray-300 sm:ml-auto">${file ? escapeHtml(formatHubSize(file.size)) : ""}</div></div>`;
  return (
    `<div class="container relative flex flex-col md:grid md:space-y-0 w-full md:grid-cols-12 space-y-4 md:gap-6 mb-16"><section class="pt-8 border-gray-100 col-span-full">` +
    island("ViewerHeader", { repo: { name: repo.id, type: repo.type }, revision, filePath: path }, viewerBar(repo, revision, path)) +
    (commit ? island("LastCommit", { commit: { id: commit.id, title: commit.title, date: commit.date, authors: [{ user: repo.author.name }] } }, lastCommitBox(repo, commit, "top")) : "") +
    bar +
    `<div class="relative min-h-[100px] rounded-b-lg border border-t-0 leading-tight dark:border-gray-800 dark:bg-gray-925">${body}</div>` +
    `</section></div>`
  );
}

/** A model card: the README's text when the fixture has one. */
export function cardMain(repo: FixtureRepo): string | undefined {
  const text = FILE_TEXTS[`${repo.type}:${repo.id}:README.md`];
  if (text === undefined) return undefined;
  return cardLayout(
    repo,
    text
      .split("\n\n")
      .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
      .join(""),
  );
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
    const icon = d.isPullRequest ? ICON.pullRequest(`flex-none text-lg ${d.status === "open" ? "text-green-600" : "text-gray-400"}`) : ICON.discussion("flex-none text-lg text-gray-400");
    return `<li class="flex items-center gap-3 border-t px-4 py-3 first:border-t-0 dark:border-gray-800">${icon}<div class="min-w-0 flex-1"><a class="font-semibold hover:underline" href="${escapeHtml(href)}"><h4 class="inline">${escapeHtml(d.title)}</h4></a><div class="mt-0.5 text-sm text-gray-500">#${d.num} ${d.isPullRequest ? "pull request" : "discussion"} opened ${timeElement(d.createdAt)} by <a class="hover:underline" href="/${escapeHtml(d.author)}">${escapeHtml(d.author)}</a></div></div>${statusPill(d.status)}<a class="flex items-center gap-1 text-sm text-gray-400" href="${escapeHtml(href)}">${ICON.community()} 1</a></li>`;
  });
  const props = { discussions: all.map((d) => ({ ...d, author: { name: d.author } })), repo: { name: repo.id, type: repo.type } };
  const open = all.filter((d) => d.status === "open" || d.status === "draft").length;
  const toolbar = `<div class="mb-4 flex flex-wrap items-center gap-2"><div class="flex items-center gap-1 rounded-lg border p-0.5 text-sm dark:border-gray-800"><span class="rounded-md bg-gray-100 px-2 py-0.5 font-semibold dark:bg-gray-800">All</span><span class="px-2 py-0.5 text-gray-500">Discussions</span><span class="px-2 py-0.5 text-gray-500">Pull requests</span></div><div class="text-sm text-gray-500">${open} open · ${all.length - open} closed</div><button class="btn ml-auto text-sm" type="button">${ICON.community("mr-1.5")} New discussion</button></div>`;
  const list = `<ul class="discussions rounded-lg border dark:border-gray-800 dark:bg-gray-900">${rows.join("\n") || '<li class="px-4 py-8 text-center text-gray-500">No discussions yet</li>'}</ul>`;
  return `<div class="container pt-8 mb-16">${toolbar}${island("DiscussionList", props, list)}</div>`;
}

/** A discussion's status as a small pill, coloured as the Hub colours open, merged and closed. */
function statusPill(status: string): string {
  const tone =
    status === "open"
      ? "border-green-200 bg-green-50 text-green-700 dark:border-green-800 dark:bg-green-900 dark:text-green-300"
      : status === "merged"
        ? "border-purple-200 bg-purple-50 text-purple-700 dark:border-purple-800 dark:bg-purple-900 dark:text-purple-300"
        : "border-gray-200 bg-gray-50 text-gray-500 dark:border-gray-700 dark:bg-gray-800 dark:text-gray-400";
  return `<span class="flex-none rounded-full border px-2 text-xs leading-5 ${tone}">${escapeHtml(status)}</span>`;
}

/** A discussion or PR page: header island (with `isPullRequest`) and the opening comment as text. */
export function discussionMain(repo: FixtureRepo, num: number, layout: PageLayout = "standard"): string {
  const found = discussionsOf(repo).find((d) => d.num === num);
  const body: FixtureDiscussion | undefined = (DISCUSSIONS[`${repo.type}:${repo.id}`] ?? []).find((d) => d.num === num);
  const pr = repo.pullRequests?.find((candidate) => candidate.num === num);
  const summary = pr ? discussionSummary(repo, pr) : undefined;
  const reshuffled = isReshuffled(layout);
  const headerProps = { discussion: { num, title: found?.title ?? "", status: found?.status ?? "open", isPullRequest: found?.isPullRequest ?? false, author: summary?.author ?? { name: found?.author } } };
  // The PR's mark goes right after the header island: the title's row holds both.
  const header = reshuffled
    ? island("ThreadTop", headerProps, `<div class="container"><div class="thread-title text-xl">${escapeHtml(found?.title ?? "Discussion not found")} <span class="text-gray-400">#${num}</span></div></div>`)
    : `<div class="container pt-8"><div class="mb-2 flex flex-wrap items-center">${island("DiscussionHeader", headerProps, `<h1 class="text-xl font-semibold md:text-2xl">${escapeHtml(found?.title ?? "Discussion not found")} <span class="font-normal text-gray-400">#${num}</span></h1>`)}</div><div class="mb-6 flex flex-wrap items-center gap-2 border-b pb-4 text-sm text-gray-500 dark:border-gray-800">${statusPill(found?.status ?? "open")}<a class="font-semibold text-gray-700 hover:underline dark:text-gray-300" href="/${escapeHtml(found?.author ?? "")}">${escapeHtml(found?.author ?? "")}</a> opened this ${found?.isPullRequest ? "pull request" : "discussion"} ${found ? timeElement(found.createdAt) : ""}${found?.isPullRequest ? ` <span class="rounded-sm border bg-gray-50 px-1.5 font-mono text-xs dark:border-gray-800 dark:bg-gray-900">refs/pr/${num}</span>` : ""}</div></div>`;
  const comment = body?.body ?? (found?.isPullRequest ? "This pull request was opened from the fake Hub's catalogue." : "");
  const author = found?.author ?? "";
  const events = island(
    "DiscussionEvents",
    { num },
    reshuffled
      ? `<div class="container"><div class="comment prose"><p>${escapeHtml(comment)}</p></div></div>`
      : `<div class="container mb-16"><div class="flex gap-3"><img alt="" class="mt-1 h-8 w-8 flex-none rounded-full" src="${escapeHtml(avatarUrl(author))}"><div class="min-w-0 flex-1 rounded-lg border dark:border-gray-800"><div class="flex items-center gap-2 rounded-t-lg border-b bg-gray-50 px-4 py-2 text-sm dark:border-gray-800 dark:bg-gray-900"><a class="font-semibold hover:underline" href="/${escapeHtml(author)}">${escapeHtml(author)}</a>${found ? `<span class="text-gray-500">${timeElement(found.createdAt)}</span>` : ""}</div><div class="comment prose px-4 py-3"><p>${escapeHtml(comment)}</p></div></div></div></div>`,
  );
  return `${header}${events}`;
}

function cardHtml(repo: FixtureRepo, layout: PageLayout): string {
  const href = repoPath(repo);
  if (isReshuffled(layout)) {
    return `<div class="repo-tile"><a class="block p-2" href="${escapeHtml(href)}"><div class="tile-name font-mono">${escapeHtml(repo.id)}</div><div class="text-sm text-gray-400">${escapeHtml(repo.type)}</div></a></div>`;
  }
  const dot = '<span class="px-1.5 text-gray-300 dark:text-gray-600">•</span>';
  const kind = repo.type === "model" ? (repo.tags?.includes("gguf") ? "Text Generation" : repo.tags?.includes("bert") ? "Fill-Mask" : "") : repo.type === "space" ? (repo.sdk ?? "") : "";
  const meta = [kind ? `${escapeHtml(kind)}${dot}` : "", `<span class="truncate">Updated ${timeElement(lastModifiedAt(repo, "main"))}</span>`, `${dot}${ICON.download("mr-1 flex-none")}120`, `${dot}${ICON.heart("mr-1 flex-none")}3`].join("");
  return `<article class="overview-card-wrapper group/repo"><a class="block p-2" href="${escapeHtml(href)}"><header class="flex items-center mb-0.5" title="${escapeHtml(repo.id)}"><img alt="" class="mr-1.5 size-3 flex-none rounded-sm" src="${escapeHtml(avatarUrl(repo.author.name))}"><h4 class="text-md truncate font-mono text-black group-hover/repo:text-indigo-600 dark:group-hover/repo:text-yellow-500 text-smd">${escapeHtml(repo.id)}</h4></header><div class="mr-1 flex items-center overflow-hidden whitespace-nowrap text-sm leading-tight text-gray-400">${meta}</div></a></article>`;
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
const PROMO = `<article class="overview-card-wrapper promo bg-linear-to-r from-yellow-50 to-white dark:from-gray-900 dark:to-gray-950"><a class="block p-2" href="/spaces"><header class="flex items-center mb-0.5" title="Spaces">${ICON.app("mr-1.5 flex-none text-yellow-500")}<h4 class="text-md truncate font-semibold">Discover amazing AI apps made by the community</h4></header><div class="text-sm text-gray-400">Browse Spaces</div></a></article>`;

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
    .map((filter) => `<a class="tag tag-white" data-fake-filter href="${escapeHtml(filter.href)}">${escapeHtml(filter.label)}</a>`)
    .join(" ");
  const props = { initialValues: { models: options.repos.map(listItem), numTotalItems: options.repos.length, pageIndex: 0 } };
  const sidebar = `<section class="pt-8 border-gray-100 hidden lg:block lg:col-span-3 lg:border-r lg:pr-6 dark:border-gray-800"><div class="mb-3 flex items-center gap-2 text-sm font-semibold">${ICON.model("text-gray-400")} Filter by name</div><input class="form-input-alt mb-6 h-8 w-full" placeholder="Filter by name" type="text" value=""><div class="mb-2 text-sm font-semibold text-gray-500">Tasks</div><div class="flex flex-wrap gap-1.5">${["Text Generation", "Fill-Mask", "Image Classification", "Text-to-Image", "Automatic Speech Recognition"].map((task) => `<span class="tag tag-white">${escapeHtml(task)}</span>`).join("")}</div><div class="mb-2 mt-6 text-sm font-semibold text-gray-500">Libraries</div><div class="flex flex-wrap gap-1.5">${["Transformers", "Safetensors", "PyTorch", "GGUF", "Keras"].map((library) => `<span class="tag tag-white">${escapeHtml(library)}</span>`).join("")}</div></section>`;
  const heading = `<div class="mb-4 flex flex-wrap items-center gap-x-3 gap-y-2"><h1 class="text-lg font-bold">${escapeHtml(options.title)}</h1>${options.intro ? `<p class="font-mono text-gray-400">${escapeHtml(options.intro)}</p>` : ""}<div class="filters ml-auto flex flex-wrap items-center gap-1.5">${filters}</div></div>`;
  const list = island(isReshuffled(layout) ? `${options.target}Grid` : options.target, props, `<div class="grid grid-cols-1 gap-5 xl:grid-cols-2" data-fake-list>${cards.join("\n")}</div>`);
  const main = `<div class="container relative flex flex-col lg:grid lg:grid-cols-12 lg:gap-6 mb-16">${sidebar}<section class="pt-8 lg:col-span-9">${heading}${list}</section></div>`;
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
