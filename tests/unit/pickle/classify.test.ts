import { describe, expect, it } from "vitest";
import {
  ALL,
  DANGEROUS_ATTRIBUTES,
  IMPORT_EFFECTS,
  SAFE_GLOBALS,
  UNSAFE_GLOBALS,
  classifyImport,
  importEffect,
  importSafety,
  worstSafety,
} from "../../../lib/readers/pickle/classify";

describe("importSafety", () => {
  it.each([
    // picklescan safe list
    ["collections", "OrderedDict", "innocuous"],
    ["torch._utils", "_rebuild_tensor_v2", "innocuous"],
    ["torch", "FloatStorage", "innocuous"],
    ["torch", "BFloat16Storage", "innocuous"],
    ["numpy.core.multiarray", "_reconstruct", "innocuous"],
    ["numpy._core.multiarray", "_reconstruct", "innocuous"],
    ["numpy", "dtype", "innocuous"],
    ["_codecs", "encode", "innocuous"],
    // picklescan unsafe list
    ["builtins", "exec", "dangerous"],
    ["builtins", "eval", "dangerous"],
    ["__builtin__", "eval", "dangerous"],
    ["builtins", "getattr", "dangerous"],
    ["posix", "system", "dangerous"],
    ["nt", "system", "dangerous"],
    ["runpy", "_run_code", "dangerous"],
    ["os", "system", "dangerous"],
    ["subprocess", "Popen", "dangerous"],
    ["operator", "attrgetter", "dangerous"],
    ["functools", "partial", "dangerous"],
    ["torch.serialization", "load", "dangerous"],
    ["code", "InteractiveInterpreter.runcode", "dangerous"],
    // parent-module rule
    ["os.path", "join", "dangerous"],
    ["subprocess.foo.bar", "x", "dangerous"],
    ["numpy.f2py.crackfortran", "x", "dangerous"],
    // unresolvable
    ["unknown (not a string)", "system", "dangerous"],
    ["os", "unknown (not a string)", "dangerous"],
    // additions
    ["builtins", "__import__", "dangerous"],
    ["importlib", "import_module", "dangerous"],
    ["importlib.util", "spec_from_file_location", "dangerous"],
    ["marshal", "loads", "dangerous"],
    ["types", "FunctionType", "dangerous"],
    ["pty", "spawn", "dangerous"],
    ["code", "interact", "dangerous"],
    ["torch", "load", "dangerous"],
    ["numpy", "load", "dangerous"],
    ["inspect", "getattr_static", "dangerous"],
    ["codecs", "register_error", "dangerous"],
    ["operator", "call", "dangerous"],
    // Python 2 names renamed by the unpickler
    ["cPickle", "loads", "dangerous"],
    ["urllib2", "urlopen", "dangerous"],
    // dotted names walk attributes: a listed prefix counts
    ["builtins", "exec.__call__", "dangerous"],
    ["torch", "FloatStorage.__init__", "suspicious"],
    // not listed
    ["builtins", "setdefault", "suspicious"],
    ["my_package.model", "Net", "suspicious"],
    ["torch._utils", "_rebuild_not_a_rebuilder", "suspicious"],
    ["numpy", "ndarray.tofile", "suspicious"],
  ] as const)("%s.%s is %s", (module, name, safety) => {
    expect(importSafety(module, name)).toBe(safety);
  });

  it("a module merely starting like a listed one is not its child", () => {
    expect(importSafety("ossify", "x")).toBe("suspicious");
    expect(importSafety("osmosis", "x")).toBe("suspicious");
    // …but an attribute named like one may be that module, imported by its parent.
    expect(importSafety("system", "os")).toBe("dangerous");
  });
});

describe("classifyImport / worstSafety", () => {
  it("builds PickleImport records", () => {
    expect(classifyImport("posix", "system")).toEqual({ module: "posix", name: "system", safety: "dangerous" });
  });
  it("picks the worst safety", () => {
    expect(worstSafety([])).toBeUndefined();
    expect(worstSafety([classifyImport("torch", "FloatStorage"), classifyImport("x", "y")])).toBe("suspicious");
    expect(worstSafety([classifyImport("x", "y"), classifyImport("os", "system"), classifyImport("torch", "FloatStorage")])).toBe("dangerous");
  });
});

describe("every list entry classifies as declared", () => {
  it.each(UNSAFE_GLOBALS.map((entry) => [entry.module, entry.names === ALL ? "*" : entry.names.join(", "), entry] as const))(
    "unsafe %s: %s",
    (_module, _names, entry) => {
      const names = entry.names === ALL ? ["anything", "Some.Nested"] : entry.names;
      for (const name of names) {
        expect(importSafety(entry.module, name), `${entry.module}.${name}`).toBe("dangerous");
        expect(importEffect(entry.module, name), `${entry.module}.${name}`).toMatch(/\w/);
      }
      if (entry.names === ALL) {
        // The module itself, reached as an attribute, and its submodules.
        expect(importSafety(`${entry.module}.sub`, "x")).toBe("dangerous");
        expect(importEffect(entry.module, "anything")).toBe(IMPORT_EFFECTS[entry.does]);
      }
    },
  );

  it.each(SAFE_GLOBALS.map((entry) => [entry.module, entry.names === ALL ? "*" : entry.names.join(", "), entry] as const))(
    "safe %s: %s",
    (_module, _names, entry) => {
      for (const name of entry.names === ALL ? ["Float32DType"] : entry.names) {
        expect(importSafety(entry.module, name), `${entry.module}.${name}`).toBe("innocuous");
        expect(importEffect(entry.module, name)).toBeUndefined();
      }
    },
  );

  it.each(Object.entries(DANGEROUS_ATTRIBUTES))("attribute %s anywhere after the first part is dangerous", (attribute, effect) => {
    expect(importSafety("torch", `load_something.${attribute}`)).toBe("dangerous");
    expect(importEffect("some_module", attribute)).toBe(IMPORT_EFFECTS[effect]);
  });

  it("no safe entry is also unsafe", () => {
    for (const entry of SAFE_GLOBALS) {
      if (entry.names === ALL) continue;
      for (const name of entry.names) expect(importSafety(entry.module, name), `${entry.module}.${name}`).not.toBe("dangerous");
    }
  });
});

describe("a dotted path is judged the same however it is split", () => {
  const paths = [
    "numpy.testing._private.utils.runstring",
    "torch.hub.load_state_dict_from_url",
    "torch.hub.load",
    "http.client.HTTPSConnection",
    "os.path.join",
    "idlelib.pyshell.ModifiedInterpreter.runcode",
    "torch.utils.bottleneck.__main__.run_cprofile",
    "urllib.request.urlopen",
  ];
  it.each(paths)("%s", (path) => {
    const parts = path.split(".");
    for (let cut = 1; cut < parts.length; cut++) {
      const module = parts.slice(0, cut).join(".");
      const name = parts.slice(cut).join(".");
      expect(importSafety(module, name), `${module} | ${name}`).toBe("dangerous");
      expect(importEffect(module, name), `${module} | ${name}`).toBe(importEffect(parts.slice(0, -1).join("."), parts.at(-1) ?? ""));
    }
  });

  it.each([
    ["torch.serialization", "os.system"],
    ["torch", "serialization.os.system"],
    ["collections", "os.system"],
    ["torch", "os"],
    ["posixpath", "os.system"],
    ["numpy", "testing._private.utils.runstring"],
    ["torch._utils", "_rebuild_tensor_v2.__globals__"],
    ["transformers", "AutoModel.from_pretrained"],
    ["builtins", "exec.__call__"],
  ])("an attribute chain that reaches a dangerous module or attribute: %s | %s", (module, name) => {
    expect(importSafety(module, name)).toBe("dangerous");
  });

  it("a safe path is innocuous however split, and only the exact path", () => {
    expect(importSafety("torch._utils", "_rebuild_tensor_v2")).toBe("innocuous");
    expect(importSafety("torch", "_utils._rebuild_tensor_v2")).toBe("innocuous");
    expect(importSafety("torch._utils", "_rebuild_tensor_v2.__call__")).toBe("suspicious");
  });
});

describe("network and remote loading (issue 15)", () => {
  it.each([
    ["torch.hub", "load"],
    ["torch.hub", "load_state_dict_from_url"],
    ["torch.hub", "download_url_to_file"],
    ["httplib", "HTTPSConnection"],
    ["http.client", "HTTPConnection"],
    ["urllib", "urlopen"],
    ["urllib.request", "urlretrieve"],
    ["requests", "get"],
    ["aiohttp", "ClientSession"],
    ["ftplib", "FTP"],
    ["smtplib", "SMTP"],
    ["telnetlib", "Telnet"],
    ["xmlrpc.client", "ServerProxy"],
    ["socketserver", "TCPServer"],
    ["webbrowser", "open"],
  ])("%s.%s is dangerous and says what it does", (module, name) => {
    expect(importSafety(module, name)).toBe("dangerous");
    expect(importEffect(module, name)).toMatch(/network|internet|browser/);
  });

  it("plain words for the classic imports", () => {
    expect(importEffect("posix", "system")).toMatch(/shell command/);
    expect(importEffect("builtins", "eval")).toBe("evaluates a code string");
    expect(importEffect("http.client", "HTTPSConnection")).toBe("opens a network connection");
    expect(importEffect("unknown (not a string)", "system")).toBe("an import whose name is computed while loading: it cannot be checked, and hiding it is what attacks do");
    expect(importEffect("unknown (a number, not a string)", "unknown (a number, not a string)")).toMatch(/cannot be checked/);
    expect(importEffect("collections", "OrderedDict")).toBeUndefined();
    expect(importEffect("my_pkg", "Net")).toBeUndefined();
  });
});

describe("benign library objects are innocuous", () => {
  it.each([
    ["transformers.training_args", "TrainingArguments"],
    ["transformers.trainer_utils", "IntervalStrategy"],
    ["torch._utils", "_rebuild_parameter"],
    ["torch", "device"],
    ["torch", "bfloat16"],
    ["numpy.core.multiarray", "scalar"],
    ["__builtin__", "set"],
    ["copy_reg", "_reconstructor"],
    ["argparse", "Namespace"],
    // issue 24: what real Lightning, numpy, torch, transformers and accelerate checkpoints hold
    ["pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint"],
    ["pytorch_lightning.callbacks.early_stopping", "EarlyStopping"],
    ["pytorch_lightning.utilities.parsing", "AttributeDict"],
    ["lightning.pytorch.callbacks.model_checkpoint", "ModelCheckpoint"],
    ["lightning.fabric.utilities.data", "AttributeDict"],
    ["lightning_fabric.utilities.data", "AttributeDict"],
    ["numpy._core.multiarray", "scalar"],
    ["numpy.dtypes", "Float64DType"],
    ["numpy.core.numeric", "_frombuffer"],
    ["_codecs", "encode"],
    ["torch.cuda", "HalfStorage"],
    ["torch._utils", "_rebuild_wrapper_subclass"],
    ["transformers.trainer_utils", "ShardedDDPOption"],
    ["accelerate.state", "PartialState"],
    ["accelerate.utils.dataclasses", "PrecisionType"],
  ])("%s.%s", (module, name) => {
    expect(importSafety(module, name)).toBe("innocuous");
  });

  it("a well-known module is cleared name by name, never whole: what it imports is not cleared", () => {
    expect(importSafety("accelerate.state", "partial")).toBe("suspicious");
    expect(importSafety("pytorch_lightning.callbacks.model_checkpoint", "rank_zero_warn")).toBe("suspicious");
    expect(importSafety("lightning.fabric.utilities.data", "sized_len")).toBe("suspicious");
  });

  it.each([
    ["pytorch_lightning.callbacks.model_checkpoint", "os.system"],
    ["pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint.__reduce__"],
    ["lightning.fabric.utilities.data", "AttributeDict.__init__.__globals__"],
    ["accelerate.state", "subprocess.Popen"],
    ["accelerate.state", "PartialState.__subclasses__"],
    ["numpy.core.numeric", "_frombuffer.__globals__"],
    ["torch.cuda", "FloatStorage.from_pretrained"],
    ["numpy.core.multiarray", "scalar.__code__"],
  ])("the innocuous list hides no danger: %s | %s stays dangerous", (module, name) => {
    expect(importSafety(module, name)).toBe("dangerous");
  });
});
