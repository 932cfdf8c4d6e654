import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerdictService } from "../../../lib/background/verdict-service";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * The background keeps each tab's "layout not recognised" notes beside its verdict, for the popup
 * (lib/background/verdict-service.ts), with the real client and rules against the fake Hub.
 */
describe("tab layout notes", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  function service() {
    return createVerdictService({
      client: createHubClient({ fetch: fetchViaFakeHub(hub) }),
      rules: RULES,
      policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false }),
    });
  }
  const NOTE = { part: "file-rows" as const, evidence: "the page links to 3 files of this repo" };

  it("shows a tab's notes with its verdict, and on a page that is not a repo", async () => {
    const verdicts = service();
    const repo = { type: "model" as const, id: "google-bert/bert-base-uncased", revision: "main" };
    await verdicts.verdictFor(repo, { tabId: 7 });
    verdicts.noteLayout(7, [NOTE]);
    const state = verdicts.tabState(7);
    expect(state.state).toBe("done");
    expect(state.layout).toEqual([NOTE]);
    // A listing page: no verdict, the note still shows.
    verdicts.forgetTab(7);
    verdicts.noteLayout(7, [{ part: "cards", evidence: "the page's data lists 30 repos" }]);
    expect(verdicts.tabState(7)).toEqual({ state: "none", layout: [{ part: "cards", evidence: "the page's data lists 30 repos" }] });
  });

  it("the next page's report replaces the notes; an empty one clears them; a closed tab forgets them", () => {
    const verdicts = service();
    verdicts.noteLayout(3, [NOTE]);
    verdicts.noteLayout(3, []);
    expect(verdicts.tabState(3)).toEqual({ state: "none" });
    verdicts.noteLayout(3, [NOTE]);
    expect(verdicts.tabState(4)).toEqual({ state: "none" });
    verdicts.closeTab(3);
    expect(verdicts.tabState(3)).toEqual({ state: "none" });
  });

  it("keeps nothing malformed from a content script", () => {
    const verdicts = service();
    verdicts.noteLayout(5, [{ part: "<img src=x>", evidence: "x" }, { part: "cards" }]);
    expect(verdicts.tabState(5)).toEqual({ state: "none" });
    verdicts.noteLayout(5, "not a list");
    expect(verdicts.tabState(5)).toEqual({ state: "none" });
  });
});
