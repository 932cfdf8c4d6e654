import { describe, expect, it } from "vitest";
import { parseJsonWithPositions } from "../../../lib/settings/json-positions";

describe("parseJsonWithPositions", () => {
  it.each([
    '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n\\"q\\""], "b": {}}',
    "[]",
    '  "text"  ',
    "0",
    '{"nested": {"deep": [[[{"k": "v"}]]]}}',
    '"\\/\\\\\\b\\f\\r\\t"',
  ])("reads %s as JSON.parse does", (text) => {
    const parsed = parseJsonWithPositions(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toEqual(JSON.parse(text));
  });

  it.each([
    ['{"a": 1,}', 1, 9, /field name/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /"," or "}"/],
    ["[1, 2", 1, 6, /"," or "]"/],
    ['{"a": tru}', 1, 7, /Expected a value/],
    ['{"a": "line\nbreak"}', 1, 12, /control characters/],
    ['{"a": "open', 1, 7, /not closed/],
    ["{} {}", 1, 4, /after the end/],
    ['{"a": 01}', 1, 8, /"," or "}"/],
    ["", 1, 1, /Expected a value/],
  ])("refuses %j at line %i, column %i", (text, line, column, message) => {
    const parsed = parseJsonWithPositions(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.position).toEqual({ line, column });
      expect(parsed.message).toMatch(message);
    }
    expect(() => JSON.parse(text)).toThrow();
  });

  it("records where each value starts, by path", () => {
    const text = '{\n  "allowlist": [\n    { "value": "google" },\n    "owner"\n  ],\n  "strictness": "strict"\n}';
    const parsed = parseJsonWithPositions(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.positions.get("")).toEqual({ line: 1, column: 1 });
    expect(parsed.positions.get("allowlist")?.line).toBe(2);
    expect(parsed.positions.get("allowlist[0]")?.line).toBe(3);
    expect(parsed.positions.get("allowlist[0].value")).toEqual({ line: 3, column: 16 });
    expect(parsed.positions.get("allowlist[1]")?.line).toBe(4);
    expect(parsed.positions.get("strictness")?.line).toBe(6);
  });

  it("reports repeated keys, which JSON.parse would silently resolve to the last", () => {
    const parsed = parseJsonWithPositions('{\n  "allowlist": ["a"],\n  "allowlist": ["b"]\n}');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.duplicates).toEqual([{ path: "allowlist", position: { line: 3, column: 3 } }]);
  });

  it("a __proto__ field stays a plain field", () => {
    const parsed = parseJsonWithPositions('{"__proto__": {"polluted": true}}');
    if (!parsed.ok) throw new Error(parsed.message);
    const value = parsed.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("skips a byte-order mark and refuses absurd nesting without overflowing the stack", () => {
    expect(parseJsonWithPositions("\uFEFF{}").ok).toBe(true);
    const deep = parseJsonWithPositions("[".repeat(10_000));
    expect(deep.ok).toBe(false);
    if (!deep.ok) expect(deep.message).toMatch(/too deeply/);
  });
});
