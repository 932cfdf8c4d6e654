import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FixtureRepo } from "./catalogue-types";
import { discussionSummary, filesAt, infoBody } from "./api";
import { annotationMain } from "./annotation-pages";

/**
 * HTML pages shaped like huggingface.co's (shared/reference/hub-pages.md): the real page shell,
 * Svelte islands with `data-props`, the header's h1 with author and repo-name links, tabs as links.
 */
const here = dirname(fileURLToPath(import.meta.url));
const SHELL = readFileSync(join(here, "../fixtures/pages/hub-shell.html"), "utf8");

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char);
}

function island(target: string, props: unknown, inner = ""): string {
  return `<div class="SVELTE_HYDRATER contents" data-target="${target}" data-props="${escapeHtml(JSON.stringify(props))}">${inner}</div>`;
}

export function shell(options: { title: string; url: string; bodyClass: string; main: string; preMain?: string }): string {
  return SHELL.replaceAll("{{title}}", escapeHtml(options.title))
    .replaceAll("{{url}}", escapeHtml(options.url))
    .replaceAll("{{socialImage}}", "https://huggingface.co/front/thumbnails/v2-2.png")
    .replace("{{bodyClass}}", options.bodyClass)
    .replace("{{preMain}}", options.preMain ?? "")
    .replace("{{main}}", options.main);
}

export function repoPath(repo: FixtureRepo): string {
  return repo.type === "model" ? `/${repo.id}` : `/${repo.type === "dataset" ? "datasets" : "spaces"}/${repo.id}`;
}

export type RepoTab = "card" | "files" | "blob" | "commits" | "community" | "discussion" | "app";

function headerProps(repo: FixtureRepo, activeTab: string): Record<string, unknown> {
  const info = infoBody(repo, "main", false);
  const author = {
    _id: "64c8b5837fe12ecd0a7e92eb",
    avatarUrl: "/avatars/placeholder.svg",
    fullname: repo.author.fullname ?? repo.author.name,
    name: repo.author.name,
    type: repo.author.kind,
    isHf: false,
    isHfAdmin: false,
    isMod: false,
    ...(repo.author.kind === "org" ? { isEnterprise: repo.author.isVerified === true } : { isPro: repo.author.isPro ?? false }),
    followerCount: repo.author.followers ?? 0,
  };
  const key = repo.type === "model" ? "model" : repo.type === "dataset" ? "dataset" : "space";
  return { activeTab, author, canReadRepoSettings: false, canWriteRepoContent: false, [key]: info, discussionsStats: discussionsStatsOf(repo) };
}

/**
 * Layout variants (`?fakeLayout=`), standing in for a Hub redesign the extension has never seen:
 * - `unknown-header`: the header island keeps its name, its markup has no h1 and no repo-name link;
 * - `reshuffled`: every island renamed (header, tree list, discussion list and header, listing) and
 *   the markup reshuffled: the heading still links to the repo, tree rows are not `ul > li`,
 *   discussion rows are not links, listing cards are not `article`s (annotation-pages.ts);
 * - `no-heading`: `reshuffled`, and no heading anywhere links to the repo (nor any h1 exists).
 */
export type PageLayout = "standard" | "unknown-header" | "reshuffled" | "no-heading";

export function pageLayout(value: string | null | undefined): PageLayout {
  return value === "unknown-header" || value === "reshuffled" || value === "no-heading" ? value : "standard";
}

/** Whether the variant renames islands and reshuffles the rows' markup. */
export function isReshuffled(layout: PageLayout): boolean {
  return layout === "reshuffled" || layout === "no-heading";
}

export function repoHeader(repo: FixtureRepo, activeTab: string, layout?: string): string {
  const path = repoPath(repo);
  const [owner, name] = repo.id.split("/") as [string, string];
  const target = repo.type === "model" ? "ModelHeader" : repo.type === "dataset" ? "DatasetHeader" : "SpaceHeader";
  const typeLink = repo.type === "model" ? "" : `<a href="/${repo.type === "dataset" ? "datasets" : "spaces"}" class="mr-1 text-gray-400">${repo.type === "dataset" ? "Datasets" : "Spaces"}:</a>`;
  const tabs =
    repo.type === "space"
      ? [["App", path, "app"], ["Files", `${path}/tree/main`, "files"], ["Community", `${path}/discussions`, "community"]]
      : [[repo.type === "model" ? "Model card" : "Dataset card", path, "card"], ["Files and versions", `${path}/tree/main`, "files"], ["Community", `${path}/discussions`, "community"]];
  const inner = `<header class="bg-linear-to-t border-b border-gray-100 pt-6 sm:pt-9"><div class="container relative"><h1 class="flex flex-wrap items-center max-md:leading-tight mb-3 text-lg md:text-xl">
  <div class="group flex flex-none items-center">${typeLink}<span class="inline-block"><span class="contents"><a href="/${escapeHtml(owner)}" class="text-gray-400 hover:text-blue-600">${escapeHtml(owner)}</a></span></span><div class="mx-0.5 text-gray-300">/</div></div>
  <div class="max-w-full"><a class="break-words font-mono font-semibold hover:text-blue-600" href="${escapeHtml(path)}">${escapeHtml(name)}</a>
  <button class="text-sm mr-4 inline-flex items-center text-gray-600" title="Copy model name to clipboard" type="button">⧉</button></div>
  <div class="inline-flex items-center rounded-md border bg-white text-sm leading-none text-gray-500 mr-2"><button title="Like">♡ like</button><button title="See users who liked this repository">3</button></div>
</h1>
<div class="mb-3 flex flex-wrap md:mb-4 tabs">${tabs
    .map(([label, href, key]) => `<a class="tab-alternate${key === activeTab ? " active" : ""}" href="${escapeHtml(href ?? "")}">${label}</a>`)
    .join("")}</div></div></header>`;
  const variant = pageLayout(layout);
  const tabLinks = tabs.map(([label, href]) => `<a class="nav-pill" href="${escapeHtml(href ?? "")}">${label}</a>`).join("");
  if (variant === "unknown-header") {
    return island(target, headerProps(repo, activeTab), `<section class="redesigned-header"><div class="title">${escapeHtml(repo.id)}</div></section>`);
  }
  if (variant === "reshuffled") {
    const title = `<div class="repo-title-row"><h1 class="title"><a href="/${escapeHtml(owner)}">${escapeHtml(owner)}</a><span>/</span><a href="${escapeHtml(path)}">${escapeHtml(name)}</a></h1></div>`;
    return island(`${target.replace("Header", "")}PageTop`, headerProps(repo, activeTab), `<div class="page-top">${title}<nav>${tabLinks}</nav></div>`);
  }
  if (variant === "no-heading") {
    return island(`${target.replace("Header", "")}PageTop`, headerProps(repo, activeTab), `<div class="page-top"><div class="title">${escapeHtml(owner)} / ${escapeHtml(name)}</div><nav>${tabLinks}</nav></div>`);
  }
  return island(target, headerProps(repo, activeTab), inner);
}

export function repoPage(repo: FixtureRepo, tab: RepoTab, url: string, extra: { revision?: string; path?: string; discussion?: number; layout?: string } = {}): string {
  const revision = extra.revision ?? "main";
  let main = "";
  if (tab === "files") {
    const rows = filesAt(repo, revision)
      .slice(0, 200)
      .map(
        (file) =>
          `<li class="grid grid-cols-12"><div class="col-span-6"><a class="group flex items-center truncate" href="${escapeHtml(`${repoPath(repo)}/blob/${encodeURIComponent(revision)}/${file.path}`)}"><span class="truncate">${escapeHtml(file.path)}</span></a></div><a class="col-span-1" title="Download file" download="" href="${escapeHtml(`${repoPath(repo)}/resolve/${encodeURIComponent(revision)}/${file.path}?download=true`)}"><span class="truncate">${file.size} B</span></a></li>`,
      )
      .join("\n");
    main = island("ViewerIndexTreeList", { repo: { name: repo.id, type: repo.type }, revision }, `<ul class="mb-8 rounded-b-lg border">${rows}</ul>`);
  } else if (tab === "blob") {
    const path = extra.path ?? "";
    const file = filesAt(repo, revision).find((candidate) => candidate.path === path);
    main =
      island("ViewerHeader", { repo: { name: repo.id, type: repo.type }, revision, filePath: path }, `<div class="viewer-header"><span>${escapeHtml(path)}</span></div>`) +
      (file?.scan ? island("ScanStatusBadge", { scanStatus: { status: file.scan }, repo: { name: repo.id, type: repo.type }, revision, filePath: path }, `<button>${escapeHtml(file.scan)}</button>`) : "") +
      `<div class="blob-content"><pre>${escapeHtml(file ? `${file.path}: ${file.size} bytes` : "File not found")}</pre></div>`;
  } else if (tab === "community") {
    const items = (repo.pullRequests ?? [])
      .map((pr) => discussionSummary(repo, pr))
      .map((summary) => `<li><a href="${escapeHtml(`${repoPath(repo)}/discussions/${String(summary.num)}`)}">#${String(summary.num)} ${escapeHtml(String(summary.title))}</a></li>`)
      .join("\n");
    main = `<div class="container"><ul class="discussions">${items || "<li>No discussions yet</li>"}</ul></div>`;
  } else if (tab === "discussion") {
    const pr = repo.pullRequests?.find((candidate) => candidate.num === extra.discussion);
    main = island("DiscussionHeader", { num: extra.discussion, title: pr?.title ?? "" }, `<h2>${escapeHtml(pr?.title ?? "Discussion not found")}</h2>`);
  } else if (tab === "commits") {
    main = `<div class="container"><ul class="commits"><li>initial commit</li></ul></div>`;
  } else if (tab === "app") {
    main = `<div class="container"><iframe class="space-iframe" aria-label="Space app" title="Space app" src="about:blank" style="width:100%;height:200px;border:1px solid #ddd"></iframe></div>`;
  } else {
    main = `<div class="container prose"><h2>${escapeHtml(repo.id)}</h2><p>${escapeHtml(repo.story)}</p></div>`;
  }
  // Richer tree, file view, discussions and model card markup for the row annotations (annotation-pages.ts).
  main = annotationMain(repo, tab, url, { ...extra, layout: pageLayout(extra.layout) }) ?? main;
  const activeTab = tab === "blob" ? "files" : tab === "discussion" ? "community" : tab;
  return shell({
    title: `${repo.id} · Hugging Face`,
    url,
    bodyClass: tab === "blob" ? "ViewerBlobPage" : repo.type === "space" ? "SpacePage" : "",
    main: `${repoHeader(repo, activeTab, extra.layout)}\n${main}`,
  });
}

export function plainPage(title: string, url: string, text: string): string {
  return shell({ title, url, bodyClass: "", main: `<div class="container prose"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></div>` });
}

/**
 * The header's `discussionsStats` (hub-pages.md): discussions and pull requests together, drafts
 * counted as open. The fixtures hold only pull requests, so those are all there is to count.
 */
export function discussionsStatsOf(repo: FixtureRepo): { closed: number; open: number; total: number } {
  const all = repo.pullRequests ?? [];
  const open = all.filter((pr) => pr.status === "open" || pr.status === "draft").length;
  return { closed: all.length - open, open, total: all.length };
}
