import { describe, expect, it } from "vitest";
import { walkKerasConfig } from "../../../lib/readers/keras/config-walker";

/** Keras 3 serializes objects as { module, class_name, config, registered_name } (serialization_lib). */
const k3 = (module: string, className: string, config: unknown, registeredName: string | null = null) => ({ module, class_name: className, config, registered_name: registeredName });
const policy = k3("keras", "DTypePolicy", { name: "float32" });
const dense = (name: string, activation: unknown = "relu") => k3("keras.layers", "Dense", { name, units: 8, activation, dtype: policy, kernel_initializer: k3("keras.initializers", "GlorotUniform", { seed: null }) });
const k3Lambda = (name: string) => k3("keras.layers", "Lambda", { name, function: { class_name: "__lambda__", config: { code: "4wEAAAAAAAAA", defaults: null, closure: null } }, arguments: {} });
const functional = (name: string, layers: unknown[]) => k3("keras", "Functional", { name, layers, input_layers: [], output_layers: [] });
const legacyLambda = (name: string, extra: Record<string, unknown> = {}) => ({
  class_name: "Lambda",
  config: { name, function: ["4wEAAAAAAAAA", null, null], function_type: "lambda", module: "__main__", output_shape_type: "raw", arguments: {}, ...extra },
});

describe("walkKerasConfig", () => {
  it("a clean Keras 3 Functional model reports nothing", () => {
    const report = walkKerasConfig(functional("clf", [dense("a"), dense("b", "softmax")]));
    expect(report).toMatchObject({ lambdas: [], foreign: [], custom: [], truncated: false });
    expect(report.layerCount).toBeGreaterThan(2);
  });

  it("finds a Lambda at any depth: Sequential in Functional, TimeDistributed, Bidirectional", () => {
    const wrapped = k3("keras.layers", "TimeDistributed", { name: "per_step", layer: k3Lambda("deep") });
    const bidi = k3("keras.layers", "Bidirectional", { name: "ctx", layer: k3Lambda("forward"), backward_layer: k3("keras.layers", "LSTM", { name: "back" }) });
    const encoder = k3("keras", "Sequential", { name: "encoder", layers: [wrapped, bidi] });
    const report = walkKerasConfig(functional("outer", [encoder, k3Lambda("top")]));
    expect(report.lambdas.map((layer) => [layer.name, layer.within])).toEqual([
      ["deep", ["outer", "encoder", "per_step"]],
      ["forward", ["outer", "encoder", "ctx"]],
      ["top", ["outer"]],
    ]);
    expect(report.lambdas.every((layer) => layer.kind === "bytecode")).toBe(true);
    expect(report.foreign).toEqual([]);
  });

  it("a legacy (Keras 2, .h5) Sequential with a bytecode Lambda", () => {
    const report = walkKerasConfig({ class_name: "Sequential", config: { name: "sequential", layers: [{ class_name: "Dense", config: { name: "d" } }, legacyLambda("normalize")] } });
    expect(report.lambdas).toEqual([{ name: "normalize", within: ["sequential"], kind: "bytecode", module: "__main__" }]);
    expect(report.foreign).toEqual([]);
  });

  it("a legacy Lambda whose function is os.system by name: foreign as well as a Lambda", () => {
    const report = walkKerasConfig({ class_name: "Model", config: { name: "m", layers: [legacyLambda("run", { function: "system", function_type: "function", module: "os" })] } });
    expect(report.lambdas[0]).toMatchObject({ name: "run", kind: "named-function", module: "os", functionName: "system" });
    expect(report.foreign).toEqual([expect.objectContaining({ layer: "run", target: "os.system", field: "function" })]);
  });

  it.each<[string, unknown, string]>([
    ["an activation that is builtins.exec", dense("h", k3("builtins", "function", "exec", "function")), "builtins.exec"],
    ["a layer class from subprocess", k3("subprocess", "Popen", { name: "p", args: ["id"] }), "subprocess.Popen"],
    ["a function from os (posix) by module", dense("h", k3("posix", "function", "system")), "posix.system"],
    ["a registered name resolving to os.system", k3("keras.layers", "Dense", { name: "h" }, "os>system"), "os>system"],
    ["a class from a module outside Keras with no registered name", k3("evil_pkg.payload", "Loader", { name: "x" }), "evil_pkg.payload.Loader"],
    ["a TFSMLayer loading an external SavedModel", k3("keras.layers", "TFSMLayer", { name: "sm", filepath: "/tmp/x" }), "keras.layers.TFSMLayer"],
    ["keras.utils.get_file as a function", dense("h", k3("keras.src.utils.file_utils", "function", "get_file")), "keras.src.utils.file_utils.get_file"],
    ["importlib.import_module", dense("h", k3("importlib", "function", "import_module")), "importlib.import_module"],
    ["a function from an outside module with no registered name", dense("h", k3("numpy.lib.npyio", "function", "load")), "numpy.lib.npyio.load"],
    ["a function config naming os.system under a Keras module", dense("h", k3("keras.src.activations", "function", "os.system", "os.system")), "keras.src.activations.os.system"],
    ["a legacy Lambda function named subprocess.check_output", { class_name: "Sequential", config: { name: "s", layers: [legacyLambda("x", { function: "subprocess.check_output", function_type: "function", module: "__main__" })] } }, "__main__.subprocess.check_output"],
    ["an unregistered function from an unknown package", dense("h", k3("payload_pkg", "function", "go")), "payload_pkg.go"],
  ])("%s is a foreign reference", (_name, layer, target) => {
    const report = walkKerasConfig(functional("m", [layer]));
    expect(report.foreign.map((reference) => reference.target)).toContain(target);
  });

  it("custom objects the author registered are noted, not alarmed about", () => {
    const report = walkKerasConfig(
      functional("m", [k3("my_models.layers", "Attention", { name: "att" }, "MyModels>Attention"), dense("h", k3("builtins", "function", "gelu_new", "function"))]),
    );
    expect(report.foreign).toEqual([]);
    expect(report.lambdas).toEqual([]);
    expect(report.custom.map((item) => item.className)).toEqual(["Attention", "gelu_new"]);
  });

  it("a __lambda__ function outside a Lambda layer (an activation) is reported with its layer", () => {
    const report = walkKerasConfig(functional("m", [dense("h", { class_name: "__lambda__", config: { code: "4wE=" } })]));
    expect(report.lambdas).toEqual([{ name: "h", within: ["m"], kind: "bytecode" }]);
  });

  it("keras_hub / keras_nlp / tf_keras modules are Keras's own", () => {
    const report = walkKerasConfig(functional("m", [k3("keras_hub.src.models.bert", "BertBackbone", { name: "bb" }, "keras_hub>BertBackbone"), k3("tf_keras.layers", "Dense", { name: "d" })]));
    expect(report).toMatchObject({ lambdas: [], foreign: [], custom: [] });
  });

  it("odd input never throws: null, numbers, strings, arrays of junk", () => {
    for (const value of [null, 3, "x", [], [null, 1, { class_name: 5 }], { class_name: "Lambda" }, { class_name: "Lambda", config: null }]) {
      expect(() => walkKerasConfig(value)).not.toThrow();
    }
  });

  it("a config nested deeper than the cap is reported as truncated, not clean", () => {
    let value: unknown = dense("leaf");
    for (let i = 0; i < 400; i++) value = { class_name: "Wrapper", config: { name: `w${i}`, layer: value } };
    expect(walkKerasConfig(value).truncated).toBe(true);
  });

  it("hostile layer names are kept verbatim (the UI renders them as text)", () => {
    const name = '<img src=x onerror=alert(1)>\u202e';
    expect(walkKerasConfig(functional("m", [k3Lambda(name)])).lambdas[0]?.name).toBe(name);
  });
});
