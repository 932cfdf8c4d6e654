import { describe, expect, it } from "vitest";
import { classifyImport, importSafety, worstSafety } from "../../../lib/pickle/classify";

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
    ["builtins", "set", "suspicious"],
    ["my_package.model", "Net", "suspicious"],
    ["torch._utils", "_rebuild_parameter", "suspicious"],
    ["numpy", "ndarray.tofile", "suspicious"],
  ] as const)("%s.%s is %s", (module, name, safety) => {
    expect(importSafety(module, name)).toBe(safety);
  });

  it("a module merely starting like a listed one is not its child", () => {
    expect(importSafety("osmosis", "x")).toBe("suspicious");
    expect(importSafety("system", "os")).toBe("suspicious");
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
