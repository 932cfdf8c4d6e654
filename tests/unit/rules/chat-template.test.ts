import { describe, expect, it } from "vitest";
import { judgeNamed } from "../../../lib/readers/chat-template/sources";
import type { ChatTemplateScan } from "../../../lib/readers/chat-template/types";
import { chatTemplateRule } from "../../../lib/rules/chat-template";
import { findingsForFile } from "../../../lib/rules/locate";
import { BALANCED, bertFacts, bertInfo, factOf, file, listing, missing, ref } from "../../fixtures/facts/builders";
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
          scan("tokenizer_config.json", "tokenizer-config", { default: "{{ messages[0" }),
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

describe("chat-template: GGUF files left unread for the page's byte budget", () => {
  const QUANTS = ["Q4_K_M", "Q8_0", "Q5_K_M", "Q6_K", "Q3_K_M", "Q2_K"];
  const paths = QUANTS.map((quant) => `Model-${quant}.gguf`);
  const deferred = (path: string): ChatTemplateScan => ({ path, source: "gguf", status: "unread", deferred: "budget", templates: [], reason: "not read yet: the page's 16 MB budget for GGUF headers is spent", bytesRead: 0, requests: 0 });
  function ggufFacts(hubTemplate: string | undefined, read: Record<string, string>) {
    const scans = paths.map((path) => (read[path] !== undefined ? scan(path, "gguf", { default: read[path] }) : deferred(path)));
    return bertFacts({
      repo,
      info: factOf(bertInfo({ id: repo.id, tags: ["gguf"], ...(hubTemplate === undefined ? {} : { ggufChatTemplate: hubTemplate }) })),
      files: listing(paths.map((path) => file(path, { size: 8_000_000_000 }))),
      chatTemplates: factOf(scans),
    });
  }

  it("every header read carries the Hub's clean copy: info, naming the unread ones, each row carrying it; never ok, never unknown", () => {
    const facts = ggufFacts(LLAMA31_TOOLS, { "Model-Q4_K_M.gguf": LLAMA31_TOOLS, "Model-Q8_0.gguf": LLAMA31_TOOLS });
    const result = chatTemplateRule.evaluate(facts, BALANCED);
    expect(result).toHaveLength(1);
    const [finding] = result;
    expect(finding).toMatchObject({ id: "chat-template", level: "info", title: "4 GGUF files' chat templates not read yet" });
    expect(finding?.explanation).toContain("the page's 16 MB budget for GGUF headers");
    expect(finding?.explanation).toContain("2 headers read all carry the Hub's own copy");
    expect(finding?.explanation).toContain("Model-Q5_K_M.gguf");
    expect(finding?.explanation).toMatch(/open its row on the Files tab or its file page/);
    for (const path of paths.slice(2)) expect(findingsForFile(result, repo, path)).toHaveLength(1);
    expect(findingsForFile(result, repo, "Model-Q4_K_M.gguf")).toHaveLength(0);
  });

  it("a header whose template differs from the Hub's copy leaves the unread ones unvouched: unknown", () => {
    const facts = ggufFacts(LLAMA31_TOOLS, { "Model-Q4_K_M.gguf": LLAMA31_TOOLS, "Model-Q8_0.gguf": QWEN25_TOOLS });
    const [finding, ...rest] = chatTemplateRule.evaluate(facts, BALANCED);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ level: "unknown", title: "4 chat template sources could not be checked" });
    expect(finding?.explanation).toMatch(/do not all carry the Hub's own copy/);
  });

  it("no Hub copy to compare with: unknown", () => {
    expect(chatTemplateRule.evaluate(ggufFacts(undefined, { "Model-Q4_K_M.gguf": LLAMA31_TOOLS }), BALANCED)[0]?.level).toBe("unknown");
  });

  it("a poisoned template in the most used quantization is danger, and the unread ones stay unvouched", () => {
    const result = chatTemplateRule.evaluate(ggufFacts(LLAMA31_TOOLS, { "Model-Q4_K_M.gguf": ESCAPE_OS_POPEN, "Model-Q8_0.gguf": LLAMA31_TOOLS }), BALANCED);
    expect(result.map((finding) => finding.level)).toEqual(["danger", "unknown"]);
    expect(findingsForFile(result, repo, "Model-Q4_K_M.gguf")[0]?.level).toBe("danger");
  });

  it("the Hub's copy itself escaping is danger whatever was read", () => {
    const result = chatTemplateRule.evaluate(ggufFacts(ESCAPE_OS_POPEN, { "Model-Q4_K_M.gguf": ESCAPE_OS_POPEN }), BALANCED);
    expect(result[0]?.level).toBe("danger");
    expect(result.some((finding) => finding.level === "info")).toBe(false);
  });

  it("a header without any template (a vision projector) neither vouches nor differs", () => {
    const facts = ggufFacts(LLAMA31_TOOLS, { "Model-Q4_K_M.gguf": LLAMA31_TOOLS });
    const scans = facts.chatTemplates?.ok ? facts.chatTemplates.value : [];
    scans.push({ path: "mmproj-f16.gguf", source: "gguf", status: "read", templates: [], reason: "the header has no chat template", bytesRead: 4000, requests: 1 });
    expect(chatTemplateRule.evaluate(facts, BALANCED).map((finding) => finding.level)).toEqual(["info"]);
  });
});

describe("chat-template: a gated repo's template judged from the Hub's copy", () => {
  it("a clean copy is info, saying which copy was judged and why the file was not read", () => {
    const gated = scan("tokenizer_config.json", "tokenizer-config", { default: LLAMA31_TOOLS }, { copy: "model-info", reason: "judged from the Hub's copy in the model info; the file itself is gated (HTTP 401)" });
    const [finding, ...rest] = chatTemplateRule.evaluate(facts(["tokenizer_config.json", "model.safetensors"], [gated]), BALANCED);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ level: "info", title: "Chat template judged from the Hub's copy: tokenizer_config.json not read" });
    expect(finding?.explanation).toContain("the Hub's copy in the model info (config.tokenizer_config.chat_template); the file itself is gated (HTTP 401)");
  });

  it("an escaping copy is danger", () => {
    const gated = scan("tokenizer_config.json", "tokenizer-config", { default: ESCAPE_OS_POPEN }, { copy: "model-info" });
    expect(chatTemplateRule.evaluate(facts(["tokenizer_config.json"], [gated]), BALANCED).map((finding) => finding.level)).toEqual(["danger"]);
  });
});

describe("chat-template: the escape finding names the copy judged", () => {
  it("says it was the Hub's copy, and why", () => {
    const gated = scan("tokenizer_config.json", "tokenizer-config", { default: ESCAPE_OS_POPEN }, { copy: "model-info", reason: "judged from the Hub's copy in the model info; the file itself is gated (HTTP 403)" });
    const [finding] = chatTemplateRule.evaluate(facts(["tokenizer_config.json"], [gated]), BALANCED);
    expect(finding?.explanation).toContain("(judged from the Hub's copy in the model info, config.tokenizer_config.chat_template: the file itself is gated (HTTP 403))");
  });
});
