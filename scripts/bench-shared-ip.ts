/**
 * `npm run bench:shared-ip`: N users behind one IP (an office, a lab, a classroom) browse the Hub
 * with Hub Sentinel, against the fake Hub enforcing the anonymous API limit (500 calls per 5-minute
 * fixed window per IP, with the real `RateLimit` / `RateLimit-Policy` / `Retry-After` headers).
 *
 * Each user is one extension: its own Hub client, fact cache, verdict and annotation services (the
 * background's own code). The browsing is replayed on a simulated clock (shared by the users and the
 * fake Hub's window), so an hour of browsing takes seconds and the caches' lifetimes, the Hub's
 * windows and the extension's back-off all see the times they would see. Loopback only.
 *
 * Prints, for N = 1, 10, 50: API calls per user-hour, the busiest window's share of the 500 calls,
 * calls the Hub refused, badges left `unknown` by the limit, and listing cards paused to save it.
 *
 *   npm run bench:shared-ip -- --minutes 60 --users 1,10,50 --json bench-output/shared-ip.json
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createAnnotationService } from "../lib/background/annotation-service";
import { createVerdictService } from "../lib/background/verdict-service";
import type { CardRequest } from "../lib/annotations/types";
import { createFactCache } from "../lib/hub/cache";
import { createHubClient } from "../lib/hub/client";
import type { RepoRef } from "../lib/repo-ref";
import { RULES } from "../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../lib/settings/types";
import type { FixtureFile, FixtureRepo } from "../tests/fake-hub/catalogue-types";
import { hintsFromPage } from "../lib/messaging/page-hints";
import { fetchViaFakeHub } from "../tests/fake-hub/node-fetch";
import { discussionsStatsOf } from "../tests/fake-hub/pages";
import { HUB_ANONYMOUS_LIMIT } from "../tests/fake-hub/rate-meter";
import { startFakeHub, type FakeHub } from "../tests/fake-hub/server";

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const MINUTES = Math.min(240, Math.max(5, Number(option("minutes") ?? "60")));
const USER_COUNTS = (option("users") ?? "1,10,50").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0 && n <= 200);
/** "Briskly": a page every 20 s on average, for the whole session (180 pages an hour). */
const MEAN_SECONDS_PER_PAGE = Number(option("pace") ?? "20");
const CARDS_PER_SCREEN = 30;
/** Share of page views that are listings (`--listings 0`: repo pages only, to see what the badges cost alone). */
const LISTING_SHARE = Math.min(0.95, Math.max(0, Number(option("listings") ?? "0.25")));
/** How Files and Community tabs are reached (see `browser`). */
const TABS = option("tabs") === "independent" ? "independent" : "session";
const OLD = "2024-02-01T10:00:00.000Z";

/** A deterministic generator, so runs compare. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** A Zipf-like pick: a few repos are where everyone goes, most are visited rarely. */
function popular(rand: () => number, count: number): number {
  return Math.min(count - 1, Math.floor(count ** rand() - 1));
}

/**
 * A Hub of 600 repos by 80 authors, shaped like the real one's mix: most have safetensors, some
 * pickles (scanned), a few open pull requests, one in twenty a conversion-bot PR.
 */
function syntheticCatalogue(): FixtureRepo[] {
  const rand = random(7);
  const repos: FixtureRepo[] = [];
  const authors = Array.from({ length: 80 }, (_, i) => ({
    name: `lab-${String(i).padStart(2, "0")}`,
    kind: i % 3 === 0 ? ("org" as const) : ("user" as const),
    isVerified: i % 6 === 0,
    createdAt: "2021-06-01T00:00:00.000Z",
    followers: 10 * i,
  }));
  const file = (path: string, size: number, extra: Partial<FixtureFile> = {}): FixtureFile => ({ path, size, lastCommit: { title: `Upload ${path}`, date: OLD }, ...extra });
  for (let i = 0; i < 600; i++) {
    const type = i % 10 === 8 ? "dataset" : i % 10 === 9 ? "space" : "model";
    const author = authors[popular(rand, authors.length)] ?? authors[0]!;
    const files: FixtureFile[] = [file(".gitattributes", 1519), file("README.md", 4000), file("config.json", 700)];
    if (type === "model") {
      files.push(file("model.safetensors", 440_000_000, { lfs: true, scan: "safe" }));
      if (rand() < 0.25) files.push(file("pytorch_model.bin", 440_000_000, { lfs: true, scan: "safe", imports: [{ module: "collections", name: "OrderedDict", safety: "innocuous" }] }));
    }
    if (type === "dataset") files.push(file("data/train.parquet", 9_000_000, { lfs: true, scan: "safe" }));
    if (type === "space") files.push(file("app.py", 2000));
    const pullRequests = rand() < 0.3 ? [{ num: 1, title: "Update README.md", author: "someone", status: "open" as const, createdAt: OLD }] : [];
    repos.push({
      type,
      id: `${author.name}/repo-${String(i).padStart(3, "0")}`,
      story: "synthetic",
      author,
      files,
      pullRequests,
      expect: { level: "ok", findings: [] },
    });
  }
  return repos;
}

type Visit = { kind: "repo" | "files" | "community"; repo: FixtureRepo } | { kind: "listing"; cards: FixtureRepo[]; page: string };

/** Of the repo pages: 8 in 15 repo pages, 4 Files tabs, 3 Community tabs, in either model. */
const FILES_PER_REPO_PAGE = 4 / 8;
const COMMUNITY_PER_REPO_PAGE = 3 / 8;

function listingVisit(rand: () => number, models: FixtureRepo[]): Visit {
  // Listing pages: the first screens of /models, the first one most often.
  const screen = popular(rand, 4);
  // The page's own path and query, as the card feature sends it: the background asks for the list in one call.
  return { kind: "listing", cards: models.slice(screen * CARDS_PER_SCREEN, (screen + 1) * CARDS_PER_SCREEN), page: screen === 0 ? "/models" : `/models?p=${screen}` };
}

/**
 * `--tabs session` (the default): a user opens a repo's page, then in half of the visits its Files
 * tab and in three in eight its Community tab, as the Hub's tabs are links on the repo page. Page
 * views stay a quarter listings, and repo pages, Files and Community tabs stay 8 : 4 : 3.
 * `--tabs independent`: every page is a repo drawn afresh, so a Files or Community tab is as cold
 * as a repo page: what links from elsewhere straight into a tab would cost.
 */
function browser(rand: () => number, catalogue: FixtureRepo[], models: FixtureRepo[], tabs: "session" | "independent"): () => Visit {
  const pick = () => catalogue[popular(rand, catalogue.length)] ?? catalogue[0]!;
  if (tabs === "independent") {
    return () => {
      if (rand() < LISTING_SHARE) return listingVisit(rand, models);
      const roll = rand();
      return { kind: roll < 8 / 15 ? "repo" : roll < 12 / 15 ? "files" : "community", repo: pick() };
    };
  }
  // A repo visit is 1 + 4/8 + 3/8 pages: choose listings that much more often, for a quarter of the pages.
  const pagesPerRepoVisit = 1 + FILES_PER_REPO_PAGE + COMMUNITY_PER_REPO_PAGE;
  const listingChoice = (LISTING_SHARE * pagesPerRepoVisit) / (1 - LISTING_SHARE + LISTING_SHARE * pagesPerRepoVisit);
  const queue: Visit[] = [];
  return () => {
    const queued = queue.shift();
    if (queued) return queued;
    if (rand() < listingChoice) return listingVisit(rand, models);
    const repo = pick();
    if (rand() < FILES_PER_REPO_PAGE) queue.push({ kind: "files", repo });
    if (rand() < COMMUNITY_PER_REPO_PAGE) queue.push({ kind: "community", repo });
    return { kind: "repo", repo };
  };
}

interface Outcome {
  users: number;
  minutes: number;
  pages: number;
  apiCalls: number;
  refused: number;
  callsPerUserHour: number;
  busiestWindowShare: number;
  meanWindowShare: number;
  badgesUnknownFromLimit: number;
  cardsPausedOrUnknownFromLimit: number;
  cards: number;
  /** API calls by what they asked for. */
  byKind: Record<string, number>;
  /** The same, in the 5-minute window (from the first page) that saw the most calls. */
  busiestWindowByKind: Record<string, number>;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

function kindOf(path: string): string {
  if (/^\/api\/(organizations|users)\//.test(path)) return "author";
  if (/\/paths-info\/|\/tree\//.test(path)) return "files";
  if (/\/discussions/.test(path)) return "pull requests";
  if (/\/commits\//.test(path)) return "commits";
  if (/\/revision\//.test(path)) return "repo info";
  return "other";
}

async function simulate(users: number, catalogue: FixtureRepo[]): Promise<Outcome> {
  let time = Date.parse("2026-03-02T09:00:00.000Z");
  const now = () => time;
  const hub: FakeHub = await startFakeHub({ catalogue, rateLimit: HUB_ANONYMOUS_LIMIT, now });
  try {
    const fetch = fetchViaFakeHub(hub);
    const policy = () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false });
    const models = catalogue.filter((repo) => repo.type === "model");
    const extensions = Array.from({ length: users }, (_, index) => {
      // A short block is waited out on the simulated clock: the wait passes in no real time.
      const client = createHubClient({ fetch, now, cache: createFactCache({ now }), ownScans: false, sleep: async (ms) => void (time = Math.max(time, now() + ms)) });
      return {
        client,
        verdicts: createVerdictService({ client, rules: RULES, policy, now }),
        annotations: createAnnotationService({ client, rules: RULES, policy, now }),
        rand: random(1000 + index),
      };
    }).map((extension) => ({ ...extension, next: browser(extension.rand, catalogue, models, TABS) }));
    // Each user's next page, on the simulated clock; users start within the first minute.
    const due = extensions.map((extension) => ({ extension, at: time + Math.floor(extension.rand() * 60_000) }));
    const start = time;
    const end = time + MINUTES * 60_000;
    const byWindow: Record<string, number>[] = [];
    let pages = 0;
    let badgesUnknown = 0;
    let cardsHeld = 0;
    let cards = 0;
    const fromLimit = (text: string) => /rate.?limit|shared rate limit/i.test(text);
    for (let step = 0; step < users * MINUTES * 12; step++) {
      due.sort((a, b) => a.at - b.at);
      const next = due[0];
      if (!next || next.at >= end) break;
      time = Math.max(time, next.at);
      const { extension } = next;
      const visit = extension.next();
      pages++;
      const callsBefore = hub.apiRequests().length;
      if (visit.kind === "listing") {
        const requests: CardRequest[] = visit.cards.map((repo) => ({ type: repo.type, id: repo.id, authorKind: repo.author.kind, listing: visit.page }));
        const views = await extension.annotations.cards(requests);
        cards += views.length;
        cardsHeld += views.filter((view) => view.level === "unknown" && view.findings.some((finding) => fromLimit(`${finding.title} ${finding.explanation}`))).length;
      } else {
        const repo: RepoRef = { type: visit.repo.type, id: visit.repo.id, revision: "main" };
        // What the content script reads from the page's header and sends along (page-hints.ts).
        const page = { authorKind: visit.repo.author.kind, ...hintsFromPage({ discussions: discussionsStatsOf(visit.repo) }) };
        const view = await extension.verdicts.verdictFor(repo, { ...page, tabId: 1 });
        if (view.level === "unknown" && view.findings.some((finding) => fromLimit(`${finding.title} ${finding.explanation}`))) badgesUnknown++;
        if (visit.kind === "files") await extension.annotations.files(repo, visit.repo.files.map((file) => file.path), page);
        if (visit.kind === "community") await extension.annotations.prs(repo, (visit.repo.pullRequests ?? []).map((pr) => ({ num: pr.num })), page);
      }
      // The page's calls, by the 5-minute window (of the simulated clock) it was opened in.
      const window = Math.floor((time - start) / HUB_ANONYMOUS_LIMIT.windowMs);
      const counts = (byWindow[window] ??= {});
      for (const entry of hub.apiRequests().slice(callsBefore)) counts[kindOf(entry.path)] = (counts[kindOf(entry.path)] ?? 0) + 1;
      // Reading the page: 5 s to a minute, brisk on average.
      next.at = time + Math.round(5000 + extension.rand() * (2 * MEAN_SECONDS_PER_PAGE - 10) * 1000);
    }
    const api = hub.apiRequests();
    const windows = hub.rateWindows();
    const shares = windows.map((window) => (window.calls + window.refused) / HUB_ANONYMOUS_LIMIT.limit);
    return {
      users,
      minutes: MINUTES,
      pages,
      apiCalls: api.length,
      refused: api.filter((entry) => entry.status === 429).length,
      callsPerUserHour: api.length / users / (MINUTES / 60),
      busiestWindowShare: Math.max(0, ...shares),
      // Over every 5-minute window of the session, busy or not.
      meanWindowShare: api.length / (HUB_ANONYMOUS_LIMIT.limit * ((MINUTES * 60_000) / HUB_ANONYMOUS_LIMIT.windowMs)),
      badgesUnknownFromLimit: badgesUnknown,
      cardsPausedOrUnknownFromLimit: cardsHeld,
      cards,
      busiestWindowByKind: byWindow.reduce<Record<string, number>>((busiest, counts) => (total(counts) > total(busiest) ? counts : busiest), {}),
      byKind: api.reduce<Record<string, number>>((counts, entry) => {
        const kind = kindOf(entry.path);
        counts[kind] = (counts[kind] ?? 0) + 1;
        return counts;
      }, {}),
    };
  } finally {
    await hub.close();
  }
}

async function main() {
  const catalogue = syntheticCatalogue();
  const outcomes: Outcome[] = [];
  for (const users of USER_COUNTS) outcomes.push(await simulate(users, catalogue));
  const percent = (share: number) => `${(share * 100).toFixed(0)} %`;
  console.log(`\nShared IP, ${MINUTES} simulated minutes, a page every ~${MEAN_SECONDS_PER_PAGE} s per user (${Math.round(LISTING_SHARE * 100)} % listings of ${CARDS_PER_SCREEN} cards; of the rest 8/15 repo pages, 4/15 Files, 3/15 Community, ${TABS === "session" ? "the tabs of the repo just opened" : "each tab of a repo drawn afresh"}); the Hub's limit: ${HUB_ANONYMOUS_LIMIT.limit} API calls / 5 min per IP\n`);
  console.log("| users | pages | API calls | calls per user-hour | busiest 5-min window | mean window | refused (429) | badges unknown from the limit | cards paused or unknown from the limit |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const o of outcomes) {
    console.log(
      `| ${o.users} | ${o.pages} | ${o.apiCalls} | ${o.callsPerUserHour.toFixed(0)} | ${percent(o.busiestWindowShare)} | ${percent(o.meanWindowShare)} | ${o.refused} | ${o.badgesUnknownFromLimit} | ${o.cardsPausedOrUnknownFromLimit} of ${o.cards} |`,
    );
  }
  console.log("\nAPI calls by kind:");
  for (const o of outcomes) console.log(`  ${o.users} user${o.users === 1 ? "" : "s"}: ${Object.entries(o.byKind).map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
  console.log("\nThe busiest 5-minute window, by kind:");
  for (const o of outcomes) console.log(`  ${o.users} user${o.users === 1 ? "" : "s"}: ${Object.entries(o.busiestWindowByKind).map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
  const ten = outcomes.find((o) => o.users === 10);
  if (ten) {
    console.log(
      `\nGoal for 10 users: under half the window (${percent(ten.busiestWindowShare)} at the busiest: ${ten.busiestWindowShare < 0.5 ? "met" : "missed"}), no badge unknown from the limit (${ten.badgesUnknownFromLimit}: ${ten.badgesUnknownFromLimit === 0 ? "met" : "missed"}).`,
    );
  }
  const json = option("json");
  if (json) {
    mkdirSync(dirname(json), { recursive: true });
    writeFileSync(json, JSON.stringify(outcomes, null, 2));
  }
}

await main();
