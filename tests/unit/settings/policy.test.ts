import { describe, expect, it } from "vitest";
import { EMPTY_MANAGED_POLICY, readManagedPolicy } from "../../../lib/settings/managed";
import { assertTokenReviewAllowed, blockedAuthorFindings, isAllowlisted, mergePolicy } from "../../../lib/settings/policy";
import { DEFAULT_SETTINGS, type UserSettings } from "../../../lib/settings/schema";
import { createVerdictPolicy } from "../../../lib/settings/verdict-policy";
import { buildVerdict } from "../../../lib/verdict/verdict";
import type { RepoFinding } from "../../../lib/findings";

const model = (id: string) => ({ type: "model" as const, id, revision: "main" });

describe("readManagedPolicy", () => {
  it("reads a complete policy as Chrome or Firefox gives it", () => {
    const { policy, notes } = readManagedPolicy({
      trustedOrganizations: ["acme-ai", "google"],
      allowlist: [{ value: "meta-llama/Llama-3.1-8B-Instruct", note: "approved by security", expires: "2027-01-31" }, "legacy-lab/*"],
      blockedAuthors: ["fresh-uploader-7"],
      minimumStrictness: "strict",
      disableTokenReview: true,
      downloadGuard: "block",
    });
    expect(notes).toEqual([]);
    expect(policy).toEqual({
      trustedOrganizations: ["acme-ai", "google"],
      allowlist: [{ value: "meta-llama/Llama-3.1-8B-Instruct", note: "approved by security", expires: "2027-01-31" }, { value: "legacy-lab/*" }],
      blockedAuthors: ["fresh-uploader-7"],
      minimumStrictness: "strict",
      disableTokenReview: true,
      downloadGuard: "block",
    });
  });

  it("no policy (Chrome's {}) is the empty policy", () => {
    expect(readManagedPolicy({})).toEqual({ policy: EMPTY_MANAGED_POLICY, notes: [] });
    expect(readManagedPolicy(undefined)).toEqual({ policy: EMPTY_MANAGED_POLICY, notes: [] });
  });

  it("drops malformed items with a note each, keeps the rest, and reads unclear restrictions the strict way", () => {
    const { policy, notes } = readManagedPolicy({
      trustedOrganizations: ["acme-ai", "acme-ai/model", 7, "ACME-AI"],
      blockedAuthors: "fresh-uploader-7",
      allowlist: [{ value: "a b" }, { value: "ok-org", expires: "soon" }, { value: "fine" }],
      minimumStrictness: "paranoid",
      disableTokenReview: "yes",
      downloadGuard: "warn me",
      colour: "blue",
    });
    expect(policy.trustedOrganizations).toEqual(["acme-ai"]);
    expect(policy.blockedAuthors).toEqual([]);
    expect(policy.allowlist).toEqual([{ value: "fine" }]);
    expect(policy.minimumStrictness).toBe("strict");
    expect(policy.disableTokenReview).toBe(true);
    expect(policy.downloadGuard).toBe("block");
    expect(notes).toHaveLength(9);
    expect(notes.join("\n")).toMatch(/downloadGuard "warn me" is not "ask", "block" or "off"; "block" is applied, to be safe/);
    expect(notes.every((note) => note.startsWith("Organization policy: "))).toBe(true);
    expect(notes.join("\n")).toMatch(/Unknown policy field "colour"/);
    expect(notes.join("\n")).toMatch(/trustedOrganizations\[1\] "acme-ai\/model" was ignored/);
  });

  it("downloadGuard: ask and block are minimums, off (or nothing) leaves the choice to users", () => {
    expect(readManagedPolicy({ downloadGuard: "ask" })).toEqual({ policy: { ...EMPTY_MANAGED_POLICY, downloadGuard: "ask" }, notes: [] });
    expect(readManagedPolicy({ downloadGuard: "off" })).toEqual({ policy: EMPTY_MANAGED_POLICY, notes: [] });
    expect(EMPTY_MANAGED_POLICY.downloadGuard).toBe("off");
  });

  it("is not an object: ignored with a note", () => {
    expect(readManagedPolicy(["x"]).notes).toEqual(["The organization's policy is not an object; it was ignored."]);
  });
});

describe("mergePolicy: the organization adds and tightens, never loosens", () => {
  const user: UserSettings = { ...DEFAULT_SETTINGS, strictness: "balanced", disabledRules: ["young-account"], allowlist: [{ value: "google" }, { value: "fresh-uploader-7" }] };
  const managed = {
    ...EMPTY_MANAGED_POLICY,
    trustedOrganizations: ["acme-ai", "Google"],
    allowlist: [{ value: "acme-ai/*" }, { value: "legacy-lab/old-bin-model", expires: "2026-11-30" }],
    blockedAuthors: ["fresh-uploader-7"],
    minimumStrictness: "strict" as const,
  };
  const policy = mergePolicy(user, managed, ["a note"]);

  it("strictness is the stricter of the user's and the minimum; the user's choice is remembered", () => {
    expect(policy.settings).toEqual({ strictness: "strict", disabledRules: ["young-account"] });
    expect(policy.strictness).toEqual({ chosen: "balanced", minimum: "strict" });
    expect(mergePolicy({ ...user, strictness: "strict" }, EMPTY_MANAGED_POLICY).settings.strictness).toBe("strict");
    expect(mergePolicy(user, EMPTY_MANAGED_POLICY).settings.strictness).toBe("balanced");
  });

  it("the download guard is the stricter of the user's choice and the organization's minimum", () => {
    const guard = (chosen: UserSettings["downloadGuard"], minimum: UserSettings["downloadGuard"]) =>
      mergePolicy({ ...user, downloadGuard: chosen }, { ...EMPTY_MANAGED_POLICY, downloadGuard: minimum }).downloadGuard;
    expect(guard("ask", "off")).toEqual({ mode: "ask", chosen: "ask", minimum: "off" });
    expect(guard("off", "off").mode).toBe("off");
    // The user's "off" does not outrank the organization's "ask"; its "block" outranks the user's "ask".
    expect(guard("off", "ask")).toEqual({ mode: "ask", chosen: "off", minimum: "ask" });
    expect(guard("ask", "block").mode).toBe("block");
    expect(guard("block", "ask").mode).toBe("block");
    expect(mergePolicy(DEFAULT_SETTINGS, EMPTY_MANAGED_POLICY).downloadGuard.mode).toBe("ask");
  });

  it("managed entries come first with their source, deduplicated; the user's stay", () => {
    expect(policy.allowlist).toEqual([
      { value: "acme-ai", note: "Trusted organization", source: "managed" },
      { value: "Google", note: "Trusted organization", source: "managed" },
      { value: "legacy-lab/old-bin-model", expires: "2026-11-30", source: "managed" },
      { value: "google", source: "user" },
      { value: "fresh-uploader-7", source: "user" },
    ]);
    expect(policy.notes).toEqual(["a note"]);
  });

  it("allowlisting follows both lists and managed expiry", () => {
    expect(isAllowlisted(policy, model("acme-ai/x"), "2026-11-21")).toBe(true);
    expect(isAllowlisted(policy, model("google/gemma"), "2026-11-21")).toBe(true);
    expect(isAllowlisted(policy, model("legacy-lab/old-bin-model"), "2026-11-30")).toBe(true);
    expect(isAllowlisted(policy, model("legacy-lab/old-bin-model"), "2026-12-01")).toBe(false);
    expect(isAllowlisted(policy, model("someone/else"), "2026-11-21")).toBe(false);
  });

  it("a blocked author is never allowlisted, even by the user, and is danger outside the rules", () => {
    expect(isAllowlisted(policy, model("fresh-uploader-7/pickle-rce"), "2026-11-21")).toBe(false);
    const findings = blockedAuthorFindings(policy, model("Fresh-Uploader-7/pickle-rce"));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: "unverified-author", level: "danger", title: "Fresh-Uploader-7 is blocked by your organization" });
    expect(findings[0]?.explanation).toMatch(/organization's decision/);
    expect(blockedAuthorFindings(policy, model("google/gemma"))).toEqual([]);
    // Even if it were allowlisted, the verdict keeps it danger.
    expect(buildVerdict(findings, true).level).toBe("danger");
  });

  it("token review is disabled only by the organization, and the background refuses it then", () => {
    expect(policy.tokenReviewDisabled).toBe(false);
    const locked = mergePolicy(user, { ...managed, disableTokenReview: true });
    expect(locked.tokenReviewDisabled).toBe(true);
    expect(() => assertTokenReviewAllowed(locked)).toThrow(/turned off token review/);
    expect(() => assertTokenReviewAllowed(policy)).not.toThrow();
  });
});

describe("createVerdictPolicy", () => {
  const warn: RepoFinding = { id: "remote-code", level: "warn", title: "t", explanation: "e", evidence: [], advice: [] };

  it("reads the policy on every call, so a new entry applies to the next verdict", async () => {
    let user: UserSettings = DEFAULT_SETTINGS;
    const source = createVerdictPolicy(() => Promise.resolve(mergePolicy(user, EMPTY_MANAGED_POLICY)), () => new Date(2026, 10, 21).getTime());
    const before = await source.policy();
    expect(buildVerdict([warn], before.isAllowlisted(model("remote-arch/custom-model")))).toMatchObject({ level: "warn", allowlisted: false });
    user = { ...user, allowlist: [{ value: "remote-arch/custom-model" }] };
    const after = await source.policy();
    expect(buildVerdict([warn], after.isAllowlisted(model("remote-arch/custom-model")))).toMatchObject({ level: "info", allowlisted: true });
    user = { ...user, allowlist: [{ value: "remote-arch/custom-model", expires: "2026-11-20" }] };
    expect((await source.policy()).isAllowlisted(model("remote-arch/custom-model"))).toBe(false);
  });

  it("verdicts read through their own loader (no wait on a new install); the token review and options page do not", async () => {
    const careful = mergePolicy(DEFAULT_SETTINGS, { ...EMPTY_MANAGED_POLICY, disableTokenReview: true, minimumStrictness: "strict" });
    const atOnce = mergePolicy(DEFAULT_SETTINGS, EMPTY_MANAGED_POLICY);
    const source = createVerdictPolicy(() => Promise.resolve(careful), undefined, () => Promise.resolve(atOnce));
    expect((await source.policy()).settings.strictness).toBe("balanced");
    expect((await source.forVerdicts()).listingAnnotations).toBe(true);
    expect((await source.effective()).tokenReviewDisabled).toBe(true);
    expect((await source.effective()).settings.strictness).toBe("strict");
  });

  it("the cache cap follows the latest read, with the default before any", async () => {
    const source = createVerdictPolicy(() => Promise.resolve(mergePolicy({ ...DEFAULT_SETTINGS, cacheMaxMinutes: 10 }, EMPTY_MANAGED_POLICY)));
    expect(source.cacheMaxMs()).toBe(24 * 60 * 60_000);
    await source.refresh();
    expect(source.cacheMaxMs()).toBe(10 * 60_000);
  });

  it("extraFindings carries the blocked-author danger", async () => {
    const source = createVerdictPolicy(() => Promise.resolve(mergePolicy(DEFAULT_SETTINGS, { ...EMPTY_MANAGED_POLICY, blockedAuthors: ["bad-actor"] })));
    const policy = await source.policy();
    expect(policy.extraFindings(model("bad-actor/model")).map((f) => f.level)).toEqual(["danger"]);
    expect(policy.extraFindings(model("good/model"))).toEqual([]);
  });
});
