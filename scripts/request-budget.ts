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
import { createFactCache } from "../lib/hub/cache";
import { createHubClient, type HubClient } from "../lib/hub/client";
import type { RepoFacts } from "../lib/hub/facts";
import type { RepoRef } from "../lib/repo-ref";
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
