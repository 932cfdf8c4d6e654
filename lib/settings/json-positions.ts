/**
 * A small JSON parser that remembers where each value starts, so an import can say "line 7,
 * allowlist[2].expires" rather than "invalid file". JSON.parse cannot: its error messages differ
 * between Chrome and Firefox and it gives no positions for valid-but-wrong values. Repeated keys,
 * which JSON.parse silently resolves to the last one, are reported here, so an import never drops
 * an entry without saying so.
 */
export interface Position {
  line: number;
  column: number;
}

export type PositionedParse =
  | { ok: true; value: unknown; positions: Map<string, Position>; duplicates: { path: string; position: Position }[] }
  | { ok: false; position: Position; message: string };

/** Path keys as `formatPath` in schema.ts writes them: `allowlist[2].expires`, "" for the root. */
export function pathKey(parent: string, part: string | number): string {
  if (typeof part === "number") return `${parent}[${part}]`;
  return parent ? `${parent}.${part}` : part;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 64;

export function parseJsonWithPositions(text: string): PositionedParse {
  const positions = new Map<string, Position>();
  const duplicates: { path: string; position: Position }[] = [];
  let i = 0;

  // Line starts, so an offset turns into line and column by binary search.
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === "\n") lineStarts.push(k + 1);
  function positionOf(offset: number): Position {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  }

  function fail(message: string, at = i): never {
    throw new JsonSyntaxError(message, at);
  }
  function skipSpace() {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  }
  function found(): string {
    return i >= text.length ? "the end of the file" : `"${text[i]}"`;
  }

  function parseValue(path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) fail("The file nests objects and lists too deeply.");
    skipSpace();
    positions.set(path, positionOf(i));
    const c = text[i];
    if (c === "{") return parseObject(path, depth);
    if (c === "[") return parseArray(path, depth);
    if (c === '"') return parseString();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return parseNumber();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return fail(`Expected a value (text in double quotes, a number, true, false, null, an object or a list), found ${found()}.`);
  }

  function parseObject(path: string, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    i++;
    skipSpace();
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail(`Expected a field name in double quotes, found ${found()}.`);
      const keyAt = i;
      const key = parseString();
      skipSpace();
      if (text[i] !== ":") fail(`Expected ":" after "${key}", found ${found()}.`);
      i++;
      const child = pathKey(path, key);
      if (Object.prototype.hasOwnProperty.call(out, key)) duplicates.push({ path: child, position: positionOf(keyAt) });
      const value = parseValue(child, depth + 1);
      // defineProperty: a "__proto__" field stays a plain field and never becomes a prototype.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      fail(`Expected "," or "}" after a field, found ${found()}.`);
    }
  }

  function parseArray(path: string, depth: number): unknown[] {
    const out: unknown[] = [];
    i++;
    skipSpace();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseValue(pathKey(path, out.length), depth + 1));
      skipSpace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      fail(`Expected "," or "]" in a list, found ${found()}.`);
    }
  }

  function parseString(): string {
    const start = i;
    i++;
    let out = "";
    for (;;) {
      if (i >= text.length) fail("Text in quotes is not closed.", start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) fail("Line breaks and control characters inside quotes must be escaped.");
      if (c === 0x5c) {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail("Unknown escape after a backslash.");
        continue;
      }
      out += text[i];
      i++;
    }
  }

  function parseNumber(): number {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail(`Malformed number.`);
    i += match[0].length;
    return Number(match[0]);
  }

  try {
    // A byte-order mark is what some editors put first; JSON.parse refuses it, people do not see it.
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    const value = parseValue("", 0);
    skipSpace();
    if (i < text.length) fail(`Unexpected ${found()} after the end of the JSON value.`);
    return { ok: true, value, positions, duplicates };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, position: positionOf(error.offset), message: error.message };
    throw error;
  }
}
