import { describe, expect, it } from "vitest";
import type { OwnPickleScan } from "../../../lib/hub/facts";
import { factOf } from "../../../lib/hub/gaps";
import { pickleImportsRule } from "../../../lib/rules/pickle-imports";
import { scanIncompleteRule } from "../../../lib/rules/scan-incomplete";
import { cleanPickleSecurity, context, file, imp, modelFacts, ownScan, security, subScan, TORCH_IMPORTS } from "../../fixtures/facts/builders";

/**
 * How the own pickle scan's results (lib/hub/own-scans.ts) reach the findings: which scanner said
 * what, and a PR's copy of a file never standing in for the file at the viewed revision.
 */
const queuedBin = file("pytorch_model.bin", { size: 1000, security: security("queued", { pickleImportScan: subScan("queued") }) });
const POSIX = [...TORCH_IMPORTS, imp("posix", "system", "dangerous")];
const prScan = (pr: number): OwnPickleScan => ({ ...ownScan("pytorch_model.bin", "dangerous", [imp("builtins", "exec", "dangerous")]), pr });

describe("own scan results in the findings", () => {
  it("a queued Hub scan says nothing; our scan's dangerous import makes pickle-imports danger, credited to us", () => {
    const facts = modelFacts("quiet-lab/queued-scan", [queuedBin], { ownScans: factOf([ownScan("pytorch_model.bin", "dangerous", POSIX)]) });
    const [finding] = pickleImportsRule.evaluate(facts, context());
    expect(finding?.level).toBe("danger");
    expect(finding?.explanation).toContain("pytorch_model.bin — Hub Sentinel's own scan: dangerous posix.system (runs shell commands and reads, writes or deletes files).");
    expect(finding?.explanation).not.toContain("Hugging Face's scan");
  });

  it("a dangerous file in a PR is reported as that PR's file, linked at refs/pr/N", () => {
    const facts = modelFacts("legacy-lab/hijacked-pr", [file("pytorch_model.bin", { size: 10, security: cleanPickleSecurity() })], { ownScans: factOf([prScan(7)]) });
    const [finding] = pickleImportsRule.evaluate(facts, context());
    expect(finding?.level).toBe("danger");
    expect(finding?.title).toBe("Dangerous pickle imports in pytorch_model.bin (PR #7)");
    expect(finding?.explanation).toContain("pytorch_model.bin in PR #7 — Hub Sentinel's own scan: dangerous builtins.exec (evaluates a code string).");
    expect(finding?.evidence[0]).toEqual({ label: "pytorch_model.bin in PR #7", url: "https://huggingface.co/legacy-lab/hijacked-pr/blob/refs%2Fpr%2F7/pytorch_model.bin" });
  });

  it("a PR's scan does not answer for the viewed revision's file of the same name", () => {
    const facts = modelFacts("legacy-lab/queued", [queuedBin], { ownScans: factOf([{ ...ownScan("pytorch_model.bin", "clean", TORCH_IMPORTS), pr: 3 }]) });
    const [incomplete] = scanIncompleteRule.evaluate(facts, context());
    expect(incomplete?.level).toBe("unknown");
    expect(incomplete?.explanation).toContain("No scan verdict yet for 1 file: pytorch_model.bin (queued)");
    expect(pickleImportsRule.evaluate(facts, context())).toEqual([]);
  });

  it("an own scan that could not decide leaves the file unknown, with our reason", () => {
    const facts = modelFacts("someone/archive", [queuedBin], { ownScans: factOf([ownScan("pytorch_model.bin", "unknown", [], "cannot read 7z archives")]) });
    const [incomplete] = scanIncompleteRule.evaluate(facts, context());
    expect(incomplete?.level).toBe("unknown");
    expect(incomplete?.explanation).toContain("Hub Sentinel's own scan could not decide (pytorch_model.bin: cannot read 7z archives)");
    expect(pickleImportsRule.evaluate(facts, context())).toEqual([]);
  });
});
