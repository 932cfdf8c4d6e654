import { describe, expect, it } from "vitest";
import { parse as jinjaParse, tokenize, Template } from "@huggingface/jinja";
import { decodePythonEscapes, parseTemplate, withJinja2Strings } from "../../../lib/readers/chat-template/parse";

/** Renders with @huggingface/jinja after our string rewrite: what Python's Jinja2 would print for the same source. */
function render(source: string, context: Record<string, unknown> = {}): string {
  return new Template(withJinja2Strings(source)).render(context);
}

describe("parseTemplate reads string literals as Python's Jinja2 does", () => {
  it("a backslash before a newline continues the line (Mistral Small 3.1's style)", () => {
    const source = '{%- set intro = "You are a model.\\\nYour knowledge ends in 2023.\\\n\\\nBe brief." %}{{ intro }}';
    expect(() => jinjaParse(tokenize(source))).toThrow();
    const parsed = parseTemplate(source);
    expect(parsed.ok).toBe(true);
    // Python: "You are a model.Your knowledge ends in 2023.Be brief."
    expect(render(source)).toBe("You are a model.Your knowledge ends in 2023.Be brief.");
  });

  it.each([
    ["an unknown escape keeps its backslash", "a\\db", "a\\db"],
    ["the bell escape", "\\a", "\u0007"],
    ["octal escapes", "\\137\\137class\\137\\137", "__class__"],
    ["a long hex escape", "\\U0000005f", "_"],
    ["a named character, any case", "\\N{LOW LINE}\\N{low line}", "__"],
    ["a name outside ASCII stands for a non-ASCII character", "\\N{SNOWMAN}", "\uFFFD"],
    ["the escapes both lexers know", "\\n\\t\\'\\\"\\\\\\x41\\u0042", "\n\t'\"\\AB"],
    ["CRLF inside a string is one newline", "a\\\r\nb", "ab"],
  ])("%s", (_label, body, decoded) => {
    expect(decodePythonEscapes(body)).toBe(decoded);
  });

  it("an escape-built dunder is seen as the dunder it is", () => {
    const parsed = parseTemplate("{{ messages['\\137\\137class\\137\\137'] }}");
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.tokens.some((token) => token.type === "StringLiteral" && token.value === "__class__")).toBe(true);
  });

  it("text between tags, comments and strings without a backslash keep their exact bytes", () => {
    const source = "Prose with \\ a backslash {# a comment with \"\\q\" #}{{ 'plain' }}{{ {'k': {'j': 'x\\\ny'}} }} tail \\n";
    const rewritten = withJinja2Strings(source);
    expect(rewritten.startsWith("Prose with \\ a backslash {# a comment with \"\\q\" #}{{ 'plain' }}")).toBe(true);
    expect(rewritten.endsWith("}} tail \\n")).toBe(true);
    expect(rewritten).toContain("'xy'");
  });

  it("a source with nothing to rewrite is returned as it is", () => {
    const source = "{% for m in messages %}{{ m['content'] + '\\n' }}{% endfor %}";
    expect(withJinja2Strings(source)).toBe(source);
  });

  it("a block left open gives the tokens and the parser's error", () => {
    const parsed = parseTemplate("{% for m in messages %}{% if m %}{{ m }}{% endfor %}");
    expect(parsed).toMatchObject({ ok: false, stage: "parse" });
    if (!parsed.ok && parsed.stage === "parse") expect(parsed.tokens.length).toBeGreaterThan(5);
  });

  it("an unterminated string cannot be tokenized", () => {
    expect(parseTemplate("{{ 'abc }}")).toMatchObject({ ok: false, stage: "lex" });
  });

  it("a template past the length cap is not parsed", () => {
    expect(parseTemplate(`{{ '${"a".repeat(600 * 1024)}' }}`)).toMatchObject({ ok: false, stage: "lex" });
  });
});
