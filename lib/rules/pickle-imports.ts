/**
 * pickle-imports: a pickle imports something dangerous or suspicious, per Hugging Face's pickle
 * scan (tree `securityFileStatus.pickleImportScan.pickleImports`) or Hub Sentinel's own scan.
 * Examples: https://huggingface.co/mcpotato/42-eicar-street (danger.dat imports builtins.eval, HF's test repo),
 * https://huggingface.co/Ultralytics/YOLOv8 (yolov8n.pt: flagged for builtins.getattr, a common benign pattern),
 * any fine-tuned model with a training_args.bin, e.g. https://huggingface.co/distilbert/distilbert-base-uncased-finetuned-sst-2-english.
 *
 * Why the nuance: scanners put `builtins.getattr` on their unsafe list because it can be chained to
 * reach `os.system`, and Trainer state or YOLO checkpoints import it routinely. A red badge on every
 * YOLO model teaches people to ignore red badges (risk-signals.md, alarm fatigue), so those files get
 * a warning that explains the pattern. Imports that execute code on their own (`posix.system`,
 * `builtins.exec`, `subprocess`, …) are `danger` wherever they appear, and strict mode drops the nuance.
 * Each dangerous import is followed by what loading it would do, in plain words (lib/readers/pickle/classify.ts).
 */
import type { RepoFinding } from "../findings";
import { fileName, isTrainingStateFile, isYoloCheckpointName } from "../hub/file-kinds";
import type { OwnPickleScan, PickleImport, RepoFacts, RepoFile, SubScan } from "../hub/facts";
import { fileUrl } from "../hub/links";
import { levelRank, maxLevel, type Level } from "../levels";
import { importEffect } from "../readers/pickle/classify";
import { ruleGap } from "./gap-finding";
import { clearedByOurList, MAX_EVIDENCE, ownScanOf, plural, summarize } from "./shared";
import type { Rule } from "./types";

export const HF_SCAN_NAME = "Hugging Face's scan";
export const OWN_SCAN_NAME = "Hub Sentinel's own scan";

/** Imports that read an attribute by name: unsafe because they can be chained, routine in some files. */
const GETATTR_LIKE = new Set([
  "builtins.getattr",
  "__builtin__.getattr",
  "operator.attrgetter",
  "_operator.attrgetter",
]);

export function isGetattrLike(imp: PickleImport): boolean {
  return GETATTR_LIKE.has(`${imp.module}.${imp.name}`);
}

type Pattern = "training-state" | "yolo";

/** Libraries whose classes a pattern's pickles are expected to rebuild. */
const PATTERN_MODULES: Record<Pattern, readonly string[]> = {
  "training-state": [
    "transformers", "accelerate", "torch", "peft", "trl", "diffusers", "sentence_transformers", "setfit",
    "numpy", "collections", "datetime", "enum",
  ],
  yolo: ["ultralytics", "torch", "numpy", "collections"],
};

/**
 * Lower-case names that are plain data constructors. Any other lower-case name (`os`, `system`,
 * `load`) could be a module or a function reached through an allowed module, so it is not benign.
 */
const BENIGN_FUNCTION_NAMES = new Set([
  "device", "dtype", "scalar", "_reconstruct", "_rebuild_tensor_v2", "_rebuild_parameter", "_load_from_bytes",
  "encode", "set", "frozenset", "dict", "list", "tuple", "slice", "bytearray", "complex",
]);
const BENIGN_DATA_IMPORTS = new Set(["_codecs.encode", "builtins.set", "builtins.frozenset", "builtins.slice", "builtins.complex", "builtins.bytearray", "__builtin__.set"]);

function expectedFor(pattern: Pattern, imp: PickleImport): boolean {
  if (BENIGN_DATA_IMPORTS.has(`${imp.module}.${imp.name}`)) return true;
  const inLibrary = PATTERN_MODULES[pattern].some((lib) => imp.module === lib || imp.module.startsWith(`${lib}.`));
  return inLibrary && (/^[A-Z]/.test(imp.name) || BENIGN_FUNCTION_NAMES.has(imp.name));
}

/** What a set of imports amounts to, before any pattern is taken into account. */
interface ImportSummary {
  dangerous: PickleImport[];
  suspicious: PickleImport[];
  /** Imports the Hub's scan calls suspicious that our list clears as well-known library classes (see `clearedByOurList`). */
  cleared: PickleImport[];
}

/*
 * Where our list overrides the Hub's scan (shared.ts `clearedByOurList`). The Hub's pickle scan is
 * picklescan's rule: `suspicious` means "not on its short safe list", not "seen doing something", so every
 * Lightning checkpoint (ModelCheckpoint), numpy scalar and accelerate enum is suspicious there, which made
 * every Stable Diffusion 1.x checkpoint a warning. Our safe list names such classes one by one, each with
 * where it is found and why loading it runs nothing, and it is what our own scan applies: so a Hub
 * `suspicious` import on it is cleared. Never the Hub's `dangerous` (a known code-execution import, or one it
 * could not resolve), and nothing in strict mode, which keeps every flag. A cleared import is still named in
 * the finding (`info`), so the Hub's call stays visible beside ours.
 */

/** `clear`: apply our list to another scanner's `suspicious` (the Hub's, outside strict mode). */
function summarizeImports(imports: readonly PickleImport[], clear: boolean): ImportSummary {
  const cleared = clear ? imports.filter(clearedByOurList) : [];
  return {
    dangerous: imports.filter((imp) => imp.safety === "dangerous"),
    suspicious: imports.filter((imp) => imp.safety === "suspicious" && !cleared.includes(imp)),
    cleared,
  };
}

/** One scanner's say on one file. `flaggedWithoutList`: the status is flagged but no import is named. */
interface ScannerSay {
  scanner: typeof HF_SCAN_NAME | typeof OWN_SCAN_NAME;
  imports: ImportSummary;
  flaggedWithoutList?: "dangerous" | "suspicious";
  /** This scanner looked and found nothing risky. */
  clean: boolean;
  reportLink?: string;
}

interface FileReport {
  path: string;
  /** Set for a file read at a pull request's revision (Hub Sentinel's own scan of a conversion-looking PR). */
  pr?: number;
  says: ScannerSay[];
  pattern?: Pattern;
  level: Level;
}

function hfSay(scan: SubScan | undefined, strict: boolean): ScannerSay | undefined {
  // A scan that has not run (queued, errored, unscanned) has said nothing: "nothing risky listed" would
  // read as a result. scan-incomplete reports it; our own scan may speak for the file instead.
  if (!scan || scan.status === "queued" || scan.status === "error" || scan.status === "unscanned") return undefined;
  const imports = summarizeImports(scan.pickleImports ?? [], !strict);
  const listed = imports.dangerous.length + imports.suspicious.length + imports.cleared.length > 0;
  const flaggedWithoutList =
    listed ? undefined : scan.status === "unsafe" ? "dangerous" : scan.status === "suspicious" || scan.status === "caution" ? "suspicious" : undefined;
  return {
    scanner: HF_SCAN_NAME,
    imports,
    ...(flaggedWithoutList ? { flaggedWithoutList } : {}),
    clean: scan.status === "safe" && !listed,
    ...(scan.reportLink ? { reportLink: scan.reportLink } : {}),
  };
}

function ownSay(facts: RepoFacts, path: string): ScannerSay | undefined {
  return ownSayOf(ownScanOf(facts, path));
}

function ownSayOf(own: OwnPickleScan | undefined): ScannerSay | undefined {
  if (!own || own.verdict === "unknown") return undefined;
  // Our own scan's imports are judged by our list already: nothing of it to clear.
  const imports = summarizeImports(own.imports, false);
  const listed = imports.dangerous.length + imports.suspicious.length > 0;
  const flaggedWithoutList = listed || own.verdict === "clean" ? undefined : own.verdict;
  return { scanner: OWN_SCAN_NAME, imports, ...(flaggedWithoutList ? { flaggedWithoutList } : {}), clean: own.verdict === "clean" && !listed };
}

function patternOf(facts: RepoFacts, path: string, imports: readonly PickleImport[]): Pattern | undefined {
  if (isTrainingStateFile(path)) return "training-state";
  const ultralyticsRepo =
    facts.info.ok && (facts.info.value.libraryName === "ultralytics" || facts.info.value.tags.includes("ultralytics"));
  const importsUltralytics = imports.some((imp) => imp.module === "ultralytics" || imp.module.startsWith("ultralytics."));
  if (fileName(path).toLowerCase().endsWith(".pt") && (isYoloCheckpointName(path) || ultralyticsRepo || importsUltralytics)) {
    return "yolo";
  }
  return undefined;
}

function levelOfFile(says: readonly ScannerSay[], pattern: Pattern | undefined, strict: boolean): Level {
  const all = says.flatMap((say) => [...say.imports.dangerous, ...say.imports.suspicious]);
  const dangerous = says.flatMap((say) => say.imports.dangerous);
  const suspicious = says.flatMap((say) => say.imports.suspicious);
  const flaggedDangerous = says.some((say) => say.flaggedWithoutList === "dangerous");
  const flaggedSuspicious = says.some((say) => say.flaggedWithoutList === "suspicious");

  // A dangerous import that is not getattr-like runs code on its own: danger, whatever the file.
  if (flaggedDangerous || dangerous.some((imp) => !isGetattrLike(imp))) return "danger";
  if (strict && all.length + (flaggedSuspicious ? 1 : 0) > 0) return "danger";

  const fitsPattern = pattern !== undefined && all.every((imp) => isGetattrLike(imp) || expectedFor(pattern, imp));
  if (dangerous.length > 0) return fitsPattern ? "warn" : "danger";
  if (suspicious.length > 0 || flaggedSuspicious) return fitsPattern && !flaggedSuspicious ? "info" : "warn";
  // Flagged by the Hub, cleared by our list: worth a line (info), not a warning.
  return says.some((say) => say.imports.cleared.length > 0) ? "info" : "ok";
}

function importWords(imports: readonly PickleImport[]): string {
  const unique = [...new Set(imports.map((imp) => `${imp.module}.${imp.name}`))];
  return summarize(unique, 6);
}

/** Dangerous imports with what loading each would do: "posix.system (runs a shell command or another program)". */
function dangerousWords(imports: readonly PickleImport[]): string {
  const seen = new Map<string, string>();
  for (const imp of imports) {
    const path = `${imp.module}.${imp.name}`;
    if (seen.has(path)) continue;
    // A scanner may flag what our lists do not: then say who judged it, rather than guess what it does.
    const does = importEffect(imp.module, imp.name) ?? "flagged as able to run code on load";
    seen.set(path, `${path} (${does})`);
  }
  return summarize([...seen.values()], 6);
}

/** "Hugging Face's scan: dangerous posix.system; suspicious foo.Bar" — dangerous first. */
function sayWords(say: ScannerSay): string {
  if (say.clean) return `${say.scanner}: nothing risky`;
  const parts: string[] = [];
  if (say.imports.dangerous.length > 0) parts.push(`dangerous ${dangerousWords(say.imports.dangerous)}`);
  if (say.imports.suspicious.length > 0) parts.push(`suspicious ${importWords(say.imports.suspicious)}`);
  if (say.imports.cleared.length > 0) {
    parts.push(`suspicious ${importWords(say.imports.cleared)}, which are well-known library classes (${libraryWords(say.imports.cleared)}) on Hub Sentinel's list of imports that only rebuild data`);
  }
  if (say.flaggedWithoutList) parts.push(`${say.flaggedWithoutList} (imports not listed)`);
  if (parts.length === 0) parts.push("nothing risky listed");
  return `${say.scanner}: ${parts.join("; ")}`;
}

/** Display names of the libraries whose classes our list clears, by top-level module. */
const LIBRARY_NAMES: Readonly<Record<string, string>> = {
  pytorch_lightning: "PyTorch Lightning", lightning: "PyTorch Lightning", lightning_fabric: "PyTorch Lightning", numpy: "numpy",
  torch: "PyTorch", transformers: "transformers", accelerate: "accelerate", trl: "trl", sentence_transformers: "sentence-transformers", pyannote: "pyannote.audio",
};

function libraryWords(imports: readonly PickleImport[]): string {
  const names = imports.map((imp) => LIBRARY_NAMES[imp.module.split(".")[0] ?? ""] ?? "the Python standard library");
  return summarize([...new Set(names)], 4);
}

const CLEARED_WHY =
  "A checkpoint holds such classes to rebuild its training state and values (Lightning's callback state, numpy scalars and dtypes); loading them imports those libraries and runs nothing the file chose. Hugging Face's scan calls everything off its short safe list suspicious; each entry of Hub Sentinel's list says where the class is found and why it is harmless.";

const PATTERN_WHY: Record<Pattern, string> = {
  "training-state":
    "is Trainer state (training arguments, optimizer or scheduler), saved as a whole Python object, so its pickle names library classes and often builtins.getattr to rebuild enums. Scanners flag getattr because it can be chained to reach functions such as os.system; these imports show no such call, but a scan cannot prove the chain is harmless. Libraries do not load this file for inference.",
  yolo:
    "is an Ultralytics YOLO checkpoint, which pickles the whole model object: its pickle names ultralytics and torch classes and builtins.getattr, which is why scanners flag nearly every YOLO model. getattr can be chained to reach functions such as os.system; these imports show no such call, but a scan cannot prove the chain is harmless, and Ultralytics loads .pt files with full unpickling.",
};

export const pickleImportsRule: Rule = {
  id: "pickle-imports",
  evaluate(facts, { settings }) {
    const strict = settings.strictness === "strict";
    const findings: RepoFinding[] = [];
    if (!facts.files.ok) findings.push(...ruleGap(facts, "pickle-imports", "pickle imports (the file list)", facts.files.gap));
    // Own-scan gaps are reported by scan-incomplete, for the files they leave without any verdict.

    const files: RepoFile[] = facts.files.ok ? facts.files.value.files : [];
    const byPath = new Map(files.map((file) => [file.path, file]));
    const paths = new Set(byPath.keys());
    const ownScans = facts.ownScans?.ok ? facts.ownScans.value : [];
    const ownOnlyPaths = ownScans.filter((scan) => scan.pr === undefined).map((scan) => scan.path).filter((path) => !paths.has(path));

    const reports: FileReport[] = [];
    for (const path of [...paths, ...ownOnlyPaths]) {
      // A map, not files.find: repos with 10,000 files made this quadratic (1.6 s).
      const file = byPath.get(path);
      const says = [hfSay(file?.security?.scans.pickleImportScan, strict), ownSay(facts, path)].filter(
        (say): say is ScannerSay => say !== undefined,
      );
      const pattern = patternOf(facts, path, says.flatMap((say) => [...say.imports.dangerous, ...say.imports.suspicious]));
      const level = levelOfFile(says, pattern, strict);
      if (level !== "ok") reports.push({ path, says, level, ...(pattern ? { pattern } : {}) });
    }
    // Files a conversion-looking PR changes, read at refs/pr/N: what loading the PR's revision would run.
    for (const own of ownScans) {
      if (own.pr === undefined) continue;
      const say = ownSayOf(own);
      if (!say) continue;
      const pattern = patternOf(facts, own.path, [...say.imports.dangerous, ...say.imports.suspicious]);
      const level = levelOfFile([say], pattern, strict);
      if (level !== "ok") reports.push({ path: own.path, pr: own.pr, says: [say], level, ...(pattern ? { pattern } : {}) });
    }
    if (reports.length === 0) return findings;

    reports.sort((a, b) => levelRank(b.level) - levelRank(a.level) || a.path.localeCompare(b.path));
    const level = reports.reduce<Level>((acc, report) => maxLevel(acc, report.level), "ok");
    const worst = reports.filter((report) => report.level === level);
    const patternOnly = reports.every((report) => report.pattern !== undefined && report.level !== "danger");
    const clearedOnly = reports.every((report) => clearedOnlyReport(report));

    const lines = reports.map((report) => {
      const says = report.says.map(sayWords).join(". ");
      const disagreement = disagreementWords(report.says);
      const why =
        report.pattern && report.level !== "danger" ? ` This file ${PATTERN_WHY[report.pattern]}` : clearedOnlyReport(report) ? ` ${CLEARED_WHY}` : "";
      return `${reportLabel(report)} — ${says}.${disagreement}${why}`;
    });

    const title =
      level === "danger"
        ? `Dangerous pickle imports in ${summarize(worst.map((r) => reportName(r)))}`
        : patternOnly
          ? `${summarize(reports.map((r) => reportName(r)))}: flagged imports typical of ${patternTitle(reports)}`
          : clearedOnly
            ? `${summarize(reports.map((r) => reportName(r)))}: the imports Hugging Face flags are well-known library classes`
            : `Suspicious pickle imports in ${plural(reports.length, "file")}`;

    const advice =
      level === "danger"
        ? [
            "Do not load these files: unpickling them runs the imported code.",
            "If you need this model, look for a safetensors copy from a trusted author.",
            "Consider reporting the repo to Hugging Face (the ⋮ menu on the repo page).",
          ]
        : patternOnly
          ? patternAdvice(reports)
          : clearedOnly
            ? [
                "Nothing to do about these imports: they rebuild data.",
                "The file is still a pickle: where the repo has a safetensors copy, load that; load pickles only from authors you trust.",
              ]
          : [
              "Read the listed imports before loading; load with torch.load(..., weights_only=True), which refuses them.",
              "Prefer a safetensors copy of the weights.",
            ];

    findings.push({
      id: "pickle-imports",
      level,
      title,
      explanation: [
        "Loading a pickle runs the functions it imports.",
        ...lines,
      ].join("\n"),
      evidence: reports.slice(0, MAX_EVIDENCE).flatMap((report) => [
        {
          label: reportLabel(report),
          url: fileUrl(report.pr === undefined ? facts.repo : { ...facts.repo, revision: `refs/pr/${report.pr}` }, report.path),
        },
        ...report.says
          .filter((say) => say.reportLink !== undefined)
          .map((say) => ({ label: `${say.scanner} report for ${fileName(report.path)}`, url: say.reportLink })),
      ]),
      advice,
      // The contract: danger from pickle imports is never hidden by an allowlist.
      ...(level === "danger" ? { overridesAllowlist: true } : {}),
    });
    return findings;
  },
};

/** A file whose only flagged imports are ones our list clears. */
function clearedOnlyReport(report: FileReport): boolean {
  return (
    report.level === "info" &&
    report.pattern === undefined &&
    report.says.some((say) => say.imports.cleared.length > 0) &&
    report.says.every((say) => say.imports.dangerous.length + say.imports.suspicious.length === 0 && say.flaggedWithoutList === undefined)
  );
}

function reportLabel(report: FileReport): string {
  return report.pr === undefined ? report.path : `${report.path} in PR #${report.pr}`;
}

function reportName(report: FileReport): string {
  return report.pr === undefined ? fileName(report.path) : `${fileName(report.path)} (PR #${report.pr})`;
}

function patternAdvice(reports: readonly FileReport[]): string[] {
  const patterns = new Set(reports.map((report) => report.pattern));
  return [
    ...(patterns.has("training-state")
      ? ["You do not need Trainer state such as training_args.bin to use the model: skip it when downloading."]
      : []),
    ...(patterns.has("yolo")
      ? ["Load YOLO checkpoints only from authors you trust, or use an exported ONNX or safetensors version."]
      : []),
    "If you load such a file with torch.load, pass weights_only=True: it refuses imports like getattr.",
  ];
}

function patternTitle(reports: readonly FileReport[]): string {
  const patterns = new Set(reports.map((report) => report.pattern));
  if (patterns.size === 1 && patterns.has("yolo")) return "YOLO checkpoints";
  if (patterns.size === 1 && patterns.has("training-state")) return "Trainer state";
  return "Trainer state and YOLO checkpoints";
}

/** Scanners that disagree are worth showing: one may have missed a second pickle or a memo trick. */
function disagreementWords(says: readonly ScannerSay[]): string {
  const [first, second] = says;
  if (!first || !second) return "";
  const firstRisky = !first.clean;
  const secondRisky = !second.clean;
  if (firstRisky === secondRisky) return "";
  const [risky, calm] = firstRisky ? [first, second] : [second, first];
  return ` The scanners disagree: ${calm.scanner} found nothing risky where ${risky.scanner} did.`;
}
