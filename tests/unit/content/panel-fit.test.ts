/**
 * Where a findings panel opens (components/panel-fit.ts): below its button when its content fits there or the
 * room is enough, else on the side with more room; never taller than that room; inside the window's edges.
 */
import { describe, expect, it } from "vitest";
import { fitPanel, PANEL_FLOOR, PANEL_GAP, PANEL_MARGIN } from "../../../components/panel-fit";

const WINDOW = { width: 1280, height: 800 };
const panel = (contentHeight: number, width = 480) => ({ width, contentHeight });

describe("fitPanel", () => {
  it("a badge in the header: below it, as tall as the window leaves, no taller", () => {
    const fit = fitPanel({ top: 105, bottom: 127, left: 338 }, panel(1400), WINDOW);
    expect(fit).toEqual({ placement: "below", top: 127 + PANEL_GAP, left: 338, maxHeight: 800 - 127 - PANEL_GAP - PANEL_MARGIN });
  });

  it("a mark low in the window with a long list: above it, with the room above", () => {
    const fit = fitPanel({ top: 560, bottom: 578, left: 520 }, panel(900), WINDOW);
    expect(fit.placement).toBe("above");
    expect(fit.bottom).toBe(800 - 560 + PANEL_GAP);
    expect(fit.top).toBeUndefined();
    expect(fit.maxHeight).toBe(560 - PANEL_GAP - PANEL_MARGIN);
  });

  it("a short panel stays below a low mark when all of it fits there", () => {
    expect(fitPanel({ top: 560, bottom: 578, left: 520 }, panel(150), WINDOW).placement).toBe("below");
  });

  it("near the right edge: moved left to end inside the window", () => {
    const fit = fitPanel({ top: 100, bottom: 122, left: 1100 }, panel(400), WINDOW);
    expect(fit.left).toBe(1280 - PANEL_MARGIN - 480);
  });

  it("a window narrower than the panel: it starts at the left margin", () => {
    expect(fitPanel({ top: 100, bottom: 122, left: 200 }, panel(400, 600), { width: 500, height: 800 }).left).toBe(PANEL_MARGIN);
  });

  it("a window too short for anything: the panel keeps a usable height (and scrolls)", () => {
    expect(fitPanel({ top: 60, bottom: 82, left: 10 }, panel(1000), { width: 800, height: 150 }).maxHeight).toBe(PANEL_FLOOR);
  });
});
