/**
 * The popup rendered with Preact into a linkedom document, against an in-memory ExtensionApi (no browser.*).
 */
import { parseHTML } from "linkedom";
import { h, render } from "preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Popup } from "../../../components/Popup";
import type { ReviewedTokenEntry, RepoVerdictView } from "../../../lib/messaging/protocol";
import { parseTargetTab, type ExtensionApi, type TabVerdictState, type TokenReviewAnswer } from "../../../lib/popup/api";
import { auditToken, summarizeForStorage } from "../../../lib/token/audit";
import { parseWhoAmI } from "../../../lib/token/whoami";
import { loadWhoami, NOW, TOKEN } from "../token/helpers";

let root: HTMLElement;
let window: Window & typeof globalThis;

beforeEach(() => {
  const dom = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>');
  window = dom.window;
  root = dom.document.getElementById("app") as HTMLElement;
});
afterEach(() => render(null, root));

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(probe: () => boolean, what: string) {
  for (let i = 0; i < 100; i++) {
    if (probe()) return;
    await tick(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}
const q = (selector: string) => root.querySelector(selector);

const VERDICT: RepoVerdictView = {
  repo: { type: "model", id: "google-bert/bert-base-uncased", revision: "main" },
  level: "info",
  findings: [
    { id: "pickle-weights", level: "info", title: "Pickle weights beside safetensors", explanation: "…", evidence: [], advice: [] },
  ],
  allowlisted: false,
  checkedAt: NOW,
};

function reviewAnswer(): TokenReviewAnswer {
  const parsed = parseWhoAmI(loadWhoami("classic-write-hubci.json"));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { result: { ok: true, review: auditToken(parsed.value, NOW), cached: false } };
}

/** An in-memory extension: keeps reviews and a kept token like the background does. */
function fakeApi(options: { tab?: number; verdicts?: TabVerdictState[]; openPanel?: boolean; tokenReviewAllowed?: boolean } = {}) {
  const verdicts = [...(options.verdicts ?? [{ state: "none" as const }])];
  let reviews: ReviewedTokenEntry[] = [];
  let kept: string | undefined;
  const calls = { tabVerdict: 0, openPanel: [] as number[], reviewToken: [] as string[] };
  const api: ExtensionApi = {
    targetTab: () => Promise.resolve(options.tab === undefined ? undefined : { tabId: options.tab }),
    tabVerdict: () => {
      calls.tabVerdict++;
      const next = verdicts.length > 1 ? verdicts.shift() : verdicts[0];
      return Promise.resolve(next ?? { state: "none" });
    },
    openPanel: (tabId) => {
      calls.openPanel.push(tabId);
      return Promise.resolve(options.openPanel ?? true);
    },
    reviewToken: (token, { keepForSession }) => {
      calls.reviewToken.push(token);
      const answer = reviewAnswer();
      if (answer.result.ok) reviews = [{ id: "0123456789abcdef", review: summarizeForStorage(answer.result.review) }];
      kept = keepForSession ? token : undefined;
      return Promise.resolve(answer);
    },
    reviewedTokens: () => Promise.resolve(reviews),
    forgetReview: (id) => {
      reviews = reviews.filter((r) => r.id !== id);
      return Promise.resolve(reviews);
    },
    keptToken: () => Promise.resolve(kept === undefined ? {} : { token: kept }),
    forgetKeptToken: () => {
      kept = undefined;
      return Promise.resolve();
    },
    tokenReviewAllowed: () => Promise.resolve(options.tokenReviewAllowed ?? true),
  };
  return { api, calls, kept: () => kept };
}

describe("Popup: this page", () => {
  it("shows the tab's verdict with the contract's attributes and opens the page's panel", async () => {
    const { api, calls } = fakeApi({ tab: 12, verdicts: [{ state: "done", verdict: VERDICT }] });
    render(h(Popup, { api }), root);
    await until(() => q('[data-hub-sentinel="tab-summary"]') !== null, "the summary");
    const summary = q('[data-hub-sentinel="tab-summary"]');
    expect(summary?.getAttribute("data-repo")).toBe("google-bert/bert-base-uncased");
    expect(summary?.getAttribute("data-level")).toBe("info");
    expect(summary?.getAttribute("data-findings")).toBe("pickle-weights");
    expect(summary?.textContent).toContain("Pickle weights beside safetensors");
    (q('[data-hub-sentinel="tab-open-panel"]') as HTMLButtonElement).click();
    await tick();
    expect(calls.openPanel).toEqual([12]);
  });

  it("asks again while the verdict is pending, then shows it", async () => {
    const { api, calls } = fakeApi({
      tab: 3,
      verdicts: [{ state: "pending", repo: VERDICT.repo }, { state: "done", verdict: VERDICT }],
    });
    render(h(Popup, { api, pollMs: 5 }), root);
    await until(() => q('[data-hub-sentinel="tab-summary"]')?.getAttribute("data-level") === "pending", "pending");
    await until(() => q('[data-hub-sentinel="tab-summary"]')?.getAttribute("data-level") === "info", "the final level");
    expect(calls.tabVerdict).toBe(2);
  });

  it("says when the page did not answer the request to open its panel", async () => {
    const { api } = fakeApi({ tab: 12, verdicts: [{ state: "done", verdict: VERDICT }], openPanel: false });
    render(h(Popup, { api }), root);
    await until(() => q('[data-hub-sentinel="tab-open-panel"]') !== null, "the button");
    (q('[data-hub-sentinel="tab-open-panel"]') as HTMLButtonElement).click();
    await until(() => q('[role="alert"]') !== null, "the message");
    expect(q('[role="alert"]')?.textContent).toContain("Reload it");
  });

  it("no tab, or a tab that is not a repo page: no summary", async () => {
    const { api } = fakeApi({});
    render(h(Popup, { api }), root);
    await until(() => q('[data-hub-sentinel="tab-none"]') !== null, "the message");
    expect(q('[data-hub-sentinel="tab-summary"]')).toBeNull();
  });
});

describe("Popup: token review", () => {
  async function submit(token: string) {
    const input = q('[data-hub-sentinel="token-input"]') as HTMLInputElement;
    input.value = token;
    input.dispatchEvent(new window.Event("input", { bubbles: true }));
    await tick();
    (root.querySelector("form") as HTMLFormElement).dispatchEvent(new window.Event("submit", { bubbles: true, cancelable: true }));
  }

  it("reviews through the api, shows the report and lists the remembered review", async () => {
    const { api, calls, kept } = fakeApi({});
    render(h(Popup, { api }), root);
    await until(() => q('[data-hub-sentinel="token-input"]') !== null, "the form");
    await submit(`  ${TOKEN}  `);
    await until(() => q('[data-hub-sentinel="token-report"]') !== null, "the report");
    expect(calls.reviewToken).toEqual([TOKEN]);
    expect(kept()).toBeUndefined();
    expect(q('[data-hub-sentinel="token-report"]')?.getAttribute("data-broad")).toBe("true");
    await until(() => q('[data-hub-sentinel="reviewed-token"]') !== null, "the list");
    expect(root.textContent).not.toContain(TOKEN);

    (q('[data-hub-sentinel="reviewed-token"] button') as HTMLButtonElement).click();
    await until(() => q('[data-hub-sentinel="reviewed-token"]') === null, "the review to be forgotten");
  });

  it("a malformed token never reaches the api", async () => {
    const { api, calls } = fakeApi({});
    render(h(Popup, { api }), root);
    await until(() => q('[data-hub-sentinel="token-input"]') !== null, "the form");
    await submit("hf_nope");
    await until(() => q('[data-hub-sentinel="token-error"]') !== null, "the error");
    expect(calls.reviewToken).toEqual([]);
  });

  it("a background failure is a clear error, not a report", async () => {
    const { api } = fakeApi({});
    api.reviewToken = () => Promise.reject(new Error("Refused"));
    render(h(Popup, { api }), root);
    await until(() => q('[data-hub-sentinel="token-input"]') !== null, "the form");
    await submit(TOKEN);
    await until(() => q('[data-hub-sentinel="token-error"]') !== null, "the error");
    expect(q('[data-hub-sentinel="token-error"]')?.textContent).toContain("Nothing was checked");
    expect(q('[data-hub-sentinel="token-report"]')).toBeNull();
  });

  it("a kept token pre-fills the form; unticking the box forgets it", async () => {
    const { api, kept } = fakeApi({});
    await api.reviewToken(TOKEN, { keepForSession: true });
    render(h(Popup, { api }), root);
    await until(() => q('[data-hub-sentinel="token-kept"]') !== null, "the kept note");
    expect((q('[data-hub-sentinel="token-input"]') as HTMLInputElement).value).toBe(TOKEN);
    const box = q('[data-hub-sentinel="token-keep-session"]') as HTMLInputElement;
    // linkedom has no `checked` property, so Preact reflects it as an attribute.
    expect(box.checked === true || box.hasAttribute("checked")).toBe(true);
    box.checked = false;
    box.dispatchEvent(new window.Event("change", { bubbles: true }));
    await until(() => kept() === undefined, "the kept token to be forgotten");
    await until(() => q('[data-hub-sentinel="token-kept"]') === null, "the note to go");
  });
});

describe("parseTargetTab", () => {
  it.each([
    ["?tab=12", 12],
    ["?tab=1&x=y", 1],
    ["", undefined],
    ["?tab=0", undefined],
    ["?tab=-3", undefined],
    ["?tab=1.5", undefined],
    ["?tab=12abc", undefined],
    ["?tab=99999999999", undefined],
  ])("%s → %s", (search, expected) => {
    expect(parseTargetTab(search)).toBe(expected);
  });
});

describe("Popup: token review turned off by the organization", () => {
  it("shows a note instead of the token field, and never offers to send a token", async () => {
    const { api, calls } = fakeApi({ tokenReviewAllowed: false });
    render(h(Popup, { api }), root);
    await until(() => q('[data-part="token-disabled"]') !== null, "the note");
    expect(q('[data-part="token-disabled"]')?.textContent).toContain("Your organization has turned off token review");
    expect(q('[data-hub-sentinel="token-input"]')).toBeNull();
    expect(q('[data-hub-sentinel="token-check"]')).toBeNull();
    expect(calls.reviewToken).toEqual([]);
  });

  it("shows the token field when review is allowed", async () => {
    const { api } = fakeApi({ tokenReviewAllowed: true });
    render(h(Popup, { api }), root);
    await until(() => q('[data-hub-sentinel="token-input"]') !== null, "the field");
    expect(q('[data-part="token-disabled"]')).toBeNull();
  });
});
