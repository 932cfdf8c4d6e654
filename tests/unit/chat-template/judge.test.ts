import { describe, expect, it } from "vitest";
import { judgeTemplate, MAX_EXPRESSION_CHARS } from "../../../lib/readers/chat-template/judge";
import { BENIGN_TEMPLATES, ESCAPE_BUILT_NAMES, ESCAPE_LIPSUM, ESCAPE_OS_POPEN, HOSTILE_TEMPLATE } from "../../fixtures/chat-templates";

describe("judgeTemplate: the popular families stay quiet", () => {
  it.each(Object.entries(BENIGN_TEMPLATES))("%s parses and is clean", (_name, template) => {
    expect(judgeTemplate(template)).toEqual({ verdict: "clean", hits: [] });
  });

  it("prose between tags may mention dunders: text is not code", () => {
    expect(judgeTemplate("Python objects have __class__ and __init__.{% for m in messages %}{{ m.content }}{% endfor %}").verdict).toBe("clean");
  });

  it("cycler and joiner used as documented are not an escape", () => {
    const template = "{% set sep = joiner(', ') %}{% set rows = cycler('odd', 'even') %}{% for m in messages %}{{ sep() }}{{ rows.next() }}{{ m.content }}{% endfor %}{{ rows.reset() }}";
    expect(judgeTemplate(template).verdict).toBe("clean");
  });

  it("a local variable named like a global is the template's own", () => {
    expect(judgeTemplate("{% set config = namespace(x=1) %}{{ config.x }}{% for self in messages %}{{ self.content }}{% endfor %}").verdict).toBe("clean");
  });
});

describe("judgeTemplate: escapes", () => {
  it("the Llama Drama shape: dunder chain to os.popen", () => {
    const result = judgeTemplate(ESCAPE_OS_POPEN);
    expect(result.verdict).toBe("escapes");
    const kinds = new Set(result.hits.map((hit) => hit.kind));
    expect(kinds).toContain("dunder-attribute");
    expect(kinds).toContain("code-execution");
    expect(result.hits.some((hit) => hit.expression.includes("__subclasses__"))).toBe(true);
  });

  it("names built from pieces, attr() and {% set %} constants are folded", () => {
    const result = judgeTemplate(ESCAPE_BUILT_NAMES);
    expect(result.verdict).toBe("escapes");
    expect(result.hits.map((hit) => hit.kind)).toEqual(expect.arrayContaining(["dunder-attribute", "dunder-string", "code-execution"]));
    expect(result.hits.some((hit) => hit.expression.includes("attr("))).toBe(true);
  });

  it("a Jinja global's attributes (lipsum.__globals__)", () => {
    const result = judgeTemplate(ESCAPE_LIPSUM);
    expect(result.hits.map((hit) => hit.kind)).toEqual(expect.arrayContaining(["escape-global", "dunder-attribute"]));
  });

  it.each([
    ["subscript with a dunder string", "{{ messages['__class__'] }}", "dunder-attribute"],
    ["attr with a computed name", "{% for n in names %}{{ messages|attr(n) }}{% endfor %}", "computed-attribute"],
    ["map(attribute=...) with a dunder", "{{ messages|map(attribute='__class__')|list }}", "dunder-string"],
    ["join of pieces", "{{ messages[['__cl', 'ass__']|join] }}", "dunder-attribute"],
    ["a name-mangled private", "{{ self._TemplateReference__context }}", "dunder-attribute"],
    ["self's attributes", "{{ self.x }}", "escape-global"],
    ["Flask's url_for", "{{ url_for.anything }}", "escape-global"],
    ["eval called", "{{ eval('1') }}", "code-execution"],
    ["os named as a module", "{{ os.listdir('/') }}", "code-execution"],
    ["a command run off any object", "{{ x.system('id') }}", "code-execution"],
  ])("%s", (_label, template, kind) => {
    const result = judgeTemplate(template);
    expect(result.verdict).toBe("escapes");
    expect(result.hits.map((hit) => hit.kind)).toContain(kind);
  });

  it("a template the parser refuses is still searched for dunders in its tokens", () => {
    const result = judgeTemplate("{% frobnicate %}{{ x.__class__ }}");
    expect(result).toMatchObject({ verdict: "escapes", parsed: false });
    expect(result.hits[0]?.expression).toBe("x.__class__");
  });

  it("the printed expression is truncated and free of control and bidi characters", () => {
    const long = `{{ x.__class__.${"a".repeat(400)} }}{{ y["\u202e__init__"] }}`;
    const result = judgeTemplate(long);
    for (const hit of result.hits) {
      expect(hit.expression.length).toBeLessThanOrEqual(MAX_EXPRESSION_CHARS);
      expect(hit.expression).not.toContain("\u202e");
      expect(hit.expression).not.toContain("\n");
    }
  });

  it("hostile markup in a template comes back as plain text in the hit", () => {
    const result = judgeTemplate(HOSTILE_TEMPLATE);
    expect(result.verdict).toBe("escapes");
    expect(result.hits.some((hit) => hit.expression.includes("<img src=x onerror="))).toBe(true);
  });
});

describe("judgeTemplate: templates the parser refuses", () => {
  it("a template whose structure does not parse but whose tokens hold nothing is judged clean from its tokens, and says so", () => {
    const result = judgeTemplate("{% frobnicate %}{{ messages[0].content }}");
    expect(result).toMatchObject({ verdict: "clean", parsed: false });
    if (result.verdict === "clean") expect(result.parseError).toMatch(/frobnicate|Unknown/);
  });

  it.each([
    ["a dunder split over two strings", "{% frobnicate %}{{ lipsum|attr('__glo' ~ 'bals__') }}", "dunder-string"],
    ["attr with a computed name", "{% frobnicate %}{{ messages|attr(name) }}", "computed-attribute"],
    ["a Jinja global's attribute", "{% frobnicate %}{{ cycler.x }}", "escape-global"],
    ["a dangerous module", "{% frobnicate %}{{ os.listdir('/') }}", "code-execution"],
    ["an executing function", "{% frobnicate %}{{ eval('1') }}", "code-execution"],
    ["a command run off any object", "{% frobnicate %}{{ x.popen('id') }}", "code-execution"],
  ])("from its tokens, %s is still a hit", (_label, template, kind) => {
    const result = judgeTemplate(template);
    expect(result).toMatchObject({ verdict: "escapes", parsed: false });
    expect(result.hits.map((hit) => hit.kind)).toContain(kind);
  });

  it("the documented cycler methods are no hit from tokens either", () => {
    expect(judgeTemplate("{% frobnicate %}{% set c = cycler('a', 'b') %}{{ c.next() }}{{ cycler.reset }}").verdict).toBe("clean");
  });

  it("an unterminated tag cannot be split into tokens: unparseable, not clean", () => {
    const result = judgeTemplate("{{ messages[0");
    expect(result.verdict).toBe("unparseable");
    if (result.verdict === "unparseable") expect(result.error.length).toBeGreaterThan(0);
  });
});
