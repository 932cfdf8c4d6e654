/**
 * Components rendered with Preact into a linkedom document (no browser, no browser.* APIs).
 */
import { parseHTML } from "linkedom";
import { h, render } from "preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReviewedTokens } from "../../../components/ReviewedTokens";
import { TokenReview, type TokenReviewProps } from "../../../components/TokenReview";
import { auditToken, summarizeForStorage } from "../../../lib/token/audit";
import type { TokenReviewResult } from "../../../lib/token/review-service";
import { parseWhoAmI } from "../../../lib/token/whoami";
import { loadWhoami, NOW, TOKEN } from "./helpers";

let document: Document;
let root: HTMLElement;
let window: Window & typeof globalThis;

beforeEach(() => {
  const dom = parseHTML('<!doctype html><html><body><main id="root"></main></body></html>');
  document = dom.document;
  window = dom.window;
  root = document.getElementById("root") as HTMLElement;
});

afterEach(() => {
  render(null, root);
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function reviewOf(fixture: string | object) {
  const parsed = parseWhoAmI(typeof fixture === "string" ? loadWhoami(fixture) : fixture);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return auditToken(parsed.value, NOW);
}

function okResult(fixture: string | object): TokenReviewResult {
  return { ok: true, review: reviewOf(fixture), cached: false };
}

function show(props: Partial<TokenReviewProps> & { onCheck?: TokenReviewProps["onCheck"] }) {
  render(h(TokenReview, { onCheck: () => undefined, ...props }), root);
}

function q(selector: string): Element | null {
  return root.querySelector(selector);
}

async function typeAndSubmit(value: string) {
  const input = q('[data-hub-sentinel="token-input"]') as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new window.Event("input", { bubbles: true }));
  await tick();
  const form = root.querySelector("form") as HTMLFormElement;
  form.dispatchEvent(new window.Event("submit", { bubbles: true, cancelable: true }));
  await tick();
}

describe("TokenReview", () => {
  it("has a labelled password input, a check button and a session checkbox", () => {
    show({});
    const input = q('[data-hub-sentinel="token-input"]');
    expect(input?.getAttribute("type")).toBe("password");
    const id = input?.getAttribute("id") ?? "";
    expect(id).not.toBe("");
    expect(root.querySelector(`label[for="${id}"]`)?.textContent).toMatch(/token/i);
    expect(q('[data-hub-sentinel="token-check"]')?.tagName).toBe("BUTTON");
    expect(q('[data-hub-sentinel="token-keep-session"]')?.getAttribute("type")).toBe("checkbox");
    expect(q('[aria-live="polite"]')).not.toBeNull();
    expect(q('[data-hub-sentinel="token-report"]')).toBeNull();
    expect(q('[data-hub-sentinel="token-error"]')).toBeNull();
  });

  it("a malformed token shows an error and never reaches onCheck", async () => {
    const calls: string[] = [];
    show({ onCheck: (t) => calls.push(t) });
    await typeAndSubmit("hf_tooShort");
    expect(calls).toEqual([]);
    const error = q('[data-hub-sentinel="token-error"]');
    expect(error?.getAttribute("data-kind")).toBe("malformed");
    expect(error?.textContent).toContain("wrong length");
    expect(error?.textContent).not.toContain("tooShort");
    expect(q('[data-hub-sentinel="token-report"]')).toBeNull();
  });

  it("a well-formed token is passed on trimmed, with the session choice", async () => {
    const calls: [string, boolean][] = [];
    show({ onCheck: (t, o) => calls.push([t, o.keepForSession]), keepForSession: true });
    await typeAndSubmit(` ${TOKEN}\n`);
    expect(calls).toEqual([[TOKEN, true]]);
  });

  it("renders the report for the classic write token (sample 17)", () => {
    show({ result: okResult("classic-write-hubci.json") });
    const report = q('[data-hub-sentinel="token-report"]');
    expect(report).not.toBeNull();
    expect(report?.getAttribute("data-role")).toBe("write");
    expect(report?.getAttribute("data-broad")).toBe("true");
    expect(report?.getAttribute("data-findings")).toBe("legacy-role write-access pre-incident");
    const text = report?.textContent ?? "";
    expect(text).toContain("hub.js");
    expect(text).toContain("ci-hub.js");
    expect(text).toContain("1970-01-01");
    expect(text).toContain("no expiry given");
    expect(q('[data-hub-sentinel="token-error"]')).toBeNull();
    const links = Array.from(root.querySelectorAll("a")).map((a) => a.getAttribute("href"));
    expect(links).toContain("https://huggingface.co/settings/tokens");
    expect(links.some((l) => l?.startsWith("https://huggingface.co/settings/tokens/new?tokenType=fineGrained"))).toBe(true);
    expect(q('[data-hub-sentinel="token-revoke-steps"]')?.querySelectorAll("li").length).toBeGreaterThan(2);
  });

  it("renders scopes grouped by account, organization and repo, unknown permissions verbatim", () => {
    show({ result: okResult("fine-grained-broad-org-admin.json") });
    const report = q('[data-hub-sentinel="token-report"]');
    expect(report?.getAttribute("data-role")).toBe("fineGrained");
    expect(report?.getAttribute("data-findings")).toBe("write-access broad-scope org-admin");
    expect(q('[data-scope-group="user"]')?.textContent).toContain("write to repos (push, create, delete branches)");
    expect(q('[data-scope-group="org"]')?.textContent).toContain("organization acme-ai");
    expect(q('[data-scope-group="repo"]')?.textContent).toContain("space acme-research/demo");
    const unknown = q('[data-permission="collection.frobnicate"]');
    expect(unknown?.getAttribute("data-known")).toBe("false");
    expect(unknown?.textContent).toContain("collection.frobnicate");
    expect(unknown?.textContent).toContain("unknown permission");
    expect(root.querySelectorAll('[data-finding]').length).toBe(3);
  });

  it("a narrow token: data-broad=false and empty data-findings", () => {
    show({ result: okResult("fine-grained-narrow.json") });
    const report = q('[data-hub-sentinel="token-report"]');
    expect(report?.getAttribute("data-broad")).toBe("false");
    expect(report?.getAttribute("data-findings")).toBe("");
    expect(q('[data-hub-sentinel="token-replace-link"]')).not.toBeNull();
  });

  it("initialToken (kept for the session) is checked without retyping", async () => {
    const calls: string[] = [];
    show({ onCheck: (t) => calls.push(t), initialToken: TOKEN });
    const form = root.querySelector("form") as HTMLFormElement;
    form.dispatchEvent(new window.Event("submit", { bubbles: true, cancelable: true }));
    await tick();
    expect(calls).toEqual([TOKEN]);
  });

  it("the use-case chooser switches the replacement link; push asks for a valid repo", async () => {
    show({ result: okResult("classic-read-2023.json") });
    const link = () => q('[data-hub-sentinel="token-replace-link"]')?.getAttribute("href") ?? null;
    expect(link()).toContain("ownUserPermissions=repo.content.read");
    const radios = Array.from(root.querySelectorAll<HTMLInputElement>('[data-hub-sentinel="token-use-case"]'));
    const inference = radios.find((r) => r.getAttribute("value") === "inference");
    inference?.dispatchEvent(new window.Event("change", { bubbles: true }));
    await tick();
    expect(link()).toContain("inference.serverless.write");
    radios.find((r) => r.getAttribute("value") === "push")?.dispatchEvent(new window.Event("change", { bubbles: true }));
    await tick();
    expect(link()).toBeNull();
    const repoInput = q('[data-hub-sentinel="token-push-repo"]') as HTMLInputElement;
    expect(repoInput).not.toBeNull();
    repoInput.value = "mira-k/tiny-bert";
    repoInput.dispatchEvent(new window.Event("input", { bubbles: true }));
    await tick();
    expect(link()).toBe("https://huggingface.co/settings/tokens/new?tokenType=fineGrained");
    expect(q('[data-use-case="push"]')?.textContent).toContain("mira-k/tiny-bert");
  });

  it.each([
    ["invalid-token", "Hugging Face does not accept this token."],
    ["network", "The Hub could not be reached."],
    ["rate-limited", "Try again in 42 s."],
    ["timeout", "The Hub did not answer within 10 s."],
  ] as const)("error %s: message, no report", (kind, message) => {
    show({ result: { ok: false, error: { kind, message } } });
    const error = q('[data-hub-sentinel="token-error"]');
    expect(error?.getAttribute("data-kind")).toBe(kind);
    expect(error?.getAttribute("role")).toBe("alert");
    expect(error?.textContent).toContain(message);
    expect(q('[data-hub-sentinel="token-report"]')).toBeNull();
  });

  it("while checking: no stale report, button disabled", () => {
    show({ result: okResult("classic-read-2023.json"), busy: true });
    expect(q('[data-hub-sentinel="token-report"]')).toBeNull();
    expect(q('[data-hub-sentinel="token-check"]')?.hasAttribute("disabled")).toBe(true);
    expect(q('[aria-live="polite"]')?.getAttribute("aria-busy")).toBe("true");
  });

  it("hostile strings from the Hub render as text", () => {
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const body = loadWhoami("fine-grained-broad-org-admin.json") as Record<string, unknown> & {
      auth: { accessToken: { displayName: string; fineGrained: { scoped: { entity: { name: string } }[] } } };
    };
    body["name"] = hostile;
    body["fullname"] = hostile;
    body.auth.accessToken.displayName = hostile;
    const first = body.auth.accessToken.fineGrained.scoped[2];
    if (first) first.entity.name = hostile;
    show({ result: okResult(body) });
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("script")).toBeNull();
    expect(root.textContent).toContain(hostile);
  });
});

describe("ReviewedTokens", () => {
  it("lists stored reviews: account, token name, date, broad flag", () => {
    const stored = [
      summarizeForStorage(reviewOf("classic-write-hubci.json")),
      summarizeForStorage(reviewOf("fine-grained-narrow.json")),
    ];
    const forgotten: string[] = [];
    render(h(ReviewedTokens, { reviews: stored, onForget: (r) => forgotten.push(r.tokenName ?? "") }), root);
    const items = Array.from(root.querySelectorAll('[data-hub-sentinel="reviewed-token"]'));
    expect(items).toHaveLength(2);
    expect(items.map((i) => i.getAttribute("data-broad"))).toEqual(["true", "false"]);
    expect(items[0]?.textContent).toContain("hub.js");
    expect(items[0]?.textContent).toContain("ci-hub.js");
    expect(items[0]?.textContent).toContain("2026-01-15");
    expect(items[0]?.textContent).toContain("broad");
    expect(items[1]?.textContent).toContain("narrow");
    items[1]?.querySelector("button")?.dispatchEvent(new window.Event("click", { bubbles: true }));
    expect(forgotten).toEqual(["colab-download"]);
    expect(root.textContent).not.toContain(TOKEN);
  });

  it("says so when there is nothing", () => {
    render(h(ReviewedTokens, { reviews: [] }), root);
    expect(root.textContent).toContain("No token reviewed yet");
  });
});
