import { describe, expect, it } from "vitest";
import {
  allowlistKey,
  allowlistPrefillPath,
  cleanEntry,
  dayBefore,
  entryProblems,
  isExpired,
  isValidDate,
  localDay,
  matchingEntries,
  normalizeAllowlistInput,
  parseAllowlistValue,
  prefillFromSearch,
  validateNewEntry,
} from "../../../lib/settings/allowlist";

describe("parseAllowlistValue", () => {
  it.each([
    ["google", { kind: "owner", owner: "google" }],
    ["meta-llama/*", { kind: "owner", owner: "meta-llama" }],
    ["google-bert/bert-base-uncased", { kind: "repo", owner: "google-bert", name: "bert-base-uncased" }],
    ["Org_1.x/Model.v2-final", { kind: "repo", owner: "Org_1.x", name: "Model.v2-final" }],
  ])("accepts %s", (value, pattern) => {
    expect(parseAllowlistValue(value)).toEqual({ ok: true, pattern });
  });

  it.each([
    ["", /Enter an owner/],
    ["owner name", /spaces/],
    ["a/b/c", /more than one "\/"/],
    ["*", /only wildcard/],
    ["*/model", /only wildcard/],
    ["own*", /only wildcard/],
    ["owner/mod*", /only wildcard/],
    ["own--er", /not a Hub account/],
    ["owner/na..me", /not a Hub repo name/],
    ["owner/", /not a Hub repo name/],
    ["/name", /not a Hub account/],
    ["owner/<script>", /not a Hub repo name/],
  ])("refuses %j with a reason", (value, reason) => {
    const parsed = parseAllowlistValue(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe("normalizeAllowlistInput", () => {
  it.each([
    ["  google  ", "google"],
    ["https://huggingface.co/remote-arch/custom-model", "remote-arch/custom-model"],
    ["https://huggingface.co/datasets/someone/pickled-features/tree/main", "someone/pickled-features"],
    ["https://huggingface.co/spaces/space-builder/docker-oauth", "space-builder/docker-oauth"],
    ["https://hf.co/google-bert/bert-base-uncased/blob/main/config.json", "google-bert/bert-base-uncased"],
    // Not a repo page: left as typed, for the validator to explain.
    ["https://example.com/a/b", "https://example.com/a/b"],
    ["https://huggingface.co/models", "https://huggingface.co/models"],
  ])("%s → %s", (input, output) => {
    expect(normalizeAllowlistInput(input)).toBe(output);
  });
});

describe("matching and expiry", () => {
  const entries = [
    { value: "Remote-Arch" },
    { value: "google-bert/bert-base-uncased", expires: "2026-11-20" },
    { value: "legacy-lab/*", expires: "2026-11-21" },
  ];
  it("matches owners, owner/* and one repo, ignoring case", () => {
    const today = "2026-11-20";
    expect(matchingEntries(entries, { id: "remote-arch/custom-model" }, today).map((e) => e.value)).toEqual(["Remote-Arch"]);
    expect(matchingEntries(entries, { id: "Google-BERT/BERT-base-uncased" }, today)).toHaveLength(1);
    expect(matchingEntries(entries, { id: "google-bert/other" }, today)).toEqual([]);
    expect(matchingEntries(entries, { id: "legacy-lab/old-bin-model" }, today)).toHaveLength(1);
    // An owner entry is not a prefix match.
    expect(matchingEntries(entries, { id: "remote-architect/x" }, today)).toEqual([]);
  });

  it("an entry applies through its expiry day and not after", () => {
    expect(isExpired({ expires: "2026-11-20" }, "2026-11-20")).toBe(false);
    expect(isExpired({ expires: "2026-11-20" }, "2026-11-21")).toBe(true);
    expect(isExpired({}, "2999-01-01")).toBe(false);
    expect(matchingEntries(entries, { id: "google-bert/bert-base-uncased" }, "2026-11-21")).toEqual([]);
  });

  it("localDay is the user's calendar day; dayBefore crosses months and years", () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59).getTime())).toBe("2026-01-05");
    expect(localDay(new Date(2026, 0, 6, 0, 1).getTime())).toBe("2026-01-06");
    expect(dayBefore("2026-03-01")).toBe("2026-02-28");
    expect(dayBefore("2024-03-01")).toBe("2024-02-29");
    expect(dayBefore("2027-01-01")).toBe("2026-12-31");
  });

  it.each([
    ["2026-02-28", true],
    ["2024-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["2026-1-01", false],
    ["tomorrow", false],
  ])("isValidDate(%s) is %s", (value, valid) => {
    expect(isValidDate(value)).toBe(valid);
  });
});

describe("entry validation", () => {
  it("stored entries may have expired; notes are bounded; dates must be dates", () => {
    expect(entryProblems({ value: "google", expires: "2020-01-01" })).toEqual([]);
    expect(entryProblems({ value: "google", note: "x".repeat(501) }).map((p) => p.field)).toEqual(["note"]);
    expect(entryProblems({ value: "google", expires: "2026-02-30" })[0]?.message).toMatch(/YYYY-MM-DD/);
  });

  it("a new entry must not repeat one (owner = owner/*, any case) nor start expired", () => {
    const existing = [{ value: "google" }, { value: "remote-arch/custom-model" }];
    expect(validateNewEntry({ value: "Google/*" }, existing, "2026-11-20")[0]?.message).toMatch(/"google" is already in the list/);
    expect(validateNewEntry({ value: "remote-arch/Custom-Model" }, existing, "2026-11-20")).toHaveLength(1);
    expect(validateNewEntry({ value: "remote-arch" }, existing, "2026-11-20")).toEqual([]);
    expect(validateNewEntry({ value: "meta-llama", expires: "2026-11-19" }, existing, "2026-11-20")[0]?.message).toMatch(/already passed/);
    expect(validateNewEntry({ value: "meta-llama", expires: "2026-11-20" }, existing, "2026-11-20")).toEqual([]);
    // Editing an entry does not collide with itself.
    expect(validateNewEntry({ value: "google", note: "new note" }, existing, "2026-11-20", "google")).toEqual([]);
  });

  it("cleanEntry trims and never stores empty optional fields", () => {
    expect(cleanEntry({ value: " google ", note: "  ", expires: "" })).toEqual({ value: "google" });
    expect(cleanEntry({ value: "google", note: " ok ", expires: "2026-12-01" })).toEqual({ value: "google", note: "ok", expires: "2026-12-01" });
  });

  it("allowlistKey treats owner and owner/* as one", () => {
    expect(allowlistKey("Google")).toBe(allowlistKey("google/*"));
    expect(allowlistKey("google/x")).not.toBe(allowlistKey("google"));
  });
});

describe("prefill from a findings panel", () => {
  it("builds the options URL only for a repo id, and reads it back", () => {
    const path = allowlistPrefillPath("remote-arch/custom-model");
    expect(path).toBe("/options.html?allowlist=remote-arch%2Fcustom-model");
    expect(prefillFromSearch(new URL(`chrome-extension://x${path}`).search)).toBe("remote-arch/custom-model");
    expect(allowlistPrefillPath("javascript:alert(1)")).toBeUndefined();
    expect(allowlistPrefillPath("a/b/c")).toBeUndefined();
    expect(allowlistPrefillPath(42)).toBeUndefined();
    expect(prefillFromSearch("")).toBeUndefined();
    expect(prefillFromSearch(`?allowlist=${"a".repeat(300)}`)).toBeUndefined();
  });
});
