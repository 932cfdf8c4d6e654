import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { judgeTemplate } from "../../../lib/readers/chat-template/judge";

/**
 * Every real template of popular models in tests/fixtures/chat-templates/ (a copy of the shared
 * corpus: huggingface.js's e2e templates and llama.cpp's models/templates, sources in
 * llama.cpp/SOURCES.md) is clean: parsed, or, where it does not parse at all (MiroThinker's
 * leaves a block open, so Python's Jinja2 refuses it too), judged from its tokens. The walk covers
 * whatever the folder holds, so a template added there is tested without a line here.
 */
const CORPUS = join(__dirname, "../../fixtures/chat-templates");

function corpus(): [string, string][] {
  const entries: [string, string][] = [];
  for (const name of readdirSync(CORPUS, { recursive: true }) as string[]) {
    const path = join(CORPUS, name);
    if (name.endsWith(".jinja")) entries.push([name, readFileSync(path, "utf8")]);
    else if (name.endsWith(".json")) {
      for (const item of JSON.parse(readFileSync(path, "utf8")) as { name: string; template: string }[]) entries.push([`${name}: ${item.name}`, item.template]);
    }
  }
  return entries;
}

describe("the real chat templates of popular models", () => {
  const templates = corpus();

  it("the folder holds the whole corpus (75 templates)", () => {
    expect(templates.length).toBeGreaterThanOrEqual(75);
  });

  it.each(templates)("%s is clean", (_name, template) => {
    const judgement = judgeTemplate(template);
    expect(judgement.verdict).toBe("clean");
  });

  it("all but the one broken template parse into a tree", () => {
    const fromTokens = templates.filter(([, template]) => {
      const judgement = judgeTemplate(template);
      return judgement.verdict === "clean" && judgement.parsed === false;
    });
    expect(fromTokens.map(([name]) => name)).toEqual(["llama.cpp/MiroThinker-v1.jinja"]);
  });
});
