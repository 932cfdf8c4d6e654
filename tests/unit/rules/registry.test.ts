import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_FINDING_IDS } from "../../../lib/findings";
import { RULES } from "../../../lib/rules/index";

const RULES_DIR = join(__dirname, "../../../lib/rules");
const TESTS_DIR = __dirname;

/** Modules in lib/rules that are not rules. Anything else there must be a registered, tested rule. */
const HELPER_FILES = new Set([
  "types.ts",
  "index.ts",
  "gap-finding.ts",
  "lookalike.ts",
  "well-known-orgs.ts",
  "shared.ts",
  "locate.ts",
]);

const ruleFiles = readdirSync(RULES_DIR)
  .filter((name) => name.endsWith(".ts") && !HELPER_FILES.has(name))
  .map((name) => name.slice(0, -".ts".length));

describe("rule registry", () => {
  it("finds rule files at all (guards against a wrong path making every check vacuous)", () => {
    expect(ruleFiles.length).toBeGreaterThanOrEqual(13);
  });

  it.each(ruleFiles)("%s is registered in lib/rules/index.ts under its own id", (id) => {
    expect(RULES.map((rule) => rule.id)).toContain(id);
  });

  it.each(ruleFiles)("%s has its own test file in tests/unit/rules", (id) => {
    expect(existsSync(join(TESTS_DIR, `${id}.test.ts`))).toBe(true);
  });

  it.each(ruleFiles)("%s starts with a comment listing example Hub URLs", (id) => {
    const source = readFileSync(join(RULES_DIR, `${id}.ts`), "utf8");
    expect(source.startsWith("/**")).toBe(true);
    const header = source.slice(0, source.indexOf("*/"));
    expect(header).toContain(`${id}:`);
    expect(header).toMatch(/https:\/\/huggingface\.co\//);
  });

  it("registers every rule once, each id backed by a file of the same name", () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(ruleFiles).toContain(id);
  });

  it("uses only contract ids, covers every repo finding id except the leaked-token page annotation", () => {
    const ids = RULES.map((rule) => rule.id);
    for (const id of ids) expect(REPO_FINDING_IDS).toContain(id);
    expect([...REPO_FINDING_IDS].filter((id) => !ids.includes(id))).toEqual(["leaked-token"]);
  });

  it("lists helper files that exist (a stale helper list would hide a rule)", () => {
    const present = new Set(readdirSync(RULES_DIR));
    for (const helper of HELPER_FILES) expect(present.has(helper), helper).toBe(true);
  });
});
