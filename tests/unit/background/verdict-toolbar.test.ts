import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToolbarBadges, type ToolbarActionApi } from "../../../lib/background/toolbar-badge";
import { createVerdictService } from "../../../lib/background/verdict-service";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import type { VerdictPolicy } from "../../../lib/verdict/verdict";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * The verdict service feeding the toolbar badge, with the real client and rules against the fake Hub:
 * the badge follows each tab's verdict through a new page, a re-check after an allowlist change, and forgetting.
 */
describe("verdict service → toolbar badge", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  function setup() {
    const tabs = new Map<number, { text?: string; title?: string }>();
    const set = (tabId: number, patch: object) => {
      tabs.set(tabId, { ...tabs.get(tabId), ...patch });
      return Promise.resolve();
    };
    const api: ToolbarActionApi = {
      setBadgeText: ({ tabId, text }) => set(tabId, { text }),
      setBadgeBackgroundColor: () => Promise.resolve(),
      setTitle: ({ tabId, title }) => set(tabId, { title }),
    };
    const allowlist = new Set<string>();
    const policy = (): Promise<VerdictPolicy> => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: (repo) => allowlist.has(repo.id) });
    const toolbar = createToolbarBadges(api);
    const verdicts = createVerdictService({
      client: createHubClient({ fetch: fetchViaFakeHub(hub) }),
      rules: RULES,
      policy,
      onTabState: (tabId, state) => toolbar.show(tabId, state),
    });
    return { tabs, allowlist, verdicts };
  }
  const model = (id: string) => ({ type: "model" as const, id, revision: "main" });

  it("marks each tab by its own verdict", async () => {
    const { tabs, verdicts } = setup();
    // One after the other: the rate-limited repo's 429 makes the client hold back every request for a while.
    const ok = await verdicts.verdictFor(model("sentinel-verified/tiny-safetensors"), { tabId: 4, authorKind: "org" });
    const danger = await verdicts.verdictFor(model("fresh-uploader-7/pickle-rce"), { tabId: 1 });
    const warn = await verdicts.verdictFor(model("remote-arch/custom-model"), { tabId: 2 });
    const unknown = await verdicts.verdictFor(model("busy-org/rate-limited"), { tabId: 3 });
    expect([danger.level, warn.level, unknown.level, ok.level]).toEqual(["danger", "warn", "unknown", "ok"]);
    const count = (n: number) => (n === 0 ? "no findings" : `${n} finding${n === 1 ? "" : "s"}`);
    expect(tabs.get(1)).toEqual({ text: "!", title: `Hub Sentinel: Danger, ${count(danger.findings.length)} for fresh-uploader-7/pickle-rce` });
    expect(tabs.get(2)).toEqual({ text: "!", title: `Hub Sentinel: Warning, ${count(warn.findings.length)} for remote-arch/custom-model` });
    expect(tabs.get(3)).toEqual({ text: "?", title: `Hub Sentinel: Unknown, ${count(unknown.findings.length)} for busy-org/rate-limited` });
    expect(tabs.get(4)).toEqual({ text: "", title: "Hub Sentinel: OK, no findings for sentinel-verified/tiny-safetensors" });
  });

  it("follows a re-check after an allowlist change, and clears a forgotten tab", async () => {
    const { tabs, allowlist, verdicts } = setup();
    await verdicts.verdictFor(model("remote-arch/custom-model"), { tabId: 5 });
    expect(tabs.get(5)?.text).toBe("!");
    allowlist.add("remote-arch/custom-model");
    const allowlisted = await verdicts.verdictFor(model("remote-arch/custom-model"), { tabId: 5 });
    expect(allowlisted.level).toBe("info");
    expect(tabs.get(5)?.text).toBe("");
    expect(tabs.get(5)?.title).toMatch(/^Hub Sentinel: Info, \d+ findings? for remote-arch\/custom-model \(allowlisted\)$/);
    verdicts.forgetTab(5);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tabs.get(5)).toEqual({ text: "", title: "Hub Sentinel" });
  });

  it("shows checking while the verdict of a new page is being made", async () => {
    const { tabs, verdicts } = setup();
    const verdict = verdicts.verdictFor(model("sentinel-verified/tiny-safetensors"), { tabId: 6, authorKind: "org" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tabs.get(6)).toEqual({ text: "", title: "Hub Sentinel: checking sentinel-verified/tiny-safetensors…" });
    await verdict;
    expect(tabs.get(6)?.title).toBe("Hub Sentinel: OK, no findings for sentinel-verified/tiny-safetensors");
  });
});
