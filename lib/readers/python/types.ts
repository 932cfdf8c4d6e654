/**
 * What the extension learned by reading a repo's Python (issue 25). Owned by the Python reader;
 * lib/hub carries the scans in RepoFacts.pythonScans and the `remote-code` rule reads them.
 *
 * Two layers: a ModuleReport is what one file's source says, whatever role the file plays (it is
 * cached by the file's content); a PythonFileScan places that report in a repo: why the file runs
 * (or that nothing loads it) and, for each behaviour, whether loading reaches it.
 */
import type { RepoType } from "../../repo-ref";

/**
 * Classes of behaviour, after GuardDog's source-code rules for PyPI malware and Bandit's checks.
 * The first six are what the contract calls danger when loading runs them; the rest are said, at the
 * level of the code they sit in.
 */
export type BehaviourKind =
  /** Runs a shell command or another program (os.system, subprocess, pty.spawn…). GuardDog code-execution, silent-process-execution; Bandit B602-B607. */
  | "shell"
  /** Executes code that was decoded, decompressed, unmarshalled or downloaded (exec of base64/zlib/marshal output). GuardDog exec-base64. */
  | "exec-hidden"
  /** Downloads a file and makes it executable, or pipes a download into a shell. GuardDog download-executable. */
  | "download-exec"
  /** Reads credentials or the environment and sends them to a host that is not the Hub's. GuardDog exfiltrate-sensitive-data. */
  | "exfiltrate"
  /** Writes outside the cache where a command runs later: shell profiles, cron, startup folders. GuardDog threat-filesystem-autostart. */
  | "write-outside"
  /** Installs packages (pip via subprocess, pip.main): their build scripts run too. */
  | "install-packages"
  /** Runs a code string the extension could not work out (exec/eval of a run-time value). Bandit B102/B307. */
  | "dynamic-code"
  /** Builds a name from pieces to reach a module or function (getattr/__import__ of computed names). GuardDog obfuscation. */
  | "hidden-name"
  /** Contacts a host that is not the Hub's, or names a URL of a kind malware uses (paste sites, webhooks, raw IPs). GuardDog shady-links. */
  | "network"
  /** Reads credentials (SSH keys, cloud credentials, the Hub token file) or sends a token to an address it computes. */
  | "reads-credentials"
  /** Loads another repo's code (trust_remote_code=True, get_class_from_dynamic_module) or replaces pip's install step (cmdclass). GuardDog cmd-overwrite. */
  | "loads-code"
  /** Runs a toolchain or GPU probe only to ask for its version (`nvcc -V`, `nvidia-smi`, `git rev-parse HEAD`): a program, named, but ordinary build code. */
  | "probe";

export const DANGER_BEHAVIOURS: ReadonlySet<BehaviourKind> = new Set(["shell", "exec-hidden", "download-exec", "exfiltrate", "write-outside", "install-packages"]);

/** What a Space's code can do to whoever duplicates it: their secrets go with it (the contract's Space clause). */
export const SPACE_DANGER_BEHAVIOURS: ReadonlySet<BehaviourKind> = new Set(["exec-hidden", "download-exec", "exfiltrate"]);

/** The place in a module a statement belongs to. */
export interface ScopeRef {
  /** `<module>` (module level and class bodies), `<main>` (under `if __name__ == "__main__"`), `f`, `C.m`, `f.<locals>.g`. */
  id: string;
  /** For methods: the class's name. */
  className?: string;
}

export interface Behaviour {
  kind: BehaviourKind;
  /** 1-based line, as the Hub's blob view numbers them. */
  line: number;
  /** What it does, in plain words ("runs the shell command `curl … | sh`"). */
  words: string;
  /** The code, shortened, with invisible and control characters shown as escapes. */
  code: string;
  /** Where: the function (or module level) it sits in. */
  scope: string;
  /** "in class Foo's body", "in Foo.__init__", "at module level". */
  place: string;
  /** How the call was hidden, when it was ("through getattr with a name built at run time"). */
  hiddenBy?: string[];
}

/** A reference from one scope to something that may be another function or class of the repo. */
export interface ScopeLink {
  /** The scope that refers. */
  from: string;
  /**
   * `@local.Name` / `@local.Class.method` (this file), or a module path as imported: `.utils.helper`
   * (relative, leading dots kept), `configuration_phi3.PhiConfig` (absolute).
   */
  to: string;
  /** `call`: the scope calls it; `ref`: it names it (a callback, a table of classes), which may run it later. */
  kind: "call" | "ref";
}

export interface ModuleImport {
  /** As written: `.utils`, `..models.x`, `configuration_phi3`, `torch`. */
  module: string;
  /** Names imported from it (`from m import a, b`); empty for `import m`. */
  names: string[];
  line: number;
  /** The scope the import statement sits in: a function's imports run when it runs. */
  scope: string;
}

export interface ClassSummary {
  name: string;
  /** Base classes as written (`nn.Module`, `.base.Base`, `PreTrainedModel`), resolved through imports. */
  bases: string[];
  methods: string[];
}

export interface ModuleReport {
  status: "read" | "unread";
  /** Why it was not read ("not read: …"), or a note on a partial read (syntax errors skipped). */
  reason?: string;
  lines: number;
  bytes: number;
  behaviours: Behaviour[];
  imports: ModuleImport[];
  links: ScopeLink[];
  classes: ClassSummary[];
  /** Every function and method defined, by scope id, with its line. */
  functions: { id: string; line: number; className?: string }[];
  /** Time spent parsing and analysing, for the benchmark (ms by the reader's clock). */
  parseMs?: number;
  analyseMs?: number;
}

/** Why a file runs. */
export type PythonFileRole =
  /** Named by config.json's auto_map. */
  | "auto-map"
  /** A root module of a repo whose code transformers loads (tokenizers and processors name theirs in their own configs). */
  | "custom-code"
  /** A dataset's loading script `<name>.py`. */
  | "loading-script"
  /** A Space's `app_file`. */
  | "space-app"
  /** Imported by a file that runs. */
  | "imported"
  /** Nothing loads it (train_script.py, handler.py, a vLLM tool parser). */
  | "unloaded";

export interface ReachedBehaviour extends Behaviour {
  /** `load`: importing or loading runs it; `call`: only calling something does; `never`: nothing loads the file. */
  reach: "load" | "call" | "never";
  /** How loading gets there: "Phi3Model.__init__ → _setup()". */
  via?: string;
}

export interface PythonFileScan {
  /** The repo the file is in: the viewed repo, or another one a cross-repo auto_map names. */
  repo: { type: RepoType; id: string };
  /** The commit it was read at (line links point there). */
  revision: string;
  path: string;
  role: PythonFileRole;
  /** Why it runs, for a person ("config.json auto_map: AutoModelForCausalLM", "imported by modeling_x.py line 12"). */
  loadedBy?: string;
  status: "read" | "unread";
  /** "not read: …" for an unread file; a note for a partial read. */
  reason?: string;
  behaviours: ReachedBehaviour[];
  bytesRead: number;
  requests: number;
  /** Parse and analysis time of this file when it was read (ms; absent for a cached or unread one). */
  parseMs?: number;
  analyseMs?: number;
}
