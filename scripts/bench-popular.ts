/**
 * `npm run bench:popular`: the Hub's most used repos in their real shapes (tests/fake-hub/
 * popular-catalogue.ts), each judged cold through the real Hub client and rules against the fake
 * Hub over HTTPS, as one page view. Prints per repo the level, the findings, the API requests, and
 * the requests and bytes spent reading files (GGUF headers, template files, pickles by Range), and
 * writes the table into README.md between its markers (`--print`: print only; `--json`: JSON).
 *
 * A row whose level differs from what the catalogue expects is marked, and the run fails: the
 * table is the catalogue's promise, measured.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { setMaxListeners } from "node:events";
import { createHubClient } from "../lib/hub/client";
import { TEMPLATE_SCAN_DEFAULTS } from "../lib/hub/template-scans";
import { RULES } from "../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../lib/settings/types";
import { buildVerdict, evaluateRepo } from "../lib/verdict/verdict";
import { POPULAR_REPOS } from "../tests/fake-hub/popular-catalogue";
import { CATALOGUE } from "../tests/fake-hub/catalogue";
import { fetchViaFakeHub } from "../tests/fake-hub/node-fetch";
import { startFakeHub } from "../tests/fake-hub/server";
import { replaceBetweenMarkers } from "./readme-figures";

export const START_MARKER = "<!-- bench-popular:start (npm run bench:popular writes this block) -->";
export const END_MARKER = "<!-- bench-popular:end -->";

interface Row {
  repo: string;
  files: number;
  level: string;
  expected: string;
  findings: string[];
  apiRequests: number;
  fileRequests: number;
  fileBytes: number;
  ggufRead: number;
  ggufFiles: number;
  ms: number;
}

const MB = 1024 * 1024;

function formatBytes(bytes: number): string {
  if (bytes === 0) return "0";
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

async function main() {
  const args = process.argv.slice(2);
  const hub = await startFakeHub();
  const rows: Row[] = [];
  let infoBytes: { plain: number; blobs: number } | undefined;
  try {
    for (const fixture of POPULAR_REPOS) {
      hub.resetLog();
      // One cold page view per repo: a fresh client, nothing cached.
      const client = createHubClient({ fetch: fetchViaFakeHub(hub) });
      const controller = new AbortController();
      // A 25-file GGUF repo hands the page's one signal to each of its reads.
      setMaxListeners(200, controller.signal);
      const started = performance.now();
      const facts = await client.gatherRepoFacts({ type: fixture.type, id: fixture.id, revision: "main" }, { signal: controller.signal });
      const ms = performance.now() - started;
      const findings = evaluateRepo(facts, RULES, { settings: DEFAULT_RULE_SETTINGS, now: Date.now() });
      const verdict = buildVerdict(findings, false);
      const api = hub.log.filter((entry) => entry.path.startsWith("/api/"));
      const reads = hub.log.filter((entry) => !entry.path.startsWith("/api/") && entry.status !== 302);
      const scans = facts.chatTemplates?.ok ? facts.chatTemplates.value : [];
      rows.push({
        repo: fixture.id,
        files: fixture.files.length,
        level: verdict.level,
        expected: fixture.expect.level,
        findings: [...new Set(findings.map((finding) => finding.id))].sort(),
        apiRequests: api.length,
        fileRequests: reads.length,
        fileBytes: reads.reduce((sum, entry) => sum + entry.bytes, 0),
        ggufRead: scans.filter((scan) => scan.source === "gguf" && scan.status === "read" && scan.templates.length > 0).length,
        ggufFiles: scans.filter((scan) => scan.source === "gguf" && !/-0000[2-9]-of-/.test(scan.path)).length,
        ms,
      });
    }
    // What `?blobs=true` adds to the repo info: for the catalogue's 10,500-file repo, the largest.
    const big = CATALOGUE.find((repo) => (repo.extraFiles ?? 0) > 10_000);
    if (big) {
      const fetch = fetchViaFakeHub(hub);
      const base = `https://huggingface.co/api/${big.type}s/${big.id}/revision/main?securityStatus=true`;
      const size = async (url: string) => (await (await fetch(url)).arrayBuffer()).byteLength;
      infoBytes = { plain: await size(base), blobs: await size(`${base}&blobs=true`) };
    }
  } finally {
    await hub.close();
  }
  if (args.includes("--json")) {
    console.log(JSON.stringify({ budget: TEMPLATE_SCAN_DEFAULTS, rows, infoBytes }, null, 2));
    return;
  }
  const mismatched = rows.filter((row) => row.level !== row.expected);
  const lines = [
    `Each repo judged cold, as one page view, through the real client and rules against the fake Hub (\`npm run bench:popular\`).`,
    `GGUF headers: at most ${TEMPLATE_SCAN_DEFAULTS.pageByteBudget / MB} MB per page (${TEMPLATE_SCAN_DEFAULTS.maxGgufBytes / MB} MB per file, ${TEMPLATE_SCAN_DEFAULTS.chunkSize / MB} MB per request until the first header's length is known); "GGUF read" counts the headers read of the repo's GGUF files (first shards).`,
    "",
    "| repo | files | level | findings | API requests | file reads | bytes read | GGUF read |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map((row) => {
      const mark = row.level !== row.expected ? ` (expected ${row.expected})` : "";
      return `| ${row.repo} | ${row.files} | ${row.level}${mark} | ${row.findings.join(", ") || "none"} | ${row.apiRequests} | ${row.fileRequests} | ${formatBytes(row.fileBytes)} | ${row.ggufFiles > 0 ? `${row.ggufRead} of ${row.ggufFiles}` : ""} |`;
    }),
  ];
  if (infoBytes) {
    lines.push("", `The LFS sha256 of each GGUF comes from the repo info's \`?blobs=true\` (no paths-info call): on the fake Hub's 10,500-file repo that info grows from ${formatBytes(infoBytes.plain)} to ${formatBytes(infoBytes.blobs)} uncompressed.`);
  }
  const table = lines.join("\n");
  console.log(table);
  if (mismatched.length > 0) {
    console.error(`\n${mismatched.length} repo(s) did not reach the level the catalogue expects: ${mismatched.map((row) => row.repo).join(", ")}`);
    process.exitCode = 1;
  }
  if (args.includes("--print")) return;
  const readmePath = resolve("README.md");
  const updated = replaceBetweenMarkers(readFileSync(readmePath, "utf8"), table, START_MARKER, END_MARKER);
  if (updated === undefined) {
    console.error(`README.md has no block between\n  ${START_MARKER}\nand\n  ${END_MARKER}`);
    process.exitCode = 1;
    return;
  }
  writeFileSync(readmePath, updated);
  console.log("\nREADME.md: popular-repo table updated.");
}

await main();
