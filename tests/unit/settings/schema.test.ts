import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, migrateSettings, MIGRATIONS, readStoredSettings, SETTINGS_VERSION, validateSettings } from "../../../lib/settings/schema";

describe("migrations", () => {
  it("has a step from every older version to the current one", () => {
    for (let version = 0; version < SETTINGS_VERSION; version++) expect(MIGRATIONS[version], `migration from ${version}`).toBeTypeOf("function");
  });

  it("version 0 (no version field) turns string entries into objects and keeps everything else", () => {
    const migrated = migrateSettings({ allowlist: ["google", { value: "meta-llama/*", note: "approved" }], strictness: "strict" });
    expect(migrated).toEqual({
      ok: true,
      from: 0,
      document: { version: 2, allowlist: [{ value: "google" }, { value: "meta-llama/*", note: "approved" }], strictness: "strict" },
    });
  });

  it("version 0 without an allowlist only gains a version", () => {
    expect(migrateSettings({ listingAnnotations: false })).toEqual({ ok: true, from: 0, document: { version: 2, listingAnnotations: false } });
  });

  it("version 1 (before the download guard) reads as it was: no downloadGuard is made up, so an import keeps the current one", () => {
    const document = { version: 1, allowlist: [{ value: "google" }], listingAnnotations: false };
    expect(migrateSettings(document)).toEqual({ ok: true, from: 1, document: { ...document, version: 2 } });
  });

  it("a current document passes unchanged", () => {
    const document = { version: 2, allowlist: [{ value: "google" }], downloadGuard: "off" };
    expect(migrateSettings(document)).toEqual({ ok: true, from: 2, document });
  });

  it.each([
    [{ version: 99 }, /newer Hub Sentinel/],
    [{ version: "1" }, /not a settings version/],
    [{ version: 1.5 }, /not a settings version/],
    [{ version: -1 }, /not a settings version/],
    [[], /JSON object, not a list/],
    ["settings", /JSON object/],
    [null, /JSON object, not null/],
  ])("refuses %j", (raw, message) => {
    const migrated = migrateSettings(raw);
    expect(migrated.ok).toBe(false);
    if (!migrated.ok) expect(migrated.problem.message).toMatch(message);
  });
});

describe("validateSettings", () => {
  it("template-changed (issue 26) is a rule id that can be switched off, like remote-code; chat-template is not", () => {
    expect(validateSettings({ version: 1, disabledRules: ["template-changed", "remote-code"] }).fields.disabledRules).toEqual(["template-changed", "remote-code"]);
    expect(validateSettings({ version: 1, disabledRules: ["chat-template"] }).problems[0]?.message).toMatch(/cannot be switched off/);
  });

  it("keeps valid fields and names every invalid one with its path", () => {
    const { fields, problems } = validateSettings({
      version: 1,
      allowlist: [{ value: "google" }, { value: "bad name" }, "string", { value: "x", colour: "red" }, { value: "GOOGLE/*" }, { value: 3 }],
      strictness: "paranoid",
      disabledRules: ["young-account", "pickle-imports", "no-such-rule", "young-account"],
      listingAnnotations: "yes",
      cacheMaxMinutes: 0,
      downloadGuard: "sometimes",
      theme: "dark",
    });
    expect(fields).toEqual({ allowlist: [{ value: "google" }], disabledRules: ["young-account"] });
    expect(problems.map((p) => p.path)).toEqual([
      ["theme"],
      ["allowlist", 1, "value"],
      ["allowlist", 2],
      ["allowlist", 3, "colour"],
      ["allowlist", 4, "value"],
      ["allowlist", 5, "value"],
      ["strictness"],
      ["disabledRules", 1],
      ["disabledRules", 2],
      ["listingAnnotations"],
      ["cacheMaxMinutes"],
      ["downloadGuard"],
    ]);
    expect(problems.find((p) => p.path[0] === "downloadGuard")?.message).toBe('"sometimes" is not a download guard setting: use "off", "ask", "block".');
    expect(problems.find((p) => p.path[0] === "disabledRules")?.message).toMatch(/cannot be switched off/);
    expect(problems.find((p) => p.path[2] === "value" && p.path[1] === 4)?.message).toMatch(/repeats allowlist\[0\]/);
  });

  it("accepts a complete valid document without problems", () => {
    expect(validateSettings({ ...DEFAULT_SETTINGS, allowlist: [{ value: "a", note: "n", expires: "2026-12-01" }], cacheMaxMinutes: 60 })).toEqual({
      fields: { allowlist: [{ value: "a", note: "n", expires: "2026-12-01" }], strictness: "balanced", disabledRules: [], listingAnnotations: true, cacheMaxMinutes: 60, downloadGuard: "ask" },
      problems: [],
    });
  });
});

describe("readStoredSettings", () => {
  it("nothing stored: defaults, no notes", () => {
    expect(readStoredSettings(undefined)).toEqual({ settings: DEFAULT_SETTINGS, notes: [] });
  });

  it("a malformed entry is dropped with a note; its neighbours and the other fields stay", () => {
    const { settings, notes } = readStoredSettings({ version: 1, allowlist: [{ value: "google" }, { value: "a b" }, { value: "meta-llama" }], strictness: "strict" });
    expect(settings.allowlist).toEqual([{ value: "google" }, { value: "meta-llama" }]);
    expect(settings.strictness).toBe("strict");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/allowlist\[1\]\.value was dropped: "a b" contains spaces/);
  });

  it("missing fields take defaults quietly (a field added in a later version)", () => {
    expect(readStoredSettings({ version: 1, allowlist: [] })).toEqual({ settings: DEFAULT_SETTINGS, notes: [] });
    // Stored before the download guard existed: it is on.
    expect(readStoredSettings({ version: 1, listingAnnotations: false }).settings.downloadGuard).toBe("ask");
  });

  it("an unversioned value is migrated", () => {
    expect(readStoredSettings({ allowlist: ["google"] }).settings.allowlist).toEqual([{ value: "google" }]);
  });

  it.each([["corrupt"], [42], [{ version: 7 }], [{ allowlist: "google" }]])("never throws on %j, and says so", (raw) => {
    const { settings, notes } = readStoredSettings(raw);
    expect(settings.version).toBe(SETTINGS_VERSION);
    expect(notes.length).toBeGreaterThan(0);
  });
});
