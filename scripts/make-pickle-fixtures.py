#!/usr/bin/env python3
"""Writes the pickle fixtures under tests/fixtures/pickles/ (Python 3 standard library only).

Every pickle is written as hand-assembled opcodes, so nothing is imported or run: the
"malicious" files only *name* dangerous globals. This script never unpickles anything
(pickletools.dis, used as a self-check, only disassembles).

Usage: python3 scripts/make-pickle-fixtures.py [output-dir]
"""
import io
import pickletools
import struct
import sys
import zlib
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "tests/fixtures/pickles"

# ---- opcodes -------------------------------------------------------------------------------
MARK, STOP, POP, TUPLE, EMPTY_TUPLE, REDUCE, SETITEM, APPEND, APPENDS, BUILD = b"(", b".", b"0", b"t", b")", b"R", b"s", b"a", b"e", b"b"
EMPTY_DICT, EMPTY_LIST, NONE, NEWTRUE, NEWFALSE, BINPERSID = b"}", b"]", b"N", b"\x88", b"\x89", b"Q"
TUPLE1, TUPLE2, TUPLE3, STACK_GLOBAL, MEMOIZE = b"\x85", b"\x86", b"\x87", b"\x93", b"\x94"


def proto(n: int) -> bytes:
    return b"\x80" + bytes([n])


def global_(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def binunicode(text: str) -> bytes:
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def short_binunicode(text: str) -> bytes:
    data = text.encode()
    assert len(data) < 256
    return b"\x8c" + bytes([len(data)]) + data


def binint1(n: int) -> bytes:
    return b"K" + bytes([n])


def binput(n: int) -> bytes:
    return b"q" + bytes([n])


def binget(n: int) -> bytes:
    return b"h" + bytes([n])


def frame(body: bytes) -> bytes:
    """Protocol 4 framing: FRAME <8-byte length> then the opcodes."""
    return b"\x95" + struct.pack("<Q", len(body)) + body


def check(data: bytes, strict: bool = True) -> bytes:
    """Disassembles every pickle in data (never loads): a fixture that should be valid must be.

    pickletools.dis also refuses a memo key written twice, which the unpickler accepts; the
    memo-confusion fixtures are checked with genops (opcode structure only)."""
    stream = io.BytesIO(data)
    while stream.tell() < len(data):
        if strict:
            pickletools.dis(stream, out=io.StringIO())
        else:
            for _ in pickletools.genops(stream):
                pass
    return data


# ---- PyTorch-style pickles --------------------------------------------------------------------
def tensor(key: str, numel: int, memo: dict) -> bytes:
    """torch._utils._rebuild_tensor_v2(persistent storage, offset, size, stride, requires_grad, hooks)."""
    out = bytearray()
    if "rebuild" in memo:
        out += binget(memo["rebuild"])
    else:
        out += global_("torch._utils", "_rebuild_tensor_v2") + binput(memo.setdefault("rebuild", len(memo)))
    out += MARK + MARK + binunicode("storage")
    if "storage" in memo:
        out += binget(memo["storage"])
    else:
        out += global_("torch", "FloatStorage") + binput(memo.setdefault("storage", len(memo)))
    out += binunicode(key) + binunicode("cpu") + binint1(numel) + TUPLE + BINPERSID
    out += binint1(0) + binint1(2) + binint1(2) + TUPLE2 + binint1(2) + binint1(1) + TUPLE2 + NEWFALSE
    out += global_("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + TUPLE + REDUCE
    return bytes(out)


def torch_state_dict(extra: bytes = b"") -> bytes:
    """OrderedDict(weight=tensor, bias=tensor) at protocol 2, the way torch.save writes it."""
    memo: dict = {}
    body = proto(2) + global_("collections", "OrderedDict") + binput(99) + EMPTY_TUPLE + REDUCE
    body += binunicode("weight") + tensor("0", 4, memo) + SETITEM
    body += binunicode("bias") + tensor("1", 4, memo) + SETITEM
    return check(body + extra + STOP)


def call(module: str, name: str, arg: str, protocol: int = 2) -> bytes:
    """module.name(arg) via GLOBAL + REDUCE. Written, never loaded."""
    return check(proto(protocol) + global_(module, name) + binunicode(arg) + TUPLE1 + REDUCE + STOP)


HARMLESS = "print('hub-sentinel fixture: never loaded')"

# ---- zip writer (stored or deflated; optional ZIP64 records) ----------------------------------
def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def make_zip(members, zip64: bool = False) -> bytes:
    """members: (name, data, method) with method 0 (stored) or 8 (deflated)."""
    out = bytearray()
    central = bytearray()
    version = 45 if zip64 else 20
    for name, data, method in members:
        raw_name = name.encode()
        comp = data if method == 0 else deflate_raw(data)
        crc = zlib.crc32(data)
        offset = len(out)
        if zip64:
            local_extra = struct.pack("<HHQQ", 1, 16, len(data), len(comp))
            sizes = (0xFFFFFFFF, 0xFFFFFFFF)
            central_extra = struct.pack("<HHQQQ", 1, 24, len(data), len(comp), offset)
            central_offset = 0xFFFFFFFF
        else:
            local_extra = b""
            sizes = (len(comp), len(data))
            central_extra = b""
            central_offset = offset
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, version, 0x800, method, 0, 0x21, crc, sizes[0], sizes[1], len(raw_name), len(local_extra))
        out += raw_name + local_extra + comp
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, version, version, 0x800, method, 0, 0x21, crc, sizes[0], sizes[1],
            len(raw_name), len(central_extra), 0, 0, 0, 0, central_offset,
        )
        central += raw_name + central_extra
    cd_offset = len(out)
    out += central
    count = len(members)
    if zip64:
        record_offset = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central), cd_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, record_offset, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_offset, 0)
    return bytes(out)


def torch_zip(data_pkl: bytes, prefix: str = "archive", zip64: bool = False, method: int = 0) -> bytes:
    storage = struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)
    return make_zip(
        [
            (f"{prefix}/data.pkl", data_pkl, method),
            (f"{prefix}/byteorder", b"little", method),
            (f"{prefix}/data/0", storage, 0),
            (f"{prefix}/data/1", storage, 0),
            (f"{prefix}/version", b"3\n", method),
            (f"{prefix}/.data/serialization_id", b"1234567890", method),
        ],
        zip64=zip64,
    )


# ---- .npy -----------------------------------------------------------------------------------
def npy(descr: str, shape: str, payload: bytes) -> bytes:
    header = "{'descr': %s, 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload


def numpy_object_array_pickle() -> bytes:
    """What np.save writes for np.array(['a', 1], dtype=object): an ndarray pickled at protocol 3."""
    body = proto(3)
    body += global_("numpy.core.multiarray", "_reconstruct") + global_("numpy", "ndarray")
    body += binint1(0) + TUPLE1 + b"C\x01b" + TUPLE3 + REDUCE
    body += MARK + binint1(1) + binint1(2) + TUPLE1
    body += global_("numpy", "dtype") + binunicode("O8") + NEWFALSE + NEWTRUE + TUPLE3 + REDUCE
    body += MARK + binint1(3) + binunicode("|") + NONE + NONE + NONE + b"J\xff\xff\xff\xff" + b"J\xff\xff\xff\xff" + binint1(63) + TUPLE + BUILD
    body += NEWFALSE + EMPTY_LIST + MARK + binunicode("a") + binint1(1) + APPENDS + TUPLE + BUILD + STOP
    return check(body)


# ---- fixtures -------------------------------------------------------------------------------
def fixtures():
    benign = torch_state_dict()
    yield "benign-torch.pt", torch_zip(benign), "PyTorch zip (archive/data.pkl, data/0, data/1, version): OrderedDict of two tensors -> clean"
    yield "exec-torch.pt", torch_zip(call("builtins", "exec", HARMLESS)), "PyTorch zip whose data.pkl calls builtins.exec -> dangerous"
    yield "benign-zip64.pt", torch_zip(benign, zip64=True), "the benign PyTorch zip written with ZIP64 sizes/offsets, ZIP64 EOCD record and locator -> clean"
    yield "deflated-torch.pt", torch_zip(call("os", "system", "true"), prefix="model", method=8), "PyTorch zip with deflated members; data.pkl calls os.system -> dangerous"
    # The JFrog pattern: an ordinary state dict that also runs a shell command (the fake Hub serves it).
    posix_extra = binunicode("_meta") + global_("posix", "system") + binunicode("true") + TUPLE1 + REDUCE + SETITEM
    yield "posix-system-torch.pt", torch_zip(torch_state_dict(posix_extra)), "PyTorch zip: a state dict of two tensors whose data.pkl also calls posix.system -> dangerous"

    posix_body = short_binunicode("posix") + MEMOIZE + short_binunicode("system") + MEMOIZE + STACK_GLOBAL + MEMOIZE
    posix_body += short_binunicode("true") + MEMOIZE + TUPLE1 + MEMOIZE + REDUCE + MEMOIZE + STOP
    yield "posix-system.pkl", check(proto(4) + frame(posix_body)), "protocol 4 with FRAME: STACK_GLOBAL posix.system -> dangerous"
    yield "runpy-run-code.pkl", call("runpy", "_run_code", HARMLESS), "protocol 2 GLOBAL runpy._run_code -> dangerous"
    yield "inst-os-system.pkl", check(MARK + b"S'true'\n" + b"ios\nsystem\n" + STOP), "protocol 0 INST os.system -> dangerous"

    proto0 = b"ccollections\nOrderedDict\np0\n((lp1\n(S'key'\np2\nVvalue \\u00e9\np3\ntp4\natp5\nRp6\n."
    yield "benign-proto0.pkl", check(proto0), "protocol 0 text pickle: OrderedDict([('key', 'value é')]) with PUT/STRING/UNICODE -> clean"
    yield "benign-plain.pkl", check(proto(4) + frame(b"}\x94(" + short_binunicode("lr") + b"G?\xb9\x99\x99\x99\x99\x99\x9a" + short_binunicode("names") + b"]\x94(" + short_binunicode("a") + short_binunicode("b") + b"eu.")), "plain protocol 4 dict, no imports -> clean"

    # Memo confusion: the memo slots first hold a harmless pair, then are overwritten.
    overwrite = proto(4) + short_binunicode("collections") + MEMOIZE + short_binunicode("OrderedDict") + MEMOIZE + POP + POP
    overwrite += short_binunicode("os") + binput(0) + short_binunicode("system") + binput(1) + POP + POP
    overwrite += binget(0) + binget(1) + STACK_GLOBAL + short_binunicode("true") + TUPLE1 + REDUCE + STOP
    yield "memo-overwrite.pkl", check(overwrite, strict=False), "STACK_GLOBAL args from memo slots overwritten by BINPUT (first write collections.OrderedDict, real os.system) -> dangerous"
    # MEMOIZE stores at len(memo), not at "number of MEMOIZE ops so far".
    index = proto(4) + short_binunicode("builtins") + binput(5) + short_binunicode("eval") + MEMOIZE + short_binunicode("nothing") + MEMOIZE
    index += POP + POP + POP + binget(5) + binget(1) + STACK_GLOBAL + short_binunicode("1+1") + TUPLE1 + REDUCE + STOP
    yield "memo-index.pkl", check(index, strict=False), "BINPUT 5 then MEMOIZE (stored at key 1 = len(memo)); BINGET 5, BINGET 1 -> builtins.eval -> dangerous"
    computed = proto(4) + global_("builtins", "str") + MARK + short_binunicode("os") + TUPLE + REDUCE
    computed += short_binunicode("system") + STACK_GLOBAL + short_binunicode("true") + TUPLE1 + REDUCE + STOP
    yield "stack-global-computed.pkl", check(computed), "STACK_GLOBAL whose module is computed at load time (str('os')): unresolvable -> dangerous"

    first = check(proto(2) + EMPTY_DICT + binunicode("a") + binint1(1) + SETITEM + STOP)
    yield "appended.pkl", first + call("builtins", "eval", "1+1"), "benign pickle, then a second pickle calling builtins.eval -> dangerous"

    inner = torch_zip(call("os", "system", "true"))
    yield "nested.zip", make_zip([("readme.txt", b"models inside", 0), ("inner/model.pt", inner, 0)]), "zip holding a stored PyTorch zip whose data.pkl calls os.system -> dangerous"
    yield "nested-deflated.zip", make_zip([("inner/model.pt", inner, 8)]), "zip holding a deflated PyTorch zip (os.system) -> dangerous"
    deep = torch_zip(benign)
    for level in range(5):
        deep = make_zip([(f"level{level}.zip", deep, 0)])
    yield "nested-deep.zip", deep, "benign PyTorch zip wrapped in 5 more zips: beyond the default depth 3 -> unknown"

    magic = proto(2) + b"\x8a\x0a" + (0x1950A86A20F9469CFC6C).to_bytes(10, "little") + STOP
    version = proto(2) + b"M\xe9\x03" + STOP
    sys_info = proto(2) + EMPTY_DICT + binunicode("protocol_version") + b"M\xe9\x03" + SETITEM + binunicode("little_endian") + NEWTRUE + SETITEM + STOP
    keys = proto(2) + EMPTY_LIST + binunicode("0") + APPEND + binunicode("1") + APPEND + STOP
    raw = (struct.pack("<q", 4) + b"\xff" * 16) * 2
    legacy = b"".join(check(p) for p in (magic, version, sys_info, benign, keys)) + raw
    yield "legacy-torch.pt", legacy, "legacy (non-zip) torch.save: magic, protocol, sys info, data, storage keys pickles, then raw storage bytes -> clean"
    legacy_evil = b"".join(check(p) for p in (magic, version, call("builtins", "eval", "1+1"), benign, keys)) + raw
    yield "legacy-torch-evil.pt", legacy_evil, "legacy torch file whose sys-info pickle calls builtins.eval -> dangerous"

    yield "object-array.npy", npy("'|O'", "(2,)", numpy_object_array_pickle()), ".npy with dtype object: payload pickle imports numpy._reconstruct/ndarray/dtype -> clean"
    evil_payload = check(proto(3) + EMPTY_LIST + MARK + global_("builtins", "eval") + binunicode("1+1") + TUPLE1 + REDUCE + APPENDS + STOP)
    yield "object-array-evil.npy", npy("'|O'", "(1,)", evil_payload), ".npy with dtype object whose payload calls builtins.eval -> dangerous"
    yield "float32.npy", npy("'<f4'", "(4,)", struct.pack("<4f", 1, 2, 3, 4)), ".npy of float32: no pickle -> clean"
    yield "arrays.npz", make_zip([("a.npy", npy("'<f4'", "(4,)", struct.pack("<4f", 1, 2, 3, 4)), 8), ("b.npy", npy("'|O'", "(1,)", evil_payload), 8)]), "npz (deflated): a float array and an object array calling builtins.eval -> dangerous"

    yield "archive.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24), "7z signature header only -> unknown (cannot read 7z archives)"

    yield "bad-opcode.pkl", proto(2) + EMPTY_LIST + b"\xff" + STOP, "unknown opcode 0xff -> unknown"
    yield "stack-underflow.pkl", proto(2) + REDUCE + STOP, "REDUCE on an empty stack -> unknown"
    yield "truncated.pkl", benign[: len(benign) // 2], "the benign data.pkl cut in half -> unknown"
    yield "dangerous-then-garbage.pkl", proto(2) + global_("os", "system") + binunicode("true") + TUPLE1 + REDUCE + b"\xfe\xfe", "os.system, then garbage: the import still runs on load -> dangerous"
    full = torch_zip(benign)
    yield "truncated-zip.pt", full[: len(full) * 2 // 3], "the benign PyTorch zip cut to two thirds (no end of central directory) -> unknown"
    bad = bytearray(full)
    eocd = bytes(bad).rfind(b"PK\x05\x06")
    struct.pack_into("<I", bad, eocd + 16, 0x7FFFFFF0)
    yield "bad-cd-offset.pt", bytes(bad), "PyTorch zip whose EOCD points the central directory past the end -> unknown"
    yield "not-a-pickle.bin", b"hello, this is text and not a pickle\n", "text bytes -> unknown (not a format the reader knows)"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Pickle fixtures",
        "",
        "Generated by `python3 scripts/make-pickle-fixtures.py` from hand-written opcodes: nothing here was",
        "produced by running the code it names, and no test ever unpickles these files. Regenerate, do not edit.",
        "",
    ]
    for name, data, description in fixtures():
        (OUT / name).write_bytes(data)
        lines.append(f"- `{name}` ({len(data)} bytes): {description}")
    (OUT / "README.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {len(lines) - 5} fixtures to {OUT}")


if __name__ == "__main__":
    main()
