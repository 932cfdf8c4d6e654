/**
 * What Hub Sentinel's own Keras reader found in one model file (`.keras` zip or legacy `.h5`).
 * Owned here, imported by lib/hub (facts) and lib/rules (keras-lambda).
 */

/** A `Lambda` layer (or a lambda function elsewhere in a config): its Python code runs when the model is loaded or called. */
export interface KerasLambdaLayer {
  /** The layer's `name` from its config, as written (hostile text possible: render as text). */
  name: string;
  /** Enclosing layer and model names, outermost first, e.g. ["encoder", "time_distributed"]. */
  within: string[];
  /** `bytecode`: marshalled Python bytecode (a lambda); `named-function`: a function looked up by name. */
  kind: "bytecode" | "named-function";
  /** For a named function: the module and name it is looked up in, when the config says. */
  module?: string;
  functionName?: string;
}

/** A config entry that makes the loader import a Python module or call a function outside Keras. */
export interface KerasForeignReference {
  /** The layer whose config holds it (its name), or "" at the top of the config. */
  layer: string;
  within: string[];
  /** What the config names, as `module.name` (or just one of them when only one is given). */
  target: string;
  /** Which key named it: `module`, `registered_name`, `function` (a function config) or `class_name`. */
  field: "module" | "registered_name" | "function" | "class_name";
  /** Plain words: why this is outside what honest Keras models need. */
  why: string;
}

/** A custom (non-Keras) class or function an honest model may use: loading needs the author's code, passed by the user. */
export interface KerasCustomObject {
  layer: string;
  className: string;
  module?: string;
  registeredName?: string;
}

export interface KerasConfigReport {
  lambdas: KerasLambdaLayer[];
  foreign: KerasForeignReference[];
  custom: KerasCustomObject[];
  /** Layer configs seen (objects with a class_name and a config). */
  layerCount: number;
  /** The walk stopped at its node or depth cap: what was not walked was not checked. */
  truncated: boolean;
}

export type KerasFileFormat = "keras-zip" | "hdf5";

/** The outcome for one file: `unknown` when it could not be read within the caps (never `clean`). */
export interface KerasFileScan {
  path: string;
  verdict: "clean" | "lambda" | "foreign" | "unknown";
  format?: KerasFileFormat;
  lambdas: KerasLambdaLayer[];
  foreign: KerasForeignReference[];
  custom: KerasCustomObject[];
  /** Why the verdict is unknown, or a note on a clean verdict (e.g. weights only, no model config). */
  reason?: string;
  /** From metadata.json (`.keras`) or the root's `keras_version` attribute, when read. */
  kerasVersion?: string;
  bytesRead: number;
  requests: number;
}
