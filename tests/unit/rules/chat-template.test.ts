import { describe, expect, it } from "vitest";
import { judgeNamed } from "../../../lib/readers/chat-template/sources";
import type { ChatTemplateScan } from "../../../lib/readers/chat-template/types";
import { chatTemplateRule } from "../../../lib/rules/chat-template";
import { findingsForFile } from "../../../lib/rules/locate";
import { BALANCED, bertFacts, factOf, file, listing, missing, ref } from "../../fixtures/facts/builders";
import { ESCAPE_OS_POPEN, HOSTILE_TEMPLATE, LLAMA31_TOOLS, QWEN25_TOOLS } from "../../fixtures/chat-templates";

const repo = ref("quant-lab/Llama-3.1-8B-Instruct-GGUF");

function scan(path: string, source: ChatTemplateScan["source"], templates: Record<string, string>, extra: Partial<ChatTemplateScan> = {}): ChatTemplateScan {
  return { path, source, status: "read", templates: judgeNamed(Object.entries(templates).map(([name, template]) => ({ name, template }))), bytesRead: 2_000_000, requests: 1, ...extra };
}

function facts(files: string[], scans: ChatTemplateScan[] | undefined) {
  return bertFacts({ repo, files: listing(files.map((path) => file(path, { size: 4_000_000_000 }))), ...(scans ? { chatTemplates: factOf(scans) } : {}) });
}

describe("chat-template", () => {
  it("clean templates from a GGUF header and a tokenizer config add nothing", () => {
    const result = chatTemplateRule.evaluate(
      facts(["model-Q4_K_M.gguf", "tokenizer_config.json"], [scan("model-Q4_K_M.gguf", "gguf", { default: LLAMA31_TOOLS }), scan("tokenizer_config.json", "tokenizer-config", { default: QWEN25_TOOLS, tool_use: QWEN25_TOOLS })]),
      BALANCED,
    );
    expect(result).toEqual([]);
  });

  it("an escaping GGUF template is danger, on that file, quoting the expression", () => {
    const [finding, ...rest] = chatTemplateRule.evaluate(facts(["model-Q4_K_M.gguf", "model-Q8_0.gguf"], [scan("model-Q4_K_M.gguf", "gguf", { default: ESCAPE_OS_POPEN }), scan("model-Q8_0.gguf", "gguf", { default: LLAMA31_TOOLS })]), BALANCED);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: "chat-template", level: "danger", title: "Chat template in model-Q4_K_M.gguf reaches for Python internals" });
    expect(finding?.explanation).toContain("__subclasses__");
    expect(finding?.explanation).toContain("GGUF header of model-Q4_K_M.gguf");
    expect(finding?.advice.join(" ")).toMatch(/llama-cpp-python/);
    expect(finding?.advice.join(" ")).toMatch(/Report the repo/);
    expect(findingsForFile(finding ? [finding] : [], repo, "model-Q4_K_M.gguf")).toHaveLength(1);
    expect(findingsForFile(finding ? [finding] : [], repo, "model-Q8_0.gguf")).toHaveLength(0);
  });

  it("a named template is named", () => {
    const [finding] = chatTemplateRule.evaluate(facts(["tokenizer_config.json"], [scan("tokenizer_config.json", "tokenizer-config", { default: QWEN25_TOOLS, tool_use: HOSTILE_TEMPLATE })]), BALANCED);
    expect(finding?.level).toBe("danger");
    expect(finding?.explanation).toContain('The "tool_use" chat template');
    expect(finding?.advice[0]).toMatch(/tokenizer/);
  });

  it("the model info's gguf.chat_template is judged too, with the repo as evidence", () => {
    const [finding] = chatTemplateRule.evaluate(facts([], [scan("", "model-info", { default: ESCAPE_OS_POPEN })]), BALANCED);
    expect(finding).toMatchObject({ level: "danger", title: "Chat template in the model info reaches for Python internals" });
    expect(finding?.evidence[0]?.url).toBe("https://huggingface.co/quant-lab/Llama-3.1-8B-Instruct-GGUF");
  });

  it("unread files and unparseable templates are unknown, one finding naming each, never clean", () => {
    const result = chatTemplateRule.evaluate(
      facts(
        ["big.gguf", "tokenizer_config.json"],
        [
          { path: "big.gguf", source: "gguf", status: "unread", templates: [], reason: "not read: its header is longer than the 16 MB the extension reads", bytesRead: 16_000_000, requests: 8 },
          scan("tokenizer_config.json", "tokenizer-config", { default: "{% frobnicate %}{{ messages }}" }),
        ],
      ),
      BALANCED,
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ id: "chat-template", level: "unknown", title: "2 chat template sources could not be checked" });
    expect(result[0]?.explanation).toContain("16 MB");
    expect(result[0]?.explanation).toContain("could not be parsed");
    expect(result[0]?.evidence.map((item) => item.label)).toEqual(["big.gguf", "tokenizer_config.json"]);
  });

  it("a GGUF whose header was never read is unknown: GGUF is not a safe format until then", () => {
    const [finding] = chatTemplateRule.evaluate(facts(["model.gguf"], undefined), BALANCED);
    expect(finding).toMatchObject({ level: "unknown" });
    expect(finding?.explanation).toContain("its header was not read");
  });

  it("a failed scan is a gap, said as such", () => {
    const result = chatTemplateRule.evaluate(bertFacts({ repo, files: listing([file("model.gguf")]), chatTemplates: missing("timeout") }), BALANCED);
    expect(result[0]?.level).toBe("unknown");
  });

  it("no template sources at all: nothing to say", () => {
    expect(chatTemplateRule.evaluate(facts(["model.safetensors", "config.json"], undefined), BALANCED)).toEqual([]);
  });

  it("later shards without a template and files without one add nothing", () => {
    const result = chatTemplateRule.evaluate(
      facts(["m-00001-of-00002.gguf", "m-00002-of-00002.gguf"], [scan("m-00001-of-00002.gguf", "gguf", { default: LLAMA31_TOOLS }), { ...scan("m-00002-of-00002.gguf", "gguf", {}), reason: "a later shard" }]),
      BALANCED,
    );
    expect(result).toEqual([]);
  });
});
