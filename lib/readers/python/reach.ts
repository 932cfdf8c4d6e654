/**
 * What loading runs, across a repo's Python files: from the entry points (module level of each file
 * that loading imports, class bodies, and the methods transformers or datasets call while loading:
 * `__init__`, `post_init`, `_init_weights`, `from_pretrained`, a builder's `_split_generators`…),
 * through the links each module report lists (calls and references to the repo's own functions and
 * classes, `self.method`, imported names) and through imports (importing a module runs its top
 * level), transitively within the repo's files. A behaviour in a scope reached this way is `load`;
 * one elsewhere runs only when something calls it (`call`); one in a file nothing loads is `never`.
 * Module resolution follows Python's: relative imports from the file's package, absolute ones from
 * the file's folder or the repo's root (where transformers' dynamic modules and Spaces run).
 */
import { DATASET_BUILDER_METHODS, LOAD_METHODS } from "./catalog";
import type { ModuleImport, ModuleReport, PythonFileRole, ReachedBehaviour } from "./types";

export interface ReachFile {
  path: string;
  role: PythonFileRole;
  report: ModuleReport;
}

function dirOf(path: string): string {
  const at = path.lastIndexOf("/");
  return at < 0 ? "" : path.slice(0, at);
}

function joinDir(dir: string, rest: string): string {
  return dir === "" ? rest : rest === "" ? dir : `${dir}/${rest}`;
}

/** Candidate files for `spec` imported from `fromPath`, most likely first. */
export function moduleFiles(fromPath: string, spec: string): string[] {
  let dots = 0;
  while (spec[dots] === ".") dots++;
  const rest = spec.slice(dots).split(".").filter(Boolean);
  let bases: string[];
  if (dots > 0) {
    const parts = dirOf(fromPath) === "" ? [] : dirOf(fromPath).split("/");
    if (dots - 1 > parts.length) return [];
    bases = [parts.slice(0, parts.length - (dots - 1)).join("/")];
  } else bases = [...new Set([dirOf(fromPath), ""])];
  const out: string[] = [];
  for (const base of bases) {
    if (rest.length === 0) out.push(joinDir(base, "__init__.py"));
    else {
      const path = joinDir(base, rest.join("/"));
      out.push(`${path}.py`, `${path}/__init__.py`);
    }
  }
  return out;
}

/** The repo file and attribute path a dotted reference names (`.utils.helper` → utils.py, [helper]). */
export function resolveReference(fromPath: string, reference: string, exists: (path: string) => boolean): { path: string; attrs: string[] } | undefined {
  let dots = 0;
  while (reference[dots] === ".") dots++;
  const parts = reference.slice(dots).split(".").filter(Boolean);
  for (let k = parts.length; k >= (dots > 0 ? 0 : 1); k--) {
    const spec = ".".repeat(dots) + parts.slice(0, k).join(".");
    const found = moduleFiles(fromPath, spec).find(exists);
    if (found) return { path: found, attrs: parts.slice(k) };
  }
  return undefined;
}

/** The repo files an import statement loads: the module, and names that are submodules (`from . import utils`). */
export function importedFiles(fromPath: string, item: ModuleImport, exists: (path: string) => boolean): string[] {
  const out = new Set<string>();
  const module = moduleFiles(fromPath, item.module).find(exists);
  if (module) out.add(module);
  for (const name of item.names) {
    if (name === "*") continue;
    const spec = item.module.endsWith(".") || item.module === "" ? `${item.module}${name}` : `${item.module}.${name}`;
    const submodule = moduleFiles(fromPath, spec).find(exists);
    if (submodule) out.add(submodule);
  }
  out.delete(fromPath);
  return [...out];
}

interface FileIndex {
  file: ReachFile;
  functions: Set<string>;
  classes: Map<string, { bases: string[]; methods: Set<string> }>;
  linksFrom: Map<string, string[]>;
  importsFrom: Map<string, ModuleImport[]>;
}

/** Every behaviour of every file, with whether loading reaches it and how. */
export function reachBehaviours(files: readonly ReachFile[], exists: (path: string) => boolean, options: { followReferences?: boolean } = {}): Map<string, ReachedBehaviour[]> {
  // A name that is only referenced (a callback, a table of layer classes) may run later. In modeling code
  // that is how layers get built, so it counts; a Space's handlers (gr.Interface(fn=…)) run only when used.
  const followReferences = options.followReferences ?? true;
  const byPath = new Map<string, FileIndex>();
  for (const file of files) {
    const linksFrom = new Map<string, string[]>();
    for (const link of file.report.links) {
      if (link.kind === "ref" && !followReferences) continue;
      linksFrom.set(link.from, [...(linksFrom.get(link.from) ?? []), link.to]);
    }
    const importsFrom = new Map<string, ModuleImport[]>();
    for (const item of file.report.imports) importsFrom.set(item.scope, [...(importsFrom.get(item.scope) ?? []), item]);
    byPath.set(file.path, {
      file,
      functions: new Set(file.report.functions.map((fn) => fn.id)),
      classes: new Map(file.report.classes.map((cls) => [cls.name, { bases: cls.bases, methods: new Set(cls.methods) }])),
      linksFrom,
      importsFrom,
    });
  }
  const known = (path: string) => byPath.has(path) || exists(path);

  /** The method `name` of class `className` in `path`, or of its bases in the repo. */
  function findMethod(path: string, className: string, name: string, depth = 0): string[] | undefined {
    const index = byPath.get(path);
    const cls = index?.classes.get(className);
    if (!index || !cls || depth > 6) return undefined;
    if (cls.methods.has(name)) return [path, `${className}.${name}`];
    for (const base of cls.bases) {
      const target = classTarget(path, base);
      const found = target ? findMethod(target[0], target[1], name, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  function classTarget(path: string, reference: string): [string, string] | undefined {
    if (reference.startsWith("@local.")) return byPath.get(path)?.classes.has(reference.slice(7)) ? [path, reference.slice(7)] : undefined;
    const resolved = resolveReference(path, reference, known);
    if (!resolved || resolved.attrs.length !== 1 || !resolved.attrs[0]) return undefined;
    return byPath.get(resolved.path)?.classes.has(resolved.attrs[0]) ? [resolved.path, resolved.attrs[0]] : undefined;
  }

  /** What building an instance of a class runs: its load methods, inherited ones too. */
  function classLoadNodes(path: string, className: string): string[] {
    const nodes: string[] = [];
    for (const method of LOAD_METHODS) {
      const found = findMethod(path, className, method);
      if (found) nodes.push(`${found[0]}#${found[1]}`);
    }
    return nodes;
  }

  /** The nodes a reference from `path` leads to. */
  function targetsOf(path: string, reference: string): string[] {
    let targetPath = path;
    let name: string;
    if (reference.startsWith("@local.")) name = reference.slice(7);
    else {
      const resolved = resolveReference(path, reference, known);
      if (!resolved || resolved.attrs.length === 0) return [];
      targetPath = resolved.path;
      name = resolved.attrs.join(".");
    }
    const index = byPath.get(targetPath);
    if (!index) return [];
    if (index.functions.has(name)) return [`${targetPath}#${name}`];
    if (index.classes.has(name)) return classLoadNodes(targetPath, name);
    const dot = name.lastIndexOf(".");
    if (dot > 0 && index.classes.has(name.slice(0, dot))) {
      const found = findMethod(targetPath, name.slice(0, dot), name.slice(dot + 1));
      return found ? [`${found[0]}#${found[1]}`] : [];
    }
    return [];
  }

  const entries: string[] = [];
  for (const { file, classes } of byPath.values()) {
    if (file.role === "unloaded" || file.role === "imported") continue;
    entries.push(`${file.path}#<module>`);
    if (file.role === "space-app") entries.push(`${file.path}#<main>`);
    for (const [name, cls] of classes) {
      for (const method of cls.methods) {
        if (LOAD_METHODS.has(method) || (file.role === "loading-script" && DATASET_BUILDER_METHODS.has(method))) entries.push(`${file.path}#${name}.${method}`);
      }
    }
  }
  const parent = new Map<string, string | undefined>();
  const queue: string[] = [];
  for (const entry of entries) {
    if (parent.has(entry)) continue;
    parent.set(entry, undefined);
    queue.push(entry);
  }
  while (queue.length > 0) {
    const node = queue.shift() as string;
    const hash = node.indexOf("#");
    const path = node.slice(0, hash);
    const scope = node.slice(hash + 1);
    const index = byPath.get(path);
    if (!index) continue;
    const next: string[] = [];
    for (const reference of index.linksFrom.get(scope) ?? []) next.push(...targetsOf(path, reference));
    for (const item of index.importsFrom.get(scope) ?? []) for (const target of importedFiles(path, item, known)) next.push(`${target}#<module>`);
    // A class body runs with its module: a method it calls at definition time is already linked from <module>.
    for (const target of next) {
      if (parent.has(target)) continue;
      parent.set(target, node);
      queue.push(target);
    }
  }

  function via(node: string): string | undefined {
    const chain: string[] = [];
    for (let at: string | undefined = node; at !== undefined && chain.length < 12; at = parent.get(at)) chain.unshift(at);
    if (chain.length < 2) return undefined;
    const targetPath = node.slice(0, node.indexOf("#"));
    return chain
      .map((item) => {
        const [path = "", scope = ""] = [item.slice(0, item.indexOf("#")), item.slice(item.indexOf("#") + 1)];
        const label = scope === "<module>" ? `importing ${path}` : scope === "<main>" ? `${path} run as the app` : path === targetPath ? scope : `${path}: ${scope}`;
        return label;
      })
      .join(" → ");
  }

  const out = new Map<string, ReachedBehaviour[]>();
  for (const { file } of byPath.values()) {
    out.set(
      file.path,
      file.report.behaviours.map((behaviour) => {
        const node = `${file.path}#${behaviour.scope}`;
        const reached = parent.has(node);
        const reach: ReachedBehaviour["reach"] = reached ? "load" : file.role === "unloaded" ? "never" : "call";
        const how = reached ? via(node) : undefined;
        return { ...behaviour, reach, ...(how ? { via: how } : {}) };
      }),
    );
  }
  return out;
}
