import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

/**
 * The demo's check that a picture shows every mark and panel whole: each mark that is in the picture at all is
 * inside the window, not cut by an ancestor that clips (overflow hidden, auto, scroll), and not covered by the
 * page; each open panel or dialog is entirely inside the window and its clipping ancestors. Measured in the page
 * by demo-fit-probe.js just before the shot; judged here, so the rules have unit tests (tests/unit/demo).
 */

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface MeasuredItem {
  /** `[data-hub-sentinel="file"][data-path="…"]`, with ` dialog` / ` panel` for what is open in it. */
  what: string;
  kind: "mark" | "panel";
  rect: Rect;
  /** Ancestors that clip it, nearest first, and on which axes. */
  clips: { by: string; rect: Rect; x: boolean; y: boolean }[];
  /** What of the page is drawn on top of it, if anything. */
  coveredBy: string | null;
}

export interface Measured {
  viewport: { width: number; height: number };
  items: MeasuredItem[];
}

/** Subpixel rounding of layout; anything more is a real cut. */
const SLACK = 0.5;

const round = (value: number) => Math.round(value);
const describe = (rect: Rect) => `(${round(rect.left)}, ${round(rect.top)}) ${round(rect.right - rect.left)}×${round(rect.bottom - rect.top)}`;

function intersects(rect: Rect, area: Rect): boolean {
  return rect.right > area.left + SLACK && rect.left < area.right - SLACK && rect.bottom > area.top + SLACK && rect.top < area.bottom - SLACK;
}

/** The edges of `area` that `rect` passes, and by how much. */
function overflow(rect: Rect, area: Rect, axes: { x: boolean; y: boolean } = { x: true, y: true }): string[] {
  const edges: string[] = [];
  if (axes.x && rect.left < area.left - SLACK) edges.push(`left by ${round(area.left - rect.left)} px`);
  if (axes.x && rect.right > area.right + SLACK) edges.push(`right by ${round(rect.right - area.right)} px`);
  if (axes.y && rect.top < area.top - SLACK) edges.push(`top by ${round(area.top - rect.top)} px`);
  if (axes.y && rect.bottom > area.bottom + SLACK) edges.push(`bottom by ${round(rect.bottom - area.bottom)} px`);
  return edges;
}

/** Every way the picture `shot` would show a mark or panel cut off or hidden, in words; empty when none does. */
export function fitProblems(shot: string, measured: Measured): string[] {
  const window: Rect = { left: 0, top: 0, right: measured.viewport.width, bottom: measured.viewport.height };
  const problems: string[] = [];
  for (const item of measured.items) {
    // A mark wholly outside the picture is simply not in it; a panel that is open must be in it whole.
    if (item.kind === "mark" && !intersects(item.rect, window)) continue;
    const label = `${shot}: ${item.kind === "panel" ? "the open " : "the mark "}${item.what} at ${describe(item.rect)}`;
    const cut = overflow(item.rect, window);
    if (cut.length > 0) problems.push(`${label} passes the window's ${cut.join(", ")} (window ${measured.viewport.width}×${measured.viewport.height})`);
    for (const clip of item.clips) {
      const clipped = overflow(item.rect, clip.rect, clip);
      if (clipped.length > 0) problems.push(`${label} is clipped by ${clip.by} at ${describe(clip.rect)}: it passes its ${clipped.join(", ")}`);
    }
    if (item.coveredBy) problems.push(`${label} is covered by ${item.coveredBy}`);
  }
  return problems;
}

/** The size a stored picture must have, or a problem naming the size it has. */
export function sizeProblem(shot: string, size: { width?: number; height?: number }, wanted: { width: number; height: number }): string | undefined {
  return size.width === wanted.width && size.height === wanted.height ? undefined : `${shot} is ${size.width ?? "?"}×${size.height ?? "?"}, not ${wanted.width}×${wanted.height}`;
}

const PROBE = readFileSync(new URL("./demo-fit-probe.js", import.meta.url), "utf8");

/** Measure the page as it is now (demo-fit-probe.js) and judge it. */
export async function checkFit(page: Page, shot: string): Promise<string[]> {
  const measured = await page.evaluate<Measured>(PROBE);
  return fitProblems(shot, measured);
}
