import { createHash } from "node:crypto";
import type { FixtureFile, FixturePullRequest, FixtureRepo } from "./catalogue-types";

/** Real-shaped API bodies for a fixture repo (shapes from shared/reference/api-samples). */

export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function repoSha(repo: FixtureRepo): string {
  return repo.sha ?? sha1(`${repo.type}:${repo.id}:main`);
}

/** Every file of the repo at a revision: main, or `refs/pr/N` (main plus the PR's changes). */
export function filesAt(repo: FixtureRepo, revision: string): FixtureFile[] {
  const files = [...repo.files, ...generatedFiles(repo)];
  const pr = /^refs\/pr\/(\d+)$/.exec(revision);
  if (!pr) return files;
  const fixture = repo.pullRequests?.find((candidate) => candidate.num === Number(pr[1]));
  if (!fixture) return files;
  const changed = new Map<string, FixtureFile>();
  for (const file of fixture.modified ?? []) changed.set(file.path, { ...file, content: file.content ?? `pr-${fixture.num}` });
  const merged = files.map((file) => changed.get(file.path) ?? file);
  return [...merged, ...(fixture.added ?? [])];
}

/**
 * The info's `lastModified`, as the Hub means it: the date of the last commit at the revision
 * (huggingface_hub's `ModelInfo.last_modified`). A fixture's own date is a floor; every file's
 * last commit and every merged PR is a commit too, so none may be later than what the info says.
 */
export function lastModifiedAt(repo: FixtureRepo, revision: string): string {
  const dates = [repo.lastModified ?? repo.createdAt ?? "2024-01-15T10:00:00.000Z"];
  for (const file of filesAt(repo, revision)) dates.push(file.lastCommit?.date ?? repo.createdAt ?? "2023-01-01T00:00:00.000Z");
  for (const pr of repo.pullRequests ?? []) if (pr.status === "merged" || revision === `refs/pr/${pr.num}`) dates.push(pr.createdAt);
  return dates.reduce((latest, date) => (Date.parse(date) > Date.parse(latest) ? date : latest));
}

const generatedCache = new WeakMap<FixtureRepo, FixtureFile[]>();
function generatedFiles(repo: FixtureRepo): FixtureFile[] {
  if (!repo.extraFiles) return [];
  let files = generatedCache.get(repo);
  if (!files) {
    files = Array.from({ length: repo.extraFiles }, (_, index) => ({
      path: `data/part-${String(Math.floor(index / 1000)).padStart(3, "0")}/shard-${String(index).padStart(6, "0")}.jsonl`,
      size: 1000 + index,
    }));
    generatedCache.set(repo, files);
  }
  return files;
}

function oidOf(repo: FixtureRepo, file: FixtureFile): string {
  return sha1(`${repo.id}:${file.path}:${file.content ?? ""}:${file.size}`);
}

export function lfsOidOf(repo: FixtureRepo, file: FixtureFile): string {
  return sha256(`${repo.id}:${file.path}:${file.content ?? ""}:${file.size}`);
}

/** `withBlobs` (`?blobs=true`): each sibling also carries `blobId`, `size` and, for LFS files, `lfs { sha256, size, pointerSize }`. */
export function infoBody(repo: FixtureRepo, revision: string, withSecurity: boolean, withBlobs = false): Record<string, unknown> {
  const files = filesAt(repo, revision);
  const body: Record<string, unknown> = {
    _id: sha1(repo.id).slice(0, 24),
    id: repo.id,
    author: repo.author.name,
    sha: revision === "main" ? repoSha(repo) : sha1(`${repo.id}:${revision}`),
    lastModified: lastModifiedAt(repo, revision),
    private: false,
    gated: repo.gated ?? false,
    disabled: repo.disabled ?? false,
    tags: repo.tags ?? [],
    createdAt: repo.createdAt ?? "2023-01-01T00:00:00.000Z",
    siblings: files.map((file) =>
      withBlobs
        ? { rfilename: file.path, blobId: oidOf(repo, file), size: file.size, ...(file.lfs ? { lfs: { sha256: lfsOidOf(repo, file), size: file.size, pointerSize: 134 } } : {}) }
        : { rfilename: file.path },
    ),
    usedStorage: files.reduce((sum, file) => sum + file.size, 0),
  };
  if (repo.type === "model") {
    body.modelId = repo.id;
    body.library_name = "transformers";
    body.likes = 3;
    body.downloads = 120;
    const config = repo.configAt?.[revision] ?? repo.config;
    if (config) body.config = config;
    if (repo.gguf) body.gguf = repo.gguf;
    body.cardData = repo.cardData ?? { license: "apache-2.0" };
  } else if (repo.type === "space") {
    body.sdk = repo.sdk ?? "gradio";
    body.subdomain = repo.id.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    body.cardData = repo.cardData ?? { sdk: body.sdk };
    body.runtime = { stage: "RUNNING", hardware: { current: "cpu-basic", requested: "cpu-basic" } };
  } else {
    body.cardData = repo.cardData ?? { license: "cc-by-4.0" };
  }
  if (withSecurity) {
    body.securityRepoStatus = {
      scansDone: repo.scansDone ?? true,
      filesWithIssues: files
        .filter((file) => file.scan === "caution" || file.scan === "suspicious" || file.scan === "unsafe")
        .map((file) => ({ path: file.path, level: file.scan })),
    };
  }
  return body;
}

export function treeEntry(repo: FixtureRepo, file: FixtureFile, expand: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = { type: "file", oid: oidOf(repo, file), size: file.size, path: file.path };
  if (file.lfs) entry.lfs = { oid: lfsOidOf(repo, file), size: file.size, pointerSize: 134 };
  if (expand) {
    const commit = file.lastCommit ?? { title: "initial commit", date: repo.createdAt ?? "2023-01-01T00:00:00.000Z" };
    entry.lastCommit = { id: commit.id ?? sha1(`${repo.id}:${file.path}:${commit.date}`), title: commit.title, date: commit.date };
    entry.securityFileStatus = securityFileStatus(file);
  }
  return entry;
}

function securityFileStatus(file: FixtureFile): Record<string, unknown> {
  const status = file.scan ?? "unscanned";
  const base = (name: string) => file.scanners?.[name as keyof NonNullable<FixtureFile["scanners"]>];
  const scanner = (name: string, fallback: string, extra: Record<string, unknown> = {}) => ({ status: base(name)?.status ?? fallback, ...pickDefined(base(name)), ...extra });
  const isPickle = (file.imports?.length ?? 0) > 0 || /\.(bin|pt|pth|ckpt|pkl|pickle|joblib|dill|npy|npz)$/i.test(file.path);
  return {
    status,
    avScan: scanner("avScan", status === "queued" ? "queued" : "safe", { message: "No security issues detected" }),
    pickleImportScan: scanner("pickleImportScan", isPickle ? status : "unscanned", { pickleImports: file.imports ?? [], version: "0.0.0" }),
    protectAiScan: scanner("protectAiScan", "unscanned"),
    jFrogScan: scanner("jFrogScan", "unscanned"),
    virusTotalScan: scanner("virusTotalScan", "unscanned"),
  };
}

function pickDefined(value: object | undefined): Record<string, unknown> {
  return value ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) : {};
}

export function discussionSummary(repo: FixtureRepo, pr: FixturePullRequest): Record<string, unknown> {
  return {
    num: pr.num,
    title: pr.title,
    status: pr.status,
    isPullRequest: true,
    createdAt: pr.createdAt,
    pinned: false,
    numComments: 1,
    numReactionUsers: 0,
    topReactions: [],
    ...(pr.author
      ? { author: { _id: sha1(pr.author).slice(0, 24), avatarUrl: "/avatars/x.svg", fullname: pr.author, name: pr.author, isHf: false, isHfAdmin: false, isMod: false, type: "user" } }
      : {}),
    repoOwner: { name: repo.author.name, type: repo.author.kind, isParticipating: false, isDiscussionAuthor: false },
  };
}

export function orgOverview(repo: FixtureRepo): Record<string, unknown> {
  const author = repo.author;
  return {
    _id: sha1(author.name).slice(0, 24),
    name: author.name,
    fullname: author.fullname ?? author.name,
    avatarUrl: "/avatars/org.svg",
    isVerified: author.isVerified === true,
    isFollowing: false,
    numUsers: 12,
    numModels: 40,
    numSpaces: 3,
    numDatasets: 5,
    numFollowers: author.followers ?? 0,
    plan: author.isVerified ? "enterprise" : undefined,
  };
}

export function userOverview(repo: FixtureRepo): Record<string, unknown> {
  const author = repo.author;
  return {
    _id: sha1(author.name).slice(0, 24),
    avatarUrl: "/avatars/user.svg",
    isPro: author.isPro ?? false,
    fullname: author.fullname ?? author.name,
    user: author.name,
    type: "user",
    createdAt: author.createdAt ?? "2021-01-01T00:00:00.000Z",
    numModels: 2,
    numDatasets: 0,
    numSpaces: 0,
    numFollowers: author.followers ?? 0,
    numFollowing: 0,
    orgs: [],
  };
}

/**
 * Fields `GET /api/{models|datasets|spaces}?expand[]=…` accepts (hub-docs `api.md`, huggingface_hub's
 * `ExpandModelProperty_T` and friends). Anything else is a 400, as on the Hub; `securityRepoStatus`
 * is not among them (hub-api.md): a listing carries no scan verdicts.
 */
export const LIST_EXPANDABLE: Record<FixtureRepo["type"], ReadonlySet<string>> = {
  model: new Set(
    "author baseModels cardData childrenModelCount config createdAt disabled downloads downloadsAllTime gated gguf inference inferenceProviderMapping lastModified library_name likes mask_token model-index pipeline_tag private resourceGroup safetensors sha siblings spaces tags transformersInfo trendingScore widgetData usedStorage xetEnabled".split(" "),
  ),
  dataset: new Set("author cardData citation createdAt disabled description downloads downloadsAllTime gated lastModified likes paperswithcode_id private resourceGroup sha siblings tags trendingScore usedStorage xetEnabled".split(" ")),
  space: new Set("author cardData createdAt datasets disabled lastModified likes models private resourceGroup runtime sdk sha siblings subdomain tags trendingScore usedStorage xetEnabled".split(" ")),
};

/** Sort keys of the list endpoint; `trendingScore` keeps the catalogue's order, as the listing pages do. */
const LIST_SORTS = new Set(["trendingScore", "lastModified", "createdAt", "downloads", "likes"]);

/**
 * `GET /api/{models|datasets|spaces}` with the filters the extension sends (`search`: part of the
 * id; `author`; `filter`: comma-separated tags, all required; `sort`, `direction`, `limit`) and
 * `expand[]` (or `expand`): each item then holds `_id`, `id` and the asked fields only. Without
 * `expand`, the Hub's short default item. The answer lists what the fake Hub's pages list
 * (annotation-pages.ts `listingFor`), as the Hub's pages and API list the same repos: without an
 * author (the /models page), repos with injected faults are left out, as on that page; by author
 * (a profile), every repo of the author is listed.
 */
export function listBody(catalogue: FixtureRepo[], type: FixtureRepo["type"], params: URLSearchParams): { status: number; body: unknown } {
  const expand = [...params.getAll("expand[]"), ...params.getAll("expand")];
  const unknown = expand.find((field) => !LIST_EXPANDABLE[type].has(field));
  if (unknown !== undefined) return { status: 400, body: { error: `"expand" must be one of the ${type} properties, got "${unknown}"` } };
  const sort = params.get("sort") ?? "trendingScore";
  if (!LIST_SORTS.has(sort)) return { status: 400, body: { error: `Invalid sort "${sort}"` } };
  const limitParam = Number(params.get("limit") ?? "1000");
  if (!Number.isInteger(limitParam) || limitParam < 1 || limitParam > 1000) return { status: 400, body: { error: "limit must be an integer between 1 and 1000" } };
  const search = (params.get("search") ?? "").toLowerCase();
  const author = (params.get("author") ?? "").toLowerCase();
  const tags = (params.get("filter") ?? "").split(",").filter(Boolean);
  let repos = catalogue.filter(
    (repo) =>
      repo.type === type &&
      (author !== "" || !repo.faults) &&
      (search === "" || repo.id.toLowerCase().includes(search)) &&
      (author === "" || repo.id.toLowerCase().startsWith(`${author}/`)) &&
      tags.every((tag) => (repo.tags ?? []).includes(tag)),
  );
  if (sort !== "trendingScore") {
    const field = sort as "lastModified" | "createdAt" | "downloads" | "likes";
    const keyOf = (repo: FixtureRepo) => {
      const value = infoBody(repo, "main", false)[field];
      return typeof value === "string" || typeof value === "number" ? String(value) : "";
    };
    const direction = params.get("direction") === "1" ? 1 : -1;
    repos = [...repos].sort((a, b) => direction * keyOf(a).localeCompare(keyOf(b), undefined, { numeric: true }));
  }
  const items = repos.slice(0, limitParam).map((repo) => {
    const full = infoBody(repo, "main", false);
    const fields = expand.length > 0 ? expand : ["likes", "downloads", "private", "tags", "createdAt", ...(type === "model" ? ["modelId", "library_name"] : [])];
    const item: Record<string, unknown> = { _id: full._id, id: full.id };
    for (const field of fields) if (full[field] !== undefined) item[field] = full[field];
    return item;
  });
  return { status: 200, body: items };
}
