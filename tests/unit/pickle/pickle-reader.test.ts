import { describe, expect, it } from "vitest";
import { PickleStreamReader, readPickles } from "../../../lib/readers/pickle/pickle-reader";
import { ascii, concatBytes, fixture } from "./fixtures";

const names = (bytes: Uint8Array, options = {}) => readPickles(bytes, options).imports.map((i) => `${i.module}.${i.name}`);

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}
function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}
const bytes = (...values: number[]) => Uint8Array.from(values);
const shortUnicode = (text: string) => concatBytes(bytes(0x8c, text.length), ascii(text));

describe("readPickles on fixtures", () => {
  it("reads the torch data.pkl imports, in order, with memo reuse", () => {
    const result = readPickles(fixture("legacy-torch.pt"), { maxPickles: 5 });
    expect(result.complete).toBe(true);
    expect(result.pickles).toBe(5);
    expect(result.imports.map((i) => `${i.module}.${i.name}`)).toEqual([
      "collections.OrderedDict",
      "torch._utils._rebuild_tensor_v2",
      "torch.FloatStorage",
      "collections.OrderedDict",
      "collections.OrderedDict",
    ]);
    // The raw storage bytes after the fifth pickle were not read.
    expect(result.bytesConsumed).toBe(fixture("legacy-torch.pt").length - 48);
  });

  it.each([
    ["posix-system.pkl", ["posix.system"]],
    ["runpy-run-code.pkl", ["runpy._run_code"]],
    ["inst-os-system.pkl", ["os.system"]],
    ["benign-proto0.pkl", ["collections.OrderedDict"]],
    ["benign-plain.pkl", []],
    ["memo-overwrite.pkl", ["os.system"]],
    ["memo-index.pkl", ["builtins.eval"]],
    ["appended.pkl", ["builtins.eval"]],
  ])("%s imports %j", (name, expected) => {
    const result = readPickles(fixture(name));
    expect(result.error).toBeUndefined();
    expect(result.complete).toBe(true);
    expect(result.imports.map((i) => `${i.module}.${i.name}`)).toEqual(expected);
    expect(result.imports.every((i) => i.resolved)).toBe(true);
  });

  it("scans a pickle appended after the first", () => {
    const result = readPickles(fixture("appended.pkl"));
    expect(result.pickles).toBe(2);
    expect(result.imports[0]?.opcode).toBe("GLOBAL");
    expect(result.imports[0]?.offset).toBeGreaterThan(10);
  });

  it("reports a STACK_GLOBAL computed at load time as unresolved", () => {
    const result = readPickles(fixture("stack-global-computed.pkl"));
    expect(result.complete).toBe(true);
    expect(result.imports).toEqual([
      expect.objectContaining({ module: "builtins", name: "str", opcode: "GLOBAL", resolved: true }),
      expect.objectContaining({ module: "unknown (not a string)", name: "system", opcode: "STACK_GLOBAL", resolved: false }),
    ]);
  });

  it.each([
    ["bad-opcode.pkl", /unknown opcode 0xff at byte 3/],
    ["stack-underflow.pkl", /REDUCE on an empty stack/],
    ["truncated.pkl", /truncated/],
    ["not-a-pickle.bin", /malformed/],
  ])("%s is incomplete: %s", (name, message) => {
    const result = readPickles(fixture(name));
    expect(result.complete).toBe(false);
    expect(result.error).toMatch(message);
  });

  it("keeps imports found before malformed bytes", () => {
    const result = readPickles(fixture("dangerous-then-garbage.pkl"));
    expect(result.complete).toBe(false);
    expect(result.imports.map((i) => `${i.module}.${i.name}`)).toEqual(["os.system"]);
  });

  it("an empty input is not a clean pickle", () => {
    const result = readPickles(new Uint8Array(0));
    expect(result.complete).toBe(false);
    expect(result.error).toMatch(/empty/);
  });
});

describe("streaming", () => {
  it("gives the same result fed one byte at a time", () => {
    for (const name of ["posix-system.pkl", "memo-index.pkl", "benign-proto0.pkl", "appended.pkl", "legacy-torch.pt"]) {
      const data = fixture(name);
      const reader = new PickleStreamReader();
      for (let i = 0; i < data.length && !reader.done; i++) reader.push(data.subarray(i, i + 1));
      const whole = readPickles(data);
      const streamed = reader.finish();
      expect(streamed.imports).toEqual(whole.imports);
      expect(streamed.complete).toBe(whole.complete);
    }
  });

  it("lets the caller skip a long bytes argument without fetching it", () => {
    // PROTO 4, BINBYTES8 of 1 MiB, POP, then GLOBAL os system, STOP.
    const big = 1024 * 1024;
    const head = concatBytes(bytes(0x80, 4, 0x8e), u64(big));
    const tail = concatBytes(bytes(0x30), ascii("cos\nsystem\n"), bytes(0x2e));
    const reader = new PickleStreamReader();
    reader.push(head);
    expect(reader.skippable()).toBe(big);
    reader.skip(big);
    expect(reader.skippable()).toBe(0);
    reader.push(tail);
    const result = reader.finish();
    expect(result.complete).toBe(true);
    expect(result.imports.map((i) => `${i.module}.${i.name}`)).toEqual(["os.system"]);
    expect(result.bytesConsumed).toBe(head.length + big + tail.length);
  });

  it("stops after maxPickles and ignores what follows", () => {
    const data = concatBytes(fixture("benign-plain.pkl"), bytes(0xff, 0xff));
    expect(readPickles(data, { maxPickles: 1 }).complete).toBe(true);
    expect(readPickles(data).complete).toBe(false);
  });
});

describe("opcode arguments", () => {
  it("skips every counted argument by its declared length", () => {
    const parts = [
      bytes(0x80, 5),
      bytes(0x95), u64(0), // FRAME (length not enforced)
      bytes(0x42), u32(3), ascii("abc"), bytes(0x30), // BINBYTES
      bytes(0x43, 2), ascii("ab"), bytes(0x30), // SHORT_BINBYTES
      bytes(0x8e), u64(3), ascii("\x8c\x93."), bytes(0x30), // BINBYTES8 whose payload looks like opcodes
      bytes(0x96), u64(2), ascii(".."), bytes(0x30), // BYTEARRAY8
      bytes(0x8d), u64(2), ascii("hi"), bytes(0x30), // BINUNICODE8
      bytes(0x8a, 2, 1, 2), bytes(0x30), // LONG1
      bytes(0x8b), u32(3), bytes(1, 2, 3), bytes(0x30), // LONG4
      bytes(0x54), u32(2), ascii("ok"), bytes(0x30), // BINSTRING
      bytes(0x55, 2), ascii("ok"), bytes(0x30), // SHORT_BINSTRING
      bytes(0x47), new Uint8Array(8), bytes(0x30), // BINFLOAT
      bytes(0x4a), u32(7), bytes(0x4d, 1, 0), bytes(0x4b, 1), bytes(0x86, 0x30, 0x30), // BININT, BININT2, BININT1; TUPLE2 leaves two items, both popped
      ascii("I12\n"), ascii("L12L\n"), ascii("F1.5\n"), bytes(0x87, 0x30), // INT LONG FLOAT TUPLE3
      bytes(0x97, 0x98, 0x30), // NEXT_BUFFER READONLY_BUFFER
      bytes(0x8f, 0x28, 0x4e, 0x90), bytes(0x28, 0x88, 0x89, 0x91, 0x30, 0x30), // EMPTY_SET ADDITEMS, FROZENSET
      shortUnicode("builtins"), shortUnicode("exec"), bytes(0x93, 0x2e),
    ];
    const result = readPickles(concatBytes(...parts));
    expect(result.error).toBeUndefined();
    expect(result.imports.map((i) => `${i.module}.${i.name}`)).toEqual(["builtins.exec"]);
  });

  it("resolves STACK_GLOBAL through LONG_BINPUT/LONG_BINGET and PUT/GET", () => {
    const data = concatBytes(
      bytes(0x80, 4),
      shortUnicode("subprocess"), bytes(0x72), u32(70000), bytes(0x30),
      ascii("Vcheck_output\n"), ascii("p12\n"), bytes(0x30),
      bytes(0x6a), u32(70000), ascii("g12\n"), bytes(0x93, 0x2e),
    );
    expect(names(data)).toEqual(["subprocess.check_output"]);
  });

  it("decodes STRING escapes and UNICODE \\u escapes into names", () => {
    const data = concatBytes(bytes(0x80, 4), ascii("S'o\\x73'\n"), ascii("Vsys\\u0074em\n"), bytes(0x93, 0x2e));
    expect(names(data)).toEqual(["os.system"]);
  });

  it("reports STACK_GLOBAL over a memo key never stored as unresolved", () => {
    const data = concatBytes(bytes(0x80, 4), bytes(0x68, 9), shortUnicode("system"), bytes(0x93, 0x2e));
    const result = readPickles(data);
    expect(result.imports).toEqual([expect.objectContaining({ resolved: false, name: "system" })]);
  });

  it("STACK_GLOBAL on bytes is an unresolved import, named for what it was handed, and the reading goes on", () => {
    // CPython refuses it ("requires str"), but no pickler writes it: a trick to hide an import cannot be cleared.
    const data = concatBytes(bytes(0x80, 4), bytes(0x43, 2), ascii("os"), bytes(0x43, 6), ascii("system"), bytes(0x93, 0x2e));
    const result = readPickles(data);
    expect(result.imports).toEqual([
      { module: "unknown (bytes, not a string)", name: "unknown (bytes, not a string)", opcode: "STACK_GLOBAL", offset: 14, resolved: false, operandNotString: true },
    ]);
    expect(result.complete).toBe(true);
    expect(result.announcedProtocol).toBe(true);
  });

  it.each([
    ["a number (BININT1)", concatBytes(bytes(0x4b, 1), shortUnicode("system")), "unknown (a number, not a string)", "system"],
    ["None", concatBytes(shortUnicode("os"), bytes(0x4e)), "os", "unknown (None, not a string)"],
    ["a tuple", concatBytes(shortUnicode("os"), bytes(0x85), shortUnicode("system")), "unknown (a tuple, not a string)", "system"],
    ["an empty list", concatBytes(bytes(0x5d), shortUnicode("system")), "unknown (a list, not a string)", "system"],
    ["a number kept in the memo", concatBytes(bytes(0x4b, 7, 0x71, 3, 0x30, 0x68, 3), shortUnicode("system")), "unknown (a number, not a string)", "system"],
    ["an imported class from the memo", concatBytes(ascii("ccollections\nOrderedDict\n"), bytes(0x71, 1, 0x30, 0x68, 1), shortUnicode("system")), "unknown (an imported object, not a string)", "system"],
  ])("STACK_GLOBAL on %s is an unresolved import", (_what, operands, module, name) => {
    const result = readPickles(concatBytes(bytes(0x80, 4), operands, bytes(0x93, 0x2e)));
    expect(result.imports.at(-1)).toEqual(expect.objectContaining({ module, name, opcode: "STACK_GLOBAL", resolved: false, operandNotString: true }));
    expect(result.complete).toBe(true);
  });

  it("STACK_GLOBAL on a computed value is an unresolved import", () => {
    // str(b"os") style: a REDUCE result, which could be any string.
    const data = concatBytes(bytes(0x80, 4), ascii("cbuiltins\nstr\n"), bytes(0x8c, 2), ascii("os"), bytes(0x85, 0x52), bytes(0x8c, 6), ascii("system"), bytes(0x93, 0x2e));
    expect(readPickles(data).imports.at(-1)).toMatchObject({ module: "unknown (not a string)", name: "system", resolved: false });
  });

  it("a GLOBAL whose lines are not UTF-8 is no import: Python 3 fails to decode it", () => {
    const data = concatBytes(ascii("c"), bytes(0xff, 0xfe, 0x0a), ascii("system\n"), bytes(0x2e));
    const result = readPickles(data);
    expect(result.imports).toEqual([]);
    expect(result.error).toMatch(/not UTF-8/);
  });

  it.each(["hello, this is text", "os ", "", "a..b", "1abc"])("a GLOBAL naming %j is no import (no module can be called that)", (module) => {
    const result = readPickles(concatBytes(ascii(`c${module}\nsystem\n`), bytes(0x2e)));
    expect(result.imports).toEqual([]);
    expect(result.error).toMatch(/which no module can be/);
  });

  it("accepts non-ASCII identifiers, as Python does", () => {
    const result = readPickles(concatBytes(bytes(0x80, 2), ascii("c"), new TextEncoder().encode("modèle\nRéseau\n"), bytes(0x29, 0x52, 0x2e)));
    expect(result.imports).toMatchObject([{ module: "modèle", name: "Réseau", resolved: true }]);
  });

  it("a GLOBAL name padded past what is read is an unresolved import, not a miss", () => {
    const padded = `cbuiltins\n${"exec.__call__".padEnd(70_000, ".__call__")}`;
    const result = readPickles(ascii(padded));
    expect(result.imports).toMatchObject([{ module: "unknown (name too long to read)", resolved: false }]);
  });

  it("reports EXT opcodes as unresolved imports", () => {
    const data = bytes(0x80, 2, 0x82, 7, 0x2e);
    expect(readPickles(data).imports[0]).toMatchObject({ opcode: "EXT", resolved: false });
  });

  it("rejects protocol 6 and stack underflow instead of guessing", () => {
    expect(readPickles(bytes(0x80, 6, 0x4e, 0x2e)).error).toMatch(/protocol 6/);
    expect(readPickles(bytes(0x80, 2, 0x93, 0x2e)).error).toMatch(/STACK_GLOBAL on an empty stack/);
    expect(readPickles(bytes(0x80, 2, 0x74, 0x2e)).error).toMatch(/without MARK/);
  });

  it("skips a long protocol 0 string line", () => {
    const data = concatBytes(ascii("S'"), ascii("x".repeat(10_000)), ascii("'\n0cos\nsystem\n."));
    const reader = new PickleStreamReader();
    for (let i = 0; i < data.length; i += 1000) reader.push(data.subarray(i, i + 1000));
    const result = reader.finish();
    expect(result.complete).toBe(true);
    expect(result.imports.map((i) => i.name)).toEqual(["system"]);
  });
});

describe("byte cap", () => {
  it("says incomplete when the cap stops the read", () => {
    const data = fixture("appended.pkl");
    const result = readPickles(data, { maxBytes: 20 });
    expect(result.complete).toBe(false);
    expect(result.error).toMatch(/byte cap/);
    expect(result.imports).toEqual([]);
  });
  it("is complete when the cap is not reached", () => {
    const data = fixture("appended.pkl");
    expect(readPickles(data, { maxBytes: data.length }).complete).toBe(true);
  });
});

describe("getattr that only reads names (Python ≥ 3.12 enum members)", () => {
  const getattrOf = (name: string) => readPickles(fixture(name)).imports.filter((imp) => imp.name === "getattr");

  it("getattr(<imported class>, 'NAME') whose results are never called only looks up names", () => {
    for (const name of ["benign-training-args-py312.bin", "benign-training-args-py312-p4.bin"]) {
      const found = getattrOf(name);
      expect(found.length, name).toBeGreaterThan(0);
      expect(found.every((imp) => imp.onlyLooksUpNames === true), name).toBe(true);
    }
  });

  it.each(["peer-getattr-result-called.pkl", "peer-getattr-nested.pkl", "peer-getattr-chain.pkl"])("%s: a getattr whose result is called, or not on an import, is not", (name) => {
    const found = getattrOf(name);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((imp) => imp.onlyLooksUpNames === true)).toBe(false);
  });

  it("a getattr handed to another function is not", () => {
    // functools.reduce(getattr, …): getattr as an argument.
    const data = concatBytes(bytes(0x80, 2), ascii("cfunctools\nreduce\ncbuiltins\ngetattr\n"), bytes(0x85, 0x52, 0x2e));
    expect(readPickles(data).imports.find((imp) => imp.name === "getattr")?.onlyLooksUpNames).toBeUndefined();
  });
});
