import { listFiles, pathsInfo } from "@huggingface/hub";
import type { ChatTemplateScan } from "../readers/chat-template/types";
import { repoTypePath, repoOwner, type DiscussionCounts, type RepoRef } from "../repo-ref";
import { createFactCache, type FactCache } from "./cache";
import type { AuthorInfo, ChangedFile, FileListing, PullRequest, RepoFacts, RepoFile, RepoInfo, RepoSecurityStatus } from "./facts";
import { needsDetails, planFileDetails } from "./file-details";
import { factOf, gapOf, type Fact, type Gap } from "./gaps";
import { HUB_ORIGIN } from "./links";
import type { KerasFileScan } from "../readers/keras/types";
import { createKerasScanner, type KerasScannerOptions } from "./keras-scans";
import { listingKey, listingUrl, parseListing, type ListingQuery } from "./listing";
import { createOwnScanner, type OwnScannerOptions } from "./own-scans";
import type { PythonFileScan } from "../readers/python/types";
import { createPythonScanner, type PythonScannerOptions } from "./python-scans";
import { createTemplateScanner, readBodyUpTo, TEMPLATE_SCAN_DEFAULTS, type TemplateScannerOptions } from "./template-scans";
import { compactBaseInfo, lookUpBaseTemplate, secondLook, type BaseInfo, type BaseTemplateLoaders, type BaseTemplateLookup, type DerivedTemplate } from "./base-template";
import { namesBaseModel } from "./base-model";
import { chatTemplateFileKind, isGgufFormat } from "./file-kinds";
import { resolveUrl } from "./own-scans";
import {
  MalformedError,
  parseDiscussionPage,
  parseOrgOverview,
  parseRepoInfo,
  parseTreeEntry,
  parseUserOverview,
} from "./parse";
import type { RateBudget } from "./rate-limit";
import { createTransport, gapFromResponse, HubRequestError, type Transport } from "./transport";

/**
 * The Hub client: everything the rules need about a repo, with as few requests as the Hub allows
 * and every gap named. A cold model page costs: repo info with security status (1), the author
 * (1), paths-info for the files the repo-level status cannot answer for (file-details.ts: its
 * pickles and Keras files, or every weight file of a repo changed in the last 90 days; 1 per
 * 2,000, none for a safetensors repo left alone for months), pull requests (1, none when the
 * page's header counts no discussion), and for a conversion-looking PR its changed files (2).
 * Pickle files the Hub has not judged are then read by Range requests on /resolve
 * (own-scans.ts), and the Python loading runs is read from /resolve too (python-scans.ts): not
 * API calls, capped, and outside this count, except one repo-info call for another repo whose
 * code an `auto_map` names.
 *
 * `@huggingface/hub` is used where it has a function that fits (listFiles, pathsInfo); repo
 * info is a plain request because `modelInfo` cannot ask for `securityStatus` and reshapes
 * `config`, and the library has no discussions or overview functions.
 */
export interface HubClientOptions {
  fetch: typeof fetch;
  hubUrl?: string;
  cache?: FactCache;
  timeoutMs?: number;
  maxConcurrent?: number;
  /** Most files whose details are read; beyond it the listing is reported as incomplete. */
  maxFiles?: number;
  now?: () => number;
  /** The shared rate-limit budget (rate-limit.ts); one is made when not given. */
  budget?: RateBudget;
  /** How the transport waits out a short block (a simulated clock's, in the shared-IP bench). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The extension's own pickle scan of files the Hub has not judged (own-scans.ts): its caps, or
   * `false` to leave `ownScans` out. Its reads go to /resolve and the storage hosts, not the API.
   */
  ownScans?: Partial<Omit<OwnScannerOptions, "fetch" | "hubUrl" | "cache">> | false;
  /** The own check of Keras model files' layer configs (keras-scans.ts): its caps, or `false` to leave `kerasScans` out. */
  kerasScans?: Partial<Omit<KerasScannerOptions, "fetch" | "hubUrl" | "cache">> | false;
  /**
   * Reading chat templates from GGUF headers and tokenizer/template files (template-scans.ts): its
   * caps, or `false` to leave `chatTemplates` out. Like the own scans, plain fetches to /resolve.
   */
  templateScans?: Partial<Omit<TemplateScannerOptions, "fetch" | "hubUrl" | "cache">> | false;
  /**
   * Where results named by a file's LFS sha256 are kept (GGUF headers' templates): a cache the
   * user's cache-lifetime setting does not shorten, since those bytes never change. Defaults to `cache`.
   */
  contentCache?: FactCache;
  /** Reading the Python that loading runs (python-scans.ts): its caps, or `false` to leave `pythonScans` out. Plain fetches to /resolve. */
  pythonScans?: Partial<Omit<PythonScannerOptions, "fetch" | "hubUrl" | "cache" | "repoInfo">> | false;
  /**
   * Reading a derived model's base template for the `template-changed` rule (base-template.ts):
   * `false` leaves `baseTemplate` out. On by default; it needs the chat-template reading too.
   */
  baseTemplates?: false;
}

export interface GatherOptions {
  /** From the page's header props: saves a request when the author's kind is known. */
  authorKind?: "org" | "user";
  /**
   * The commit the page shows (its header props' `sha`, when they carry one): repo info pinned to
   * that commit is reused for a day instead of asked again, as long as the page names the same commit.
   */
  pageSha?: string;
  /**
   * The page's header count of discussions and pull requests (`discussionsStats`): at a total of 0
   * the repo has no pull request at all, and the list is not asked for.
   */
  pageDiscussions?: DiscussionCounts;
  signal?: AbortSignal;
}

export interface WarmOptions extends Pick<GatherOptions, "authorKind" | "signal"> {
  /** Ask for the pull requests too: a Community tab lists the repo's discussions, so it has some to show. */
  pullRequests?: boolean;
}

export const BOT_ACCOUNT = "sfconvertbot";
export const BOT_PR_TITLE = "Adding `safetensors` variant of this model";
const RECENT_PR_DAYS = 90;
const PATHS_INFO_BATCH = 2000;
const TREE_PAGE_CAP = 100;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How long each kind of fact stays fresh: as long as it is unlikely to change. */
export const TTL = {
  info: 5 * MINUTE,
  filesScanning: 5 * MINUTE,
  filesSettled: 6 * HOUR,
  pullRequests: 10 * MINUTE,
  author: 24 * HOUR,
  /** Facts pinned to a commit sha (repo info once its scans are done, settled file details): reused while the sha is unchanged. */
  pinned: 24 * HOUR,
  changedFiles: HOUR,
  /** A base model's info, history and files (base-template.ts): a day, as the issue asks; at a commit, a month. */
  baseInfo: 24 * HOUR,
  baseAtCommit: 30 * 24 * HOUR,
  gap: 30_000,
} as const;

export interface HubClient {
  gatherRepoFacts(repo: RepoRef, options?: GatherOptions): Promise<RepoFacts>;
  /**
   * Start loading what every verdict of the repo needs, whatever its page says: repo info, files,
   * the author and the own scans; the pull requests only when asked (elsewhere the page's header
   * tells whether there are any). For the prefetch at navigation (prefetch.ts): the verdict's own
   * gather then finds them cached or in flight.
   */
  warmRepoFacts(repo: RepoRef, options?: WarmOptions): Promise<void>;
  repoInfo(repo: RepoRef, signal?: AbortSignal, pageSha?: string): Promise<Fact<{ info: RepoInfo; security?: RepoSecurityStatus }>>;
  /**
   * The repo's files, with the details the rules and rows need: given the repo's security status,
   * only the files it cannot answer for (file-details.ts); without it, every weight file's.
   */
  files(repo: RepoRef, info: RepoInfo, signal?: AbortSignal, security?: RepoSecurityStatus): Promise<Fact<FileListing>>;
  pullRequests(repo: RepoRef, signal?: AbortSignal): Promise<Fact<PullRequest[]>>;
  author(name: string, kind: "org" | "user" | undefined, signal?: AbortSignal): Promise<Fact<AuthorInfo>>;
  changedFiles(repo: RepoRef, num: number, signal?: AbortSignal): Promise<Fact<ChangedFile[]>>;
  /** One listing call for a page of cards (listing.ts); cached like repo info. */
  listRepos(query: ListingQuery, signal?: AbortSignal): Promise<Fact<RepoInfo[]>>;
  /** The author's overview if it is already cached (a day), without asking the Hub. */
  knownAuthor(name: string): Promise<Fact<AuthorInfo> | undefined>;
  /**
   * A GGUF file's chat templates now, outside the page's byte budget (template-scans.ts): its row
   * was opened or its file page is shown. Undefined when the file is not a GGUF the repo lists (or
   * reading templates is off). The repo's next facts include it, from the cache.
   */
  readTemplateFile(repo: RepoRef, path: string, signal?: AbortSignal): Promise<ChatTemplateScan | undefined>;
  transport: Transport;
  cache: FactCache;
  /**
   * The Hub's meter as the client last read it. Optional work (listing cards, row details,
   * prefetch) asks `budget.allowsOptional()` first; the badge of the page in front of the user does not.
   */
  budget: RateBudget;
}

export function createHubClient(options: HubClientOptions): HubClient {
  const hubUrl = (options.hubUrl ?? HUB_ORIGIN).replace(/\/$/, "");
  const now = options.now ?? (() => Date.now());
  const transport = createTransport({ fetch: options.fetch, timeoutMs: options.timeoutMs, maxConcurrent: options.maxConcurrent, now, budget: options.budget, sleep: options.sleep });
  const cache = options.cache ?? createFactCache({ now });
  const maxFiles = options.maxFiles ?? 10_000;
  // Range reads use the plain fetch: they are not API calls, so the API transport's budget and 429 state stay honest.
  const ownScanner = options.ownScans === false ? undefined : createOwnScanner({ ...options.ownScans, fetch: options.fetch, hubUrl, cache });
  const kerasScanner = options.kerasScans === false ? undefined : createKerasScanner({ ...options.kerasScans, fetch: options.fetch, hubUrl, cache });
  const templateScanner =
    options.templateScans === false ? undefined : createTemplateScanner({ ...options.templateScans, fetch: options.fetch, hubUrl, cache, ...(options.contentCache ? { contentCache: options.contentCache } : {}) });
  // Another repo's info (auto_map code that lives there) is an API request, through the transport like any other.
  const pythonScanner = options.pythonScans === false ? undefined : createPythonScanner({ ...options.pythonScans, fetch: options.fetch, hubUrl, cache, repoInfo: (ref, signal) => repoInfo(ref, signal) });

  const baseLoaders: BaseTemplateLoaders | undefined = options.baseTemplates === false || templateScanner === undefined ? undefined : createBaseLoaders();

  /**
   * The base model's info, commits and files: cached by base id (a missing or private base for a
   * day too: it will not appear within a page view), shared by every repo derived from it.
   */
  function createBaseLoaders(): BaseTemplateLoaders {
    const keep = <T>(fact: Fact<T>, ttl: number) => (fact.ok || fact.gap.kind === "not-found" || fact.gap.kind === "unauthorized" ? ttl : gapTtl(fact.gap));
    const load = <T>(key: string, ttl: number, read: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal) =>
      cache.getOrLoad<Fact<T>>(
        key,
        async (loadSignal) => {
          try {
            return factOf(await read(loadSignal));
          } catch (error) {
            return gapOf<T>(toGap(error));
          }
        },
        (fact) => keep(fact, ttl),
        signal,
      );
    return {
      info: (id, revision, signal) =>
        load<BaseInfo>(
          `base-info:v1:model:${id.toLowerCase()}${revision ? `@${revision}` : ""}`,
          revision ? TTL.baseAtCommit : TTL.baseInfo,
          async (loadSignal) => {
            const url = `${hubUrl}/api/models/${id}${revision ? `/revision/${encodeURIComponent(revision)}` : ""}`;
            return compactBaseInfo(parseRepoInfo((await transport.getJson(url, loadSignal)).body).info);
          },
          signal,
        ),
      commits: (id, signal) =>
        load(
          `base-commits:v1:model:${id.toLowerCase()}`,
          TTL.baseInfo,
          async (loadSignal) => {
            const { body } = await transport.getJson(`${hubUrl}/api/models/${id}/commits/main?limit=100`, loadSignal);
            if (!Array.isArray(body)) throw new MalformedError("the commit list is not a list");
            return body.flatMap((entry: unknown) => {
              const { id: sha, date } = (typeof entry === "object" && entry !== null ? entry : {}) as { id?: unknown; date?: unknown };
              return typeof sha === "string" && typeof date === "string" ? [{ id: sha, date }] : [];
            });
          },
          signal,
        ),
      file: (id, sha, path, signal) =>
        load<string | undefined>(
          `base-file:v1:model:${id.toLowerCase()}@${sha}:${path}`,
          TTL.baseAtCommit,
          async (loadSignal) => {
            // A file read like the template scans' (resolve, no cookies), not an API call.
            const response = await options.fetch(resolveUrl(hubUrl, { type: "model", id }, sha, path), { credentials: "omit", redirect: "follow", signal: loadSignal });
            if (!response.ok) {
              await response.body?.cancel().catch(() => undefined);
              throw new HubRequestError(await gapFromResponse(response, path));
            }
            const body = await readBodyUpTo(response, options.templateScans === false ? TEMPLATE_SCAN_DEFAULTS.maxTextBytes : (options.templateScans?.maxTextBytes ?? TEMPLATE_SCAN_DEFAULTS.maxTextBytes));
            return body.complete ? new TextDecoder().decode(body.bytes) : undefined;
          },
          signal,
        ),
    };
  }

  function apiBase(repo: RepoRef) {
    return `${hubUrl}/api/${repoTypePath(repo.type)}/${repo.id}`;
  }

  /** Run a fact loader, turning every failure into a typed gap; gaps are cached briefly. */
  function cached<T>(key: string, ttl: (value: T) => number, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<Fact<T>> {
    return cache.getOrLoad<Fact<T>>(
      key,
      async (loadSignal) => {
        try {
          return factOf(await load(loadSignal));
        } catch (error) {
          return gapOf<T>(toGap(error));
        }
      },
      (fact) => (fact.ok ? ttl(fact.value) : gapTtl(fact.gap)),
      signal,
    );
  }

  const pinnedInfoKey = (repo: RepoRef, sha: string) => `info-sha:${repo.type}:${repo.id.toLowerCase()}@${sha}`;

  async function repoInfo(repo: RepoRef, signal?: AbortSignal, pageSha?: string) {
    type InfoFact = Fact<{ info: RepoInfo; security?: RepoSecurityStatus }>;
    // The page names the commit it shows: the info read at that commit before still holds.
    if (pageSha && /^[0-9a-f]{40}$/.test(pageSha)) {
      const pinned = await cache.peek<InfoFact>(pinnedInfoKey(repo, pageSha));
      if (pinned?.ok) return pinned;
    }
    const fact = await cached(
      `info:${repo.type}:${repo.id}@${repo.revision}`,
      () => TTL.info,
      async (loadSignal) => {
        // `blobs=true`: the siblings carry their LFS sha256, which keys a GGUF header's templates for good (no paths-info call for them).
        const url = `${apiBase(repo)}/revision/${encodeURIComponent(repo.revision)}?securityStatus=true&blobs=true`;
        const { body } = await transport.getJson(url, loadSignal);
        return parseRepoInfo(body);
      },
      signal,
    );
    // Pinned only once the Hub's scans are done: a repo still being scanned must be asked again.
    const sha = fact.ok ? fact.value.info.sha : undefined;
    if (fact.ok && sha && /^[0-9a-f]{40}$/.test(sha) && fact.value.security?.scansDone) {
      await cache.getOrLoad<InfoFact>(pinnedInfoKey(repo, sha), () => Promise.resolve(fact), () => TTL.pinned).catch(() => undefined);
    }
    return fact;
  }

  async function files(repo: RepoRef, info: RepoInfo, signal?: AbortSignal, security?: RepoSecurityStatus): Promise<Fact<FileListing>> {
    const revision = info.sha ?? repo.revision;
    const key = `files:${repo.type}:${repo.id}@${revision}`;
    // Only files whose details were asked for count: from siblings, README.md has no scan status, and must not keep every listing on the short TTL.
    const ttl = (listing: FileListing) =>
      listing.files.some((file) => file.security?.status === "queued" || (!file.security && needsDetails(file.path)))
        ? TTL.filesScanning
        : // Keyed by the commit sha: a settled listing holds as long as the sha does.
          info.sha
          ? TTL.pinned
          : TTL.filesSettled;
    const plan = info.siblingPaths ? planFileDetails(info, security, now()) : undefined;
    if (!plan || plan.kind === "all") {
      return cached(key, ttl, (loadSignal) => (info.siblingPaths ? detailsOfSiblings(repo, revision, info.siblingPaths, plan?.paths ?? [], [], loadSignal, info.ggufLfs) : walkTree(repo, revision, loadSignal)), signal);
    }
    // Every file's details, read before (the repo was then still being scanned), answer as well.
    const full = await cache.peek<Fact<FileListing>>(key);
    if (full?.ok) return full;
    const siblings = info.siblingPaths ?? [];
    // The files described from the repo status depend on which ones it flags: a flag added later at the same commit is a new listing.
    const flagged = (security?.filesWithIssues ?? []).map((issue) => issue.path).sort();
    return cached(`files-some:${repo.type}:${repo.id}@${revision}#${flagged.length}:${shortHash(flagged.join("\n"))}`, ttl, (loadSignal) => detailsOfSiblings(repo, revision, siblings, plan.paths, plan.fromRepoStatus, loadSignal, info.ggufLfs), signal);
  }

  /**
   * The info's `siblings` already name every file; only some need details (scan status, last
   * commit), so ask paths-info for just those: two requests even for a 10,000-file repo, none
   * when the repo-level status stands in for all of them (file-details.ts).
   */
  async function detailsOfSiblings(
    repo: RepoRef,
    revision: string,
    paths: string[],
    wanted: string[],
    fromRepoStatus: RepoFile[],
    signal: AbortSignal,
    ggufLfs: RepoInfo["ggufLfs"] = {},
  ): Promise<FileListing> {
    const detailed = new Map<string, RepoFile>(fromRepoStatus.map((file) => [file.path, file]));
    const limit = Math.min(wanted.length, maxFiles);
    for (let start = 0; start < limit; start += PATHS_INFO_BATCH) {
      const batch = wanted.slice(start, Math.min(start + PATHS_INFO_BATCH, limit));
      const entries = await pathsInfo({
        repo: { type: repo.type, name: repo.id },
        revision,
        paths: batch,
        expand: true,
        hubUrl,
        fetch: withSignal(transport.fetch, signal),
      });
      for (const entry of entries as unknown[]) {
        const file = parseTreeEntry(entry);
        if (file) detailed.set(file.path, file);
      }
    }
    const files = paths.map((path): RepoFile => {
      const file = detailed.get(path) ?? { path };
      // A GGUF described from the repo status has no details of its own: the info's blobs name its bytes.
      const lfs = Object.hasOwn(ggufLfs, path) ? ggufLfs[path] : undefined;
      return lfs && file.lfsOid === undefined ? { ...file, lfsOid: lfs.oid, ...(file.size === undefined && lfs.size !== undefined ? { size: lfs.size } : {}) } : file;
    });
    return { files, complete: wanted.length <= maxFiles, readCount: paths.length };
  }

  /** Without siblings, walk the tree 100 expanded entries a page, holding one page at a time, up to the cap. */
  async function walkTree(repo: RepoRef, revision: string, signal: AbortSignal): Promise<FileListing> {
    const files: RepoFile[] = [];
    let complete = true;
    let pages = 0;
    let unfollowableNext = false;
    const iterator = listFiles({
      repo: { type: repo.type, name: repo.id },
      // listFiles puts the revision into the URL as given (hub-api.md).
      revision: encodeURIComponent(revision),
      recursive: true,
      expand: true,
      hubUrl,
      fetch: withSignal(
        countingPages(transport.fetch, (nextUnfollowable) => {
          pages++;
          unfollowableNext = nextUnfollowable;
        }),
        signal,
      ),
    });
    try {
      for await (const entry of iterator) {
        const file = parseTreeEntry(entry);
        if (file) files.push(file);
        if (files.length >= maxFiles || pages > TREE_PAGE_CAP) {
          complete = false;
          break;
        }
      }
    } catch (error) {
      // The Link chain broke after some pages: say that only part of the list was read, and why.
      const cause = toGap(error);
      if (pages === 0 || cause.kind === "aborted") throw error;
      throw new HubRequestError({
        kind: "truncated",
        message: `Only the first ${files.length} files of the list could be read: ${cause.message}`,
        ...(cause.status !== undefined ? { status: cause.status } : {}),
        ...(cause.retryAfterSeconds !== undefined ? { retryAfterSeconds: cause.retryAfterSeconds } : {}),
      });
    }
    if (complete && unfollowableNext) {
      // @huggingface/hub stops at a next link it cannot parse: that is not the end of the list.
      throw new HubRequestError({ kind: "truncated", message: `The Hub's file list named a next page the extension could not follow, after ${files.length} files.` });
    }
    return { files, complete, readCount: files.length };
  }

  async function pullRequests(repo: RepoRef, signal?: AbortSignal) {
    return cached(
      `prs:${repo.type}:${repo.id}`,
      () => TTL.pullRequests,
      async (loadSignal) => {
        const recentSince = now() - RECENT_PR_DAYS * 24 * HOUR;
        const base = `${apiBase(repo)}/discussions?type=pull_request&sort=recently-created`;
        const first = parseDiscussionPage((await transport.getJson(`${base}&status=all&p=0`, loadSignal)).body);
        let all = first.pullRequests;
        // Older open PRs fall off the first page of a busy repo: ask for the open ones alone then.
        if (first.start + first.pullRequests.length < first.count) {
          const open = parseDiscussionPage((await transport.getJson(`${base}&status=open&p=0`, loadSignal)).body);
          const seen = new Set(all.map((pr) => pr.num));
          all = all.concat(open.pullRequests.filter((pr) => !seen.has(pr.num)));
        }
        return all.filter((pr) => pr.status === "open" || pr.status === "draft" || (pr.status === "merged" && Date.parse(pr.createdAt) >= recentSince));
      },
      signal,
    );
  }

  async function author(name: string, kind: "org" | "user" | undefined, signal?: AbortSignal) {
    return cached(
      `author:${name.toLowerCase()}`,
      () => TTL.author,
      async (loadSignal) => {
        const encoded = encodeURIComponent(name);
        if (kind !== "user") {
          try {
            const { body } = await transport.getJson(`${hubUrl}/api/organizations/${encoded}/overview`, loadSignal);
            return parseOrgOverview(body, name);
          } catch (error) {
            const notAnOrg = error instanceof HubRequestError && (error.gap.kind === "not-found" || error.gap.kind === "unauthorized");
            if (!notAnOrg || kind === "org") throw error;
          }
        }
        const { body } = await transport.getJson(`${hubUrl}/api/users/${encoded}/overview`, loadSignal);
        return parseUserOverview(body, name);
      },
      signal,
    );
  }

  /** What a PR changes, by comparing its tree at `refs/pr/N` with the files at main. */
  async function changedFiles(repo: RepoRef, num: number, signal?: AbortSignal) {
    return cached(
      `pr-files:${repo.type}:${repo.id}#${num}`,
      () => TTL.changedFiles,
      async (loadSignal) => {
        const prRevision = `refs/pr/${num}`;
        const prFiles = new Map<string, string>();
        // Size and LFS sha256 at the PR's revision: the own pickle scan reads changed pickle files there.
        const prDetails = new Map<string, { size?: number; lfsOid?: string }>();
        for await (const entry of listFiles({
          repo: { type: repo.type, name: repo.id },
          revision: encodeURIComponent(prRevision),
          recursive: true,
          hubUrl,
          fetch: withSignal(transport.fetch, loadSignal),
        })) {
          if (entry.type === "file" && typeof entry.oid === "string") {
            prFiles.set(entry.path, entry.oid);
            prDetails.set(entry.path, { size: entry.size, ...(entry.lfs?.oid ? { lfsOid: entry.lfs.oid } : {}) });
          }
          if (prFiles.size > PATHS_INFO_BATCH) throw new MalformedError("the PR has more files than the extension compares");
        }
        const onMain = await pathsInfo({
          repo: { type: repo.type, name: repo.id },
          revision: "main",
          paths: [...prFiles.keys()],
          hubUrl,
          fetch: withSignal(transport.fetch, loadSignal),
        });
        const mainOids = new Map<string, string>();
        for (const entry of onMain as unknown[]) {
          const parsed = entry as { path?: unknown; oid?: unknown; type?: unknown };
          if (parsed.type === "file" && typeof parsed.path === "string" && typeof parsed.oid === "string") mainOids.set(parsed.path, parsed.oid);
        }
        const changes: ChangedFile[] = [];
        for (const [path, oid] of prFiles) {
          const before = mainOids.get(path);
          if (before === undefined) changes.push({ path, change: "added", ...prDetails.get(path) });
          else if (before !== oid) changes.push({ path, change: "modified", ...prDetails.get(path) });
        }
        return changes;
      },
      signal,
    );
  }

  async function warmRepoFacts(repo: RepoRef, warmOptions: WarmOptions = {}): Promise<void> {
    // Own scans included: the verdict's gather then finds it all in memory.
    await gather(repo, warmOptions, warmOptions.pullRequests === true);
  }

  function gatherRepoFacts(repo: RepoRef, gatherOptions: GatherOptions = {}): Promise<RepoFacts> {
    return gather(repo, gatherOptions, true);
  }

  async function gather(repo: RepoRef, gatherOptions: GatherOptions, askPullRequests: boolean): Promise<RepoFacts> {
    const { signal } = gatherOptions;
    const owner = repoOwner(repo.id);
    const authorFact = author(owner, gatherOptions.authorKind, signal);
    // The page's own count says there is no pull request (nor discussion): the list would be empty.
    const noPullRequests = gatherOptions.pageDiscussions?.total === 0;
    const prsFact = (
      !askPullRequests
        ? Promise.resolve(gapOf<PullRequest[]>({ kind: "aborted", message: "The pull requests were not asked for yet." }))
        : noPullRequests
          ? Promise.resolve(factOf<PullRequest[]>([]))
          : pullRequests(repo, signal)
    ).then(async (fact) => {
      if (!fact.ok) return fact;
      const withFiles = await Promise.all(
        // Only open PRs are compared: once merged, main holds the PR's files and a comparison with main
        // shows nothing, which would read as "adds no safetensors". A merged PR's files are judged
        // as part of main's files instead.
        fact.value.map(async (pr) =>
          looksLikeConversion(pr) && (pr.status === "open" || pr.status === "draft") ? { ...pr, changedFiles: await changedFiles(repo, pr.num, signal) } : pr,
        ),
      );
      return factOf(withFiles);
    });
    const infoFact = await repoInfo(repo, signal, gatherOptions.pageSha);
    let filesFact: Fact<FileListing>;
    let securityFact: Fact<RepoSecurityStatus>;
    if (infoFact.ok) {
      filesFact = await files(repo, infoFact.value.info, signal, infoFact.value.security);
      securityFact = infoFact.value.security
        ? factOf(infoFact.value.security)
        : gapOf({ kind: "malformed", message: "The Hub's repo info carried no security status." });
    } else {
      filesFact = gapOf(infoFact.gap);
      securityFact = gapOf(infoFact.gap);
    }
    // Keras files need only the file list: their reads start now, beside the PRs and the pickle scans.
    const kerasScans =
      kerasScanner && infoFact.ok && filesFact.ok
        ? kerasScanner.scanRepo(repo, { revision: infoFact.value.info.sha ?? repo.revision, files: filesFact.value.files }, signal).then(
            (scans) => (scans ? factOf(scans) : undefined),
            (error: unknown) => gapOf<KerasFileScan[]>(toGap(error)),
          )
        : Promise.resolve(undefined);
    // Chat templates need only the file list: read them while the PRs and the pickle scans proceed.
    const chatTemplatesJob =
      templateScanner && infoFact.ok && filesFact.ok
        ? templateScanner.scanRepo(
            repo,
            {
              revision: infoFact.value.info.sha ?? repo.revision,
              files: filesFact.value.files,
              ...(infoFact.value.info.ggufChatTemplate === undefined ? {} : { ggufChatTemplate: infoFact.value.info.ggufChatTemplate }),
              ...(infoFact.value.info.configChatTemplates === undefined ? {} : { configChatTemplates: infoFact.value.info.configChatTemplates }),
            },
            signal,
          ).then(
            (scans) => (scans ? factOf(scans) : undefined),
            (error: unknown) => gapOf<ChatTemplateScan[]>(toGap(error)),
          )
        : Promise.resolve(undefined);
    // The Python loading runs needs the file list and the info (auto_map, tags, app_file): read it beside the rest.
    const pythonJob =
      pythonScanner && infoFact.ok && filesFact.ok
        ? pythonScanner.scanRepo(repo, { revision: infoFact.value.info.sha ?? repo.revision, files: filesFact.value.files, info: infoFact.value.info }, signal).then(
            (scans) => (scans ? factOf(scans) : undefined),
            (error: unknown) => gapOf<PythonFileScan[]>(toGap(error)),
          )
        : Promise.resolve(undefined);
    // A derived model's base template: asked at once, beside the repo's own template reads (one request, a day's cache).
    const baseTemplateJob =
      baseLoaders && repo.type === "model" && infoFact.ok && namesBaseModel(infoFact.value.info) && hasTemplateSource(infoFact.value.info)
        ? lookUpBaseTemplate(infoFact.value.info, baseLoaders, signal)
        : Promise.resolve(undefined);
    const pullRequestsFact = await prsFact;
    // Once the file list (and the PRs' changes) are known: read what the Hub has not judged.
    const ownScans =
      ownScanner && infoFact.ok && filesFact.ok
        ? await ownScanner.scanRepo(
            repo,
            {
              revision: infoFact.value.info.sha ?? repo.revision,
              files: filesFact.value.files,
              ...(pullRequestsFact.ok ? { pullRequests: pullRequestsFact.value } : {}),
            },
            signal,
          )
        : undefined;
    const chatTemplates = await chatTemplatesJob;
    const pythonScans = await pythonJob;
    const baseTemplate = await baseTemplateJob.then(async (fact): Promise<Fact<BaseTemplateLookup> | undefined> => {
      if (!fact?.ok || !baseLoaders || !chatTemplates?.ok || !infoFact.ok) return fact;
      const derived = derivedTemplates(chatTemplates.value, filesFact.ok ? filesFact.value.files : [], infoFact.value.info);
      return factOf(await secondLook(fact.value, derived, baseLoaders, signal));
    });
    return {
      repo,
      fetchedAt: now(),
      info: infoFact.ok ? factOf(infoFact.value.info) : infoFact,
      files: filesFact,
      security: securityFact,
      pullRequests: pullRequestsFact,
      author: await authorFact,
      ...(ownScans ? { ownScans: factOf(ownScans) } : {}),
      ...(await kerasScans.then((fact) => (fact ? { kerasScans: fact } : {}))),
      ...(chatTemplates ? { chatTemplates } : {}),
      ...(pythonScans ? { pythonScans } : {}),
      ...(baseTemplate ? { baseTemplate } : {}),
    };
  }

  function listRepos(query: ListingQuery, signal?: AbortSignal) {
    return cached(listingKey(query), () => TTL.info, async (loadSignal) => parseListing((await transport.getJson(listingUrl(hubUrl, query), loadSignal)).body), signal);
  }

  async function knownAuthor(name: string): Promise<Fact<AuthorInfo> | undefined> {
    const hit = await cache.peek<Fact<AuthorInfo>>(`author:${name.toLowerCase()}`);
    return hit?.ok ? hit : undefined;
  }

  async function readTemplateFile(repo: RepoRef, path: string, signal?: AbortSignal): Promise<ChatTemplateScan | undefined> {
    if (!templateScanner) return undefined;
    // From the cache: the page that shows the row has just gathered the repo's facts.
    const infoFact = await repoInfo(repo, signal);
    if (!infoFact.ok) return undefined;
    const listing = await files(repo, infoFact.value.info, signal, infoFact.value.security);
    const file = listing.ok ? listing.value.files.find((candidate) => candidate.path === path) : undefined;
    if (!file) return undefined;
    return templateScanner.readFile(repo, { revision: infoFact.value.info.sha ?? repo.revision, file }, signal);
  }

  return { gatherRepoFacts, warmRepoFacts, repoInfo, files, pullRequests, author, changedFiles, listRepos, knownAuthor, readTemplateFile, transport, cache, budget: transport.budget };
}

/** Does the repo ship a chat template anywhere the template scans read? Only then is its base's asked for. */
function hasTemplateSource(info: RepoInfo): boolean {
  if (info.ggufChatTemplate !== undefined || info.configChatTemplates !== undefined) return true;
  // Without siblings the file list comes later, from the tree: ask, rather than miss a template.
  if (info.siblingPaths === undefined) return true;
  return info.siblingPaths.some((path) => isGgufFormat(path) || chatTemplateFileKind(path) !== undefined);
}

/** The repo's own templates that were read, once each, with when they were last written at the latest. */
function derivedTemplates(scans: readonly ChatTemplateScan[], files: readonly RepoFile[], info: RepoInfo): DerivedTemplate[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const seen = new Set<string>();
  const out: DerivedTemplate[] = [];
  for (const scan of scans) {
    if (scan.status !== "read") continue;
    const file = byPath.get(scan.path);
    const writtenBy = file?.lastCommit?.date ?? file?.changedNoLaterThan ?? info.lastModified;
    for (const template of scan.templates) {
      if (template.text === undefined || seen.has(template.text)) continue;
      seen.add(template.text);
      out.push({ name: template.name, text: template.text, ...(writtenBy ? { writtenBy } : {}) });
    }
  }
  return out;
}

export function looksLikeConversion(pr: PullRequest): boolean {
  return pr.author?.toLowerCase() === BOT_ACCOUNT || pr.title.trim() === BOT_PR_TITLE;
}

function toGap(error: unknown): Gap {
  if (error instanceof HubRequestError) return error.gap;
  if (error instanceof MalformedError) return { kind: "malformed", message: `The Hub's answer was not in the expected shape: ${error.message}.` };
  // @huggingface/hub throws HubApiError for non-2xx answers; our transport already turned 429s into gaps.
  const status = typeof error === "object" && error !== null && "statusCode" in error ? Number(error.statusCode) : undefined;
  if (status === 401) return { kind: "unauthorized", status, message: "The Hub answered 401: the repo does not exist or is private." };
  if (status === 404) return { kind: "not-found", status, message: "The Hub answered 404: not found." };
  if (status === 403) return { kind: "gated", status, message: "The Hub refused access (403): the repo is gated or disabled." };
  if (status !== undefined && !Number.isNaN(status)) return { kind: "server-error", status, message: `The Hub answered ${status}.` };
  if (error instanceof SyntaxError) return { kind: "malformed", message: "The Hub's answer was not valid JSON." };
  return { kind: "malformed", message: `The Hub's answer could not be read: ${error instanceof Error ? error.message : "unknown error"}.` };
}

function gapTtl(gap: Gap): number {
  if (gap.kind === "aborted") return 0;
  // Not kept: the transport already refuses every request until the block ends (and waits out a short
  // one), while a cached copy could outlive the block by the moment it took to store it, so the re-check
  // that open tabs make when the block lifts would find the stale "rate-limited" again and stay unknown.
  if (gap.kind === "rate-limited") return 0;
  if (gap.kind === "not-found" || gap.kind === "unauthorized" || gap.kind === "gated" || gap.kind === "disabled") return TTL.info;
  return TTL.gap;
}

/** A short, stable digest for a cache key (FNV-1a): not for security, only to keep keys small. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/**
 * The fetch handed to @huggingface/hub: the caller's signal, and error answers named as getJson
 * names them (its HubApiError keeps the status but not X-Error-Code: gated and disabled look alike).
 */
function withSignal(base: typeof fetch, signal: AbortSignal): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await base(input, { ...init, signal });
    if (!response.ok) throw new HubRequestError(await gapFromResponse(response, typeof input === "string" ? input : input instanceof URL ? input.href : input.url));
    return response;
  };
}

/** Count the tree pages read, and notice a `Link` naming a next page that listFiles cannot follow (it takes absolute URLs only). */
function countingPages(base: typeof fetch, onPage: (nextUnfollowable: boolean) => void): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await base(input, init);
    if (response.ok) {
      const link = response.headers.get("link") ?? "";
      onPage(/rel="?next"?/i.test(link) && !/<https?:\/\/[^>]+>;\s+rel="next"/.test(link));
    }
    return response;
  };
}
