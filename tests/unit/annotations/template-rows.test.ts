import { describe, expect, it } from "vitest";
import { judgeNamed } from "../../../lib/readers/chat-template/sources";
import type { ChatTemplateScan } from "../../../lib/readers/chat-template/types";
import { fileAnnotations } from "../../../lib/annotations/file-view";
import { chatTemplateRule } from "../../../lib/rules/chat-template";
import { BALANCED, bertFacts, factOf, file, listing, ref, security } from "../../fixtures/facts/builders";
import { ESCAPE_OS_POPEN, LLAMA31_TOOLS } from "../../fixtures/chat-templates";

const read = (path: string, source: ChatTemplateScan["source"], template: string): ChatTemplateScan => ({
  path,
  source,
  status: "read",
  templates: judgeNamed([{ name: "default", template }]),
  bytesRead: 1,
  requests: 1,
});

describe("file rows of template files", () => {
  const facts = bertFacts({
    repo: ref("quant-lab/model-GGUF"),
    files: listing([file("bad.Q4_K_M.gguf", { size: 4e9, security: security("safe") }), file("good.Q8_0.gguf", { size: 8e9, security: security("safe") }), file("tokenizer_config.json"), file("README.md")]),
    chatTemplates: factOf([read("bad.Q4_K_M.gguf", "gguf", ESCAPE_OS_POPEN), read("good.Q8_0.gguf", "gguf", LLAMA31_TOOLS), { path: "tokenizer_config.json", source: "tokenizer-config", status: "unread", templates: [], reason: "not read: HTTP 500", bytesRead: 0, requests: 1 }]),
  });
  const findings = chatTemplateRule.evaluate(facts, BALANCED);
  const views = fileAnnotations(facts, findings, ["bad.Q4_K_M.gguf", "good.Q8_0.gguf", "tokenizer_config.json", "README.md"]);

  it("the escaping GGUF's row is danger with chat-template", () => {
    const bad = views.find((view) => view.path === "bad.Q4_K_M.gguf");
    expect(bad?.level).toBe("danger");
    expect(bad?.findings.map((finding) => finding.id)).toEqual(["chat-template"]);
    expect(bad?.templateNote).toMatch(/reaches for Python internals/);
  });

  it("a clean GGUF's row says its template was read, at ok", () => {
    const good = views.find((view) => view.path === "good.Q8_0.gguf");
    expect(good).toMatchObject({ level: "ok", findings: [] });
    expect(good?.templateNote).toBe("Its chat template: read by Hub Sentinel, nothing reaches for Python internals.");
  });

  it("an unread tokenizer_config's row is unknown and says why; other files get no row", () => {
    const config = views.find((view) => view.path === "tokenizer_config.json");
    expect(config?.level).toBe("unknown");
    expect(config?.templateNote).toBe("Chat template not checked: not read: HTTP 500.");
    expect(views.some((view) => view.path === "README.md")).toBe(false);
  });
});
