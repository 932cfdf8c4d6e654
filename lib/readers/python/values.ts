/**
 * The abstract values the analysis computes for Python expressions: constants it can fold
 * (strings built from pieces, decoded base64, reversed or chr-summed text), references to modules
 * and functions (`os.system`, `@local.Model().setup`), and unknown values that still carry where
 * their data came from (decoded, downloaded, the environment, a credential file). An expression
 * has a few alternatives (a name assigned in two places has two), capped so nothing explodes.
 */

/** Where a value's data came from: bits, so they combine as values flow. */
export const ORIGIN = {
  /** base64, hex, rot13, bytes.fromhex… */
  decoded: 1,
  /** zlib, bz2, lzma, gzip */
  decompressed: 2,
  /** marshal.loads: Python bytecode */
  marshal: 4,
  /** An HTTP answer or socket read */
  downloaded: 8,
  /** A Hugging Face token or a secret environment variable */
  token: 16,
  /** The whole environment (os.environ as a whole, its items, a copy) */
  environ: 32,
  /** A credential file's content (~/.ssh, ~/.aws, ~/.netrc, the Hub token file) */
  credentials: 64,
  /** Facts about the machine (host name, user name) */
  machine: 128,
  /** A string assembled at run time from pieces (chr, join, reversal, concatenation of parts) */
  built: 256,
} as const;

/** Origins that make executing a value "executing hidden code". */
export const HIDDEN_CODE = ORIGIN.decoded | ORIGIN.decompressed | ORIGIN.marshal | ORIGIN.downloaded;
/** Origins that are secrets when sent away. */
export const SECRETS = ORIGIN.token | ORIGIN.environ | ORIGIN.credentials;

export type Alt =
  /** A known string (or bytes, as Latin-1 characters). */
  | { t: "str"; v: string; bytes: boolean; o: number; hid?: string[]; host?: string }
  /** A string whose start is known (`f"https://x.io/{token}"`). */
  | { t: "prefix"; v: string; o: number }
  | { t: "num"; v: number; o: number }
  /** A module, function, class or instance by qualified name: `os.system`, `socket.socket()`, `@local.C().m`. */
  | { t: "ref"; v: string; o: number; hid?: string[]; host?: string }
  /** A tuple, list or set with its items. */
  | { t: "seq"; items: Val[]; o: number }
  | { t: "dict"; entries: [Val, Val][]; o: number }
  /** An attribute of a value that is not a reference (`"".join`, `resp.text`). */
  | { t: "bound"; recv: Alt; name: string; o: number }
  /** `__builtins__`, `globals()`, `sys.modules`: mappings from names to what they name. */
  | { t: "special"; v: "builtins" | "globals" | "modules"; o: number }
  /** `tail`: the known end of a string whose start is not (`CUDA_HOME + "/bin/nvcc"`). */
  | { t: "unknown"; o: number; host?: string; tail?: string };

export type Val = Alt[];

export const MAX_ALTS = 6;
/** Longest string folded; longer results become unknown (a cap on memory, not a judgement). */
export const MAX_FOLDED_CHARS = 512 * 1024;

export function unknown(o = 0, host?: string): Val {
  return [host === undefined ? { t: "unknown", o } : { t: "unknown", o, host }];
}

export function str(v: string, o = 0, bytes = false): Alt {
  if (v.length > MAX_FOLDED_CHARS) return { t: "unknown", o };
  return { t: "str", v, bytes, o };
}

export function ref(v: string, o = 0, hid?: string[]): Alt {
  return hid && hid.length > 0 ? { t: "ref", v, o, hid } : { t: "ref", v, o };
}

/** Alternatives of several values, duplicates dropped, capped. */
export function union(...vals: Val[]): Val {
  if (vals.length === 1 && vals[0] && vals[0].length > 0 && vals[0].length <= MAX_ALTS) return vals[0];
  if (vals.length === 2 && vals[1]?.length === 0 && vals[0] && vals[0].length > 0 && vals[0].length <= MAX_ALTS) return vals[0];
  const out: Alt[] = [];
  const seen = new Set<string>();
  for (const val of vals) {
    for (const alt of val) {
      const key = altKey(alt);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(alt);
      if (out.length >= MAX_ALTS) return out;
    }
  }
  return out.length > 0 ? out : unknown();
}

let distinct = 0;

function altKey(alt: Alt): string {
  switch (alt.t) {
    case "str":
    case "prefix":
      return `${alt.t}:${alt.o}:${alt.v.length > 200 ? `${alt.v.slice(0, 200)}#${alt.v.length}` : alt.v}`;
    case "num":
      return `num:${alt.o}:${alt.v}`;
    case "ref":
      return `ref:${alt.o}:${alt.v}:${alt.hid?.join("|") ?? ""}`;
    case "special":
      return `special:${alt.v}`;
    case "unknown":
      return `unknown:${alt.o}:${alt.host ?? ""}:${alt.tail ?? ""}`;
    default:
      // Sequences, dicts and bound methods are kept apart: comparing them deeply costs more than keeping both.
      return `${alt.t}:${++distinct}`;
  }
}

/** Every origin bit an alternative carries, through its items and receivers. */
export function originsOfAlt(alt: Alt, depth = 0): number {
  let o = alt.o;
  if (depth > 6) return o;
  if (alt.t === "seq") for (const item of alt.items) o |= originsOf(item, depth + 1);
  else if (alt.t === "dict") for (const [key, value] of alt.entries) o |= originsOf(key, depth + 1) | originsOf(value, depth + 1);
  else if (alt.t === "bound") o |= originsOfAlt(alt.recv, depth + 1);
  else if (alt.t === "ref" && isWholeEnvironment(alt.v)) o |= ORIGIN.environ;
  return o;
}

export function originsOf(val: Val, depth = 0): number {
  let o = 0;
  for (const alt of val) o |= originsOfAlt(alt, depth);
  return o;
}

/** `os.environ` itself, a copy, its items: the whole environment, every secret in it. */
export function isWholeEnvironment(name: string): boolean {
  const base = name.startsWith("os.environ") ? "os.environ" : name.startsWith("os.environb") ? "os.environb" : undefined;
  if (!base) return false;
  const rest = name.slice(base.length);
  return rest === "" || rest === "()" || [".copy()", ".items()", ".values()", ".keys()", ".__dict__", "._data"].some((tail) => rest.startsWith(tail));
}

/** The known strings among the alternatives. */
export function strings(val: Val): string[] {
  return val.flatMap((alt) => (alt.t === "str" ? [alt.v] : []));
}

/** The known start of each alternative that is (or begins with) text. */
export function prefixes(val: Val): string[] {
  return val.flatMap((alt) => (alt.t === "str" || alt.t === "prefix" ? [alt.v] : []));
}

export function refs(val: Val): Extract<Alt, { t: "ref" }>[] {
  return val.filter((alt): alt is Extract<Alt, { t: "ref" }> => alt.t === "ref");
}

export function hiddenBy(val: Val): string[] {
  return [...new Set(val.flatMap((alt) => (alt.t === "ref" || alt.t === "str" ? (alt.hid ?? []) : [])))];
}

/** Adds origins to every alternative. */
export function withOrigins(val: Val, o: number): Val {
  if (o === 0) return val;
  return val.map((alt) => ({ ...alt, o: alt.o | o }));
}

/** `a + b` on folded values. */
export function concat(left: Val, right: Val): Val {
  const out: Alt[] = [];
  for (const a of left) {
    for (const b of right) {
      const o = a.o | b.o;
      if (a.t === "str" && b.t === "str") out.push(str(a.v + b.v, o | ORIGIN.built, a.bytes && b.bytes));
      else if (a.t === "str" && b.t === "prefix") out.push({ t: "prefix", v: a.v + b.v, o: o | ORIGIN.built });
      else if ((a.t === "str" || a.t === "prefix") && b.t !== "str") out.push({ t: "prefix", v: a.v, o: o | originsOfAlt(b) });
      else if (a.t === "num" && b.t === "num") out.push({ t: "num", v: a.v + b.v, o });
      else if (a.t === "seq" && b.t === "seq") out.push({ t: "seq", items: [...a.items, ...b.items], o });
      else if (b.t === "str" && (a.t === "unknown" || a.t === "ref" || a.t === "bound")) out.push({ t: "unknown", o: originsOfAlt(a) | b.o, tail: (a.t === "unknown" ? (a.tail ?? "") : "") + b.v });
      else out.push({ t: "unknown", o: originsOfAlt(a) | originsOfAlt(b) });
      if (out.length >= MAX_ALTS) return out;
    }
  }
  return out.length > 0 ? out : unknown();
}

/** Python string literal text (with its prefix and quotes) to its value. */
export function decodeStringLiteral(raw: string): { value: string; bytes: boolean } | undefined {
  let i = 0;
  let raw_ = false;
  let bytes = false;
  let format = false;
  while (i < raw.length && raw[i] !== "'" && raw[i] !== '"') {
    const c = raw[i]?.toLowerCase();
    if (c === "r") raw_ = true;
    else if (c === "b") bytes = true;
    else if (c === "f") format = true;
    else if (c !== "u") return undefined;
    i++;
  }
  if (format) return undefined;
  const quote = raw[i];
  if (quote === undefined) return undefined;
  const triple = raw.slice(i, i + 3) === quote.repeat(3);
  const open = triple ? 3 : 1;
  const body = raw.slice(i + open, raw.length - open);
  if (raw.length - open < i + open) return undefined;
  return { value: raw_ ? body : unescape(body, bytes), bytes };
}

/** Python's backslash escapes (\n, \x41, \u0041, \N{…} left as is, octal, line continuation). */
export function unescape(body: string, bytes: boolean): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? "";
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[i + 1] ?? "";
    i++;
    switch (n) {
      case "\n":
        break;
      case "\\":
        out += "\\";
        break;
      case "'":
        out += "'";
        break;
      case '"':
        out += '"';
        break;
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case "v":
        out += "\v";
        break;
      case "x": {
        const hex = body.slice(i + 1, i + 3);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      case "u":
      case "U": {
        if (bytes) {
          out += `\\${n}`;
          break;
        }
        const len = n === "u" ? 4 : 8;
        const code = parseInt(body.slice(i + 1, i + 1 + len), 16);
        out += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : "";
        i += len;
        break;
      }
      default:
        if (n >= "0" && n <= "7") {
          let digits = n;
          while (digits.length < 3 && (body[i + 1] ?? "") >= "0" && (body[i + 1] ?? "") <= "7") digits += body[++i];
          out += String.fromCharCode(parseInt(digits, 8));
        } else out += `\\${n}`;
    }
  }
  return out;
}

/** A Python number literal (ints of any base, floats, underscores); undefined for complex. */
export function parseNumber(text: string): number | undefined {
  const clean = text.split("_").join("").toLowerCase();
  if (clean.endsWith("j")) return undefined;
  if (clean.startsWith("0x")) return parseInt(clean.slice(2), 16);
  if (clean.startsWith("0o")) return parseInt(clean.slice(2), 8);
  if (clean.startsWith("0b")) return parseInt(clean.slice(2), 2);
  const value = Number(clean);
  return Number.isFinite(value) ? value : undefined;
}

/** base64 (standard or URL-safe, padding optional) to Latin-1 text; undefined when it is not base64. */
export function decodeBase64(text: string): string | undefined {
  let clean = "";
  for (const char of text) {
    if (char === "-") clean += "+";
    else if (char === "_") clean += "/";
    else if (char !== "\n" && char !== "\r" && char !== " " && char !== "\t") clean += char;
  }
  while (clean.length % 4 !== 0) clean += "=";
  try {
    return atob(clean);
  } catch {
    return undefined;
  }
}

export function decodeHex(text: string): string | undefined {
  const clean = [...text].filter((char) => char !== " " && char !== "\n").join("");
  if (clean.length % 2 !== 0) return undefined;
  let out = "";
  for (let i = 0; i < clean.length; i += 2) {
    const byte = parseInt(clean.slice(i, i + 2), 16);
    if (Number.isNaN(byte)) return undefined;
    out += String.fromCharCode(byte);
  }
  return out;
}

export function rot13(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code >= 65 && code <= 90) out += String.fromCharCode(((code - 65 + 13) % 26) + 65);
    else if (code >= 97 && code <= 122) out += String.fromCharCode(((code - 97 + 13) % 26) + 97);
    else out += char;
  }
  return out;
}

/** Bytes held as Latin-1 characters, decoded as UTF-8 text (what `.decode()` gives). */
export function utf8OfLatin1(text: string): string {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return new TextDecoder().decode(bytes);
}

/** `"%s-%d" % (a, b)` with known arguments. */
export function percentFormat(format: string, args: (string | number)[]): string | undefined {
  let out = "";
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%") {
      out += c;
      continue;
    }
    const spec = format[i + 1];
    i++;
    if (spec === "%") out += "%";
    else if (spec === "s" || spec === "r" || spec === "d" || spec === "i" || spec === "c") {
      const arg = args[next++];
      if (arg === undefined) return undefined;
      out += spec === "c" && typeof arg === "number" ? String.fromCharCode(arg) : spec === "r" && typeof arg === "string" ? `'${arg}'` : String(arg);
    } else return undefined;
  }
  return next === args.length ? out : undefined;
}

/** `"{}{}".format(a, b)` and `"{0}{1}"` with known arguments. */
export function braceFormat(format: string, args: (string | number)[]): string | undefined {
  let out = "";
  let auto = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === "{" && format[i + 1] === "{") {
      out += "{";
      i++;
    } else if (c === "}" && format[i + 1] === "}") {
      out += "}";
      i++;
    } else if (c === "{") {
      const end = format.indexOf("}", i);
      if (end < 0) return undefined;
      const field = format.slice(i + 1, end);
      const index = field === "" ? auto++ : Number(field);
      if (!Number.isInteger(index)) return undefined;
      const arg = args[index];
      if (arg === undefined) return undefined;
      out += String(arg);
      i = end;
    } else out += c;
  }
  return out;
}
