import { describe, expect, it } from "vitest";
import { scannerFlagRule } from "../../../lib/rules/scanner-flag";
import {
  BALANCED,
  bertFacts,
  factOf,
  file,
  imp,
  missing,
  modelFacts,
  pickleScanned,
  repoSecurity,
  security,
  subScan,
} from "../../fixtures/facts/builders";

const REPORT = "https://protectai.com/insights/models/someone/model/abc/files?blob-id=123";

describe("scanner-flag", () => {
  it("says nothing when every scanner is safe (bert-base-uncased)", () => {
    expect(scannerFlagRule.evaluate(bertFacts(), BALANCED)).toEqual([]);
  });

  it.each([
    ["protectAiScan", "unsafe", "danger"],
    ["avScan", "unsafe", "danger"],
    ["jFrogScan", "suspicious", "warn"],
    ["virusTotalScan", "caution", "warn"],
    ["protectAiScan", "caution", "warn"],
  ] as const)("%s %s → %s", (scanner, status, level) => {
    const facts = modelFacts("someone/model", [
      file("model.bin", {
        security: security(status, { [scanner]: subScan(status, { message: "Detected", reportLink: REPORT }) }),
      }),
    ]);
    const [finding] = scannerFlagRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe(level);
    expect(finding?.overridesAllowlist === true).toBe(level === "danger");
    expect(finding?.evidence).toContainEqual({ label: "model.bin", url: "https://huggingface.co/someone/model/blob/main/model.bin" });
    expect(finding?.evidence.map((e) => e.url)).toContain(REPORT);
  });

  it("shows scanner disagreement", () => {
    const facts = modelFacts("someone/model", [
      file("model.bin", {
        security: security("unsafe", {
          protectAiScan: subScan("unsafe", { message: "PAIT-PKL-100", reportLink: REPORT }),
          avScan: subScan("safe"),
          jFrogScan: subScan("safe"),
        }),
      }),
    ]);
    const [finding] = scannerFlagRule.evaluate(facts, BALANCED);
    expect(finding?.explanation).toContain("Protect AI: unsafe (“PAIT-PKL-100”)");
    expect(finding?.explanation).toContain("JFrog: safe");
    expect(finding?.explanation).toContain("The scanners disagree");
    // The flagged scanner is listed first.
    expect(finding?.explanation.indexOf("Protect AI")).toBeLessThan(finding?.explanation.indexOf("ClamAV") ?? -1);
  });

  it("reports a file in the repo status list that has no per-file detail", () => {
    const facts = modelFacts("someone/model", [file("archive.zip")], {
      security: factOf(repoSecurity({ filesWithIssues: [{ path: "archive.zip", level: "unsafe" }] })),
    });
    const [finding] = scannerFlagRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe("danger");
    expect(finding?.explanation).toContain("archive.zip — the repo's security status lists it as unsafe");
  });

  it("leaves a file flagged only by the Hub's pickle-import scan to pickle-imports", () => {
    const facts = modelFacts("someone/model", [file("evil.pkl", { security: pickleScanned([imp("posix", "system", "dangerous")], "unsafe") })], {
      security: factOf(repoSecurity({ filesWithIssues: [{ path: "evil.pkl", level: "unsafe" }] })),
    });
    expect(scannerFlagRule.evaluate(facts, BALANCED)).toEqual([]);
  });

  it("ignores repo-status entries that are not flags (queued, error are scan-incomplete's)", () => {
    const facts = bertFacts({ security: factOf(repoSecurity({ filesWithIssues: [{ path: "pytorch_model.bin", level: "queued" }] })) });
    expect(scannerFlagRule.evaluate(facts, BALANCED)).toEqual([]);
  });

  it("a security-status gap is unknown", () => {
    const [finding] = scannerFlagRule.evaluate(bertFacts({ security: missing("rate-limited") }), BALANCED);
    expect(finding?.level).toBe("unknown");
    expect(finding?.id).toBe("scanner-flag");
  });

  it("a security-status gap still lets per-file flags through", () => {
    const facts = modelFacts("someone/model", [file("model.bin", { security: security("unsafe", { avScan: subScan("unsafe") }) })], {
      security: missing("timeout"),
    });
    expect(scannerFlagRule.evaluate(facts, BALANCED).map((f) => f.level).sort()).toEqual(["danger", "unknown"]);
  });
});
