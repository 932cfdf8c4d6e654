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

export function infoBody(repo: FixtureRepo, revision: string, withSecurity: boolean): Record<string, unknown> {
  const files = filesAt(repo, revision);
  const body: Record<string, unknown> = {
    _id: sha1(repo.id).slice(0, 24),
    id: repo.id,
    author: repo.author.name,
    sha: revision === "main" ? repoSha(repo) : sha1(`${repo.id}:${revision}`),
    lastModified: repo.lastModified ?? repo.createdAt ?? "2024-01-15T10:00:00.000Z",
    private: false,
    gated: repo.gated ?? false,
    disabled: repo.disabled ?? false,
    tags: repo.tags ?? [],
    createdAt: repo.createdAt ?? "2023-01-01T00:00:00.000Z",
    siblings: files.map((file) => ({ rfilename: file.path })),
    usedStorage: files.reduce((sum, file) => sum + file.size, 0),
  };
  if (repo.type === "model") {
    body.modelId = repo.id;
    body.library_name = "transformers";
    body.likes = 3;
    body.downloads = 120;
    if (repo.config) body.config = repo.config;
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
