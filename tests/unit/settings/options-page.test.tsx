/**
 * The options page rendered with Preact into a linkedom document, talking to an in-memory
 * OptionsApi that stores what it is given (no browser, no browser.* APIs).
 */
import { parseHTML } from "linkedom";
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OptionsPage } from "../../../components/OptionsPage";
import { EMPTY_MANAGED_POLICY, type ManagedPolicy } from "../../../lib/settings/managed";
import type { OptionsApi } from "../../../lib/settings/options-api";
import { mergePolicy } from "../../../lib/settings/policy";
import { DEFAULT_SETTINGS, validateSettings, type UserSettings } from "../../../lib/settings/schema";

let document: Document;
let window: Window & typeof globalThis;
let root: HTMLElement;

beforeEach(() => {
  const dom = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  document = dom.document;
  window = dom.window;
  root = document.getElementById("root") as HTMLElement;
});
afterEach(() => render(null, root));

const TODAY = "2026-11-21";
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
// Preact runs effects after the next frame, which without requestAnimationFrame is a ~35 ms timer.
const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

function memoryApi(initial: Partial<UserSettings> = {}, managed: ManagedPolicy = EMPTY_MANAGED_POLICY, notes: string[] = []) {
  const state = { settings: { ...DEFAULT_SETTINGS, ...initial } as UserSettings, cleared: 0, failNext: undefined as string | undefined };
  const listeners = new Set<() => void>();
  const api: OptionsApi = {
    load: () => Promise.resolve({ settings: state.settings, policy: mergePolicy(state.settings, managed, notes), managed, today: TODAY }),
    async update(change) {
      if (state.failNext) {
        const message = state.failNext;
        state.failNext = undefined;
        throw new Error(message);
      }
      const next = change(state.settings);
      // The same guard as storage: an invalid document is never stored.
      const { problems } = validateSettings({ ...next });
      if (problems.length > 0) throw new Error(problems[0]?.message);
      state.settings = next;
      listeners.forEach((listener) => listener());
      return api.load();
    },
    clearCachedFacts: () => {
      state.cleared++;
      return Promise.resolve();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { api, state };
}

async function show(api: OptionsApi, prefill?: string) {
  render(<OptionsPage api={api} prefill={prefill} now={() => Date.UTC(2026, 10, 21, 12)} />, root);
  await settle();
}

const q = <T extends Element = HTMLElement>(selector: string): T | null => root.querySelector<T>(selector);
const entries = () => Array.from(root.querySelectorAll('[data-hub-sentinel="allowlist-entry"]')).map((li) => li.getAttribute("data-value"));

async function type(selector: string, value: string) {
  const input = q<HTMLInputElement>(selector);
  if (!input) throw new Error(`no ${selector}`);
  input.value = value;
  input.dispatchEvent(new window.Event("input", { bubbles: true }));
  await tick();
}
async function submit(selector: string) {
  q(selector)?.dispatchEvent(new window.Event("submit", { bubbles: true, cancelable: true }));
  await settle();
}
async function click(selector: string) {
  const target = q(selector);
  if (!target) throw new Error(`no ${selector}`);
  target.dispatchEvent(new window.Event("click", { bubbles: true }));
  await settle();
}

describe("OptionsPage allowlist", () => {
  it("adds an entry with note and expiry, through the contract's input and button", async () => {
    const { api, state } = memoryApi();
    await show(api);
    expect(q('[data-part="allowlist-empty"]')).not.toBeNull();
    expect(q('[data-hub-sentinel="allowlist-add"]')?.tagName).toBe("BUTTON");
    await type('[data-hub-sentinel="allowlist-input"]', " remote-arch/custom-model ");
    await type('[data-part="allowlist-note"]', "reviewed");
    await type('[data-part="allowlist-expires"]', "2026-12-31");
    await submit("form.add");
    expect(state.settings.allowlist).toEqual([{ value: "remote-arch/custom-model", note: "reviewed", expires: "2026-12-31" }]);
    expect(entries()).toEqual(["remote-arch/custom-model"]);
    expect(q('[data-hub-sentinel="allowlist-entry"]')?.textContent).toContain("Applies until the end of 2026-12-31");
    expect(q<HTMLInputElement>('[data-hub-sentinel="allowlist-input"]')?.value).toBe("");
  });

  it("refuses an invalid entry with its reason and keeps what was typed", async () => {
    const { api, state } = memoryApi({ allowlist: [{ value: "google" }] });
    await show(api);
    await type('[data-hub-sentinel="allowlist-input"]', "GOOGLE/*");
    await submit("form.add");
    expect(q('[data-part="allowlist-error"]')?.textContent).toContain('"google" is already in the list');
    expect(q<HTMLInputElement>('[data-hub-sentinel="allowlist-input"]')?.value).toBe("GOOGLE/*");
    expect(state.settings.allowlist).toEqual([{ value: "google" }]);
  });

  it("keeps what was typed when saving fails, and says why", async () => {
    const { api, state } = memoryApi();
    await show(api);
    state.failNext = "storage is full";
    await type('[data-hub-sentinel="allowlist-input"]', "meta-llama");
    await submit("form.add");
    expect(q('[data-part="allowlist-error"]')?.textContent).toContain("Not saved: storage is full");
    expect(q<HTMLInputElement>('[data-hub-sentinel="allowlist-input"]')?.value).toBe("meta-llama");
  });

  it("edits, expires and removes an entry", async () => {
    const { api, state } = memoryApi({ allowlist: [{ value: "google" }, { value: "meta-llama", note: "old" }] });
    await show(api);
    const meta = '[data-hub-sentinel="allowlist-entry"][data-value="meta-llama"]';
    await click(`${meta} [data-part="entry-edit"]`);
    await type(`${meta} [data-part="edit-note"]`, "approved by security");
    await type(`${meta} [data-part="edit-expires"]`, "2027-01-31");
    await submit(`${meta} form.edit`);
    expect(state.settings.allowlist[1]).toEqual({ value: "meta-llama", note: "approved by security", expires: "2027-01-31" });

    await click(`${meta} [data-part="entry-expire"]`);
    expect(state.settings.allowlist[1]?.expires).toBe("2026-11-20");
    expect(q(meta)?.getAttribute("data-expired")).toBe("true");
    expect(q(meta)?.textContent).toContain("Expired after 2026-11-20");
    expect(q(`${meta} [data-part="entry-expire"]`)).toBeNull();

    // The note of an expired entry can still be edited without renewing it.
    await click(`${meta} [data-part="entry-edit"]`);
    await type(`${meta} [data-part="edit-note"]`, "kept for the record");
    await submit(`${meta} form.edit`);
    expect(state.settings.allowlist[1]).toEqual({ value: "meta-llama", note: "kept for the record", expires: "2026-11-20" });

    await click('[data-hub-sentinel="allowlist-entry"][data-value="google"] [data-part="entry-remove"]');
    expect(state.settings.allowlist.map((entry) => entry.value)).toEqual(["meta-llama"]);
    expect(entries()).toEqual(["meta-llama"]);
  });

  it("an edit cannot rename an entry onto another one", async () => {
    const { api, state } = memoryApi({ allowlist: [{ value: "google" }, { value: "meta-llama" }] });
    await show(api);
    const meta = '[data-hub-sentinel="allowlist-entry"][data-value="meta-llama"]';
    await click(`${meta} [data-part="entry-edit"]`);
    await type(`${meta} [data-part="edit-value"]`, "Google");
    await submit(`${meta} form.edit`);
    expect(q(`${meta} [data-part="entry-error"]`)?.textContent).toContain("already in the list");
    expect(state.settings.allowlist.map((entry) => entry.value)).toEqual(["google", "meta-llama"]);
  });

  it("a prefill from a findings panel fills the field and adds nothing by itself", async () => {
    const { api, state } = memoryApi();
    await show(api, "remote-arch/custom-model");
    expect(q<HTMLInputElement>('[data-hub-sentinel="allowlist-input"]')?.value).toBe("remote-arch/custom-model");
    expect(q('[data-part="allowlist-prefill"]')?.textContent).toContain("Nothing is allowlisted until you do");
    expect(state.settings.allowlist).toEqual([]);
  });
});

describe("OptionsPage with an organization's policy", () => {
  const managed: ManagedPolicy = {
    ...EMPTY_MANAGED_POLICY,
    trustedOrganizations: ["acme-ai"],
    allowlist: [{ value: "legacy-lab/*", note: "vendor" }],
    blockedAuthors: ["fresh-uploader-7"],
    minimumStrictness: "strict",
    disableTokenReview: true,
  };

  it("lists managed entries read-only with their source, and what the policy sets", async () => {
    const { api } = memoryApi({ allowlist: [{ value: "fresh-uploader-7" }] }, managed);
    await show(api);
    const managedEntries = Array.from(root.querySelectorAll('[data-hub-sentinel="allowlist-entry"][data-source="managed"]'));
    expect(managedEntries.map((li) => li.getAttribute("data-value"))).toEqual(["acme-ai", "legacy-lab/*"]);
    for (const li of managedEntries) {
      expect(li.getAttribute("data-readonly")).toBe("true");
      expect(li.querySelector("button")).toBeNull();
      expect(li.textContent).toContain("Set by your organization's policy");
    }
    expect(q('[data-part="managed-blocked"]')?.textContent).toContain("fresh-uploader-7");
    expect(q('[data-part="managed-token"]')).not.toBeNull();
    // The user's entry for a blocked author is shown as having no effect.
    expect(q('[data-hub-sentinel="allowlist-entry"][data-value="fresh-uploader-7"]')?.textContent).toContain("blocks this author");
    const balanced = q<HTMLInputElement>('[data-part="strictness-balanced"]');
    expect(balanced?.disabled).toBe(true);
    // linkedom keeps `checked` as an attribute only.
    expect(q('[data-part="strictness-strict"]')?.hasAttribute("checked")).toBe(true);
  });

  it("shows notes about values that could not be used", async () => {
    const { api } = memoryApi({}, EMPTY_MANAGED_POLICY, ["Stored setting allowlist[1].value was dropped: \"a b\" contains spaces: Hub names never do."]);
    await show(api);
    expect(q('[data-part="settings-notes"]')?.textContent).toContain("allowlist[1].value was dropped");
  });
});

describe("OptionsPage settings", () => {
  it("switches a rule off and on, sets strictness and listing badges", async () => {
    const { api, state } = memoryApi();
    await show(api);
    const young = '[data-part="rule-switch"][data-rule="young-account"]';
    expect(q(`[data-part="rule-switch"][data-rule="pickle-imports"]`)).toBeNull();
    expect(q(`[data-part="rule-switch"][data-rule="template-changed"]`)).not.toBeNull();
    q<HTMLInputElement>(young)!.checked = false;
    q(young)?.dispatchEvent(new window.Event("change", { bubbles: true }));
    await settle();
    expect(state.settings.disabledRules).toEqual(["young-account"]);
    q<HTMLInputElement>(young)!.checked = true;
    q(young)?.dispatchEvent(new window.Event("change", { bubbles: true }));
    await settle();
    expect(state.settings.disabledRules).toEqual([]);

    q('[data-part="strictness-strict"]')?.dispatchEvent(new window.Event("change", { bubbles: true }));
    await settle();
    expect(state.settings.strictness).toBe("strict");

    q<HTMLInputElement>('[data-part="listing-annotations"]')!.checked = false;
    q('[data-part="listing-annotations"]')?.dispatchEvent(new window.Event("change", { bubbles: true }));
    await settle();
    expect(state.settings.listingAnnotations).toBe(false);
  });

  it("the download guard: on by default, can be switched to block or off", async () => {
    const { api, state } = memoryApi();
    await show(api);
    expect(q('[data-part="download-guard-ask"]')?.hasAttribute("checked")).toBe(true);
    q('[data-part="download-guard-off"]')?.dispatchEvent(new window.Event("change", { bubbles: true }));
    await settle();
    expect(state.settings.downloadGuard).toBe("off");
    expect(q('[data-part="download-guard-off"]')?.hasAttribute("checked")).toBe(true);
    q('[data-part="download-guard-block"]')?.dispatchEvent(new window.Event("change", { bubbles: true }));
    await settle();
    expect(state.settings.downloadGuard).toBe("block");
  });

  it("an organization's download guard cannot be loosened, and the page says it is the organization's", async () => {
    const { api } = memoryApi({ downloadGuard: "off" }, { ...EMPTY_MANAGED_POLICY, downloadGuard: "block" });
    await show(api);
    expect(q<HTMLInputElement>('[data-part="download-guard-off"]')?.disabled).toBe(true);
    expect(q<HTMLInputElement>('[data-part="download-guard-ask"]')?.disabled).toBe(true);
    expect(q<HTMLInputElement>('[data-part="download-guard-block"]')?.disabled).toBe(false);
    // What applies is shown, not the user's stored choice.
    expect(q('[data-part="download-guard-block"]')?.hasAttribute("checked")).toBe(true);
    expect(q('[data-part="download-guard-off"]')?.parentElement?.textContent).toContain("Your organization does not allow this.");
    expect(q('[data-part="managed-download-guard"]')?.textContent).toContain("Downloads of files marked Danger are blocked");

    const asking = memoryApi({ downloadGuard: "off" }, { ...EMPTY_MANAGED_POLICY, downloadGuard: "ask" });
    render(null, root);
    await show(asking.api);
    expect(q<HTMLInputElement>('[data-part="download-guard-off"]')?.disabled).toBe(true);
    expect(q<HTMLInputElement>('[data-part="download-guard-block"]')?.disabled).toBe(false);
    expect(q('[data-part="managed-download-guard"]')?.textContent).toContain("always on");
  });

  it("a shorter cache lifetime is saved and clears cached facts; a bad one is refused", async () => {
    const { api, state } = memoryApi();
    await show(api);
    await type('[data-part="cache-minutes"]', "0");
    await submit("form.row");
    expect(q('[data-part="settings-error"]')?.textContent).toContain("from 1 to 1440");
    expect(state.settings.cacheMaxMinutes).toBe(1440);
    await type('[data-part="cache-minutes"]', "30");
    await submit("form.row");
    expect(state.settings.cacheMaxMinutes).toBe(30);
    expect(state.cleared).toBe(1);
    await click('[data-part="cache-clear"]');
    expect(state.cleared).toBe(2);
    expect(q('[data-part="settings-status"]')?.textContent).toContain("Cached facts cleared");
  });

  it("imports pasted settings and reports what changed; an invalid paste changes nothing", async () => {
    const { api, state } = memoryApi({ allowlist: [{ value: "google" }] });
    await show(api);
    await type('[data-part="import-text"]', '{"version": 1, "allowlist": [{"value": "bad name"}], "strictness": "strict"}');
    await click('[data-part="import-paste"]');
    expect(q('[data-part="import-problem"]')?.getAttribute("data-field")).toBe("allowlist[0].value");
    expect(state.settings).toMatchObject({ allowlist: [{ value: "google" }], strictness: "balanced" });
    await type('[data-part="import-text"]', '{"version": 1, "allowlist": [{"value": "meta-llama"}], "strictness": "strict"}');
    await click('[data-part="import-paste"]');
    expect(q('[data-part="import-result"]')?.textContent).toContain("1 added");
    expect(state.settings).toMatchObject({ allowlist: [{ value: "google" }, { value: "meta-llama" }], strictness: "strict" });
    expect(entries()).toEqual(["google", "meta-llama"]);
  });
});
