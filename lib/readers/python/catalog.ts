/**
 * What the Python reader knows about the standard library and common packages, as data. Sources:
 * Datadog GuardDog's source-code rules (guarddog/analyzer/sourcecode/*.yml: code-execution,
 * exec-base64, download-executable, exfiltrate-sensitive-data, obfuscation, silent-process-execution,
 * cmd-overwrite, shady-links), Bandit's plugin list (B102 exec, B301 pickle, B307 eval, B310 urlopen,
 * B602-B607 subprocess and os.system/popen/spawn), the Python documentation for each module, and
 * JFrog's and Protect AI's write-ups of malicious Hub uploads (reverse shells through socket + pty,
 * droppers that fetch and chmod a binary). Facts carried over, not code.
 */

/** Calls that run a shell command or another program. `shell`: the first argument is a shell command line. */
export const PROCESS_CALLS: Record<string, { shell: boolean }> = {
  // os: Bandit B605 (start_process_with_a_shell), B606 (no shell); GuardDog code-execution.
  "os.system": { shell: true },
  "os.popen": { shell: true },
  "os.popen2": { shell: true },
  "os.popen3": { shell: true },
  "os.popen4": { shell: true },
  "os.execl": { shell: false },
  "os.execle": { shell: false },
  "os.execlp": { shell: false },
  "os.execlpe": { shell: false },
  "os.execv": { shell: false },
  "os.execve": { shell: false },
  "os.execvp": { shell: false },
  "os.execvpe": { shell: false },
  "os.spawnl": { shell: false },
  "os.spawnle": { shell: false },
  "os.spawnlp": { shell: false },
  "os.spawnlpe": { shell: false },
  "os.spawnv": { shell: false },
  "os.spawnve": { shell: false },
  "os.spawnvp": { shell: false },
  "os.spawnvpe": { shell: false },
  "os.posix_spawn": { shell: false },
  "os.posix_spawnp": { shell: false },
  "os.startfile": { shell: false },
  // subprocess: Bandit B602-B604, B607; GuardDog silent-process-execution.
  "subprocess.run": { shell: false },
  "subprocess.call": { shell: false },
  "subprocess.check_call": { shell: false },
  "subprocess.check_output": { shell: false },
  "subprocess.Popen": { shell: false },
  "subprocess.getoutput": { shell: true },
  "subprocess.getstatusoutput": { shell: true },
  // Python 2's commands module, still in old droppers.
  "commands.getoutput": { shell: true },
  "commands.getstatusoutput": { shell: true },
  "platform.popen": { shell: true },
  // pty.spawn: the reverse-shell idiom (JFrog's baller423 payload: socket, dup2, pty.spawn("/bin/sh")).
  "pty.spawn": { shell: false },
  "asyncio.create_subprocess_exec": { shell: false },
  "asyncio.create_subprocess_shell": { shell: true },
  "pexpect.spawn": { shell: true },
  "pexpect.run": { shell: true },
};

/** Calls that run a code string or code object they are given. */
export const CODE_CALLS: Record<string, "exec" | "eval" | "function" | "unpickle" | "run-file"> = {
  "builtins.exec": "exec",
  "builtins.eval": "eval",
  "builtins.execfile": "exec",
  // A function built from a code object (marshal.loads output): GuardDog exec-base64's marshal shape.
  "types.FunctionType": "function",
  "types.LambdaType": "function",
  // Unpickling runs what the pickle names (Bandit B301).
  "pickle.loads": "unpickle",
  "pickle.load": "unpickle",
  "_pickle.loads": "unpickle",
  "cPickle.loads": "unpickle",
  "dill.loads": "unpickle",
  "dill.load": "unpickle",
  "cloudpickle.loads": "unpickle",
  "joblib.load": "unpickle",
  "torch.load": "unpickle",
  "runpy.run_path": "run-file",
  "runpy.run_module": "run-file",
};

/** Decoders: their output is "decoded" data (GuardDog exec-base64 lists these). */
export const DECODERS: Record<string, "base64" | "hex" | "codecs" | "other"> = {
  "base64.b64decode": "base64",
  "base64.standard_b64decode": "base64",
  "base64.urlsafe_b64decode": "base64",
  "base64.decodebytes": "base64",
  "base64.decodestring": "base64",
  "base64.b32decode": "other",
  "base64.b32hexdecode": "other",
  "base64.b16decode": "hex",
  "base64.a85decode": "other",
  "base64.b85decode": "other",
  "binascii.a2b_base64": "base64",
  "binascii.a2b_hex": "hex",
  "binascii.unhexlify": "hex",
  "binascii.a2b_uu": "other",
  "bytes.fromhex": "hex",
  "bytearray.fromhex": "hex",
  "codecs.decode": "codecs",
};

/** Decompressors: their output is "decompressed" data. */
export const DECOMPRESSORS = new Set(["zlib.decompress", "bz2.decompress", "lzma.decompress", "gzip.decompress", "zlib.decompressobj().decompress", "lzma.LZMADecompressor().decompress", "bz2.BZ2Decompressor().decompress"]);

/** Calls whose result is downloaded data; `url`: which argument is the address. */
export const DOWNLOADS: Record<string, { url: number | "kw-only" }> = {
  "requests.get": { url: 0 },
  "requests.post": { url: 0 },
  "requests.request": { url: 1 },
  "httpx.get": { url: 0 },
  "httpx.post": { url: 0 },
  "httpx.request": { url: 1 },
  "urllib.request.urlopen": { url: 0 },
  "urllib.urlopen": { url: 0 },
  "urllib.request.urlretrieve": { url: 0 },
  "urllib.urlretrieve": { url: 0 },
  "wget.download": { url: 0 },
  "aiohttp.get": { url: 0 },
  "socket.socket().recv": { url: "kw-only" },
  "socket.socket().recvfrom": { url: "kw-only" },
};

/**
 * Calls that send data to a host (GuardDog exfiltrate-sensitive-data's sinks, plus the usual HTTP
 * clients). `url`: the argument holding the address (`ctor`: the connection's constructor named the
 * host; `socket`: a `(host, port)` tuple).
 */
export const SENDS: Record<string, { url: number | "ctor" | "socket" | "none" }> = {
  "requests.get": { url: 0 },
  "requests.post": { url: 0 },
  "requests.put": { url: 0 },
  "requests.patch": { url: 0 },
  "requests.delete": { url: 0 },
  "requests.head": { url: 0 },
  "requests.options": { url: 0 },
  "requests.request": { url: 1 },
  "httpx.get": { url: 0 },
  "httpx.post": { url: 0 },
  "httpx.put": { url: 0 },
  "httpx.patch": { url: 0 },
  "httpx.request": { url: 1 },
  "aiohttp.get": { url: 0 },
  "aiohttp.post": { url: 0 },
  "aiohttp.put": { url: 0 },
  "urllib.request.urlopen": { url: 0 },
  "urllib.request.Request": { url: 0 },
  "urllib.urlopen": { url: 0 },
  "urllib.request.urlretrieve": { url: 0 },
  "http.client.HTTPConnection().request": { url: "ctor" },
  "http.client.HTTPSConnection().request": { url: "ctor" },
  "socket.socket().connect": { url: "socket" },
  "socket.socket().sendto": { url: "none" },
  "socket.socket().send": { url: "none" },
  "socket.socket().sendall": { url: "none" },
  "socket.create_connection": { url: "socket" },
  "socket.gethostbyname": { url: "none" },
  "socket.getaddrinfo": { url: "none" },
  "smtplib.SMTP().sendmail": { url: "ctor" },
  "smtplib.SMTP().send_message": { url: "ctor" },
  "smtplib.SMTP_SSL().sendmail": { url: "ctor" },
  "ftplib.FTP().storbinary": { url: "ctor" },
  "websocket.create_connection": { url: 0 },
};

/** Calls whose result is the Hub token (huggingface_hub's own readers). */
export const TOKEN_READERS = new Set([
  "huggingface_hub.get_token",
  "huggingface_hub.utils.get_token",
  "huggingface_hub.HfFolder.get_token",
  "huggingface_hub.hf_api.HfFolder.get_token",
  "huggingface_hub.utils._token.get_token",
  "huggingface_hub._login.get_token",
]);

/** Facts about the machine (GuardDog exfiltrate-sensitive-data's sources). */
export const MACHINE_INFO = new Set(["socket.gethostname", "getpass.getuser", "platform.node", "platform.uname", "os.getlogin", "os.uname", "uuid.getnode", "os.getcwd"]);

/**
 * Environment variable names that hold secrets: the Hub's token variables and any name with one of
 * these words (AWS_SECRET_ACCESS_KEY, OPENAI_API_KEY, GITHUB_TOKEN…). GuardDog names the AWS ones.
 */
const SECRET_ENV_WORDS = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH"];
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return SECRET_ENV_WORDS.some((word) => upper.includes(word));
}

/** What a folded environment variable stands for in a path. */
export const PATH_ENV: Record<string, string> = { HOME: "~", USERPROFILE: "~", APPDATA: "~/AppData/Roaming", LOCALAPPDATA: "~/AppData/Local" };

/** Credential files (GuardDog exfiltrate-sensitive-data, threat-filesystem-read), as path fragments of a normalised path. */
const CREDENTIAL_PATHS: { fragment: string; words: string; end?: boolean }[] = [
  { fragment: "/.ssh/", words: "your SSH keys" },
  { fragment: "/.ssh", words: "your SSH keys", end: true },
  { fragment: "/.aws/credentials", words: "your AWS credentials" },
  { fragment: "/.aws/config", words: "your AWS configuration" },
  { fragment: "/.netrc", words: "your .netrc passwords" },
  { fragment: "huggingface/token", words: "your Hugging Face token file" },
  { fragment: "huggingface/stored_tokens", words: "your stored Hugging Face tokens" },
  { fragment: "/.git-credentials", words: "your Git credentials" },
  { fragment: "/.docker/config.json", words: "your Docker registry credentials" },
  { fragment: "/.kube/config", words: "your Kubernetes credentials" },
  { fragment: "/.config/gcloud/", words: "your Google Cloud credentials" },
  { fragment: "/.azure/", words: "your Azure credentials" },
  { fragment: "/.pypirc", words: "your PyPI credentials" },
  { fragment: "/.npmrc", words: "your npm credentials" },
  { fragment: "/etc/shadow", words: "the system's password hashes" },
  { fragment: "/etc/passwd", words: "the system's account list" },
  { fragment: "/.bash_history", words: "your shell history" },
  { fragment: "/.zsh_history", words: "your shell history" },
];

/** Places where a file makes a command run later (GuardDog threat-filesystem-autostart, threat-process-schedule). */
const PERSISTENCE_PATHS: { fragment: string; words: string; end?: boolean; start?: boolean }[] = [
  { fragment: "/.bashrc", words: "your shell profile (~/.bashrc): a command there runs in every new shell", end: true },
  { fragment: "/.bash_profile", words: "your shell profile (~/.bash_profile): a command there runs at every login", end: true },
  { fragment: "/.bash_login", words: "your shell profile (~/.bash_login)", end: true },
  { fragment: "/.profile", words: "your shell profile (~/.profile): a command there runs at every login", end: true },
  { fragment: "/.zshrc", words: "your shell profile (~/.zshrc): a command there runs in every new shell", end: true },
  { fragment: "/.zprofile", words: "your shell profile (~/.zprofile)", end: true },
  { fragment: "/.zshenv", words: "your shell profile (~/.zshenv)", end: true },
  { fragment: "/config.fish", words: "your fish shell profile", end: true },
  { fragment: "/etc/profile", words: "the system shell profile" },
  { fragment: "/etc/bash.bashrc", words: "the system shell profile" },
  { fragment: "/etc/environment", words: "the system environment file" },
  { fragment: "/etc/cron", words: "the system's cron tables: a command there runs on a schedule" },
  { fragment: "/var/spool/cron", words: "a cron table: a command there runs on a schedule" },
  { fragment: "crontab", words: "a cron table: a command there runs on a schedule" },
  { fragment: "/.config/autostart/", words: "your desktop's autostart folder: a program there runs at every login" },
  { fragment: "/etc/xdg/autostart", words: "the desktop's autostart folder" },
  { fragment: "start menu/programs/startup", words: "the Windows Startup folder: a program there runs at every login" },
  { fragment: "/library/launchagents/", words: "a macOS LaunchAgent: it runs at every login" },
  { fragment: "/library/launchdaemons/", words: "a macOS LaunchDaemon: it runs at boot" },
  { fragment: "/etc/systemd/", words: "a systemd unit: it runs as a service" },
  { fragment: "/.config/systemd/", words: "a systemd user unit: it runs as a service" },
  { fragment: "/etc/init.d/", words: "an init script: it runs at boot" },
  { fragment: "/etc/rc.local", words: "rc.local: it runs at boot" },
  { fragment: "/.ssh/authorized_keys", words: "your SSH authorized_keys: whoever holds the key it adds can log in as you" },
  { fragment: "sitecustomize.py", words: "sitecustomize.py: Python runs it at every start", end: true },
  { fragment: "usercustomize.py", words: "usercustomize.py: Python runs it at every start", end: true },
  { fragment: "/etc/ld.so.preload", words: "ld.so.preload: the library it names loads into every program" },
  { fragment: "/etc/sudoers", words: "the sudoers file" },
  { fragment: "/usr/bin/", words: "a system program folder (/usr/bin)", start: true },
  { fragment: "/usr/local/bin/", words: "a program folder on your PATH (/usr/local/bin)", start: true },
  { fragment: "/bin/", words: "a system program folder (/bin)", start: true },
];

/** A path as the catalogues match it: lower case, forward slashes, `~` for the home folder. */
export function normalisePath(path: string): string {
  let normal = path.split("\\").join("/").toLowerCase();
  for (const home of ["%userprofile%", "$home", "${home}"]) if (normal.startsWith(home)) normal = `~${normal.slice(home.length)}`;
  if (normal.startsWith("%appdata%")) normal = `~/appdata/roaming${normal.slice("%appdata%".length)}`;
  return normal.startsWith("~") ? `~/${normal.slice(1).replace(/^\/+/, "")}` : normal;
}

function matchPath<T extends { fragment: string; end?: boolean; start?: boolean }>(table: readonly T[], path: string): T | undefined {
  const normal = normalisePath(path);
  return table.find((entry) => (entry.end ? normal.endsWith(entry.fragment) : entry.start ? normal.startsWith(entry.fragment) : normal.includes(entry.fragment)));
}

export function credentialPath(path: string): string | undefined {
  return matchPath(CREDENTIAL_PATHS, path)?.words;
}

export function persistencePath(path: string): string | undefined {
  const normal = normalisePath(path);
  // A `.pth` file in site-packages runs its import lines at every start; a `.pth` elsewhere is weights.
  if (normal.endsWith(".pth") && (normal.includes("site-packages/") || normal.includes("dist-packages/"))) return "a .pth file in site-packages: Python runs its import lines at every start";
  return matchPath(PERSISTENCE_PATHS, path)?.words;
}

/** The Hub's own hosts: sending a token there is what the Hub's libraries do. */
export function isHubHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === "huggingface.co" || h.endsWith(".huggingface.co") || h === "hf.co" || h.endsWith(".hf.co");
}

/** Hosts where weights and packages are served, not worth a line of their own when code downloads from them. */
const WEIGHT_HOSTS = ["download.pytorch.org", "github.com", "objects.githubusercontent.com", "raw.githubusercontent.com", "dl.fbaipublicfiles.com", "storage.googleapis.com"];
export function isWellKnownDownloadHost(host: string): boolean {
  const h = host.toLowerCase();
  return WEIGHT_HOSTS.some((known) => h === known || h.endsWith(`.${known}`));
}

/** GuardDog shady-links: hosts and top-level domains malware uses to receive data or serve payloads. */
const SHADY_HOSTS = ["bit.ly", "discord.com", "discordapp.com", "workers.dev", "transfer.sh", "filetransfer.io", "sendspace.com", "appdomain.cloud", "paste.ee", "pastebin.com", "ngrok.io", "ngrok-free.app", "ngrok.app", "termbin.com", "localhost.run", "webhook.site", "oastify.com", "burpcollaborator.net", "burpcollaborator.me", "interact.sh", "requestbin.net", "pipedream.net", "api.telegram.org", "rentry.co", "hastebin.com", "tinyurl.com"];
const SHADY_TLDS = ["link", "xyz", "tk", "ml", "ga", "cf", "gq", "pw", "top", "club", "onion", "icu", "cam", "sbs", "quest", "bid"];

/** Why a host is the kind malware uses, or undefined. */
export function shadyHost(host: string): string | undefined {
  const h = host.toLowerCase();
  if (SHADY_HOSTS.some((shady) => h === shady || h.endsWith(`.${shady}`))) return "a paste, file-drop, webhook or tunnel service";
  if (h.startsWith("oast.") || h.includes(".oast.")) return "an out-of-band testing service";
  const tld = h.slice(h.lastIndexOf(".") + 1);
  if (SHADY_TLDS.includes(tld)) return `a .${tld} address`;
  if (isIpAddress(h)) return "a raw IP address";
  return undefined;
}

function isIpAddress(host: string): boolean {
  if (host.startsWith("[")) return true;
  const parts = host.split(".");
  return parts.length === 4 && parts.every((part) => part !== "" && [...part].every((c) => c >= "0" && c <= "9") && Number(part) <= 255);
}

/** Local and private addresses: a test server, not a host to warn about. */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "localhost" || h === "0.0.0.0" || h === "[::1]") return true;
  const parts = h.split(".").map(Number);
  if (parts.length !== 4 || parts.some((part) => Number.isNaN(part))) return false;
  const [a = 0, b = 0] = parts;
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

/** The host named by the start of a URL, when the start reaches past the host. */
export function hostOfUrl(prefix: string): string | undefined {
  const scheme = prefix.indexOf("://");
  if (scheme < 0) return undefined;
  const rest = prefix.slice(scheme + 3);
  let end = rest.length;
  for (const stop of ["/", "?", "#"]) {
    const at = rest.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  // The host is known only when something follows it (or the whole URL is known): `https://evil.` + x is not a host.
  const authority = rest.slice(0, end);
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  const port = host.startsWith("[") ? host.indexOf("]:") : host.lastIndexOf(":");
  const name = port > 0 ? host.slice(0, host.startsWith("[") ? port + 1 : port) : host;
  return name === "" ? undefined : name.toLowerCase();
}

/**
 * Methods that loading a model (or its config, tokenizer or processor, or a dataset builder) runs:
 * transformers calls `__init__`, `post_init`, `_init_weights`/`init_weights`, `tie_weights`,
 * `from_pretrained`/`_from_config`; datasets calls a builder's `_info`, `_split_generators` and
 * `_generate_examples`/`_generate_tables`.
 */
export const LOAD_METHODS = new Set([
  "__init__",
  "__new__",
  "__post_init__",
  "__init_subclass__",
  "__set_name__",
  "__class_getitem__",
  "post_init",
  "_init_weights",
  "init_weights",
  "_initialize_weights",
  "tie_weights",
  "_tie_weights",
  "from_pretrained",
  "_from_config",
  "from_config",
  "from_dict",
  "_load_pretrained_model",
  "load_state_dict",
  "_load_from_state_dict",
  "register_for_auto_class",
  "_autoset_attn_implementation",
]);
export const DATASET_BUILDER_METHODS = new Set(["_info", "_split_generators", "_generate_examples", "_generate_tables", "_download_and_prepare", "_prepare_split"]);

/**
 * Top-level packages that are never a module of the repo: references into them are not followed
 * as links between the repo's files.
 */
export const EXTERNAL_PACKAGES = new Set([
  "builtins", "os", "sys", "re", "io", "json", "math", "time", "typing", "types", "abc", "enum", "copy", "functools", "itertools", "collections",
  "dataclasses", "logging", "warnings", "inspect", "importlib", "pathlib", "shutil", "subprocess", "socket", "base64", "zlib", "marshal", "pickle",
  "codecs", "contextlib", "threading", "multiprocessing", "random", "string", "struct", "tempfile", "textwrap", "unicodedata", "uuid", "hashlib",
  "torch", "torchvision", "torchaudio", "transformers", "numpy", "np", "scipy", "einops", "safetensors", "huggingface_hub", "tokenizers", "sentencepiece",
  "accelerate", "datasets", "PIL", "cv2", "flash_attn", "xformers", "triton", "timm", "requests", "urllib", "http", "packaging", "tqdm", "regex", "tiktoken",
  "gradio", "streamlit", "spaces", "peft", "diffusers", "sentence_transformers", "jax", "flax", "tensorflow", "keras",
]);
