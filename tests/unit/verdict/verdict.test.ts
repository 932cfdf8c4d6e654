import { describe, expect, it } from "vitest";
import type { RepoFinding } from "../../../lib/findings";
import type { Level } from "../../../lib/levels";
import { RULES } from "../../../lib/rules/index";
import { applyAllowlist, buildVerdict, evaluateRepo, judgeRepo, levelOf, sortBySeverity } from "../../../lib/verdict/verdict";
import type { RepoFacts } from "../../../lib/hub/facts";
import {
  BALANCED,
  STRICT,
  YOLO_IMPORTS,
  bertFacts,
  context,
  daysAgo,
  factOf,
  file,
  imp,
  listing,
  missing,
  modelFacts,
  pickleScanned,
  security,
  user,
  verifiedOrg,
} from "../../fixtures/facts/builders";

function finding(id: RepoFinding["id"], level: Level, extra: Partial<RepoFinding> = {}): RepoFinding {
  return { id, level, title: `${id} ${level}`, explanation: "", evidence: [], advice: [], ...extra };
}

function verdictOf(facts: RepoFacts, ctx = BALANCED, allowlisted = false) {
  return buildVerdict(evaluateRepo(facts, RULES, ctx), allowlisted);
}

/** A user account created `days` ago that uploads only the given files. */
function newcomer(files: Parameters<typeof modelFacts>[1], days = 2) {
  return modelFacts("fresh-uploader/cool-model", files, { author: factOf(user("fresh-uploader", daysAgo(days))) });
}

describe("levelOf / sortBySeverity", () => {
  it.each<[Level[], Level]>([
    [[], "ok"],
    [["info"], "info"],
    [["info", "unknown"], "unknown"],
    [["unknown", "warn", "info"], "warn"],
    [["warn", "danger", "unknown"], "danger"],
  ])("%j → %s", (levels, expected) => {
    expect(levelOf(levels.map((level, i) => finding(i % 2 ? "remote-code" : "pickle-weights", level)))).toBe(expected);
  });

  it("lists findings most severe first", () => {
    const sorted = sortBySeverity([finding("space-docker", "info"), finding("pickle-imports", "danger"), finding("scan-incomplete", "unknown"), finding("remote-code", "warn")]);
    expect(sorted.map((f) => f.level)).toEqual(["danger", "warn", "unknown", "info"]);
  });
});

describe("judgeRepo: findings meet the policy", () => {
  const repo = { type: "model" as const, id: "acme/model", revision: "main" };
  const settings = { strictness: "balanced" as const, disabledRules: [] };
  const blocked = finding("unverified-author", "danger", { overridesAllowlist: true });

  it("adds the policy's own findings and then applies the allowlist", () => {
    const verdict = judgeRepo(repo, [finding("remote-code", "warn")], { settings, isAllowlisted: () => true, extraFindings: () => [blocked] });
    expect(verdict.allowlisted).toBe(true);
    expect(verdict.level).toBe("danger");
    expect(verdict.findings.map((f) => [f.id, f.level])).toEqual([
      ["unverified-author", "danger"],
      ["remote-code", "info"],
    ]);
  });

  it("without extra findings it is buildVerdict", () => {
    const findings = [finding("remote-code", "warn")];
    expect(judgeRepo(repo, findings, { settings, isAllowlisted: () => false })).toEqual(buildVerdict(findings, false));
  });
});

describe("allowlist", () => {
  it("lowers warn, unknown and plain danger to info, remembering the original level", () => {
    const lowered = applyAllowlist([finding("remote-code", "warn"), finding("scan-incomplete", "unknown"), finding("conversion-pr", "danger"), finding("space-docker", "info")]);
    expect(lowered.map((f) => [f.level, f.allowlistedFrom])).toEqual([
      ["info", "warn"],
      ["info", "unknown"],
      ["info", "danger"],
      ["info", undefined],
    ]);
  });

  it("never hides danger from scanners or pickle imports", () => {
    const verdict = buildVerdict([finding("pickle-imports", "danger", { overridesAllowlist: true }), finding("remote-code", "warn")], true);
    expect(verdict.level).toBe("danger");
    expect(verdict.allowlisted).toBe(true);
    expect(verdict.findings.map((f) => f.level)).toEqual(["danger", "info"]);
  });

  it("a real repo with a dangerous import stays danger when allowlisted; its other findings drop to info", () => {
    const facts = newcomer([file("pytorch_model.bin", { security: pickleScanned([imp("posix", "system", "dangerous")], "unsafe") })]);
    const verdict = verdictOf(facts, BALANCED, true);
    expect(verdict.level).toBe("danger");
    expect(verdict.findings.filter((f) => f.level === "danger").map((f) => f.id)).toEqual(["pickle-imports"]);
    expect(verdict.findings.filter((f) => f.id !== "pickle-imports").every((f) => f.level === "info")).toBe(true);
  });

  it("an allowlisted repo with a gap is info, not ok", () => {
    expect(verdictOf(bertFacts({ files: missing("timeout") }), BALANCED, true).level).toBe("info");
  });
});

describe("verdicts on real-shaped repos", () => {
  it("a verified org's pytorch_model.bin beside model.safetensors, scanned clean, is info overall", () => {
    const verdict = verdictOf(bertFacts());
    expect(verdict.level).toBe("info");
    expect(verdict.findings.map((f) => f.id)).toEqual(["pickle-weights"]);
  });

  it("a verified org with only scanned safetensors is ok: everything checked, nothing found", () => {
    const facts = bertFacts({ files: listing([file("config.json", { security: security("safe") }), file("model.safetensors", { security: security("safe"), lastCommit: { date: daysAgo(400), id: "a", title: "Upload" } })]) });
    expect(verdictOf(facts).level).toBe("ok");
  });

  it("a brand-new account publishing only unscanned pickles is not info", () => {
    const verdict = verdictOf(newcomer([file("pytorch_model.bin", { security: security("queued") })]));
    expect(verdict.level).toBe("warn");
    expect(verdict.findings.map((f) => f.id).sort()).toEqual(["pickle-weights", "scan-incomplete", "unverified-author", "weights-changed", "young-account"].sort());
  });

  it("the same account in strict mode is danger (unscanned pickle)", () => {
    expect(verdictOf(newcomer([file("pytorch_model.bin", { security: security("queued") })]), STRICT).level).toBe("danger");
  });

  it("a brand-new account whose pickle has suspicious imports is at least warn, danger in strict", () => {
    const facts = newcomer([file("model.pkl", { security: pickleScanned([imp("sklearn.pipeline", "Pipeline", "suspicious")], "suspicious") })]);
    expect(verdictOf(facts).level).toBe("warn");
    expect(verdictOf(facts, STRICT).level).toBe("danger");
  });

  it("a look-alike author shipping pickles is danger", () => {
    const facts = modelFacts("meta-IIama/Llama-3-8B", [file("consolidated.00.pth", { security: security("safe") })]);
    const verdict = verdictOf(facts);
    expect(verdict.level).toBe("danger");
    expect(verdict.findings[0]?.id).toBe("lookalike-author");
  });

  it("an Ultralytics YOLO checkpoint flagged only for getattr is a warning, not danger", () => {
    const facts = modelFacts("Ultralytics/YOLOv8", [file("yolov8n.pt", { security: pickleScanned(YOLO_IMPORTS, "unsafe") })], {
      author: factOf(verifiedOrg("Ultralytics")),
    });
    const verdict = verdictOf(facts);
    expect(verdict.level).toBe("warn");
    expect(verdict.findings.find((f) => f.id === "pickle-imports")?.level).toBe("warn");
  });

  it("a gap is never ok: a failed file list on a verified org is unknown", () => {
    const verdict = verdictOf(bertFacts({ files: missing("timeout") }));
    expect(verdict.level).toBe("unknown");
  });

  it.each(["security", "pullRequests", "author"] as const)("a %s gap on a clean repo is unknown", (key) => {
    const facts = bertFacts({ [key]: missing("rate-limited") });
    expect(verdictOf(facts).level).toBe("unknown");
  });

  it("a private repo (every request 401) gives one fetch-failed finding, not one per rule", () => {
    const facts = bertFacts({
      info: missing("unauthorized"),
      files: missing("unauthorized"),
      security: missing("unauthorized"),
      pullRequests: missing("unauthorized"),
      author: missing("unauthorized"),
    });
    const verdict = verdictOf(facts);
    expect(verdict.level).toBe("unknown");
    expect(verdict.findings.map((f) => f.id)).toEqual(["fetch-failed"]);
  });

  it("disabled rules are not run", () => {
    const facts = newcomer([file("pytorch_model.bin", { security: security("queued") })]);
    const findings = evaluateRepo(facts, RULES, context({ disabledRules: ["young-account", "unverified-author"] }));
    expect(findings.map((f) => f.id)).not.toContain("young-account");
    expect(findings.map((f) => f.id)).not.toContain("unverified-author");
  });

  it("rules are pure: same facts, same findings, whatever the order", () => {
    const facts = newcomer([file("pytorch_model.bin", { security: security("queued") })]);
    const forward = evaluateRepo(facts, RULES, BALANCED);
    const backward = evaluateRepo(facts, [...RULES].reverse(), BALANCED);
    expect(sortBySeverity([...backward]).map((f) => f.title).sort()).toEqual(sortBySeverity([...forward]).map((f) => f.title).sort());
    expect(evaluateRepo(facts, RULES, BALANCED)).toEqual(forward);
  });
});
