#!/usr/bin/env python3
"""Writes the Keras model fixtures under tests/fixtures/keras/ (Python 3 standard library only).

`.keras` files are real Keras 3 archives (zip: metadata.json, config.json, model.weights.h5) written
with zipfile. `.h5` files are real HDF5 files written byte by byte, following the HDF Group's
"HDF5 File Format Specification Version 3.0" (h5py is not available here): superblock v0 with a
version-1 root object header (compact attributes, a continuation block, fixed- and variable-length
strings through a global heap) and superblock v2 with an "OHDR" root whose attributes are in dense
storage (attribute info message, fractal heap with a managed direct block and a huge object,
v2 B-trees), with Jenkins lookup3 checksums where the format has them.

Nothing here is loaded by Keras: "malicious" configs only *name* a Lambda or a foreign function.
The Lambda bytecode is a base64 placeholder in the shape Keras writes (marshal of a code object).

Usage: python3 scripts/make-format-fixtures.py [output-dir]
"""
import base64
import io
import json
import struct
import sys
import zipfile
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "tests/fixtures/keras"
UNDEF = 0xFFFFFFFFFFFFFFFF
O = 8  # size of offsets
L = 8  # size of lengths
# What marshal.dumps of a small lambda's code looks like, base64-encoded as Keras stores it; never run.
LAMBDA_CODE = base64.b64encode(b"\xe3\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\xf3\x08\x00\x00\x00|\x00d\x01\x14\x00S\x00").decode()


# ---- Jenkins lookup3 hashlittle (HDF5 metadata checksums, H5_checksum_lookup3) ----------------
def _rot(x, k):
    return ((x << k) | (x >> (32 - k))) & 0xFFFFFFFF


def lookup3(data: bytes, initval: int = 0) -> int:
    length = len(data)
    a = b = c = (0xDEADBEEF + length + initval) & 0xFFFFFFFF
    i = 0
    while length > 12:
        a = (a + data[i] + (data[i + 1] << 8) + (data[i + 2] << 16) + (data[i + 3] << 24)) & 0xFFFFFFFF
        b = (b + data[i + 4] + (data[i + 5] << 8) + (data[i + 6] << 16) + (data[i + 7] << 24)) & 0xFFFFFFFF
        c = (c + data[i + 8] + (data[i + 9] << 8) + (data[i + 10] << 16) + (data[i + 11] << 24)) & 0xFFFFFFFF
        a = (a - c) & 0xFFFFFFFF; a ^= _rot(c, 4); c = (c + b) & 0xFFFFFFFF
        b = (b - a) & 0xFFFFFFFF; b ^= _rot(a, 6); a = (a + c) & 0xFFFFFFFF
        c = (c - b) & 0xFFFFFFFF; c ^= _rot(b, 8); b = (b + a) & 0xFFFFFFFF
        a = (a - c) & 0xFFFFFFFF; a ^= _rot(c, 16); c = (c + b) & 0xFFFFFFFF
        b = (b - a) & 0xFFFFFFFF; b ^= _rot(a, 19); a = (a + c) & 0xFFFFFFFF
        c = (c - b) & 0xFFFFFFFF; c ^= _rot(b, 4); b = (b + a) & 0xFFFFFFFF
        length -= 12
        i += 12
    if length == 0:
        return c
    tail = data[i:] + bytes(12 - length)
    a = (a + tail[0] + (tail[1] << 8) + (tail[2] << 16) + (tail[3] << 24)) & 0xFFFFFFFF
    b = (b + tail[4] + (tail[5] << 8) + (tail[6] << 16) + (tail[7] << 24)) & 0xFFFFFFFF
    c = (c + tail[8] + (tail[9] << 8) + (tail[10] << 16) + (tail[11] << 24)) & 0xFFFFFFFF
    c ^= b; c = (c - _rot(b, 14)) & 0xFFFFFFFF
    a ^= c; a = (a - _rot(c, 11)) & 0xFFFFFFFF
    b ^= a; b = (b - _rot(a, 25)) & 0xFFFFFFFF
    c ^= b; c = (c - _rot(b, 16)) & 0xFFFFFFFF
    a ^= c; a = (a - _rot(c, 4)) & 0xFFFFFFFF
    b ^= a; b = (b - _rot(a, 14)) & 0xFFFFFFFF
    c ^= b; c = (c - _rot(b, 24)) & 0xFFFFFFFF
    return c


def with_checksum(body: bytes) -> bytes:
    return body + struct.pack("<I", lookup3(body))


def pad8(data: bytes) -> bytes:
    return data + bytes((-len(data)) % 8)


def u(n: int, size: int) -> bytes:
    return n.to_bytes(size, "little")


# ---- model configs ---------------------------------------------------------------------------
def k3(module, class_name, config, registered_name=None, **extra):
    obj = {"module": module, "class_name": class_name, "config": config, "registered_name": registered_name}
    obj.update(extra)
    return obj


def policy():
    return k3("keras", "DTypePolicy", {"name": "float32"})


def dense(name, units, activation="relu"):
    return k3("keras.layers", "Dense", {
        "name": name, "trainable": True, "dtype": policy(), "units": units, "activation": activation, "use_bias": True,
        "kernel_initializer": k3("keras.initializers", "GlorotUniform", {"seed": None}),
        "bias_initializer": k3("keras.initializers", "Zeros", {}),
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
    }, build_config={"input_shape": [None, 32]})


def input_layer(name, shape):
    return k3("keras.layers", "InputLayer", {"batch_shape": [None, *shape], "dtype": "float32", "sparse": False, "name": name})


def k3_lambda(name):
    return k3("keras.layers", "Lambda", {
        "name": name, "trainable": True, "dtype": policy(),
        "function": {"class_name": "__lambda__", "config": {"code": LAMBDA_CODE, "defaults": None, "closure": None}},
        "arguments": {}, "output_shape": None,
    }, build_config={"input_shape": [None, 10, 32]})


def functional(name, layers, inputs, outputs):
    return k3("keras", "Functional", {"name": name, "trainable": True, "layers": layers, "input_layers": inputs, "output_layers": outputs})


def node(layer, args_of=None):
    return {"name": layer["config"]["name"], "class_name": layer["class_name"], "config": layer["config"], "module": layer["module"],
            "registered_name": layer["registered_name"], "build_config": layer.get("build_config"),
            "inbound_nodes": [] if args_of is None else [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [None, 32], "dtype": "float32", "keras_history": [args_of, 0, 0]}}], "kwargs": {}}]}


def clean_config():
    inp = input_layer("pixels", [32])
    d1 = dense("hidden", 64)
    d2 = dense("logits", 10, "softmax")
    return functional("classifier", [node(inp), node(d1, "pixels"), node(d2, "hidden")], [["pixels", 0, 0]], [["logits", 0, 0]])


def lambda_config(lambda_name="scale_by_two", hostile=False):
    """A Lambda deep inside: a Sequential inside a Functional, wrapped by TimeDistributed and Bidirectional."""
    inner_lambda = k3_lambda(lambda_name)
    wrapped = k3("keras.layers", "TimeDistributed", {"name": "per_step", "trainable": True, "dtype": policy(), "layer": inner_lambda})
    rnn = k3("keras.layers", "Bidirectional", {"name": "context", "trainable": True, "dtype": policy(), "merge_mode": "concat",
                                              "layer": k3("keras.layers", "LSTM", {"name": "forward_lstm", "units": 16, "activation": "tanh"}),
                                              "backward_layer": k3("keras.layers", "LSTM", {"name": "backward_lstm", "units": 16, "go_backwards": True})})
    encoder = k3("keras", "Sequential", {"name": "encoder", "trainable": True, "dtype": policy(), "layers": [input_layer("steps", [10, 32]), wrapped, rnn]})
    layers = [node(input_layer("tokens", [10, 32])), node(encoder, "tokens"), node(dense("head", 2, "softmax"), "encoder")]
    if hostile:
        layers.insert(2, node(k3_lambda('<svg onload=alert("lambda")>\u202e'), "encoder"))
    return functional("lambda_model", layers, [["tokens", 0, 0]], [["head", 0, 0]])


def bypass_config():
    """The CVE-2025-1550 class: no Lambda at all, but configs that make the loader import os/subprocess/builtins."""
    d = dense("hidden", 64)
    # An "activation" that is a function looked up in builtins by name: exec.
    d["config"]["activation"] = k3("builtins", "function", "exec", "function")
    inp = input_layer("pixels", [32])
    probe = k3("subprocess", "Popen", {"name": "probe", "args": ["sh", "-c", "id"]})
    return functional("innocent_classifier", [node(inp), node(d, "pixels"), node(probe, "hidden")], [["pixels", 0, 0]], [["hidden", 0, 0]])


def legacy_sequential(layers, name="sequential"):
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers}}


def legacy_lambda_config():
    return legacy_sequential([
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 32], "dtype": "float32", "sparse": False, "ragged": False, "name": "input_1"}},
        {"class_name": "Dense", "config": {"name": "dense", "trainable": True, "dtype": "float32", "units": 64, "activation": "relu", "use_bias": True}},
        {"class_name": "Lambda", "config": {"name": "normalize", "trainable": True, "dtype": "float32",
                                            "function": [LAMBDA_CODE, None, None], "function_type": "lambda", "module": "__main__",
                                            "output_shape": None, "output_shape_type": "raw", "output_shape_module": None, "arguments": {}}},
        {"class_name": "Dense", "config": {"name": "dense_1", "trainable": True, "dtype": "float32", "units": 10, "activation": "softmax", "use_bias": True}},
    ])


def legacy_clean_config(layer_count=3):
    layers = [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, 32], "dtype": "float32", "name": "input_1"}}]
    for i in range(layer_count):
        layers.append({"class_name": "Dense", "config": {"name": f"dense_{i}", "trainable": True, "dtype": "float32", "units": 64,
                                                         "activation": "relu", "use_bias": True,
                                                         "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                                                         "bias_initializer": {"class_name": "Zeros", "config": {}}}})
    return legacy_sequential(layers)


def legacy_big_lambda_config():
    """A legacy config of > 64 KiB (many layers) with one Lambda near the end: stored as a huge dense attribute."""
    cfg = legacy_clean_config(260)
    cfg["config"]["layers"].append(legacy_lambda_config()["config"]["layers"][2])
    return cfg


# ---- .keras archives -------------------------------------------------------------------------
def keras_archive(config, weights_bytes=2048):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        # Fixed timestamps: the fixtures are byte-for-byte reproducible.
        archive.writestr(zipfile.ZipInfo("metadata.json", (2025, 1, 15, 10, 0, 0)), json.dumps({"keras_version": "3.6.0", "date_saved": "2025-01-15@10:00:00"}))
        archive.writestr(zipfile.ZipInfo("config.json", (2025, 1, 15, 10, 0, 0)), json.dumps(config), compress_type=zipfile.ZIP_DEFLATED)
        # The weights member: a stand-in HDF5 signature and zeros (only its size matters to the reader, which skips it).
        archive.writestr(zipfile.ZipInfo("model.weights.h5", (2025, 1, 15, 10, 0, 0)), b"\x89HDF\r\n\x1a\n" + bytes(weights_bytes))
    return buffer.getvalue()


# ---- HDF5 building blocks ---------------------------------------------------------------------
def dt_fixed_string(size):
    # class 3 (string), version 1; padding 1 (null pad), charset 0 (ASCII), as h5py writes numpy bytes.
    return bytes([0x13, 0x01, 0x00, 0x00]) + u(size, 4)


def dt_vlen_string():
    # class 9 (variable-length), version 1; type 1 (string), padding 0, charset 1 (UTF-8); base type: 1-byte unsigned int.
    base = bytes([0x10, 0x00, 0x00, 0x00]) + u(1, 4) + u(0, 2) + u(8, 2)
    return bytes([0x19, 0x01, 0x01, 0x00]) + u(4 + O + 4, 4) + base


def ds_scalar_v1():
    return bytes([1, 0, 0, 0]) + bytes(4)


def ds_scalar_v2():
    return bytes([2, 0, 0, 0])


def attr_v1(name, datatype, dataspace, data):
    name_bytes = name.encode() + b"\x00"
    head = bytes([1, 0]) + u(len(name_bytes), 2) + u(len(datatype), 2) + u(len(dataspace), 2)
    return pad8(head + pad8(name_bytes) + pad8(datatype) + pad8(dataspace) + data)


def attr_v3(name, datatype, dataspace, data):
    name_bytes = name.encode() + b"\x00"
    head = bytes([3, 0]) + u(len(name_bytes), 2) + u(len(datatype), 2) + u(len(dataspace), 2) + bytes([1])
    return head + name_bytes + datatype + dataspace + data


def msg_v1(mtype, data):
    data = pad8(data)
    return u(mtype, 2) + u(len(data), 2) + bytes([0]) + bytes(3) + data


def msg_v2(mtype, data):
    return bytes([mtype]) + u(len(data), 2) + bytes([0]) + data


class Hdf5File:
    """Bytes placed at fixed addresses; gaps are zeros."""

    def __init__(self):
        self.parts = {}

    def put(self, address, data):
        self.parts[address] = data
        return address + len(data)

    def build(self, eof):
        out = bytearray(eof)
        for address, data in self.parts.items():
            out[address:address + len(data)] = data
        return bytes(out)


def global_heap(objects):
    """A GCOL collection (≥ 4096 bytes) holding `objects` as indices 1, 2, …"""
    body = b""
    for index, data in enumerate(objects, start=1):
        body += u(index, 2) + u(1, 2) + bytes(4) + u(len(data), L) + pad8(data)
    size = max(4096, 16 + len(body) + 16 + 8)
    size = (size + 7) // 8 * 8
    free = size - (16 + len(body))
    body += u(0, 2) + u(0, 2) + bytes(4) + u(free, L)
    collection = b"GCOL" + bytes([1, 0, 0, 0]) + u(size, L) + body
    return collection + bytes(size - len(collection))


def empty_group_btree_and_heap(at):
    """A v1 group B-tree with no entries and its local heap, as the root symbol table message points at them."""
    k = 16
    tree = b"TREE" + bytes([0, 0]) + u(0, 2) + u(UNDEF, O) + u(UNDEF, O) + bytes((2 * k + 1) * L + 2 * k * O)
    heap_data_at = at + len(tree) + 32
    heap = b"HEAP" + bytes([0, 0, 0, 0]) + u(88, L) + u(8, L) + u(heap_data_at, O)
    data = bytes(8) + u(1, L) + u(80 - 8, L) + bytes(88 - 24)  # offset 0: "", then a free block
    return tree, at, heap, at + len(tree), heap_data_at, data


def hdf5_v0(attributes, continuation_from=None, superblock_version=0):
    """Superblock v0 (or v1), version-1 root header. `attributes`: list of (name, kind, value) with kind 'fixed' or 'vlen'.
    Attributes from index `continuation_from` on go into a continuation block."""
    f = Hdf5File()
    root_oh = 96 if superblock_version == 0 else 104
    # Collect vlen strings into one global heap collection.
    vlen_values = [value for _, kind, value in attributes if kind == "vlen"]
    layout_at = 4096
    tree, tree_at, heap, heap_at, heap_data_at, heap_data = empty_group_btree_and_heap(layout_at)
    gcol_at = (heap_data_at + len(heap_data) + 7) // 8 * 8 + 8
    gcol = global_heap([v.encode() for v in vlen_values]) if vlen_values else b""
    cont_at = gcol_at + len(gcol) + 64
    messages = []
    vlen_index = 0
    for name, kind, value in attributes:
        if kind == "fixed":
            data = value.encode()
            messages.append(msg_v1(0x000C, attr_v1(name, dt_fixed_string(len(data)), ds_scalar_v1(), data)))
        else:
            vlen_index += 1
            ref = u(len(value.encode()), 4) + u(gcol_at, O) + u(vlen_index, 4)
            messages.append(msg_v1(0x000C, attr_v1(name, dt_vlen_string(), ds_scalar_v1(), ref)))
    symtab = msg_v1(0x0011, u(tree_at, O) + u(heap_at, O))
    first = [symtab] + (messages if continuation_from is None else messages[:continuation_from])
    rest = [] if continuation_from is None else messages[continuation_from:]
    if rest:
        cont_block = b"".join(rest)
        first.append(msg_v1(0x0010, u(cont_at, O) + u(len(cont_block), L)))
    first_block = b"".join(first) + msg_v1(0x0000, bytes(8))  # a NIL message: room to grow, as the library leaves
    header = bytes([1, 0]) + u(len(first) + len(rest) + 1, 2) + u(1, 4) + u(len(first_block), 4) + bytes(4)
    f.put(root_oh, header + first_block)
    assert root_oh + 16 + len(first_block) <= layout_at, "root header overlaps the group structures"
    f.put(tree_at, tree)
    f.put(heap_at, heap)
    f.put(heap_data_at, heap_data)
    if gcol:
        f.put(gcol_at, gcol)
    end = cont_at
    if rest:
        end = f.put(cont_at, b"".join(rest))
    eof = (end + 4095) // 4096 * 4096
    sb = b"\x89HDF\r\n\x1a\n" + bytes([superblock_version, 0, 0, 0, 0, O, L, 0]) + u(4, 2) + u(16, 2) + u(0, 4)
    if superblock_version == 1:
        sb += u(32, 2) + bytes(2)  # indexed storage internal node K, reserved
    sb += u(0, O) + u(UNDEF, O) + u(eof, O) + u(UNDEF, O)
    # Root symbol table entry: link name offset, object header address, cache type 1 + scratch (B-tree, heap).
    sb += u(0, O) + u(root_oh, O) + u(1, 4) + u(0, 4) + u(tree_at, O) + u(heap_at, O)
    assert len(sb) == (96 if superblock_version == 0 else 100)
    f.put(0, sb)
    return f.build(eof)


def hdf5_v2_dense(attributes, superblock_version=2):
    """Superblock v2, OHDR root with link info + group info + attribute info: every attribute in dense storage.
    Small attributes are managed objects of the fractal heap's root direct block; larger ones (> 4096 bytes,
    the attribute heap's max managed size) are huge objects found through the huge-object B-tree."""
    f = Hdf5File()
    root_oh = 48
    heap_at = 512
    dblock_at = 1024
    name_bt_at = 2048
    name_leaf_at = 2560
    huge_bt_at = 3072
    huge_leaf_at = 3584
    huge_data_at = 8192
    start_block = 512
    max_direct = 65536
    max_heap_bits = 40
    offset_bytes = max_heap_bits // 8
    # Managed objects in the root direct block (after its 4+1+O+offset_bytes header).
    dblock_header = b"FHDB" + bytes([0]) + u(heap_at, O) + u(0, offset_bytes)
    managed = b""
    records = []  # (hash, heap_id)
    huge = []  # (address, length, id)
    huge_cursor = huge_data_at
    for order, (name, value) in enumerate(attributes):
        data = value.encode()
        message = attr_v3(name, dt_fixed_string(len(data)), ds_scalar_v2(), data)
        if len(message) <= 4096:
            offset = len(dblock_header) + len(managed)
            managed += message
            heap_id = bytes([0x00]) + u(offset, offset_bytes) + u(len(message), 2)
        else:
            huge_id = len(huge) + 1
            huge.append((huge_cursor, len(message), huge_id, message))
            heap_id = bytes([0x10]) + u(huge_id, 7)
            huge_cursor = (huge_cursor + len(message) + 4095) // 4096 * 4096
        records.append((lookup3(name.encode()), heap_id, order))
    assert len(dblock_header) + len(managed) <= start_block, "managed attributes overflow the root direct block"
    dblock = dblock_header + managed
    f.put(dblock_at, dblock + bytes(start_block - len(dblock)))
    # Name index (B-tree type 8): heap ID, message flags, creation order, name hash; sorted by hash.
    records.sort()
    name_records = b"".join(heap_id + bytes([0]) + u(order, 4) + u(h, 4) for h, heap_id, order in records)
    f.put(name_leaf_at, with_checksum(b"BTLF" + bytes([0, 8]) + name_records))
    f.put(name_bt_at, with_checksum(b"BTHD" + bytes([0, 8]) + u(512, 4) + u(17, 2) + u(0, 2) + bytes([100, 40]) + u(name_leaf_at, O) + u(len(records), 2) + u(len(records), L)))
    # Huge objects (B-tree type 1: indirectly accessed, not filtered): address, length, ID.
    huge_records = b"".join(u(addr, O) + u(length, L) + u(hid, L) for addr, length, hid, _ in huge)
    f.put(huge_leaf_at, with_checksum(b"BTLF" + bytes([0, 1]) + huge_records))
    f.put(huge_bt_at, with_checksum(b"BTHD" + bytes([0, 1]) + u(512, 4) + u(O + 2 * L, 2) + u(0, 2) + bytes([100, 40]) + u(huge_leaf_at if huge else UNDEF, O) + u(len(huge), 2) + u(len(huge), L)))
    end = huge_data_at
    for addr, _, _, message in huge:
        end = f.put(addr, message)
    # Fractal heap header.
    frhp = b"FRHP" + bytes([0]) + u(8, 2) + u(0, 2) + bytes([0]) + u(4096, 4)
    frhp += u(len(huge) + 1, L) + u(huge_bt_at if huge else UNDEF, O) + u(start_block - len(dblock), L) + u(UNDEF, O)
    frhp += u(start_block, L) + u(start_block, L) + u(start_block, L) + u(len(attributes) - len(huge), L)
    frhp += u(sum(h[1] for h in huge), L) + u(len(huge), L) + u(0, L) + u(0, L)
    frhp += u(4, 2) + u(start_block, L) + u(max_direct, L) + u(max_heap_bits, 2) + u(1, 2) + u(dblock_at, O) + u(0, 2)
    f.put(heap_at, with_checksum(frhp))
    # Root object header: link info (no links), group info, attribute info.
    link_info = bytes([0, 0]) + u(UNDEF, O) + u(UNDEF, O)
    group_info = bytes([0, 0])
    attr_info = bytes([0, 0]) + u(heap_at, O) + u(name_bt_at, O)
    body = msg_v2(0x02, link_info) + msg_v2(0x0A, group_info) + msg_v2(0x15, attr_info)
    ohdr = b"OHDR" + bytes([2, 0x02]) + u(len(body), 4) + body
    f.put(root_oh, with_checksum(ohdr))
    eof = (end + 4095) // 4096 * 4096
    sb = b"\x89HDF\r\n\x1a\n" + bytes([superblock_version, O, L, 0]) + u(0, O) + u(UNDEF, O) + u(eof, O) + u(root_oh, O)
    f.put(0, with_checksum(sb))
    return f.build(eof)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    files = {
        "clean.keras": keras_archive(clean_config()),
        "lambda.keras": keras_archive(lambda_config()),
        "module-bypass.keras": keras_archive(bypass_config()),
        "hostile-names.keras": keras_archive(lambda_config(lambda_name='"><img src=x onerror=alert(1)>', hostile=True)),
        "lambda-v0.h5": hdf5_v0(
            [("backend", "fixed", "tensorflow"), ("keras_version", "fixed", "2.15.0"), ("model_config", "fixed", json.dumps(legacy_lambda_config()))],
            continuation_from=2,
        ),
        "clean-v0-vlen.h5": hdf5_v0([("backend", "vlen", "tensorflow"), ("keras_version", "vlen", "2.15.0"), ("model_config", "vlen", json.dumps(legacy_clean_config()))]),
        "lambda-v2-dense.h5": hdf5_v2_dense([("backend", "tensorflow"), ("keras_version", "2.15.0"), ("model_config", json.dumps(legacy_big_lambda_config()))]),
        "clean-v2-dense.h5": hdf5_v2_dense([("backend", "tensorflow"), ("keras_version", "2.15.0"), ("model_config", json.dumps(legacy_clean_config(40)))]),
        "lambda-v1.h5": hdf5_v0(
            [("backend", "fixed", "tensorflow"), ("keras_version", "fixed", "2.4.0"), ("model_config", "vlen", json.dumps(legacy_lambda_config()))],
            superblock_version=1,
        ),
        "lambda-v3-dense.h5": hdf5_v2_dense([("backend", "tensorflow"), ("keras_version", "2.15.0"), ("model_config", json.dumps(legacy_big_lambda_config()))], superblock_version=3),
        "weights-only.h5": hdf5_v0([("backend", "fixed", "tensorflow"), ("keras_version", "fixed", "2.15.0")]),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
