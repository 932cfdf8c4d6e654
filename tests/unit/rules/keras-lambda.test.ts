import { describe, expect, it } from "vitest";
import type { KerasFileScan } from "../../../lib/readers/keras/types";
import { factOf } from "../../../lib/hub/gaps";
import { kerasLambdaRule } from "../../../lib/rules/keras-lambda";
import { scanIncompleteRule } from "../../../lib/rules/scan-incomplete";
import { BALANCED, file, missing, modelFacts, security } from "../../fixtures/facts/builders";

const REPO = "keras-tinkerer/model";
const keras = file("model.keras", { size: 3000, lfsOid: "a".repeat(64), security: security("safe") });
const h5 = file("legacy/model.h5", { size: 9000, lfsOid: "b".repeat(64), security: security("safe") });

function scanOf(path: string, extra: Partial<KerasFileScan>): KerasFileScan {
  return { path, verdict: "clean", format: path.endsWith(".keras") ? "keras-zip" : "hdf5", lambdas: [], foreign: [], custom: [], bytesRead: 4000, requests: 2, ...extra };
}

function factsWith(scans: KerasFileScan[]) {
  return { ...modelFacts(REPO, [keras, h5]), kerasScans: factOf(scans) };
}

describe("keras-lambda", () => {
  it("a Lambda layer: warn, naming the file, the layer and where it sits, with safe_mode advice", () => {
    const [finding, ...rest] = kerasLambdaRule.evaluate(
      factsWith([scanOf("model.keras", { verdict: "lambda", lambdas: [{ name: "scale", within: ["model", "encoder"], kind: "bytecode" }] }), scanOf("legacy/model.h5", {})]),
      BALANCED,
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: "keras-lambda", level: "warn", title: "model.keras has 1 Lambda layer" });
    expect(finding?.explanation).toContain('"scale" (inside "model" › "encoder"): Python bytecode');
    expect(finding?.evidence).toEqual([{ label: "model.keras", url: `https://huggingface.co/${REPO}/blob/main/model.keras` }]);
    expect(finding?.advice.join(" ")).toContain("safe_mode=True");
    expect(finding?.advice.join(" ")).toContain("safetensors");
  });

  it("a foreign module: danger, naming what it imports, with report advice", () => {
    const [finding] = kerasLambdaRule.evaluate(
      factsWith([
        scanOf("legacy/model.h5", {
          verdict: "foreign",
          foreign: [{ layer: "hidden", within: ["m"], target: "builtins.exec", field: "function", why: "exec runs code" }],
          lambdas: [{ name: "l", within: [], kind: "bytecode" }],
        }),
      ]),
      BALANCED,
    );
    expect(finding).toMatchObject({ id: "keras-lambda", level: "danger", title: "model.h5 makes Keras import code from outside Keras" });
    expect(finding?.explanation).toContain('layer "hidden" (inside "m") names "builtins.exec" (function)');
    expect(finding?.explanation).toContain("model_config attribute");
    expect(finding?.explanation).toContain("1 Lambda layer");
    expect(finding?.advice.join(" ")).toMatch(/Report the repo/);
  });

  it("one finding per file with something found; clean files add none", () => {
    const findings = kerasLambdaRule.evaluate(
      factsWith([
        scanOf("model.keras", { verdict: "lambda", lambdas: [{ name: "a", within: [], kind: "bytecode" }] }),
        scanOf("legacy/model.h5", { verdict: "lambda", lambdas: [{ name: "b", within: [], kind: "named-function", module: "__main__", functionName: "f" }] }),
      ]),
      BALANCED,
    );
    expect(findings.map((finding) => finding.evidence[0]?.label)).toEqual(["model.keras", "legacy/model.h5"]);
    expect(findings[1]?.explanation).toContain("the function __main__.f");
  });

  it("many Lambdas: five named, the rest counted", () => {
    const lambdas = Array.from({ length: 8 }, (_, i) => ({ name: `l${i}`, within: [], kind: "bytecode" as const }));
    const [finding] = kerasLambdaRule.evaluate(factsWith([scanOf("model.keras", { verdict: "lambda", lambdas })]), BALANCED);
    expect(finding?.explanation).toContain("and 3 more");
    expect(finding?.explanation).not.toContain('"l6"');
  });

  it("bidi and zero-width characters in a layer name are shown as escapes", () => {
    const [finding] = kerasLambdaRule.evaluate(factsWith([scanOf("model.keras", { verdict: "lambda", lambdas: [{ name: "ok\u202eevil", within: [], kind: "bytecode" }] })]), BALANCED);
    expect(finding?.explanation).toContain('"ok\\u202eevil"');
    expect(finding?.explanation).not.toContain("\u202e");
  });

  it("unknown scans and a failed scan are not reported here but by scan-incomplete, as unknown", () => {
    const unread = factsWith([scanOf("model.keras", { verdict: "unknown", reason: "an HDF5 layout the reader does not follow" })]);
    expect(kerasLambdaRule.evaluate(unread, BALANCED)).toEqual([]);
    const [incomplete] = scanIncompleteRule.evaluate(unread, BALANCED);
    expect(incomplete).toMatchObject({ id: "scan-incomplete", level: "unknown", title: "Layer config of 1 Keras file not checked" });
    expect(incomplete?.explanation).toContain("model.keras: an HDF5 layout the reader does not follow");
    expect(incomplete?.evidence.map((evidence) => evidence.label)).toContain("model.keras");

    const failed = { ...modelFacts(REPO, [keras, h5]), kerasScans: missing<KerasFileScan[]>("network", "The connection failed.") };
    expect(kerasLambdaRule.evaluate(failed, BALANCED)).toEqual([]);
    const [gap] = scanIncompleteRule.evaluate(failed, BALANCED);
    expect(gap?.level).toBe("unknown");
    expect(gap?.explanation).toContain("The connection failed.");
  });

  it("no Keras files, or no Keras check: nothing", () => {
    expect(kerasLambdaRule.evaluate(modelFacts(REPO, [keras]), BALANCED)).toEqual([]);
    expect(kerasLambdaRule.evaluate(factsWith([]), BALANCED)).toEqual([]);
  });
});
