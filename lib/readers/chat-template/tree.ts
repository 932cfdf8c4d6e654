/**
 * Reading `@huggingface/jinja`'s syntax tree, for the judge (judge.ts) and the comparison with a
 * base model's template (compare.ts): nodes are read as plain records, since the parser's classes
 * are not part of its public types, and an expression is printed back as Jinja-like text for a
 * finding (the tree keeps no source offsets).
 */
export type TemplateNode = { type: string } & Record<string, unknown>;

export function isNode(value: unknown): value is TemplateNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export function child(node: TemplateNode, key: string): TemplateNode | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

export function children(node: TemplateNode, key: string): TemplateNode[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

export function identifierName(node: TemplateNode | undefined): string | undefined {
  return node?.type === "Identifier" && typeof node.value === "string" ? node.value : undefined;
}

export function operatorOf(node: TemplateNode): string {
  const value = (node.operator as { value?: unknown } | undefined)?.value;
  return typeof value === "string" ? value : "?";
}

/** Nesting deeper than this prints as "…": a hostile template can nest without end. */
const MAX_PRINT_DEPTH = 30;

/** An expression as Jinja-like text; what it cannot print (an object literal, a statement) is "…". */
export function printExpression(node: TemplateNode | undefined, depth = 0): string {
  if (!node) return "";
  if (depth > MAX_PRINT_DEPTH) return "…";
  const next = (value: TemplateNode | undefined) => printExpression(value, depth + 1);
  switch (node.type) {
    case "Identifier":
      return String(node.value);
    case "StringLiteral":
      return `'${String(node.value)}'`;
    case "IntegerLiteral":
    case "FloatLiteral":
      return String(node.value);
    case "MemberExpression":
      return node.computed === true ? `${next(child(node, "object"))}[${next(child(node, "property"))}]` : `${next(child(node, "object"))}.${next(child(node, "property"))}`;
    case "CallExpression":
      return `${next(child(node, "callee"))}(${children(node, "args").map(next).join(", ")})`;
    case "FilterExpression":
      return `${next(child(node, "operand"))} | ${next(child(node, "filter"))}`;
    case "BinaryExpression":
      return `${next(child(node, "left"))} ${operatorOf(node)} ${next(child(node, "right"))}`;
    case "UnaryExpression":
      return `${operatorOf(node)} ${next(child(node, "argument"))}`;
    case "KeywordArgumentExpression":
      return `${next(child(node, "key"))}=${next(child(node, "value"))}`;
    case "ArrayLiteral":
      return `[${children(node, "value").map(next).join(", ")}]`;
    case "TupleLiteral":
      return `(${children(node, "value").map(next).join(", ")})`;
    case "SliceExpression":
      return `${next(child(node, "start"))}:${next(child(node, "stop"))}${child(node, "step") ? `:${next(child(node, "step"))}` : ""}`;
    case "TestExpression":
      return `${next(child(node, "operand"))} is ${node.negate === true ? "not " : ""}${next(child(node, "test"))}`;
    case "Ternary":
      return `${next(child(node, "trueExpr"))} if ${next(child(node, "condition"))} else ${next(child(node, "falseExpr"))}`;
    case "SelectExpression":
      return `${next(child(node, "lhs"))} if ${next(child(node, "test"))}`;
    case "ObjectLiteral":
      return "{…}";
    default:
      return "…";
  }
}
