/**
 * Judges a chat template (Jinja) by its syntax tree, not by its text: does it reach for Python
 * internals, the way a sandbox escape must? A template is rendered by Jinja2 in transformers
 * (sandboxed) and, in some runtimes, unsandboxed (llama-cpp-python before 0.2.72: CVE-2024-34359,
 * "Llama Drama", a GGUF template that ran `os.popen`). Every known escape walks from some object
 * to its class, globals or builtins (`__class__`, `__mro__`, `__subclasses__`, `__globals__`,
 * `__builtins__`, `__import__`...), usually starting at a Jinja global that is a Python function
 * (`lipsum`, `cycler`, `joiner`, `self`, Flask's `url_for`/`get_flashed_messages`), and hides the
 * dunder names behind string building (`attr('__cla' ~ 'ss__')`, `x['__globals__']`).
 *
 * Benign templates of every popular family (Llama 3, ChatML/Qwen with tools, Mistral, Gemma, Phi,
 * DeepSeek) never touch any of that: they index messages, call string methods, `tojson`,
 * `namespace()`, `raise_exception()` and `strftime_now()`. So a hit here is an alarm, and the
 * absence of hits in a tree that parsed is a clean bill.
 *
 * The tree comes from `@huggingface/jinja`, the Hub's own template engine, through parseTemplate
 * (parse.ts, which reads string literals as Python's Jinja2 does). A template whose tokens were
 * read but whose structure the parser refused (a tag it does not know, a block left open) is
 * judged from its tokens, more strictly than from a tree: every name and string a template can
 * reach Python with is a token, so a dunder or mangled name, a string holding or building one
 * (`'__glo'`), `attr(...)` with anything but a plain safe name, a Jinja global's attributes, a
 * dangerous module or an executing call among them is a hit, and none of them is a clean bill
 * (`parsed: false`, with the parser's error). Only a template that cannot even be split into
 * tokens (an unterminated tag or string) is `unparseable`, and reported as not checked.
 */
import { parseTemplate, type TemplateTokens } from "./parse";
import { child, children, identifierName, isNode, operatorOf, printExpression, type TemplateNode } from "./tree";

export type TemplateHitKind =
  /** `x.__class__`, `x['__globals__']`, `x|attr('__mro__')`: a dunder (or name-mangled private) attribute. */
  | "dunder-attribute"
  /** `'__cla' ~ 'ss__'`, `map(attribute='__class__')`: a dunder name built or passed as a string. */
  | "dunder-string"
  /** `|attr(name)` with a name computed at render time: the usual way to hide the above. */
  | "computed-attribute"
  /** `lipsum.x`, `cycler.x`, `self.x`, `url_for.x`: attributes of a Jinja/Flask global that is a Python object. */
  | "escape-global"
  /** `x.popen(...)`, `x.system(...)`, `__import__` or `eval` calls: running commands or code. */
  | "code-execution";

export interface TemplateHit {
  kind: TemplateHitKind;
  /** The expression, printed back from the tree and truncated: untrusted text, to be rendered as text. */
  expression: string;
}

export type TemplateJudgement =
  /** `parsed: false`: judged from its tokens; `parseError` says what the parser refused. */
  | { verdict: "clean"; hits: []; parsed?: false; parseError?: string }
  | { verdict: "escapes"; hits: TemplateHit[]; parsed: boolean }
  | { verdict: "unparseable"; hits: []; error: string };

/** Longest expression text kept per hit; longer ones end in an ellipsis. */
export const MAX_EXPRESSION_CHARS = 160;
/** Hits kept per template: one is enough to judge it, a few help a person find them. */
export const MAX_HITS = 8;
export { MAX_TEMPLATE_CHARS } from "./parse";

const DUNDER = /^__\w+__$/;
/** Python's name mangling (`_TemplateReference__context`): private attributes reached from outside. */
const MANGLED = /^_[A-Za-z][A-Za-z0-9]*__\w+/;
/** Jinja2 and Flask globals that are Python functions or objects: their attributes lead to `__globals__`. */
const ESCAPE_GLOBALS = new Set(["lipsum", "cycler", "joiner", "self", "url_for", "get_flashed_messages", "request", "config"]);
/** The documented methods of the objects `cycler()`/`joiner()` return are not an escape; the functions themselves have none. */
const SAFE_GLOBAL_MEMBERS = new Set(["next", "reset", "current"]);
/** Names whose call runs a command or code, whatever object they hang off. */
const EXECUTING_MEMBERS = new Set(["popen", "system", "spawn", "spawnv", "execv", "execve", "check_output", "check_call", "getoutput", "getstatusoutput", "import_module", "load_module", "exec_module"]);
const EXECUTING_FUNCTIONS = new Set(["__import__", "eval", "exec", "compile", "open", "getattr", "setattr", "globals", "locals", "vars"]);
/** Modules a template can only name to run something. */
const DANGEROUS_MODULES = new Set(["os", "subprocess", "sys", "builtins", "importlib", "posix", "pty", "socket", "shutil"]);

function isDangerousName(name: string): boolean {
  return DUNDER.test(name) || MANGLED.test(name);
}

/** Does a string (folded from constants) name a dunder or mangled attribute, or hold one (`'x.__class__'`)? */
function holdsDangerousName(text: string): boolean {
  if (isDangerousName(text)) return true;
  return text.split(/[^\w]+/).some((part) => part.length > 4 && isDangerousName(part));
}

/** Nodes that are not expressions: an expression directly under one of them is "outermost". */
const STATEMENT_TYPES = new Set(["Program", "If", "For", "Set", "SetStatement", "Macro", "CallStatement", "FilterStatement", "Comment", "Break", "Continue"]);

type Node = TemplateNode;

export function judgeTemplate(template: string): TemplateJudgement {
  const parsed = parseTemplate(template);
  if (!parsed.ok && parsed.stage === "lex") return { verdict: "unparseable", hits: [], error: parsed.error };
  if (!parsed.ok) {
    const hits = hitsInTokens(parsed.tokens);
    if (hits.length > 0) return { verdict: "escapes", hits, parsed: false };
    return { verdict: "clean", hits: [], parsed: false, parseError: parsed.error };
  }
  const hits = hitsInTree(parsed.program);
  return hits.length > 0 ? { verdict: "escapes", hits, parsed: true } : { verdict: "clean", hits: [] };
}

/** Walks every node; constants assigned with `{% set %}` are followed, so `x[name]` with a built name is seen. */
function hitsInTree(program: unknown): TemplateHit[] {
  const hits: TemplateHit[] = [];
  const seen = new Set<string>();
  const constants = new Map<string, string>();
  const bound = new Set<string>();

  /** The outermost expression around the current node: what a person can find in the template. */
  let outermost: Node | undefined;

  function add(kind: TemplateHitKind, node: Node) {
    const whole = outermost ? printExpression(outermost) : "";
    const expression = truncate(whole.length > 0 && whole.length <= MAX_EXPRESSION_CHARS ? whole : printExpression(node));
    const key = `${kind}:${expression}`;
    if (seen.has(key) || hits.length >= MAX_HITS) return;
    seen.add(key);
    hits.push({ kind, expression });
  }

  /** The string a constant expression folds to: literals, `+`/`~` of constants, `{% set %}` constants, `|join` of a list of them. */
  function fold(node: Node | undefined, depth = 0): string | undefined {
    if (!node || depth > 50) return undefined;
    if (node.type === "StringLiteral" && typeof node.value === "string") return node.value;
    if (node.type === "Identifier" && typeof node.value === "string") return constants.get(node.value);
    if (node.type === "BinaryExpression") {
      const operator = operatorOf(node);
      if (operator !== "+" && operator !== "~") return undefined;
      const left = fold(child(node, "left"), depth + 1);
      const right = fold(child(node, "right"), depth + 1);
      return left !== undefined && right !== undefined ? left + right : undefined;
    }
    if (node.type === "FilterExpression") {
      const filter = child(node, "filter");
      const name = identifierName(filter) ?? identifierName(filter?.type === "CallExpression" ? child(filter, "callee") : undefined);
      const operand = child(node, "operand");
      if (name === "join" && operand?.type === "ArrayLiteral") {
        const parts = children(operand, "value").map((part) => fold(part, depth + 1));
        return parts.every((part): part is string => part !== undefined) ? parts.join("") : undefined;
      }
      if (name === "lower" || name === "upper" || name === "string" || name === "trim") return fold(operand, depth + 1);
    }
    return undefined;
  }

  function visit(node: Node, depth: number, inText: boolean, parentIsStatement: boolean) {
    if (depth > 400) return;
    const statement = STATEMENT_TYPES.has(node.type);
    const outer = outermost;
    if (parentIsStatement && !statement) outermost = node;
    switch (node.type) {
      case "SetStatement":
      case "Set": {
        const assignee = child(node, "assignee");
        const name = identifierName(assignee);
        const value = child(node, "value");
        if (name !== undefined) {
          bound.add(name);
          const folded = fold(value);
          if (folded !== undefined) constants.set(name, folded);
          else constants.delete(name);
        }
        break;
      }
      case "For": {
        const loopvar = child(node, "loopvar");
        for (const name of [identifierName(loopvar), ...(loopvar?.type === "TupleLiteral" ? children(loopvar, "value").map(identifierName) : [])]) {
          if (name !== undefined) bound.add(name);
        }
        break;
      }
      case "Macro": {
        const name = identifierName(child(node, "name"));
        if (name !== undefined) bound.add(name);
        for (const arg of children(node, "args")) {
          const argName = identifierName(arg) ?? identifierName(child(arg, "key"));
          if (argName !== undefined) bound.add(argName);
        }
        break;
      }
      case "MemberExpression": {
        const property = child(node, "property");
        const object = child(node, "object");
        const name = node.computed === true ? fold(property) : identifierName(property);
        if (name !== undefined && isDangerousName(name)) add("dunder-attribute", node);
        const base = identifierName(object);
        if (base !== undefined && !bound.has(base) && ESCAPE_GLOBALS.has(base) && !(name !== undefined && SAFE_GLOBAL_MEMBERS.has(name))) add("escape-global", node);
        if (base !== undefined && !bound.has(base) && DANGEROUS_MODULES.has(base)) add("code-execution", node);
        break;
      }
      case "CallExpression": {
        const callee = child(node, "callee");
        const calleeName = identifierName(callee);
        if (calleeName !== undefined && EXECUTING_FUNCTIONS.has(calleeName) && !bound.has(calleeName)) add("code-execution", node);
        if (callee?.type === "MemberExpression" && callee.computed !== true) {
          const member = identifierName(child(callee, "property"));
          if (member !== undefined && EXECUTING_MEMBERS.has(member)) add("code-execution", node);
        }
        break;
      }
      case "FilterExpression": {
        const filter = child(node, "filter");
        if (filter?.type === "CallExpression" && identifierName(child(filter, "callee")) === "attr") {
          const [argument] = children(filter, "args");
          const name = fold(argument);
          if (name === undefined) add("computed-attribute", node);
          else if (isDangerousName(name)) add("dunder-attribute", node);
        }
        break;
      }
      case "BinaryExpression": {
        // Only a built string counts: `'__cla' ~ 'ss__'`. A plain literal is checked where it is used.
        const folded = fold(node);
        if (folded !== undefined && holdsDangerousName(folded)) add("dunder-string", node);
        break;
      }
      case "StringLiteral": {
        // Text between tags parses as a StringLiteral in the program body: prose may mention `__init__`.
        if (!inText && typeof node.value === "string" && holdsDangerousName(node.value)) add("dunder-string", node);
        break;
      }
      case "Identifier": {
        if (typeof node.value === "string" && isDangerousName(node.value) && !bound.has(node.value)) add("dunder-attribute", node);
        break;
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "type" || key === "operator") continue;
      // A member's property name is judged with its member; a bare identifier there is not a variable.
      if (node.type === "MemberExpression" && key === "property" && node.computed !== true) continue;
      if (node.type === "KeywordArgumentExpression" && key === "key") continue;
      if (node.type === "Macro" && key === "name") continue;
      const bodyText = key === "body" || key === "alternate" || key === "defaultBlock";
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item, depth + 1, bodyText, statement);
      } else if (value instanceof Map) {
        for (const [entryKey, entryValue] of value as Map<unknown, unknown>) {
          if (isNode(entryKey)) visit(entryKey, depth + 1, false, statement);
          if (isNode(entryValue)) visit(entryValue, depth + 1, false, statement);
        }
      } else if (isNode(value)) {
        visit(value, depth + 1, false, statement);
      }
    }
    outermost = outer;
  }

  for (const statement of isNode(program) ? children(program, "body") : []) visit(statement, 0, true, true);
  return hits;
}

/**
 * The judge for a template the parser refused, from its tokens alone (text between tags is one
 * Text token and is not looked at). Without the tree there is no telling a bound variable from a
 * global, nor what a computed name folds to, so each of the tree's checks is made on the tokens
 * around a name, erring towards a hit.
 */
function hitsInTokens(tokens: TemplateTokens): TemplateHit[] {
  const hits: TemplateHit[] = [];
  const seen = new Set<string>();
  const typeAt = (index: number) => tokens[index]?.type;
  tokens.forEach((token, index) => {
    if (hits.length >= MAX_HITS) return;
    const value = token.value;
    const afterDot = typeAt(index - 1) === "Dot";
    const called = typeAt(index + 1) === "OpenParen";
    const member = typeAt(index + 1) === "Dot" || typeAt(index + 1) === "OpenSquareBracket";
    let kind: TemplateHitKind | undefined;
    if (token.type === "Identifier" && isDangerousName(value)) kind = "dunder-attribute";
    // A string holding a dunder, or a piece of one (`'__glo' ~ 'bals__'`): no honest template builds those.
    else if (token.type === "StringLiteral" && (holdsDangerousName(value) || value.includes("__"))) kind = "dunder-string";
    else if (token.type === "Identifier" && value === "attr" && called && !(typeAt(index + 2) === "StringLiteral" && typeAt(index + 3) === "CloseParen")) kind = "computed-attribute";
    else if (token.type === "Identifier" && !afterDot && member && ESCAPE_GLOBALS.has(value) && !SAFE_GLOBAL_MEMBERS.has(tokens[index + 2]?.value ?? "")) kind = "escape-global";
    else if (token.type === "Identifier" && !afterDot && member && DANGEROUS_MODULES.has(value)) kind = "code-execution";
    else if (token.type === "Identifier" && afterDot && called && EXECUTING_MEMBERS.has(value)) kind = "code-execution";
    else if (token.type === "Identifier" && !afterDot && called && EXECUTING_FUNCTIONS.has(value)) kind = "code-execution";
    if (kind === undefined) return;
    const expression = truncate(tagAround(tokens, index));
    const key = `${kind}:${expression}`;
    if (seen.has(key)) return;
    seen.add(key);
    hits.push({ kind, expression });
  });
  return hits;
}

const WORDLIKE = new Set(["Identifier", "NumericLiteral", "StringLiteral"]);

/** The tokens of the `{{ … }}` or `{% … %}` around a token, printed back: the part of the template a person can find. */
function tagAround(tokens: TemplateTokens, index: number): string {
  let start = index;
  while (start > 0 && tokens[start - 1]?.type !== "OpenExpression" && tokens[start - 1]?.type !== "OpenStatement" && index - start < 40) start--;
  let end = index;
  while (end < tokens.length - 1 && tokens[end + 1]?.type !== "CloseExpression" && tokens[end + 1]?.type !== "CloseStatement" && end - index < 40) end++;
  let out = "";
  let previous: string | undefined;
  for (const token of tokens.slice(start, end + 1)) {
    const text = token.type === "StringLiteral" ? `'${token.value}'` : token.value;
    const spaced = (previous !== undefined && WORDLIKE.has(previous) && WORDLIKE.has(token.type)) || token.type.endsWith("BinaryOperator") || (previous?.endsWith("BinaryOperator") ?? false);
    out += spaced && out.length > 0 ? ` ${text}` : text;
    previous = token.type;
  }
  return out;
}


function truncate(text: string): string {
  // Control and bidi characters would let a hostile template reorder what a person reads.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const plain = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, " ");
  return plain.length > MAX_EXPRESSION_CHARS ? `${plain.slice(0, MAX_EXPRESSION_CHARS - 1)}…` : plain;
}

