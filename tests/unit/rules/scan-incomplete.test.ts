import { describe, expect, it } from "vitest";
import { scanIncompleteRule } from "../../../lib/rules/scan-incomplete";
import {
  BALANCED,
  STRICT,
  bertFacts,
  factOf,
  file,
  missing,
  modelFacts,
  ownScan,
  repoSecurity,
  security,
  subScan,
  TORCH_IMPORTS,
} from "../../fixtures/facts/builders";

describe("scan-incomplete", () => {
  it("says nothing when every weight file is scanned (bert-base-uncased)", () => {
    expect(scanIncompleteRule.evaluate(bertFacts(), BALANCED)).toEqual([]);
    expect(scanIncompleteRule.evaluate(bertFacts(), STRICT)).toEqual([]);
  });

  it.each([
    ["queued", "pytorch_model.bin", "unknown", "danger"],
    ["error", "pytorch_model.bin", "unknown", "danger"],
    ["unscanned", "model.ckpt", "unknown", "danger"],
    ["queued", "model.safetensors", "unknown", "unknown"],
    ["queued", "tf_model.h5", "unknown", "unknown"],
  ] as const)("a %s %s → %s (strict: %s)", (status, path, balanced, strict) => {
    const facts = modelFacts("someone/model", [file(path, { security: security(status) })]);
    const [finding] = scanIncompleteRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe(balanced);
    expect(finding?.explanation).toContain(path);
    expect(finding?.explanation).toContain("does not mean the files are safe");
    expect(scanIncompleteRule.evaluate(facts, STRICT)[0]?.level).toBe(strict);
  });

  it("counts a pickle whose pickle-import scan is not done, even if other scans are safe", () => {
    const facts = modelFacts("someone/model", [
      file("pytorch_model.bin", { security: security("safe", { pickleImportScan: subScan("queued") }) }),
    ]);
    const [finding] = scanIncompleteRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe("unknown");
    expect(finding?.explanation).toContain("pickle-import scan queued");
  });

  it("a weight file with no scan status at all is unknown", () => {
    const [finding] = scanIncompleteRule.evaluate(modelFacts("someone/model", [file("pytorch_model.bin")]), BALANCED);
    expect(finding?.explanation).toContain("no scan status was given");
  });

  it("ignores unscanned non-weight files (README, config)", () => {
    const facts = modelFacts("someone/model", [file("README.md", { security: security("unscanned") }), file("config.json")]);
    expect(scanIncompleteRule.evaluate(facts, BALANCED)).toEqual([]);
  });

  it("scansDone: false is unknown, never safe", () => {
    const [finding] = scanIncompleteRule.evaluate(bertFacts({ security: factOf(repoSecurity({ scansDone: false })) }), BALANCED);
    expect(finding?.level).toBe("unknown");
    expect(finding?.explanation).toContain("scansDone: false");
  });

  it("a pickle our own scan read is only mentioned (info), not unknown", () => {
    const facts = modelFacts("someone/model", [file("model.ckpt", { security: security("unscanned") })], {
      ownScans: factOf([ownScan("model.ckpt", "clean", TORCH_IMPORTS)]),
    });
    const [finding] = scanIncompleteRule.evaluate(facts, STRICT);
    expect(finding?.level).toBe("info");
    expect(finding?.explanation).toContain("Hub Sentinel's own scan read its pickle imports");
  });

  it("says why our own scan could not fill the gap", () => {
    const facts = modelFacts("someone/model", [file("model.ckpt", { security: security("queued") })], {
      ownScans: factOf([ownScan("model.ckpt", "unknown", [], "7z archive: cannot read")]),
    });
    const [finding] = scanIncompleteRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe("unknown");
    expect(finding?.explanation).toContain("model.ckpt: 7z archive: cannot read");
  });

  it("an own-scan gap is named in the explanation", () => {
    const facts = modelFacts("someone/model", [file("model.ckpt", { security: security("queued") })], {
      ownScans: missing("timeout", "Reading model.ckpt took too long."),
    });
    expect(scanIncompleteRule.evaluate(facts, BALANCED)[0]?.explanation).toContain("could not run: Reading model.ckpt took too long.");
  });

  it("a capped listing with pickles is unknown for the unread rest", () => {
    const scanned = file("pytorch_model.bin", { security: security("safe", { pickleImportScan: subScan("safe") }) });
    const facts = bertFacts({ files: factOf({ files: [scanned], complete: false, readCount: 1000 }) });
    const [finding] = scanIncompleteRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe("unknown");
    expect(finding?.explanation).toContain("Only the first 1000 files were read");
  });

  it("leaves file-list gaps to pickle-weights and pickle-imports", () => {
    expect(scanIncompleteRule.evaluate(bertFacts({ files: missing("network") }), BALANCED)).toEqual([]);
  });
});
