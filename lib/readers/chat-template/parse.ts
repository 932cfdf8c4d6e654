/**
 * One way to parse a chat template, for every reader of templates (the escape judge here, and the
 * comparison of a derived repo's template with its base model's): `parseTemplate(text)`.
 *
 * The parser is `@huggingface/jinja`, the Hub's own. Templates are written for Python's Jinja2
 * (transformers renders them with it, llama.cpp's minja follows it), and the two lexers differ on
 * string literals: Jinja2 decodes a string's escapes the way Python decodes `unicode_escape`, so a
 * backslash before a newline continues the line (Mistral Small 3.1's official template relies on
 * it), unknown escapes such as `\d` keep their backslash, and `\a`, octal `\101`, `\U0001F600` and
 * `\N{LOW LINE}` are characters. `@huggingface/jinja` knows only `\n \t \r \b \f \v \' \" \\ \x \u`
 * and refuses the rest. So before parsing, each string literal inside a tag that holds an escape
 * the two read differently is decoded as Jinja2 decodes it and written back with only the escapes
 * both read the same way (`\\` and the quote). Everything else of the source keeps its exact
 * bytes: text between tags, comments, and every other string.
 *
 * Source: jinja2/lexer.py (`string_re`, and `wrap()`: `_normalize_newlines(value[1:-1])
 * .encode("ascii", "backslashreplace").decode("unicode-escape")`); Python's reference, "Escape
 * sequences" in lexical analysis.
 */
import { parse, tokenize } from "@huggingface/jinja";

export type TemplateTokens = ReturnType<typeof tokenize>;
export type TemplateProgram = ReturnType<typeof parse>;

export type ParsedTemplate =
  /** The syntax tree, and the tokens it was built from. */
  | { ok: true; program: TemplateProgram; tokens: TemplateTokens }
  /**
   * `parse`: the tokens were read but not the structure (a tag the parser does not know, a block
   * left open); the tokens are still there to be searched. `lex`: not even the tokens (an
   * unterminated tag or string), or a template too long to parse.
   */
  | { ok: false; stage: "parse"; error: string; tokens: TemplateTokens }
  | { ok: false; stage: "lex"; error: string };

/** Templates longer than this are not parsed (the parser is recursive; real ones are under 50 KB). */
export const MAX_TEMPLATE_CHARS = 512 * 1024;

export function parseTemplate(text: string): ParsedTemplate {
  if (text.length > MAX_TEMPLATE_CHARS) {
    return { ok: false, stage: "lex", error: `the template is ${text.length} characters long, more than the ${MAX_TEMPLATE_CHARS} the extension parses` };
  }
  let tokens: TemplateTokens;
  try {
    tokens = tokenize(withJinja2Strings(text));
  } catch (error) {
    return { ok: false, stage: "lex", error: messageOf(error) };
  }
  try {
    // parse() consumes nothing of the array it is given, but keep the tokens apart from it anyway.
    return { ok: true, program: parse([...tokens]), tokens };
  } catch (error) {
    return { ok: false, stage: "parse", error: messageOf(error), tokens };
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/**
 * The source with every string literal inside `{{ }}` and `{% %}` whose escapes the two lexers read
 * differently rewritten to the value Jinja2 gives it. Tags are found as the lexer finds them: text runs to the next
 * `{{`, `{%` or `{#`; a comment to its `#}`; a tag to its closing `}}`/`%}` outside strings (a
 * `}}` that closes a dict literal inside `{{ }}` is counted by curly depth).
 */
export function withJinja2Strings(source: string): string {
  let out = "";
  /** Everything before `copied` is in `out` already; the source is copied lazily, between rewritten strings. */
  let copied = 0;
  let scan = 0;
  const length = source.length;
  while (scan < length) {
    const open = nextTagStart(source, scan);
    if (open === -1) break;
    const kind = source[open + 1];
    if (kind === "#") {
      const end = source.indexOf("#}", open + 2);
      if (end === -1) break;
      scan = end + 2;
      continue;
    }
    // Inside a tag: rewrite each string that needs it, until the tag closes.
    let cursor = open + 2;
    let depth = 0;
    let closed = false;
    while (cursor < length) {
      const char = source[cursor];
      if (char === "'" || char === '"') {
        const end = stringEnd(source, cursor);
        // An unterminated string: left for the parser to refuse.
        if (end === -1) break;
        const literal = source.slice(cursor, end + 1);
        if (BOTH_LEXERS_AGREE.test(literal) === false) {
          out += source.slice(copied, cursor) + reencode(decodePythonEscapes(literal.slice(1, -1)), char);
          copied = end + 1;
        }
        cursor = end + 1;
        continue;
      }
      if (char === "{") depth++;
      else if (char === "}") {
        if (kind === "{" && depth > 0) depth--;
        else if (kind === "{" && source[cursor + 1] === "}") {
          closed = true;
          break;
        }
      } else if (char === "%" && kind === "%" && source[cursor + 1] === "}") {
        closed = true;
        break;
      }
      cursor++;
    }
    if (!closed) break;
    scan = cursor + 2;
  }
  return copied === 0 ? source : out + source.slice(copied);
}

/**
 * A literal whose escapes are all ones `@huggingface/jinja` decodes as Python does (`\n \t \r \b
 * \f \v \' \" \\ \xhh \uhhhh`), or that has none: it is left as written.
 */
const BOTH_LEXERS_AGREE = /^(?:[^\\]|\\[ntrbfv'"\\xu])*$/s;

function nextTagStart(source: string, from: number): number {
  let at = from;
  for (;;) {
    const brace = source.indexOf("{", at);
    if (brace === -1) return -1;
    const next = source[brace + 1];
    if (next === "{" || next === "%" || next === "#") return brace;
    at = brace + 1;
  }
}

/** Index of the closing quote of the string that opens at `start` (Jinja2's `string_re`: a backslash escapes any character), or -1. */
function stringEnd(source: string, start: number): number {
  const quote = source[start];
  for (let at = start + 1; at < source.length; at++) {
    const char = source[at];
    if (char === "\\") at++;
    else if (char === quote) return at;
  }
  return -1;
}

/** Written back with the two escapes both lexers agree on; every other character stands for itself. */
function reencode(value: string, quote: string): string {
  return `${quote}${value.replace(/\\/g, "\\\\").split(quote).join(`\\${quote}`)}${quote}`;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\n": "",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\u0007",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/**
 * A string literal's body as Python's `unicode_escape` decodes it (after Jinja2 turned `\r\n` and
 * `\r` into `\n`). A malformed `\x`, `\u`, `\U` or `\N{…}` makes Jinja2 refuse the template; here
 * it is kept as written, and the parser then refuses it as well.
 */
export function decodePythonEscapes(body: string): string {
  const text = body.replace(/\r\n?/g, "\n");
  let out = "";
  for (let at = 0; at < text.length; at++) {
    const char = text[at] ?? "";
    if (char !== "\\" || at + 1 >= text.length) {
      out += char;
      continue;
    }
    const next = text[at + 1] ?? "";
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      at++;
      continue;
    }
    if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(at + 1))?.[0] ?? next;
      out += String.fromCodePoint(parseInt(digits, 8));
      at += digits.length;
      continue;
    }
    const hexLength = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
    if (hexLength > 0) {
      const hex = text.slice(at + 2, at + 2 + hexLength);
      const code = /^[0-9a-f]+$/i.test(hex) && hex.length === hexLength ? parseInt(hex, 16) : Number.NaN;
      if (Number.isNaN(code) || code > 0x10ffff) {
        out += `\\${next}`;
        at++;
        continue;
      }
      out += String.fromCodePoint(code);
      at += 1 + hexLength;
      continue;
    }
    if (next === "N") {
      const named = /^\{([^}]*)\}/.exec(text.slice(at + 2));
      if (named) {
        out += characterNamed(named[1] ?? "");
        at += 2 + named[0].length - 1;
        continue;
      }
    }
    // Python keeps an unknown escape as written: the backslash stays.
    out += "\\";
  }
  return out;
}

/**
 * `\N{…}` for the ASCII characters (by their Unicode names, matched without regard to case, as
 * Python's lookup does). Any other name stands for a character that is not ASCII, which can never
 * complete a Python attribute name such as `__class__`: U+FFFD stands in for it.
 */
function characterNamed(name: string): string {
  return ASCII_NAMES.get(name.trim().toUpperCase().replace(/\s+/g, " ")) ?? "\uFFFD";
}

const ASCII_NAMES: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  const punctuation: [string, string][] = [
    ["SPACE", " "], ["EXCLAMATION MARK", "!"], ["QUOTATION MARK", '"'], ["NUMBER SIGN", "#"], ["DOLLAR SIGN", "$"],
    ["PERCENT SIGN", "%"], ["AMPERSAND", "&"], ["APOSTROPHE", "'"], ["LEFT PARENTHESIS", "("], ["RIGHT PARENTHESIS", ")"],
    ["ASTERISK", "*"], ["PLUS SIGN", "+"], ["COMMA", ","], ["HYPHEN-MINUS", "-"], ["FULL STOP", "."], ["SOLIDUS", "/"],
    ["COLON", ":"], ["SEMICOLON", ";"], ["LESS-THAN SIGN", "<"], ["EQUALS SIGN", "="], ["GREATER-THAN SIGN", ">"],
    ["QUESTION MARK", "?"], ["COMMERCIAL AT", "@"], ["LEFT SQUARE BRACKET", "["], ["REVERSE SOLIDUS", "\\"],
    ["RIGHT SQUARE BRACKET", "]"], ["CIRCUMFLEX ACCENT", "^"], ["LOW LINE", "_"], ["GRAVE ACCENT", "`"],
    ["LEFT CURLY BRACKET", "{"], ["VERTICAL LINE", "|"], ["RIGHT CURLY BRACKET", "}"], ["TILDE", "~"],
    ["LINE FEED", "\n"], ["CHARACTER TABULATION", "\t"], ["CARRIAGE RETURN", "\r"], ["NULL", "\u0000"],
  ];
  for (const [name, char] of punctuation) names.set(name, char);
  const digits = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"];
  digits.forEach((word, index) => names.set(`DIGIT ${word}`, String(index)));
  for (let code = 65; code <= 90; code++) {
    const letter = String.fromCharCode(code);
    names.set(`LATIN CAPITAL LETTER ${letter}`, letter);
    names.set(`LATIN SMALL LETTER ${letter}`, letter.toLowerCase());
  }
  return names;
})();
