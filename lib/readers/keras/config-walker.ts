/**
 * Walks a Keras model config (Keras 3 `config.json`, or the legacy `model_config` attribute of an
 * `.h5` file) and reports what runs Python code on load. Nothing is evaluated.
 *
 * Every nested object is visited, not only `layers` lists: Functional/Sequential models inside
 * models, wrappers (`TimeDistributed`, `Bidirectional`: `config.layer`), `config.layers`, shared
 * objects, activations, initializers, losses. Keras serializes an object as
 * `{ module, class_name, config, registered_name }` (keras/src/saving/serialization_lib.py); the
 * loader imports `module` and looks `class_name` (or a function named by `config`) up in it. Keras
 * before 3.9 did that for any module even with `safe_mode=True` (CVE-2025-1550): a config naming
 * `os`/`subprocess`/`builtins`… runs code with no Lambda in sight. So:
 * - a `Lambda` layer (or a `__lambda__` function anywhere) is reported as a Lambda: its marshalled
 *   bytecode runs with `safe_mode=False` and in every legacy loader;
 * - a `module` outside Keras's own packages with no registered name, a module or callable that is a
 *   known way to run commands, import code or touch files, a function config naming one, and the
 *   Keras entries that load outside code (`TFSMLayer`, `get_file`) are foreign references;
 * - a custom class or function the author registered (`registered_name` "Package>Name") is only
 *   noted: it cannot load without the author's code, which the user has to supply.
 */
import type { KerasConfigReport, KerasCustomObject, KerasForeignReference, KerasLambdaLayer } from "./types";

/** Keras's own packages: the loader's allowlist from Keras 3.9 on, plus the legacy and add-on packages. */
const KERAS_PACKAGES = ["keras", "keras_hub", "keras_nlp", "keras_cv", "tf_keras", "tensorflow.keras", "tensorflow.python.keras"];

/**
 * Modules whose functions run commands, import or evaluate code, or reach the file system and the
 * network: no model config has a reason to name them.
 */
const DANGEROUS_MODULES = [
  "os", "posix", "nt", "subprocess", "builtins", "__builtin__", "sys", "shutil", "importlib", "runpy", "pty",
  "socket", "pickle", "_pickle", "cPickle", "dill", "marshal", "code", "codeop", "commands", "ctypes", "webbrowser",
  "urllib", "urllib2", "http", "requests", "httplib", "ftplib", "telnetlib", "smtplib", "multiprocessing", "asyncio",
  "pdb", "bdb", "timeit", "platform", "tempfile", "pathlib", "io", "glob", "signal", "types", "operator", "functools",
  "inspect", "threading", "_thread", "pip", "setuptools", "distutils", "numpy.lib", "torch.hub", "tensorflow.io",
];

/** Callables that run commands, evaluate or import code, or write files, whatever module names them. */
const DANGEROUS_CALLABLES = new Set([
  "system", "popen", "popen2", "popen3", "exec", "eval", "execfile", "compile", "__import__", "import_module",
  "getattr", "setattr", "delattr", "globals", "locals", "vars", "open", "breakpoint", "input", "spawn", "spawnl",
  "spawnv", "spawnve", "spawnlp", "execv", "execve", "execl", "execvp", "fork", "forkpty", "Popen", "run", "call",
  "check_call", "check_output", "getoutput", "getstatusoutput", "remove", "unlink", "rmtree", "rmdir", "rename",
  "urlopen", "urlretrieve", "run_path", "run_module", "load", "loads", "get_file", "load_model", "write_file",
]);

/** Keras entries that pull code in from outside the file (a SavedModel, a download) even in safe mode. */
const FOREIGN_LOADING_KERAS = new Map([
  ["TFSMLayer", "a TFSMLayer loads and runs an external TensorFlow SavedModel named by a path in the config (the CVE-2026-1462 safe_mode bypass)"],
  ["get_file", "keras.utils.get_file downloads a file named by the config when the model is loaded (a known safe_mode bypass)"],
]);

const MAX_DEPTH = 256;
const MAX_NODES = 500_000;

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: Json): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function inPackages(module: string, packages: readonly string[]): boolean {
  return packages.some((pkg) => module === pkg || module.startsWith(`${pkg}.`));
}

export function isKerasModule(module: string): boolean {
  return inPackages(module, KERAS_PACKAGES);
}

export function isDangerousModule(module: string): boolean {
  return inPackages(module, DANGEROUS_MODULES);
}

/** `os.system`, `builtins>exec`, `subprocess:Popen` → module and name; a bare name has no module. */
function splitCallable(target: string): { module?: string; name: string } {
  const match = /^(.*)[.>:]([^.>:]+)$/.exec(target.trim());
  if (match === null) return { name: target.trim() };
  return { module: match[1], name: match[2] ?? "" };
}

function describe(module: string | undefined, name: string | undefined): string {
  return [module, name].filter((part) => part !== undefined && part !== "").join(".");
}

export function walkKerasConfig(root: Json): KerasConfigReport {
  const lambdas: KerasLambdaLayer[] = [];
  const foreign: KerasForeignReference[] = [];
  const custom: KerasCustomObject[] = [];
  let layerCount = 0;
  let nodes = 0;
  let truncated = false;
  const seenForeign = new Set<string>();

  function addForeign(reference: KerasForeignReference): void {
    const key = `${reference.within.join("\u0000")}\u0000${reference.layer}\u0000${reference.field}\u0000${reference.target}`;
    if (seenForeign.has(key)) return;
    seenForeign.add(key);
    foreign.push(reference);
  }

  /** A function named in a config (Keras 3 `class_name: "function"`, or a legacy Lambda's `function_type: "function"`). */
  function checkNamedFunction(configModule: string | undefined, configName: string, layer: string, within: string[], field: KerasForeignReference["field"]): boolean {
    // A dotted name ("os.system") names its own module, whatever the `module` key says.
    const dotted = splitCallable(configName);
    const module = dotted.module !== undefined && dotted.module !== "" ? dotted.module : configModule;
    const name = dotted.module !== undefined && dotted.module !== "" ? dotted.name : configName;
    const target = describe(configModule, configName);
    if (DANGEROUS_CALLABLES.has(name) && (module === undefined || !isKerasModule(module) || FOREIGN_LOADING_KERAS.has(name))) {
      addForeign({ layer, within, target, field, why: FOREIGN_LOADING_KERAS.get(name) ?? `${name} runs commands, evaluates or imports code, or reaches files: loading the model calls it` });
      return true;
    }
    if (module !== undefined && isDangerousModule(module)) {
      // Keras 3 writes `module: "builtins"` for every plain Python function (its class is builtins.function);
      // only a dangerous name there is a finding, which the check above already made.
      if (module === "builtins" && field === "function") return false;
      addForeign({ layer, within, target, field, why: `the loader imports ${module} and calls ${name} from it` });
      return true;
    }
    return false;
  }

  function visitLambda(config: JsonObject, name: string, within: string[]): void {
    const fn = config.function;
    const functionType = str(config.function_type);
    const legacyModule = str(config.module);
    if (isObject(fn) && str(fn.class_name) === "function") {
      // Keras 3: { module, class_name: "function", config: "<name>", registered_name }.
      const fnName = str(fn.config) ?? "";
      const fnModule = str(fn.module);
      checkNamedFunction(fnModule, fnName, name, within, "function");
      lambdas.push({ name, within, kind: "named-function", ...(fnModule === undefined ? {} : { module: fnModule }), functionName: fnName });
    } else if (functionType === "function" && typeof fn === "string") {
      // Keras 2 (`.h5`): the function is looked up by name among the globals of `config.module`.
      checkNamedFunction(legacyModule, fn, name, within, "function");
      lambdas.push({ name, within, kind: "named-function", ...(legacyModule === undefined ? {} : { module: legacyModule }), functionName: fn });
    } else {
      if (legacyModule !== undefined && isDangerousModule(legacyModule)) {
        addForeign({ layer: name, within, target: legacyModule, field: "module", why: `the Lambda's code runs with the globals of ${legacyModule}` });
      }
      lambdas.push({ name, within, kind: "bytecode", ...(legacyModule === undefined ? {} : { module: legacyModule }) });
    }
  }

  function visit(value: Json, depth: number, within: string[], layer: string, inLambda: boolean): void {
    if (truncated) return;
    nodes++;
    if (nodes > MAX_NODES || depth > MAX_DEPTH) {
      truncated = true;
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1, within, layer, inLambda);
      return;
    }
    if (!isObject(value)) return;

    const className = str(value.class_name);
    const module = str(value.module);
    const registeredName = str(value.registered_name);
    const config = isObject(value.config) ? value.config : undefined;
    let here = layer;
    let nextWithin = within;
    let nextInLambda = inLambda;

    if (className !== undefined) {
      const objectName = config ? str(config.name) : undefined;
      if (config) layerCount++;
      if (objectName !== undefined) {
        if (layer !== "") nextWithin = [...within, layer];
        here = objectName;
      }
      const bareClass = className.slice(className.lastIndexOf(".") + 1);
      if (bareClass === "Lambda" && config && (module === undefined || isKerasModule(module))) {
        visitLambda(config, objectName ?? "(unnamed Lambda)", objectName !== undefined ? nextWithin : within);
        nextInLambda = true;
      } else if (className === "__lambda__") {
        // Keras 3's serialized lambda function; inside a Lambda layer it is that layer's code, already reported.
        if (!inLambda) lambdas.push({ name: layer === "" ? "(a lambda in the model's config)" : layer, within, kind: "bytecode" });
      } else if (className === "function") {
        const fnName = typeof value.config === "string" ? value.config : "";
        const flagged = checkNamedFunction(module, fnName, here, within, "function");
        if (!flagged && module !== undefined && !isKerasModule(module)) {
          if (module !== "builtins" && (registeredName === undefined || registeredName === "")) {
            // Keras writes a registered name for every function it serializes; without one the loader can only import the module.
            addForeign({ layer: here, within, target: describe(module, fnName), field: "function", why: `the loader imports ${module}, a module outside Keras, and calls ${fnName} from it` });
          } else {
            custom.push({ layer: here, className: fnName, module, ...(registeredName === undefined ? {} : { registeredName }) });
          }
        }
      } else {
        const loaderNote = FOREIGN_LOADING_KERAS.get(bareClass);
        if (loaderNote !== undefined) addForeign({ layer: here, within: nextWithin, target: describe(module, className), field: "class_name", why: loaderNote });
        checkObjectModule(className, module, registeredName, here, objectName !== undefined ? nextWithin : within);
      }
    }

    for (const [key, child] of Object.entries(value)) {
      if (key === "module" || key === "class_name" || key === "registered_name") continue;
      visit(child, depth + 1, nextWithin, here, nextInLambda);
    }
  }

  /** An object `{ module, class_name, registered_name }`: Keras's own, the author's registered class, or foreign. */
  function checkObjectModule(className: string, module: string | undefined, registeredName: string | undefined, layer: string, within: string[]): void {
    if (registeredName !== undefined) {
      const { module: regModule, name: regName } = splitCallable(registeredName);
      if ((regModule !== undefined && isDangerousModule(regModule)) || (DANGEROUS_CALLABLES.has(regName) && regModule !== undefined && !isKerasModule(regModule))) {
        addForeign({ layer, within, target: registeredName, field: "registered_name", why: `the registered name resolves to ${registeredName}, a callable outside Keras` });
        return;
      }
    }
    if (module === undefined || isKerasModule(module)) {
      // Legacy configs carry no module; a class name that is not Keras's is then a custom object.
      return;
    }
    if (isDangerousModule(module)) {
      addForeign({ layer, within, target: describe(module, className), field: "module", why: `the loader imports ${module} and builds ${className} from it` });
      return;
    }
    if (registeredName === undefined || registeredName === "") {
      // Keras always writes a registered name for the author's own classes; a bare foreign module is only there to be imported.
      addForeign({ layer, within, target: describe(module, className), field: "module", why: `the loader imports ${module}, a module outside Keras, with no registered custom object to stand for it` });
      return;
    }
    custom.push({ layer, className, module, registeredName });
  }

  visit(root, 0, [], "", false);
  return { lambdas, foreign, custom, layerCount, truncated };
}
