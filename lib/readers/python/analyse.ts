/**
 * The analysis of one parsed Python module: which names mean what (imports, aliases, assignments,
 * parameters, `self`), what each call resolves to once the shapes that hide calls are seen through
 * (getattr/__import__ of names built from pieces, `__builtins__` and `globals()` lookups,
 * `importlib.import_module`, strings folded from concatenation, join, `%`, f-strings, `chr` sums,
 * reversal, base64 and hex), where data comes from (decoded, downloaded, the environment, a
 * credential file) and where it goes. The result is a list of behaviours with their lines and the
 * scopes they sit in, and the links between scopes (calls and references) that reach.ts follows to
 * tell what loading runs.
 *
 * Three passes over the syntax tree: names are collected per scope; then calls to the module's own
 * functions are indexed (so a parameter's value is what its callers pass); then every call is judged.
 * Everything is bounded: the tree's depth was capped by parse.ts, values have a few alternatives at
 * most, and a step budget stops a file that would take too long ("not read").
 */
import type { SyntaxNode, Tree } from "@lezer/common";
import { parser } from "@lezer/python";
import {
  CODE_CALLS,
  credentialPath,
  DECODERS,
  DECOMPRESSORS,
  DOWNLOADS,
  EXTERNAL_PACKAGES,
  hostOfUrl,
  isHubHost,
  isLocalHost,
  isSecretEnvName,
  isWellKnownDownloadHost,
  MACHINE_INFO,
  PATH_ENV,
  persistencePath,
  PROCESS_CALLS,
  SENDS,
  shadyHost,
  TOKEN_READERS,
} from "./catalog";
import { displayCode, lineOf } from "./source";
import type { Behaviour, BehaviourKind, ClassSummary, ModuleImport, ScopeLink } from "./types";
import {
  braceFormat,
  concat,
  decodeBase64,
  decodeHex,
  decodeStringLiteral,
  HIDDEN_CODE,
  hiddenBy,
  ORIGIN,
  originsOf,
  originsOfAlt,
  parseNumber,
  percentFormat,
  prefixes,
  ref,
  rot13,
  str,
  strings,
  union,
  unescape,
  unknown,
  utf8OfLatin1,
  withOrigins,
  type Alt,
  type Val,
} from "./values";

export const ANALYSE_LIMITS = {
  /** Work units (expressions evaluated, nodes visited) for one file, nested code included. */
  maxSteps: 4_000_000,
  /** How deep code given to exec as a string (or decoded from base64) is itself read. */
  maxNestedDepth: 3,
  /** Most characters of such code read. */
  maxNestedChars: 256 * 1024,
} as const;

export class AnalysisBudgetError extends Error {}

/** Evaluations in progress at once (an expression's parts, and what its names were assigned): deeper is "unknown". */
const MAX_EVAL_DEPTH = 150;

export interface ModuleAnalysis {
  behaviours: Behaviour[];
  imports: ModuleImport[];
  links: ScopeLink[];
  classes: ClassSummary[];
  functions: { id: string; line: number; className?: string }[];
}

// ---------------------------------------------------------------------------------------------
// Scopes and bindings

type Binding =
  | { kind: "expr"; nodes: SyntaxNode[]; scope: Scope; path: number[]; op: "set" | "add" | "other"; src: Source }
  | { kind: "iter"; node: SyntaxNode; scope: Scope; path: number[]; src: Source }
  | { kind: "value"; value: Val }
  | { kind: "param"; fn: FunctionInfo; index: number; name: string; star?: "*" | "**"; defaultNode?: SyntaxNode }
  | { kind: "self"; classId: string; asClass: boolean }
  | { kind: "unknown" };

interface Scope {
  kind: "module" | "function" | "class";
  id: string;
  parent?: Scope;
  /** Code run by exec: names it does not bind are the enclosing code's. */
  fallback?: Scope;
  bindings: Map<string, Binding[]>;
  globals: Set<string>;
  stars: string[];
  /** Function scopes: the function. Class scopes: the class. */
  fn?: FunctionInfo;
  cls?: ClassInfo;
}

interface FunctionInfo {
  id: string;
  line: number;
  className?: string;
  scope: Scope;
  returns: { node: SyntaxNode; src: Source }[];
  isStatic: boolean;
  isClassMethod: boolean;
  src: Source;
}

interface ClassInfo {
  id: string;
  line: number;
  scope: Scope;
  /** `self.x = …` in any method, beside the class body's own names. */
  attrs: Map<string, Binding[]>;
  methods: Map<string, FunctionInfo>;
  baseNodes: SyntaxNode[];
  enclosing: Scope;
  src: Source;
}

interface Source {
  text: string;
  lineStarts: number[];
  /** Code read from a string (exec, decoded payloads): its behaviours are placed at the outer line. */
  outer?: { line: number; hid: string[]; attrib: string; place: string };
  /** Distinguishes trees in memo keys. */
  id: number;
}

interface EvalCtx {
  scope: Scope;
  src: Source;
  overlay?: Map<string, Val>;
}

interface VisitCtx extends EvalCtx {
  /** The scope behaviours and links are attributed to (`<module>`, `<main>`, `C.m`). */
  attrib: string;
  place: string;
  depth: number;
}

const BUILTIN_NAMES = new Set(
  "abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex delattr dict dir divmod enumerate eval exec filter float format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len list locals map max memoryview min next object oct open ord pow print property range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip __import__ __build_class__ execfile reload unicode raw_input".split(" "),
);

/** Objects whose constructor names the host they then talk to. */
const HOST_CONSTRUCTORS = new Set(["http.client.HTTPConnection", "http.client.HTTPSConnection", "smtplib.SMTP", "smtplib.SMTP_SSL", "ftplib.FTP", "ftplib.FTP_TLS", "telnetlib.Telnet"]);

/** Canonical names: the modules behind aliases Python itself keeps (posix for os, urllib2 for urllib.request…). */
function canonical(name: string): string {
  let n = name;
  if (n.startsWith("posix.") || n.startsWith("nt.")) n = `os.${n.slice(n.indexOf(".") + 1)}`;
  if (n.startsWith("__builtin__.")) n = `builtins.${n.slice("__builtin__.".length)}`;
  if (n.startsWith("__builtins__.")) n = `builtins.${n.slice("__builtins__.".length)}`;
  if (n.startsWith("urllib2.")) n = `urllib.request.${n.slice("urllib2.".length)}`;
  if (n.startsWith("six.moves.urllib.request.")) n = `urllib.request.${n.slice("six.moves.urllib.request.".length)}`;
  if (n.startsWith("future.moves.urllib.request.")) n = `urllib.request.${n.slice("future.moves.urllib.request.".length)}`;
  for (const [instance, module] of [
    ["requests.Session().", "requests."],
    ["requests.session().", "requests."],
    ["requests.sessions.Session().", "requests."],
    ["httpx.Client().", "httpx."],
    ["httpx.AsyncClient().", "httpx."],
    ["aiohttp.ClientSession().", "aiohttp."],
    ["urllib.request.build_opener().open", "urllib.request.urlopen"],
    ["socket.socket().", "socket.socket()."],
  ] as const) {
    if (n.startsWith(instance)) n = module + n.slice(instance.length);
  }
  if (n.startsWith("requests.api.")) n = `requests.${n.slice("requests.api.".length)}`;
  if (n === "builtins.bytes.fromhex" || n === "builtins.bytearray.fromhex") n = n.slice("builtins.".length);
  if (n === "os.environ.get" || n === "os.environ.__getitem__" || n === "os.environ.setdefault" || n === "os.environ.pop") n = "os.environ.get";
  if (n === "os.environb.get") n = "os.environ.get";
  if (n === "posixpath.join" || n === "ntpath.join") n = "os.path.join";
  if (n.startsWith("pathlib.Path().")) n = `pathlib.Path.${n.slice("pathlib.Path().".length)}`;
  if (n === "io.open" || n === "codecs.open") n = "builtins.open";
  return n;
}

// ---------------------------------------------------------------------------------------------

export function analyseModule(tree: Tree, text: string, lineStarts: number[], limits: { maxSteps: number; maxNestedDepth: number; maxNestedChars: number } = ANALYSE_LIMITS): ModuleAnalysis {
  let steps = 0;
  let nestedChars = 0;
  let sourceIds = 0;
  const step = (n = 1) => {
    steps += n;
    if (steps > limits.maxSteps) throw new AnalysisBudgetError(`analysing it took more work than the extension allows one file`);
  };

  const behaviours: Behaviour[] = [];
  const behaviourKeys = new Set<string>();
  /** Lines already said to contact a host: a URL literal there needs no line of its own. */
  const networkLines = new Set<number>();
  const imports: ModuleImport[] = [];
  const links = new Map<string, ScopeLink>();
  const functions = new Map<string, FunctionInfo>();
  const classes = new Map<string, ClassInfo>();
  /** Calls to the module's own functions, for their parameters' values. */
  const callSites = new Map<string, { args: ParsedArgs; ctx: EvalCtx; dropFirst: boolean }[]>();
  let indexingCalls = false;

  /** Per attributed scope: what later judgements combine (download then chmod; socket then dup2). */
  const facts = new Map<string, { downloads: (string | undefined)[]; chmodExec: { line: number; code: string; place: string; hid: string[] }[]; dup2: boolean; connectHosts: string[] }>();
  const factsOf = (attrib: string) => {
    let entry = facts.get(attrib);
    if (!entry) {
      entry = { downloads: [], chmodExec: [], dup2: false, connectHosts: [] };
      facts.set(attrib, entry);
    }
    return entry;
  };

  const rootSource: Source = { text, lineStarts, id: sourceIds++ };
  const moduleScope = newScope("module", "<module>");

  function newScope(kind: Scope["kind"], id: string, parent?: Scope): Scope {
    return { kind, id, ...(parent ? { parent } : {}), bindings: new Map(), globals: new Set(), stars: [] };
  }

  const textOf = (node: SyntaxNode, src: Source) => src.text.slice(node.from, node.to);
  const children = (node: SyntaxNode): SyntaxNode[] => {
    const out: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
    return out;
  };

  function bind(scope: Scope, name: string, binding: Binding) {
    const target = scope.globals.has(name) ? moduleOf(scope) : scope;
    let list = target.bindings.get(name);
    if (!list) {
      list = [];
      target.bindings.set(name, list);
    }
    if (list.length < 24) list.push(binding);
  }

  function moduleOf(scope: Scope): Scope {
    let s = scope;
    while (s.parent) s = s.parent;
    return s;
  }

  // -------------------------------------------------------------------------------------------
  // Pass 1: names

  function collectBody(nodes: SyntaxNode[], scope: Scope, attrib: string, src: Source, flatten: boolean) {
    for (const node of nodes) collectStatement(node, scope, attrib, src, flatten);
  }

  function bodyStatements(body: SyntaxNode): SyntaxNode[] {
    return children(body).filter((child) => child.name !== ":" && child.name !== "Comment");
  }

  function collectStatement(node: SyntaxNode, scope: Scope, attrib: string, src: Source, flatten: boolean) {
    step();
    switch (node.name) {
      case "ImportStatement":
        collectImport(node, scope, attrib, src);
        return;
      case "AssignStatement":
        collectAssign(node, scope, src);
        scanExpression(node, scope, src);
        return;
      case "UpdateStatement": {
        const parts = children(node);
        const target = parts[0];
        const op = parts.find((part) => part.name === "UpdateOp");
        const value = op ? parts.slice(parts.indexOf(op) + 1) : [];
        if (target && value.length > 0) {
          const kind = op && textOf(op, src) === "+=" ? "add" : "other";
          bindTarget(target, scope, src, (path) => ({ kind: "expr", nodes: value, scope, path, op: kind, src }));
        }
        scanExpression(node, scope, src);
        return;
      }
      case "FunctionDefinition":
        defineFunction(node, [], scope, src, flatten);
        return;
      case "ClassDefinition":
        defineClass(node, [], scope, attrib, src, flatten);
        return;
      case "DecoratedStatement": {
        const parts = children(node);
        const decorators = parts.filter((part) => part.name === "Decorator");
        const inner = parts.find((part) => part.name === "FunctionDefinition" || part.name === "ClassDefinition");
        if (inner?.name === "FunctionDefinition") defineFunction(inner, decorators, scope, src, flatten);
        else if (inner) defineClass(inner, decorators, scope, attrib, src, flatten);
        return;
      }
      case "ScopeStatement": {
        const parts = children(node);
        if (parts[0]?.name === "global") for (const part of parts) if (part.name === "VariableName") scope.globals.add(textOf(part, src));
        return;
      }
      case "ReturnStatement":
        if (scope.fn) for (const part of children(node)) if (part.name !== "return" && part.name !== ",") scope.fn.returns.push({ node: part, src });
        scanExpression(node, scope, src);
        return;
      case "StatementGroup":
        for (const part of children(node)) if (part.name !== ";") collectStatement(part, scope, attrib, src, flatten);
        return;
      case "IfStatement": {
        const main = scope.kind === "module" && isMainGuard(node, src);
        let first = true;
        for (const part of children(node)) {
          if (part.name === "Body") {
            collectBody(bodyStatements(part), scope, main && first ? "<main>" : attrib, src, flatten);
            first = false;
          } else scanExpression(part, scope, src);
        }
        return;
      }
      case "ForStatement": {
        const parts = children(node);
        const inAt = parts.findIndex((part) => part.name === "in");
        const targets = parts.slice(0, inAt).filter((part) => part.name !== "for" && part.name !== "async" && part.name !== ",");
        const iter = parts.slice(inAt + 1).find((part) => part.name !== "Body");
        if (iter) bindTargets(targets, scope, src, (path) => ({ kind: "iter", node: iter, scope, path, src }));
        for (const part of parts) if (part.name === "Body") collectBody(bodyStatements(part), scope, attrib, src, flatten);
        else if (part !== iter) scanExpression(part, scope, src);
        if (iter) scanExpression(iter, scope, src);
        return;
      }
      case "WithStatement": {
        const parts = children(node);
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i];
          if (!part) continue;
          if (part.name === "as") {
            const expr = parts[i - 1];
            const target = parts[i + 1];
            if (expr && target) bindTarget(target, scope, src, (path) => ({ kind: "expr", nodes: [expr], scope, path, op: "set", src }));
          } else if (part.name === "Body") collectBody(bodyStatements(part), scope, attrib, src, flatten);
          else scanExpression(part, scope, src);
        }
        return;
      }
      case "TryStatement": {
        const parts = children(node);
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i];
          if (!part) continue;
          if (part.name === "as" && parts[i + 1]?.name === "VariableName") bind(scope, textOf(parts[i + 1] as SyntaxNode, src), { kind: "unknown" });
          if (part.name === "Body") collectBody(bodyStatements(part), scope, attrib, src, flatten);
        }
        return;
      }
      default:
        for (const part of children(node)) {
          if (part.name === "Body") collectBody(bodyStatements(part), scope, attrib, src, flatten);
          else if (part.name === "MatchBody" || part.name === "MatchClause" || part.name === "elseClause") collectStatement(part, scope, attrib, src, flatten);
          else scanExpression(part, scope, src);
        }
    }
  }

  /** `if __name__ == "__main__":` (either order of the comparison). */
  function isMainGuard(node: SyntaxNode, src: Source): boolean {
    const condition = children(node)[1];
    if (!condition || condition.name !== "BinaryExpression") return false;
    const parts = children(condition);
    const names = parts.filter((part) => part.name === "VariableName").map((part) => textOf(part, src));
    const literals = parts.filter((part) => part.name === "String").map((part) => decodeStringLiteral(textOf(part, src))?.value);
    return names.includes("__name__") && literals.includes("__main__");
  }

  /** Walrus targets and comprehension variables bind in the scope they appear in (comprehensions: an over-approximation). */
  function scanExpression(node: SyntaxNode, scope: Scope, src: Source) {
    const stack: SyntaxNode[] = [node];
    while (stack.length > 0) {
      const current = stack.pop() as SyntaxNode;
      step();
      if (current.name === "LambdaExpression" || current.name === "Body") continue;
      if (current.name === "NamedExpression") {
        const parts = children(current);
        const target = parts[0];
        const value = parts[parts.length - 1];
        if (target?.name === "VariableName" && value) bind(scope, textOf(target, src), { kind: "expr", nodes: [value], scope, path: [], op: "set", src });
      }
      if (current.name.endsWith("ComprehensionExpression") || current.name === "ArgList") {
        const parts = children(current);
        for (let i = 0; i < parts.length; i++) {
          if (parts[i]?.name !== "for") continue;
          const inAt = parts.findIndex((part, at) => at > i && part.name === "in");
          if (inAt < 0) continue;
          const targets = parts.slice(i + 1, inAt).filter((part) => part.name !== ",");
          const iter = parts[inAt + 1];
          if (iter) bindTargets(targets, scope, src, (path) => ({ kind: "iter", node: iter, scope, path, src }));
        }
      }
      for (let child = current.lastChild; child; child = child.prevSibling) stack.push(child);
    }
  }

  function collectImport(node: SyntaxNode, scope: Scope, attrib: string, src: Source) {
    const parts = children(node);
    const line = lineAt(node, src);
    if (parts[0]?.name === "from") {
      let module = "";
      let i = 1;
      for (; i < parts.length && parts[i]?.name !== "import"; i++) {
        const part = parts[i] as SyntaxNode;
        if (part.name === ".") module += ".";
        else if (part.name === "Ellipsis") module += "...";
        else if (part.name === "VariableName") module += textOf(part, src);
      }
      const names: string[] = [];
      const rest = parts.slice(i + 1).filter((part) => part.name !== "(" && part.name !== ")");
      for (let j = 0; j < rest.length; j++) {
        const part = rest[j] as SyntaxNode;
        if (part.name === "*") {
          scope.stars.push(module);
          names.push("*");
        } else if (part.name === "VariableName") {
          const name = textOf(part, src);
          let local = name;
          if (rest[j + 1]?.name === "as" && rest[j + 2]?.name === "VariableName") {
            local = textOf(rest[j + 2] as SyntaxNode, src);
            j += 2;
          }
          names.push(name);
          bind(scope, local, { kind: "value", value: [ref(joinModule(module, name))] });
        }
      }
      imports.push({ module, names, line, scope: attribOfImport(scope, attrib) });
      return;
    }
    // import a.b.c, d as e
    let dotted: string[] = [];
    const flush = (alias?: string) => {
      if (dotted.length === 0) return;
      const module = dotted.join(".");
      imports.push({ module, names: [], line, scope: attribOfImport(scope, attrib) });
      if (alias) bind(scope, alias, { kind: "value", value: [ref(module)] });
      else bind(scope, dotted[0] as string, { kind: "value", value: [ref(dotted[0] as string)] });
      dotted = [];
    };
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i] as SyntaxNode;
      if (part.name === "VariableName") dotted.push(textOf(part, src));
      else if (part.name === "as" && parts[i + 1]?.name === "VariableName") {
        flush(textOf(parts[i + 1] as SyntaxNode, src));
        i++;
      } else if (part.name === ",") flush();
    }
    flush();
  }

  function attribOfImport(scope: Scope, attrib: string): string {
    return scope.kind === "function" ? scope.id : attrib;
  }

  function collectAssign(node: SyntaxNode, scope: Scope, src: Source) {
    const parts = children(node);
    const ops = parts.map((part, i) => (part.name === "AssignOp" ? i : -1)).filter((i) => i >= 0);
    if (ops.length === 0) return;
    const last = ops[ops.length - 1] as number;
    const value = parts.slice(last + 1).filter((part) => part.name !== ",");
    let start = 0;
    for (const op of ops) {
      const targets = parts.slice(start, op).filter((part) => part.name !== "," && part.name !== "TypeDef");
      bindTargets(targets, scope, src, (path) => ({ kind: "expr", nodes: value, scope, path, op: "set", src }));
      start = op + 1;
    }
  }

  function bindTargets(targets: SyntaxNode[], scope: Scope, src: Source, make: (path: number[]) => Binding) {
    if (targets.length === 1 && targets[0]) bindTarget(targets[0], scope, src, make);
    else targets.forEach((target, index) => bindTarget(target, scope, src, (path) => make([index, ...path])));
  }

  function bindTarget(target: SyntaxNode, scope: Scope, src: Source, make: (path: number[]) => Binding, path: number[] = []) {
    if (target.name === "VariableName") bind(scope, textOf(target, src), make(path));
    else if (target.name === "TupleExpression" || target.name === "ArrayExpression" || target.name === "ParenthesizedExpression") {
      const items = children(target).filter((part) => part.name !== "(" && part.name !== ")" && part.name !== "[" && part.name !== "]" && part.name !== ",");
      if (target.name === "ParenthesizedExpression" && items[0]) bindTarget(items[0], scope, src, make, path);
      else items.forEach((item, index) => bindTarget(item, scope, src, make, [...path, index]));
    } else if (target.name === "MemberExpression") {
      // self.x = … in a method: an attribute of the class, visible from its other methods.
      const parts = children(target);
      const object = parts[0];
      const property = parts[parts.length - 1];
      const fn = scope.fn;
      if (object?.name === "VariableName" && property?.name === "PropertyName" && fn?.className) {
        const selfName = firstParamName(fn);
        const cls = classes.get(fn.className);
        if (selfName && textOf(object, src) === selfName && cls) {
          const name = textOf(property, src);
          let list = cls.attrs.get(name);
          if (!list) {
            list = [];
            cls.attrs.set(name, list);
          }
          if (list.length < 24) list.push(make(path));
        }
      }
    }
  }

  const firstParams = new Map<FunctionInfo, string | undefined>();
  /** Functions defined in code read from a string: found by the scope and name they were defined with. */
  const flattenedFns = new WeakMap<Scope, Map<string, FunctionInfo>>();
  function firstParamName(fn: FunctionInfo): string | undefined {
    return firstParams.get(fn);
  }

  function defineFunction(node: SyntaxNode, decorators: SyntaxNode[], scope: Scope, src: Source, flatten: boolean) {
    const parts = children(node);
    const nameNode = parts.find((part) => part.name === "VariableName");
    if (!nameNode) return;
    const name = textOf(nameNode, src);
    const owner = scope.kind === "class" ? scope.cls : undefined;
    const qualified = owner ? `${owner.id}.${name}` : scope.kind === "function" ? `${scope.id}.<locals>.${name}` : name;
    const id = flatten ? scope.id : qualified;
    const decoratorNames = decorators.map((decorator) => textOf(decorator, src).slice(1).trim());
    const fnScope = newScope("function", id, scope);
    const fn: FunctionInfo = {
      id,
      line: lineAt(node, src),
      ...(owner ? { className: owner.id } : {}),
      scope: fnScope,
      returns: [],
      isStatic: decoratorNames.some((d) => d.startsWith("staticmethod")),
      isClassMethod: decoratorNames.some((d) => d.startsWith("classmethod")),
      src,
    };
    fnScope.fn = fn;
    if (!flatten) functions.set(qualified, fn);
    else {
      let map = flattenedFns.get(scope);
      if (!map) {
        map = new Map();
        flattenedFns.set(scope, map);
      }
      map.set(name, fn);
    }
    if (owner) owner.methods.set(name, fn);
    bind(scope, name, { kind: "value", value: [ref(`@local.${qualified}`)] });
    const params = parts.find((part) => part.name === "ParamList");
    if (params) {
      const items = children(params);
      let index = 0;
      let star: "*" | "**" | undefined;
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as SyntaxNode;
        if (item.name === "*" || item.name === "**") star = item.name;
        else if (item.name === "VariableName") {
          const paramName = textOf(item, src);
          const defaultNode = items[i + 1]?.name === "AssignOp" ? items[i + 2] : items[i + 1]?.name === "TypeDef" && items[i + 2]?.name === "AssignOp" ? items[i + 3] : undefined;
          if (index === 0 && owner && !fn.isStatic) {
            firstParams.set(fn, paramName);
            bind(fnScope, paramName, { kind: "self", classId: owner.id, asClass: fn.isClassMethod });
          } else bind(fnScope, paramName, { kind: "param", fn, index, name: paramName, ...(star ? { star } : {}), ...(defaultNode ? { defaultNode } : {}) });
          index++;
          star = undefined;
        } else if (item.name === ",") star = star === "*" && items[i - 1]?.name === "*" ? undefined : star;
      }
    }
    const body = parts.find((part) => part.name === "Body");
    if (body) collectBody(bodyStatements(body), fnScope, id, src, flatten);
  }

  function defineClass(node: SyntaxNode, _decorators: SyntaxNode[], scope: Scope, attrib: string, src: Source, flatten: boolean) {
    const parts = children(node);
    const nameNode = parts.find((part) => part.name === "VariableName");
    if (!nameNode) return;
    const name = textOf(nameNode, src);
    const owner = scope.kind === "class" ? scope.cls : undefined;
    const id = owner ? `${owner.id}.${name}` : scope.kind === "function" ? `${scope.id}.<locals>.${name}` : name;
    const classScope = newScope("class", flatten ? scope.id : attrib, scope);
    const argList = parts.find((part) => part.name === "ArgList");
    const cls: ClassInfo = {
      id,
      line: lineAt(node, src),
      scope: classScope,
      attrs: classScope.bindings,
      methods: new Map(),
      baseNodes: argList ? children(argList).filter((part) => part.name !== "(" && part.name !== ")" && part.name !== ",") : [],
      enclosing: scope,
      src,
    };
    classScope.cls = cls;
    classes.set(id, cls);
    bind(scope, name, { kind: "value", value: [ref(`@local.${id}`)] });
    const body = parts.find((part) => part.name === "Body");
    if (body) collectBody(bodyStatements(body), classScope, attrib, src, flatten);
  }

  function lineAt(node: SyntaxNode, src: Source): number {
    return src.outer ? src.outer.line : lineOf(src.lineStarts, node.from);
  }

  // -------------------------------------------------------------------------------------------
  // Evaluation

  const nameMemo = new WeakMap<Scope, Map<string, Val>>();
  const nameBusy = new WeakMap<Scope, Set<string>>();
  const exprMemo = new Map<number, WeakMap<Scope, Map<number, Val>>>();
  const returnMemo = new Map<string, Val>();


  function lookupScope(name: string, scope: Scope): Scope | undefined {
    let s: Scope | undefined = scope.globals.has(name) ? moduleOf(scope) : scope;
    let first = true;
    while (s) {
      // A class body's names are not visible from the methods defined in it.
      if ((first || s.kind !== "class") && s.bindings.has(name)) return s;
      first = false;
      if (!s.parent && s.fallback) {
        s = s.fallback;
        first = true;
        continue;
      }
      s = s.parent;
    }
    return undefined;
  }

  function lookupName(name: string, ctx: EvalCtx): Val {
    step();
    const overlaid = ctx.overlay?.get(name);
    if (overlaid) return overlaid;
    const scope = lookupScope(name, ctx.scope);
    if (!scope) {
      if (name === "__builtins__") return [{ t: "special", v: "builtins", o: 0 }];
      if (BUILTIN_NAMES.has(name)) return [ref(`builtins.${name}`)];
      const stars = moduleOf(ctx.scope).stars;
      if (stars.length > 0) return union(...stars.map((module) => [ref(joinModule(module, name))]));
      return unknown();
    }
    return valueOfName(scope, name);
  }

  function valueOfName(scope: Scope, name: string): Val {
    let memo = nameMemo.get(scope);
    const hit = memo?.get(name);
    if (hit) return hit;
    let busy = nameBusy.get(scope);
    if (!busy) {
      busy = new Set();
      nameBusy.set(scope, busy);
    }
    if (busy.has(name)) return unknown();
    busy.add(name);
    try {
      const value = valueOfBindings(scope.bindings.get(name) ?? []);
      if (!indexingCalls) {
        if (!memo) {
          memo = new Map();
          nameMemo.set(scope, memo);
        }
        memo.set(name, value);
      }
      return value;
    } finally {
      busy.delete(name);
    }
  }

  function valueOfBindings(bindings: Binding[]): Val {
    const results: Val[] = [];
    for (const binding of bindings) {
      switch (binding.kind) {
        case "value":
          results.push(binding.value);
          break;
        case "unknown":
          results.push(unknown());
          break;
        case "self":
          results.push([ref(binding.asClass ? `@local.${binding.classId}` : `@local.${binding.classId}()`)]);
          break;
        case "param":
          results.push(paramValue(binding));
          break;
        case "iter": {
          const iterated = evalExpr(binding.node, { scope: binding.scope, src: binding.src });
          results.push(project(elementsOf(iterated), binding.path));
          break;
        }
        case "expr": {
          const ctx = { scope: binding.scope, src: binding.src };
          const value = binding.nodes.length === 1 && binding.nodes[0] ? evalExpr(binding.nodes[0], ctx) : [{ t: "seq", items: binding.nodes.map((node) => evalExpr(node, ctx)), o: 0 } as Alt];
          const projected = project(value, binding.path);
          if (binding.op === "add") results.push(results.length > 0 ? concat(results[results.length - 1] as Val, projected) : projected);
          else if (binding.op === "other") results.push(unknown(originsOf(projected)));
          else results.push(projected);
          break;
        }
      }
    }
    return results.length > 0 ? union(...results) : unknown();
  }

  function elementsOf(val: Val): Val {
    const out: Val[] = [];
    for (const alt of val) {
      if (alt.t === "seq") out.push(...alt.items.map((item) => withOrigins(item, alt.o)));
      else if (alt.t === "str") out.push([...alt.v.slice(0, 64)].map((char) => str(char, alt.o)));
      else out.push(unknown(originsOfAlt(alt)));
    }
    return out.length > 0 ? union(...out) : unknown();
  }

  function project(val: Val, path: number[]): Val {
    let current = val;
    for (const index of path) {
      const next: Val[] = [];
      for (const alt of current) {
        if (alt.t === "seq" && alt.items[index]) next.push(withOrigins(alt.items[index], alt.o));
        else next.push(unknown(originsOfAlt(alt)));
      }
      current = union(...next);
    }
    return current;
  }

  function paramValue(binding: Extract<Binding, { kind: "param" }>): Val {
    if (indexingCalls) return unknown();
    const values: Val[] = [];
    if (binding.defaultNode) values.push(evalExpr(binding.defaultNode, { scope: binding.fn.scope.parent ?? moduleScope, src: binding.fn.src }));
    const sites = callSites.get(binding.fn.id) ?? [];
    for (const site of sites.slice(0, 8)) {
      const positional = site.dropFirst ? site.args.positional.slice(0) : site.args.positional;
      const keyword = site.args.keywords.get(binding.name);
      if (binding.star === "*") values.push([{ t: "seq", items: positional.slice(binding.index).map((node) => evalExpr(node, site.ctx)), o: 0 }]);
      else if (binding.star === "**") values.push(unknown(originsOf(union(...[...site.args.keywords.values()].map((node) => evalExpr(node, site.ctx))))));
      else if (keyword) values.push(evalExpr(keyword, site.ctx));
      else if (positional[binding.index]) values.push(evalExpr(positional[binding.index] as SyntaxNode, site.ctx));
      for (const spread of site.args.starred) values.push(unknown(originsOf(evalExpr(spread, site.ctx))));
    }
    return values.length > 0 ? union(...values) : unknown();
  }

  /** Memo of expression values by source, scope and span (a number: start * 2^21 + length). */
  function memoOf(ctx: EvalCtx): Map<number, Val> {
    let bySource = exprMemo.get(ctx.src.id);
    if (!bySource) {
      bySource = new WeakMap();
      exprMemo.set(ctx.src.id, bySource);
    }
    let map = bySource.get(ctx.scope);
    if (!map) {
      map = new Map();
      bySource.set(ctx.scope, map);
    }
    return map;
  }

  /** How many evaluations are under way: names, returns and parameters lead from one expression to another. */
  let evalDepth = 0;
  function evalExpr(node: SyntaxNode, ctx: EvalCtx): Val {
    step();
    if (evalDepth > MAX_EVAL_DEPTH) return unknown();
    evalDepth++;
    try {
      if (ctx.overlay || indexingCalls) return evalUncached(node, ctx);
      const memo = memoOf(ctx);
      const key = node.from * 2097152 + (node.to - node.from);
      const hit = memo.get(key);
      if (hit) return hit;
      const value = evalUncached(node, ctx);
      memo.set(key, value);
      return value;
    } finally {
      evalDepth--;
    }
  }

  function evalUncached(node: SyntaxNode, ctx: EvalCtx): Val {
    const src = ctx.src;
    switch (node.name) {
      case "String": {
        const decoded = decodeStringLiteral(textOf(node, src));
        return decoded ? [str(decoded.value, 0, decoded.bytes)] : unknown();
      }
      case "FormatString":
        return evalFormatString(node, ctx);
      case "ContinuedString": {
        let value: Val = [str("")];
        for (const part of children(node)) value = concat(value, evalExpr(part, ctx));
        // Adjacent literals are one literal to Python: not a string "built" at run time.
        return children(node).every((part) => part.name === "String") ? value.map((alt) => ({ ...alt, o: alt.o & ~ORIGIN.built })) : value;
      }
      case "Number": {
        const value = parseNumber(textOf(node, src));
        return value === undefined ? unknown() : [{ t: "num", v: value, o: 0 }];
      }
      case "Boolean":
        return [{ t: "num", v: textOf(node, src) === "True" ? 1 : 0, o: 0 }];
      case "VariableName":
        return lookupName(textOf(node, src), ctx);
      case "MemberExpression":
        return evalMember(node, ctx);
      case "CallExpression":
        return evalCall(node, ctx);
      case "BinaryExpression":
        return evalBinary(node, ctx);
      case "ParenthesizedExpression": {
        const inner = children(node).find((part) => part.name !== "(" && part.name !== ")");
        return inner ? evalExpr(inner, ctx) : unknown();
      }
      case "TupleExpression":
      case "ArrayExpression":
      case "SetExpression": {
        const items: Val[] = [];
        const parts = children(node).filter((part) => !["(", ")", "[", "]", "{", "}", ","].includes(part.name));
        let o = 0;
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i] as SyntaxNode;
          if (part.name === "*" && parts[i + 1]) {
            const spread = evalExpr(parts[++i] as SyntaxNode, ctx);
            const seq = spread.find((alt): alt is Extract<Alt, { t: "seq" }> => alt.t === "seq");
            if (seq && spread.length === 1) items.push(...seq.items);
            else o |= originsOf(spread);
          } else items.push(evalExpr(part, ctx));
          if (items.length > 4096) return unknown(o | items.reduce((acc, item) => acc | originsOf(item), 0));
        }
        return [{ t: "seq", items, o }];
      }
      case "DictionaryExpression": {
        const parts = children(node).filter((part) => part.name !== "{" && part.name !== "}" && part.name !== ",");
        const entries: [Val, Val][] = [];
        let o = 0;
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i] as SyntaxNode;
          if (part.name === "**" && parts[i + 1]) {
            const spread = evalExpr(parts[++i] as SyntaxNode, ctx);
            const dict = spread.find((alt): alt is Extract<Alt, { t: "dict" }> => alt.t === "dict");
            if (dict && spread.length === 1) entries.push(...dict.entries);
            else o |= originsOf(spread);
          } else if (parts[i + 1]?.name === ":" && parts[i + 2]) {
            entries.push([evalExpr(part, ctx), evalExpr(parts[i + 2] as SyntaxNode, ctx)]);
            i += 2;
          }
          if (entries.length > 2048) break;
        }
        return [{ t: "dict", entries, o }];
      }
      case "ConditionalExpression": {
        const parts = children(node);
        const first = parts[0];
        const last = parts[parts.length - 1];
        return first && last ? union(evalExpr(first, ctx), evalExpr(last, ctx)) : unknown();
      }
      case "UnaryExpression": {
        const parts = children(node);
        const operand = parts[parts.length - 1];
        const value = operand ? evalExpr(operand, ctx) : unknown();
        if (parts[0] && textOf(parts[0], src) === "-") return value.map((alt) => (alt.t === "num" ? { ...alt, v: -alt.v } : { t: "unknown", o: originsOfAlt(alt) }));
        return unknown(originsOf(value));
      }
      case "AwaitExpression":
      case "NamedExpression": {
        const parts = children(node);
        const last = parts[parts.length - 1];
        return last ? evalExpr(last, ctx) : unknown();
      }
      case "ArrayComprehensionExpression":
      case "ComprehensionExpression":
      case "SetComprehensionExpression":
        return evalComprehension(children(node).filter((part) => !["(", ")", "[", "]", "{", "}"].includes(part.name)), ctx);
      case "DictionaryComprehensionExpression": {
        // {k: v for k, v in os.environ.items()}: what is iterated flows into the dict.
        const parts = children(node);
        let o = 0;
        for (const part of parts) if (!["{", "}", ":", "for", "in", "if", ","].includes(part.name) && part.name !== "VariableName") o |= originsOf(evalExpr(part, ctx));
        return unknown(o);
      }
      default:
        return unknown();
    }
  }

  function evalFormatString(node: SyntaxNode, ctx: EvalCtx): Val {
    const raw = textOf(node, ctx.src);
    let start = 0;
    while (start < raw.length && raw[start] !== "'" && raw[start] !== '"') start++;
    const isRaw = raw.slice(0, start).toLowerCase().includes("r");
    const quote = raw[start] ?? '"';
    const open = raw.slice(start, start + 3) === quote.repeat(3) ? 3 : 1;
    let cursor = node.from + start + open;
    const end = node.to - open;
    let known = "";
    let o = ORIGIN.built;
    const piece = (from: number, to: number) => {
      const text = ctx.src.text.slice(from, to).split("{{").join("{").split("}}").join("}");
      return isRaw ? text : unescape(text, false);
    };
    for (const part of children(node)) {
      if (part.name !== "FormatReplacement") continue;
      known += piece(cursor, part.from);
      cursor = part.to;
      const expr = children(part).find((child) => child.name !== "{" && child.name !== "}" && child.name !== "FormatSpec" && child.name !== "FormatConversion" && child.name !== "FormatSelfDoc");
      const value = expr ? evalExpr(expr, ctx) : unknown();
      const only = value.length === 1 ? value[0] : undefined;
      if (only?.t === "str" || only?.t === "num") {
        known += String(only.v);
        o |= only.o;
      } else return [{ t: "prefix", v: known, o: o | originsOf(value) }];
    }
    known += piece(cursor, Math.max(cursor, end));
    return [str(known, o)];
  }

  function evalComprehension(parts: SyntaxNode[], ctx: EvalCtx): Val {
    const body = parts[0];
    const forAt = parts.findIndex((part) => part.name === "for");
    const inAt = parts.findIndex((part) => part.name === "in");
    if (!body || forAt < 0 || inAt < 0) return unknown();
    const targets = parts.slice(forAt + 1, inAt).filter((part) => part.name !== ",");
    const iterNode = parts[inAt + 1];
    if (!iterNode) return unknown();
    const iterated = evalExpr(iterNode, ctx);
    const simple = parts.length === inAt + 2 && targets.length === 1 && targets[0]?.name === "VariableName";
    const seq = iterated.length === 1 ? iterated[0] : undefined;
    const items = seq?.t === "seq" ? seq.items : seq?.t === "str" ? [...seq.v.slice(0, 4096)].map((char) => [str(char)]) : undefined;
    if (simple && items && items.length <= 4096) {
      const name = textOf(targets[0] as SyntaxNode, ctx.src);
      const out: Val[] = [];
      for (const item of items) {
        const overlay = new Map(ctx.overlay ?? []);
        overlay.set(name, item);
        out.push(evalExpr(body, { ...ctx, overlay }));
      }
      return [{ t: "seq", items: out, o: seq?.o ?? 0 }];
    }
    return unknown(originsOf(iterated) | originsOf(evalExpr(body, ctx)));
  }

  function evalBinary(node: SyntaxNode, ctx: EvalCtx): Val {
    const parts = children(node);
    const left = parts[0];
    const op = parts[1];
    const right = parts[parts.length - 1];
    if (!left || !op || !right) return unknown();
    const a = evalExpr(left, ctx);
    const b = evalExpr(right, ctx);
    const opText = textOf(op, ctx.src);
    if (op.name === "ArithOp" && opText === "+") return concat(a, b);
    if (op.name === "ArithOp" && opText === "%") {
      const out: Alt[] = [];
      for (const format of a) {
        if (format.t !== "str") {
          out.push({ t: "unknown", o: originsOfAlt(format) | originsOf(b) });
          continue;
        }
        for (const args of b) {
          const list = args.t === "seq" ? args.items.map((item) => (item.length === 1 && (item[0]?.t === "str" || item[0]?.t === "num") ? item[0].v : undefined)) : args.t === "str" || args.t === "num" ? [args.v] : [undefined];
          const result = list.every((item) => item !== undefined) ? percentFormat(format.v, list) : undefined;
          out.push(result === undefined ? { t: "prefix", v: format.v.slice(0, Math.max(0, format.v.indexOf("%"))), o: format.o | originsOfAlt(args) } : str(result, format.o | args.o | ORIGIN.built));
        }
      }
      return union(out);
    }
    if (op.name === "ArithOp" && opText === "/") {
      // Path objects: Path.home() / ".ssh" / "id_rsa"
      const out: Alt[] = [];
      for (const x of a)
        for (const y of b) {
          if ((x.t === "str" || x.t === "prefix") && y.t === "str") out.push(x.t === "str" ? str(joinPath(x.v, y.v), x.o | y.o) : { t: "prefix", v: x.v, o: x.o | y.o });
          else if (x.t === "num" && y.t === "num" && y.v !== 0) out.push({ t: "num", v: x.v / y.v, o: 0 });
          else out.push({ t: "unknown", o: originsOfAlt(x) | originsOfAlt(y) });
        }
      return union(out);
    }
    if (op.name === "ArithOp" && opText === "*") {
      const out: Alt[] = [];
      for (const x of a)
        for (const y of b) {
          if (x.t === "num" && y.t === "num") out.push({ t: "num", v: x.v * y.v, o: 0 });
          else if (x.t === "str" && y.t === "num" && y.v >= 0 && x.v.length * y.v <= 65536) out.push(str(x.v.repeat(y.v), x.o | ORIGIN.built, x.bytes));
          else out.push({ t: "unknown", o: originsOfAlt(x) | originsOfAlt(y) });
        }
      return union(out);
    }
    if ((op.name === "ArithOp" || op.name === "BitOp") && a.every((x) => x.t === "num") && b.every((y) => y.t === "num")) {
      const out: Alt[] = [];
      for (const x of a)
        for (const y of b) {
          if (x.t !== "num" || y.t !== "num") continue;
          const v = numeric(opText, x.v, y.v);
          out.push(v === undefined ? { t: "unknown", o: 0 } : { t: "num", v, o: 0 });
        }
      return union(out);
    }
    if (op.name === "or" || op.name === "and") return union(a, b);
    return unknown(originsOf(a) | originsOf(b));
  }

  function evalMember(node: SyntaxNode, ctx: EvalCtx): Val {
    const parts = children(node);
    const object = parts[0];
    if (!object) return unknown();
    const objectValue = evalExpr(object, ctx);
    const property = parts.find((part) => part.name === "PropertyName");
    if (parts[1]?.name === "." && property) return member(objectValue, textOf(property, ctx.src), ctx);
    // Subscript: obj[key] or a slice.
    const inside = parts.slice(1).filter((part) => part.name !== "[" && part.name !== "]");
    if (inside.some((part) => part.name === ":")) return slice(objectValue, inside, ctx);
    const key = inside[0];
    return subscript(objectValue, key ? evalExpr(key, ctx) : unknown(), ctx);
  }

  function member(val: Val, name: string, ctx: EvalCtx): Val {
    const out: Val[] = [];
    for (const alt of val) {
      if (alt.t === "ref") {
        const local = alt.v.startsWith("@local.") ? classOfRef(alt.v) : undefined;
        if (local) {
          const attr = classAttr(local, name, 0);
          if (attr) out.push(attr);
          out.push([{ ...alt, v: `${alt.v}.${name}` }]);
        } else if (alt.v === "sys" && name === "modules") out.push([{ t: "special", v: "modules", o: alt.o }]);
        else if (name === "__builtins__") out.push([{ t: "special", v: "builtins", o: alt.o }]);
        else if (alt.v === "builtins" || alt.v === "__builtin__") out.push([ref(`builtins.${name}`, alt.o, alt.hid)]);
        else out.push([{ ...alt, v: `${alt.v}.${name}` }]);
      } else if (alt.t === "special" && alt.v === "builtins") out.push([ref(`builtins.${name}`, alt.o, ["through __builtins__"])]);
      else if (alt.t === "bound") out.push(unknown(originsOfAlt(alt)));
      else out.push([{ t: "bound", recv: alt, name, o: 0 }]);
    }
    void ctx;
    return union(...out);
  }

  function classOfRef(name: string): ClassInfo | undefined {
    const base = name.slice("@local.".length);
    const id = base.endsWith("()") ? base.slice(0, -2) : base;
    return classes.get(id);
  }

  const attrBusy = new Set<string>();
  function classAttr(cls: ClassInfo, name: string, depth: number): Val | undefined {
    if (depth > 6) return undefined;
    const bindings = cls.attrs.get(name);
    if (bindings && bindings.length > 0) {
      // self.x = self.x, or attributes defined in terms of each other: a cycle is unknown.
      const key = `${cls.id}\u0000${name}`;
      if (attrBusy.has(key)) return unknown();
      attrBusy.add(key);
      try {
        return valueOfBindings(bindings);
      } finally {
        attrBusy.delete(key);
      }
    }
    for (const baseNode of cls.baseNodes) {
      for (const alt of evalExpr(baseNode, { scope: cls.enclosing, src: cls.src })) {
        const base = alt.t === "ref" ? classOfRef(alt.v) : undefined;
        const found = base && base !== cls ? classAttr(base, name, depth + 1) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }

  function subscript(val: Val, key: Val, ctx: EvalCtx): Val {
    const out: Val[] = [];
    const keys = strings(key);
    const built = key.some((k) => k.o & (ORIGIN.built | ORIGIN.decoded)) ? `a name built at run time (${keys.map((k) => JSON.stringify(k)).join(", ")}), looked up ` : "";
    for (const alt of val) {
      if (alt.t === "special" && keys.length > 0) {
        const shape = built + (alt.v === "builtins" ? "through __builtins__[…]" : alt.v === "globals" ? "through globals()[…]" : "through sys.modules[…]");
        for (const k of keys) {
          if (alt.v === "builtins") out.push([ref(`builtins.${k}`, alt.o, [shape])]);
          else if (alt.v === "modules") out.push([ref(k, alt.o, [shape])]);
          else {
            const found = lookupName(k, { scope: moduleScope, src: ctx.src }).map((item) => (item.t === "ref" ? { ...item, hid: [...(item.hid ?? []), shape] } : item));
            out.push(found);
          }
        }
      } else if (alt.t === "ref" && (alt.v === "os.environ" || alt.v === "os.environb")) out.push(envValue(key));
      else if (alt.t === "ref" && alt.v.endsWith(".__dict__") && keys.length > 0) {
        const base = alt.v.slice(0, -".__dict__".length);
        for (const k of keys) out.push([ref(base === "builtins" || base === "__builtins__" ? `builtins.${k}` : `${base}.${k}`, alt.o, [...(alt.hid ?? []), `${built}through ${base}.__dict__[…]`])]);
      } else if (alt.t === "dict") {
        const matches = alt.entries.filter(([k]) => strings(k).some((s) => keys.includes(s)));
        if (matches.length > 0) for (const [, value] of matches) out.push(withOrigins(value, alt.o));
        else out.push(unknown(originsOfAlt(alt)));
      } else if (alt.t === "seq" && key.length === 1 && key[0]?.t === "num") {
        const index = key[0].v < 0 ? alt.items.length + key[0].v : key[0].v;
        out.push(alt.items[index] ? withOrigins(alt.items[index], alt.o) : unknown(originsOfAlt(alt)));
      } else if (alt.t === "str" && key.length === 1 && key[0]?.t === "num") {
        const index = key[0].v < 0 ? alt.v.length + key[0].v : key[0].v;
        const char = alt.v[index];
        out.push(char === undefined ? unknown(alt.o) : [str(char, alt.o | ORIGIN.built)]);
      } else out.push(unknown(originsOfAlt(alt) | originsOf(key)));
    }
    return union(...out);
  }

  function slice(val: Val, inside: SyntaxNode[], ctx: EvalCtx): Val {
    // [a:b:c] as three optional numbers
    const numbers: (number | undefined)[] = [];
    let current: number | undefined;
    let sawValue = false;
    for (const part of inside) {
      if (part.name === ":") {
        numbers.push(sawValue ? current : undefined);
        current = undefined;
        sawValue = false;
      } else {
        const value = evalExpr(part, ctx);
        current = value.length === 1 && value[0]?.t === "num" ? value[0].v : Number.NaN;
        sawValue = true;
      }
    }
    numbers.push(sawValue ? current : undefined);
    const [from, to, stride] = numbers;
    return val.map((alt): Alt => {
      if (alt.t !== "str" || [from, to, stride].some((n) => n !== undefined && Number.isNaN(n))) return { t: "unknown", o: originsOfAlt(alt) };
      let chars = [...alt.v];
      if (stride !== undefined && stride < 0) {
        chars = chars.reverse();
        if (from !== undefined || to !== undefined || stride !== -1) return { t: "unknown", o: alt.o };
        return str(chars.join(""), alt.o | ORIGIN.built, alt.bytes);
      }
      const sliced = chars.slice(from ?? 0, to ?? chars.length).filter((_, i) => i % (stride ?? 1) === 0);
      return str(sliced.join(""), alt.o | ORIGIN.built, alt.bytes);
    });
  }

  function envValue(key: Val, fallback?: Val): Val {
    const out: Val[] = [];
    for (const alt of key) {
      if (alt.t !== "str") {
        out.push(unknown(originsOfAlt(alt)));
        continue;
      }
      const path = PATH_ENV[alt.v.toUpperCase()];
      if (path) out.push([str(path)]);
      else if (isSecretEnvName(alt.v)) out.push(unknown(ORIGIN.token));
      else out.push(unknown());
    }
    if (fallback) out.push(fallback);
    return union(...out);
  }

  interface ParsedArgs {
    positional: SyntaxNode[];
    keywords: Map<string, SyntaxNode>;
    starred: SyntaxNode[];
    generator?: SyntaxNode[];
  }

  function parseArgs(argList: SyntaxNode | null, src: Source): ParsedArgs {
    const args: ParsedArgs = { positional: [], keywords: new Map(), starred: [] };
    if (!argList || argList.name !== "ArgList") return args;
    const parts = children(argList).filter((part) => part.name !== "(" && part.name !== ")");
    if (parts.some((part) => part.name === "for")) {
      args.generator = parts.filter((part) => part.name !== ",");
      return args;
    }
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as SyntaxNode;
      if (part.name === ",") continue;
      if (part.name === "VariableName" && parts[i + 1]?.name === "AssignOp" && parts[i + 2]) {
        args.keywords.set(textOf(part, src), parts[i + 2] as SyntaxNode);
        i += 2;
      } else if ((part.name === "*" || part.name === "**") && parts[i + 1]) {
        args.starred.push(parts[i + 1] as SyntaxNode);
        i++;
      } else args.positional.push(part);
    }
    return args;
  }

  function argValues(args: ParsedArgs, ctx: EvalCtx): Val[] {
    if (args.generator) return [evalComprehension(args.generator, ctx)];
    return args.positional.map((node) => evalExpr(node, ctx));
  }

  function argOrigins(args: ParsedArgs, ctx: EvalCtx): number {
    let o = 0;
    for (const value of argValues(args, ctx)) o |= originsOf(value);
    for (const node of args.keywords.values()) o |= originsOf(evalExpr(node, ctx));
    for (const node of args.starred) o |= originsOf(evalExpr(node, ctx));
    return o;
  }

  function positionalOrKeyword(args: ParsedArgs, index: number, keyword: string, ctx: EvalCtx): Val | undefined {
    const node = args.keywords.get(keyword) ?? args.positional[index];
    if (node) return evalExpr(node, ctx);
    if (index === 0 && args.generator) return evalComprehension(args.generator, ctx);
    return undefined;
  }

  function evalCall(node: SyntaxNode, ctx: EvalCtx): Val {
    const calleeNode = node.firstChild;
    const argList = node.lastChild;
    if (!calleeNode) return unknown();
    const callee = evalExpr(calleeNode, ctx);
    const args = parseArgs(argList, ctx.src);
    const out: Val[] = [];
    for (const alt of callee) out.push(callAlt(alt, args, ctx));
    return union(...out);
  }

  function callAlt(alt: Alt, args: ParsedArgs, ctx: EvalCtx): Val {
    if (alt.t === "bound") return callMethod(alt, args, ctx);
    if (alt.t !== "ref") return unknown(originsOfAlt(alt) | argOrigins(args, ctx));
    const name = canonical(alt.v);
    const arg = (index: number, keyword = "") => positionalOrKeyword(args, index, keyword, ctx) ?? unknown();
    const hidden = (value: Val) => (originsOf(value) & (ORIGIN.built | ORIGIN.decoded)) !== 0;
    switch (name) {
      case "builtins.getattr": {
        const object = arg(0);
        const attr = arg(1);
        const names = strings(attr);
        if (names.length === 0) return union(unknown(originsOf(object) | originsOf(attr)), args.positional[2] ? arg(2) : []);
        const shape = hidden(attr) ? [`getattr with a name built at run time (${names.map((n) => JSON.stringify(n)).join(", ")})`] : [];
        return union(...names.map((n) => member(object, n, ctx).map((item) => (item.t === "ref" && shape.length > 0 ? { ...item, hid: [...(item.hid ?? []), ...shape] } : item))));
      }
      case "builtins.__import__":
      case "importlib.import_module":
      case "importlib.__import__": {
        const moduleName = arg(0, "name");
        const names = strings(moduleName);
        if (names.length === 0) return unknown(originsOf(moduleName));
        const fromlist = args.positional[3] ?? args.keywords.get("fromlist");
        const full = name !== "builtins.__import__" || (fromlist !== undefined && textOf(fromlist, ctx.src).replace(/\s/g, "") !== "()" && textOf(fromlist, ctx.src).replace(/\s/g, "") !== "[]");
        const how = name === "importlib.import_module" ? "importlib.import_module" : "__import__";
        const shape = hidden(moduleName) ? [`${how} of a name built at run time (${names.map((n) => JSON.stringify(n)).join(", ")})`] : [];
        return union(...names.map((n) => [ref(full ? n : (n.split(".")[0] ?? n), 0, shape)]));
      }
      case "builtins.globals":
      case "builtins.locals":
        return [{ t: "special", v: "globals", o: 0 }];
      case "builtins.vars": {
        if (args.positional.length === 0) return [{ t: "special", v: "globals", o: 0 }];
        return arg(0).map((item) => (item.t === "ref" ? ref(`${item.v}.__dict__`, item.o) : item.t === "special" ? item : { t: "unknown", o: originsOfAlt(item) }));
      }
      case "builtins.eval": {
        const code = arg(0);
        const texts = strings(code);
        if (texts.length === 1 && texts[0] !== undefined && texts[0].length < 4096) {
          const value = evalCodeString(texts[0], ctx);
          if (value) return value.map((item) => (item.t === "ref" ? { ...item, hid: [...(item.hid ?? []), "eval of a string"] } : item));
        }
        return unknown(originsOf(code));
      }
      case "builtins.chr":
      case "builtins.ord":
        return applySimpleBuiltin(name, arg(0));
      case "builtins.str":
      case "os.fspath":
      case "os.path.expanduser":
      case "os.path.expandvars":
      case "os.path.abspath":
      case "os.path.realpath":
      case "os.path.normpath":
        if (args.positional.length === 0) return [str("")];
        return arg(0).map((item) => (item.t === "num" ? str(String(item.v), item.o) : item.t === "str" && item.bytes && name === "builtins.str" ? str(`b'${item.v}'`, item.o) : item));
      case "builtins.int":
        return arg(0).map((item) => (item.t === "str" && item.v.trim() !== "" && Number.isFinite(Number(item.v)) ? { t: "num", v: Math.trunc(Number(item.v)), o: item.o } : item.t === "num" ? { ...item, v: Math.trunc(item.v) } : { t: "unknown", o: originsOfAlt(item) }));
      case "builtins.bytes":
      case "builtins.bytearray": {
        const source = arg(0);
        return source.map((item): Alt => {
          if (item.t === "str") return str(item.bytes ? item.v : unescape(item.v, true), item.o, true);
          if (item.t === "seq" && item.items.every((v) => v.length === 1 && v[0]?.t === "num")) return str(item.items.map((v) => String.fromCharCode((v[0] as { v: number }).v & 0xff)).join(""), item.o | ORIGIN.built, true);
          return { t: "unknown", o: originsOfAlt(item) };
        });
      }
      case "builtins.list":
      case "builtins.tuple":
      case "builtins.set":
        return args.positional.length === 0 && !args.generator ? [{ t: "seq", items: [], o: 0 }] : arg(0).map((item) => (item.t === "str" ? { t: "seq", items: [...item.v.slice(0, 4096)].map((c) => [str(c, item.o)]), o: item.o } : item));
      case "builtins.reversed":
        return arg(0).map((item) => (item.t === "str" ? { t: "seq", items: [...item.v.slice(0, 4096)].reverse().map((c) => [str(c, item.o | ORIGIN.built)]), o: item.o | ORIGIN.built } : item.t === "seq" ? { ...item, items: [...item.items].reverse(), o: item.o | ORIGIN.built } : { t: "unknown", o: originsOfAlt(item) }));
      case "builtins.map": {
        const fns = refsOnly(arg(0)).map((f) => canonical(f.v));
        const seq = arg(1);
        const only = seq.length === 1 ? seq[0] : undefined;
        const items = only?.t === "seq" ? only.items : only?.t === "str" ? [...only.v.slice(0, 4096)].map((c) => [str(c, only.o)]) : undefined;
        if (items && fns.length === 1 && fns[0] && SIMPLE_BUILTINS.has(fns[0])) {
          const fn = fns[0];
          return [{ t: "seq", items: items.map((item) => applySimpleBuiltin(fn, item)), o: (only?.o ?? 0) | ORIGIN.built }];
        }
        return unknown(originsOf(seq));
      }
      case "builtins.sum": {
        const seq = arg(0);
        return seq.map((item) => (item.t === "seq" && item.items.every((v) => v.length === 1 && v[0]?.t === "num") ? { t: "num", v: item.items.reduce((acc, v) => acc + (v[0] as { v: number }).v, 0), o: item.o } : { t: "unknown", o: originsOfAlt(item) }));
      }
      case "builtins.compile":
        return arg(0);
      case "builtins.open": {
        const path = arg(0, "file");
        const credential = prefixes(path).some((p) => credentialPath(p) !== undefined);
        return unknown(originsOf(path) | (credential ? ORIGIN.credentials : 0));
      }
      case "os.path.join": {
        let joined: Val = arg(0);
        for (const node of args.positional.slice(1)) {
          const next = evalExpr(node, ctx);
          joined = union(...joined.flatMap((a) => next.map((b): Val => (a.t === "str" && b.t === "str" ? [str(joinPath(a.v, b.v), a.o | b.o)] : a.t === "str" || a.t === "prefix" ? [{ t: "prefix", v: a.v, o: a.o | originsOfAlt(b) }] : unknown(originsOfAlt(a) | originsOfAlt(b))))));
        }
        return joined;
      }
      case "pathlib.Path":
      case "pathlib.PurePath":
      case "pathlib.PosixPath":
      case "pathlib.WindowsPath": {
        if (args.positional.length === 0) return [str(".")];
        let joined: Val = arg(0);
        for (const node of args.positional.slice(1)) {
          const next = evalExpr(node, ctx);
          joined = union(...joined.flatMap((a) => next.map((b): Val => (a.t === "str" && b.t === "str" ? [str(joinPath(a.v, b.v), a.o | b.o)] : unknown(originsOfAlt(a) | originsOfAlt(b))))));
        }
        return joined;
      }
      case "pathlib.Path.home":
        return [str("~")];
      case "os.getenv":
      case "os.environ.get":
        return envValue(arg(0, "key"), args.positional[1] ? arg(1) : undefined);
      case "marshal.loads":
        return unknown(originsOf(arg(0)) | ORIGIN.marshal);
      case "sys.executable":
        return [ref("sys.executable")];
    }
    if (DECODERS[name]) return decode(name, args, ctx);
    if (DECOMPRESSORS.has(name)) return unknown(argOrigins(args, ctx) | ORIGIN.decompressed);
    if (TOKEN_READERS.has(name)) return unknown(ORIGIN.token);
    if (MACHINE_INFO.has(name)) return unknown(ORIGIN.machine);
    const download = DOWNLOADS[name];
    if (download) {
      const host = download.url === "kw-only" ? undefined : hostOfCall(args, download.url, ctx);
      return unknown(ORIGIN.downloaded | argOrigins(args, ctx), host);
    }
    if (name === "urllib.request.Request" || name === "urllib2.Request") {
      const host = hostOfCall(args, 0, ctx);
      return [{ t: "ref", v: `${alt.v}()`, o: argOrigins(args, ctx), ...(host ? { host } : {}) }];
    }
    if (HOST_CONSTRUCTORS.has(name)) {
      const hosts = strings(arg(0, "host"));
      const host = hosts[0] ? (hostOfUrl(hosts[0]) ?? hosts[0].split(":")[0]) : undefined;
      return [{ t: "ref", v: `${alt.v}()`, o: 0, ...(host ? { host } : {}) }];
    }
    if (alt.v.startsWith("@local.")) {
      const target = alt.v.slice("@local.".length);
      const cls = classes.get(target);
      if (cls) return [ref(`${alt.v}()`)];
      const fn = functions.get(target) ?? methodOfRef(alt.v);
      if (fn) return returnValue(fn);
    }
    // Anything else: the call's result, named after the callee (so its methods can be followed), carrying its arguments' origins (and where downloaded data came from).
    const o = alt.o | argOrigins(args, ctx);
    const host = alt.host ?? (o & ORIGIN.downloaded ? argValues(args, ctx).map(hostOfValue).find((h) => h !== undefined) : undefined);
    return [{ t: "ref", v: `${alt.v}()`, o, ...(host ? { host } : {}) }];
  }

  /** `@local.C().m` or `@local.C.m`: the method, through the class's bases in this file. */
  function methodOfRef(name: string): FunctionInfo | undefined {
    const body = name.slice("@local.".length).split("()").join("");
    const dot = body.lastIndexOf(".");
    if (dot < 0) return undefined;
    const cls = classes.get(body.slice(0, dot));
    return cls ? findMethod(cls, body.slice(dot + 1), 0) : undefined;
  }

  function findMethod(cls: ClassInfo, name: string, depth: number): FunctionInfo | undefined {
    const own = cls.methods.get(name);
    if (own || depth > 6) return own;
    for (const baseNode of cls.baseNodes) {
      for (const alt of evalExpr(baseNode, { scope: cls.enclosing, src: cls.src })) {
        const base = alt.t === "ref" ? classOfRef(alt.v) : undefined;
        const found = base && base !== cls ? findMethod(base, name, depth + 1) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }

  function returnValue(fn: FunctionInfo): Val {
    if (indexingCalls) return unknown();
    const hit = returnMemo.get(fn.id);
    if (hit) return hit;
    returnMemo.set(fn.id, unknown());
    const value = fn.returns.length === 0 ? unknown() : union(...fn.returns.slice(0, 8).map((ret) => evalExpr(ret.node, { scope: fn.scope, src: ret.src })));
    returnMemo.set(fn.id, value);
    return value;
  }

  function decode(name: string, args: ParsedArgs, ctx: EvalCtx): Val {
    const input = positionalOrKeyword(args, 0, "s", ctx) ?? unknown();
    const kind = DECODERS[name];
    let codec = kind;
    if (kind === "codecs") {
      const encodings = strings(positionalOrKeyword(args, 1, "encoding", ctx) ?? [str("utf-8")]).map((e) => e.toLowerCase().split("-").join("_"));
      const encoding = encodings[0] ?? "";
      if (encoding === "rot13" || encoding === "rot_13") return input.map((alt) => (alt.t === "str" ? str(rot13(alt.v), alt.o | ORIGIN.decoded | ORIGIN.built) : { t: "unknown", o: originsOfAlt(alt) | ORIGIN.decoded }));
      if (encoding.startsWith("zlib") || encoding.startsWith("bz2")) return unknown(originsOf(input) | ORIGIN.decompressed);
      codec = encoding.startsWith("hex") ? "hex" : encoding.startsWith("base64") ? "base64" : encoding === "utf_8" || encoding === "utf8" || encoding === "" ? undefined : "other";
      if (codec === undefined) return input.map((alt) => (alt.t === "str" ? str(utf8OfLatin1(alt.v), alt.o) : alt));
    }
    return input.map((alt): Alt => {
      const o = originsOfAlt(alt) | ORIGIN.decoded | ORIGIN.built;
      if (alt.t !== "str") return { t: "unknown", o };
      const decoded = codec === "base64" ? decodeBase64(alt.v) : codec === "hex" ? decodeHex(alt.v) : undefined;
      return decoded === undefined ? { t: "unknown", o } : str(decoded, o, true);
    });
  }

  function callMethod(alt: Extract<Alt, { t: "bound" }>, args: ParsedArgs, ctx: EvalCtx): Val {
    const recv = alt.recv;
    const o = originsOfAlt(recv);
    const arg = (index: number) => (args.positional[index] ? evalExpr(args.positional[index], ctx) : args.generator && index === 0 ? evalComprehension(args.generator, ctx) : unknown());
    if (recv.t === "str") {
      switch (alt.name) {
        case "join": {
          const items = arg(0);
          return items.map((seq): Alt => {
            if (seq.t !== "seq") return { t: "unknown", o: o | originsOfAlt(seq) };
            const parts = seq.items.map((item) => (item.length === 1 && (item[0]?.t === "str" || item[0]?.t === "num") ? String(item[0].v) : undefined));
            if (parts.some((part) => part === undefined)) return { t: "unknown", o: o | originsOfAlt(seq) | ORIGIN.built };
            return str(parts.join(recv.v), o | seq.o | seq.items.reduce((acc, item) => acc | originsOf(item), 0) | ORIGIN.built, recv.bytes);
          });
        }
        case "format": {
          const values = args.positional.map((node) => evalExpr(node, ctx));
          const list = values.map((value) => (value.length === 1 && (value[0]?.t === "str" || value[0]?.t === "num") ? value[0].v : undefined));
          const result = list.every((item) => item !== undefined) ? braceFormat(recv.v, list) : undefined;
          return result === undefined ? [{ t: "prefix", v: recv.v.slice(0, Math.max(0, recv.v.indexOf("{"))), o: o | values.reduce((acc, value) => acc | originsOf(value), 0) }] : [str(result, o | ORIGIN.built)];
        }
        case "decode":
          return [str(recv.bytes ? utf8OfLatin1(recv.v) : recv.v, o)];
        case "encode":
          return [str(recv.v, o, true)];
        case "lower":
        case "upper":
        case "strip":
        case "lstrip":
        case "rstrip":
        case "expanduser":
        case "resolve":
        case "absolute":
        case "swapcase":
        case "title":
        case "casefold": {
          const fn = STRING_CASES.get(alt.name);
          return [str(fn ? fn(recv.v) : recv.v, o | (fn ? ORIGIN.built : 0), recv.bytes)];
        }
        case "replace": {
          const from = strings(arg(0))[0];
          const to = strings(arg(1))[0];
          return from !== undefined && to !== undefined ? [str(recv.v.split(from).join(to), o | ORIGIN.built, recv.bytes)] : unknown(o);
        }
        case "joinpath": {
          let joined = recv.v;
          for (const node of args.positional) {
            const next = strings(evalExpr(node, ctx))[0];
            if (next === undefined) return [{ t: "prefix", v: joined, o }];
            joined = joinPath(joined, next);
          }
          return [str(joined, o)];
        }
        case "read_text":
        case "read_bytes":
        case "open":
          return unknown(o | (credentialPath(recv.v) ? ORIGIN.credentials : 0));
        case "split":
          return [{ t: "seq", items: recv.v.split(strings(arg(0))[0] ?? " ").slice(0, 4096).map((part) => [str(part, o)]), o }];
      }
    }
    if (recv.t === "prefix" && (alt.name === "format" || alt.name === "encode" || alt.name === "decode" || alt.name === "strip")) return [recv];
    // Methods of an unknown value: its data flows into the result (token.strip(), f.read(), resp.json()).
    return unknown(o | argOrigins(args, ctx), recv.t === "unknown" ? recv.host : undefined);
  }

  /** Code given to eval as a string: an expression, evaluated where the eval call is. */
  function evalCodeString(code: string, ctx: EvalCtx): Val | undefined {
    if (code.length > 4096) return undefined;
    const tree = parser.parse(code);
    const top = tree.topNode.firstChild;
    if (!top || top.name !== "ExpressionStatement" || top.nextSibling) return undefined;
    const expr = top.firstChild;
    if (!expr) return undefined;
    const src: Source = { text: code, lineStarts: [0], id: sourceIds++, ...(ctx.src.outer ? { outer: ctx.src.outer } : {}) };
    return evalExpr(expr, { scope: ctx.scope, src });
  }

  function hostOfCall(args: ParsedArgs, index: number, ctx: EvalCtx): string | undefined {
    const url = positionalOrKeyword(args, index, "url", ctx);
    if (!url) return undefined;
    // A request object built earlier (urllib.request.Request(url, …)) carries its host.
    for (const alt of url) if ((alt.t === "ref" || alt.t === "unknown") && alt.host) return alt.host;
    for (const prefix of prefixes(url)) {
      const host = hostOfUrl(prefix);
      if (host) return host;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Pass 2 and 3: visiting every call

  function emit(kind: BehaviourKind, words: string, node: SyntaxNode, ctx: VisitCtx, hid: string[] = []) {
    const src = ctx.src;
    const line = src.outer ? src.outer.line : lineOf(src.lineStarts, node.from);
    const hiddenBy = [...new Set([...(src.outer?.hid ?? []), ...hid])];
    const key = `${kind}|${line}|${words}`;
    if (behaviourKeys.has(key)) return;
    behaviourKeys.add(key);
    if (kind === "network" || kind === "exfiltrate" || kind === "exec-hidden" || kind === "download-exec" || kind === "reads-credentials") networkLines.add(line);
    if (behaviours.length >= 400) return;
    behaviours.push({
      kind,
      line,
      words,
      code: displayCode(src.text.slice(node.from, Math.min(node.to, node.from + 400))),
      scope: src.outer ? src.outer.attrib : ctx.attrib,
      place: src.outer ? src.outer.place : ctx.place,
      ...(hiddenBy.length > 0 ? { hiddenBy } : {}),
    });
  }

  function link(from: string, to: string, kind: ScopeLink["kind"] = "ref") {
    if (!to.startsWith("@local.") && !to.startsWith(".")) {
      // Most references are into the standard library or torch: not a file of the repo.
      const dot = to.indexOf(".");
      const paren = to.indexOf("(");
      const end = dot < 0 ? (paren < 0 ? to.length : paren) : paren < 0 ? dot : Math.min(dot, paren);
      const root = to.slice(0, end);
      if (root === "" || EXTERNAL_PACKAGES.has(root)) return;
    } else if (to.length <= 7 && to.startsWith("@local.")) return;
    let target = to.includes("()") ? to.split("()").join("") : to;
    if (target.length > 300) target = target.slice(0, 300);
    const key = `${from}>${target}>${kind}`;
    if (!links.has(key) && links.size < 4000) links.set(key, { from, to: target, kind });
  }

  function visit(node: SyntaxNode, ctx: VisitCtx) {
    step();
    switch (node.name) {
      case "Comment":
      case "ImportStatement":
      case "ScopeStatement":
        return;
      case "ExpressionStatement": {
        // A docstring (a statement that is only a string) is documentation.
        const only = node.firstChild;
        if (only && !only.nextSibling && (only.name === "String" || only.name === "ContinuedString")) return;
        break;
      }
      case "FunctionDefinition":
        return visitFunction(node, [], ctx);
      case "ClassDefinition":
        return visitClass(node, [], ctx);
      case "DecoratedStatement": {
        const parts = children(node);
        const decorators = parts.filter((part) => part.name === "Decorator");
        const inner = parts.find((part) => part.name === "FunctionDefinition" || part.name === "ClassDefinition");
        if (inner?.name === "FunctionDefinition") visitFunction(inner, decorators, ctx);
        else if (inner) visitClass(inner, decorators, ctx);
        return;
      }
      case "IfStatement": {
        if (ctx.scope.kind === "module" && !ctx.src.outer && isMainGuard(node, ctx.src)) {
          let first = true;
          for (const part of children(node)) {
            if (part.name === "Body" && first) {
              visitChildren(part, { ...ctx, attrib: "<main>", place: 'under if __name__ == "__main__"' });
              first = false;
            } else {
              if (part.name === "Body") first = false;
              visit(part, ctx);
            }
          }
          return;
        }
        break;
      }
      case "AssignStatement": {
        // Targets bind names (pass 1); only the value is code that runs here, with subscripted or attribute targets' objects.
        const parts = children(node);
        const ops = parts.map((part, i) => (part.name === "AssignOp" ? i : -1)).filter((i) => i >= 0);
        const last = ops[ops.length - 1] ?? -1;
        parts.forEach((part, i) => {
          if (i > last || (part.name === "MemberExpression" && part.firstChild)) visit(i > last ? part : (part.firstChild as SyntaxNode), ctx);
        });
        return;
      }
      case "CallExpression":
        inspectCall(node, ctx);
        if (node.firstChild) for (const alt of evalExpr(node.firstChild, ctx)) if (alt.t === "ref") link(ctx.attrib, alt.v, "call");
        break;
      case "Decorator": {
        // `@a.b.c(args)`: a dotted name (its parts are VariableName nodes), then the arguments.
        let value: Val | undefined;
        for (const part of children(node)) {
          if (part.name === "VariableName") value = value ? member(value, textOf(part, ctx.src), ctx) : evalExpr(part, ctx);
          else if (part.name === "ArgList") visit(part, ctx);
        }
        // A decorator is called with the function it decorates, when the def statement runs.
        for (const alt of value ?? []) if (alt.t === "ref") link(ctx.attrib, alt.v, "call");
        return;
      }
      case "VariableName":
        for (const alt of evalExpr(node, ctx)) if (alt.t === "ref") link(ctx.attrib, alt.v);
        return;
      case "MemberExpression":
        for (const alt of evalExpr(node, ctx)) if (alt.t === "ref") link(ctx.attrib, alt.v);
        break;
      case "String":
      case "ContinuedString":
        checkShadyLiteral(node, ctx);
        return;
    }
    visitChildren(node, ctx);
  }

  function visitChildren(node: SyntaxNode, ctx: VisitCtx) {
    for (let child = node.firstChild; child; child = child.nextSibling) visit(child, ctx);
  }

  function visitFunction(node: SyntaxNode, decorators: SyntaxNode[], ctx: VisitCtx) {
    const parts = children(node);
    const nameNode = parts.find((part) => part.name === "VariableName");
    if (!nameNode) return;
    const name = textOf(nameNode, ctx.src);
    const ownerId = ctx.scope.kind === "class" ? ctx.scope.cls?.id : undefined;
    const flattened = ctx.src.outer !== undefined;
    const qualified = ownerId ? `${ownerId}.${name}` : ctx.scope.kind === "function" ? `${ctx.scope.id}.<locals>.${name}` : name;
    const fn = flattened ? findFlattened(ctx.scope, name) : functions.get(qualified);
    // Decorators and default values run when the def statement runs, in the enclosing scope.
    for (const decorator of decorators) visit(decorator, { ...ctx, place: `in a decorator ${ctx.place}` });
    const params = parts.find((part) => part.name === "ParamList");
    if (params) for (const item of children(params)) if (item.name !== "VariableName") visit(item, ctx);
    const body = parts.find((part) => part.name === "Body");
    if (!fn || !body) return;
    const place = ownerId ? `in ${ownerId}.${name}` : ctx.scope.kind === "function" ? `in ${name}, defined in ${ctx.scope.id}` : `in function ${name}`;
    visitChildren(body, { scope: fn.scope, src: ctx.src, attrib: flattened ? ctx.attrib : fn.id, place: flattened ? ctx.place : place, depth: ctx.depth });
  }

  function findFlattened(scope: Scope, name: string): FunctionInfo | undefined {
    return flattenedFns.get(scope)?.get(name);
  }

  function visitClass(node: SyntaxNode, decorators: SyntaxNode[], ctx: VisitCtx) {
    const parts = children(node);
    const nameNode = parts.find((part) => part.name === "VariableName");
    if (!nameNode) return;
    const name = textOf(nameNode, ctx.src);
    const ownerId = ctx.scope.kind === "class" ? ctx.scope.cls?.id : undefined;
    const id = ownerId ? `${ownerId}.${name}` : ctx.scope.kind === "function" ? `${ctx.scope.id}.<locals>.${name}` : name;
    const cls = classes.get(id);
    for (const decorator of decorators) visit(decorator, { ...ctx, place: `in a decorator ${ctx.place}` });
    const argList = parts.find((part) => part.name === "ArgList");
    if (argList) visit(argList, ctx);
    const body = parts.find((part) => part.name === "Body");
    if (!cls || !body) return;
    visitChildren(body, { scope: cls.scope, src: ctx.src, attrib: ctx.attrib, place: `in class ${name}'s body`, depth: ctx.depth });
  }

  function checkShadyLiteral(node: SyntaxNode, ctx: VisitCtx) {
    for (const text of strings(evalExpr(node, ctx))) {
      if (text.length > 4096) continue;
      for (const url of urlsIn(text)) {
        const host = hostOfUrl(url);
        const why = host && !isLocalHost(host) ? shadyHost(host) : undefined;
        if (host && why && !networkLines.has(lineAt(node, ctx.src))) emit("network", `names the address ${displayCode(url, 80)}, on ${why} (a kind of address malware sends data to or fetches payloads from)`, node, ctx);
      }
    }
  }

  function kwTrue(args: ParsedArgs, name: string, src: Source): boolean {
    const node = args.keywords.get(name);
    return node !== undefined && textOf(node, src) === "True";
  }

  function commandText(value: Val | undefined): string | undefined {
    if (!value) return undefined;
    for (const alt of value) {
      if (alt.t === "str") return alt.v;
      if (alt.t === "prefix" && alt.v.trim() !== "") return `${alt.v}…`;
      if (alt.t === "unknown" && alt.tail) return `…${alt.tail}`;
      if (alt.t === "seq") {
        const parts = alt.items.map((item) => {
          const one = item.length === 1 ? item[0] : undefined;
          return one?.t === "str" ? one.v : one?.t === "ref" ? one.v : one?.t === "num" ? String(one.v) : one?.t === "unknown" && one.tail ? `…${one.tail}` : "…";
        });
        return parts.join(" ");
      }
    }
    return undefined;
  }

  function describeCodeOrigin(o: number, host?: string): string {
    if (o & ORIGIN.downloaded) return `downloaded${host ? ` from ${host}` : ""}`;
    if (o & ORIGIN.marshal) return "unmarshalled (Python bytecode hidden in the file)";
    if (o & ORIGIN.decompressed) return "decompressed";
    return "decoded (base64, hex or rot13)";
  }

  function hostOfValue(value: Val): string | undefined {
    for (const alt of value) {
      const base = alt.t === "bound" ? alt.recv : alt;
      if ((base.t === "unknown" || base.t === "ref" || base.t === "str") && base.host) return base.host;
    }
    return undefined;
  }

  function inspectCall(node: SyntaxNode, ctx: VisitCtx) {
    const calleeNode = node.firstChild;
    if (!calleeNode) return;
    const callee = evalExpr(calleeNode, ctx);
    const args = parseArgs(node.lastChild, ctx.src);
    let judged = false;
    for (const alt of callee) {
      if (alt.t === "bound") {
        judged = inspectPathMethod(alt, args, node, ctx) || judged;
        continue;
      }
      if (alt.t !== "ref") continue;
      const name = canonical(alt.v);
      const hid = alt.hid ?? [];
      judged = inspectNamedCall(name, alt, args, node, ctx, hid) || judged;
    }
    if (!judged) {
      const hidden = hiddenBy(callee);
      const names = callee.filter((alt) => alt.t === "ref" && (alt.hid?.length ?? 0) > 0).map((alt) => canonical((alt as { v: string }).v));
      if (hidden.length > 0 && names.length > 0) emit("hidden-name", `reaches ${names.slice(0, 3).join(", ")} (${hidden.join("; ")}), a way code hides what it calls`, node, ctx, hidden);
    }
  }

  /** Returns true when the call was judged as a behaviour (so it is not also reported as a hidden name). */
  function inspectNamedCall(name: string, alt: Extract<Alt, { t: "ref" }>, args: ParsedArgs, node: SyntaxNode, ctx: VisitCtx, hid: string[]): boolean {
    const arg = (index: number, keyword = "") => positionalOrKeyword(args, index, keyword, ctx);
    const process = PROCESS_CALLS[name];
    if (process) {
      const command = commandText(arg(0, "args") ?? arg(0, "cmd") ?? arg(0, "command"));
      const lower = command?.toLowerCase() ?? "";
      const shell = process.shell || kwTrue(args, "shell", ctx.src);
      const tokens = lower.split(/\s+/);
      if (tokens.includes("install") && (tokens.some((t) => t === "pip" || t === "pip3" || t.endsWith("/pip") || t.endsWith("/pip3")) || tokens.includes("conda") || tokens.includes("mamba"))) {
        emit("install-packages", `installs Python packages (\`${displayCode(command ?? "", 100)}\`): installing runs the packages' own build and setup code`, node, ctx, hid);
        return true;
      }
      const fetches = lower.includes("curl ") || lower.includes("wget ") || lower.includes("invoke-webrequest") || lower.includes("iwr ");
      const runs = ["| sh", "|sh", "| bash", "|bash", "chmod +x", "chmod 7", "| python", "|python", "; sh ", "&& sh ", "&& ./", "; ./"].some((marker) => lower.includes(marker));
      if (fetches && runs) {
        emit("download-exec", `downloads a program or script and runs it (\`${displayCode(command ?? "", 100)}\`)`, node, ctx, hid);
        return true;
      }
      if (command && isVersionProbe(tokens)) {
        emit("probe", `runs \`${displayCode(command, 80)}\` to ask for a toolchain's or GPU's version`, node, ctx, hid);
        return true;
      }
      const quiet = [...["stdout", "stderr"].map((kw) => args.keywords.get(kw))].some((kwNode) => kwNode !== undefined && textOf(kwNode, ctx.src).includes("DEVNULL")) || lower.includes("/dev/null") || lower.includes(">nul");
      const detached = kwTrue(args, "start_new_session", ctx.src) || (args.keywords.get("creationflags") !== undefined && textOf(args.keywords.get("creationflags") as SyntaxNode, ctx.src).includes("DETACHED"));
      const how = [quiet ? "hiding its output" : "", detached ? "in a detached process" : ""].filter(Boolean).join(", ");
      const argv0 = (tokens[0] ?? "").split("/").pop() ?? "";
      const viaShell = ["sh", "bash", "zsh", "dash", "ksh", "cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh"].includes(argv0) && (tokens[1] === "-c" || tokens[1] === "/c" || tokens[1] === "-command");
      const what =
        viaShell && command
          ? `runs the shell command \`${displayCode(command.split(/\s+/).slice(2).join(" "), 100)}\` (through ${argv0})`
          : name === "pty.spawn"
          ? `spawns a terminal running ${command ? `\`${displayCode(command, 60)}\`` : "a program"}`
          : command
            ? shell
              ? `runs the shell command \`${displayCode(command, 100)}\``
              : `runs the program \`${displayCode(command, 100)}\``
            : shell
              ? "runs a shell command (which one is computed at run time)"
              : "runs another program (which one is computed at run time)";
      emit("shell", `${what}${how ? `, ${how}` : ""}${lower.includes("crontab") ? " (it edits your cron table: a command that runs on a schedule)" : ""}`, node, ctx, hid);
      return true;
    }
    const codeCall = CODE_CALLS[name];
    if (codeCall) {
      const code = arg(0, codeCall === "run-file" ? "path_name" : "source") ?? unknown();
      const o = originsOf(code);
      const host = hostOfValue(code);
      if (codeCall === "exec" || codeCall === "eval") {
        if (o & HIDDEN_CODE) {
          emit("exec-hidden", `executes code it has ${describeCodeOrigin(o, host)} (${name.replace("builtins.", "")})`, node, ctx, hid);
          readNestedCode(code, node, ctx, [`inside code that is ${describeCodeOrigin(o, host)} and then executed`]);
          return true;
        }
        const texts = strings(code);
        if (texts.length > 0) {
          readNestedCode(code, node, ctx, [`inside a code string given to ${name.replace("builtins.", "")}`]);
          if (o & ORIGIN.built) emit("hidden-name", `runs a code string it assembles from pieces (${name.replace("builtins.", "")}), a way code hides what it runs`, node, ctx, hid);
          else if (hid.length > 0) emit("hidden-name", `reaches ${name.replace("builtins.", "")} (${hid.join("; ")}), a way code hides what it runs`, node, ctx, hid);
          return true;
        }
        emit("dynamic-code", `runs a code string computed at run time (${name.replace("builtins.", "")}); the extension could not work out what it is`, node, ctx, hid);
        return true;
      }
      if (codeCall === "function" && o & HIDDEN_CODE) {
        emit("exec-hidden", `builds a function from bytecode it has ${describeCodeOrigin(o, host)}, and so runs it`, node, ctx, hid);
        return true;
      }
      // Weights the Hub serves, fetched by hand, are what hf_hub_download would have given: not hidden code.
      const fromHubOnly = (o & (ORIGIN.decoded | ORIGIN.decompressed)) === 0 && host !== undefined && isHubHost(host);
      if (codeCall === "unpickle" && o & (ORIGIN.decoded | ORIGIN.decompressed | ORIGIN.downloaded) && !kwTrue(args, "weights_only", ctx.src) && !fromHubOnly) {
        emit("exec-hidden", `unpickles data it has ${describeCodeOrigin(o, host)} (${name}): a pickle runs whatever code it names`, node, ctx, hid);
        return true;
      }
      if (codeCall === "run-file") {
        const target = strings(code)[0];
        if (name === "runpy.run_module" && (target === "pip" || target?.startsWith("pip."))) {
          emit("install-packages", "runs pip inside Python (runpy.run_module(\"pip\")): installing runs the packages' own build code", node, ctx, hid);
          return true;
        }
        if (o & ORIGIN.downloaded) emit("exec-hidden", `runs a Python file it has downloaded${host ? ` from ${host}` : ""} (${name})`, node, ctx, hid);
        else emit("dynamic-code", `runs the Python ${name === "runpy.run_module" ? "module" : "file"} ${target ? JSON.stringify(displayCode(target, 80)) : "named at run time"} (${name})`, node, ctx, hid);
        return true;
      }
    }
    if (name === "pip.main" || name.startsWith("pip._internal.") || name === "setuptools.sandbox.run_setup") {
      emit("install-packages", `installs Python packages with pip from inside Python (${name}): installing runs their build code`, node, ctx, hid);
      return true;
    }
    if (name === "torch.hub.load") {
      const source = strings(arg(2, "source") ?? [])[0];
      if (source !== "local") {
        const repo = strings(arg(0, "repo_or_dir") ?? [])[0];
        emit("exec-hidden", `downloads code from GitHub${repo ? ` (${displayCode(repo, 60)})` : ""} and runs its hubconf.py (torch.hub.load)`, node, ctx, hid);
        return true;
      }
    }
    if (name === "torch.hub.load_state_dict_from_url" || name === "torch.hub.download_url_to_file" || name === "torch.utils.model_zoo.load_url") {
      const host = hostOfCall(args, 0, ctx);
      if (host && !isHubHost(host) && !isWellKnownDownloadHost(host) && !isLocalHost(host)) emit("network", `downloads weights from ${host}${shadyHost(host) ? ` (${shadyHost(host)})` : ""}, which torch.load then unpickles`, node, ctx, hid);
      factsOf(ctx.attrib).downloads.push(host);
      return true;
    }
    const send = SENDS[name];
    if (send) {
      inspectSend(name, send.url, alt, args, node, ctx, hid);
      if (DOWNLOADS[name]) factsOf(ctx.attrib).downloads.push(DOWNLOADS[name].url === "kw-only" ? undefined : hostOfCall(args, DOWNLOADS[name].url, ctx));
      return true;
    }
    if (DOWNLOADS[name]) {
      factsOf(ctx.attrib).downloads.push(DOWNLOADS[name].url === "kw-only" ? undefined : hostOfCall(args, DOWNLOADS[name].url, ctx));
      return false;
    }
    if (name === "builtins.open") {
      const path = arg(0, "file") ?? unknown();
      const mode = strings(arg(1, "mode") ?? [str("r")]);
      const writes = mode.some((m) => m.includes("w") || m.includes("a") || m.includes("x") || m.includes("+"));
      return inspectPath(path, writes, node, ctx, hid);
    }
    if (["shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.move", "os.rename", "os.replace", "os.symlink", "os.link", "shutil.copytree"].includes(name)) {
      return inspectPath(arg(1, "dst") ?? unknown(), true, node, ctx, hid);
    }
    if (name.startsWith("winreg.") || name.startsWith("_winreg.")) {
      // OpenKey/CreateKey(…\CurrentVersion\Run): the key whose programs run at every login.
      const texts = args.positional.flatMap((p) => strings(evalExpr(p, ctx))).map((t) => t.toLowerCase());
      if (texts.some((t) => t.includes("currentversion\\run"))) {
        emit("write-outside", "opens the Windows registry's Run key, whose programs run at every login", node, ctx, hid);
        return true;
      }
    }
    if (name === "os.chmod" || name === "os.fchmod" || name === "os.lchmod" || name.endsWith(".chmod")) {
      if (makesExecutable(arg(1, "mode"), args.positional[1] ?? args.keywords.get("mode"), ctx)) {
        factsOf(ctx.attrib).chmodExec.push({ line: lineAt(node, ctx.src), code: displayCode(textOf(node, ctx.src)), place: ctx.place, hid });
      }
      return false;
    }
    if (name === "os.dup2") {
      factsOf(ctx.attrib).dup2 = true;
      return false;
    }
    if (name === "transformers.dynamic_module_utils.get_class_from_dynamic_module" || name === "transformers.dynamic_module_utils.get_cached_module_file") {
      const reference = strings(arg(0) ?? [])[0];
      emit("loads-code", `loads code from ${reference?.includes("--") ? `another repo (${displayCode(reference.split("--")[0] ?? "", 80)})` : "a repo named at run time"} with transformers' dynamic modules: that code runs too, and Hub Sentinel did not read it`, node, ctx, hid);
      return true;
    }
    if ((name === "setuptools.setup" || name === "distutils.core.setup") && args.keywords.has("cmdclass")) {
      emit("loads-code", "replaces pip's install or build step with its own code (setup cmdclass): it runs when someone pip-installs this folder", node, ctx, hid);
      return true;
    }
    if (kwTrue(args, "trust_remote_code", ctx.src)) {
      const repo = strings(arg(0) ?? [])[0];
      emit("loads-code", `loads ${repo ? displayCode(repo, 80) : "a repo named at run time"} with trust_remote_code=True: that repo's code runs too, and Hub Sentinel did not read it`, node, ctx, hid);
      return true;
    }
    return false;
  }

  function inspectSend(name: string, urlSpec: number | "ctor" | "socket" | "none", alt: Extract<Alt, { t: "ref" }>, args: ParsedArgs, node: SyntaxNode, ctx: VisitCtx, hid: string[]) {
    let host: string | undefined;
    if (typeof urlSpec === "number") host = hostOfCall(args, urlSpec, ctx);
    else if (urlSpec === "ctor") host = alt.host;
    else if (urlSpec === "socket") {
      const address = positionalOrKeyword(args, 0, "address", ctx) ?? unknown();
      for (const item of address) {
        if (item.t !== "seq") continue;
        const first = item.items[0] ? strings(item.items[0])[0] : undefined;
        if (first) host = hostOfUrl(first) ?? first.toLowerCase();
      }
      if (host) factsOf(ctx.attrib).connectHosts.push(host);
    } else if (name.startsWith("socket.socket().")) host = factsOf(ctx.attrib).connectHosts[0];
    let o = argOrigins(args, ctx);
    if (name === "socket.gethostbyname" || name === "socket.getaddrinfo") o &= ORIGIN.token | ORIGIN.environ | ORIGIN.credentials;
    if (host && (isHubHost(host) || isLocalHost(host))) return;
    const where = host ? host : "an address computed at run time";
    const shady = host ? shadyHost(host) : undefined;
    const whereWords = `${where}${shady ? ` (${shady})` : ""}`;
    if (o & (ORIGIN.environ | ORIGIN.credentials)) {
      const what = [o & ORIGIN.environ ? "the whole environment (every secret in it, the Hub token included)" : "", o & ORIGIN.credentials ? "the content of a credential file" : "", o & ORIGIN.token ? "a token" : ""].filter(Boolean).join(" and ");
      emit("exfiltrate", `sends ${what} to ${whereWords}`, node, ctx, hid);
      return;
    }
    if (o & ORIGIN.token) {
      if (host) emit("exfiltrate", `sends your Hugging Face token (or another secret from the environment) to ${whereWords}`, node, ctx, hid);
      else emit("reads-credentials", "sends a token from the environment to an address computed at run time; the extension could not tell whether it is the Hub's", node, ctx, hid);
      return;
    }
    if (o & ORIGIN.machine) {
      emit("network", `sends facts about your machine (host or user name) to ${whereWords}`, node, ctx, hid);
      return;
    }
    if (host && !isWellKnownDownloadHost(host)) emit("network", `contacts ${whereWords}`, node, ctx, hid);
  }

  function inspectPath(path: Val, writes: boolean, node: SyntaxNode, ctx: VisitCtx, hid: string[]): boolean {
    for (const prefix of prefixes(path)) {
      if (writes) {
        const where = persistencePath(prefix);
        if (where) {
          emit("write-outside", `writes to ${where} (${displayCode(prefix, 80)})`, node, ctx, hid);
          return true;
        }
      } else {
        const what = credentialPath(prefix);
        if (what) {
          emit("reads-credentials", `reads ${what} (${displayCode(prefix, 80)})`, node, ctx, hid);
          return true;
        }
      }
    }
    return false;
  }

  function inspectPathMethod(alt: Extract<Alt, { t: "bound" }>, args: ParsedArgs, node: SyntaxNode, ctx: VisitCtx): boolean {
    const recv = alt.recv;
    if (recv.t !== "str" && recv.t !== "prefix") return false;
    const path: Val = [recv];
    if (alt.name === "write_text" || alt.name === "write_bytes" || alt.name === "touch" || alt.name === "symlink_to") return inspectPath(path, true, node, ctx, []);
    if (alt.name === "open") {
      const mode = strings(positionalOrKeyword(args, 0, "mode", ctx) ?? [str("r")]);
      return inspectPath(path, mode.some((m) => m.includes("w") || m.includes("a") || m.includes("x") || m.includes("+")), node, ctx, []);
    }
    if (alt.name === "read_text" || alt.name === "read_bytes") return inspectPath(path, false, node, ctx, []);
    if (alt.name === "chmod" && makesExecutable(positionalOrKeyword(args, 0, "mode", ctx), args.positional[0], ctx)) {
      factsOf(ctx.attrib).chmodExec.push({ line: lineAt(node, ctx.src), code: displayCode(textOf(node, ctx.src)), place: ctx.place, hid: [] });
    }
    return false;
  }

  /** A mode with an execute bit: a number (0o755, 493, GuardDog's decimal 777), or stat's S_IX…, S_IEXEC and S_IRWX… names. */
  function makesExecutable(mode: Val | undefined, node: SyntaxNode | undefined, ctx: VisitCtx): boolean {
    if (mode?.some((alt) => alt.t === "num" && (alt.v & 0o111) !== 0)) return true;
    if (!node) return false;
    const text = textOf(node, ctx.src);
    return ["S_IXUSR", "S_IXGRP", "S_IXOTH", "S_IEXEC", "S_IRWXU", "S_IRWXG", "S_IRWXO"].some((flag) => text.includes(flag));
  }

  /** Code folded from a string (exec of a literal, a decoded payload): read as Python where it runs. */
  function readNestedCode(code: Val, node: SyntaxNode, ctx: VisitCtx, hid: string[]) {
    const depth = ctx.depth + 1;
    if (depth > limits.maxNestedDepth) return;
    for (const text of strings(code).slice(0, 2)) {
      const source = text.includes("\u0000") ? undefined : text;
      if (!source) continue;
      nestedChars += source.length;
      if (nestedChars > limits.maxNestedChars) return;
      const tree = parser.parse(source);
      let tooDeep = false;
      let level = 0;
      tree.iterate({
        enter() {
          level++;
          if (level > 200) {
            tooDeep = true;
            level--;
            return false;
          }
          return true;
        },
        leave() {
          level--;
        },
      });
      if (tooDeep) continue;
      const lineStarts = [0];
      for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
      const line = ctx.src.outer ? ctx.src.outer.line : lineOf(ctx.src.lineStarts, node.from);
      const src: Source = { text: source, lineStarts, id: sourceIds++, outer: { line, hid: [...(ctx.src.outer?.hid ?? []), ...hid], attrib: ctx.src.outer?.attrib ?? ctx.attrib, place: ctx.src.outer?.place ?? ctx.place } };
      const scope = newScope("module", ctx.attrib);
      scope.fallback = ctx.scope;
      const statements = children(tree.topNode);
      collectBody(statements, scope, ctx.attrib, src, true);
      for (const statement of statements) visit(statement, { scope, src, attrib: ctx.attrib, place: ctx.place, depth });
    }
  }

  function indexCalls(node: SyntaxNode, ctx: EvalCtx) {
    // Iterative walk: which calls go to the module's own functions, with the arguments they pass.
    const stack: { node: SyntaxNode; ctx: EvalCtx }[] = [{ node, ctx }];
    while (stack.length > 0) {
      const { node: current, ctx: currentCtx } = stack.pop() as { node: SyntaxNode; ctx: EvalCtx };
      step();
      let childCtx = currentCtx;
      if (current.name === "FunctionDefinition") {
        const nameNode = children(current).find((part) => part.name === "VariableName");
        const name = nameNode ? textOf(nameNode, currentCtx.src) : "";
        const ownerId = currentCtx.scope.kind === "class" ? currentCtx.scope.cls?.id : undefined;
        const qualified = ownerId ? `${ownerId}.${name}` : currentCtx.scope.kind === "function" ? `${currentCtx.scope.id}.<locals>.${name}` : name;
        const fn = functions.get(qualified);
        if (fn) childCtx = { scope: fn.scope, src: currentCtx.src };
      } else if (current.name === "ClassDefinition") {
        const nameNode = children(current).find((part) => part.name === "VariableName");
        const name = nameNode ? textOf(nameNode, currentCtx.src) : "";
        const ownerId = currentCtx.scope.kind === "class" ? currentCtx.scope.cls?.id : undefined;
        const id = ownerId ? `${ownerId}.${name}` : currentCtx.scope.kind === "function" ? `${currentCtx.scope.id}.<locals>.${name}` : name;
        const cls = classes.get(id);
        if (cls) childCtx = { scope: cls.scope, src: currentCtx.src };
      } else if (current.name === "CallExpression" && current.firstChild) {
        for (const alt of evalExpr(current.firstChild, currentCtx)) {
          if (alt.t !== "ref" || !alt.v.startsWith("@local.")) continue;
          const target = alt.v.slice(7);
          const cls = classes.get(target.endsWith("()") ? target.slice(0, -2) : target);
          const fn = cls ? findMethod(cls, "__init__", 0) : (functions.get(target) ?? methodOfRef(alt.v));
          if (!fn) continue;
          let list = callSites.get(fn.id);
          if (!list) {
            list = [];
            callSites.set(fn.id, list);
          }
          if (list.length < 16) list.push({ args: parseArgs(current.lastChild, currentCtx.src), ctx: currentCtx, dropFirst: false });
        }
      }
      // Only a definition's body runs in its own scope; its decorators, defaults and bases run where it is defined.
      for (let child = current.lastChild; child; child = child.prevSibling) stack.push({ node: child, ctx: child.name === "Body" ? childCtx : currentCtx });
    }
  }

  // -------------------------------------------------------------------------------------------

  const statements = children(tree.topNode);
  collectBody(statements, moduleScope, "<module>", rootSource, false);
  indexingCalls = true;
  for (const statement of statements) indexCalls(statement, { scope: moduleScope, src: rootSource });
  indexingCalls = false;
  exprMemo.clear();
  returnMemo.clear();
  for (const statement of statements) visit(statement, { scope: moduleScope, src: rootSource, attrib: "<module>", place: "at module level", depth: 0 });

  // Judgements that need two calls of one scope: a download then a chmod +x; a socket then dup2 and a shell.
  for (const [attrib, fact] of facts) {
    if (fact.chmodExec.length > 0 && fact.downloads.length > 0) {
      const host = fact.downloads.find((h) => h !== undefined);
      for (const chmod of fact.chmodExec) {
        const key = `download-exec|${chmod.line}`;
        if (behaviourKeys.has(key)) continue;
        behaviourKeys.add(key);
        behaviours.push({ kind: "download-exec", line: chmod.line, words: `downloads a file${host ? ` from ${host}` : ""} and makes it executable`, code: chmod.code, scope: attrib, place: chmod.place, ...(chmod.hid.length > 0 ? { hiddenBy: chmod.hid } : {}) });
      }
    }
    if (fact.dup2 && fact.connectHosts.length > 0) {
      for (const behaviour of behaviours) {
        if (behaviour.scope === attrib && behaviour.kind === "shell" && !behaviour.words.includes("reverse shell")) behaviour.words += `, wired to a network connection to ${fact.connectHosts[0] ?? "another host"} (a reverse shell)`;
      }
    }
  }

  const classSummaries: ClassSummary[] = [...classes.values()].map((cls) => ({
    name: cls.id,
    bases: cls.baseNodes.flatMap((node) =>
      refsOnly(evalExpr(node, { scope: cls.enclosing, src: cls.src }))
        .map((alt) => alt.v.split("()").join(""))
        .slice(0, 4),
    ),
    methods: [...cls.methods.keys()],
  }));
  return {
    behaviours: behaviours.sort((a, b) => a.line - b.line),
    imports,
    links: [...links.values()],
    classes: classSummaries,
    functions: [...functions.values()].map((fn) => ({ id: fn.id, line: fn.line, ...(fn.className ? { className: fn.className } : {}) })),
  };
}

/** String methods folded on known text (path methods such as expanduser leave it as is). */
const STRING_CASES = new Map<string, (s: string) => string>([
  ["lower", (s) => s.toLowerCase()],
  ["upper", (s) => s.toUpperCase()],
  ["strip", (s) => s.trim()],
  ["lstrip", (s) => s.trimStart()],
  ["rstrip", (s) => s.trimEnd()],
  ["casefold", (s) => s.toLowerCase()],
  ["swapcase", (s) => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("")],
]);

/**
 * `nvcc -V`, `nvidia-smi --query-gpu=…`, `git rev-parse HEAD`: custom-kernel modeling code (Qwen's
 * cpp_kernels, build helpers) asks a toolchain for its version at import. Only a known program, given
 * only version or query arguments, with no shell syntax, counts as such a probe.
 */
const PROBE_PROGRAMS = new Set(["nvcc", "nvidia-smi", "hipcc", "hipconfig", "rocm-smi", "rocminfo", "git", "gcc", "g++", "clang", "ninja", "cmake", "nproc", "lscpu"]);
const PROBE_WORDS = new Set(["rev-parse", "head", "describe", "version", "--short", "--tags", "--always"]);
function isVersionProbe(tokens: readonly string[]): boolean {
  const program = (tokens[0] ?? "").split("/").pop() ?? "";
  if (!PROBE_PROGRAMS.has(program) || (tokens[0] ?? "").startsWith("/tmp")) return false;
  return tokens.slice(1).every((token) => (token.startsWith("-") || PROBE_WORDS.has(token)) && ![";", "|", "&", "`", "$", ">", "<", "(", ")"].some((c) => token.includes(c)));
}

const SIMPLE_BUILTINS = new Set(["builtins.chr", "builtins.ord", "builtins.str"]);

/** chr, ord and str of folded values (also what map() applies to each item). */
function applySimpleBuiltin(name: string, value: Val): Val {
  if (name === "builtins.chr") return value.map((item) => (item.t === "num" && item.v >= 0 && item.v <= 0x10ffff ? str(String.fromCodePoint(item.v), item.o | ORIGIN.built) : { t: "unknown", o: originsOfAlt(item) }));
  if (name === "builtins.ord") return value.map((item) => (item.t === "str" && item.v.length >= 1 ? { t: "num", v: item.v.codePointAt(0) ?? 0, o: item.o } : { t: "unknown", o: originsOfAlt(item) }));
  return value.map((item) => (item.t === "num" ? str(String(item.v), item.o) : item));
}

/** The http(s) URLs in a string, each up to the first space or quote. */
function urlsIn(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf("://", from);
    if (at < 0 || out.length >= 4) return out;
    let start = at;
    while (start > 0 && /[a-z]/i.test(text[start - 1] ?? "")) start--;
    let end = at + 3;
    while (end < text.length && !" \t\n\"'<>`|;".includes(text[end] ?? " ")) end++;
    const scheme = text.slice(start, at).toLowerCase();
    if (scheme === "http" || scheme === "https" || scheme === "ftp" || scheme === "ws" || scheme === "wss") out.push(text.slice(start, end));
    from = end;
  }
}

function refsOnly(val: Val): Extract<Alt, { t: "ref" }>[] {
  return val.filter((alt): alt is Extract<Alt, { t: "ref" }> => alt.t === "ref");
}

function joinModule(module: string, name: string): string {
  return module.endsWith(".") || module === "" ? `${module}${name}` : `${module}.${name}`;
}

function joinPath(a: string, b: string): string {
  if (b.startsWith("/") || b.startsWith("~")) return b;
  if (a === "" || a === ".") return b;
  return a.endsWith("/") || a.endsWith("\\") ? `${a}${b}` : `${a}/${b}`;
}

function numeric(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case "-":
      return a - b;
    case "//":
      return b === 0 ? undefined : Math.floor(a / b);
    case "%":
      return b === 0 ? undefined : a % b;
    case "**":
      return a ** b;
    case "|":
      return a | b;
    case "&":
      return a & b;
    case "^":
      return a ^ b;
    case "<<":
      return a << b;
    case ">>":
      return a >> b;
    default:
      return undefined;
  }
}

export { ref as refValue };
