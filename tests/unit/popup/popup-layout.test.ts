/**
 * The popup says when the tab's page layout was not recognised (the background's tab state carries
 * the notes), beside the verdict or on a listing page, and says nothing when there are none.
 */
import { parseHTML } from "linkedom";
import { h, render } from "preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Popup } from "../../../components/Popup";
import type { ExtensionApi, TabVerdictState } from "../../../lib/popup/api";

let root: HTMLElement;

beforeEach(() => {
  root = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>').document.getElementById("app") as HTMLElement;
});
afterEach(() => render(null, root));

async function until(probe: () => boolean, what: string) {
  for (let i = 0; i < 100; i++) {
    if (probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The popup's API with one tab whose state is `state`; token review switched off (not what is tested here). */
function apiWith(state: TabVerdictState): ExtensionApi {
  const none = () => Promise.reject(new Error("not used here"));
  return {
    targetTab: () => Promise.resolve({ tabId: 9 }),
    tabVerdict: () => Promise.resolve(state),
    openPanel: () => Promise.resolve(true),
    reviewToken: none,
    reviewedTokens: () => Promise.resolve([]),
    forgetReview: () => Promise.resolve([]),
    keptToken: () => Promise.resolve({}),
    forgetKeptToken: () => Promise.resolve(),
    tokenReviewAllowed: () => Promise.resolve(false),
  };
}

const NOTE = '[data-hub-sentinel="layout-note"]';

describe("Popup: layout not recognised", () => {
  it("on a listing page (no repo verdict), says the cards could not be marked", async () => {
    render(h(Popup, { api: apiWith({ state: "none", layout: [{ part: "cards", evidence: "the page's data lists 30 repos" }] }) }), root);
    await until(() => root.querySelector(NOTE) !== null, "the note");
    expect(root.querySelector(NOTE)?.getAttribute("data-layout-part")).toBe("cards");
    expect(root.querySelector(NOTE)?.textContent).toBe("This page's layout was not recognised: cards could not be marked (the page's data lists 30 repos).");
  });

  it("beside a repo's verdict, one line per part", async () => {
    const verdict = { repo: { type: "model" as const, id: "a/b", revision: "main" }, level: "ok" as const, findings: [], allowlisted: false, checkedAt: 0 };
    const layout = [
      { part: "file-rows" as const, evidence: "the page links to 3 files of this repo" },
      { part: "pull-requests" as const, evidence: "pull request #3 has no place on this page that we recognise" },
    ];
    render(h(Popup, { api: apiWith({ state: "done", verdict, layout }) }), root);
    await until(() => root.querySelectorAll(NOTE).length === 2, "two notes");
    expect(root.querySelector('[data-hub-sentinel="tab-summary"]')?.getAttribute("data-level")).toBe("ok");
    expect(Array.from(root.querySelectorAll(NOTE)).map((note) => note.getAttribute("data-layout-part"))).toEqual(["file-rows", "pull-requests"]);
  });

  it("without notes, says nothing about the layout", async () => {
    render(h(Popup, { api: apiWith({ state: "none" }) }), root);
    await until(() => root.querySelector('[data-hub-sentinel="tab-none"]') !== null, "the not-a-repo message");
    expect(root.querySelector(NOTE)).toBeNull();
  });
});
