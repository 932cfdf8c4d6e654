import { expect, test } from "./fixtures";
import { afterHydration, finalLevel, HUB, REPO_BADGE, waitUntil, type Driver } from "./driver";
import { PANEL_GAP, PANEL_MARGIN, PANEL_MIN_HEIGHT } from "../../components/panel-fit";

/**
 * Issue 29: a findings panel fits its window. It opens at its button, inside the window, no taller than the room
 * there, and scrolls inside itself: the whole list is reachable by keyboard and wheel. It is fixed to the window,
 * so a scroller of the page (a code view's) cannot cut it, and it follows its button when the page scrolls.
 */

const BADGE_BUTTON = `${REPO_BADGE} >>> button.badge`;
const FILE_MARK = '[data-hub-sentinel="file"][data-path="pytorch_model.bin"]';

interface Geometry {
  window: { width: number; height: number };
  panel: { top: number; bottom: number; left: number; right: number } | null;
  placement: string | null;
  button: { top: number; bottom: number };
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
  lastFinding: { top: number; bottom: number } | null;
  focused: { top: number; bottom: number; part: string } | null;
  pageScroll: number;
  /** What the page draws at the panel's centre and near its corners: the host when nothing covers it. */
  onTop: string[];
}

/** The open panel of the annotation at `host`, measured in the page. */
function geometry(driver: Driver, host: string): Promise<Geometry> {
  return driver.evaluate<Geometry>(`(() => {
    const host = document.querySelector(${JSON.stringify(host)});
    const panel = host.shadowRoot.querySelector(".panel");
    const box = (element) => { const r = element.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
    const findings = panel ? Array.from(panel.querySelectorAll("[data-finding]")) : [];
    const active = host.shadowRoot.activeElement;
    const rect = panel ? panel.getBoundingClientRect() : null;
    const points = rect ? [[(rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2], [rect.left + 12, rect.top + 12], [rect.right - 12, rect.bottom - 12]] : [];
    return {
      window: { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight },
      panel: panel ? box(panel) : null,
      placement: panel ? panel.getAttribute("data-placement") : null,
      button: box(host.shadowRoot.querySelector("button")),
      scrollTop: panel ? panel.scrollTop : 0,
      scrollHeight: panel ? panel.scrollHeight : 0,
      clientHeight: panel ? panel.clientHeight : 0,
      lastFinding: findings.length ? box(findings[findings.length - 1]) : null,
      focused: active && active !== panel ? { ...box(active), part: active.getAttribute("data-part") || active.className || active.tagName } : null,
      pageScroll: window.scrollY,
      onTop: points.map(([x, y]) => { const found = document.elementFromPoint(x, y); return found === host ? "host" : found ? found.tagName.toLowerCase() + "." + found.className : "nothing"; }),
    };
  })()`);
}

function expectInside(g: Geometry) {
  expect(g.panel, "the panel is open").not.toBeNull();
  const panel = g.panel ?? { top: 0, bottom: 0, left: 0, right: 0 };
  expect(panel.top).toBeGreaterThanOrEqual(0);
  expect(panel.left).toBeGreaterThanOrEqual(0);
  expect(panel.bottom).toBeLessThanOrEqual(g.window.height);
  expect(panel.right).toBeLessThanOrEqual(g.window.width);
  expect(g.onTop).toEqual(["host", "host", "host"]);
}

async function openBadgePanel(driver: Driver, path: string) {
  await driver.goto(`${HUB}${path}`);
  await finalLevel(driver);
  await afterHydration(driver);
  await driver.focus(BADGE_BUTTON);
  await driver.press("Enter");
  await waitUntil(async () => (await driver.count(`${REPO_BADGE} >>> .panel`)) === 1, "the panel");
}

test.describe("a findings panel fits its window", () => {
  test("a list longer than the window: the panel ends inside it, and End scrolls the panel to its last finding", async ({ driver }) => {
    await openBadgePanel(driver, "/fresh-uploader-7/pickle-rce");
    const opened = await geometry(driver, REPO_BADGE);
    expectInside(opened);
    expect(opened.placement).toBe("below");
    // The list is longer than the panel: what follows is tested on a panel that has to scroll.
    expect(opened.scrollHeight).toBeGreaterThan(opened.clientHeight + 100);
    expect(opened.lastFinding?.top).toBeGreaterThan(opened.panel?.bottom ?? 0);
    await driver.press("End");
    const end = await waitUntil(async () => {
      const g = await geometry(driver, REPO_BADGE);
      return g.scrollTop + g.clientHeight >= g.scrollHeight - 1 ? g : undefined;
    }, "the panel scrolled to its end");
    expect(end.lastFinding?.bottom).toBeLessThanOrEqual(end.panel?.bottom ?? 0);
    expect(end.pageScroll).toBe(0);
    expectInside(end);
  });

  test("Tab reaches every link and button of the list, each scrolled into the panel's view", async ({ driver }) => {
    await openBadgePanel(driver, "/fresh-uploader-7/pickle-rce");
    const seen: string[] = [];
    for (let step = 0; step < 40 && !seen.includes("panel-allowlist"); step++) {
      await driver.press("Tab");
      const g = await geometry(driver, REPO_BADGE);
      if (!g.focused) continue;
      seen.push(g.focused.part);
      expect(g.focused.top, `${g.focused.part} in view`).toBeGreaterThanOrEqual(g.panel?.top ?? 0);
      expect(g.focused.bottom, `${g.focused.part} in view`).toBeLessThanOrEqual(g.panel?.bottom ?? 0);
    }
    // From the close button to the list's last control, the Allowlist… button below every finding.
    expect(seen[0]).toBe("close");
    expect(seen).toContain("panel-allowlist");
  });

  test("the wheel over the panel scrolls the panel", async ({ driver }) => {
    await openBadgePanel(driver, "/fresh-uploader-7/pickle-rce");
    const before = await geometry(driver, REPO_BADGE);
    const panel = before.panel ?? { top: 0, bottom: 0, left: 0, right: 0 };
    await driver.wheel((panel.left + panel.right) / 2, (panel.top + panel.bottom) / 2, 400);
    const after = await waitUntil(async () => {
      const g = await geometry(driver, REPO_BADGE);
      return g.scrollTop > 0 ? g : undefined;
    }, "the panel scrolled by the wheel");
    expect(after.pageScroll).toBe(0);
    expectInside(after);
  });

  test("a mark low in the window opens its panel above it, and the panel stays at its button when the page scrolls", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/tree/main`);
    await finalLevel(driver, FILE_MARK);
    await afterHydration(driver);
    await driver.click(`${FILE_MARK} >>> button.mark`);
    await waitUntil(async () => (await driver.count(`${FILE_MARK} >>> .panel`)) === 1, "the row's panel");
    const opened = await geometry(driver, FILE_MARK);
    expectInside(opened);
    // The row sits in the window's lower part (the tree starts below the repo header): too little room below.
    expect(opened.window.height - opened.button.bottom - PANEL_GAP - PANEL_MARGIN).toBeLessThan(PANEL_MIN_HEIGHT);
    expect(opened.placement).toBe("above");
    expect(opened.panel?.bottom).toBeLessThanOrEqual(opened.button.top);
    // Scrolled down, the row is higher up: the panel goes with it (below it now, with more room there).
    await driver.evaluate(`window.scrollBy(0, 300)`);
    const moved = await waitUntil(async () => {
      const g = await geometry(driver, FILE_MARK);
      const beside = g.placement === "below" ? (g.panel?.top ?? 0) - g.button.bottom : g.button.top - (g.panel?.bottom ?? 0);
      return g.pageScroll > 0 && Math.abs(g.button.top - opened.button.top) > 100 && beside > 0 && beside < 10 ? g : undefined;
    }, "the panel to follow its button");
    expect(moved.placement).toBe("below");
    expectInside(moved);
  });

  test("a panel opened from inside a code view's scroller is not cut by it", async ({ driver }) => {
    // The real Hub's file view wraps its lines in a horizontal scroller (overflow-x: auto), as the fake one does.
    await driver.goto(`${HUB}/annot-lab/mixed-files/blob/main/README.md`);
    await finalLevel(driver, '[data-hub-sentinel="leak"]');
    await afterHydration(driver);
    expect(await driver.evaluate<boolean>(`getComputedStyle(document.querySelector('[data-hub-sentinel="leak"]').closest(".overflow-x-auto")).overflowX === "auto"`)).toBe(true);
    await driver.click('[data-hub-sentinel="leak"] >>> button.mark');
    await waitUntil(async () => (await driver.count('[data-hub-sentinel="leak"] >>> .panel')) === 1, "the token's panel");
    const g = await geometry(driver, '[data-hub-sentinel="leak"]');
    expectInside(g);
    const scroller = await driver.evaluate<{ top: number; bottom: number }>(`(() => { const r = document.querySelector('[data-hub-sentinel="leak"]').closest(".overflow-x-auto").getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; })()`);
    // The panel reaches outside the scroller's box, and is still drawn there (onTop: the host at its corners).
    expect((g.panel?.top ?? 0) < scroller.top || (g.panel?.bottom ?? 0) > scroller.bottom).toBe(true);
  });
});
