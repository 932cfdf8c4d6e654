/**
 * The first repo page after the browser starts (issue 28, part 2), in Chromium: on a brand-new
 * profile (nothing kept yet: no policy snapshot, no settings, no facts) and after a restart of the
 * same profile (the policy snapshot is kept, the page's facts are not). Each scenario runs
 * `runs` times, each in a profile of its own, and the median is printed: one browser start is
 * noisy on a 2-core machine.
 *
 * `npm run bench:first-page` prints the table and writes bench-output/first-page.json; `npm run
 * bench` runs the same scenarios (exported below) for its own table. Printed, never asserted:
 * timings belong in a benchmark, not in a timed test.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { chromiumArgs, chromiumPath } from "../tests/e2e/browser";
import { startFakeHub, type FakeHub, type HubLatency } from "../tests/fake-hub/server";

const HUB = "https://huggingface.co";
/** A repo page for the new profile, another for the restart: neither's facts are cached when it opens. */
const NEW_PROFILE_PAGE = `${HUB}/google-bert/bert-base-uncased`;
const RESTART_PAGE = `${HUB}/datasets/sentinel-verified/parquet-corpus`;

/** Marks the moment the repo badge leaves `pending` (a main-world observer, installed before the page's scripts). */
export const BADGE_TIMER = `(() => {
  const mark = () => {
    if (window.__hubSentinelFinalAt !== undefined) return;
    const level = document.querySelector('[data-hub-sentinel="repo"]')?.getAttribute("data-level");
    if (level && level !== "pending") window.__hubSentinelFinalAt = performance.now();
  };
  new MutationObserver(mark).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-level"] });
})();`;

export interface BadgeTiming {
  /** Navigation start → final badge. */
  navigation: number;
  /** The page's load event (end) → final badge. */
  afterLoad: number;
  load: number;
}

export async function badgeTiming(page: Page, url: string): Promise<BadgeTiming> {
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(
    () => {
      const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
      return (window as unknown as { __hubSentinelFinalAt?: number }).__hubSentinelFinalAt !== undefined && nav !== undefined && nav.loadEventEnd > 0;
    },
    null,
    { timeout: 30_000, polling: 20 },
  );
  return page.evaluate(() => {
    const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    const finalAt = (window as unknown as { __hubSentinelFinalAt: number }).__hubSentinelFinalAt;
    const load = nav?.loadEventEnd ?? Number.NaN;
    return { navigation: finalAt, afterLoad: finalAt - load, load };
  });
}

/** Chromium with the extension in a profile that outlives the browser (launchWithExtension deletes its own). */
async function launchInProfile(hub: FakeHub, extensionDir: string, profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    colorScheme: "light",
    viewport: { width: 1280, height: 800 },
    args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...chromiumArgs(hub)],
  });
}

async function firstPage(context: BrowserContext, url: string): Promise<BadgeTiming> {
  // The page is opened as soon as the browser is up, as a user's first tab is.
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(BADGE_TIMER);
  return badgeTiming(page, url);
}

/** One new profile, then a restart of it. */
export async function firstPageAfterStart(hub: FakeHub, extensionDir: string): Promise<{ newProfile: BadgeTiming; restarted: BadgeTiming }> {
  const profile = mkdtempSync(join(tmpdir(), "hub-sentinel-restart-"));
  try {
    let context = await launchInProfile(hub, extensionDir, profile);
    const newProfile = await firstPage(context, NEW_PROFILE_PAGE);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the background write what it keeps
    await context.close();
    context = await launchInProfile(hub, extensionDir, profile);
    const restarted = await firstPage(context, RESTART_PAGE);
    await context.close();
    return { newProfile, restarted };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface FirstPageFigures {
  runs: number;
  latency: HubLatency;
  newProfile: BadgeTiming[];
  restarted: BadgeTiming[];
  median: { newProfile: BadgeTiming; restarted: BadgeTiming };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const medianTiming = (timings: BadgeTiming[]): BadgeTiming => ({
  navigation: median(timings.map((t) => t.navigation)),
  afterLoad: median(timings.map((t) => t.afterLoad)),
  load: median(timings.map((t) => t.load)),
});

/** `runs` new profiles, each restarted once; the fake Hub answers with `latency` meanwhile. */
export async function measureFirstPages(hub: FakeHub, extensionDir: string, runs: number, latency: HubLatency = {}): Promise<FirstPageFigures> {
  hub.setLatency(latency);
  const newProfile: BadgeTiming[] = [];
  const restarted: BadgeTiming[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const result = await firstPageAfterStart(hub, extensionDir);
      newProfile.push(result.newProfile);
      restarted.push(result.restarted);
    }
  } finally {
    hub.setLatency(undefined);
  }
  return { runs, latency, newProfile, restarted, median: { newProfile: medianTiming(newProfile), restarted: medianTiming(restarted) } };
}

export function describeFirstPages(figures: FirstPageFigures): string[] {
  const line = (name: string, all: BadgeTiming[], mid: BadgeTiming) =>
    `${name}: navigation → final badge ${mid.navigation.toFixed(0)} ms (load → final ${mid.afterLoad.toFixed(0)} ms), median of ${all.length}; runs: ${all.map((t) => t.navigation.toFixed(0)).join(", ")} ms`;
  return [line("new profile", figures.newProfile, figures.median.newProfile), line("after a restart", figures.restarted, figures.median.restarted)];
}

async function main() {
  const runs = Math.max(3, Number(process.env.BENCH_FIRST_PAGE_RUNS ?? "3"));
  const outDir = resolve("bench-output");
  const buildDir = resolve(process.env.BENCH_BUILD_DIR ?? ".output-bench");
  mkdirSync(outDir, { recursive: true });
  if (!process.env.BENCH_BUILD_DIR) {
    console.log("Building the extension into .output-bench …");
    execFileSync("npx", ["wxt", "build"], { stdio: "ignore", env: { ...process.env, WXT_OUT_DIR: buildDir } });
  }
  // BENCH_FIRST_PAGE_LATENCY=1: as a user far from the Hub feels it (the figures `npm run bench` prints with latency).
  const latency: HubLatency = process.env.BENCH_FIRST_PAGE_LATENCY === "1" ? { apiMs: 150, pageMs: 1500 } : {};
  const hub = await startFakeHub();
  try {
    const figures = await measureFirstPages(hub, join(buildDir, "chrome-mv3"), runs, latency);
    const said = latency.apiMs ? `${latency.apiMs} ms per API answer, page ${latency.pageMs} ms` : "without latency";
    console.log(`First repo page after the browser starts (Chromium, fake Hub ${said}, ${runs} runs each):`);
    for (const line of describeFirstPages(figures)) console.log(`  ${line}`);
    console.log("  goals: ≤ 800 ms on a new profile, ≤ 300 ms after a restart (navigation → final badge)");
    writeFileSync(join(outDir, "first-page.json"), `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`);
  } finally {
    await hub.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
