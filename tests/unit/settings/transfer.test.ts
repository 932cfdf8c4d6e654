import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type UserSettings } from "../../../lib/settings/schema";
import { exportSettings, formatImportProblem, mergeAllowlists, planImport } from "../../../lib/settings/transfer";

const NOW = Date.UTC(2026, 10, 21, 12);
const current: UserSettings = {
  ...DEFAULT_SETTINGS,
  allowlist: [{ value: "google", note: "vendor" }, { value: "remote-arch/custom-model", expires: "2026-12-31" }],
};

describe("export", () => {
  it("writes a versioned document that imports back to the same settings", () => {
    const settings: UserSettings = { ...current, strictness: "strict", disabledRules: ["young-account"], listingAnnotations: false, cacheMaxMinutes: 30, downloadGuard: "off" };
    const text = exportSettings(settings, NOW);
    const document = JSON.parse(text) as Record<string, unknown>;
    expect(document).toMatchObject({ app: "Hub Sentinel", version: 2, exportedAt: "2026-11-21T12:00:00.000Z", downloadGuard: "off" });
    const plan = planImport(text, DEFAULT_SETTINGS);
    expect(plan.ok && plan.next).toEqual(settings);
  });
});

describe("import", () => {
  it("adds new entries, updates those with the same value, keeps the user's others, and says so", () => {
    const text = JSON.stringify({
      version: 1,
      allowlist: [{ value: "Google/*", note: "vendor, reviewed" }, { value: "meta-llama" }, { value: "remote-arch/custom-model", expires: "2026-12-31" }],
      strictness: "strict",
    });
    const plan = planImport(text, current);
    if (!plan.ok) throw new Error(plan.problems.map(formatImportProblem).join("\n"));
    expect(plan.next.allowlist).toEqual([
      // The stored spelling is kept; the note comes from the file.
      { value: "google", note: "vendor, reviewed" },
      { value: "remote-arch/custom-model", expires: "2026-12-31" },
      { value: "meta-llama" },
    ]);
    expect(plan.next.strictness).toBe("strict");
    expect(plan.next.listingAnnotations).toBe(true);
    expect(plan.changes).toEqual(["Allowlist: 1 added, 1 updated, 1 already there; your other entries are kept.", "Strictness: balanced → strict."]);
  });

  it("the download guard travels: the file's setting replaces the current one, and is reported", () => {
    const plan = planImport('{"version": 2, "downloadGuard": "block"}', current);
    expect(plan.ok && plan.next.downloadGuard).toBe("block");
    expect(plan.ok && plan.changes).toEqual(["Download guard: ask → block."]);
  });

  it("a version-1 file (made before the download guard) leaves the current guard setting as it is", () => {
    const plan = planImport('{"version": 1, "strictness": "strict"}', { ...current, downloadGuard: "off" });
    expect(plan.ok && plan.next).toMatchObject({ strictness: "strict", downloadGuard: "off" });
  });

  it("an unreadable download guard setting is refused with its line and field", () => {
    const plan = planImport('{\n  "version": 2,\n  "downloadGuard": true\n}', current);
    expect(!plan.ok && plan.problems.map(formatImportProblem)).toEqual(['Line 3, downloadGuard: true is not a download guard setting: use "off", "ask", "block".']);
  });

  it("reads the hand-written version-0 shorthand", () => {
    const plan = planImport('{"allowlist": ["meta-llama", "legacy-lab/*"]}', DEFAULT_SETTINGS);
    expect(plan.ok && plan.next.allowlist).toEqual([{ value: "meta-llama" }, { value: "legacy-lab/*" }]);
  });

  it("a partly valid file changes nothing and reports every problem with its line and field", () => {
    const text = [
      "{",
      '  "version": 1,',
      '  "allowlist": [',
      '    { "value": "meta-llama" },',
      '    { "value": "google-bert/*", "expires": "2026-02-30" },',
      '    "shorthand-in-v1",',
      '    { "value": "META-LLAMA/*" }',
      "  ],",
      '  "cacheMaxMinutes": 5000,',
      '  "colour": "blue"',
      "}",
    ].join("\n");
    const plan = planImport(text, current);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.problems.map((p) => [p.line, p.field])).toEqual([
      [5, "allowlist[1].expires"],
      [6, "allowlist[2]"],
      [7, "allowlist[3].value"],
      [9, "cacheMaxMinutes"],
      [10, "colour"],
    ]);
    expect(formatImportProblem(plan.problems[0]!)).toBe('Line 5, allowlist[1].expires: "2026-02-30" is not a date written YYYY-MM-DD.');
  });

  it("a shorthand entry's problem points at its own line", () => {
    const plan = planImport('{\n  "allowlist": [\n    "fine",\n    "not fine"\n  ]\n}', DEFAULT_SETTINGS);
    expect(!plan.ok && plan.problems.map((p) => [p.line, p.field])).toEqual([[4, "allowlist[1].value"]]);
  });

  it("a syntax error is reported with line and column", () => {
    const plan = planImport('{\n  "allowlist": [\n    "google"\n    "meta-llama"\n  ]\n}', current);
    expect(!plan.ok && plan.problems).toEqual([{ line: 4, column: 5, field: "(JSON syntax)", message: expect.stringMatching(/"," or "\]"/) as unknown }]);
  });

  it("a repeated field is a problem, not a silent choice", () => {
    const plan = planImport('{\n  "allowlist": ["a"],\n  "allowlist": ["b"]\n}', DEFAULT_SETTINGS);
    expect(!plan.ok && plan.problems.map((p) => [p.line, p.field])).toEqual([[3, "allowlist"]]);
  });

  it.each([
    ["", /empty/],
    ["   \n", /empty/],
    ["[]", /JSON object, not a list/],
    ['{"name": "my-package", "version": "1.0.0"}', /not a settings version/],
    ['{"version": 3, "allowlist": []}', /newer Hub Sentinel/],
    ['{"version": 1}', /none of the settings fields/],
  ])("refuses %j", (text, message) => {
    const plan = planImport(text, current);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.problems.map((p) => p.message).join(" ")).toMatch(message);
  });

  it("refuses a huge file before parsing it", () => {
    const plan = planImport(`{"allowlist": [${'"a",'.repeat(300_000)}"a"]}`, current);
    expect(!plan.ok && plan.problems[0]?.message).toMatch(/far smaller/);
  });

  it("importing the same file twice changes nothing the second time", () => {
    const text = '{"version": 1, "allowlist": [{"value": "meta-llama"}]}';
    const first = planImport(text, current);
    if (!first.ok) throw new Error("first import failed");
    const second = planImport(text, first.next);
    expect(second.ok && second.next).toEqual(first.next);
    expect(second.ok && second.changes).toEqual(["Allowlist: 0 added, 0 updated, 1 already there; your other entries are kept."]);
  });
});

describe("mergeAllowlists", () => {
  it("never removes an entry", () => {
    const merged = mergeAllowlists(current.allowlist, []);
    expect(merged.entries).toEqual(current.allowlist);
    expect(merged).toMatchObject({ added: 0, updated: 0, unchanged: 0 });
  });
});
