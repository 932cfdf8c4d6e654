import { describe, expect, it } from "vitest";
import { isPythonFile, isSafetensorsIndex, isYoloCheckpointName } from "../../../lib/hub/file-kinds";
import { findingsForFile } from "../../../lib/rules/locate";
import { RULES } from "../../../lib/rules/index";
import { evaluateRepo } from "../../../lib/verdict/verdict";
import { summarize, withinDays } from "../../../lib/rules/shared";
import { BALANCED, FETCHED_AT, bertFacts, daysAgo, file, imp, modelFacts, pickleScanned } from "../../fixtures/facts/builders";

describe("file kinds used by the rules", () => {
  it.each([
    ["yolov8n.pt", true],
    ["weights/yolo11s.pt", true],
    ["runs/train/weights/best.pt", true],
    ["last.pt", true],
    ["yolov8n.onnx", false],
    ["model.pt", false],
    ["yolo.pth", false],
  ])("isYoloCheckpointName(%s) → %s", (path, expected) => {
    expect(isYoloCheckpointName(path)).toBe(expected);
  });

  it.each([
    ["model.safetensors.index.json", true],
    ["unet/diffusion_pytorch_model.safetensors.index.json", true],
    ["pytorch_model.bin.index.json", false],
  ])("isSafetensorsIndex(%s) → %s", (path, expected) => {
    expect(isSafetensorsIndex(path)).toBe(expected);
  });

  it("isPythonFile", () => {
    expect(isPythonFile("modeling_phi3.py")).toBe(true);
    expect(isPythonFile("notes.pyc")).toBe(false);
  });
});

describe("shared helpers", () => {
  it.each([
    [[], ""],
    [["a"], "a"],
    [["a", "b"], "a and b"],
    [["a", "b", "c"], "a, b and c"],
    [["a", "b", "c", "d", "e"], "a, b, c and 2 more"],
  ])("summarize(%j) → %s", (items, expected) => {
    expect(summarize(items)).toBe(expected);
  });

  it("withinDays counts from the reference, and future dates as recent", () => {
    expect(withinDays(daysAgo(13.9), FETCHED_AT, 14)).toBe(true);
    expect(withinDays(daysAgo(14.1), FETCHED_AT, 14)).toBe(false);
    expect(withinDays(daysAgo(-1), FETCHED_AT, 14)).toBe(true);
    expect(withinDays("not a date", FETCHED_AT, 14)).toBe(false);
    expect(withinDays(undefined, FETCHED_AT, 14)).toBe(false);
  });
});

describe("findingsForFile", () => {
  it("finds every finding that points at a file, for the per-row annotation", () => {
    const facts = modelFacts("someone/model", [
      file("evil.pkl", { security: pickleScanned([imp("posix", "system", "dangerous")], "unsafe") }),
      file("model.safetensors"),
    ]);
    const findings = evaluateRepo(facts, RULES, BALANCED);
    expect(findingsForFile(findings, facts.repo, "evil.pkl").map((f) => f.id).sort()).toEqual(["pickle-imports", "pickle-weights"]);
    expect(findingsForFile(findings, facts.repo, "model.safetensors").map((f) => f.id)).toEqual(["scan-incomplete"]);
    expect(findingsForFile(evaluateRepo(bertFacts(), RULES, BALANCED), bertFacts().repo, "vocab.txt")).toEqual([]);
  });
});
