import { describe, expect, it } from "vitest";
import { remoteCodeRule } from "../../../lib/rules/remote-code";
import type { RepoInfo, RepoFile } from "../../../lib/hub/facts";
import { BALANCED, bertFacts, bertInfo, factOf, file, listing, missing, ref, spaceFacts } from "../../fixtures/facts/builders";

const phiFiles: RepoFile[] = [file("config.json"), file("configuration_phi3.py"), file("modeling_phi3.py"), file("model.safetensors")];

function model(info: Partial<RepoInfo>, files: RepoFile[]) {
  return bertFacts({ repo: ref("microsoft/Phi-3-mini-4k-instruct"), info: factOf(bertInfo({ id: "microsoft/Phi-3-mini-4k-instruct", ...info })), files: listing(files) });
}

describe("remote-code", () => {
  it.each<[string, Partial<RepoInfo>, RepoFile[], string | undefined, string | undefined]>([
    ["auto_map + .py (Phi-3)", { autoMap: { AutoConfig: "configuration_phi3.Phi3Config", AutoModelForCausalLM: "modeling_phi3.Phi3ForCausalLM" } }, phiFiles, "warn", "Loading this model runs code from the repo"],
    ["tag custom_code only", { tags: ["transformers", "custom_code"] }, [file("model.safetensors")], "warn", "Loading this model runs code from the repo"],
    [".py files only", {}, [file("model.safetensors"), file("handler.py")], "warn", "A Python file in a model repo"],
    ["nothing (bert-base-uncased)", {}, [file("config.json"), file("model.safetensors")], undefined, undefined],
    ["empty auto_map", { autoMap: {} }, [file("model.safetensors")], undefined, undefined],
  ])("%s → %s", (_name, info, files, level, title) => {
    const [finding] = remoteCodeRule.evaluate(model(info, files), BALANCED);
    expect(finding?.level).toBe(level);
    expect(finding?.title).toBe(title);
  });

  it("lists the .py files and config.json as evidence", () => {
    const [finding] = remoteCodeRule.evaluate(model({ autoMap: { AutoModel: "modeling_phi3.Phi3Model" } }, phiFiles), BALANCED);
    expect(finding?.evidence.map((e) => e.label)).toEqual(["config.json", "configuration_phi3.py", "modeling_phi3.py"]);
    expect(finding?.evidence[2]?.url).toBe("https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/modeling_phi3.py");
    expect(finding?.explanation).toContain("auto_map");
    expect(finding?.explanation).toContain("trust_remote_code=True");
  });

  it("still finds .py files when repo info failed (fetch-failed reports that gap)", () => {
    const facts = bertFacts({ info: missing("timeout"), files: listing(phiFiles) });
    expect(remoteCodeRule.evaluate(facts, BALANCED)[0]?.level).toBe("warn");
  });

  it("still reads auto_map when the file list failed", () => {
    const facts = bertFacts({ info: factOf(bertInfo({ autoMap: { AutoModel: "x.Y" } })), files: missing("timeout") });
    expect(remoteCodeRule.evaluate(facts, BALANCED)[0]?.level).toBe("warn");
  });

  it("a dataset with a loading script named after it → warn", () => {
    const facts = bertFacts({ repo: ref("someone/squad-like", "dataset"), files: listing([file("squad-like.py"), file("README.md")]) });
    const [finding] = remoteCodeRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe("warn");
    expect(finding?.title).toBe("Dataset loading script squad-like.py");
  });

  it("a dataset with other .py files (utilities) is not judged", () => {
    const facts = bertFacts({ repo: ref("someone/data", "dataset"), files: listing([file("scripts/prepare.py")]) });
    expect(remoteCodeRule.evaluate(facts, BALANCED)).toEqual([]);
  });

  it("Spaces are apps: app.py is not remote code", () => {
    expect(remoteCodeRule.evaluate(spaceFacts("someone/app", { sdk: "gradio" }), BALANCED)).toEqual([]);
  });
});
