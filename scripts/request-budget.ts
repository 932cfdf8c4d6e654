/**
 * Request budget of the Hub client (issue 3): starts the fake Hub in this process, runs the real
 * client against it through fetchViaFakeHub, and prints how many API requests each scenario costs
 * next to its target. Exit code 1 when a target is missed.
 *
 *   npm run budget
 *
 * Only API requests (`/api/…`) count: the extension's own pickle scan reads files by Range on
 * /resolve (lib/hub/own-scans.ts), which is not the API and has its own caps.
 */
import type { CardRequest } from "../lib/annotations/types";
import { createAnnotationService } from "../lib/background/annotation-service";
import { createFactCache } from "../lib/hub/cache";
import { createHubClient, type HubClient } from "../lib/hub/client";
import type { RepoFacts } from "../lib/hub/facts";
import type { RepoRef } from "../lib/repo-ref";
import { RULES } from "../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../lib/settings/types";
import { CATALOGUE } from "../tests/fake-hub/catalogue";
import { fetchViaFakeHub } from "../tests/fake-hub/node-fetch";
import { startFakeHub } from "../tests/fake-hub/server";

interface Row {
  scenario: string;
  requests: string;
  target: string;
  pass: boolean;
  note?: string;
}

/** Every API call the client makes, in order, with how many entries a JSON array answer held. */
interface Meter {
  fetch: typeof fetch;
  calls: { path: string; status: number; entries?: number }[];
  /** Calls started after the first 429 was received. */
  afterFirst429(): number;
  reset(): void;
}

function meter(base: typeof fetch, options: { dropSiblings?: boolean } = {}): Meter {
  const calls: Meter["calls"] = [];
  let callsBefore429: number | undefined;
  const metered = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const isApi = url.pathname.startsWith("/api/");
    const record = { path: url.pathname + url.search, status: 0 } as Meter["calls"][number];
    if (isApi) calls.push(record);
    let response = await base(input, init);
    record.status = response.status;
    if (response.status === 429 && callsBefore429 === undefined) callsBefore429 = calls.length;
    if (isApi && response.ok && (response.headers.get("content-type") ?? "").includes("json")) {
      const body: unknown = await response.clone().json();
      if (Array.isArray(body)) record.entries = body.length;
      // The Hub may answer without `siblings` (e.g. with `expand`): the client then walks the tree.
      if (options.dropSiblings && /\/revision\//.test(url.pathname) && body && typeof body === "object" && "siblings" in body) {
        const copy = { ...(body as Record<string, unknown>) };
        delete copy.siblings;
        response = new Response(JSON.stringify(copy), { status: response.status, headers: response.headers });
      }
    }
    return response;
  }) as typeof fetch;
  return {
    fetch: metered,
    calls,
    afterFirst429: () => (callsBefore429 === undefined ? 0 : calls.length - callsBefore429),
    reset: () => {
      calls.length = 0;
      callsBefore429 = undefined;
    },
  };
}

function newClient(fetchImpl: typeof fetch, now?: () => number): HubClient {
  return createHubClient({ fetch: fetchImpl, now, cache: createFactCache({ now }) });
}

const model = (id: string): RepoRef => ({ type: "model", id, revision: "main" });
const dataset = (id: string): RepoRef => ({ type: "dataset", id, revision: "main" });

/** The cards a fake Hub listing page shows (header[title], as on the Hub), as the content script asks for them. */
async function listingCards(fetchImpl: typeof fetch, path: string): Promise<CardRequest[]> {
  const html = await (await fetchImpl(`https://huggingface.co${path}`)).text();
  const ids = [...html.matchAll(/<header[^>]*title="([\w.-]+\/[\w.-]+)"/g)].map((match) => match[1] ?? "");
  return ids.flatMap((id) => {
    const repo = CATALOGUE.find((candidate) => candidate.id === id);
    return repo ? [{ type: repo.type, id, authorKind: repo.author.kind, listing: path }] : [];
  });
}

function cardService(client: HubClient) {
  return createAnnotationService({ client, rules: RULES, policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false }) });
}

function fileCount(facts: RepoFacts): string {
  return facts.files.ok ? `${facts.files.value.files.length} files, ${facts.files.value.complete ? "complete" : "reported incomplete"}` : `files: ${facts.files.gap.kind}`;
}

async function main() {
  const hub = await startFakeHub();
  const rows: Row[] = [];
  try {
    // 1. Cold model page, ≤ 100 files.
    {
      const m = meter(fetchViaFakeHub(hub));
      const client = newClient(m.fetch);
      const facts = await client.gatherRepoFacts(model("google-bert/bert-base-uncased"));
      rows.push({ scenario: "cold model page ≤100 files (google-bert/bert-base-uncased)", requests: String(m.calls.length), target: "≤ 6", pass: m.calls.length <= 6 && facts.info.ok, note: fileCount(facts) });

      // 2. The same page again within the TTL.
      m.reset();
      await client.gatherRepoFacts(model("google-bert/bert-base-uncased"));
      rows.push({ scenario: "same page again within TTL", requests: String(m.calls.length), target: "0", pass: m.calls.length === 0 });
    }

    // 2b. A safetensors repo whose header counts no discussion (issue 20): the repo-level scan status
    // and last commit answer for its weights, and there is no pull-request list to ask for.
    {
      const m = meter(fetchViaFakeHub(hub));
      const facts = await newClient(m.fetch).gatherRepoFacts(model("sentinel-verified/tiny-safetensors"), { authorKind: "org", pageDiscussions: { open: 0, total: 0 } });
      rows.push({
        scenario: "cold safetensors page, header counts no discussion (sentinel-verified/tiny-safetensors)",
        requests: String(m.calls.length),
        target: "2 (info, author)",
        pass: m.calls.length === 2 && facts.info.ok && facts.files.ok,
        note: `${fileCount(facts)}; weights from the repo status`,
      });
    }

    // 3. A repo with an open Safetensors-conversion PR: its changed files cost two more.
    {
      const m = meter(fetchViaFakeHub(hub));
      const facts = await newClient(m.fetch).gatherRepoFacts(model("legacy-lab/old-bin-model"));
      const pr = facts.pullRequests.ok ? facts.pullRequests.value.find((candidate) => candidate.changedFiles) : undefined;
      const changed = pr?.changedFiles?.ok ? pr.changedFiles.value.map((file) => `${file.change} ${file.path}`).join(", ") : "none";
      rows.push({ scenario: "conversion-PR repo (legacy-lab/old-bin-model)", requests: String(m.calls.length), target: "≤ 8 (6 + PR tree + paths-info)", pass: m.calls.length <= 8 && pr !== undefined, note: `PR #${pr?.num ?? "?"}: ${changed}` });
    }

    // 4. A 10,500-file dataset: siblings name every file, paths-info details only the weights.
    {
      const m = meter(fetchViaFakeHub(hub));
      const facts = await newClient(m.fetch).gatherRepoFacts(dataset("big-org/huge-dataset"));
      const detailed = Math.max(0, ...m.calls.filter((call) => call.path.includes("/paths-info/")).map((call) => call.entries ?? 0));
      rows.push({
        scenario: "10,500-file repo, siblings (big-org/huge-dataset)",
        requests: String(m.calls.length),
        target: "≤ 6",
        pass: m.calls.length <= 6 && facts.files.ok,
        note: `${fileCount(facts)}; paths-info entries per answer ≤ ${detailed}`,
      });
    }

    // 5. The same repo when the info has no siblings: the tree walk, 100 entries a page, capped at 10,000 files.
    {
      const m = meter(fetchViaFakeHub(hub), { dropSiblings: true });
      const facts = await newClient(m.fetch).gatherRepoFacts(dataset("big-org/huge-dataset"));
      const pages = m.calls.filter((call) => call.path.includes("/tree/"));
      const perPage = Math.max(0, ...pages.map((call) => call.entries ?? 0));
      const incomplete = facts.files.ok && !facts.files.value.complete;
      rows.push({
        scenario: "10,500-file repo, no siblings: tree walk",
        requests: `${m.calls.length} (${pages.length} tree pages)`,
        target: "≤ 100 pages, ≤ 100 entries each, cap reported",
        pass: pages.length <= 100 && perPage <= 100 && incomplete,
        note: `${fileCount(facts)}; at most ${perPage} entries held per request`,
      });
    }

    // 6. Rate-limited: after the 429 nothing reaches the Hub until Retry-After, then requests resume.
    {
      const RETRY_AFTER = 120;
      let time = Date.now();
      const now = () => time;
      const m = meter(fetchViaFakeHub(hub));
      // One request at a time, as a busy service worker would queue them: the 429 arrives before anything else starts.
      const client = createHubClient({ fetch: m.fetch, now, maxConcurrent: 1, cache: createFactCache({ now }) });
      hub.setFault("busy-org/rate-limited", "info", { kind: "rate-limit", retryAfter: RETRY_AFTER });
      const facts = await client.gatherRepoFacts(model("busy-org/rate-limited"));
      for (const other of ["google-bert/bert-base-uncased", "legacy-lab/old-bin-model", "sentinel-verified/tiny-safetensors"]) {
        await client.gatherRepoFacts(model(other));
      }
      const after = m.afterFirst429();
      const gap = facts.info.ok ? "none" : `${facts.info.gap.kind}, retry in ${facts.info.gap.retryAfterSeconds ?? "?"} s`;
      rows.push({
        scenario: "rate-limited repo, then 3 more pages during the block",
        requests: `${m.calls.length} (${after} after the 429)`,
        target: "0 after the 429",
        pass: after === 0 && !facts.info.ok && facts.info.gap.kind === "rate-limited",
        note: `info gap: ${gap}`,
      });

      time += RETRY_AFTER * 1000;
      hub.setFault("busy-org/rate-limited", "info", undefined);
      m.reset();
      const later = await client.gatherRepoFacts(model("busy-org/rate-limited"));
      rows.push({
        scenario: `same client ${RETRY_AFTER} s later (Hub answers again)`,
        requests: String(m.calls.length),
        target: "> 0, info fetched",
        pass: m.calls.length > 0 && later.info.ok,
      });
    }

    // 7. Listing cards (issue 20): a screen of 30 ordinary cards, judged from one listing call.
    {
      const m = meter(fetchViaFakeHub(hub));
      const cards = (await listingCards(fetchViaFakeHub(hub), "/models?search=listed-model")).slice(0, 30);
      const service = cardService(newClient(m.fetch));
      const views = await service.cards(cards);
      const cold = m.calls.length;
      m.reset();
      await service.cards(cards);
      rows.push({
        scenario: `listing, a screen of ${cards.length} ordinary cards (/models?search=listed-model)`,
        requests: `${cold} cold / ${m.calls.length} warm`,
        target: "≤ 3 cold, 0 warm",
        pass: cards.length === 30 && cold <= 3 && m.calls.length === 0 && views.length === cards.length,
        note: `levels: ${[...new Set(views.map((view) => view.level))].join(", ")}`,
      });
    }

    // 8. The fake Hub's /models page: 100 cards, risk-heavy (every catalogue repo is a risk signal).
    {
      const m = meter(fetchViaFakeHub(hub));
      const cards = await listingCards(fetchViaFakeHub(hub), "/models");
      const service = cardService(newClient(m.fetch));
      await service.cards(cards);
      const listings = m.calls.filter((call) => call.path.startsWith("/api/models?")).length;
      const own = m.calls.length - listings;
      const authors = m.calls.filter((call) => call.path.includes("/overview")).length;
      const cold = m.calls.length;
      m.reset();
      await service.cards(cards);
      rows.push({
        scenario: `listing, /models: ${cards.length} cards, risk-heavy catalogue`,
        requests: `${cold} cold / ${m.calls.length} warm`,
        target: "1 listing + 1 per pickle-only card, 0 warm",
        pass: listings === 1 && authors === 0 && m.calls.length === 0,
        note: `${listings} listing + ${own} repo infos of pickle-only repos; ${((cold * 30) / Math.max(1, cards.length)).toFixed(1)} per screen of 30`,
      });
    }

    // 9. A profile lists models, datasets and Spaces: one listing call per type.
    {
      const m = meter(fetchViaFakeHub(hub));
      const cards = await listingCards(fetchViaFakeHub(hub), "/sentinel-verified");
      await cardService(newClient(m.fetch)).cards(cards);
      const types = new Set(cards.map((card) => card.type)).size;
      rows.push({
        scenario: `listing, profile /sentinel-verified (${cards.length} cards, ${types} types)`,
        requests: String(m.calls.length),
        target: `≤ ${types} (one per type)`,
        pass: m.calls.length <= types,
      });
    }
  } finally {
    hub.clearFaults();
    await hub.close();
  }

  const headers = ["scenario", "API requests", "target", "result", "notes"];
  const table = rows.map((row) => [row.scenario, row.requests, row.target, row.pass ? "PASS" : "FAIL", row.note ?? ""]);
  const widths = headers.map((header, column) => Math.max(header.length, ...table.map((cells) => (cells[column] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const cells of table) console.log(line(cells));
  const failed = rows.filter((row) => !row.pass).length;
  console.log(failed === 0 ? `\nAll ${rows.length} budgets met.` : `\n${failed} of ${rows.length} budgets missed.`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
