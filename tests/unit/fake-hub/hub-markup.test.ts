/**
 * What the fake Hub's pages write as the Hub writes it (tests/fake-hub/hub-markup.ts): file sizes, times, and the
 * per-file scan badge, checked against what the real saved pages show.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { findFixture } from "../../fake-hub/catalogue";
import { formatCount, formatHubSize, scanBadgeButton, timeAgo } from "../../fake-hub/hub-markup";
import { repoPage } from "../../fake-hub/pages";

const REAL = join(import.meta.dirname, "../../fixtures/pages/real");

describe("formatHubSize", () => {
  it("agrees with a real file view: the size it shows for the file whose lines it holds", () => {
    const { document } = parseHTML(readFileSync(join(REAL, "model-blob--Qwen--Qwen3-Coder-30B-A3B-Instruct--1.html"), "utf8"));
    const lines = JSON.parse(document.querySelector('[data-target="BlobContent"]')?.getAttribute("data-props") ?? "{}").lines as string[];
    const text = lines.map((line) => parseHTML(`<p>${line}</p>`).document.querySelector("p")?.textContent ?? "").join("\n");
    const bytes = new TextEncoder().encode(`${text}\n`).length;
    const shown = Array.from(document.querySelectorAll("div")).map((div) => div.textContent?.trim() ?? "").find((value) => /^\d[\d.]* (Bytes|kB|MB|GB)$/.test(value));
    expect(shown).toBe("28.9 kB");
    expect(formatHubSize(bytes)).toBe(shown);
  });

  it.each([
    // Sizes the other real saved pages (shared/reference/pages/real) show, with the bytes of their files.
    [647, "647 Bytes"],
    [5_594, "5.59 kB"],
    [2_822, "2.82 kB"],
    [42_058, "42.1 kB"],
    // A notebook's view shows "27 kB": 27.0 loses its zero (its bytes are not in the page; any 26,950-27,049 reads so).
    [27_004, "27 kB"],
    // The examples: weights in MB and GB, a vocabulary in kB.
    [440_000_000, "440 MB"],
    [440_473_133, "440 MB"],
    [1_520_000_000, "1.52 GB"],
    [231_000, "231 kB"],
    [4_368_439_296, "4.37 GB"],
  ])("%d bytes read %s", (bytes, shown) => {
    expect(formatHubSize(bytes)).toBe(shown);
  });

  it("rounding that reaches 1000 moves to the next unit", () => {
    expect(formatHubSize(999_950)).toBe("1 MB");
    expect(formatHubSize(999)).toBe("999 Bytes");
    expect(formatHubSize(1000)).toBe("1 kB");
  });
});

describe("timeAgo and formatCount", () => {
  const now = Date.parse("2025-08-18T07:17:24.000Z");
  it.each([
    ["2025-07-31T07:17:24.000Z", "18 days ago"],
    ["2025-08-18T05:00:00.000Z", "about 2 hours ago"],
    ["2025-08-17T07:00:00.000Z", "1 day ago"],
    ["2025-05-10T00:00:00.000Z", "3 months ago"],
    ["2023-05-04T10:00:00.000Z", "over 2 years ago"],
    ["2024-08-01T00:00:00.000Z", "about 1 year ago"],
  ])("%s is %s", (date, words) => {
    expect(timeAgo(date, now)).toBe(words);
  });

  it("counts as the header abbreviates them", () => {
    expect([471, 44_431, 1_234_567].map(formatCount)).toEqual(["471", "44.4k", "1.2M"]);
  });
});

describe("the scan badge", () => {
  it("says the status beside its shield; queued shows the shield alone (as the real pages do)", () => {
    const badge = (status: string) => parseHTML(`<div>${scanBadgeButton(status)}</div>`).document.querySelector("button");
    expect(badge("safe")?.textContent).toBe("Safe");
    expect(badge("unsafe")?.textContent).toBe("Unsafe");
    expect(badge("queued")?.textContent).toBe("");
    for (const status of ["safe", "unsafe", "queued", "caution"]) expect(badge(status)?.querySelectorAll("svg path, svg circle").length).toBeGreaterThan(0);
  });

  it("every file row of a tree page has its size in the Hub's words and, when scanned, a badge with something in it", () => {
    const repo = findFixture("model", "annot-lab/mixed-files");
    if (!repo) throw new Error("no annot-lab/mixed-files");
    const { document } = parseHTML(repoPage(repo, "files", "https://huggingface.co/annot-lab/mixed-files/tree/main"));
    const rows = Array.from(document.querySelectorAll('[data-target="ViewerIndexTreeList"] li')).filter((row) => row.querySelector('a[href*="/blob/"]'));
    expect(rows.length).toBeGreaterThan(5);
    const row = (name: string) => rows.find((candidate) => candidate.querySelector('a[href*="/blob/"]')?.textContent === name);
    const size = (name: string) => row(name)?.querySelector('a[download][title="Download file"] span')?.textContent;
    expect([size("pytorch_model.bin"), size("model.safetensors"), size(".gitattributes"), size("config.json")]).toEqual(["440 MB", "440 MB", "1.52 kB", "700 Bytes"]);
    expect(row("pytorch_model.bin")?.querySelector('[data-target="ScanStatusBadge"] button')?.textContent).toBe("Unsafe");
    expect(row("model.safetensors")?.querySelector('[data-target="ScanStatusBadge"] button')?.textContent).toBe("Safe");
    for (const candidate of rows) expect(candidate.textContent).not.toMatch(/\d B\b/);
  });
});
