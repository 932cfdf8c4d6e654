/**
 * remote-code: loading runs code from the repo (`trust_remote_code=True`), and what that code does.
 * Examples: https://huggingface.co/microsoft/Phi-3-mini-4k-instruct (config auto_map + modeling_*.py, tag custom_code),
 * https://huggingface.co/deepseek-ai/DeepSeek-V3 (custom_code), https://huggingface.co/nomic-ai/nomic-embed-text-v1
 * (auto_map naming `nomic-ai/nomic-bert-2048--…`: the code is in another repo). For datasets, a loading script
 * `<name>.py` at the root plays the same role; for Spaces, the app file (whoever duplicates a Space runs it with
 * their own secrets).
 *
 * The code is read by Hub Sentinel (lib/hub/python-scans.ts, lib/readers/python). Levels, as the contract says:
 * - `danger`: code that loading runs (module level, class bodies, `__init__`, `post_init`… and what they call)
 *   runs a shell command or another program, executes decoded, decompressed or downloaded code, downloads and
 *   makes a file executable, sends credentials or the environment to a host that is not the Hub's, plants a
 *   command outside the cache (shell profiles, cron, startup folders) or installs packages;
 * - `warn`: other code that loading runs (auto_map, custom_code, a dataset loading script), read or not: what
 *   could not be read is said ("not read: …"), and such a repo is never `ok` for it;
 * - `info`: `.py` files nothing loads (train_script.py, handler.py, a vLLM tool parser), whatever they hold;
 * - Spaces: `danger` when the app sends secrets or the environment to another host, or runs hidden or downloaded
 *   code, at start; `warn` when only a handler does; `unknown` when the app's code could not be read; nothing
 *   otherwise (a Space's own shell commands run in its container, not on your machine).
 */
import type { FindingCodeFile, RepoFinding } from "../findings";
import { isPythonFile } from "../hub/file-kinds";
import { fileUrl, HUB_ORIGIN } from "../hub/links";
import { DANGER_BEHAVIOURS, SPACE_DANGER_BEHAVIOURS, type BehaviourKind, type PythonFileScan, type ReachedBehaviour } from "../readers/python/types";
import { repoPagePath } from "../repo-ref";
import type { RepoFacts } from "../hub/facts";
import { listedFiles, MAX_EVIDENCE, plural, summarize } from "./shared";
import type { Rule } from "./types";

/** Lines shown per file; the rest are counted. */
const LINES_PER_FILE = 20;

const KIND_TITLES: Record<BehaviourKind, string> = {
  shell: "runs a shell command or another program",
  "exec-hidden": "executes hidden or downloaded code",
  "download-exec": "downloads a program and runs it",
  exfiltrate: "sends your secrets to another host",
  "write-outside": "plants a command outside the cache",
  "install-packages": "installs packages",
  "dynamic-code": "runs code built at run time",
  "hidden-name": "hides what it calls",
  network: "contacts other hosts",
  "reads-credentials": "reads credentials",
  "loads-code": "loads code from elsewhere",
  probe: "asks a toolchain for its version",
};

function sameRepo(facts: RepoFacts, scan: PythonFileScan): boolean {
  return scan.repo.type === facts.repo.type && scan.repo.id.toLowerCase() === facts.repo.id.toLowerCase();
}

function label(facts: RepoFacts, scan: PythonFileScan): string {
  return sameRepo(facts, scan) ? scan.path : `${scan.repo.id}: ${scan.path}`;
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The file's blob page: at the revision viewed for this repo's files (the row marks match it), at the commit read for another repo's. */
function fileLink(facts: RepoFacts, scan: PythonFileScan): string {
  return sameRepo(facts, scan) ? fileUrl(facts.repo, scan.path) : fileUrl({ type: scan.repo.type, id: scan.repo.id, revision: scan.revision }, scan.path);
}

/** A line at the commit that was read: line numbers hold there. */
function lineLink(scan: PythonFileScan, line: number): string {
  return `${HUB_ORIGIN}${repoPagePath(scan.repo.type, scan.repo.id)}/blob/${encodeURIComponent(scan.revision)}/${encodePath(scan.path)}#L${line}`;
}

function reachWords(behaviour: ReachedBehaviour, scan: PythonFileScan, when: string): string {
  if (behaviour.reach === "never") return `${behaviour.place}; nothing loads this file, so it runs only if you run the file yourself`;
  if (behaviour.reach === "call") {
    if (behaviour.scope === "<main>") return `${behaviour.place}: only when the file is run as a script`;
    return `${behaviour.place}, which runs only when something calls it`;
  }
  const via = behaviour.via ? ` (${behaviour.via})` : "";
  if (behaviour.scope === "<module>" || behaviour.scope === "<main>") return `${behaviour.place}: it runs ${scan.role === "space-app" ? "when the Space starts" : `as soon as ${scan.path} is imported`}${via}`;
  return `${behaviour.place}, which runs ${when}${via}`;
}

function lineText(behaviour: ReachedBehaviour, scan: PythonFileScan, when: string): string {
  const hidden = behaviour.hiddenBy && behaviour.hiddenBy.length > 0 ? ` (hidden: ${behaviour.hiddenBy.join("; ")})` : "";
  return `${behaviour.words}${hidden}. Where: ${reachWords(behaviour, scan, when)}. Code: ${behaviour.code}`;
}

function codeFile(facts: RepoFacts, scan: PythonFileScan, behaviours: readonly ReachedBehaviour[], when: string, note?: string): FindingCodeFile {
  const shown = behaviours.slice(0, LINES_PER_FILE);
  const file: FindingCodeFile = {
    label: label(facts, scan),
    url: fileLink(facts, scan),
    lines: shown.map((behaviour) => ({ line: behaviour.line, text: lineText(behaviour, scan, when), url: lineLink(scan, behaviour.line) })),
  };
  const fileNote = note ?? fileNoteOf(scan);
  if (fileNote) file.note = fileNote;
  if (behaviours.length > shown.length) file.more = behaviours.length - shown.length;
  return file;
}

function fileNoteOf(scan: PythonFileScan): string | undefined {
  if (scan.status === "unread") return `${scan.reason ?? "not read"}${scan.loadedBy ? ` (it runs: ${scan.loadedBy})` : ""}`;
  const why = scan.loadedBy ? `Runs: ${scan.loadedBy}.` : "Nothing loads this file.";
  const partial = scan.reason ? ` Read in part: ${scan.reason}.` : "";
  const found = scan.behaviours.length === 0 ? " Read: nothing found that runs commands, hides code, contacts other hosts or reads secrets." : "";
  return `${why}${partial}${found}`;
}

function isDangerAtLoad(behaviour: ReachedBehaviour, kinds: ReadonlySet<BehaviourKind>): boolean {
  return behaviour.reach === "load" && kinds.has(behaviour.kind);
}

interface Context {
  facts: RepoFacts;
  scans: PythonFileScan[];
  /** "when the model is built" */
  when: string;
  /** "when the model loads" */
  loads: string;
  dangerKinds: ReadonlySet<BehaviourKind>;
}

/** One danger finding per file whose load-time code does what the contract calls danger. */
function dangerFindings(ctx: Context): RepoFinding[] {
  const findings: RepoFinding[] = [];
  for (const scan of ctx.scans) {
    if (scan.role === "unloaded") continue;
    const dangerous = scan.behaviours.filter((behaviour) => isDangerAtLoad(behaviour, ctx.dangerKinds));
    if (dangerous.length === 0) continue;
    const kinds = [...new Set(dangerous.map((behaviour) => KIND_TITLES[behaviour.kind]))];
    const name = label(ctx.facts, scan);
    const others = scan.behaviours.filter((behaviour) => !dangerous.includes(behaviour));
    findings.push({
      id: "remote-code",
      level: "danger",
      title: `${name} ${summarize(kinds)} ${ctx.loads}`,
      explanation: [
        `Hub Sentinel read ${name}${scan.loadedBy ? ` (it runs: ${scan.loadedBy})` : ""}.`,
        `When ${ctx.loads.replace(/^when /, "")}, it ${dangerous
          .slice(0, 4)
          .map((behaviour) => `${behaviour.words} (line ${behaviour.line})`)
          .join("; ")}${dangerous.length > 4 ? `; and ${plural(dangerous.length - 4, "more thing")}` : ""}.`,
        ctx.facts.repo.type === "space"
          ? "Whoever duplicates this Space runs this code with their own secrets, their Hugging Face token among them."
          : dangerous.every((behaviour) => behaviour.kind === "install-packages")
            ? "Installing packages while loading runs their build and setup code, fetched at that moment, with your permissions; an honest repo lists its requirements instead."
            : "This is how malicious packages and models take over the machines that load them; modeling code never needs it.",
        !sameRepo(ctx.facts, scan) ? `The code is in another repo, ${scan.repo.id} (read at commit ${scan.revision.slice(0, 7)}); it can change there without this repo changing.` : "",
        others.length > 0 ? `It also does ${plural(others.length, "other thing")} listed below.` : "",
      ]
        .filter(Boolean)
        .join(" "),
      evidence: [{ label: name, url: fileLink(ctx.facts, scan) }],
      code: [codeFile(ctx.facts, scan, [...dangerous, ...others], ctx.when)],
      advice:
        ctx.facts.repo.type === "space"
          ? ["Do not duplicate this Space, and do not give it secrets or a token.", "Report the Space to Hugging Face (the Report button on its page), naming this file."]
          : [
              "Do not load this repo with trust_remote_code=True, and do not run its files.",
              "If you already did, treat the machine's credentials as exposed: revoke your Hugging Face tokens (huggingface.co/settings/tokens) and rotate other keys it could read.",
              "Report the repo to Hugging Face (the Report button on its page), naming this file.",
            ],
    });
  }
  return findings;
}

function codeRepos(facts: RepoFacts, scans: readonly PythonFileScan[]): string[] {
  return [...new Set(scans.filter((scan) => !sameRepo(facts, scan)).map((scan) => `${scan.repo.id} (read at commit ${scan.revision.slice(0, 7)})`))];
}

function readSummary(facts: RepoFacts, loaded: readonly PythonFileScan[], inDanger: ReadonlySet<PythonFileScan>): string {
  const read = loaded.filter((scan) => scan.status === "read");
  const unread = loaded.filter((scan) => scan.status === "unread");
  const others = read.filter((scan) => !inDanger.has(scan));
  const parts: string[] = [];
  if (read.length === 0) parts.push(`Hub Sentinel could not read the ${loaded.length === 1 ? "file" : `${loaded.length} files`} that loading runs`);
  else {
    let text = `Hub Sentinel read ${read.length} of the ${plural(loaded.length, "file")} that loading runs`;
    if (inDanger.size > 0) text += `: ${summarize([...inDanger].map((scan) => label(facts, scan)))} ${inDanger.size === 1 ? "is" : "are"} reported above as danger`;
    if (others.length > 0) {
      const quiet = others.every((scan) => scan.behaviours.length === 0);
      const nothing = "nothing that runs commands, hides code, contacts other hosts or reads secrets";
      if (quiet) text += inDanger.size > 0 ? `; in the others it found ${nothing}` : ` and found ${nothing}`;
      else text += `; what ${inDanger.size > 0 ? "the others do" : "they do"} is listed per file`;
    }
    parts.push(text);
  }
  let text = `${parts.join("")}.`;
  if (unread.length > 0) text += ` ${plural(unread.length, "file")} could not be read (${summarize(unread.map((scan) => `${scan.path}: ${scan.reason ?? "not read"}`), 3)}): nothing vouches for what ${unread.length === 1 ? "it does" : "they do"}.`;
  return text;
}

function trustFinding(facts: RepoFacts, ctx: Context, base: { title: string; reasons: string[]; needs: string }, inDanger: ReadonlySet<PythonFileScan>): RepoFinding {
  const loaded = ctx.scans.filter((scan) => scan.role !== "unloaded");
  const rest = loaded.filter((scan) => !inDanger.has(scan));
  const others = codeRepos(facts, loaded);
  const explanation = [
    base.reasons.length > 0 ? `${base.reasons.join("; ")}.` : "",
    base.needs,
    others.length > 0 ? `The code is in another repo: ${summarize(others)}; it can change there without this repo changing.` : "",
    loaded.length > 0 ? readSummary(facts, loaded, inDanger) : "",
  ]
    .filter(Boolean)
    .join(" ");
  const autoMap = facts.info.ok && facts.info.value.autoMap && Object.keys(facts.info.value.autoMap).length > 0;
  return {
    id: "remote-code",
    level: "warn",
    title: base.title,
    explanation,
    evidence: [
      ...(autoMap ? [{ label: "config.json", url: fileUrl(facts.repo, "config.json") }] : []),
      ...rest.slice(0, MAX_EVIDENCE).map((scan) => ({ label: label(facts, scan), url: fileLink(facts, scan) })),
    ],
    ...(rest.length > 0 ? { code: rest.slice(0, MAX_EVIDENCE).map((scan) => codeFile(facts, scan, scan.behaviours, ctx.when)) } : {}),
    advice: [
      "Read the code before passing trust_remote_code=True; the lines above link to what Hub Sentinel found.",
      "Pin the revision you read (revision=\"<commit sha>\"), so later changes to the code do not run unreviewed.",
    ],
  };
}

function unloadedFinding(facts: RepoFacts, scans: readonly PythonFileScan[], paths: readonly string[]): RepoFinding | undefined {
  const unloadedPaths = paths.filter((path) => !scans.some((scan) => sameRepo(facts, scan) && scan.path === path && scan.role !== "unloaded"));
  if (unloadedPaths.length === 0) return undefined;
  const byPath = new Map(scans.filter((scan) => scan.role === "unloaded" && sameRepo(facts, scan)).map((scan) => [scan.path, scan]));
  const withLines = [...byPath.values()].filter((scan) => scan.behaviours.length > 0 || scan.status === "unread");
  const wouldDo = [...byPath.values()].flatMap((scan) => scan.behaviours.filter((behaviour) => DANGER_BEHAVIOURS.has(behaviour.kind)));
  return {
    id: "remote-code",
    level: "info",
    title: `${unloadedPaths.length === 1 ? "A Python file" : `${unloadedPaths.length} Python files`} that nothing loads`,
    explanation: [
      `${summarize(unloadedPaths, 5)}: transformers does not run ${unloadedPaths.length === 1 ? "this file" : "these files"} (config.json does not point to them), but the model card, an inference server or another tool may ask you to.`,
      byPath.size > 0 ? `Hub Sentinel read ${plural([...byPath.values()].filter((scan) => scan.status === "read").length, "of them", "of them")}.` : "",
      wouldDo.length > 0 ? `Run by hand, they would do what is listed below (${summarize([...new Set(wouldDo.map((behaviour) => KIND_TITLES[behaviour.kind]))])}).` : "",
    ]
      .filter(Boolean)
      .join(" "),
    evidence: unloadedPaths.slice(0, MAX_EVIDENCE).map((path) => ({ label: path, url: fileUrl(facts.repo, path) })),
    ...(withLines.length > 0 ? { code: withLines.slice(0, MAX_EVIDENCE).map((scan) => codeFile(facts, scan, scan.behaviours, "when something calls it")) } : {}),
    advice: ["Read a file before you run it."],
  };
}

function modelFindings(facts: RepoFacts): RepoFinding[] {
  const info = facts.info.ok ? facts.info.value : undefined;
  const pyFiles = listedFiles(facts)
    .map((file) => file.path)
    .filter(isPythonFile);
  const autoMap = info?.autoMap && Object.keys(info.autoMap).length > 0 ? Object.keys(info.autoMap) : [];
  const customCode = info?.tags.includes("custom_code") === true;
  // Without the repo info, whether config.json points at the Python files is not known: judged as if it did.
  const infoMissing = !facts.info.ok && pyFiles.length > 0;
  const needsTrust = autoMap.length > 0 || customCode || infoMissing;
  const reasons: string[] = [];
  if (autoMap.length > 0) reasons.push(`config.json maps ${summarize(autoMap)} to code (auto_map)`);
  if (customCode) reasons.push("the repo is tagged custom_code");
  if (infoMissing) reasons.push(`the repo info could not be read, so whether config.json points at its Python files (${summarize(pyFiles, 3)}) is not known`);
  const base = { title: "Loading this model runs code from the repo", reasons, needs: "Loading it needs trust_remote_code=True, which runs that code on your machine with your permissions." };
  const scansFact = facts.pythonScans;

  if (!scansFact) {
    // Not read (listing cards, or reading switched off): what the file names alone say.
    const findings: RepoFinding[] = [];
    if (needsTrust) {
      findings.push({
        id: "remote-code",
        level: "warn",
        title: base.title,
        explanation: `${reasons.join("; ")}. ${base.needs}${pyFiles.length > 0 ? ` Python files: ${summarize(pyFiles, 5)}.` : ""}`,
        evidence: [...(autoMap.length > 0 ? [{ label: "config.json", url: fileUrl(facts.repo, "config.json") }] : []), ...pyFiles.slice(0, MAX_EVIDENCE).map((path) => ({ label: path, url: fileUrl(facts.repo, path) }))],
        advice: ["Read the Python files before passing trust_remote_code=True.", "Pin the revision you read (revision=\"<commit sha>\"), so later changes to the code do not run unreviewed."],
      });
      return findings;
    }
    const unloaded = unloadedFinding(facts, [], pyFiles);
    return unloaded ? [unloaded] : [];
  }
  if (!scansFact.ok) {
    if (!needsTrust) {
      const unloaded = unloadedFinding(facts, [], pyFiles);
      return unloaded ? [unloaded] : [];
    }
    return [
      {
        id: "remote-code",
        level: "warn",
        title: base.title,
        explanation: `${reasons.join("; ")}. ${base.needs} Hub Sentinel could not read the code: ${scansFact.gap.message}`,
        evidence: [...(autoMap.length > 0 ? [{ label: "config.json", url: fileUrl(facts.repo, "config.json") }] : []), ...pyFiles.slice(0, MAX_EVIDENCE).map((path) => ({ label: path, url: fileUrl(facts.repo, path) }))],
        advice: ["Read the Python files before passing trust_remote_code=True, or reload the page to try again."],
      },
    ];
  }
  const scans = scansFact.value;
  const ctx: Context = { facts, scans, when: "when the model is built", loads: "when the model loads", dangerKinds: DANGER_BEHAVIOURS };
  const danger = dangerFindings(ctx);
  const inDanger = new Set(scans.filter((scan) => danger.some((finding) => finding.evidence[0]?.url === fileLink(facts, scan))));
  const findings = [...danger];
  const loaded = scans.filter((scan) => scan.role !== "unloaded");
  if (needsTrust || loaded.length > 0) {
    const elsewhere = [...new Set(loaded.filter((scan) => !sameRepo(facts, scan)).map((scan) => scan.repo.id))];
    if (elsewhere.length > 0) base.title = `Loading this model runs code from ${loaded.some((scan) => sameRepo(facts, scan)) ? "the repo and from " : ""}${summarize(elsewhere)}`;
    findings.push(trustFinding(facts, ctx, base, inDanger));
  }
  const unloaded = unloadedFinding(facts, scans, pyFiles);
  if (unloaded) findings.push(unloaded);
  return findings;
}

function datasetFindings(facts: RepoFacts): RepoFinding[] {
  const repoName = facts.repo.id.split("/")[1] ?? "";
  const script = listedFiles(facts).find((file) => file.path.toLowerCase() === `${repoName.toLowerCase()}.py`);
  if (!script) return [];
  const base = {
    title: `Dataset loading script ${script.path}`,
    reasons: [],
    needs: `This dataset is loaded by running ${script.path} from the repo (datasets' trust_remote_code): the script can do anything your account can.`,
  };
  const scansFact = facts.pythonScans;
  if (!scansFact?.ok) {
    return [
      {
        id: "remote-code",
        level: "warn",
        title: base.title,
        explanation: `${base.needs}${scansFact && !scansFact.ok ? ` Hub Sentinel could not read it: ${scansFact.gap.message}` : ""}`,
        evidence: [{ label: script.path, url: fileUrl(facts.repo, script.path) }],
        advice: ["Read the script before loading, or use the dataset's Parquet conversion (refs/convert/parquet) instead."],
      },
    ];
  }
  const ctx: Context = { facts, scans: scansFact.value, when: "when the dataset loads", loads: "when the dataset loads", dangerKinds: DANGER_BEHAVIOURS };
  const danger = dangerFindings(ctx);
  const inDanger = new Set(ctx.scans.filter((scan) => danger.some((finding) => finding.evidence[0]?.url === fileLink(facts, scan))));
  const summary = trustFinding(facts, ctx, base, inDanger);
  summary.advice = ["Read the script before loading, or use the dataset's Parquet conversion (refs/convert/parquet) instead.", ...summary.advice.slice(1)];
  return [...danger, summary];
}

function spaceFindings(facts: RepoFacts): RepoFinding[] {
  const scansFact = facts.pythonScans;
  if (!scansFact) return [];
  if (!scansFact.ok) {
    return [
      {
        id: "remote-code",
        level: "unknown",
        title: "The Space's app code could not be read",
        explanation: `Hub Sentinel reads a Space's app file to tell whether it sends secrets away or runs hidden code; it could not: ${scansFact.gap.message}`,
        evidence: [],
        advice: ["Read the app file before duplicating the Space or giving it secrets, or reload the page to try again."],
      },
    ];
  }
  const scans = scansFact.value;
  const ctx: Context = { facts, scans, when: "when the Space starts", loads: "when the Space starts", dangerKinds: SPACE_DANGER_BEHAVIOURS };
  const findings = dangerFindings(ctx);
  const inDanger = new Set(scans.filter((scan) => findings.some((finding) => finding.evidence[0]?.url === fileLink(facts, scan))));
  const later = scans.filter((scan) => !inDanger.has(scan) && scan.behaviours.some((behaviour) => SPACE_DANGER_BEHAVIOURS.has(behaviour.kind)));
  if (later.length > 0) {
    findings.push({
      id: "remote-code",
      level: "warn",
      title: "The Space's code sends secrets away or runs hidden code when used",
      explanation: `Hub Sentinel read the Space's code: ${summarize(later.map((scan) => scan.path))} ${later.length === 1 ? "does" : "do"} what is listed below when a visitor uses the app. Whoever duplicates this Space runs this code with their own secrets, their Hugging Face token among them.`,
      evidence: later.slice(0, MAX_EVIDENCE).map((scan) => ({ label: label(facts, scan), url: fileLink(facts, scan) })),
      code: later.slice(0, MAX_EVIDENCE).map((scan) => codeFile(facts, scan, scan.behaviours.filter((behaviour) => SPACE_DANGER_BEHAVIOURS.has(behaviour.kind)), "when a visitor uses the app")),
      advice: ["Do not duplicate this Space with your secrets, or read its code first."],
    });
  }
  const unread = scans.filter((scan) => scan.status === "unread");
  if (unread.length > 0) {
    findings.push({
      id: "remote-code",
      level: "unknown",
      title: `The Space's app code could not be read: ${summarize(unread.map((scan) => scan.path))}`,
      explanation: `Hub Sentinel reads a Space's app file and what it imports to tell whether the app sends secrets away or runs hidden code. ${summarize(unread.map((scan) => `${scan.path}: ${scan.reason ?? "not read"}`), 3)}.`,
      evidence: unread.slice(0, MAX_EVIDENCE).map((scan) => ({ label: scan.path, url: fileLink(facts, scan) })),
      code: unread.slice(0, MAX_EVIDENCE).map((scan) => codeFile(facts, scan, [], "when the Space starts")),
      advice: ["Read the app file before duplicating the Space or giving it secrets."],
    });
  }
  return findings;
}

export const remoteCodeRule: Rule = {
  id: "remote-code",
  evaluate(facts) {
    // Info gaps are reported by fetch-failed, file-list gaps by pickle-weights: use whatever is known.
    if (facts.repo.type === "space") return spaceFindings(facts);
    if (facts.repo.type === "dataset") return datasetFindings(facts);
    return modelFindings(facts);
  },
};

