/**
 * Reads what a pickle imports without running it: a streaming opcode reader for protocols 0–5
 * (CPython Lib/pickle.py and Lib/pickletools.py describe every opcode) that keeps just enough of
 * the unpickler's stack and memo to resolve STACK_GLOBAL's two string arguments.
 *
 * It never throws on bad input: malformed data, a truncated stream or an unknown opcode end the
 * read with `complete: false` and an `error`, keeping the imports seen so far (an import before
 * the damage still runs when Python loads the file). It never builds large values: string and
 * bytes arguments longer than MAX_KEPT_STRING are skipped, and the caller may skip them without
 * even fetching them (`skippable()` / `skip()`).
 */

export type ImportOpcode = "GLOBAL" | "INST" | "STACK_GLOBAL" | "EXT";

export interface RawPickleImport {
  module: string;
  name: string;
  opcode: ImportOpcode;
  /** Offset of the opcode from the start of the stream. */
  offset: number;
  /** False when the reader could not tell what is imported (module/name then say "unknown …"). */
  resolved: boolean;
  /**
   * Set on a STACK_GLOBAL whose module or name is known not to be a string (a number, a tuple, an imported
   * object, from the stack or the memo). No pickler writes that: it is a trick to hide what is imported.
   */
  operandNotString?: true;
  /**
   * Set on a getattr import that is only ever called as getattr(<imported class>, "PUBLIC_NAME") and whose
   * results are never called: how Python ≥ 3.12 pickles enum members (`Enum.__reduce_ex__`), as in every
   * recent training_args.bin. Such a getattr reads a constant and reaches no function.
   */
  onlyLooksUpNames?: true;
}

export interface PickleReadResult {
  imports: RawPickleImport[];
  /** True only when every byte given was read as whole pickles (or `maxPickles` were read). */
  complete: boolean;
  error?: string;
  /** Bytes of the stream read or skipped. */
  bytesConsumed: number;
  /** Pickles read to their STOP opcode. */
  pickles: number;
  /** A PROTO opcode was read: the bytes announced themselves as a pickle. */
  announcedProtocol: boolean;
}

export interface PickleReaderOptions {
  /** Stop (complete) after this many pickles: legacy torch files hold 5 pickles, then raw data. */
  maxPickles?: number;
}

/** Longest string argument kept as a value; module and attribute names are far shorter. */
const MAX_KEPT_STRING = 4096;
/** Longest text line (protocol 0 arguments) kept; longer lines are skipped to their end. */
const MAX_KEPT_LINE = 4096;
/** Longest GLOBAL/INST line read; a longer one is reported as an unresolved import (a padded dotted name). */
const MAX_GLOBAL_LINE = 64 * 1024;

/**
 * Stack model: what STACK_GLOBAL needs to know of its arguments. A string is kept; a literal (number,
 * bytes, container, None) or an imported global is known not to be a string; anything computed while
 * loading (a call's result, a persistent id, a memo slot never written, a string too long to keep) could
 * be any string. Either way the import is one this reader cannot name, so it is reported unresolved.
 */
type Value =
  | { kind: "str"; text: string }
  | { kind: "opaque" }
  /** `what`: the kind of value, in words ("a number"), for the import's label. */
  | { kind: "literal"; what: string }
  /** An imported global; `ref` is its index in the imports. */
  | { kind: "global"; ref: number }
  /** The result of getattr(global, "NAME") (`ref`: the getattr import), e.g. an enum member by name. */
  | { kind: "lookup"; ref: number }
  | { kind: "tuple"; items: Value[] }
  | { kind: "mark" };
const OPAQUE: Value = { kind: "opaque" };
const literal = (what: string): Value => ({ kind: "literal", what });

/** What the literal an opcode pushes is, in words: how a STACK_GLOBAL trick is named in the findings. */
const LITERAL_WHAT: Readonly<Record<string, string>> = {
  FLOAT: "a number", INT: "a number", BININT: "a number", BININT1: "a number", LONG: "a number", BININT2: "a number",
  BINFLOAT: "a number", LONG1: "a number", LONG4: "a number", NONE: "None", NEWTRUE: "a boolean", NEWFALSE: "a boolean",
  EMPTY_DICT: "a dict", DICT: "a dict", EMPTY_LIST: "a list", LIST: "a list", EMPTY_SET: "a set", FROZENSET: "a set",
  BINBYTES: "bytes", SHORT_BINBYTES: "bytes", BINBYTES8: "bytes", BYTEARRAY8: "a bytearray",
  BINSTRING: "bytes that are not text", SHORT_BINSTRING: "bytes that are not text", BINUNICODE: "bytes that are not text",
  SHORT_BINUNICODE: "bytes that are not text", BINUNICODE8: "bytes that are not text", STRING: "a malformed string",
  UNICODE: "a malformed string",
};
const literalOf = (opcode: string): Value => literal(LITERAL_WHAT[opcode] ?? "a value");
const MARK: Value = { kind: "mark" };

/** getattr under the names the unpickler resolves to builtins.getattr. */
const GETATTR = new Set(["builtins getattr", "__builtin__ getattr"]);
/** A public attribute name: what an enum member or a class constant is called (not a dunder or private). */
const PUBLIC_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Opcodes whose pushed value is computed while loading (not known from the bytes). */
const COMPUTED = new Set(["REDUCE", "NEWOBJ", "NEWOBJ_EX", "OBJ", "BINPERSID", "PERSID", "NEXT_BUFFER", "READONLY_BUFFER"]);

/**
 * A name Python could import: dotted identifiers. `__import__` of anything else fails (no such module can
 * exist), and so does the unpickler there, so the bytes do not say what this reader would call an import.
 */
const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;
function importable(text: string): boolean {
  return text.length > 0 && text.split(".").every((part) => IDENTIFIER.test(part));
}

type Arg =
  | { kind: "none" }
  | { kind: "fixed"; size: number }
  | { kind: "counted"; width: 1 | 4 | 8; signed?: boolean }
  | { kind: "line"; lines: 1 | 2 };

interface OpSpec {
  name: string;
  arg: Arg;
}

const NONE: Arg = { kind: "none" };
const fixed = (size: number): Arg => ({ kind: "fixed", size });
const counted = (width: 1 | 4 | 8, signed = false): Arg => ({ kind: "counted", width, signed });
const LINE: Arg = { kind: "line", lines: 1 };
const TWO_LINES: Arg = { kind: "line", lines: 2 };

/** Every opcode of protocols 0–5 and how its argument is encoded. */
const OPCODES = new Map<number, OpSpec>(
  (
    [
      ["(", "MARK", NONE], [".", "STOP", NONE], ["0", "POP", NONE], ["1", "POP_MARK", NONE], ["2", "DUP", NONE],
      ["F", "FLOAT", LINE], ["I", "INT", LINE], ["J", "BININT", fixed(4)], ["K", "BININT1", fixed(1)],
      ["L", "LONG", LINE], ["M", "BININT2", fixed(2)], ["N", "NONE", NONE], ["P", "PERSID", LINE],
      ["Q", "BINPERSID", NONE], ["R", "REDUCE", NONE], ["S", "STRING", LINE], ["T", "BINSTRING", counted(4, true)],
      ["U", "SHORT_BINSTRING", counted(1)], ["V", "UNICODE", LINE], ["X", "BINUNICODE", counted(4)],
      ["a", "APPEND", NONE], ["b", "BUILD", NONE], ["c", "GLOBAL", TWO_LINES], ["d", "DICT", NONE],
      ["}", "EMPTY_DICT", NONE], ["e", "APPENDS", NONE], ["g", "GET", LINE], ["h", "BINGET", fixed(1)],
      ["i", "INST", TWO_LINES], ["j", "LONG_BINGET", fixed(4)], ["l", "LIST", NONE], ["]", "EMPTY_LIST", NONE],
      ["o", "OBJ", NONE], ["p", "PUT", LINE], ["q", "BINPUT", fixed(1)], ["r", "LONG_BINPUT", fixed(4)],
      ["s", "SETITEM", NONE], ["t", "TUPLE", NONE], [")", "EMPTY_TUPLE", NONE], ["u", "SETITEMS", NONE],
      ["G", "BINFLOAT", fixed(8)],
      // protocol 2
      [0x80, "PROTO", fixed(1)], [0x81, "NEWOBJ", NONE], [0x82, "EXT1", fixed(1)], [0x83, "EXT2", fixed(2)],
      [0x84, "EXT4", fixed(4)], [0x85, "TUPLE1", NONE], [0x86, "TUPLE2", NONE], [0x87, "TUPLE3", NONE],
      [0x88, "NEWTRUE", NONE], [0x89, "NEWFALSE", NONE], [0x8a, "LONG1", counted(1)], [0x8b, "LONG4", counted(4, true)],
      // protocol 3
      ["B", "BINBYTES", counted(4)], ["C", "SHORT_BINBYTES", counted(1)],
      // protocol 4
      [0x8c, "SHORT_BINUNICODE", counted(1)], [0x8d, "BINUNICODE8", counted(8)], [0x8e, "BINBYTES8", counted(8)],
      [0x8f, "EMPTY_SET", NONE], [0x90, "ADDITEMS", NONE], [0x91, "FROZENSET", NONE], [0x92, "NEWOBJ_EX", NONE],
      [0x93, "STACK_GLOBAL", NONE], [0x94, "MEMOIZE", NONE], [0x95, "FRAME", fixed(8)],
      // protocol 5
      [0x96, "BYTEARRAY8", counted(8)], [0x97, "NEXT_BUFFER", NONE], [0x98, "READONLY_BUFFER", NONE],
    ] as const
  ).map(([code, name, arg]) => [typeof code === "string" ? code.charCodeAt(0) : code, { name, arg }]),
);

/** The byte is an opcode of protocols 0–5: a stream starting with it may be a pickle (PROTO is optional). */
export function isPickleOpcode(byte: number): boolean {
  return OPCODES.has(byte);
}

/** Opcodes whose counted argument is text the unpickler may hand to find_class. */
const TEXT_OPCODES = new Set(["BINUNICODE", "SHORT_BINUNICODE", "BINUNICODE8", "BINSTRING", "SHORT_BINSTRING"]);

/** What an opcode does to the stack, for the opcodes that only pop and push opaque values. */
const STACK_EFFECT: Readonly<Record<string, readonly [pops: number | "mark", pushes: number]>> = {
  FLOAT: [0, 1], INT: [0, 1], BININT: [0, 1], BININT1: [0, 1], LONG: [0, 1], BININT2: [0, 1], NONE: [0, 1],
  PERSID: [0, 1], BINPERSID: [1, 1], REDUCE: [2, 1], APPEND: [1, 0], BUILD: [1, 0], DICT: ["mark", 1],
  EMPTY_DICT: [0, 1], APPENDS: ["mark", 0], LIST: ["mark", 1], EMPTY_LIST: [0, 1], OBJ: ["mark", 1],
  SETITEM: [2, 0], TUPLE: ["mark", 1], EMPTY_TUPLE: [0, 1], SETITEMS: ["mark", 0], BINFLOAT: [0, 1],
  NEWOBJ: [2, 1], TUPLE1: [1, 1], TUPLE2: [2, 1], TUPLE3: [3, 1], NEWTRUE: [0, 1], NEWFALSE: [0, 1],
  LONG1: [0, 1], LONG4: [0, 1], BINBYTES: [0, 1], SHORT_BINBYTES: [0, 1], BINBYTES8: [0, 1], EMPTY_SET: [0, 1],
  ADDITEMS: ["mark", 0], FROZENSET: ["mark", 1], NEWOBJ_EX: [3, 1], BYTEARRAY8: [0, 1], NEXT_BUFFER: [0, 1],
  READONLY_BUFFER: [1, 1], EXT1: [0, 1], EXT2: [0, 1], EXT4: [0, 1],
};

class Malformed extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Python's `raw-unicode-escape` (UNICODE opcode): latin-1 plus \uXXXX and \UXXXXXXXX. */
function decodeRawUnicodeEscape(bytes: Uint8Array): string | undefined {
  const text = latin1(bytes);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "\\" && (text[i + 1] === "u" || text[i + 1] === "U")) {
      // An odd run of backslashes before u escapes; an even run does not.
      let run = 0;
      for (let j = i - 1; j >= 0 && text[j] === "\\"; j--) run++;
      if (run % 2 === 0) {
        const digits = text[i + 1] === "u" ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + digits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        out += String.fromCodePoint(code);
        i += 1 + digits;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** Python's repr-quoted STRING argument ('abc' or "abc" with backslash escapes), as text. */
function decodeQuotedString(bytes: Uint8Array): string | undefined {
  const text = latin1(bytes);
  const quote = text[0];
  if (text.length < 2 || (quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) return undefined;
  const body = text.slice(1, -1);
  let out = "";
  const simple: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", "0": "\0" };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? "";
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return undefined;
    if (next === "x") {
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 3;
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? next;
      out += String.fromCharCode(Number.parseInt(octal, 8) & 0xff);
      i += octal.length;
    } else if (next in simple) {
      out += simple[next];
      i += 1;
    } else {
      // Python keeps unknown escapes as written.
      out += `\\${next}`;
      i += 1;
    }
  }
  return out;
}

/** What a STACK_GLOBAL operand that is known not to be a string is, in words; undefined when it may be one. */
function notAString(value: Value): string | undefined {
  switch (value.kind) {
    case "str":
    case "opaque":
      return undefined;
    case "literal":
      return value.what;
    case "tuple":
      return "a tuple";
    case "global":
      return "an imported object";
    case "lookup":
      return "an attribute looked up while loading";
    case "mark":
      return "a mark";
  }
}

function hexByte(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}

/**
 * Push-based reader: feed it chunks in order with `push`, then call `finish` at the end of input.
 * `done` turns true when reading should stop (an error, or `maxPickles` reached).
 */
export class PickleStreamReader {
  private readonly maxPickles: number;
  private buffer: Uint8Array = new Uint8Array(0);
  /** Stream offset of buffer[0]. */
  private bufferStart = 0;
  /** Bytes still to discard inside a long argument. */
  private skipping = 0;
  /** A line being skipped past MAX_KEPT_LINE: discard up to and including the next newline. */
  private skippingLine: { opcode: string; offset: number } | undefined;
  private stack: Value[] = [];
  private memo = new Map<number, Value>();
  private proto = 0;
  /** Some pickle of the stream began with PROTO. */
  private announced = false;
  private inPickle = false;
  private stopped = false;
  private error: string | undefined;
  private readonly imports: RawPickleImport[] = [];
  private pickles = 0;
  /** For each getattr import (by index): true while every use was a name lookup on a global, false once not. */
  private readonly getattrUses = new Map<number, boolean>();
  /** getattr imports used at least once as such a lookup. */
  private readonly lookedUp = new Set<number>();

  constructor(options: PickleReaderOptions = {}) {
    this.maxPickles = options.maxPickles ?? Number.POSITIVE_INFINITY;
  }

  /** True when no more input is wanted. */
  get done(): boolean {
    return this.stopped;
  }

  /** Offset of the next byte the reader needs. */
  get position(): number {
    return this.bufferStart + this.buffer.length + this.skipping;
  }

  /** Bytes that will be discarded unread next: the caller may `skip` them instead of fetching them. */
  skippable(): number {
    return this.stopped || this.buffer.length > 0 ? 0 : this.skipping;
  }

  skip(count: number): void {
    const n = Math.min(count, this.skippable());
    this.skipping -= n;
    this.bufferStart += n;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    let data = chunk;
    if (this.skipping > 0 && this.buffer.length === 0) {
      const n = Math.min(this.skipping, data.length);
      this.skipping -= n;
      this.bufferStart += n;
      data = data.subarray(n);
      if (data.length === 0) return;
    }
    if (this.buffer.length === 0) {
      this.buffer = data;
    } else {
      const joined = new Uint8Array(this.buffer.length + data.length);
      joined.set(this.buffer);
      joined.set(data, this.buffer.length);
      this.buffer = joined;
    }
    try {
      this.run();
    } catch (error) {
      this.fail(error instanceof Malformed ? error.message : `reader failure: ${String(error)}`);
    }
  }

  /** End of input: the result, complete only when the input ended between pickles. */
  finish(): PickleReadResult {
    if (!this.stopped) {
      if (this.inPickle || this.buffer.length > 0 || this.skipping > 0 || this.skippingLine !== undefined) {
        this.fail(`truncated: the input ended inside a pickle at byte ${this.position - this.skipping}`);
      } else if (this.pickles === 0) {
        this.fail("empty: no pickle in the input");
      }
    }
    const result: PickleReadResult = {
      imports: this.imports.map((item, index) => (this.getattrUses.get(index) === true && this.lookedUp.has(index) ? { ...item, onlyLooksUpNames: true } : item)),
      complete: this.error === undefined,
      bytesConsumed: this.bufferStart,
      pickles: this.pickles,
      announcedProtocol: this.announced,
    };
    if (this.error !== undefined) result.error = this.error;
    return result;
  }

  /** Stop with an error that a caller reports (e.g. a byte cap); imports found so far are kept. */
  abort(reason: string): void {
    if (this.error === undefined) this.fail(reason);
  }

  private fail(message: string): void {
    this.error ??= message;
    this.stopped = true;
  }

  private consume(count: number): void {
    this.buffer = this.buffer.subarray(count);
    this.bufferStart += count;
  }

  private run(): void {
    while (!this.stopped) {
      if (this.skippingLine !== undefined) {
        const newline = this.buffer.indexOf(0x0a);
        if (newline < 0) {
          this.consume(this.buffer.length);
          return;
        }
        this.consume(newline + 1);
        const { opcode, offset } = this.skippingLine;
        this.skippingLine = undefined;
        this.afterLongLine(opcode, offset);
        continue;
      }
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, this.buffer.length);
        this.skipping -= n;
        this.consume(n);
        if (this.skipping > 0) return;
        continue;
      }
      if (this.buffer.length === 0) return;
      if (!this.step()) return;
    }
  }

  /** Reads one opcode from the buffer; false when more bytes are needed first. */
  private step(): boolean {
    const buf = this.buffer;
    const code = buf[0] ?? 0;
    const offset = this.bufferStart;
    const spec = OPCODES.get(code);
    if (spec === undefined) {
      throw new Malformed(
        this.inPickle
          ? `malformed: unknown opcode ${hexByte(code)} at byte ${offset}`
          : `malformed: bytes at ${offset} are not a pickle (${hexByte(code)})`,
      );
    }
    this.inPickle = true;
    const arg = spec.arg;
    switch (arg.kind) {
      case "none":
        this.consume(1);
        this.apply(spec.name, offset);
        return true;
      case "fixed": {
        if (buf.length < 1 + arg.size) return false;
        const bytes = buf.slice(1, 1 + arg.size);
        this.consume(1 + arg.size);
        this.applyFixed(spec.name, bytes, offset);
        return true;
      }
      case "counted": {
        if (buf.length < 1 + arg.width) return false;
        const view = new DataView(buf.buffer, buf.byteOffset + 1, arg.width);
        let length: number;
        if (arg.width === 1) length = view.getUint8(0);
        else if (arg.width === 4) length = arg.signed ? view.getInt32(0, true) : view.getUint32(0, true);
        else {
          const big = view.getBigUint64(0, true);
          if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Malformed(`malformed: ${spec.name} length ${big} at byte ${offset}`);
          length = Number(big);
        }
        if (length < 0) throw new Malformed(`malformed: negative ${spec.name} length at byte ${offset}`);
        const head = 1 + arg.width;
        if (length > MAX_KEPT_STRING) {
          // Skipped (possibly without fetching it): bytes stay bytes, but a long text could still be a
          // padded dotted name, so an import made from it is unresolved.
          this.consume(head);
          this.skipping = length;
          this.push1(TEXT_OPCODES.has(spec.name) ? OPAQUE : literalOf(spec.name));
          return true;
        }
        if (buf.length < head + length) return false;
        const bytes = buf.slice(head, head + length);
        this.consume(head + length);
        this.applyCounted(spec.name, bytes);
        return true;
      }
      case "line": {
        const lines: Uint8Array[] = [];
        let at = 1;
        for (let i = 0; i < arg.lines; i++) {
          const newline = buf.indexOf(0x0a, at);
          if (newline < 0) {
            if (arg.lines === 2 && buf.length - at > MAX_GLOBAL_LINE) {
              // Python reads any length: a dotted name padded past what is kept still imports.
              this.addImport("unknown (name too long to read)", `unknown (${spec.name} line over ${MAX_GLOBAL_LINE} bytes)`, spec.name as ImportOpcode, offset, false);
              throw new Malformed(`malformed: ${spec.name} line longer than ${MAX_GLOBAL_LINE} bytes at byte ${offset}`);
            }
            if (arg.lines === 1 && buf.length - at > MAX_KEPT_LINE) {
              this.consume(buf.length);
              this.skippingLine = { opcode: spec.name, offset };
              return true;
            }
            return false;
          }
          lines.push(buf.slice(at, newline));
          at = newline + 1;
        }
        this.consume(at);
        this.applyLines(spec.name, lines, offset);
        return true;
      }
    }
  }

  private push1(value: Value): void {
    this.stack.push(value);
  }

  private pop(opcode: string, offset: number): Value {
    const value = this.stack.pop();
    if (value === undefined) throw new Malformed(`malformed: ${opcode} on an empty stack at byte ${offset}`);
    if (value === MARK) throw new Malformed(`malformed: ${opcode} found a MARK at byte ${offset}`);
    return value;
  }

  /** Pops the values above the last MARK and the MARK; returns those values. */
  private popMark(opcode: string, offset: number): Value[] {
    const at = this.stack.lastIndexOf(MARK);
    if (at < 0) throw new Malformed(`malformed: ${opcode} without MARK at byte ${offset}`);
    const items = this.stack.slice(at + 1);
    this.stack.length = at;
    return items;
  }

  /** A value used by anything but a benign getattr call: a getattr reached this way could be called later. */
  private use(value: Value): void {
    if (value.kind === "global" && this.getattrUses.has(value.ref)) this.getattrUses.set(value.ref, false);
    else if (value.kind === "tuple") for (const item of value.items) this.use(item);
  }

  /** A value about to be called (REDUCE, NEWOBJ, OBJ) or have its state set (BUILD). */
  private called(value: Value): void {
    if (value.kind === "lookup") this.getattrUses.set(value.ref, false);
    this.use(value);
  }

  /** REDUCE: callable(*args). getattr(<global>, "NAME") is a lookup; everything else is a call of something. */
  private reduce(offset: number): void {
    const args = this.pop("REDUCE", offset);
    const callable = this.pop("REDUCE", offset);
    if (callable.kind === "global" && this.getattrUses.has(callable.ref)) {
      const [target, attribute] = args.kind === "tuple" ? args.items : [];
      const lookup = args.kind === "tuple" && args.items.length === 2 && target?.kind === "global" && !this.getattrUses.has(target.ref) &&
        attribute?.kind === "str" && PUBLIC_NAME.test(attribute.text);
      if (lookup) {
        this.lookedUp.add(callable.ref);
        this.push1({ kind: "lookup", ref: callable.ref });
        return;
      }
      this.getattrUses.set(callable.ref, false);
    }
    this.called(callable);
    this.use(args);
    this.push1(OPAQUE);
  }

  private pushGlobal(): void {
    const ref = this.imports.length - 1;
    const last = this.imports[ref];
    if (last !== undefined && GETATTR.has(`${last.module} ${last.name}`)) this.getattrUses.set(ref, true);
    this.push1({ kind: "global", ref });
  }

  private top(opcode: string, offset: number): Value {
    const value = this.stack[this.stack.length - 1];
    if (value === undefined || value === MARK) throw new Malformed(`malformed: ${opcode} with nothing to store at byte ${offset}`);
    return value;
  }

  private addImport(module: string, name: string, opcode: ImportOpcode, offset: number, resolved = true): void {
    this.imports.push({ module, name, opcode, offset, resolved });
  }

  private apply(name: string, offset: number): void {
    switch (name) {
      case "MARK":
        this.push1(MARK);
        return;
      case "STOP":
        this.use(this.pop(name, offset));
        this.endPickle();
        return;
      case "REDUCE":
        this.reduce(offset);
        return;
      case "BUILD": {
        this.use(this.pop(name, offset));
        this.called(this.top(name, offset));
        return;
      }
      case "NEWOBJ":
      case "NEWOBJ_EX": {
        for (let i = name === "NEWOBJ" ? 1 : 2; i > 0; i--) this.use(this.pop(name, offset));
        this.called(this.pop(name, offset));
        this.push1(OPAQUE);
        return;
      }
      case "OBJ": {
        const [callable, ...args] = this.popMark(name, offset);
        if (callable === undefined) throw new Malformed(`malformed: OBJ without a class at byte ${offset}`);
        this.called(callable);
        for (const arg of args) this.use(arg);
        this.push1(OPAQUE);
        return;
      }
      case "TUPLE":
        this.push1({ kind: "tuple", items: this.popMark(name, offset) });
        return;
      case "EMPTY_TUPLE":
      case "TUPLE1":
      case "TUPLE2":
      case "TUPLE3": {
        const count = name === "EMPTY_TUPLE" ? 0 : Number(name.slice(-1));
        const items: Value[] = [];
        for (let i = 0; i < count; i++) items.unshift(this.pop(name, offset));
        this.push1({ kind: "tuple", items });
        return;
      }
      case "POP": {
        // CPython: POP with an empty frame above the last MARK drops that MARK.
        const value = this.stack.pop();
        if (value === undefined) throw new Malformed(`malformed: POP on an empty stack at byte ${offset}`);
        return;
      }
      case "POP_MARK":
        this.popMark(name, offset);
        return;
      case "DUP":
        this.push1(this.top(name, offset));
        return;
      case "STACK_GLOBAL": {
        const nameValue = this.pop(name, offset);
        const moduleValue = this.pop(name, offset);
        const module = moduleValue.kind === "str" ? moduleValue.text : undefined;
        const attr = nameValue.kind === "str" ? nameValue.text : undefined;
        if (module !== undefined && attr !== undefined) {
          this.checkImportable(module, attr, name, offset);
          this.addImport(module, attr, "STACK_GLOBAL", offset);
        } else {
          // An import whose name is not a plain string: computed while loading, or a value that is not a
          // string at all (a number, a tuple, an imported object, from the stack or the memo). CPython's
          // unpickler refuses the latter, but no pickler writes either: they exist to hide an import from
          // scanners, and an import that cannot be resolved from the bytes cannot be cleared
          // (picklescan and fickling call both dangerous). The reading goes on, as theirs does.
          const moduleWhat = notAString(moduleValue);
          const attrWhat = notAString(nameValue);
          const label = (what: string | undefined) => (what === undefined ? "unknown (not a string)" : `unknown (${what}, not a string)`);
          this.addImport(module ?? label(moduleWhat), attr ?? label(attrWhat), "STACK_GLOBAL", offset, false);
          if (moduleWhat !== undefined || attrWhat !== undefined) {
            const added = this.imports[this.imports.length - 1];
            if (added !== undefined) added.operandNotString = true;
          }
        }
        this.pushGlobal();
        return;
      }
      case "MEMOIZE":
        // CPython stores at len(memo): the number of distinct keys, not the number of MEMOIZE ops.
        this.memo.set(this.memo.size, this.top(name, offset));
        return;
      default: {
        const effect = STACK_EFFECT[name];
        if (effect === undefined) throw new Malformed(`reader has no rule for ${name}`);
        this.effect(name, effect, offset);
      }
    }
  }

  private effect(name: string, [pops, pushes]: readonly [number | "mark", number], offset: number): void {
    if (pops === "mark") for (const value of this.popMark(name, offset)) this.use(value);
    else for (let i = 0; i < pops; i++) this.use(this.pop(name, offset));
    for (let i = 0; i < pushes; i++) this.push1(COMPUTED.has(name) ? OPAQUE : literalOf(name));
  }

  private endPickle(): void {
    this.pickles += 1;
    this.inPickle = false;
    // Each pickle.load() starts a new unpickler: fresh stack, memo and protocol.
    this.stack = [];
    this.memo = new Map();
    this.proto = 0;
    if (this.pickles >= this.maxPickles) this.stopped = true;
  }

  private applyFixed(name: string, bytes: Uint8Array, offset: number): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    switch (name) {
      case "PROTO": {
        const proto = view.getUint8(0);
        if (proto > 5) throw new Malformed(`malformed: unsupported pickle protocol ${proto} at byte ${offset}`);
        this.proto = proto;
        this.announced = true;
        return;
      }
      case "FRAME":
        // A frame only announces how many bytes follow; opcodes inside are read as usual.
        return;
      case "BINGET":
        this.get(view.getUint8(0));
        return;
      case "LONG_BINGET":
        this.get(view.getUint32(0, true));
        return;
      case "BINPUT":
        this.memo.set(view.getUint8(0), this.top(name, offset));
        return;
      case "LONG_BINPUT":
        this.memo.set(view.getUint32(0, true), this.top(name, offset));
        return;
      case "EXT1":
      case "EXT2":
      case "EXT4": {
        // copyreg's extension registry maps a code to a (module, name) this reader cannot know.
        const code = name === "EXT1" ? view.getUint8(0) : name === "EXT2" ? view.getUint16(0, true) : view.getInt32(0, true);
        this.addImport("unknown (extension registry)", `unknown (extension code ${code})`, "EXT", offset, false);
        this.pushGlobal();
        return;
      }
      default: {
        const effect = STACK_EFFECT[name];
        if (effect === undefined) throw new Malformed(`reader has no rule for ${name}`);
        this.effect(name, effect, offset);
      }
    }
  }

  /** GET of a key never stored fails in CPython; the value is unknown either way. */
  private get(key: number): void {
    this.push1(this.memo.get(key) ?? OPAQUE);
  }

  private applyCounted(name: string, bytes: Uint8Array): void {
    if (!TEXT_OPCODES.has(name)) {
      this.push1(literalOf(name));
      return;
    }
    // BINUNICODE* are UTF-8; BINSTRING/SHORT_BINSTRING are decoded by the unpickler's `encoding`
    // (ASCII by default, latin-1 for numpy/torch legacy loads): either way ASCII names decode alike.
    const text = name.includes("UNICODE") ? decodeUtf8(bytes) : latin1(bytes);
    // Text that is not UTF-8 fails to load, or (lone surrogates) names nothing importable.
    this.push1(text === undefined ? literalOf(name) : { kind: "str", text });
  }

  private applyLines(name: string, lines: Uint8Array[], offset: number): void {
    const [first = new Uint8Array(0), second = new Uint8Array(0)] = lines;
    switch (name) {
      case "GLOBAL":
      case "INST": {
        const module = decodeUtf8(first);
        const attr = decodeUtf8(second);
        // Python 3 decodes both lines as strict UTF-8: other bytes make the unpickler fail right here,
        // so nothing is imported (and bytes that only look like a GLOBAL are not a dangerous pickle).
        if (module === undefined || attr === undefined) {
          throw new Malformed(`malformed: ${name} at byte ${offset} names a module that is not UTF-8 (the unpickler fails here)`);
        }
        this.checkImportable(module, attr, name, offset);
        this.addImport(module, attr, name, offset);
        if (name === "INST") {
          // INST calls the class with the values above the mark.
          this.getattrUses.set(this.imports.length - 1, false);
          for (const value of this.popMark(name, offset)) this.use(value);
          this.push1(OPAQUE);
        } else this.pushGlobal();
        return;
      }
      case "STRING": {
        const text = decodeQuotedString(first);
        // A STRING that does not parse makes the unpickler fail: not a string either way.
        this.push1(text === undefined ? literalOf(name) : { kind: "str", text });
        return;
      }
      case "UNICODE": {
        const text = decodeRawUnicodeEscape(first);
        this.push1(text === undefined ? literalOf(name) : { kind: "str", text });
        return;
      }
      case "PUT": {
        const key = this.memoKey(first, name, offset);
        this.memo.set(key, this.top(name, offset));
        return;
      }
      case "GET":
        this.get(this.memoKey(first, name, offset));
        return;
      default:
        // FLOAT, INT, LONG: a number; PERSID: whatever persistent_load returns.
        this.push1(name === "PERSID" ? OPAQUE : literalOf(name));
    }
  }

  private checkImportable(module: string, attr: string, opcode: string, offset: number): void {
    if (!importable(module) || !importable(attr)) {
      const shown = JSON.stringify(`${module} ${attr}`.slice(0, 60));
      throw new Malformed(`malformed: ${opcode} at byte ${offset} names ${shown}, which no module can be (the unpickler fails here)`);
    }
  }

  private memoKey(line: Uint8Array, name: string, offset: number): number {
    const text = latin1(line).trim();
    if (!/^[+-]?\d+$/.test(text)) throw new Malformed(`malformed: ${name} key ${JSON.stringify(text.slice(0, 40))} at byte ${offset}`);
    return Number.parseInt(text, 10);
  }

  private afterLongLine(name: string, offset: number): void {
    if (name === "PUT" || name === "GET") throw new Malformed(`malformed: ${name} key too long at byte ${offset}`);
    // A long STRING/UNICODE could be a padded dotted name; a long number is a number.
    this.push1(name === "STRING" || name === "UNICODE" || name === "PERSID" ? OPAQUE : literalOf(name));
  }

  /** Protocol announced by the current pickle's PROTO opcode (0 when none). */
  get protocol(): number {
    return this.proto;
  }
}

/**
 * Reads every pickle in a whole buffer, at most `maxBytes` of it; a buffer longer than the cap gives
 * `complete: false` with a "byte cap" error unless the reading finished (maxPickles) before the cap.
 */
export function readPickles(bytes: Uint8Array, options: PickleReaderOptions & { maxBytes?: number } = {}): PickleReadResult {
  const reader = new PickleStreamReader(options);
  const cap = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const limited = bytes.length > cap ? bytes.subarray(0, cap) : bytes;
  reader.push(limited);
  if (!reader.done && limited.length < bytes.length) {
    reader.abort(`byte cap: stopped after ${limited.length} of ${bytes.length} bytes`);
  }
  return reader.finish();
}
