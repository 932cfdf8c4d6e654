import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FixtureRepo } from "./catalogue-types";
import { filesAt, infoBody } from "./api";
import { avatarUrl, formatCount, formatHubSize, ICON } from "./hub-markup";
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
    avatarUrl: avatarUrl(repo.author.name),
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

/**
 * The repo header as the real pages draw it (ModelHeader in shared/reference/pages/real): a gradient band with
 * the avatar, author, `/`, the repo name in mono, copy and like buttons in the h1, the repo's tags, then the tabs
 * (`a.tab-alternate`, Community with its count) and the page's action buttons.
 */
function standardHeader(repo: FixtureRepo, owner: string, name: string, path: string, activeTab: string, tabs: [string, string, string, (classes?: string) => string][], discussions: number): string {
  const kind = repo.type === "model" ? "model" : repo.type === "dataset" ? "dataset" : "space";
  const typeLink =
    repo.type === "model"
      ? ""
      : `<a href="/${repo.type === "dataset" ? "datasets" : "spaces"}" class="group flex items-center">${(repo.type === "dataset" ? ICON.files : ICON.app)("mr-1.5 text-gray-400")} <span class="mr-2.5 font-semibold text-gray-400 group-hover:text-gray-500">${repo.type === "dataset" ? "Datasets" : "Spaces"}:</span></a>`;
  const avatar = `<img alt="" class="size-3.5 ${repo.author.kind === "org" ? "rounded-sm" : "rounded-full"} flex-none" src="${escapeHtml(avatarUrl(owner))}">`;
  const follow =
    repo.author.kind === "org"
      ? `<div class="relative flex items-center gap-1.5"><div class="mr-2 inline-flex h-6 items-center overflow-hidden whitespace-nowrap rounded-md border text-sm text-gray-500"><button class="focus:outline-hidden relative flex h-full max-w-56 items-center gap-1.5 overflow-hidden px-1.5 hover:bg-gray-50 dark:hover:bg-gray-900" type="button"><div class="flex h-full flex-1 items-center justify-center">Follow</div><img alt="" class="rounded-xs size-3 flex-none" src="${escapeHtml(avatarUrl(owner))}"><span class="truncate">${escapeHtml(owner)}</span></button><button class="focus:outline-hidden flex h-full items-center border-l pl-1.5 pr-1.5 text-gray-400 hover:bg-gray-50 dark:hover:bg-gray-900" title="Show ${escapeHtml(owner)}'s followers" type="button">${formatCount(repo.author.followers ?? 0)}</button></div></div>`
      : "";
  const h1 = `<h1 class="flex flex-wrap items-center max-md:leading-tight mb-3 text-lg max-sm:gap-y-1.5 md:text-xl">${typeLink}
  <div class="group flex flex-none items-center"><div class="relative mr-1 flex items-center"><span class="inline-block"><span class="contents"><a href="/${escapeHtml(owner)}" class="text-gray-400 hover:text-blue-600">${avatar}</a></span></span></div><span class="inline-block"><span class="contents"><a href="/${escapeHtml(owner)}" class="text-gray-400 hover:text-blue-600">${escapeHtml(owner)}</a></span></span><div class="mx-0.5 text-gray-300">/</div></div>
  <div class="max-w-full"><a class="break-words font-mono font-semibold hover:text-blue-600" href="${escapeHtml(path)}">${escapeHtml(name)}</a>
  <button class="text-sm mr-4 focus:outline-hidden inline-flex cursor-pointer items-center mx-0.5 text-gray-600" title="Copy ${kind} name to clipboard" type="button">${ICON.copy()}</button></div>
  <div class="inline-flex items-center overflow-hidden whitespace-nowrap rounded-md border bg-white text-sm leading-none text-gray-500 mr-2"><button class="relative flex items-center overflow-hidden from-red-50 to-transparent dark:from-red-900 px-1.5 py-1 hover:bg-linear-to-t focus:outline-hidden" title="Like">${ICON.heart("left-1.5 absolute")}<span class="ml-4 pl-0.5">like</span></button><button class="focus:outline-hidden flex items-center border-l px-1.5 py-1 text-gray-400 hover:bg-gray-50 dark:hover:bg-gray-900" title="See users who liked this repository">3</button></div>
  ${follow}
</h1>`;
  const tags = headerTags(repo)
    .map(([label, href, icon]) => `<a class="mb-1 mr-1 md:mb-1.5 md:mr-1.5 rounded-lg" href="${escapeHtml(href)}"><div class="tag tag-white">${icon}<span>${escapeHtml(label)}</span></div></a>`)
    .join("");
  const tabLinks = tabs
    .map(([label, href, key, icon]) => {
      const count = key === "community" && discussions > 0 ? `<div class="ml-1.5 flex h-4 min-w-[1rem] items-center justify-center rounded px-1 text-xs leading-none shadow-sm bg-black text-white dark:bg-gray-800 dark:text-gray-200">${discussions}</div>` : "";
      return `<a class="tab-alternate${key === activeTab ? " active" : ""}" href="${escapeHtml(href)}">${icon("mr-1.5 text-gray-400 flex-none")} ${label} ${count}</a>`;
    })
    .join("");
  const actions =
    repo.type === "model"
      ? `<div class="relative mb-1.5 flex flex-wrap gap-1.5 sm:flex-nowrap lg:mb-0"><button class="btn text-sm" type="button">Train ${ICON.chevronDown("-mr-1 text-gray-500")}</button><button class="btn text-sm" type="button">Deploy ${ICON.chevronDown("-mr-1 text-gray-500")}</button><button class="btn btn-dark text-sm" type="button">Use this model ${ICON.chevronDown("-mr-1 text-gray-400")}</button></div>`
      : repo.type === "dataset"
        ? `<div class="relative mb-1.5 flex flex-wrap gap-1.5 sm:flex-nowrap lg:mb-0"><button class="btn btn-dark text-sm" type="button">Use this dataset ${ICON.chevronDown("-mr-1 text-gray-400")}</button></div>`
        : "";
  return `<header class="bg-linear-to-t border-b border-gray-100 pt-6 sm:pt-9 from-purple-500/8 dark:from-purple-500/20 to-white to-70% dark:to-gray-950"><div class="container relative">${h1}
<div class="mb-3 flex flex-wrap md:mb-4">${tags}</div>
<div class="flex flex-col-reverse lg:flex-row lg:items-center lg:justify-between"><div class="-mb-px flex h-12 items-center overflow-x-auto overflow-y-hidden">${tabLinks}</div>${actions}</div></div></header>`;
}

/** The header's tags: the pipeline, libraries and formats from the repo's tags, and its licence. */
function headerTags(repo: FixtureRepo): [string, string, string][] {
  const base = repo.type === "model" ? "/models" : repo.type === "dataset" ? "/datasets" : "/spaces";
  const known: Record<string, string> = { transformers: "Transformers", safetensors: "Safetensors", pytorch: "PyTorch", gguf: "GGUF", keras: "Keras", tf: "TensorFlow", jax: "JAX", "sentence-transformers": "sentence-transformers", diffusers: "Diffusers", ultralytics: "ultralytics" };
  const tags: [string, string, string][] = [];
  for (const tag of (repo.tags ?? []).slice(0, 6)) {
    const label = known[tag] ?? tag;
    const icon = known[tag] ? `<div class="tag-ico tag-ico-indigo">${ICON.model()}</div>` : "";
    tags.push([label, `${base}?${known[tag] ? "library" : "other"}=${encodeURIComponent(tag)}`, icon]);
  }
  if (repo.type === "space" && repo.sdk) tags.push([repo.sdk === "docker" ? "Docker" : repo.sdk, `/spaces?sdk=${encodeURIComponent(repo.sdk)}`, ""]);
  const license = repo.cardData?.license ?? (repo.type === "space" ? undefined : repo.type === "dataset" ? "cc-by-4.0" : "apache-2.0");
  if (typeof license === "string") tags.push([`License: ${license}`, `${base}?license=license:${encodeURIComponent(license)}`, ""]);
  return tags;
}

export function repoHeader(repo: FixtureRepo, activeTab: string, layout?: string): string {
  const path = repoPath(repo);
  const [owner, name] = repo.id.split("/") as [string, string];
  const target = repo.type === "model" ? "ModelHeader" : repo.type === "dataset" ? "DatasetHeader" : "SpaceHeader";
  const stats = discussionsStatsOf(repo);
  const tabs: [string, string, string, (classes?: string) => string][] =
    repo.type === "space"
      ? [["App", path, "app", ICON.app], ["Files", `${path}/tree/main`, "files", ICON.files], ["Community", `${path}/discussions`, "community", ICON.community]]
      : [[repo.type === "model" ? "Model card" : "Dataset card", path, "card", ICON.card], ["Files and versions", `${path}/tree/main`, "files", ICON.files], ["Community", `${path}/discussions`, "community", ICON.community]];
  const inner = standardHeader(repo, owner, name, path, activeTab, tabs, stats.total);
  const variant = pageLayout(layout);
  const tabLinks = tabs.map(([label, href]) => `<a class="nav-pill" href="${escapeHtml(href)}">${label}</a>`).join("");
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
  // Tree, file view, discussions and model card markup for the row annotations (annotation-pages.ts).
  const main = annotationMain(repo, tab, url, { ...extra, layout: pageLayout(extra.layout) }) ?? fallbackMain(repo, tab);
  const activeTab = tab === "blob" ? "files" : tab === "discussion" ? "community" : tab;
  return shell({
    title: `${repo.id} · Hugging Face`,
    url,
    bodyClass: tab === "blob" ? "ViewerBlobPage" : repo.type === "space" ? "SpacePage" : "",
    main: `${repoHeader(repo, activeTab, extra.layout)}\n${main}`,
  });
}

/** The commits page, a Space's app, and a card with no README text: the story in the card's place. */
function fallbackMain(repo: FixtureRepo, tab: RepoTab): string {
  if (tab === "commits") {
    return `<div class="container pt-8 mb-16"><h2 class="mb-4 text-lg font-semibold">Commit History</h2><ul class="commits rounded-lg border dark:border-gray-800"><li class="px-4 py-3">initial commit</li></ul></div>`;
  }
  if (tab === "app") {
    return `<div class="container pt-4"><iframe class="space-iframe" aria-label="Space app" title="Space app" src="about:blank" style="width:100%;height:480px;border:1px solid #e5e7eb;border-radius:0.5rem"></iframe></div>`;
  }
  return cardLayout(repo, `<h2>${escapeHtml(repo.id)}</h2><p>${escapeHtml(repo.story)}</p>`);
}

/** A repo's card page: the card's prose on the left, the repo's numbers on the right, as the Hub lays it out. */
export function cardLayout(repo: FixtureRepo, prose: string): string {
  const files = filesAt(repo, "main");
  const weights = files.filter((file) => file.lfs).reduce((sum, file) => sum + file.size, 0);
  const facts: [string, string][] = [["Downloads last month", "120"]];
  if (weights > 0) facts.push([repo.type === "dataset" ? "Size of the files" : "Size of the weight files", formatHubSize(weights)]);
  facts.push(["Files", String(files.length)]);
  const sidebar = facts
    .map(([label, value]) => `<div class="mb-4"><div class="text-sm text-gray-400">${escapeHtml(label)}</div><div class="text-lg font-semibold">${escapeHtml(value)}</div></div>`)
    .join("");
  return `<div class="container relative flex flex-col md:grid md:space-y-0 w-full md:grid-cols-12 md:flex-1 space-y-4 md:gap-6 mb-16">
<section class="pt-8 border-gray-100 md:col-span-7 pb-24 relative break-words copiable-code-container"><div class="prose model-card-content hf-sanitized">${prose}</div></section>
<section class="pt-6 border-gray-100 md:pb-24 md:col-span-5 md:pl-6 md:border-l order-first md:order-none">${sidebar}</section>
</div>`;
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
