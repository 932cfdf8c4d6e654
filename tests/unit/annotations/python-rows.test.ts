import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileAnnotations } from "../../../lib/annotations/file-view";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { evaluateRepo } from "../../../lib/verdict/verdict";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/** File rows and blob views of `.py` files, from facts the real client gathers on the fake Hub. */
describe("file rows of Python files", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  async function rows(id: string, paths: string[], always = false) {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub) });
    const facts = await client.gatherRepoFacts({ type: "model", id, revision: "main" });
    const findings = evaluateRepo(facts, RULES, { settings: DEFAULT_RULE_SETTINGS, now: Date.now() });
    return fileAnnotations(facts, findings, paths, { always });
  }

  it("the file hiding a payload is danger with remote-code, and its panel shows its own lines only", async () => {
    const views = await rows("py-payloads/phi3-exfiltrate", ["modeling_phi3.py", "configuration_phi3.py", "model.safetensors", "README.md"]);
    const modeling = views.find((view) => view.path === "modeling_phi3.py");
    expect(modeling?.level).toBe("danger");
    expect(modeling?.findings.map((finding) => [finding.id, finding.level])).toEqual([["remote-code", "danger"]]);
    expect(modeling?.findings[0]?.code?.map((file) => file.label)).toEqual(["modeling_phi3.py"]);
    const configuration = views.find((view) => view.path === "configuration_phi3.py");
    expect(configuration?.level).toBe("warn");
    expect(configuration?.findings[0]?.code?.map((file) => file.label)).toEqual(["configuration_phi3.py"]);
    expect(views.some((view) => view.path === "README.md")).toBe(false);
  });

  it("a script nothing loads is marked info; its blob view too", async () => {
    const views = await rows("shapes-verified/gpt2-finetune-with-script", ["train_script.py", "config.json"]);
    expect(views.map((view) => [view.path, view.level])).toEqual([["train_script.py", "info"]]);
    const blob = await rows("shapes-verified/gpt2-finetune-with-script", ["train_script.py"], true);
    expect(blob[0]?.findings[0]?.title).toBe("A Python file that nothing loads");
  });

  it("a loaded file that could not be read says so on its row", async () => {
    const views = await rows("shapes-verified/unreadable-code", ["modeling_packed.py"]);
    expect(views[0]?.level).toBe("warn");
    expect(views[0]?.findings[0]?.code?.[0]?.note).toMatch(/^not read: binary data/);
  });
});
