/**
 * keras-lambda: a Keras model file holds a Lambda layer (marshalled Python bytecode), or a layer or
 * object config that names a Python module or function outside Keras (the safe_mode bypass class,
 * CVE-2025-1550). Read by Hub Sentinel itself from the `.keras` config.json or the `.h5`
 * `model_config` attribute (lib/readers/keras, lib/hub/keras-scans.ts).
 * Examples: https://huggingface.co/keras-io/ (Keras models on the Hub, many `.keras`/`.h5`),
 * https://huggingface.co/{owner}/{name}/blob/main/model.keras (the file a finding points at).
 *
 * Levels: `danger` for a foreign module or function (no honest model needs the loader to import
 * `os` or call `exec`); `warn` for Lambda layers, which have legitimate uses, but whose bytecode runs
 * when loaded with `safe_mode=False` and in every legacy (`.h5`, Keras 2) loader. Files that could
 * not be read are reported by scan-incomplete as `unknown`, never here as clean.
 */
import type { KerasFileScan, KerasForeignReference, KerasLambdaLayer } from "../readers/keras/types";
import type { RepoFinding } from "../findings";
import { fileName } from "../hub/file-kinds";
import { fileUrl } from "../hub/links";
import { plural, summarize } from "./shared";
import type { Rule } from "./types";

/** Layers named per finding; the rest are counted. */
const SHOWN = 5;

/** Characters that reorder or hide text (bidi controls, zero-width marks): shown as escapes so a name cannot disguise itself. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]/g;

function quoted(name: string): string {
  // JSON quoting makes control characters visible as escapes; the UI renders text only.
  return JSON.stringify(name).replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function placeOf(within: readonly string[]): string {
  return within.length === 0 ? "" : ` (inside ${within.map(quoted).join(" › ")})`;
}

function lambdaWords(layer: KerasLambdaLayer): string {
  const what = layer.kind === "bytecode" ? "Python bytecode" : `the function ${[layer.module, layer.functionName].filter(Boolean).join(".")}`;
  return `${quoted(layer.name)}${placeOf(layer.within)}: ${what}`;
}

function foreignWords(reference: KerasForeignReference): string {
  const where = reference.layer === "" ? "the model's config" : `layer ${quoted(reference.layer)}${placeOf(reference.within)}`;
  return `${where} names ${quoted(reference.target)} (${reference.field}): ${reference.why}`;
}

function formatWords(scan: KerasFileScan): string {
  return scan.format === "hdf5" ? "its model_config attribute (legacy HDF5 Keras file)" : "its config.json (Keras 3 archive)";
}

function findingOf(facts: Parameters<Rule["evaluate"]>[0], scan: KerasFileScan): RepoFinding | undefined {
  const name = fileName(scan.path);
  const evidence = [{ label: scan.path, url: fileUrl(facts.repo, scan.path) }];
  const lambdaList = scan.lambdas.slice(0, SHOWN).map(lambdaWords);
  const moreLambdas = scan.lambdas.length > SHOWN ? ` and ${scan.lambdas.length - SHOWN} more` : "";
  const customNote =
    scan.custom.length > 0
      ? ` It also uses ${plural(scan.custom.length, "custom object")} (${summarize(scan.custom.map((item) => quoted(item.registeredName ?? item.className)))}), which load only with the author's code.`
      : "";
  if (scan.foreign.length > 0) {
    const list = scan.foreign.slice(0, SHOWN).map(foreignWords);
    return {
      id: "keras-lambda",
      level: "danger",
      title: `${name} makes Keras import code from outside Keras`,
      explanation: [
        `Hub Sentinel read ${formatWords(scan)}: ${list.join("; ")}${scan.foreign.length > SHOWN ? `; and ${scan.foreign.length - SHOWN} more` : ""}.`,
        "Keras builds each object from the module and name its config gives; before Keras 3.9 it did so for any module even with safe_mode=True (CVE-2025-1550), so loading this file can run commands on your machine. No honest model needs this.",
        scan.lambdas.length > 0 ? `It also has ${plural(scan.lambdas.length, "Lambda layer")}: ${lambdaList.join("; ")}${moreLambdas}.` : "",
        customNote.trim(),
      ]
        .filter(Boolean)
        .join(" "),
      evidence,
      advice: [
        "Do not load this file (keras.models.load_model, from_pretrained_keras, tf.keras) anywhere it could run.",
        "If you need the model, ask for a safetensors export of its weights and build the architecture from code you trust.",
        "Report the repo to Hugging Face (the Report button on the model page).",
      ],
    };
  }
  if (scan.lambdas.length > 0) {
    return {
      id: "keras-lambda",
      level: "warn",
      title: `${name} has ${plural(scan.lambdas.length, "Lambda layer")}`,
      explanation: [
        `Hub Sentinel read ${formatWords(scan)}. Lambda layers: ${lambdaList.join("; ")}${moreLambdas}.`,
        "A Lambda layer stores Python code (marshalled bytecode, or a function looked up by name). Keras 3 refuses it with safe_mode=True, its default; loading with safe_mode=False, or with a legacy loader (.h5 files, Keras 2, tf.keras), runs that code on your machine.",
        customNote.trim(),
      ]
        .filter(Boolean)
        .join(" "),
      evidence,
      advice: [
        "Load it only with safe_mode=True (keras.models.load_model(path, safe_mode=True)), which refuses the Lambda code, unless you trust the author.",
        "Prefer a safetensors export of the weights, or a version of the model without Lambda layers.",
        "If the Lambda looks out of place in this model, report the repo to Hugging Face.",
      ],
    };
  }
  return undefined;
}

export const kerasLambdaRule: Rule = {
  id: "keras-lambda",
  evaluate(facts) {
    // A gap or an unread file is scan-incomplete's to report (unknown), so it is named once.
    if (!facts.kerasScans?.ok) return [];
    return facts.kerasScans.value.map((scan) => findingOf(facts, scan)).filter((finding): finding is RepoFinding => finding !== undefined);
  },
};
