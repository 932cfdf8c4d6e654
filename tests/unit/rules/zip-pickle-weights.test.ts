/**
 * Issue 24: a zip is pickle weights only if its central directory holds a pickle member. Until Hub
 * Sentinel has read it, or when it could not, the zip is not called safe; once read with no pickle
 * member it is no pickle weight and no finding; with one it is judged as any pickle.
 */
import { describe, expect, it } from "vitest";
import { fileAnnotations } from "../../../lib/annotations/file-view";
import type { OwnPickleScan, RepoFacts, RepoFile } from "../../../lib/hub/facts";
import { RULES } from "../../../lib/rules";
import { holdsPickles, pickleFreeArchive } from "../../../lib/rules/shared";
import { evaluateRepo, buildVerdict } from "../../../lib/verdict/verdict";
import { BALANCED, cleanPickleSecurity, factOf, file, missing, modelFacts, ownScan, security, subScan } from "../../fixtures/facts/builders";

const ZIP = "coreml/TextEncoder.mlmodelc.zip";
const zipFile = (extra: Partial<RepoFile> = {}) => file(ZIP, { size: 250_000_000, lfsOid: "c".repeat(64), security: security("safe", { pickleImportScan: subScan("safe", { pickleImports: [] }) }), ...extra });
const listed = (pickleMembers: number, verdict: OwnPickleScan["verdict"] = "clean"): OwnPickleScan => ({ ...ownScan(ZIP, verdict), archive: { members: 5, pickleMembers } });

function judge(facts: RepoFacts) {
  const findings = evaluateRepo(facts, RULES, { settings: BALANCED.settings, now: facts.fetchedAt });
  return { findings, level: buildVerdict(findings, false).level, ids: findings.map((finding) => finding.id).sort() };
}

const coremlRepo = (ownScans: RepoFacts["ownScans"], zip = zipFile()) => modelFacts("apple/coreml-text-encoder", [file("README.md"), zip], ownScans === undefined ? {} : { ownScans });

describe("a zip read and found to hold no pickle", () => {
  it("is no pickle weight: no pickle-weights, unverified-author or scan-incomplete finding", () => {
    const facts = coremlRepo(factOf([listed(0)]));
    expect(pickleFreeArchive(facts, ZIP)).toBe(true);
    expect(holdsPickles(facts, ZIP)).toBe(false);
    const { ids } = judge(facts);
    expect(ids).not.toContain("pickle-weights");
    expect(ids).not.toContain("scan-incomplete");
    expect(ids).not.toContain("pickle-imports");
  });

  it("even when the Hub's pickle scan never ran on it", () => {
    const { ids } = judge(coremlRepo(factOf([listed(0)]), zipFile({ security: security("safe", { pickleImportScan: subScan("unscanned") }) })));
    expect(ids).not.toContain("pickle-weights");
    expect(ids).not.toContain("scan-incomplete");
  });

  it("its file row says it was read and holds no pickle, and is not raised to info", () => {
    const facts = coremlRepo(factOf([listed(0)]));
    const [view] = fileAnnotations(facts, judge(facts).findings, [ZIP]);
    expect(view?.archiveNote).toBe("Zip read by Hub Sentinel: 5 members, none of them a pickle, so it is not pickle weights.");
    expect(view?.level).toBe("ok");
  });
});

describe("a zip with a pickle member is judged as any pickle", () => {
  it("pickle weights (no safetensors copy, vouched by the scans: info), and its row says what it holds", () => {
    const facts = coremlRepo(factOf([listed(2)]));
    expect(holdsPickles(facts, ZIP)).toBe(true);
    const pickleWeights = judge(facts).findings.find((finding) => finding.id === "pickle-weights");
    expect(pickleWeights?.level).toBe("info");
    const [view] = fileAnnotations(facts, judge(facts).findings, [ZIP]);
    expect(view?.archiveNote).toMatch(/with 2 pickles inside/);
    expect(view?.level).toBe("info");
  });
});

describe("a zip not read, or not readable, is never called safe", () => {
  it.each<[string, RepoFacts["ownScans"]]>([
    ["the read failed", factOf([{ ...ownScan(ZIP, "unknown", [], "read failed: HTTP 500") }])],
    ["over the per-repo cap", factOf([ownScan(ZIP, "unknown", [], "not read: Hub Sentinel reads at most 6 pickle files per repo")])],
    ["a member could not be read", factOf([{ ...listed(0, "unknown"), reason: "x.zip:weights.bin: encrypted (traditional PKWARE encryption: a 12-byte encryption header before the data), so it was not read" }])],
    ["the own scan failed as a whole", missing("network")],
  ])("%s: unknown, said plainly, naming the zip", (_name, ownScans) => {
    const { findings, level } = judge(coremlRepo(ownScans));
    expect(level).toBe("unknown");
    const gap = findings.find((finding) => finding.id === "scan-incomplete");
    expect(gap?.level).toBe("unknown");
    expect(gap?.explanation).toMatch(/A zip is pickle weights only if it holds a pickle/);
    expect(gap?.evidence.map((evidence) => evidence.label)).toContain(ZIP);
  });

  it("with no own scan at all (listing cards read no file), a zip counts as pickle weights, as its name suggests", () => {
    const facts = coremlRepo(undefined);
    expect(holdsPickles(facts, ZIP)).toBe(true);
    expect(judge(facts).ids).toContain("pickle-weights");
  });

  it("a pickle beside it is unaffected", () => {
    const facts = modelFacts("someone/model", [zipFile(), file("pytorch_model.bin", { security: cleanPickleSecurity() })], { ownScans: factOf([listed(0)]) });
    const pickleWeights = judge(facts).findings.find((finding) => finding.id === "pickle-weights");
    expect(pickleWeights?.title).toBe("1 pickle-format file, no safetensors copy");
  });
});
