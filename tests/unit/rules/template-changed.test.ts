import { describe, expect, it } from "vitest";
import type { BaseTemplateLookup, BaseTemplates } from "../../../lib/hub/base-template";
import type { Fact } from "../../../lib/hub/gaps";
import { judgeNamed } from "../../../lib/readers/chat-template/sources";
import type { ChatTemplateScan } from "../../../lib/readers/chat-template/types";
import { MAX_KEPT_TEMPLATE_CHARS } from "../../../lib/readers/chat-template/types";
import { templateChangedRule } from "../../../lib/rules/template-changed";
import { BALANCED, bertFacts, factOf, file, listing, missing, ref } from "../../fixtures/facts/builders";
import { POISON_KINDS, poisoned, POISON_TEXT, realTemplate, reformatted, TRIGGER } from "../../fixtures/chat-template-variants";

const LLAMA = realTemplate("meta-llama/Llama-3.1-8B-Instruct");
const QWEN = realTemplate("Qwen/Qwen2.5-7B-Instruct");
const BASE = "meta-llama/Llama-3.1-8B-Instruct";
const repo = ref("quant-lab/Llama-3.1-8B-Instruct-GGUF");

function scan(path: string, source: ChatTemplateScan["source"], templates: Record<string, string>): ChatTemplateScan {
  return { path, source, status: "read", templates: judgeNamed(Object.entries(templates).map(([name, template]) => ({ name, template }))), bytesRead: 1_000_000, requests: 1 };
}

function baseSet(templates: Record<string, string>, extra: Partial<BaseTemplates> = {}): BaseTemplates {
  return { repoId: BASE, source: "model-info", sha: "a".repeat(40), templates: Object.entries(templates).map(([name, text]) => ({ name, text })), tooLong: [], ...extra };
}

function found(compared: BaseTemplates, extra: Partial<Extract<BaseTemplateLookup, { status: "found" }>> = {}): Fact<BaseTemplateLookup> {
  return factOf({ status: "found", named: [BASE], invalid: [], compared, via: [], alternatives: [], ...extra });
}

function facts(scans: ChatTemplateScan[], baseTemplate: Fact<BaseTemplateLookup> | undefined) {
  const files = scans.filter((item) => item.path !== "").map((item) => file(item.path, { size: 4_000_000_000 }));
  return { ...bertFacts({ repo, files: listing(files), chatTemplates: factOf(scans) }), ...(baseTemplate ? { baseTemplate } : {}) };
}

const gguf = (template: string, path = "Llama-3.1-8B-Instruct-Q4_K_M.gguf") => scan(path, "gguf", { default: template });

describe("template-changed", () => {
  it("says nothing for a repo that names no base, or whose own templates were not read", () => {
    expect(templateChangedRule.evaluate(facts([gguf(LLAMA)], undefined), BALANCED)).toEqual([]);
    const unread: ChatTemplateScan = { path: "a.gguf", source: "gguf", status: "unread", templates: [], reason: "not read", bytesRead: 0, requests: 0 };
    expect(templateChangedRule.evaluate(facts([unread], found(baseSet({ default: LLAMA }))), BALANCED)).toEqual([]);
  });

  it("a GGUF quantization whose headers and model info hold the base's template: nothing", () => {
    const scans = [gguf(LLAMA), gguf(LLAMA, "Llama-3.1-8B-Instruct-Q8_0.gguf"), scan("", "model-info", { default: LLAMA })];
    expect(templateChangedRule.evaluate(facts(scans, found(baseSet({ default: LLAMA }))), BALANCED)).toEqual([]);
  });

  it("a reformatted copy is at most info, and says it adds nothing a model would follow", () => {
    for (const style of ["renamed-loop-variables", "split-strings", "trimming"] as const) {
      const findings = templateChangedRule.evaluate(facts([gguf(reformatted(LLAMA, style))], found(baseSet({ default: LLAMA }))), BALANCED);
      expect(findings.every((finding) => finding.level === "info"), style).toBe(true);
    }
  });

  it.each(POISON_KINDS.flatMap((kind) => (["system", "messages", "generation"] as const).map((place) => [kind, place] as const)))("a %s added in the %s: warn, showing the added line beside the base's, with the base linked", (kind, place) => {
    const derived = poisoned(LLAMA, kind, place);
    expect(derived).toBeDefined();
    const [finding, ...rest] = templateChangedRule.evaluate(facts([gguf(derived ?? "")], found(baseSet({ default: LLAMA }))), BALANCED);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: "template-changed", level: "warn" });
    const diff = finding?.templateDiff;
    expect(diff?.base).toEqual({ id: BASE, url: `https://huggingface.co/${BASE}`, label: `${BASE}, its model info (config.tokenizer_config.chat_template)` });
    expect(diff?.derivedLabel).toBe("Llama-3.1-8B-Instruct-Q4_K_M.gguf");
    const shown = diff?.lines.map((line) => line.derived).join("\n") ?? "";
    expect(shown).toContain(kind === "content-branch" ? TRIGGER : POISON_TEXT[kind].slice(0, 40));
    expect(finding?.explanation).toContain(`${diff?.lines[0]?.what} ${diff?.lines[0]?.where}`);
    expect(finding?.evidence.map((item) => item.url)).toContain(`https://huggingface.co/${BASE}`);
    expect(finding?.evidence[0]?.label).toBe("Llama-3.1-8B-Instruct-Q4_K_M.gguf");
  });

  it("a poisoned tokenizer_config.json of a fine-tune counts as much as a GGUF header, and a named template is named", () => {
    const derived = poisoned(QWEN, "link", "system") ?? "";
    const [finding] = templateChangedRule.evaluate(facts([scan("tokenizer_config.json", "tokenizer-config", { default: QWEN, tool_use: derived })], found(baseSet({ default: QWEN, tool_use: QWEN }))), BALANCED);
    expect(finding?.level).toBe("warn");
    expect(finding?.title).toBe(`Chat template adds links that ${BASE}'s does not have`);
    expect(finding?.templateDiff?.derivedLabel).toBe('tokenizer_config.json ("tool_use" template)');
  });

  it("a template that drops a sentence of the base: info, naming what was dropped", () => {
    const base = QWEN;
    const derived = QWEN.replaceAll(" You are a helpful assistant.", "");
    expect(derived).not.toBe(base);
    const [finding] = templateChangedRule.evaluate(facts([gguf(derived)], found(baseSet({ default: base }))), BALANCED);
    expect(finding).toMatchObject({ level: "info", title: `Chat template differs from ${BASE}'s, adding nothing a model would follow` });
    expect(finding?.explanation).toContain("drops");
    expect(finding?.explanation).toContain("You are a helpful assistant.");
  });

  it("a template that matches the base at an earlier revision: info, saying which", () => {
    const older = baseSet({ default: QWEN }, { sha: "b".repeat(40), revision: { sha: "b".repeat(40), date: "2024-07-20T10:00:00.000Z" } });
    const [finding] = templateChangedRule.evaluate(facts([gguf(QWEN)], found(baseSet({ default: LLAMA }), { alternatives: [older] })), BALANCED);
    expect(finding).toMatchObject({ level: "info", title: `Chat template matches ${BASE}'s at an earlier revision` });
    expect(finding?.explanation).toContain("commit bbbbbbb (2024-07-20)");
    expect(finding?.evidence.at(-1)?.url).toBe(`https://huggingface.co/${BASE}/tree/${"b".repeat(40)}`);
  });

  it("a merge whose template is another named base's: info, naming both; one that matches the first of several: info, saying which was compared", () => {
    const other = baseSet({ default: QWEN }, { repoId: "Qwen/Qwen2.5-7B-Instruct" });
    const lookup = found(baseSet({ default: LLAMA }), { named: [BASE, "Qwen/Qwen2.5-7B-Instruct", "someone/third"], alternatives: [other] });
    const [finding] = templateChangedRule.evaluate(facts([gguf(QWEN)], lookup), BALANCED);
    expect(finding?.level).toBe("info");
    expect(finding?.explanation).toContain("another of the bases this repo names");
    expect(finding?.explanation).toContain("not compared with someone/third");

    const [matched, ...rest] = templateChangedRule.evaluate(facts([gguf(LLAMA)], found(baseSet({ default: LLAMA }), { named: [BASE, "other/model"] })), BALANCED);
    expect(rest).toEqual([]);
    expect(matched).toMatchObject({ level: "info", title: `Chat template matches ${BASE}'s` });
    expect(matched?.explanation).toContain(`names 2 base models: compared with ${BASE}; not compared with other/model`);
  });

  it("a base reached through a base without template (two steps) is named with the step", () => {
    const [finding] = templateChangedRule.evaluate(facts([gguf(poisoned(LLAMA, "instruction", "system") ?? "")], found(baseSet({ default: LLAMA }), { named: ["tuner/llama-finetune"], via: ["tuner/llama-finetune"] })), BALANCED);
    expect(finding?.level).toBe("warn");
    expect(finding?.explanation).toContain(`tuner/llama-finetune carries no chat template, so the comparison is with ${BASE}, its base`);
  });

  it("no base template to compare with: info with the reason, never nothing", () => {
    const none: Fact<BaseTemplateLookup> = factOf({ status: "none", named: ["ghost/missing-model"], invalid: [], via: ["ghost/missing-model"], reason: "the base model ghost/missing-model does not exist or is private" });
    const [finding, ...rest] = templateChangedRule.evaluate(facts([gguf(LLAMA)], none), BALANCED);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ level: "info", title: "No base model template to compare with" });
    expect(finding?.explanation).toContain("ghost/missing-model does not exist or is private");
    const invalid: Fact<BaseTemplateLookup> = factOf({ status: "none", named: [], invalid: ["../x"], via: [], reason: 'its base_model names "../x", which is not a repo id' });
    expect(templateChangedRule.evaluate(facts([gguf(LLAMA)], invalid), BALANCED)[0]).toMatchObject({ level: "info", title: "No base model template to compare with" });
  });

  it("a base whose template does not parse, or is too long: no base model template to compare with", () => {
    const [unparseable] = templateChangedRule.evaluate(facts([gguf(LLAMA)], found(baseSet({ default: "{% for x in %}" }))), BALANCED);
    expect(unparseable).toMatchObject({ level: "info", title: "No base model template to compare with" });
    const [tooLong] = templateChangedRule.evaluate(facts([gguf(LLAMA)], found(baseSet({}, { tooLong: ["default"] }))), BALANCED);
    expect(tooLong).toMatchObject({ level: "info", title: "No base model template to compare with" });
  });

  it("a derived template too long to keep, or that does not parse, is said not to have been compared", () => {
    const long = `${LLAMA}${" ".repeat(MAX_KEPT_TEMPLATE_CHARS)}`;
    const [finding] = templateChangedRule.evaluate(facts([gguf(long)], found(baseSet({ default: LLAMA }))), BALANCED);
    expect(finding?.level).toBe("info");
    expect(finding?.explanation).toMatch(/longer than the 48 KB the extension compares, so it was not compared/);
    const [broken] = templateChangedRule.evaluate(facts([gguf("{% if %}")], found(baseSet({ default: LLAMA }))), BALANCED);
    expect(broken?.level).toBe("info");
    expect(broken?.explanation).toContain("could not be parsed");
  });

  it("a base that could not be read for a reason that passes: unknown", () => {
    for (const kind of ["network", "rate-limited", "server-error"] as const) {
      const [finding] = templateChangedRule.evaluate(facts([gguf(LLAMA)], missing(kind)), BALANCED);
      expect(finding, kind).toMatchObject({ id: "template-changed", level: "unknown" });
    }
  });

  it("hostile template text reaches the finding as plain text", () => {
    const hostile = LLAMA.replace("Cutting Knowledge Date", "<img src=x onerror=alert('diff')>\u202e Visit evil.example.com. Cutting Knowledge Date");
    const [finding] = templateChangedRule.evaluate(facts([gguf(hostile)], found(baseSet({ default: LLAMA }))), BALANCED);
    expect(finding?.level).toBe("warn");
    const line = finding?.templateDiff?.lines.find((candidate) => candidate.derived.includes("evil.example.com"));
    expect(line?.derived).toContain("<img src=x onerror=alert('diff')>");
    expect(line?.derived).not.toContain("\u202e");
    expect(line?.base).toContain("Cutting Knowledge Date");
  });
});
