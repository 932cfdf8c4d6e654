/**
 * The popup names the keyboard shortcut that opens the findings panel, as the browser holds it.
 */
import { parseHTML } from "linkedom";
import { h, render } from "preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Popup } from "../../../components/Popup";
import type { RepoVerdictView } from "../../../lib/messaging/protocol";
import type { ExtensionApi } from "../../../lib/popup/api";

let root: HTMLElement;
beforeEach(() => {
  root = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>').document.getElementById("app") as HTMLElement;
});
afterEach(() => render(null, root));

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
async function shortcutNote(): Promise<Element> {
  for (let i = 0; i < 100; i++) {
    const note = root.querySelector('[data-part="panel-shortcut"]');
    if (note) return note;
    await tick(5);
  }
  throw new Error("timed out waiting for the shortcut note");
}

const VERDICT: RepoVerdictView = {
  repo: { type: "model", id: "remote-arch/custom-model", revision: "main" },
  level: "warn",
  findings: [{ id: "remote-code", level: "warn", title: "Runs code from the repo", explanation: "auto_map names modeling_remote.py.", evidence: [], advice: [] }],
  allowlisted: false,
  checkedAt: 0,
};

function api(shortcut?: () => Promise<string | undefined>): ExtensionApi {
  return {
    targetTab: () => Promise.resolve({ tabId: 4 }),
    tabVerdict: () => Promise.resolve({ state: "done", verdict: VERDICT }),
    openPanel: () => Promise.resolve(true),
    ...(shortcut ? { openPanelShortcut: shortcut } : {}),
    reviewToken: () => Promise.reject(new Error("not in this test")),
    reviewedTokens: () => Promise.resolve([]),
    forgetReview: () => Promise.resolve([]),
    keptToken: () => Promise.resolve({}),
    forgetKeptToken: () => Promise.resolve(),
    tokenReviewAllowed: () => Promise.resolve(true),
  };
}

describe("Popup: the panel's keyboard shortcut", () => {
  it("names the shortcut the browser has, as the user set it", async () => {
    render(h(Popup, { api: api(() => Promise.resolve("Ctrl+Shift+Y")) }), root);
    const note = await shortcutNote();
    expect(note.getAttribute("data-shortcut")).toBe("Ctrl+Shift+Y");
    expect(note.querySelector("kbd")?.textContent).toBe("Ctrl+Shift+Y");
  });

  it("says so when the user cleared it", async () => {
    render(h(Popup, { api: api(() => Promise.resolve(undefined)) }), root);
    const note = await shortcutNote();
    expect(note.querySelector("kbd")).toBeNull();
    expect(note.textContent).toContain("No keyboard shortcut is set");
  });

  it("names the default when the browser cannot say", async () => {
    render(h(Popup, { api: api(() => Promise.reject(new Error("commands unavailable"))) }), root);
    await tick(20);
    expect((await shortcutNote()).getAttribute("data-shortcut")).toBe("Alt+Shift+H");
    render(null, root);
    render(h(Popup, { api: api() }), root);
    expect((await shortcutNote()).querySelector("kbd")?.textContent).toBe("Alt+Shift+H");
  });
});
