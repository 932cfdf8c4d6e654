/**
 * `npm run bench:readme`: the README's figures table, regenerated from the benchmark's JSON
 * (scripts/bench.ts keeps every run in bench-output/history/). Timings on a shared 2-core machine
 * are noisy, so each figure is the range over the last runs (4 unless `--runs N`), with their dates
 * and the machine they ran on. The table replaces what stands between the two markers in README.md;
 * `--print` only prints it.
 *
 *   npm run bench && npm run bench:readme
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const START_MARKER = "<!-- bench-figures:start (npm run bench:readme writes this block) -->";
export const END_MARKER = "<!-- bench-figures:end -->";

interface Figure {
  value: number | string;
  unit?: string;
  target?: string;
  ok?: boolean;
}

interface BenchRun {
  date: string;
  machine?: { cores: number; cpu: string; memoryGb: number; browser: string };
  figures: Record<string, unknown>;
}

/** One README row: which benchmark figures it shows, how they are named, and the target. */
interface RowSpec {
  label: string;
  /** Figure names in bench.json; a function picks them when the name carries a count. */
  figures: (names: string[]) => string[];
  join?: string;
  target?: string;
  /** The figure whose pass/miss the target shows, when the shown one is text. */
  verdictFrom?: string;
}

const exact = (...wanted: string[]) => () => wanted;
const prefixed = (prefix: string) => (names: string[]) => names.filter((name) => name.startsWith(prefix));

const ROWS: RowSpec[] = [
  { label: "content script, gzipped (raw)", figures: exact("content script, gzipped", "content script, raw"), join: " (", target: "≤ 15 KB" },
  { label: "page-load overhead, median of interleaved loads (no extension = 1)", figures: prefixed("page-load overhead ("), target: "≤ 1.05" },
  { label: "of which an empty content script costs (floor)", figures: exact("  of which any content script costs (floor)") },
  { label: "Hub Sentinel over that floor", figures: exact("  Hub Sentinel over the floor") },
  { label: "our content script's evaluation before the load event: median (max)", figures: exact("content script evaluation before the load event, median (max)"), target: "≤ 1 ms median", verdictFrom: "content script evaluation before the load event, median" },
  {
    label: "API requests, cold / warm: model card, files, file view, community, dataset, Space",
    figures: (names) => ["model card", "files tab", "file view", "community", "dataset", "Space"].map((page) => `API requests, ${page}: cold / warm`).filter((name) => names.includes(name)),
    join: ", ",
    target: "cold ≤ 6, warm 0",
  },
  { label: "navigation → final badge, cold / warm (median, no latency)", figures: exact("navigation → final badge, cold (median)", "navigation → final badge, warm (median)"), join: " / " },
  { label: "with Hub latency: load event → final badge, cold / warm (median)", figures: (names) => [...prefixed("with latency (")(names), "with latency: load event → final badge, warm (median)"], join: " / ", target: "≤ 50 ms cold" },
  { label: "with Hub latency: navigation → final badge, cold / warm (median)", figures: exact("with latency: navigation → final badge, cold / warm (median)") },
  { label: "with Hub latency: API requests cold / warm per page", figures: exact("with latency: API requests cold/warm per page"), target: "cold ≤ 6, warm 0" },
  { label: "with Hub latency: the page's own load event (median)", figures: exact("with latency: page load event (median)") },
  { label: "first page after the browser starts, new profile: navigation → final badge (median of 3, no latency)", figures: prefixed("first page, no latency, new profile"), target: "≤ 800 ms" },
  { label: "first page after a browser restart (policy snapshot kept), same", figures: prefixed("first page, no latency, after a restart"), target: "≤ 300 ms" },
  { label: "with Hub latency: first page after the browser starts, new profile: navigation → final badge (load → final)", figures: exact("first page after browser start, new profile: navigation → final badge (load → final)") },
  { label: "with Hub latency: first page after a browser restart", figures: exact("first page after browser restart: navigation → final badge (load → final)") },
  { label: "10,500-file repo: navigation → final badge, API requests", figures: exact("10,500-file repo: navigation → final badge", "10,500-file repo: API requests"), join: ", " },
  { label: "background process memory while judging it (RSS)", figures: exact("background process memory, before → peak (RSS)") },
  { label: "listing: API requests cold / warm", figures: (names) => names.filter((name) => /^listing of \d+ cards: API requests/.test(name)), target: "≤ 3 per 30 cards cold, warm 0" },
  { label: "listing: navigation → every card marked, cold / warm", figures: (names) => names.filter((name) => /^listing of \d+ cards: navigation/.test(name)) },
];

function formatFigure(figure: Figure): string {
  if (typeof figure.value === "number") {
    const digits = Math.abs(figure.value) >= 100 || Number.isInteger(figure.value) ? 0 : Math.abs(figure.value) >= 10 ? 1 : 2;
    return `${figure.value.toFixed(digits)}${figure.unit ? (figure.unit === "×" ? "×" : ` ${figure.unit}`) : ""}`;
  }
  return figure.value;
}

const NUMBER = /-?\d+(?:\.\d+)?/g;

/**
 * The same text over several runs, each number as its range: "0.8 (7.6) ms" and "1.0 (9.4) ms"
 * give "0.8–1.0 (7.6–9.4) ms". Texts whose words differ between runs show the latest.
 */
export function rangeOf(texts: string[]): string {
  const latest = texts[texts.length - 1] ?? "";
  const shape = (text: string) => text.replace(NUMBER, "#");
  if (texts.length < 2 || !texts.every((text) => shape(text) === shape(latest))) return latest;
  const numbers = texts.map((text) => (text.match(NUMBER) ?? []).map(Number));
  let index = 0;
  return latest.replace(NUMBER, (match) => {
    const column = numbers.map((row) => row[index] ?? Number.NaN);
    index++;
    const decimals = match.includes(".") ? (match.split(".")[1] ?? "").length : 0;
    const low = Math.min(...column).toFixed(decimals);
    const high = Math.max(...column).toFixed(decimals);
    return low === high ? low : `${low}–${high}`;
  });
}

function isFigure(value: unknown): value is Figure {
  return typeof value === "object" && value !== null && "value" in value && (typeof (value as Figure).value === "number" || typeof (value as Figure).value === "string");
}

export function figuresTable(runs: BenchRun[]): string {
  const lines: string[] = [];
  const latest = runs[runs.length - 1];
  if (!latest) return "No benchmark runs found: run `npm run bench` first.";
  const machine = latest.machine ? `${latest.machine.cores} cores (${latest.machine.cpu}), ${latest.machine.memoryGb} GB, ${latest.machine.browser}` : "machine not recorded";
  const dates = runs.map((run) => run.date.slice(0, 16).replace("T", " ")).join(", ");
  lines.push(`Figures from \`npm run bench\` (${runs.length === 1 ? "one run" : `ranges over the last ${runs.length} runs`}: ${dates} UTC), on ${machine},`);
  lines.push("with the fake Hub on the same machine; timings there are noisy. Regenerate with `npm run bench:readme`.");
  lines.push("");
  lines.push("| figure | value | target |");
  lines.push("|---|---|---|");
  for (const row of ROWS) {
    const perRun = runs.map((run) => {
      const names = row.figures(Object.keys(run.figures));
      const parts = names.map((name) => run.figures[name]).filter(isFigure).map(formatFigure);
      if (parts.length === 0) return undefined;
      if (row.join === " (") return parts.length > 1 ? `${parts[0]} (${parts.slice(1).join(", ")})` : (parts[0] ?? "");
      return parts.join(row.join ?? ", ");
    });
    const present = perRun.filter((text): text is string => text !== undefined);
    if (present.length === 0) continue;
    const verdicts = (row.verdictFrom ? [row.verdictFrom] : row.figures(Object.keys(latest.figures))).map((name) => latest.figures[name]).filter(isFigure).map((figure) => figure.ok);
    const missed = verdicts.some((ok) => ok === false);
    const target = row.target ? `${row.target}${missed ? ": missed" : verdicts.some((ok) => ok === true) ? ": met" : ""}` : "";
    lines.push(`| ${row.label} | ${rangeOf(present).replaceAll("|", "\\|")} | ${target} |`);
  }
  return lines.join("\n");
}

function loadRuns(dir: string, count: number): BenchRun[] {
  const history = join(dir, "history");
  const files = existsSync(history)
    ? readdirSync(history)
        .filter((name) => name.endsWith(".json"))
        .sort()
        .slice(-count)
        .map((name) => join(history, name))
    : [];
  if (files.length === 0 && existsSync(join(dir, "bench.json"))) files.push(join(dir, "bench.json"));
  const runs: BenchRun[] = [];
  for (const file of files) {
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as BenchRun;
      if (typeof parsed.date === "string" && parsed.figures && typeof parsed.figures === "object") runs.push(parsed);
    } catch {
      console.error(`Skipped ${file}: not a benchmark report.`);
    }
  }
  return runs;
}

/** Other blocks of the README (bench-popular.ts's table) pass their own markers. */
export function replaceBetweenMarkers(readme: string, table: string, startMarker = START_MARKER, endMarker = END_MARKER): string | undefined {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + startMarker.length)}\n${table}\n${readme.slice(end)}`;
}

function main() {
  const args = process.argv.slice(2);
  const runsIndex = args.indexOf("--runs");
  const count = runsIndex >= 0 ? Math.max(1, Number(args[runsIndex + 1]) || 4) : 4;
  const table = figuresTable(loadRuns(resolve("bench-output"), count));
  if (args.includes("--print")) {
    console.log(table);
    return;
  }
  const readmePath = resolve("README.md");
  const updated = replaceBetweenMarkers(readFileSync(readmePath, "utf8"), table);
  if (updated === undefined) {
    console.error(`README.md has no block between\n  ${START_MARKER}\nand\n  ${END_MARKER}\nPrinting the table instead:\n`);
    console.log(table);
    process.exitCode = 1;
    return;
  }
  writeFileSync(readmePath, updated);
  console.log(`README.md: figures table updated from ${count} run(s) at most.\n\n${table}`);
}

if (process.argv[1] && resolve(process.argv[1]).endsWith("readme-figures.ts")) main();
