/**
 * How dangerous one pickle import is: picklescan's rule (shared/reference/picklescan-globals.txt,
 * picklescan v1.0.5) reimplemented as data, plus additions listed with their reasons below.
 *
 * Rule, in order:
 * 1. module or name contains "unknown" (how an unresolvable import is reported) → dangerous;
 * 2. on the unsafe list, directly or through a dotted parent module listed as "*" (os.path → os) → dangerous;
 * 3. on the safe list → innocuous;
 * 4. anything else → suspicious.
 */
import type { ImportSafety, PickleImport } from "../hub/facts";

/** Every name in the module, and for the unsafe list every submodule too. */
const ALL = "*";
type NameList = typeof ALL | readonly string[];

/** picklescan `_safe_globals`, plus additions marked "ours". */
const SAFE_GLOBALS: Readonly<Record<string, NameList>> = {
  collections: ["OrderedDict"],
  torch: [
    "BFloat16Storage", "BoolStorage", "ByteStorage", "CharStorage", "ComplexDoubleStorage", "ComplexFloatStorage",
    "DoubleStorage", "FloatStorage", "HalfStorage", "IntStorage", "LongStorage", "QInt32Storage", "QInt8Storage",
    "QUInt2x4Storage", "QUInt4x2Storage", "QUInt8Storage", "ShortStorage",
  ],
  numpy: ["dtype", "ndarray"],
  "numpy._core.multiarray": ["_reconstruct"],
  "numpy.core.multiarray": ["_reconstruct"],
  "torch._utils": ["_rebuild_tensor_v2"],
  // Ours: Python 3 writes `bytes` as `_codecs.encode(str, "latin1")` at pickle protocol 2, which is what
  // torch.save (protocol 2 by default) and numpy arrays pickled at protocol 2 contain. It only turns a
  // string into bytes through a codec; registering a malicious codec needs `codecs.register`, which is
  // flagged on its own (see UNSAFE_GLOBALS). Leaving it "suspicious" would mark many benign files.
  _codecs: ["encode"],
};

/** picklescan `_unsafe_globals`, plus additions marked "ours". */
const UNSAFE_GLOBALS: Readonly<Record<string, NameList>> = {
  __builtin__: [
    "apply", "breakpoint", "compile", "eval", "exec", "getattr", "open",
    // Ours: same reasons as for `builtins` below; `execfile`, `file`, `input` (evaluates in Python 2) and
    // `reload` exist only in Python 2's builtins.
    "__import__", "execfile", "file", "input", "reload", "setattr", "delattr", "globals", "locals", "vars",
  ],
  builtins: [
    "apply", "breakpoint", "compile", "eval", "exec", "getattr", "open",
    // Ours: `__import__` returns any module (the first half of every os.system gadget that avoids
    // naming os); `setattr`/`delattr` rewrite live objects (monkey-patching a trusted function);
    // `globals`/`locals`/`vars` expose namespaces that getattr-free gadgets index into.
    "__import__", "setattr", "delattr", "globals", "locals", "vars",
  ],
  "cloudpickle.cloudpickle": [
    "_builtin_type", "_function_setstate", "_make_cell", "_make_empty_cell", "_make_function", "subimport",
  ],
  // Ours: FunctionType/LambdaType build a callable from a code object (marshal.loads → FunctionType → call
  // is a published bypass); MethodType binds one. picklescan lists only CodeType.
  types: ["CodeType", "FunctionType", "LambdaType", "MethodType"],
  aiohttp: ALL,
  asyncio: ALL,
  bdb: ALL,
  commands: ALL,
  ctypes: ALL,
  // Ours: the C half of ctypes, reachable without importing the package.
  _ctypes: ALL,
  // picklescan stores "partial" as a plain string and tests by substring (a quirk): a set is what was meant.
  functools: ["partial"],
  logging: ["FileHandler"],
  _io: ["FileIO"],
  // Ours: the public spellings of the same file objects.
  io: ["FileIO", "open", "open_code"],
  "numpy.f2py": ALL,
  "numpy.testing._private.utils": ALL,
  nt: ALL,
  posix: ALL,
  // Ours: operator.call (3.11+) calls anything it is given, like methodcaller.
  _operator: ["attrgetter", "itemgetter", "methodcaller", "call"],
  operator: ["attrgetter", "itemgetter", "methodcaller", "call"],
  os: ALL,
  "requests.api": ALL,
  runpy: ALL,
  shutil: ALL,
  socket: ALL,
  ssl: ALL,
  subprocess: ALL,
  sys: ALL,
  // picklescan lists only InteractiveInterpreter.runcode; the whole module compiles and runs source
  // (InteractiveConsole.push, interact, compile_command), so ours is "*".
  code: ALL,
  // Ours: compile_command wraps compile() (a published scanner bypass: codeop → FunctionType).
  codeop: ALL,
  cProfile: ALL,
  "distutils.file_util": ALL,
  doctest: ["debug_script"],
  ensurepip: ["_run_pip"],
  "idlelib.autocomplete": ["AutoComplete.fetch_completions", "AutoComplete.get_entity"],
  "idlelib.calltip": ["Calltip.fetch_tip", "get_entity"],
  "idlelib.debugobj": ["ObjectTreeItem.SetText"],
  "idlelib.pyshell": ["ModifiedInterpreter.runcode", "ModifiedInterpreter.runcommand"],
  "idlelib.run": ["Executive.runcode"],
  imaplib: ["IMAP4_stream"],
  "lib2to3.pgen2.grammar": ["Grammar.loads"],
  "lib2to3.pgen2.pgen": ["ParserGenerator.make_label"],
  pdb: ALL,
  pickle: ALL,
  _pickle: ALL,
  // Ours: Python 2 names of pickle, and the pickle-loading libraries (each loads a nested pickle the
  // outer scan never sees).
  cPickle: ALL,
  dill: ALL,
  joblib: ["load"],
  pip: ALL,
  pkgutil: ["resolve_name"],
  pty: ALL,
  profile: ALL,
  pydoc: ALL,
  test: ALL,
  timeit: ALL,
  "torch._dynamo.guards": ["GuardBuilder.get"],
  "torch._inductor.codecache": ["compile_file"],
  "torch.fx.experimental.symbolic_shapes": ["ShapeEnv.evaluate_guards_expression"],
  "torch.jit.unsupported_tensor_ops": ["execWrapper"],
  "torch.serialization": ["load"],
  // Ours: the public names of torch.serialization.load and of the hub loaders, each unpickling a file
  // (downloaded from anywhere for torch.hub) that this scan never reads.
  torch: ["load"],
  "torch.hub": ["load", "load_state_dict_from_url", "download_url_to_file"],
  "torch.utils._config_module": ["ConfigModule.load_config"],
  "torch.utils.bottleneck.__main__": ["run_autograd_prof", "run_cprofile"],
  "torch.utils.collect_env": ["run"],
  "torch.utils.data.datapipes.utils.decoder": ["basichandlers"],
  trace: ["Trace.run", "Trace.runctx"],
  "urllib.request": ALL,
  uuid: ALL,
  venv: ALL,
  webbrowser: ALL,
  _osx_support: ALL,
  _aix_support: ALL,
  _pyrepl: ALL,
  // Ours: import anything by name (importlib.import_module + getattr is a published bypass of lists
  // that only name os/subprocess).
  importlib: ALL,
  // Ours: marshal.loads yields code objects; with FunctionType that is arbitrary code.
  marshal: ALL,
  // Ours: inspect.getattr_static is getattr under another name (published bypass).
  inspect: ["getattr_static"],
  // Ours: register/register_error install arbitrary callables into the codec machinery (published
  // bypass with codecs.encode); open reads/writes files like builtins.open.
  codecs: ["register", "register_error", "open"],
  _codecs: ["register", "register_error", "lookup_error"],
  // Ours: numpy.load(allow_pickle=True) unpickles a nested file this scan never sees.
  numpy: ["load"],
  "numpy.lib.npyio": ["load"],
  "numpy.lib._npyio_impl": ["load"],
  "numpy.lib.format": ["read_array"],
  // Ours: run a callable at interpreter exit / object finalisation (published bypasses).
  atexit: ALL,
  weakref: ["finalize"],
  // Ours: threads run a callable given to them.
  _thread: ALL,
  thread: ALL,
  threading: ALL,
  // Ours: compile or write Python files.
  py_compile: ALL,
  compileall: ALL,
};

/**
 * Python 3's unpickler renames Python 2 modules at protocols 0–2 (`fix_imports`, Lib/_compat_pickle.py):
 * `cPickle.loads` really loads `pickle.loads`. A few renames that lead into the unsafe list; the import
 * is judged under both names and the worse wins.
 */
const PYTHON2_MODULES: Readonly<Record<string, string>> = {
  __builtin__: "builtins",
  cPickle: "pickle",
  copy_reg: "copyreg",
  urllib2: "urllib.request",
  commands: "subprocess",
  thread: "_thread",
  dummy_thread: "_dummy_thread",
  SocketServer: "socketserver",
  httplib: "http.client",
  __main__: "__main__",
};

const RANK: Record<ImportSafety, number> = { innocuous: 0, suspicious: 1, dangerous: 2 };

function worse(a: ImportSafety, b: ImportSafety): ImportSafety {
  return RANK[a] >= RANK[b] ? a : b;
}

function listed(list: NameList | undefined, name: string): boolean {
  if (list === undefined) return false;
  if (list === ALL) return true;
  if (list.includes(name)) return true;
  // A dotted name is resolved attribute by attribute (protocol 4 `_getattribute`): `exec.__call__` in
  // builtins starts with builtins.exec, so a listed prefix makes the whole name listed.
  return list.some((entry) => name.startsWith(`${entry}.`));
}

/** The module itself, or the nearest dotted parent, is listed as "*" on the unsafe list. */
function unsafeByModule(module: string): boolean {
  if (UNSAFE_GLOBALS[module] === ALL) return true;
  const parts = module.split(".");
  for (let i = parts.length - 1; i >= 1; i--) {
    if (UNSAFE_GLOBALS[parts.slice(0, i).join(".")] === ALL) return true;
  }
  return false;
}

function safetyUnder(module: string, name: string): ImportSafety {
  if (module.includes("unknown") || name.includes("unknown")) return "dangerous";
  if (unsafeByModule(module) || listed(UNSAFE_GLOBALS[module], name)) return "dangerous";
  if (listed(SAFE_GLOBALS[module], name) && !name.includes(".")) return "innocuous";
  return "suspicious";
}

/** How dangerous importing `module.name` while unpickling is. */
export function importSafety(module: string, name: string): ImportSafety {
  const own = safetyUnder(module, name);
  const renamed = PYTHON2_MODULES[module];
  return renamed === undefined || renamed === module ? own : worse(own, safetyUnder(renamed, name));
}

export function classifyImport(module: string, name: string): PickleImport {
  return { module, name, safety: importSafety(module, name) };
}

/** The worst safety among imports, or undefined when there are none. */
export function worstSafety(imports: readonly PickleImport[]): ImportSafety | undefined {
  let result: ImportSafety | undefined;
  for (const item of imports) result = result === undefined ? item.safety : worse(result, item.safety);
  return result;
}
