/**
 * How dangerous one pickle import is, and what loading it would do, in plain words.
 *
 * The lists are data: picklescan's (shared/reference/picklescan-globals.txt, picklescan v1.0.5), fickling's
 * `UNSAFE_IMPORTS` (trailofbits/fickling fickle.py), the proof files of both projects' security advisories,
 * and additions of ours, each entry with a one-line comment naming its source. Facts carried over, not code.
 *
 * Rule, in order:
 * 1. module or name contains "unknown" (how the reader reports an import it cannot resolve) → dangerous;
 * 2. the joined path `module.name`, split into its dotted parts, is judged however a pickle splits it between
 *    module and name (STACK_GLOBAL may say module `a.b`, name `c.d`; Python walks the name attribute by
 *    attribute, GHSA-5j3x-jp52-966f): any run of parts that names an unsafe module listed as "*", or an unsafe
 *    module followed by one of its listed names, makes it dangerous. Runs that start after the first part
 *    count too: an attribute can be a module its parent imported (`torch.serialization` + `os.system`);
 * 3. a dangerous attribute (a dunder that reaches interpreter internals, `from_pretrained`) anywhere after
 *    the first part → dangerous;
 * 4. the joined path is on the safe list → innocuous;
 * 5. anything else → suspicious.
 */
import type { ImportSafety, PickleImport } from "./types";

/** Every name in the module, and for the unsafe list every submodule too. */
export const ALL = "*";
export type NameList = typeof ALL | readonly string[];

/** What loading an import would do, in words for the findings panel. */
export const IMPORT_EFFECTS = {
  shell: "runs a shell command or another program",
  os: "runs shell commands and reads, writes or deletes files",
  code: "evaluates a code string",
  bytecode: "builds and runs compiled Python code",
  import: "imports any module by name, which reaches every function",
  attribute: "looks up any attribute by name, which reaches functions such as os.system",
  call: "calls whatever function it is handed",
  network: "opens a network connection",
  browser: "opens a web address in the browser",
  "remote-load": "downloads a model or code from the internet and loads it",
  "nested-load": "loads another pickle or file, which this scan never reads",
  files: "reads, writes or deletes files",
  install: "installs Python packages or builds environments that run code",
  native: "loads native code or writes raw memory",
  debugger: "starts a debugger, which runs commands",
  patch: "changes live objects or modules (monkey-patching)",
  threads: "runs a function in another thread or process, or at exit",
  interpreter: "reaches the running interpreter's internals (its modules, objects and settings)",
  unresolved: "an import whose name is computed while loading: it cannot be checked, and hiding it is what attacks do",
} as const;
export type ImportEffect = keyof typeof IMPORT_EFFECTS;

export interface UnsafeEntry {
  module: string;
  names: NameList;
  does: ImportEffect;
}

export interface SafeEntry {
  module: string;
  names: NameList;
}

const pathMethods = (classes: readonly string[], methods: readonly string[]): string[] =>
  classes.flatMap((cls) => methods.map((method) => `${cls}.${method}`));
const PATH_CLASSES = ["Path", "PosixPath", "WindowsPath"];
const PATH_WRITERS = [
  "write_text", "write_bytes", "open", "read_text", "read_bytes", "unlink", "rmdir", "rename", "replace", "touch",
  "mkdir", "symlink_to", "hardlink_to", "chmod",
];

/** Imports that run code, reach the system or the network, or load what this scan cannot see. */
export const UNSAFE_GLOBALS: readonly UnsafeEntry[] = [
  { module: "builtins", names: ["eval", "exec", "compile"], does: "code" }, // picklescan list
  { module: "builtins", names: ["apply"], does: "call" }, // picklescan list
  { module: "builtins", names: ["getattr"], does: "attribute" }, // picklescan list
  { module: "builtins", names: ["open"], does: "files" }, // picklescan list
  { module: "builtins", names: ["breakpoint"], does: "debugger" }, // picklescan list
  { module: "builtins", names: ["__import__"], does: "import" }, // fickling list (SAFE_BUILTINS comment)
  { module: "builtins", names: ["setattr", "delattr"], does: "patch" }, // fickling list (SAFE_BUILTINS comment)
  { module: "builtins", names: ["globals", "locals", "vars"], does: "interpreter" }, // fickling list (SAFE_BUILTINS comment)
  { module: "builtins", names: ["help"], does: "shell" }, // ours: help() starts pydoc's pager, a shell command
  { module: "__builtin__", names: ["eval", "exec", "compile", "execfile", "input"], does: "code" }, // picklescan list; ours: Python 2's execfile and input
  { module: "__builtin__", names: ["apply"], does: "call" }, // picklescan list
  { module: "__builtin__", names: ["getattr"], does: "attribute" }, // picklescan list
  { module: "__builtin__", names: ["open", "file"], does: "files" }, // picklescan list; ours: Python 2's file
  { module: "__builtin__", names: ["breakpoint"], does: "debugger" }, // picklescan list
  { module: "__builtin__", names: ["__import__", "reload"], does: "import" }, // ours: as builtins, and Python 2's reload
  { module: "__builtins__", names: ALL, does: "interpreter" }, // fickling list
  { module: "cloudpickle.cloudpickle", names: ["_builtin_type", "_function_setstate", "_make_cell", "_make_empty_cell", "_make_function", "subimport"], does: "bytecode" }, // picklescan list
  { module: "cloudpickle", names: ALL, does: "bytecode" }, // fickling list
  { module: "types", names: ["CodeType"], does: "bytecode" }, // picklescan list
  { module: "types", names: ["FunctionType", "LambdaType", "MethodType"], does: "bytecode" }, // ours: marshal.loads → FunctionType → call is a published bypass
  { module: "marshal", names: ALL, does: "bytecode" }, // fickling list (picklescan PR #74: marshal bypass)
  { module: "aiohttp", names: ALL, does: "network" }, // picklescan list
  { module: "asyncio", names: ALL, does: "shell" }, // picklescan list (asyncio.create_subprocess_shell)
  { module: "bdb", names: ALL, does: "debugger" }, // picklescan list
  { module: "commands", names: ALL, does: "shell" }, // picklescan list
  { module: "ctypes", names: ALL, does: "native" }, // picklescan list
  { module: "_ctypes", names: ALL, does: "native" }, // fickling list
  { module: "functools", names: ["partial"], does: "call" }, // picklescan list
  { module: "functools", names: ALL, does: "call" }, // fickling list (reduce, partial, … call what they are given)
  { module: "httplib", names: ALL, does: "network" }, // picklescan list (httplib.HTTPSConnection)
  { module: "http", names: ALL, does: "network" }, // fickling list (http.client, http.server)
  { module: "logging", names: ["FileHandler"], does: "files" }, // picklescan list
  { module: "logging", names: ["handlers", "config"], does: "network" }, // ours: SocketHandler, HTTPHandler, SMTPHandler; config.listen evaluates what it receives
  { module: "logging.handlers", names: ALL, does: "network" }, // ours: as logging.handlers above
  { module: "_io", names: ["FileIO", "open", "open_code"], does: "files" }, // picklescan list (FileIO); ours: open, open_code
  { module: "io", names: ["FileIO", "open", "open_code"], does: "files" }, // ours: the public spellings of _io's
  { module: "numpy.f2py", names: ALL, does: "code" }, // picklescan list
  { module: "numpy.testing._private.utils", names: ALL, does: "code" }, // picklescan list (runstring is exec)
  { module: "numpy.testing", names: ["runstring"], does: "code" }, // ours: the same runstring, re-exported
  { module: "numpy.distutils", names: ALL, does: "shell" }, // ours: exec_command runs shell commands
  { module: "numpy.ctypeslib", names: ALL, does: "native" }, // picklescan TODO list (load_library)
  { module: "numpy", names: ["load"], does: "nested-load" }, // picklescan TODO list (numpy.load unpickles with allow_pickle)
  { module: "numpy.lib.npyio", names: ["load"], does: "nested-load" }, // ours: where numpy.load lives
  { module: "numpy.lib._npyio_impl", names: ["load"], does: "nested-load" }, // ours: where numpy 2's numpy.load lives
  { module: "numpy.lib.format", names: ["read_array"], does: "nested-load" }, // ours: read_array(allow_pickle=True) unpickles
  { module: "nt", names: ALL, does: "os" }, // picklescan list
  { module: "posix", names: ALL, does: "os" }, // picklescan list
  { module: "os", names: ALL, does: "os" }, // picklescan list
  { module: "_posixsubprocess", names: ALL, does: "shell" }, // fickling list (CVE-2025-10157)
  { module: "_winapi", names: ALL, does: "shell" }, // ours: CreateProcess, the Windows half of _posixsubprocess
  { module: "operator", names: ["attrgetter"], does: "attribute" }, // picklescan list
  { module: "operator", names: ["itemgetter", "methodcaller"], does: "call" }, // picklescan list
  { module: "_operator", names: ["attrgetter"], does: "attribute" }, // picklescan list
  { module: "_operator", names: ["itemgetter", "methodcaller"], does: "call" }, // picklescan list
  { module: "operator", names: ALL, does: "call" }, // fickling list (operator.call, getitem, …)
  { module: "_operator", names: ALL, does: "call" }, // fickling list
  { module: "requests.api", names: ALL, does: "network" }, // picklescan list
  { module: "requests", names: ALL, does: "network" }, // fickling list (requests.get is requests.api.get)
  { module: "runpy", names: ALL, does: "code" }, // picklescan list
  { module: "shutil", names: ALL, does: "files" }, // picklescan list
  { module: "socket", names: ALL, does: "network" }, // picklescan list
  { module: "_socket", names: ALL, does: "network" }, // ours: the C half of socket
  { module: "ssl", names: ALL, does: "network" }, // picklescan list (ssl.get_server_certificate)
  { module: "subprocess", names: ALL, does: "shell" }, // picklescan list
  { module: "sys", names: ALL, does: "interpreter" }, // picklescan list (sys.modules reaches every module)
  { module: "code", names: ["InteractiveInterpreter.runcode"], does: "code" }, // picklescan list
  { module: "code", names: ALL, does: "code" }, // fickling list (InteractiveConsole.push, compile_command)
  { module: "codeop", names: ALL, does: "code" }, // fickling list
  { module: "cProfile", names: ["run", "runctx"], does: "code" }, // GHSA-9w88-8rmg-7g2p
  { module: "cProfile", names: ALL, does: "code" }, // picklescan list
  { module: "distutils.file_util", names: ALL, does: "files" }, // picklescan list (write_file)
  { module: "distutils", names: ALL, does: "shell" }, // fickling list (spawn, file_util)
  { module: "doctest", names: ["debug_script"], does: "code" }, // GHSA-fqq6-7vqf-w3fg
  { module: "doctest", names: ALL, does: "code" }, // fickling list
  { module: "ensurepip", names: ["_run_pip"], does: "install" }, // GHSA-xp4f-hrf8-rxw7
  { module: "ensurepip", names: ALL, does: "install" }, // fickling list
  { module: "idlelib.autocomplete", names: ["AutoComplete.fetch_completions", "AutoComplete.get_entity"], does: "code" }, // picklescan list
  { module: "idlelib.calltip", names: ["Calltip.fetch_tip", "get_entity"], does: "code" }, // picklescan list
  { module: "idlelib.debugobj", names: ["ObjectTreeItem.SetText"], does: "code" }, // picklescan list
  { module: "idlelib.pyshell", names: ["ModifiedInterpreter.runcode"], does: "code" }, // GHSA-3gf5-cxq9-w223
  { module: "idlelib.pyshell", names: ["ModifiedInterpreter.runcommand"], does: "code" }, // GHSA-j343-8v2j-ff7w
  { module: "idlelib.run", names: ["Executive.runcode"], does: "code" }, // GHSA-m869-42cg-3xwr
  { module: "idlelib", names: ALL, does: "code" }, // fickling list
  { module: "imaplib", names: ["IMAP4_stream"], does: "shell" }, // picklescan list (IMAP4_stream runs a command)
  { module: "imaplib", names: ALL, does: "network" }, // fickling list
  { module: "lib2to3.pgen2.grammar", names: ["Grammar.loads"], does: "nested-load" }, // picklescan list (Grammar.loads unpickles)
  { module: "lib2to3.pgen2.pgen", names: ["ParserGenerator.make_label"], does: "code" }, // GHSA-p9w7-82w4-7q8m
  { module: "lib2to3", names: ALL, does: "code" }, // fickling list
  { module: "pdb", names: ALL, does: "debugger" }, // picklescan list (pdb.run evaluates a string too)
  { module: "pickle", names: ALL, does: "nested-load" }, // picklescan list
  { module: "_pickle", names: ALL, does: "nested-load" }, // picklescan list
  { module: "cPickle", names: ALL, does: "nested-load" }, // ours: Python 2's pickle
  { module: "dill", names: ALL, does: "nested-load" }, // fickling list
  { module: "joblib", names: ["load"], does: "nested-load" }, // picklescan TODO list (joblib.load); whole joblib is not: its NumpyArrayWrapper is in every joblib file
  { module: "pandas", names: ["read_pickle"], does: "nested-load" }, // picklescan TODO list
  { module: "pandas.io.pickle", names: ALL, does: "nested-load" }, // ours: where read_pickle lives
  { module: "shelve", names: ALL, does: "nested-load" }, // fickling list
  { module: "pip", names: ALL, does: "install" }, // picklescan list (pip.main installs and runs setup code)
  { module: "pkgutil", names: ["resolve_name"], does: "import" }, // GHSA-vvpj-8cmc-gx39
  { module: "pkgutil", names: ALL, does: "import" }, // fickling list
  { module: "pty", names: ALL, does: "shell" }, // picklescan list (pty.spawn)
  { module: "profile", names: ALL, does: "code" }, // picklescan list (Profile.run)
  { module: "pydoc", names: ALL, does: "import" }, // picklescan list (pydoc.locate imports anything; pipepager runs a command)
  { module: "test", names: ALL, does: "code" }, // picklescan list (CPython's own test package)
  { module: "timeit", names: ["timeit"], does: "code" }, // GHSA-v7x6-rv5q-mhwc
  { module: "timeit", names: ALL, does: "code" }, // picklescan list
  { module: "torch._dynamo.guards", names: ["GuardBuilder.get"], does: "code" }, // GHSA-86cj-95qr-2p4f
  { module: "torch._inductor.codecache", names: ["compile_file"], does: "shell" }, // picklescan list
  { module: "torch.fx.experimental.symbolic_shapes", names: ["ShapeEnv.evaluate_guards_expression"], does: "code" }, // GHSA-f4x7-rfwp-v3xw
  { module: "torch.jit.unsupported_tensor_ops", names: ["execWrapper"], does: "code" }, // GHSA-vr7h-p6mm-wpmh
  { module: "torch.serialization", names: ["load"], does: "nested-load" }, // picklescan list
  { module: "torch", names: ["load"], does: "nested-load" }, // picklescan TODO list (torch.load)
  { module: "torch.jit", names: ["load"], does: "nested-load" }, // ours: loads a TorchScript archive this scan never reads
  { module: "torch.hub", names: ALL, does: "remote-load" }, // ours: load, load_state_dict_from_url, list, help fetch and run hubconf.py or weights from anywhere
  { module: "torch.utils.model_zoo", names: ALL, does: "remote-load" }, // ours: model_zoo.load_url is torch.hub.load_state_dict_from_url
  { module: "torch.utils.cpp_extension", names: ALL, does: "native" }, // ours: load/load_inline compile and load native code
  { module: "torch.ops", names: ["load_library"], does: "native" }, // ours: loads a shared library
  { module: "torch.classes", names: ["load_library"], does: "native" }, // ours: loads a shared library
  { module: "torch.package", names: ALL, does: "code" }, // ours: PackageImporter runs the code packed with it
  { module: "torch.utils._config_module", names: ["ConfigModule.load_config"], does: "nested-load" }, // GHSA-vv6j-3g6g-2pvj
  { module: "torch.utils.bottleneck.__main__", names: ["run_autograd_prof"], does: "code" }, // GHSA-4whj-rm5r-c2v8
  { module: "torch.utils.bottleneck.__main__", names: ["run_cprofile"], does: "code" }, // GHSA-4r9r-ch6f-vxmx
  { module: "torch.utils.collect_env", names: ["run"], does: "shell" }, // GHSA-f745-w6jp-hpxx
  { module: "torch.utils.data.datapipes.utils.decoder", names: ["basichandlers"], does: "nested-load" }, // GHSA-h3qp-7fh3-f8h4
  { module: "trace", names: ["Trace.run", "Trace.runctx"], does: "code" }, // picklescan list
  { module: "trace", names: ALL, does: "code" }, // fickling list
  { module: "urllib.request", names: ALL, does: "network" }, // picklescan list
  { module: "urllib", names: ALL, does: "network" }, // fickling list (Python 2's urllib.urlopen, urllib.request)
  { module: "urllib2", names: ALL, does: "network" }, // fickling list
  { module: "urllib3", names: ALL, does: "network" }, // ours: HTTP client
  { module: "httpx", names: ALL, does: "network" }, // ours: HTTP client
  { module: "websocket", names: ALL, does: "network" }, // ours: websocket-client
  { module: "websockets", names: ALL, does: "network" }, // ours: websocket client and server
  { module: "uuid", names: ALL, does: "shell" }, // picklescan list (hidden subprocess calls)
  { module: "venv", names: ALL, does: "install" }, // picklescan list
  { module: "webbrowser", names: ALL, does: "browser" }, // picklescan list
  { module: "_osx_support", names: ALL, does: "shell" }, // picklescan list
  { module: "_aix_support", names: ALL, does: "shell" }, // picklescan list
  { module: "_pyrepl", names: ALL, does: "code" }, // picklescan list
  { module: "smtplib", names: ALL, does: "network" }, // fickling list
  { module: "ftplib", names: ALL, does: "network" }, // fickling list
  { module: "poplib", names: ALL, does: "network" }, // fickling list
  { module: "telnetlib", names: ALL, does: "network" }, // fickling list
  { module: "nntplib", names: ALL, does: "network" }, // fickling list
  { module: "socketserver", names: ALL, does: "network" }, // fickling list
  { module: "SocketServer", names: ALL, does: "network" }, // ours: Python 2's socketserver
  { module: "xmlrpc", names: ALL, does: "network" }, // fickling list (xmlrpc.client.ServerProxy)
  { module: "xmlrpclib", names: ALL, does: "network" }, // ours: Python 2's xmlrpc.client
  { module: "asyncore", names: ALL, does: "network" }, // ours: old socket event loop
  { module: "asynchat", names: ALL, does: "network" }, // ours: old socket event loop
  { module: "select", names: ALL, does: "network" }, // fickling list
  { module: "selectors", names: ALL, does: "network" }, // fickling list
  { module: "multiprocessing", names: ALL, does: "threads" }, // fickling list (Process, connection.Client)
  { module: "importlib", names: ALL, does: "import" }, // fickling list (picklescan issue #66: import_module bypass)
  { module: "_frozen_importlib", names: ALL, does: "import" }, // fickling list
  { module: "_frozen_importlib_external", names: ALL, does: "import" }, // fickling list
  { module: "_imp", names: ALL, does: "import" }, // fickling list
  { module: "imp", names: ALL, does: "import" }, // fickling list (imp.load_source runs a file)
  { module: "zipimport", names: ALL, does: "import" }, // fickling list
  { module: "site", names: ALL, does: "import" }, // fickling list
  { module: "gc", names: ALL, does: "interpreter" }, // fickling list (gc.get_objects reaches every object)
  { module: "inspect", names: ALL, does: "attribute" }, // fickling list (getattr_static is getattr)
  { module: "unittest", names: ALL, does: "patch" }, // fickling list (unittest.mock.patch)
  { module: "_interpreters", names: ALL, does: "code" }, // fickling list
  { module: "_xxsubinterpreters", names: ALL, does: "code" }, // fickling list
  { module: "tempfile", names: ALL, does: "files" }, // fickling list
  { module: "filecmp", names: ALL, does: "files" }, // fickling list
  { module: "fileinput", names: ALL, does: "files" }, // fickling list
  { module: "glob", names: ALL, does: "files" }, // fickling list
  { module: "linecache", names: ALL, does: "files" }, // fickling list
  { module: "difflib", names: ALL, does: "files" }, // fickling list
  { module: "platform", names: ALL, does: "shell" }, // fickling list
  { module: "tarfile", names: ALL, does: "files" }, // fickling list
  { module: "zipfile", names: ALL, does: "files" }, // fickling list
  { module: "sqlite3", names: ALL, does: "files" }, // fickling list
  { module: "_sqlite3", names: ALL, does: "files" }, // fickling list
  { module: "mmap", names: ALL, does: "native" }, // fickling list
  { module: "syslog", names: ALL, does: "files" }, // fickling list
  { module: "pexpect", names: ALL, does: "shell" }, // fickling list
  { module: "pipes", names: ALL, does: "shell" }, // fickling list (pipes.Template)
  { module: "signal", names: ALL, does: "threads" }, // fickling list
  { module: "_signal", names: ALL, does: "threads" }, // fickling list
  { module: "threading", names: ALL, does: "threads" }, // fickling list
  { module: "_thread", names: ALL, does: "threads" }, // fickling list
  { module: "thread", names: ALL, does: "threads" }, // ours: Python 2's _thread
  { module: "atexit", names: ALL, does: "threads" }, // fickling list
  { module: "weakref", names: ["finalize"], does: "threads" }, // ours: runs a callable when an object is collected
  { module: "compileall", names: ALL, does: "files" }, // fickling list
  { module: "py_compile", names: ALL, does: "files" }, // fickling list
  { module: "copyreg", names: ["add_extension"], does: "import" }, // ours: registers a name for a later EXT opcode to import
  { module: "codecs", names: ["register", "register_error"], does: "call" }, // ours: installs a callable the codec machinery calls (codecs.encode bypass)
  { module: "codecs", names: ["open"], does: "files" }, // ours: codecs.open is open
  { module: "_codecs", names: ["register", "register_error", "lookup_error"], does: "call" }, // ours: as codecs
  { module: "pathlib", names: pathMethods(PATH_CLASSES, PATH_WRITERS), does: "files" }, // ours: a Path method named directly reads or writes files
  { module: "IPython", names: ALL, does: "code" }, // ours: the IPython shell runs cells and shell commands
  { module: "huggingface_hub", names: ["hf_hub_download", "snapshot_download"], does: "remote-load" }, // ours: downloads files from the Hub
  { module: "huggingface_hub.file_download", names: ["hf_hub_download"], does: "remote-load" }, // ours: where hf_hub_download lives
  { module: "huggingface_hub._snapshot_download", names: ["snapshot_download"], does: "remote-load" }, // ours: where snapshot_download lives
  { module: "transformers", names: ["pipeline"], does: "remote-load" }, // ours: pipeline(task, model, …, trust_remote_code) downloads and may run repo code
  { module: "transformers.pipelines", names: ["pipeline"], does: "remote-load" }, // ours: where pipeline lives
  { module: "keras.models", names: ["load_model"], does: "nested-load" }, // picklescan TODO list (tf.keras.models.load_model)
  { module: "keras.saving", names: ["load_model"], does: "nested-load" }, // ours: Keras 3's load_model
  { module: "tensorflow.keras.models", names: ["load_model"], does: "nested-load" }, // picklescan TODO list
];

/**
 * Attributes that are dangerous wherever a dotted name reaches them: dunders that lead into the
 * interpreter (`f.__globals__` is a module's namespace, `__subclasses__` every class), and
 * `from_pretrained`, which downloads a model (and may run its code).
 */
export const DANGEROUS_ATTRIBUTES: Readonly<Record<string, ImportEffect>> = {
  __globals__: "interpreter", // ours: a function's module namespace (fickling dotted-name advisory GHSA-5j3x-jp52-966f)
  __builtins__: "interpreter", // fickling list
  __subclasses__: "interpreter", // ours: every class, the classic sandbox escape
  __import__: "import", // fickling list
  __code__: "bytecode", // ours: a function's code object
  __getattribute__: "attribute", // ours: getattr under another name
  __setattr__: "patch", // ours: setattr under another name
  __delattr__: "patch", // ours: delattr under another name
  __reduce__: "call", // ours: hands out a callable and its arguments
  __reduce_ex__: "call", // ours: as __reduce__
  __closure__: "interpreter", // ours: a function's captured values
  __loader__: "import", // fickling list (SAFE_BUILTINS comment)
  __spec__: "import", // fickling list (SAFE_BUILTINS comment)
  from_pretrained: "remote-load", // ours: AutoModel.from_pretrained downloads (and with trust_remote_code runs) a repo
};

/** Rebuilding data, nothing more: picklescan's safe list, plus additions of ours with their reasons. */
export const SAFE_GLOBALS: readonly SafeEntry[] = [
  { module: "collections", names: ["OrderedDict"] }, // picklescan list
  {
    module: "torch",
    names: [
      "BFloat16Storage", "BoolStorage", "ByteStorage", "CharStorage", "ComplexDoubleStorage", "ComplexFloatStorage",
      "DoubleStorage", "FloatStorage", "HalfStorage", "IntStorage", "LongStorage", "QInt32Storage", "QInt8Storage",
      "QUInt2x4Storage", "QUInt4x2Storage", "QUInt8Storage", "ShortStorage",
    ],
  }, // picklescan list
  { module: "numpy", names: ["dtype", "ndarray"] }, // picklescan list
  { module: "numpy._core.multiarray", names: ["_reconstruct"] }, // picklescan list
  { module: "numpy.core.multiarray", names: ["_reconstruct"] }, // picklescan list
  { module: "torch._utils", names: ["_rebuild_tensor_v2"] }, // picklescan list
  // Python 3 writes `bytes` as `_codecs.encode(str, "latin1")` at protocol 2 (torch.save's default); a codec
  // can only be swapped in through codecs.register, which is on the unsafe list.
  { module: "_codecs", names: ["encode"] }, // ours: fickling's PRIVATE_STDLIB_IMPORT_ALLOWLIST too
  {
    module: "torch._utils",
    names: [
      "_rebuild_tensor", "_rebuild_tensor_v3", "_rebuild_parameter", "_rebuild_parameter_with_state", "_rebuild_qtensor",
      "_rebuild_sparse_tensor", "_rebuild_nested_tensor", "_rebuild_device_tensor_from_numpy", "_rebuild_meta_tensor_no_storage",
    ],
  }, // ours: the tensor rebuilders torch.load(weights_only=True) allows
  { module: "torch", names: ["device", "Size", "UntypedStorage", "TypedStorage", "Tensor"] }, // ours: torch.load(weights_only=True) allows them
  { module: "torch.storage", names: ["UntypedStorage", "TypedStorage"] }, // ours: as torch.UntypedStorage
  { module: "torch.nn.parameter", names: ["Parameter"] }, // ours: torch.load(weights_only=True) allows it
  {
    module: "torch",
    names: [
      "float32", "float", "float64", "double", "float16", "half", "bfloat16", "complex32", "complex64", "complex128",
      "cfloat", "cdouble", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "short", "int32", "int", "int64",
      "long", "bool", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "qint8", "quint8", "qint32",
      "strided", "sparse_coo", "sparse_csr", "_mkldnn", "contiguous_format", "channels_last", "channels_last_3d", "preserve_format",
    ],
  }, // ours: dtypes, layouts and memory formats, pickled by name
  { module: "torch.serialization", names: ["_get_layout"] }, // ours: torch.load(weights_only=True) allows it
  { module: "collections", names: ["Counter", "defaultdict", "deque"] }, // ours: containers (a defaultdict's factory is an import of its own)
  {
    module: "builtins",
    names: [
      "set", "frozenset", "bytearray", "slice", "complex", "range", "bool", "int", "float", "str", "bytes", "list", "tuple",
      "dict", "object",
    ],
  }, // ours: type constructors (fickling's SAFE_BUILTINS)
  { module: "copyreg", names: ["_reconstructor"] }, // ours: protocol 0/1 rebuilding of a plain object; its class is an import of its own
  { module: "datetime", names: ["datetime", "date", "time", "timedelta", "timezone"] }, // ours: plain values
  { module: "decimal", names: ["Decimal"] }, // ours: a plain value
  { module: "fractions", names: ["Fraction"] }, // ours: a plain value
  { module: "pathlib", names: ["Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath"] }, // ours: a path value (its I/O methods are on the unsafe list)
  { module: "argparse", names: ["Namespace"] }, // ours: parsed arguments, saved in fairseq-style checkpoints
  { module: "types", names: ["SimpleNamespace"] }, // ours: an attribute bag
  { module: "numpy.core.multiarray", names: ["scalar"] }, // ours: numpy scalars (a saved metric, a step count)
  { module: "numpy._core.multiarray", names: ["scalar"] }, // ours: numpy 2's spelling
  { module: "numpy.dtypes", names: ALL }, // ours: the dtype classes numpy ≥ 1.25 pickles
  { module: "numpy.core.numeric", names: ["_frombuffer"] }, // ours: how numpy pickles an array at protocol 5 (ndarray.__reduce_ex__): an array over a buffer
  { module: "numpy._core.numeric", names: ["_frombuffer"] }, // ours: numpy 2's spelling
  {
    module: "torch.cuda",
    names: [
      "BFloat16Storage", "BoolStorage", "ByteStorage", "CharStorage", "ComplexDoubleStorage", "ComplexFloatStorage",
      "DoubleStorage", "FloatStorage", "HalfStorage", "IntStorage", "LongStorage", "ShortStorage",
    ],
  }, // ours: the typed storages of a checkpoint saved from the GPU by older torch (legacy .ckpt and .pth files); a storage class names a dtype and device, nothing runs
  { module: "torch._utils", names: ["_rebuild_wrapper_subclass"] }, // ours: rebuilds a tensor subclass's metadata (torch/_utils.py; torch.load(weights_only=True) allows it); its class is an import of its own
  // PyTorch Lightning .ckpt files (how every Stable Diffusion 1.x checkpoint was trained): Lightning < 1.5 keyed the
  // checkpoint's "callbacks" dict by the callback's class, so the class itself is pickled (imported, never
  // instantiated); hyper-parameters are an AttributeDict, a dict with attribute access. Importing a Lightning module
  // runs Lightning's own code, nothing the file chose.
  {
    module: "pytorch_lightning.callbacks.model_checkpoint",
    names: ["ModelCheckpoint"],
  }, // ours: pytorch_lightning/trainer/callback_hook.py (callback_states[type(callback)]), in runwayml's v1-5-pruned-emaonly.ckpt
  { module: "pytorch_lightning.callbacks.early_stopping", names: ["EarlyStopping"] }, // ours: the other stateful callback keyed the same way
  { module: "pytorch_lightning.utilities.parsing", names: ["AttributeDict"] }, // ours: Lightning 1.x hyper_parameters (utilities/parsing.py)
  { module: "lightning.pytorch.callbacks.model_checkpoint", names: ["ModelCheckpoint"] }, // ours: Lightning 2's package name for the same callback
  { module: "lightning.pytorch.callbacks.early_stopping", names: ["EarlyStopping"] }, // ours: Lightning 2's package name
  { module: "lightning.pytorch.utilities.parsing", names: ["AttributeDict"] }, // ours: Lightning 2 re-export of AttributeDict
  { module: "lightning.fabric.utilities.data", names: ["AttributeDict"] }, // ours: where Lightning 2 defines AttributeDict (src/lightning/fabric/utilities/data.py)
  { module: "lightning_fabric.utilities.data", names: ["AttributeDict"] }, // ours: the same class in the standalone lightning_fabric package
  {
    module: "transformers.training_args",
    names: ["TrainingArguments", "OptimizerNames", "ParallelMode"],
  }, // ours: what training_args.bin (transformers Trainer) holds
  { module: "transformers.training_args_seq2seq", names: ["Seq2SeqTrainingArguments"] }, // ours: training_args.bin of Seq2SeqTrainer
  {
    module: "transformers.trainer_utils",
    names: ["IntervalStrategy", "SchedulerType", "HubStrategy", "SaveStrategy", "EvaluationStrategy", "FSDPOption"],
  }, // ours: the enums in training_args.bin
  { module: "transformers.debug_utils", names: ["DebugOption"] }, // ours: an enum in training_args.bin
  { module: "transformers.trainer_pt_utils", names: ["AcceleratorConfig"] }, // ours: a dataclass in training_args.bin
  { module: "transformers.generation.configuration_utils", names: ["GenerationConfig"] }, // ours: held by Seq2SeqTrainingArguments
  { module: "accelerate.utils.dataclasses", names: ["DistributedType"] }, // ours: an enum in training_args.bin
  { module: "transformers.trainer_utils", names: ["ShardedDDPOption"] }, // ours: an enum in training_args.bin of transformers 4.2x (transformers trainer_utils.py)
  {
    module: "accelerate.utils.dataclasses",
    names: [
      "ComputeEnvironment", "SageMakerDistributedType", "DynamoBackend", "LoggerType", "PrecisionType", "RNGType", "CustomDtype",
      "DDPCommunicationHookType",
    ],
  }, // ours: enums of accelerate (utils/dataclasses.py) held by TrainingArguments' distributed state and plugins in training_args.bin
  // accelerate's state objects, held by TrainingArguments (`distributed_state`) in a multi-GPU training_args.bin: unpickling
  // rebuilds their fields without running __init__. Named one by one, never the whole module: a module listed whole
  // would clear every name it imports (a module re-exporting functools.partial would clear partial).
  { module: "accelerate.state", names: ["PartialState", "AcceleratorState", "GradientState"] }, // ours: accelerate state.py
  { module: "trl.trainer.sft_config", names: ["SFTConfig"] }, // ours: training_args.bin of trl's SFTTrainer
  { module: "trl.trainer.dpo_config", names: ["DPOConfig", "FDivergenceType"] }, // ours: training_args.bin of trl's DPOTrainer
  { module: "sentence_transformers.training_args", names: ["SentenceTransformerTrainingArguments", "BatchSamplers", "MultiDatasetBatchSamplers"] }, // ours: training_args.bin of sentence-transformers
  // pyannote.audio's checkpoints are Lightning checkpoints whose hyper-parameters hold the task's description: a
  // dataclass and two enums, rebuilt field by field (an enum member by its value), never a call the file chose.
  { module: "pyannote.audio.core.task", names: ["Specifications", "Problem", "Resolution"] }, // ours: pyannote/audio core/task.py, in pyannote/segmentation-3.0's pytorch_model.bin (Model.on_save_checkpoint stores specifications)
];

/**
 * Python 3's unpickler renames Python 2 modules at protocols 0–2 (`fix_imports`, Lib/_compat_pickle.py):
 * `cPickle.loads` really loads `pickle.loads`. The renames that matter here; an import is judged under both
 * names (dangerous if either is), and is innocuous when the name Python 3 really imports is.
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
  xmlrpclib: "xmlrpc.client",
  StringIO: "io",
  cStringIO: "io",
};

interface Verdict {
  safety: ImportSafety;
  does?: ImportEffect;
}

const unsafeByModule = new Map<string, UnsafeEntry[]>();
for (const entry of UNSAFE_GLOBALS) unsafeByModule.set(entry.module, [...(unsafeByModule.get(entry.module) ?? []), entry]);

const safePaths = new Set<string>();
const safeModules = new Set<string>();
for (const entry of SAFE_GLOBALS) {
  if (entry.names === ALL) safeModules.add(entry.module);
  else for (const name of entry.names) safePaths.add(`${entry.module}.${name}`);
}

/** The name is the entry, or reached through it attribute by attribute (`exec.__call__` starts with exec). */
function nameListed(names: NameList, rest: string): boolean {
  if (names === ALL) return true;
  return names.some((entry) => rest === entry || rest.startsWith(`${entry}.`));
}

/** The unsafe entry matched by some run of the parts, judged however they are split. */
function unsafeMatch(parts: readonly string[]): ImportEffect | undefined {
  for (let start = 0; start < parts.length; start++) {
    // Longest module first: distutils.file_util says more than distutils.
    for (let end = parts.length; end > start; end--) {
      const entries = unsafeByModule.get(parts.slice(start, end).join("."));
      if (entries === undefined) continue;
      const rest = parts.slice(end).join(".");
      const named = rest === "" ? undefined : entries.find((entry) => entry.names !== ALL && nameListed(entry.names, rest));
      if (named) return named.does;
      // A module listed "*" is dangerous as the module itself, any submodule, or any name in it.
      const whole = entries.find((entry) => entry.names === ALL);
      if (whole) return whole.does;
    }
  }
  for (const part of parts.slice(1)) {
    const effect = Object.hasOwn(DANGEROUS_ATTRIBUTES, part) ? DANGEROUS_ATTRIBUTES[part] : undefined;
    if (effect !== undefined) return effect;
  }
  return undefined;
}

/** The joined path is a safe entry, however split (`torch` + `_utils._rebuild_tensor_v2` is the same function). */
function isSafePath(module: string, name: string): boolean {
  const joined = `${module}.${name}`;
  if (safePaths.has(joined)) return true;
  const cut = joined.lastIndexOf(".");
  return safeModules.has(joined.slice(0, cut));
}

function judgeUnder(module: string, name: string): Verdict {
  const does = unsafeMatch([...module.split("."), ...name.split(".")]);
  if (does !== undefined) return { safety: "dangerous", does };
  return { safety: isSafePath(module, name) ? "innocuous" : "suspicious" };
}

function judge(module: string, name: string): Verdict {
  if (module.includes("unknown") || name.includes("unknown")) return { safety: "dangerous", does: "unresolved" };
  const own = judgeUnder(module, name);
  const renamedModule = PYTHON2_MODULES[module];
  if (renamedModule === undefined || renamedModule === module) return own;
  const renamed = judgeUnder(renamedModule, name);
  if (own.safety === "dangerous") return own;
  if (renamed.safety === "dangerous") return renamed;
  // Python 3 imports the renamed module: its safety is what loading does.
  return renamed.safety === "innocuous" ? renamed : own;
}

/** How dangerous importing `module.name` while unpickling is. */
export function importSafety(module: string, name: string): ImportSafety {
  return judge(module, name).safety;
}

/** What loading a dangerous import would do, in plain words; undefined for imports that are not dangerous. */
export function importEffect(module: string, name: string): string | undefined {
  const verdict = judge(module, name);
  return verdict.safety === "dangerous" && verdict.does !== undefined ? IMPORT_EFFECTS[verdict.does] : undefined;
}

export function classifyImport(module: string, name: string): PickleImport {
  return { module, name, safety: importSafety(module, name) };
}

const RANK: Record<ImportSafety, number> = { innocuous: 0, suspicious: 1, dangerous: 2 };

/** The worst safety among imports, or undefined when there are none. */
export function worstSafety(imports: readonly PickleImport[]): ImportSafety | undefined {
  let result: ImportSafety | undefined;
  for (const item of imports) result = result === undefined || RANK[item.safety] > RANK[result] ? item.safety : result;
  return result;
}
