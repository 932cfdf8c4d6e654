/**
 * Compares a derived repo's chat template with its base model's (issue 26), by their syntax trees
 * (`@huggingface/jinja`'s parser), not their text: what does the derived template make the model
 * read, or branch on, that the base's never does? A poisoned template (Pillar Security, 2025)
 * keeps the weights and the Python-free sandbox intact and still steers every answer: a hidden
 * instruction in the system block, a link to recommend, or a branch that fires only when the
 * user's message holds a trigger word.
 *
 * What counts as added:
 * - literal text the model reads (text between tags, strings that are output or assigned) whose
 *   words the base does not have in that order: natural-language instructions, links, e-mail,
 *   crypto and phone addresses; special tokens or punctuation alone are `markup`;
 * - tests on the content of messages (`'word' in message['content']`, `startswith`, `endswith`,
 *   `lower`/`upper` then `in`, `==`, regex-like filters and tests, `select('search', …)`) that the
 *   base does not make, keyed by the operation and the literal it looks for;
 * - conditions that read an input (a variable the renderer supplies, or a function such as
 *   `strftime_now`) the base never reads.
 *
 * What does not: whitespace and `{%-`/`-%}` trimming (text is compared as tokens), comments, quote
 * style (literal values are compared), renamed variables (bound names are not inputs), strings split
 * or joined differently and branches reordered (text is covered by n-grams found anywhere in the
 * base, tests by their key), a dropped `{{ bos_token }}` (llama.cpp adds BOS itself), and anything
 * the derived template drops (reported as `dropped`, never as an addition). Strings that are only
 * compared with (`message['role'] == 'system'`), indexed with, passed to `raise_exception` or to
 * `strftime_now` are not text the model reads.
 *
 * The parser is the judge's (parse.ts): strings are read as Python's Jinja2 reads them, backslash
 * line continuations and all, so both see the same tree.
 */
import { MAX_TEMPLATE_CHARS, parseTemplate } from "./parse";
import { child, children, identifierName, isNode, operatorOf, printExpression, type TemplateNode } from "./tree";

export type AdditionKind =
  /** Natural-language text the base does not have. */
  | "instruction"
  /** A URL or a domain name. */
  | "link"
  /** An e-mail, crypto-currency or phone address. */
  | "address"
  /** A test on what a message says (`'word' in message.content`, `startswith`, a regex filter…). */
  | "content-branch"
  /** A condition on an input the base never reads. */
  | "input-branch"
  /** Special tokens, punctuation or numbers only: no words. */
  | "markup";

/** Where the addition sits: outside the loop over messages (the system block), in it, in the generation prompt, or in a macro. */
export type TemplatePlace = "system" | "messages" | "generation" | "macro";

export interface TemplateAddition {
  kind: AdditionKind;
  place: TemplatePlace;
  /** The derived template's line (its text, or the condition printed back), cleaned for display: untrusted text. */
  derived: string;
  /** The base line most like it; undefined when nothing in the base resembles it. */
  base?: string;
  /** The added part itself (the new words, the link, the trigger). */
  added: string;
}

export type TemplateComparison =
  /** The same template, or one that differs only in whitespace, comments, quotes, variable names or a dropped bos_token. */
  | { status: "same" }
  /**
   * Written differently. `additions` empty and `dropped` empty: reformatted only. `dropped`: lines of
   * the base's text the derived one no longer has (a few; `moreDropped` counts the rest).
   */
  | { status: "changed"; additions: TemplateAddition[]; moreAdditions: number; dropped: string[]; moreDropped: number }
  | { status: "unparseable"; side: "derived" | "base"; error: string };

/** Kinds that make the `template-changed` finding a warning. */
export const SEVERE_ADDITIONS: ReadonlySet<AdditionKind> = new Set(["instruction", "link", "address", "content-branch", "input-branch"]);

/** Additions kept per comparison, most severe first; enough for a person to judge. */
export const MAX_ADDITIONS = 6;
const MAX_DROPPED = 3;
/** Longest line shown; longer ones are cut around the addition. */
export const MAX_LINE_CHARS = 200;
const MAX_DEPTH = 400;

/** The syntax tree the comparison walks; throws when the template's structure does not parse. */
export function parseForComparison(text: string): unknown {
  const parsed = parseTemplate(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.program;
}

export function isSevere(kind: AdditionKind): boolean {
  return SEVERE_ADDITIONS.has(kind);
}

/** Is the comparison's outcome one that adds something the base does not have that a model would follow? */
export function hasSevereAdditions(comparison: TemplateComparison): boolean {
  return comparison.status === "changed" && comparison.additions.some((addition) => isSevere(addition.kind));
}

export function compareTemplates(derived: string, base: string): TemplateComparison {
  if (derived === base) return { status: "same" };
  const derivedFeatures = featuresOf(derived);
  if ("error" in derivedFeatures) return { status: "unparseable", side: "derived", error: derivedFeatures.error };
  const baseFeatures = featuresOf(base);
  if ("error" in baseFeatures) return { status: "unparseable", side: "base", error: baseFeatures.error };
  return compareFeatures(derivedFeatures, baseFeatures);
}

/**
 * The best of several base templates (a base may carry `default`, `tool_use`, `rag`…): the one of
 * the same name when it explains everything, else the one with the fewest severe additions, then
 * the fewest additions. `baseName` says which was used.
 */
export function compareWithBestBase(
  derived: { name: string; text: string },
  bases: readonly { name: string; text: string }[],
): { comparison: TemplateComparison; baseName: string } | undefined {
  if (bases.length === 0) return undefined;
  const derivedFeatures = featuresOf(derived.text);
  let best: { comparison: TemplateComparison; baseName: string; rank: number[] } | undefined;
  const ordered = [...bases].sort((a, b) => Number(b.name === derived.name) - Number(a.name === derived.name));
  for (const base of ordered) {
    const comparison =
      derived.text === base.text
        ? ({ status: "same" } as const)
        : "error" in derivedFeatures
          ? ({ status: "unparseable", side: "derived", error: derivedFeatures.error } as const)
          : (() => {
              const baseFeatures = featuresOf(base.text);
              return "error" in baseFeatures ? ({ status: "unparseable", side: "base", error: baseFeatures.error } as const) : compareFeatures(derivedFeatures, baseFeatures);
            })();
    const rank = rankOf(comparison);
    if (!best || lexicographicallyLess(rank, best.rank)) best = { comparison, baseName: base.name, rank };
    if (comparison.status === "same") break;
  }
  return best && { comparison: best.comparison, baseName: best.baseName };
}

/** Lower is better: same, then reformatted, then drops only, then markup, then severe additions; an unparseable base last but one, an unparseable derived last. */
function rankOf(comparison: TemplateComparison): number[] {
  if (comparison.status === "same") return [0, 0, 0];
  if (comparison.status === "unparseable") return [comparison.side === "base" ? 3 : 4, 0, 0];
  const severe = comparison.additions.filter((addition) => isSevere(addition.kind)).length;
  const all = comparison.additions.length + comparison.moreAdditions;
  return [severe > 0 ? 2 : 1, severe, all * 1000 + comparison.dropped.length + comparison.moreDropped];
}

function lexicographicallyLess(a: number[], b: number[]): boolean {
  for (let index = 0; index < a.length; index++) {
    const left = a[index] ?? 0;
    const right = b[index] ?? 0;
    if (left !== right) return left < right;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Text tokens

type TokenKind = "word" | "url" | "domain" | "email" | "special" | "number" | "punct";
interface TextToken {
  /** Lower-cased: a change of case is not new text. */
  value: string;
  kind: TokenKind;
  start: number;
  end: number;
}

/** Top-level domains that make `word.word` a link (file names such as `config.json` are not). */
const LINK_TLDS = new Set(
  "com net org io ai dev app xyz info biz co me ru cn top site online link click sh gg ly to tk ml ga cf us uk de fr it es nl eu ca au in jp kr br pl cz ch se no fi dk be at pt gr tr ir ua kz by su vn id th my sg ph hk tw nz za mx ar cl pe ve news live store shop page blog cloud tech space fun lol money finance bank pro mobi name tv cc ws bz la pw icu vip win bet casino crypto eth".split(" "),
);

const TOKEN_PATTERN = new RegExp(
  [
    /(?<url>(?:https?|ftp):\/\/[^\s'"<>`]+|www\.[^\s'"<>`]+)/u.source,
    /(?<email>[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)/u.source,
    // Special tokens: <|im_start|>, <｜Assistant｜>, <start_of_turn>, </s>, [INST], <<SYS>>.
    /(?<special><\|[^|<>\s]{1,48}\|>|<｜[^｜<>]{1,48}｜>|<<\/?[A-Z_]{2,16}>>|<\/?[A-Za-z_][\w:.-]{0,48}\/?>|\[\/?[A-Z][A-Z_]{1,30}\])/u.source,
    /(?<domain>(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,24}(?:\/[^\s'"<>`]*)?)/u.source,
    /(?<number>\p{N}+)/u.source,
    /(?<word>[\p{L}\p{M}\p{N}_]+)/u.source,
    /(?<punct>[^\s\p{L}\p{N}])/u.source,
  ].join("|"),
  "gu",
);

function tokensOf(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const groups = match.groups ?? {};
    const kind = (["url", "email", "special", "domain", "number", "word", "punct"] as const).find((name) => groups[name] !== undefined) ?? "punct";
    const start = match.index;
    const raw = match[0];
    let value = raw.toLowerCase();
    let resolved: TokenKind = kind;
    if (kind === "domain") {
      // `config.json` is a file name; `evil.example.com` is a place to send people.
      const host = value.split("/")[0] ?? value;
      const tld = host.slice(host.lastIndexOf(".") + 1);
      if (!LINK_TLDS.has(tld)) resolved = "word";
    }
    if (kind === "url" || kind === "domain") value = value.replace(/[.,;:!?)\]]+$/, "");
    tokens.push({ value, kind: resolved, start, end: start + raw.length });
  }
  return tokens;
}

function isWord(token: TextToken): boolean {
  return token.kind === "word" && /\p{L}.*\p{L}/u.test(token.value);
}

// ---------------------------------------------------------------------------------------------
// Features of one template: its text fragments, its tests and its inputs

interface Fragment {
  text: string;
  tokens: TextToken[];
  place: TemplatePlace;
}

interface BranchTest {
  kind: "content-branch" | "input-branch";
  /** What makes two tests the same: the operation and the literals it looks for, or the input read. */
  key: string;
  printed: string;
  place: TemplatePlace;
  /** The input an input-branch reads. */
  input?: string;
}

interface Features {
  fragments: Fragment[];
  tests: BranchTest[];
  /** Every free name the template reads anywhere. */
  inputs: Set<string>;
  canonical: string;
}

type Node = TemplateNode;
function stringValue(node: Node | undefined): string | undefined {
  return node?.type === "StringLiteral" && typeof node.value === "string" ? node.value : undefined;
}
/** A filter's or test's name, whether called (`select('x')`) or not (`trim`). */
function calleeName(node: Node | undefined): string | undefined {
  return identifierName(node) ?? (node?.type === "CallExpression" ? identifierName(child(node, "callee")) : undefined);
}
function callArgs(node: Node | undefined): Node[] {
  return node?.type === "CallExpression" ? children(node, "args") : [];
}

/** Names Jinja (or every chat-template renderer) defines: reading them is not reading an input. */
const JINJA_NAMES = new Set(["loop", "namespace", "range", "raise_exception", "true", "false", "none", "True", "False", "None", "dict", "lipsum", "cycler", "joiner", "caller", "varargs", "kwargs", "self"]);
/** Properties of a message whose value is what someone wrote. */
const CONTENT_PROPERTIES = new Set(["content", "reasoning_content", "thinking", "text"]);
/** Methods that test a string (the call is a condition on it). */
const TEST_METHODS = new Set(["startswith", "endswith", "find", "rfind", "index", "rindex", "count", "match", "search", "fullmatch", "contains", "__contains__"]);
/** Filters and tests that search a string. */
const SEARCH_FILTERS = new Set(["match", "search", "regex_search", "regex_match", "regex_findall", "regex_replace", "contains", "in", "equalto", "eq", "==", "sameas", "startingwith", "endingwith", "startswith", "endswith"]);
const SELECTING_FILTERS = new Set(["select", "reject", "selectattr", "rejectattr"]);
const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">=", "in", "not in", "is", "is not"]);
/** String methods whose arguments are looked for, not output. */
const NON_OUTPUT_METHODS = new Set([...TEST_METHODS, "split", "rsplit", "strip", "lstrip", "rstrip", "removeprefix", "removesuffix", "partition", "rpartition", "items", "keys", "values", "splitlines"]);
/** Functions whose arguments never reach the model: an error message, a date format. */
const NON_OUTPUT_FUNCTIONS = new Set(["raise_exception", "strftime_now", "range"]);
/** Filters whose arguments may become output. */
const OUTPUT_FILTERS = new Set(["join", "default", "d", "format", "replace", "center", "wordwrap", "truncate"]);

interface WalkContext {
  output: boolean;
  condition: boolean;
  place: TemplatePlace;
  depth: number;
  /** The If or For whose condition this is, for printing the branch. */
  conditionOf?: "if" | "for" | "ternary";
}

function featuresOf(text: string): Features | { error: string } {
  if (text.length > MAX_TEMPLATE_CHARS) return { error: `the template is ${text.length} characters long, more than the ${MAX_TEMPLATE_CHARS} the extension parses` };
  let program: unknown;
  try {
    program = parseForComparison(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { error: message.length > 200 ? `${message.slice(0, 199)}…` : message };
  }
  if (!isNode(program)) return { error: "the parser returned no program" };
  const body = children(program, "body");
  const bound = boundNames(body);
  const { messageNames, contentNames } = messageAndContentNames(body);

  const fragments: Fragment[] = [];
  const tests: BranchTest[] = [];
  const inputs = new Set<string>();
  const testKeys = new Set<string>();

  const isMessageish = (node: Node | undefined): boolean => {
    const root = rootOf(node);
    return root !== undefined && messageNames.has(root.name);
  };
  const isContentish = (node: Node | undefined): boolean => {
    const root = rootOf(node);
    if (!root) return false;
    if (contentNames.has(root.name)) return true;
    return messageNames.has(root.name) && root.properties.some((name) => CONTENT_PROPERTIES.has(name));
  };

  function addTest(test: BranchTest) {
    const key = `${test.kind}:${test.key}`;
    if (testKeys.has(key)) return;
    testKeys.add(key);
    tests.push(test);
  }

  function contentTest(node: Node, ctx: WalkContext, operation: string, literals: (string | undefined)[]) {
    const words = literals.filter((value): value is string => value !== undefined && value.trim() !== "");
    addTest({ kind: "content-branch", key: `${operation}:${words.map((word) => word.toLowerCase()).join(GRAM)}`, printed: branchText(node, ctx), place: ctx.place });
  }

  function readName(name: string, node: Node, ctx: WalkContext) {
    if (bound.has(name) || JINJA_NAMES.has(name)) return;
    inputs.add(name);
    if (ctx.condition) addTest({ kind: "input-branch", key: name, printed: branchText(conditionRoot ?? node, ctx), place: ctx.place, input: name });
  }

  /** The whole condition being walked, for printing the branch an input is read in. */
  let conditionRoot: Node | undefined;

  function visitBody(statements: Node[], ctx: WalkContext) {
    for (const statement of statements) visitStatement(statement, ctx);
  }

  function visitCondition(node: Node | undefined, ctx: WalkContext, conditionOf: "if" | "for" | "ternary") {
    if (!node) return;
    const outer = conditionRoot;
    conditionRoot = node;
    visitExpression(node, { ...ctx, output: false, condition: true, conditionOf, depth: ctx.depth + 1 });
    conditionRoot = outer;
  }

  function visitStatement(node: Node, ctx: WalkContext) {
    if (ctx.depth > MAX_DEPTH) return;
    const next = { ...ctx, depth: ctx.depth + 1 };
    switch (node.type) {
      case "Comment":
      case "Break":
      case "Continue":
        return;
      case "If": {
        const test = child(node, "test");
        visitCondition(test, next, "if");
        const place = mentions(test, "add_generation_prompt") ? "generation" : ctx.place;
        visitBody(children(node, "body"), { ...next, place });
        visitBody(children(node, "alternate"), next);
        return;
      }
      case "For": {
        const iterable = child(node, "iterable");
        let loopPlace = ctx.place;
        if (iterable?.type === "SelectExpression") {
          visitExpression(child(iterable, "lhs"), { ...next, output: true, condition: false });
          visitCondition(child(iterable, "test"), next, "for");
          if (isMessageish(child(iterable, "lhs"))) loopPlace = "messages";
        } else {
          visitExpression(iterable, { ...next, output: true, condition: false });
          if (isMessageish(iterable)) loopPlace = "messages";
        }
        visitBody(children(node, "body"), { ...next, place: loopPlace });
        visitBody(children(node, "defaultBlock"), next);
        return;
      }
      case "Set":
      case "SetStatement": {
        const assignee = child(node, "assignee");
        // `{% set ns.x = … %}`: the namespace object is read, the attribute is written.
        if (assignee?.type === "MemberExpression") visitExpression(child(assignee, "object"), { ...next, output: false, condition: false });
        visitExpression(child(node, "value"), { ...next, output: true, condition: false });
        visitBody(children(node, "body"), next);
        return;
      }
      case "Macro": {
        for (const arg of children(node, "args")) if (arg.type === "KeywordArgumentExpression") visitExpression(child(arg, "value"), { ...next, output: true, condition: false });
        visitBody(children(node, "body"), { ...next, place: "macro" });
        return;
      }
      case "CallStatement": {
        visitExpression(child(node, "call"), { ...next, output: true, condition: false });
        visitBody(children(node, "body"), next);
        return;
      }
      case "FilterStatement": {
        visitExpression(child(node, "filter"), { ...next, output: false, condition: false });
        visitBody(children(node, "body"), next);
        return;
      }
      default:
        // An expression statement: `{{ … }}`, or text between tags (a StringLiteral).
        visitExpression(node, { ...next, output: true, condition: false });
    }
  }

  function visitExpression(node: Node | undefined, ctx: WalkContext) {
    if (!node || ctx.depth > MAX_DEPTH) return;
    const next = { ...ctx, depth: ctx.depth + 1 };
    const quiet = { ...next, output: false };
    switch (node.type) {
      case "StringLiteral": {
        const value = stringValue(node);
        if (ctx.output && value !== undefined && value.trim() !== "") fragments.push({ text: value, tokens: tokensOf(value), place: ctx.place });
        return;
      }
      case "Identifier": {
        const name = identifierName(node);
        if (name !== undefined) readName(name, node, ctx);
        return;
      }
      case "MemberExpression": {
        visitExpression(child(node, "object"), next);
        if (node.computed === true) visitExpression(child(node, "property"), quiet);
        return;
      }
      case "CallExpression": {
        const callee = child(node, "callee");
        const args = children(node, "args");
        if (callee?.type === "MemberExpression" && callee.computed !== true) {
          const method = identifierName(child(callee, "property")) ?? "";
          visitExpression(child(callee, "object"), next);
          if (TEST_METHODS.has(method) && isContentish(child(callee, "object"))) contentTest(node, ctx, method, args.map(foldString));
          args.forEach((arg, index) => {
            const output = ctx.output && !NON_OUTPUT_METHODS.has(method) && !(method === "replace" && index === 0) && !(method === "get" && index === 0);
            visitArgument(arg, { ...next, output });
          });
          return;
        }
        const name = identifierName(callee);
        if (name !== undefined) readName(name, callee ?? node, ctx);
        else visitExpression(callee, quiet);
        const output = ctx.output && !(name !== undefined && NON_OUTPUT_FUNCTIONS.has(name));
        for (const arg of args) visitArgument(arg, { ...next, output });
        return;
      }
      case "FilterExpression": {
        const operand = child(node, "operand");
        const filter = child(node, "filter");
        const name = calleeName(filter) ?? "";
        visitExpression(operand, next);
        const args = callArgs(filter);
        if (SEARCH_FILTERS.has(name) && isContentish(operand)) contentTest(node, ctx, name, args.map(foldString));
        if (SELECTING_FILTERS.has(name)) {
          // `select('search', 'x')` on content, `selectattr('content', 'search', 'x')` on messages.
          const [first, ...rest] = args.map(foldString);
          const attribute = name.endsWith("attr") ? first : undefined;
          const testName = name.endsWith("attr") ? rest[0] : first;
          const onContent = name.endsWith("attr") ? isMessageish(operand) && attribute !== undefined && CONTENT_PROPERTIES.has(attribute) : isContentish(operand);
          if (onContent && testName !== undefined && SEARCH_FILTERS.has(testName)) contentTest(node, ctx, `${name}:${testName}`, name.endsWith("attr") ? rest.slice(1) : rest);
        }
        args.forEach((arg, index) => {
          const output = ctx.output && OUTPUT_FILTERS.has(name) && !(name === "replace" && index === 0);
          visitArgument(arg, { ...next, output });
        });
        return;
      }
      case "TestExpression": {
        const operand = child(node, "operand");
        const test = child(node, "test");
        const name = calleeName(test) ?? "";
        visitExpression(operand, quiet);
        if (SEARCH_FILTERS.has(name) && isContentish(operand)) contentTest(node, ctx, `is:${name}`, callArgs(test).map(foldString));
        for (const arg of callArgs(test)) visitExpression(arg, quiet);
        return;
      }
      case "BinaryExpression": {
        const operator = operatorOf(node);
        const left = child(node, "left");
        const right = child(node, "right");
        if (COMPARISONS.has(operator)) {
          if ((operator === "in" || operator === "not in") && isContentish(right)) contentTest(node, ctx, "in", [foldString(left) ?? printExpression(left)]);
          else if ((operator === "in" || operator === "not in") && isContentish(left) && (right?.type === "ArrayLiteral" || right?.type === "TupleLiteral")) contentTest(node, ctx, "in-list", children(right, "value").map(foldString));
          else if ((operator === "==" || operator === "!=") && (isContentish(left) || isContentish(right))) {
            const literal = foldString(isContentish(left) ? right : left);
            if (literal !== undefined && literal.trim() !== "") contentTest(node, ctx, "==", [literal]);
          }
          visitExpression(left, quiet);
          visitExpression(right, quiet);
          return;
        }
        // `'<|im_star' ~ 't|>'`: a constant built from pieces is one text, as the model reads it.
        const folded = operator === "+" || operator === "~" ? foldString(node) : undefined;
        if (folded !== undefined) {
          if (ctx.output && folded.trim() !== "") fragments.push({ text: folded, tokens: tokensOf(folded), place: ctx.place });
          return;
        }
        visitExpression(left, next);
        visitExpression(right, next);
        return;
      }
      case "UnaryExpression":
        visitExpression(child(node, "argument"), quiet);
        return;
      case "Ternary":
        visitCondition(child(node, "condition"), next, "ternary");
        visitExpression(child(node, "trueExpr"), next);
        visitExpression(child(node, "falseExpr"), next);
        return;
      case "SelectExpression":
        visitExpression(child(node, "lhs"), next);
        visitCondition(child(node, "test"), next, "for");
        return;
      case "ArrayLiteral":
      case "TupleLiteral":
        for (const item of children(node, "value")) visitExpression(item, next);
        return;
      case "ObjectLiteral": {
        const entries = node.value instanceof Map ? [...(node.value as Map<unknown, unknown>).entries()] : [];
        for (const [key, value] of entries) {
          if (isNode(key)) visitExpression(key, quiet);
          if (isNode(value)) visitExpression(value, next);
        }
        return;
      }
      case "KeywordArgumentExpression":
        visitExpression(child(node, "value"), next);
        return;
      case "SpreadExpression":
      case "KeywordSpreadExpression":
        visitExpression(child(node, "argument"), next);
        return;
      default:
        for (const [key, value] of Object.entries(node)) {
          if (key === "type" || key === "operator") continue;
          if (Array.isArray(value)) for (const item of value) if (isNode(item)) visitExpression(item, quiet);
          if (isNode(value)) visitExpression(value, quiet);
        }
    }
  }

  function visitArgument(node: Node, ctx: WalkContext) {
    if (node.type === "KeywordArgumentExpression") visitExpression(child(node, "value"), ctx);
    else visitExpression(node, ctx);
  }

  function branchText(node: Node, ctx: WalkContext): string {
    const condition = printExpression(conditionRoot ?? node);
    if (ctx.conditionOf === "if") return `{% if ${condition} %}`;
    if (ctx.conditionOf === "for") return `{% for … if ${condition} %}`;
    if (ctx.conditionOf === "ternary") return `{{ … if ${condition} else … }}`;
    return `{{ ${printExpression(node)} }}`;
  }

  function rootOf(node: Node | undefined, depth = 0): { name: string; properties: string[] } | undefined {
    if (!node || depth > 60) return undefined;
    switch (node.type) {
      case "Identifier": {
        const name = identifierName(node);
        return name === undefined ? undefined : { name, properties: [] };
      }
      case "MemberExpression": {
        const inner = rootOf(child(node, "object"), depth + 1);
        if (!inner) return undefined;
        const property = node.computed === true ? stringValue(child(node, "property")) : identifierName(child(node, "property"));
        return property === undefined ? inner : { name: inner.name, properties: [...inner.properties, property] };
      }
      case "FilterExpression":
        return rootOf(child(node, "operand"), depth + 1);
      case "CallExpression": {
        const callee = child(node, "callee");
        return callee?.type === "MemberExpression" ? rootOf(child(callee, "object"), depth + 1) : undefined;
      }
      case "BinaryExpression": {
        // `message.content ~ ''`, `content + suffix`: still the content.
        const operator = operatorOf(node);
        if (operator !== "+" && operator !== "~") return undefined;
        return rootOf(child(node, "left"), depth + 1) ?? rootOf(child(node, "right"), depth + 1);
      }
      case "Ternary":
        return rootOf(child(node, "trueExpr"), depth + 1) ?? rootOf(child(node, "falseExpr"), depth + 1);
      default:
        return undefined;
    }
  }

  /**
   * Which names hold messages (`messages`, `loop_messages`, a loop variable over them, `messages[0]`
   * set to a name) and which hold what a message says (`content = message['content']`, the parts of
   * a list content). Found in document order, twice, so a name set late still counts.
   */
  function messageAndContentNames(statements: Node[]) {
    const messageNames = new Set<string>(["messages"]);
    const contentNames = new Set<string>();
    const isContent = (node: Node | undefined) => {
      const root = rootOf(node);
      if (!root) return false;
      return contentNames.has(root.name) || (messageNames.has(root.name) && root.properties.some((name) => CONTENT_PROPERTIES.has(name)));
    };
    const isMessages = (node: Node | undefined) => {
      const root = rootOf(node);
      return root !== undefined && messageNames.has(root.name) && !root.properties.some((name) => CONTENT_PROPERTIES.has(name));
    };
    const walk = (node: Node, depth: number) => {
      if (depth > MAX_DEPTH) return;
      if (node.type === "Set" || node.type === "SetStatement") {
        const name = identifierName(child(node, "assignee"));
        const value = child(node, "value");
        if (name !== undefined && value) {
          if (isContent(value)) contentNames.add(name);
          else if (isMessages(value)) messageNames.add(name);
        }
      }
      if (node.type === "For") {
        let iterable = child(node, "iterable");
        if (iterable?.type === "SelectExpression") iterable = child(iterable, "lhs");
        const loopvar = child(node, "loopvar");
        const names = loopvar?.type === "TupleLiteral" ? children(loopvar, "value").map(identifierName) : [identifierName(loopvar)];
        for (const name of names) {
          if (name === undefined) continue;
          if (isContent(iterable)) contentNames.add(name);
          else if (isMessages(iterable)) messageNames.add(name);
        }
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === "type" || key === "operator") continue;
        if (Array.isArray(value)) for (const item of value) if (isNode(item)) walk(item, depth + 1);
        if (isNode(value)) walk(value, depth + 1);
      }
    };
    for (let pass = 0; pass < 2; pass++) for (const statement of statements) walk(statement, 0);
    return { messageNames, contentNames };
  }

  visitBody(body, { output: true, condition: false, place: "system", depth: 0 });
  return { fragments, tests, inputs, canonical: canonicalOf(body, bound) };
}

/** Names the template binds itself: `{% set %}`, loop variables, macros and their parameters. */
function boundNames(statements: Node[]): Set<string> {
  const bound = new Set<string>();
  const walk = (node: Node, depth: number) => {
    if (depth > MAX_DEPTH) return;
    if (node.type === "Set" || node.type === "SetStatement") {
      const assignee = child(node, "assignee");
      for (const name of assignee?.type === "TupleLiteral" ? children(assignee, "value").map(identifierName) : [identifierName(assignee)]) if (name !== undefined) bound.add(name);
    }
    if (node.type === "For") {
      const loopvar = child(node, "loopvar");
      for (const name of loopvar?.type === "TupleLiteral" ? children(loopvar, "value").map(identifierName) : [identifierName(loopvar)]) if (name !== undefined) bound.add(name);
    }
    if (node.type === "Macro") {
      const name = identifierName(child(node, "name"));
      if (name !== undefined) bound.add(name);
      for (const arg of children(node, "args")) {
        const argName = identifierName(arg) ?? identifierName(child(arg, "key"));
        if (argName !== undefined) bound.add(argName);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "type" || key === "operator") continue;
      if (Array.isArray(value)) for (const item of value) if (isNode(item)) walk(item, depth + 1);
      if (isNode(value)) walk(value, depth + 1);
    }
  };
  for (const statement of statements) walk(statement, 0);
  return bound;
}

/** Does the expression read this name anywhere? */
function mentions(node: Node | undefined, name: string, depth = 0): boolean {
  if (!node || depth > 60) return false;
  if (identifierName(node) === name) return true;
  return Object.entries(node).some(([key, value]) => {
    if (key === "type" || key === "operator") return false;
    if (Array.isArray(value)) return value.some((item) => isNode(item) && mentions(item, name, depth + 1));
    return isNode(value) && mentions(value, name, depth + 1);
  });
}

/** The string a constant expression folds to: a literal, or `~`/`+` of literals. */
function foldString(node: Node | undefined, depth = 0): string | undefined {
  if (!node || depth > 30) return undefined;
  const value = stringValue(node);
  if (value !== undefined) return value;
  if (node.type === "BinaryExpression" && (operatorOf(node) === "+" || operatorOf(node) === "~")) {
    const left = foldString(child(node, "left"), depth + 1);
    const right = foldString(child(node, "right"), depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  if (node.type === "FilterExpression" && ["lower", "upper", "trim", "string"].includes(calleeName(child(node, "filter")) ?? "")) return foldString(child(node, "operand"), depth + 1);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The canonical form: equal for templates that differ only in ways a model cannot see

function canonicalOf(body: Node[], bound: ReadonlySet<string>): string {
  const renamed = new Map<string, string>();
  const nameOf = (name: string) => {
    if (!bound.has(name)) return name;
    let alias = renamed.get(name);
    if (alias === undefined) {
      alias = `$${renamed.size}`;
      renamed.set(name, alias);
    }
    return alias;
  };
  const words = (text: string) =>
    tokensOf(text)
      .map((token) => token.value)
      .join(" ");

  function statements(nodes: Node[], depth: number): string {
    const out: string[] = [];
    let text = "";
    const flush = () => {
      const folded = words(text);
      if (folded !== "") out.push(`T(${folded})`);
      text = "";
    };
    for (const node of nodes) {
      if (node.type === "Comment") continue;
      const literal = stringValue(node) ?? (node.type === "BinaryExpression" ? foldString(node) : undefined);
      if (literal !== undefined) {
        text += ` ${literal}`;
        continue;
      }
      // llama.cpp adds BOS itself: a GGUF's template may leave `{{ bos_token }}` out.
      if (identifierName(node) === "bos_token") continue;
      flush();
      out.push(canon(node, depth + 1));
    }
    flush();
    return out.join(";");
  }

  function canon(node: Node | undefined, depth: number): string {
    if (!node) return "_";
    if (depth > MAX_DEPTH) return "…";
    switch (node.type) {
      case "Identifier":
        return nameOf(String(node.value));
      case "StringLiteral":
        return `S(${words(String(node.value))})`;
      case "BinaryExpression": {
        const folded = operatorOf(node) === "+" || operatorOf(node) === "~" ? foldString(node) : undefined;
        if (folded !== undefined) return `S(${words(folded)})`;
        break;
      }
      case "MemberExpression": {
        const property = child(node, "property");
        const literal = node.computed === true ? stringValue(property) : undefined;
        if (literal !== undefined && /^[A-Za-z_]\w*$/.test(literal)) return `${canon(child(node, "object"), depth + 1)}.${literal}`;
        return node.computed === true ? `${canon(child(node, "object"), depth + 1)}[${canon(property, depth + 1)}]` : `${canon(child(node, "object"), depth + 1)}.${identifierName(property) ?? "?"}`;
      }
    }
    const parts: string[] = [];
    for (const [key, value] of Object.entries(node)) {
      if (key === "type") continue;
      if (key === "operator") parts.push(operatorOf(node));
      else if (key === "body" || key === "alternate" || key === "defaultBlock") parts.push(`{${statements(Array.isArray(value) ? value.filter(isNode) : [], depth + 1)}}`);
      else if (Array.isArray(value)) parts.push(`[${value.map((item) => (isNode(item) ? canon(item, depth + 1) : String(item))).join(",")}]`);
      else if (value instanceof Map) parts.push(`{${[...(value as Map<unknown, unknown>).entries()].map(([k, v]) => `${isNode(k) ? canon(k, depth + 1) : "?"}:${isNode(v) ? canon(v, depth + 1) : "?"}`).join(",")}}`);
      else if (isNode(value)) parts.push(canon(value, depth + 1));
      else parts.push(String(value));
    }
    return `${node.type}(${parts.join(",")})`;
  }

  return statements(body, 0);
}

// ---------------------------------------------------------------------------------------------
// Comparing

const GRAM = "\u0001";

/** Every run of 1 to 3 tokens of the template's text, across fragments: what a derived fragment may reuse. */
function gramsOf(fragments: readonly Fragment[]): Set<string> {
  const stream = fragments.flatMap((fragment) => fragment.tokens.map((token) => token.value));
  const grams = new Set<string>();
  for (let start = 0; start < stream.length; start++) {
    for (let size = 1; size <= 3 && start + size <= stream.length; size++) grams.add(stream.slice(start, start + size).join(GRAM));
  }
  return grams;
}

/**
 * Which tokens of a fragment the other template also has: a token is covered when a run of three
 * tokens around it (or of two, or the whole fragment when shorter) appears in the other's text.
 * New words in a sentence, a new sentence and a new link are uncovered; the same words split
 * across strings or moved to another branch are covered.
 */
function coverageOf(fragment: Fragment, grams: ReadonlySet<string>): boolean[] {
  const values = fragment.tokens.map((token) => token.value);
  const covered = values.map(() => false);
  for (const size of [Math.min(3, values.length), Math.min(2, values.length)]) {
    for (let start = 0; start + size <= values.length; start++) {
      if (covered.slice(start, start + size).every(Boolean)) continue;
      if (grams.has(values.slice(start, start + size).join(GRAM))) for (let index = start; index < start + size; index++) covered[index] = true;
    }
  }
  return covered;
}

interface Line {
  text: string;
  /** Tokens that are not punctuation: what "alike" is measured on. */
  words: Set<string>;
}

function linesOf(fragments: readonly Fragment[]): Line[] {
  const lines: Line[] = [];
  const seen = new Set<string>();
  for (const fragment of fragments) {
    for (const raw of fragment.text.split("\n")) {
      const text = clean(raw);
      if (text === "" || seen.has(text)) continue;
      seen.add(text);
      const words = new Set(tokensOf(raw).filter((token) => token.kind !== "punct").map((token) => token.value));
      if (words.size > 0) lines.push({ text, words });
    }
  }
  return lines;
}

function nearestLine(text: string, lines: readonly Line[]): string | undefined {
  const words = new Set(tokensOf(text).filter((token) => token.kind !== "punct").map((token) => token.value));
  if (words.size === 0) return undefined;
  let best: { line: Line; score: number } | undefined;
  for (const line of lines) {
    let shared = 0;
    for (const word of words) if (line.words.has(word)) shared++;
    if (shared === 0) continue;
    const score = shared / (words.size + line.words.size - shared);
    if (!best || score > best.score) best = { line, score };
  }
  return best && best.score >= 0.2 ? best.line.text : undefined;
}

const CRYPTO = /\b(?:0x[a-fA-F0-9]{40}|bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})\b/;
const PHONE = /(?:\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4})|(?:\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b)/;

function kindOf(tokens: readonly TextToken[], text: string): AdditionKind {
  if (tokens.some((token) => token.kind === "email") || CRYPTO.test(text) || PHONE.test(text)) return "address";
  if (tokens.some((token) => token.kind === "url" || token.kind === "domain")) return "link";
  if (tokens.some(isWord)) return "instruction";
  return "markup";
}

const KIND_ORDER: Record<AdditionKind, number> = { link: 0, address: 1, "content-branch": 2, instruction: 3, "input-branch": 4, markup: 5 };

function compareFeatures(derived: Features, base: Features): TemplateComparison {
  if (derived.canonical === base.canonical) return { status: "same" };
  const baseGrams = gramsOf(base.fragments);
  const baseLines = linesOf(base.fragments);
  const additions: TemplateAddition[] = [];
  const seen = new Set<string>();
  const add = (addition: TemplateAddition) => {
    const key = `${addition.kind}:${addition.derived}`;
    if (seen.has(key)) return;
    seen.add(key);
    additions.push(addition);
  };

  for (const fragment of derived.fragments) {
    const covered = coverageOf(fragment, baseGrams);
    if (covered.every(Boolean)) continue;
    // One addition per line of the fragment that holds new tokens.
    let lineStart = 0;
    for (const rawLine of fragment.text.split("\n")) {
      const lineEnd = lineStart + rawLine.length;
      const inLine = fragment.tokens.map((token, index) => ({ token, index })).filter(({ token }) => token.start >= lineStart && token.end <= lineEnd);
      const fresh = inLine.filter(({ index }) => !covered[index]).map(({ token }) => token);
      const first = fresh[0];
      const last = fresh[fresh.length - 1];
      if (first && last) {
        const addedText = fragment.text.slice(first.start, last.end);
        add({
          kind: kindOf(fresh, addedText),
          place: fragment.place,
          derived: lineAround(rawLine, first.start - lineStart, last.end - lineStart),
          base: nearestLine(rawLine, baseLines),
          added: clean(addedText, MAX_LINE_CHARS),
        });
      }
      lineStart = lineEnd + 1;
    }
  }

  const baseTestKeys = new Set(base.tests.filter((test) => test.kind === "content-branch").map((test) => test.key));
  const baseContentTests = base.tests.filter((test) => test.kind === "content-branch");
  for (const test of derived.tests) {
    if (test.kind === "content-branch" && !baseTestKeys.has(test.key)) {
      add({ kind: "content-branch", place: test.place, derived: clean(test.printed, MAX_LINE_CHARS), base: nearestTest(test, baseContentTests), added: clean(test.key.split(GRAM).join(" "), MAX_LINE_CHARS) });
    }
    if (test.kind === "input-branch" && test.input !== undefined && !base.inputs.has(test.input)) {
      add({ kind: "input-branch", place: test.place, derived: clean(test.printed, MAX_LINE_CHARS), added: test.input });
    }
  }

  additions.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const derivedGrams = gramsOf(derived.fragments);
  const droppedLines: string[] = [];
  for (const fragment of base.fragments) {
    const covered = coverageOf(fragment, derivedGrams);
    if (fragment.tokens.every((token, index) => covered[index] || !isWord(token))) continue;
    for (const rawLine of fragment.text.split("\n")) {
      const text = clean(rawLine, MAX_LINE_CHARS);
      if (text !== "" && !droppedLines.includes(text) && !nearlyContained(rawLine, derivedGrams)) droppedLines.push(text);
    }
  }
  return {
    status: "changed",
    additions: additions.slice(0, MAX_ADDITIONS),
    moreAdditions: Math.max(0, additions.length - MAX_ADDITIONS),
    dropped: droppedLines.slice(0, MAX_DROPPED),
    moreDropped: Math.max(0, droppedLines.length - MAX_DROPPED),
  };
}

/** A base line whose words the derived template still has (only its neighbours changed). */
function nearlyContained(line: string, grams: ReadonlySet<string>): boolean {
  const tokens = tokensOf(line);
  if (tokens.length === 0) return true;
  const covered = coverageOf({ text: line, tokens, place: "system" }, grams);
  return tokens.every((token, index) => covered[index] || !isWord(token));
}

function nearestTest(test: BranchTest, baseTests: readonly BranchTest[]): string | undefined {
  const operation = test.key.split(":")[0];
  const same = baseTests.find((candidate) => candidate.key.split(":")[0] === operation) ?? baseTests[0];
  return same ? clean(same.printed, MAX_LINE_CHARS) : undefined;
}

/** The line, cut around the addition when it is long. */
function lineAround(line: string, start: number, end: number): string {
  const text = line.length <= MAX_LINE_CHARS ? line : line.slice(Math.max(0, start - 40), Math.max(end, start) + Math.max(40, MAX_LINE_CHARS - (end - start) - 40));
  const prefix = line.length > MAX_LINE_CHARS && start > 40 ? "…" : "";
  return prefix + clean(text, MAX_LINE_CHARS);
}

/**
 * Text for display: control and bidi characters (which let a hostile template reorder what a
 * person reads) become spaces, runs of spaces one, and the result is cut to `max` characters.
 */
export function clean(text: string, max = MAX_LINE_CHARS): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const plain = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, " ").replace(/\s+/g, " ").trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

