import type { CardRequest, CardVerdictView, FileAnnotationsResponse, PrAnnotationsResponse, PrCandidate } from "../annotations/types";
import { cardFindings, needsFullCheck, type CardAuthor } from "../annotations/card-verdict";
import { fileAnnotations } from "../annotations/file-view";
import { prAnnotations } from "../annotations/pr-view";
import type { RepoFinding } from "../findings";
import type { HubClient } from "../hub/client";
import type { RepoFacts, RepoInfo, RepoSecurityStatus } from "../hub/facts";
import type { PageHints } from "../messaging/page-hints";
import { factOf, gapOf, type Fact, type Gap } from "../hub/gaps";
import { gapsOf, recheckAt } from "../hub/recheck";
import { HUB_ORIGIN } from "../hub/links";
import type { BudgetSnapshot } from "../hub/rate-limit";
import { listingKey, listingQueryOf } from "../hub/listing";
import { isRepoId, isRepoType, repoOwner, repoTypePath, type RepoRef } from "../repo-ref";
import type { Rule } from "../rules/types";
import { buildVerdict, evaluateRepo, judgeRepo, type VerdictPolicy } from "../verdict/verdict";

export interface AnnotationServiceOptions {
  client: HubClient;
  rules: readonly Rule[];
  policy: () => Promise<VerdictPolicy>;
  /** The options page's "badges on listing pages" (with the organization's policy): off, cards cost nothing. */
  cardsEnabled?: () => Promise<boolean>;
  hubUrl?: string;
  now?: () => number;
}

/** What a row request's page said about the repo: each saves the Hub a request (page-hints.ts). */
export type RowRequest = { authorKind?: "org" | "user" } & PageHints;

/** Most paths or PR numbers one message may ask about: a page shows far fewer rows. */
const MAX_ITEMS = 500;
/** GGUF headers one message may have read outside the page's budget (an opened row, a file page: one). */
const MAX_TEMPLATE_READS = 2;
/** A listing page shows 30 cards on the Hub (100 on the fake Hub); one message may carry a page and a half of the biggest. */
const MAX_CARDS = 150;
const COMMITS_TTL = 10 * 60_000;

/**
 * Row and card annotations (file rows, pull requests, listing cards). File and PR rows reuse the
 * repo's facts through the client's cache, so a tree or discussions page costs what the repo badge
 * already paid, plus one commit-list request for who last changed the annotated files. Unlike the
 * badge's requests these are not tied to a tab slot: a row request never cancels the badge's.
 */
export function createAnnotationService(options: AnnotationServiceOptions) {
  const { client } = options;
  const now = options.now ?? (() => Date.now());
  const hubUrl = (options.hubUrl ?? HUB_ORIGIN).replace(/\/$/, "");

  async function judged(repo: RepoRef, page: RowRequest): Promise<{ facts: RepoFacts; findings: RepoFinding[]; level: ReturnType<typeof buildVerdict>["level"] }> {
    const facts = await client.gatherRepoFacts(repo, {
      authorKind: page.authorKind,
      ...(page.discussions ? { pageDiscussions: page.discussions } : {}),
    });
    const policy = await options.policy();
    const verdict = judgeRepo(repo, evaluateRepo(facts, options.rules, { settings: policy.settings, now: now() }), policy);
    return { facts, findings: verdict.findings, level: verdict.level };
  }

  /** Who made each recent commit, from the first page of the commit list; empty when it cannot be read. */
  async function commitAuthors(repo: RepoRef): Promise<Map<string, string[]>> {
    const entries = await client.cache.getOrLoad<[string, string[]][]>(
      `commits:${repo.type}:${repo.id}@${repo.revision}`,
      async (signal) => {
        try {
          const url = `${hubUrl}/api/${repoTypePath(repo.type)}/${repo.id}/commits/${encodeURIComponent(repo.revision)}?limit=100`;
          const { body } = await client.transport.getJson(url, signal);
          return Array.isArray(body) ? body.flatMap(commitEntry) : [];
        } catch {
          return [];
        }
      },
      (value) => (value.length > 0 ? COMMITS_TTL : 30_000),
    );
    return new Map(entries);
  }

  const service = {
    /**
     * `always`: a file view, annotated whatever its file holds; `readTemplates`: the row's mark was
     * opened. Either way a GGUF whose header the page's byte budget left unread is read now (once:
     * then it is kept by its sha256), and the answer judges it.
     */
    async files(repo: RepoRef, paths: string[], request: RowRequest & { always?: boolean; readTemplates?: boolean }): Promise<FileAnnotationsResponse> {
      checkRepo(repo);
      paths = Array.isArray(paths) ? paths.filter((path): path is string => typeof path === "string" && path.length < 1000) : [];
      let { facts, findings, level } = await judged(repo, request);
      const unread = request.always === true || request.readTemplates === true ? paths.filter((path) => deferredTemplate(facts, path)).slice(0, MAX_TEMPLATE_READS) : [];
      if (unread.length > 0) {
        await Promise.all(unread.map((path) => client.readTemplateFile(repo, path)));
        ({ facts, findings, level } = await judged(repo, request));
      }
      let views = fileAnnotations(facts, findings, paths.slice(0, MAX_ITEMS), { always: request.always });
      let again = recheckAt(gapsOf(facts), client.budget, now());
      // Who made a change is a row detail: it waits while the Hub's shared budget is low (rate-limit.ts).
      if (views.some((view) => view.lastChange) && !client.budget.allowsOptional()) {
        views = views.map((view) => (view.lastChange && !view.gap ? { ...view, gap: PAUSED_ROW_DETAIL } : view));
        again = earliest(again, pausedUntil(client.budget.snapshot(), now()));
      } else if (views.some((view) => view.lastChange)) {
        const authors = await commitAuthors(repo);
        views = fileAnnotations(facts, findings, paths.slice(0, MAX_ITEMS), { always: request.always, commitAuthors: authors });
      }
      return { repo, repoLevel: level, files: views, ...(again !== undefined ? { recheckAt: again } : {}) };
    },

    async prs(repo: RepoRef, candidates: PrCandidate[], request: RowRequest): Promise<PrAnnotationsResponse> {
      checkRepo(repo);
      candidates = Array.isArray(candidates) ? candidates.filter((candidate) => Number.isSafeInteger(candidate?.num) && candidate.num > 0) : [];
      const { facts, findings } = await judged(repo, request);
      const again = recheckAt(gapsOf(facts), client.budget, now());
      return { repo, prs: prAnnotations(facts, findings, candidates.slice(0, MAX_ITEMS)), ...(again !== undefined ? { recheckAt: again } : {}) };
    },

    /**
     * Cards of a listing: one listing call per page and repo type (lib/hub/listing.ts) answers
     * what cards judge; a card the listing did not cover, or whose pickle weights have no
     * safetensors copy (needsFullCheck), gets its own repo info (with the scan summary). Authors
     * come from the day cache or the page's props (`authorData.type`), never from a request.
     * Everything goes through the client's cache: a page seen again costs nothing.
     */
    async cards(cards: CardRequest[]): Promise<CardVerdictView[]> {
      const unique = new Map<string, CardRequest>();
      const valid = Array.isArray(cards) ? cards.filter((card) => isRepoType(card?.type) && typeof card.id === "string" && isRepoId(card.id)) : [];
      for (const card of valid.slice(0, MAX_CARDS)) unique.set(`${card.type}:${card.id.toLowerCase()}`, card);
      const policy = await options.policy();
      // Listing cards are optional work: while the Hub's shared budget is low they wait (rate-limit.ts).
      const paused = !client.budget.allowsOptional();
      const listings = new Map<string, Promise<Map<string, RepoInfo> | Gap | undefined>>();

      /**
       * The card's item of its page's listing call, or undefined (no listing covers the page, or it
       * missed the card). A listing the rate limit refused is that gap: asking for each card's
       * info instead would send one request per card at the block's end.
       */
      async function listed(card: CardRequest): Promise<RepoInfo | Gap | undefined> {
        const page = listingPageUrl(card.listing);
        const query = page ? listingQueryOf(page, card.type) : undefined;
        if (!query) return undefined;
        const key = listingKey(query);
        let list = listings.get(key);
        if (!list) {
          list = client
            .listRepos(query)
            .then((fact) => (fact.ok ? new Map(fact.value.map((info) => [info.id.toLowerCase(), info])) : fact.gap.kind === "rate-limited" ? fact.gap : undefined));
          listings.set(key, list);
        }
        const found = await list;
        return found instanceof Map ? found.get(card.id.toLowerCase()) : found;
      }

      return Promise.all(
        [...unique.values()].map(async (card): Promise<CardVerdictView> => {
          const repo: RepoRef = { type: card.type, id: card.id, revision: "main" };
          if (card.private) return { type: card.type, id: card.id, level: "unknown", findings: [privateFinding()] };
          if (paused) {
            const snapshot = client.budget.snapshot();
            return { type: card.type, id: card.id, level: "unknown", findings: [pausedCardFinding(snapshot)], recheckAt: pausedUntil(snapshot, now()) };
          }
          const fromList = await listed(card);
          const info: Fact<{ info: RepoInfo; security?: RepoSecurityStatus }> = isGap(fromList)
            ? gapOf(fromList)
            : fromList?.siblingPaths && !needsFullCheck(fromList)
              ? factOf({ info: fromList })
              : await client.repoInfo(repo);
          const again = recheckAt([info.ok ? undefined : info.gap], client.budget, now());
          const owner = repoOwner(card.id);
          const cachedAuthor = await client.knownAuthor(owner);
          // Never fetched for a card: where it could matter (pickles nothing vouches for) the level is already warn or worse.
          const author: CardAuthor = cachedAuthor
            ? { source: "overview", fact: cachedAuthor }
            : { source: "page", name: owner, ...(card.authorKind ? { kind: card.authorKind } : {}) };
          const { findings, notChecked } = cardFindings({ repo, info, author, fetchedAt: now() }, options.rules, { settings: policy.settings, now: now() });
          const verdict = judgeRepo(repo, findings, policy);
          return { type: card.type, id: card.id, level: verdict.level, findings: verdict.findings, notChecked, ...(again !== undefined ? { recheckAt: again } : {}) };
        }),
      );
    },

    /**
     * The `card-verdicts` message. Content scripts start with marks on (the last-known setting)
     * rather than wait for it: when listing marks are off, say so and ask the Hub nothing.
     */
    async cardVerdicts(cards: CardRequest[]): Promise<{ cards: CardVerdictView[]; disabled?: true }> {
      if (options.cardsEnabled && !(await options.cardsEnabled())) return { cards: [], disabled: true };
      return { cards: await service.cards(cards) };
    },
  };
  return service;
}

function deferredTemplate(facts: RepoFacts, path: string): boolean {
  return facts.chatTemplates?.ok === true && facts.chatTemplates.value.some((scan) => scan.path === path && scan.deferred === "budget");
}

/** Messages come from content scripts, which run in pages: check the shape before using it in a URL. */
function checkRepo(repo: RepoRef): void {
  const ok = typeof repo === "object" && repo !== null && isRepoType(repo.type) && typeof repo.id === "string" && isRepoId(repo.id) && typeof repo.revision === "string" && repo.revision.length > 0 && repo.revision.length < 256;
  if (!ok) throw new Error("Not a repo the extension can check.");
}

/** The listing page a card came from, as a huggingface.co URL; undefined for anything else a page could send. */
function listingPageUrl(listing: unknown): URL | undefined {
  if (typeof listing !== "string" || !listing.startsWith("/") || listing.startsWith("//") || listing.length > 2000) return undefined;
  try {
    return new URL(listing, HUB_ORIGIN);
  } catch {
    return undefined;
  }
}

function commitEntry(value: unknown): [string, string[]][] {
  if (typeof value !== "object" || value === null) return [];
  const { id, authors } = value as { id?: unknown; authors?: unknown };
  if (typeof id !== "string" || !Array.isArray(authors)) return [];
  const names = authors.flatMap((author) =>
    typeof author === "object" && author !== null && typeof (author as { user?: unknown }).user === "string" ? [(author as { user: string }).user] : [],
  );
  return [[id, names]];
}

function isGap(value: RepoInfo | Gap | undefined): value is Gap {
  return value !== undefined && "kind" in value && "message" in value && !("id" in value);
}

/** Optional work waits for the block or the window's reset, whichever is later. */
function pausedUntil(budget: BudgetSnapshot, now: number): number {
  return Math.max(now, budget.blockedUntil, budget.savingUntil);
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

const PAUSED_ROW_DETAIL =
  "Who made the last change was not asked: this network's shared Hub rate limit is nearly used up. It is asked when the window resets.";

function pausedCardFinding(budget: BudgetSnapshot): RepoFinding {
  const until = Math.max(budget.blockedUntil, budget.savingUntil);
  const when = until > 0 ? ` until about ${new Date(until).toISOString().slice(11, 19)} UTC` : "";
  return {
    id: "fetch-failed",
    level: "unknown",
    title: "Not checked yet: saving the shared rate limit",
    explanation: `The Hub allows a limited number of anonymous API calls per network${budget.remaining !== undefined && budget.quota !== undefined ? ` (${budget.remaining} of ${budget.quota} left in this window)` : ""}. Listing cards wait${when}, so that the repo page you open can still be checked. Nothing about this repo is known yet.`,
    evidence: [],
    advice: ["Open the repo for its full verdict, or wait: this card is checked again when the Hub's window resets."],
  };
}

function privateFinding(): RepoFinding {
  return {
    id: "fetch-failed",
    level: "unknown",
    title: "Private repo: not checked",
    explanation: "The listing marks this repo private. Hub Sentinel asks the Hub anonymously, so it cannot read a private repo: nothing was checked.",
    evidence: [],
    advice: ["Open the repo while signed in and review its files yourself."],
  };
}

export type AnnotationService = ReturnType<typeof createAnnotationService>;
