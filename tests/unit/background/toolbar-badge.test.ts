import { describe, expect, it } from "vitest";
import { createToolbarBadges, toolbarBadgeFor, type TabVerdictState, type ToolbarActionApi } from "../../../lib/background/toolbar-badge";
import type { RepoFinding } from "../../../lib/findings";
import type { Level } from "../../../lib/levels";
import type { RepoRef } from "../../../lib/repo-ref";

const model: RepoRef = { type: "model", id: "fresh-uploader-7/pickle-rce", revision: "main" };

function finding(id: RepoFinding["id"], level: Level): RepoFinding {
  return { id, level, title: `${id} title`, explanation: "Found in pytorch_model.bin.", evidence: [], advice: ["Prefer safetensors."] };
}

function done(level: Level, findings: RepoFinding[], repo: RepoRef = model, allowlisted = false): TabVerdictState {
  return { state: "done", verdict: { repo, level, findings, allowlisted, checkedAt: 0 } };
}

describe("toolbarBadgeFor", () => {
  it("marks danger with a red `!` and says level, count and repo in the title", () => {
    const badge = toolbarBadgeFor(done("danger", [finding("pickle-imports", "danger"), finding("scanner-flag", "danger"), finding("young-account", "warn")]));
    expect(badge).toEqual({ text: "!", color: "#C5221F", textColor: "#FFFFFF", title: "Hub Sentinel: Danger, 3 findings for fresh-uploader-7/pickle-rce" });
  });

  it("marks warn with `!` on amber, in dark text that stays readable there", () => {
    const badge = toolbarBadgeFor(done("warn", [finding("remote-code", "warn")], { type: "model", id: "remote-arch/custom-model", revision: "main" }));
    expect(badge.text).toBe("!");
    expect(badge.color).toBe("#F9AB00");
    expect(badge.textColor).toBe("#202124");
    expect(badge.title).toBe("Hub Sentinel: Warning, 1 finding for remote-arch/custom-model");
  });

  it("marks unknown with a grey `?`: nothing checked is not fine", () => {
    const badge = toolbarBadgeFor(done("unknown", [finding("fetch-failed", "unknown")], { type: "model", id: "busy-org/rate-limited", revision: "main" }));
    expect(badge.text).toBe("?");
    expect(badge.color).toBe("#5F6368");
    expect(badge.title).toBe("Hub Sentinel: Unknown, 1 finding for busy-org/rate-limited");
  });

  it.each<[Level, RepoFinding[], string]>([
    ["ok", [], "Hub Sentinel: OK, no findings for sentinel-verified/tiny-safetensors"],
    ["info", [finding("pickle-weights", "info")], "Hub Sentinel: Info, 1 finding for sentinel-verified/tiny-safetensors"],
  ])("shows no badge for %s, and says it in the title", (level, findings, title) => {
    const badge = toolbarBadgeFor(done(level, findings, { type: "model", id: "sentinel-verified/tiny-safetensors", revision: "main" }));
    expect(badge.text).toBe("");
    expect(badge.title).toBe(title);
  });

  it("names datasets and Spaces as such, and an allowlisted repo as allowlisted", () => {
    const space = toolbarBadgeFor(done("warn", [finding("space-docker", "warn")], { type: "space", id: "space-builder/docker-oauth", revision: "main" }));
    expect(space.title).toBe("Hub Sentinel: Warning, 1 finding for Space space-builder/docker-oauth");
    const dataset = toolbarBadgeFor(done("info", [finding("unverified-author", "info")], { type: "dataset", id: "someone/pickled-features", revision: "main" }, true));
    expect(dataset.title).toBe("Hub Sentinel: Info, 1 finding for dataset someone/pickled-features (allowlisted)");
  });

  it("shows nothing while checking, and the plain name for a tab without a repo", () => {
    expect(toolbarBadgeFor({ state: "pending", repo: model })).toMatchObject({ text: "", title: "Hub Sentinel: checking fresh-uploader-7/pickle-rce…" });
    expect(toolbarBadgeFor({ state: "none" })).toMatchObject({ text: "", title: "Hub Sentinel" });
  });

  it("keeps a hostile repo id as plain text in the title", () => {
    const id = 'x"><img src=x onerror=alert(1)>/y';
    expect(toolbarBadgeFor(done("danger", [], { type: "model", id, revision: "main" })).title).toBe(`Hub Sentinel: Danger, no findings for ${id}`);
  });
});

/** A per-tab store like the browser's: values set with a tab id, read back per tab. */
function fakeAction() {
  const tabs = new Map<number, { text?: string; color?: string; textColor?: string; title?: string }>();
  const closed = new Set<number>();
  const errors: unknown[] = [];
  const set = (tabId: number, patch: object) => {
    if (closed.has(tabId)) return Promise.reject(new Error(`No tab with id: ${tabId}.`));
    tabs.set(tabId, { ...tabs.get(tabId), ...patch });
    return Promise.resolve();
  };
  const api: ToolbarActionApi = {
    setBadgeText: ({ tabId, text }) => set(tabId, { text }),
    setBadgeBackgroundColor: ({ tabId, color }) => set(tabId, { color }),
    setBadgeTextColor: ({ tabId, color }) => set(tabId, { textColor: color }),
    setTitle: ({ tabId, title }) => set(tabId, { title }),
  };
  /** What the browser does when a tab navigates to another document: its tab-specific values go. */
  const navigate = (tabId: number) => tabs.delete(tabId);
  return { api, tabs, closed, errors, navigate };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("createToolbarBadges", () => {
  it("sets each tab's badge on its own", async () => {
    const action = fakeAction();
    const badges = createToolbarBadges(action.api);
    badges.show(1, done("danger", [finding("pickle-imports", "danger")]));
    badges.show(2, done("ok", [], { type: "model", id: "sentinel-verified/tiny-safetensors", revision: "main" }));
    await flush();
    expect(action.tabs.get(1)).toMatchObject({ text: "!", color: "#C5221F", textColor: "#FFFFFF" });
    expect(action.tabs.get(2)).toMatchObject({ text: "", title: "Hub Sentinel: OK, no findings for sentinel-verified/tiny-safetensors" });
  });

  it("keeps the shown badge through a re-check of the same repo, and changes once when the verdict does", async () => {
    const action = fakeAction();
    const badges = createToolbarBadges(action.api);
    badges.show(1, done("warn", [finding("unverified-author", "warn")]));
    await flush();
    badges.show(1, { state: "pending", repo: { ...model, id: model.id.toUpperCase() } });
    await flush();
    expect(action.tabs.get(1)?.text).toBe("!");
    badges.show(1, done("info", [finding("unverified-author", "info")], model, true));
    await flush();
    expect(action.tabs.get(1)).toMatchObject({ text: "", title: "Hub Sentinel: Info, 1 finding for fresh-uploader-7/pickle-rce (allowlisted)" });
  });

  it("shows checking for another repo or revision, and clears a forgotten tab", async () => {
    const action = fakeAction();
    const badges = createToolbarBadges(action.api);
    badges.show(1, done("danger", [finding("pickle-imports", "danger")]));
    badges.show(1, { state: "pending", repo: { ...model, revision: "refs/pr/1" } });
    await flush();
    expect(action.tabs.get(1)).toMatchObject({ text: "", title: "Hub Sentinel: checking fresh-uploader-7/pickle-rce…" });
    badges.show(1, { state: "none" });
    await flush();
    expect(action.tabs.get(1)).toMatchObject({ text: "", title: "Hub Sentinel" });
  });

  it("passes the browser's refusal for a closed tab to onError rather than throwing", async () => {
    const action = fakeAction();
    const badges = createToolbarBadges(action.api, (error) => action.errors.push(error));
    action.closed.add(9);
    expect(() => badges.show(9, done("danger", []))).not.toThrow();
    await flush();
    expect(action.errors).toHaveLength(4);
  });

  it("never throws into its caller (the verdict service) when the browser's API throws outright", () => {
    const errors: unknown[] = [];
    const throwing: ToolbarActionApi = {
      setBadgeText: () => {
        throw new Error("action API unavailable");
      },
      setBadgeBackgroundColor: () => Promise.resolve(),
      setTitle: () => Promise.resolve(),
    };
    const badges = createToolbarBadges(throwing, (error) => errors.push(error));
    expect(() => badges.show(1, done("danger", []))).not.toThrow();
    expect(errors).toHaveLength(1);
  });

  it("works where the browser has no setBadgeTextColor", async () => {
    const action = fakeAction();
    const { setBadgeTextColor: _unused, ...older } = action.api;
    const badges = createToolbarBadges(older);
    badges.show(3, done("unknown", [finding("fetch-failed", "unknown")]));
    await flush();
    expect(action.tabs.get(3)).toMatchObject({ text: "?", color: "#5F6368" });
    expect(action.tabs.get(3)?.textColor).toBeUndefined();
  });

  describe("tabUpdated", () => {
    it("says a tab left the Hub when its URL is hidden or another host's", () => {
      const badges = createToolbarBadges(fakeAction().api);
      badges.show(1, done("danger", []));
      expect(badges.tabUpdated(1, undefined)).toBe("left-hub");
      expect(badges.tabUpdated(1, "https://example.com/fresh-uploader-7/pickle-rce")).toBe("left-hub");
      expect(badges.tabUpdated(1, "http://huggingface.co/fresh-uploader-7/pickle-rce")).toBe("left-hub");
      expect(badges.tabUpdated(1, "not a url")).toBe("left-hub");
    });

    it("shows the known verdict again on the same repo's page, which the browser had cleared", async () => {
      const action = fakeAction();
      const badges = createToolbarBadges(action.api);
      badges.show(1, done("danger", [finding("pickle-imports", "danger")]));
      await flush();
      action.navigate(1);
      expect(badges.tabUpdated(1, "https://huggingface.co/fresh-uploader-7/pickle-rce/tree/main")).toBe("reapplied");
      await flush();
      expect(action.tabs.get(1)?.text).toBe("!");
    });

    it("leaves another Hub page to its content script, and ignores tabs it never marked", () => {
      const badges = createToolbarBadges(fakeAction().api);
      badges.show(1, done("danger", []));
      expect(badges.tabUpdated(1, "https://huggingface.co/models")).toBe("unchanged");
      expect(badges.tabUpdated(1, "https://huggingface.co/someone/other-model")).toBe("unchanged");
      expect(badges.tabUpdated(1, "https://huggingface.co/datasets/fresh-uploader-7/pickle-rce")).toBe("unchanged");
      expect(badges.tabUpdated(2, undefined)).toBe("unchanged");
    });
  });
});
