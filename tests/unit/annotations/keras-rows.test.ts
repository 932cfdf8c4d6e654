import { describe, expect, it } from "vitest";
import { fileAnnotations } from "../../../lib/annotations/file-view";
import { factOf } from "../../../lib/hub/gaps";
import type { KerasFileScan } from "../../../lib/readers/keras/types";
import { RULES } from "../../../lib/rules";
import { evaluateRepo } from "../../../lib/verdict/verdict";
import { BALANCED, file, modelFacts, security, verifiedOrg } from "../../fixtures/facts/builders";

const scan = (path: string, extra: Partial<KerasFileScan>): KerasFileScan => ({ path, verdict: "clean", lambdas: [], foreign: [], custom: [], bytesRead: 1, requests: 1, ...extra });

describe("file rows of Keras model files", () => {
  const files = [file("README.md"), file("model.keras", { security: security("safe") }), file("tf_model.h5", { security: security("safe") }), file("odd.h5", { security: security("safe") })];

  it("each Keras row is annotated with what its own check found: keras-lambda, clean, or not checked", () => {
    const facts = {
      ...modelFacts("sentinel-verified/keras", files, { author: factOf(verifiedOrg("sentinel-verified")) }),
      kerasScans: factOf([
        scan("model.keras", { verdict: "lambda", lambdas: [{ name: "l", within: [], kind: "bytecode" }] }),
        scan("tf_model.h5", { reason: "weights only" }),
        scan("odd.h5", { verdict: "unknown", reason: "not a readable HDF5 file" }),
      ]),
    };
    const findings = evaluateRepo(facts, RULES, BALANCED);
    const rows = fileAnnotations(facts, findings, ["README.md", "model.keras", "tf_model.h5", "odd.h5"]);
    expect(rows.map((row) => [row.path, row.level, row.findings.map((finding) => finding.id)])).toEqual([
      ["model.keras", "warn", ["keras-lambda"]],
      ["tf_model.h5", "ok", []],
      ["odd.h5", "unknown", ["scan-incomplete"]],
    ]);
  });
});
