/**
 * The demo's picture check (scripts/demo-fit.ts): a mark in the picture must be whole and uncovered, an open
 * panel must be entirely inside the window and its clipping ancestors; a mark outside the picture is not in it.
 */
import { describe, expect, it } from "vitest";
import { fitProblems, sizeProblem, type MeasuredItem } from "../../../scripts/demo-fit";

const viewport = { width: 1280, height: 800 };
const mark = (rect: MeasuredItem["rect"], extra: Partial<MeasuredItem> = {}): MeasuredItem => ({ what: '[data-hub-sentinel="file"][data-path="a.bin"]', kind: "mark", rect, clips: [], coveredBy: null, ...extra });
const panel = (rect: MeasuredItem["rect"], extra: Partial<MeasuredItem> = {}): MeasuredItem => ({ what: '[data-hub-sentinel="repo"] dialog', kind: "panel", rect, clips: [], coveredBy: null, ...extra });

describe("fitProblems", () => {
  it("marks and a panel inside the window: nothing to say", () => {
    expect(fitProblems("shot.png", { viewport, items: [mark({ left: 10, top: 10, right: 80, bottom: 28 }), panel({ left: 300, top: 130, right: 780, bottom: 788 })] })).toEqual([]);
  });

  it("a mark below the fold is not in the picture; one across the bottom edge is cut", () => {
    expect(fitProblems("shot.png", { viewport, items: [mark({ left: 10, top: 900, right: 80, bottom: 918 })] })).toEqual([]);
    expect(fitProblems("shot.png", { viewport, items: [mark({ left: 10, top: 790, right: 80, bottom: 808 })] })).toEqual([
      'shot.png: the mark [data-hub-sentinel="file"][data-path="a.bin"] at (10, 790) 70×18 passes the window\'s bottom by 8 px (window 1280×800)',
    ]);
  });

  it("an open panel must be whole: one that runs off the bottom is a problem however little of it shows", () => {
    const problems = fitProblems("store-1.png", { viewport, items: [panel({ left: 300, top: 130, right: 780, bottom: 1100 })] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("passes the window's bottom by 300 px");
  });

  it("a panel clipped by a scroller of the page is named with the scroller, on the axes it clips", () => {
    const clip = { by: "div.overflow-x-auto.text-sm", rect: { left: 17, top: 442, right: 1263, bottom: 684 }, x: true, y: true };
    const problems = fitProblems("leak.png", { viewport, items: [panel({ left: 521, top: 218, right: 1001, bottom: 548 }, { clips: [clip] })] });
    expect(problems).toEqual(['leak.png: the open [data-hub-sentinel="repo"] dialog at (521, 218) 480×330 is clipped by div.overflow-x-auto.text-sm at (17, 442) 1246×242: it passes its top by 224 px']);
    // A clip on one axis only does not count the other.
    expect(fitProblems("leak.png", { viewport, items: [panel({ left: 521, top: 218, right: 1001, bottom: 548 }, { clips: [{ ...clip, y: false }] })] })).toEqual([]);
  });

  it("something of the page drawn over a mark is a problem; subpixel layout is not", () => {
    expect(fitProblems("shot.png", { viewport, items: [mark({ left: 10, top: 10, right: 80, bottom: 28 }, { coveredBy: "header.sticky at (45, 19)" })] })[0]).toContain("is covered by header.sticky at (45, 19)");
    expect(fitProblems("shot.png", { viewport, items: [panel({ left: -0.4, top: 130, right: 1280.3, bottom: 799.6 })] })).toEqual([]);
  });
});

describe("sizeProblem", () => {
  it("names the size a picture has when it is not the store's", () => {
    expect(sizeProblem("store-2.png", { width: 1280, height: 800 }, { width: 1280, height: 800 })).toBeUndefined();
    expect(sizeProblem("store-2.png", { width: 1280, height: 720 }, { width: 1280, height: 800 })).toBe("store-2.png is 1280×720, not 1280×800");
  });
});
