/**
 * scan-incomplete: weight or pickle files the Hub has not scanned yet, has queued, or failed to scan,
 * or a repo whose security status says `scansDone: false`.
 * Examples: a freshly uploaded model, e.g. https://huggingface.co/new-user/fresh-model/tree/main
 * (files show a queued icon), https://huggingface.co/api/models/{owner}/{name}/scan (`scansDone`).
 *
 * "Not scanned" is `unknown`, never "safe" (hub-api.md). When Hub Sentinel's own pickle reader gave
 * a verdict for a file, the import question is answered (pickle-imports reports what it found) and
 * the file is only mentioned. Strict mode treats an unscanned pickle as danger: it is exactly what
 * the 2024 malicious-model uploads looked like before the Hub caught up with them.
 * Keras files whose layer config Hub Sentinel could not read (keras-scans.ts: over a cap, an HDF5
 * layout it does not follow, a failed read) are named here too, as `unknown`: keras-lambda speaks
 * only of what was read.
 */
import type { RepoFinding } from "../findings";
import { fileName, isKerasFormat, isPickleFormat, isWeightFile } from "../hub/file-kinds";
import type { RepoFacts, RepoFile, ScanStatus } from "../hub/facts";
import { fileUrl } from "../hub/links";
import type { Level } from "../levels";
import { holdsPickles, MAX_EVIDENCE, ownScanOf, pickleFreeArchive, plural, summarize, unlistedZips } from "./shared";
import type { Rule } from "./types";

const NOT_DONE: ReadonlySet<ScanStatus> = new Set(["unscanned", "queued", "error"]);

/** Why a file has no Hub verdict, or undefined when the Hub's scan of it is done. */
export function scanGapOf(file: RepoFile): string | undefined {
  const security = file.security;
  if (!security) return "no scan status was given";
  if (NOT_DONE.has(security.status)) return statusWords(security.status);
  if (isPickleFormat(file.path)) {
    const pickleScan = security.scans.pickleImportScan;
    if (!pickleScan) return "the pickle-import scan gave no result";
    if (NOT_DONE.has(pickleScan.status)) return `pickle-import scan ${statusWords(pickleScan.status)}`;
  }
  return undefined;
}

function statusWords(status: ScanStatus): string {
  return status === "queued" ? "queued" : status === "error" ? "scan errored" : "not scanned";
}

interface Pending {
  file: RepoFile;
  why: string;
}

export const scanIncompleteRule: Rule = {
  id: "scan-incomplete",
  evaluate(facts, { settings }) {
    // A file-list gap is reported by pickle-weights and pickle-imports; a security-status gap by scanner-flag.
    const files = facts.files.ok ? facts.files.value.files : [];
    const pending: Pending[] = [];
    for (const file of files) {
      // A zip read and found to hold no pickle is not a weight file this rule speaks of.
      if (!isWeightFile(file.path) || pickleFreeArchive(facts, file.path)) continue;
      const why = scanGapOf(file);
      if (why !== undefined) pending.push({ file, why });
    }
    const covered = pending.filter((p) => holdsPickles(facts, p.file.path) && hasOwnVerdict(facts, p.file.path));
    const uncovered = pending.filter((p) => !covered.includes(p));
    const uncoveredPickles = uncovered.filter((p) => isPickleFormat(p.file.path));
    const scansNotDone = facts.security.ok && !facts.security.value.scansDone;
    const partialListing =
      facts.files.ok && !facts.files.value.complete && files.some((file) => isPickleFormat(file.path));
    // Zips the Hub has judged, whose members Hub Sentinel could not read: whether they are pickle weights is
    // not known (those the Hub has not judged are among `uncovered`).
    const zipsUnread = unlistedZips(facts).filter((file) => !pending.some((p) => p.file.path === file.path));

    const kerasUnread = unreadKerasFiles(facts);
    if (uncovered.length === 0 && covered.length === 0 && !scansNotDone && !partialListing && kerasUnread.length === 0 && zipsUnread.length === 0) return [];

    const strictDanger = settings.strictness === "strict" && uncoveredPickles.length > 0;
    const level: Level =
      strictDanger ? "danger" : uncovered.length > 0 || scansNotDone || partialListing || kerasUnread.length > 0 || zipsUnread.length > 0 ? "unknown" : "info";

    const lines: string[] = [];
    if (scansNotDone) lines.push("The Hub reports that its scans of this repo are not finished (scansDone: false).");
    if (uncovered.length > 0) {
      lines.push(
        `No scan verdict yet for ${plural(uncovered.length, "file")}: ${uncovered
          .slice(0, 10)
          .map((p) => `${p.file.path} (${p.why})`)
          .join(", ")}${uncovered.length > 10 ? ` and ${uncovered.length - 10} more` : ""}.`,
      );
    }
    const ownWhy = ownScanGapWords(facts, uncoveredPickles);
    if (ownWhy) lines.push(ownWhy);
    if (covered.length > 0) {
      lines.push(
        `The Hub has not scanned ${summarize(covered.map((p) => fileName(p.file.path)))} yet; Hub Sentinel's own scan read ${covered.length === 1 ? "its" : "their"} pickle imports instead (see the pickle-imports finding, if any).`,
      );
    }
    if (partialListing && facts.files.ok) {
      lines.push(`Only the first ${facts.files.value.readCount} files were read; scans of the rest were not checked.`);
    }
    if (kerasUnread.length > 0) lines.push(kerasUnreadWords(facts, kerasUnread));
    if (zipsUnread.length > 0) lines.push(zipsUnreadWords(facts, zipsUnread));
    lines.push("An unfinished scan means nothing is known yet: it does not mean the files are safe.");
    if (strictDanger) lines.push("Strict mode treats unscanned pickle files as dangerous.");

    const finding: RepoFinding = {
      id: "scan-incomplete",
      level,
      title:
        uncovered.length === 0 && !scansNotDone && !partialListing && kerasUnread.length > 0
          ? `Layer config of ${plural(kerasUnread.length, "Keras file")} not checked`
          : uncovered.length === 0 && !scansNotDone && !partialListing && zipsUnread.length > 0
          ? `Contents of ${plural(zipsUnread.length, "zip file")} not checked`
          : uncovered.length > 0
          ? `${plural(uncovered.length, "weight file")} not scanned yet`
          : scansNotDone
            ? "The Hub's scans of this repo are not finished"
            : partialListing
              ? "Scans of some files were not checked"
              : `${plural(covered.length, "pickle file")} checked by Hub Sentinel only`,
      explanation: lines.join(" "),
      evidence: [
        ...[...uncovered, ...covered].slice(0, MAX_EVIDENCE).map((p) => ({ label: p.file.path, url: fileUrl(facts.repo, p.file.path) })),
        ...kerasUnread
          .filter((path) => !uncovered.some((p) => p.file.path === path))
          .slice(0, MAX_EVIDENCE)
          .map((path) => ({ label: path, url: fileUrl(facts.repo, path) })),
        ...zipsUnread.slice(0, MAX_EVIDENCE).map((file) => ({ label: file.path, url: fileUrl(facts.repo, file.path) })),
        { label: "Files and versions", url: fileUrl(facts.repo, "") },
      ],
      advice:
        kerasUnread.length > 0 && uncoveredPickles.length === 0
          ? [
              "Until its layers are checked, load a Keras file only with safe_mode=True (keras.models.load_model(path, safe_mode=True)), never with a legacy loader.",
              "Reload the page later to check again; prefer a safetensors export of the weights.",
            ]
          : zipsUnread.length > 0 && uncoveredPickles.length === 0
          ? [
              "Reload the page later to check again; until then treat the zip as possible pickle weights: look at what it holds before loading anything from it.",
            ]
          : uncoveredPickles.length > 0
          ? [
              "Wait for the Hub's scans (reload the page later) before loading the pickle files.",
              "Prefer safetensors files, which cannot run code when loaded.",
            ]
          : ["Reload the page later to see the finished scan."],
    };
    return [finding];
  },
};

function hasOwnVerdict(facts: RepoFacts, path: string): boolean {
  const own = ownScanOf(facts, path);
  return own !== undefined && own.verdict !== "unknown";
}

/** Why our own scan did not fill the gap, when it was asked to. */
function ownScanGapWords(facts: RepoFacts, uncoveredPickles: readonly Pending[]): string | undefined {
  if (uncoveredPickles.length === 0 || facts.ownScans === undefined) return undefined;
  if (!facts.ownScans.ok) return `Hub Sentinel's own pickle scan could not run: ${facts.ownScans.gap.message}`;
  const reasons = uncoveredPickles
    .map((p) => ownScanOf(facts, p.file.path))
    .filter((scan) => scan?.verdict === "unknown" && scan.reason)
    .map((scan) => `${scan?.path ?? ""}: ${scan?.reason ?? ""}`);
  return reasons.length > 0 ? `Hub Sentinel's own scan could not decide (${reasons.join("; ")}).` : undefined;
}

/**
 * Keras files whose layer config Hub Sentinel could not read (lib/hub/keras-scans.ts): over the
 * per-repo cap, past the byte cap, an unsupported HDF5 layout, a failed read. All of them, when the
 * scan as a whole failed. Not checked is `unknown`, never clean.
 */
function unreadKerasFiles(facts: RepoFacts): string[] {
  if (facts.kerasScans === undefined) return [];
  if (!facts.kerasScans.ok) return (facts.files.ok ? facts.files.value.files : []).filter((file) => isKerasFormat(file.path)).map((file) => file.path);
  return facts.kerasScans.value.filter((scan) => scan.verdict === "unknown").map((scan) => scan.path);
}

/** Why each unread zip was not read, in the words of the own scan. */
function zipsUnreadWords(facts: RepoFacts, zips: readonly RepoFile[]): string {
  const reasons = zips.slice(0, 10).map((file) => `${file.path}: ${ownScanOf(facts, file.path)?.reason ?? (facts.ownScans?.ok === false ? facts.ownScans.gap.message : "not read")}`);
  return `A zip is pickle weights only if it holds a pickle, and Hub Sentinel could not read all of ${plural(zips.length, "zip file")} to tell, so whether loading ${zips.length === 1 ? "it" : "them"} runs code is not known (${reasons.join("; ")}).`;
}

function kerasUnreadWords(facts: RepoFacts, paths: readonly string[]): string {
  if (facts.kerasScans !== undefined && !facts.kerasScans.ok) {
    return `Hub Sentinel could not read the layer config of ${summarize(paths.map(fileName))} for Lambda layers or foreign code: ${facts.kerasScans.gap.message}`;
  }
  const reasons = (facts.kerasScans?.ok ? facts.kerasScans.value : [])
    .filter((scan) => scan.verdict === "unknown")
    .slice(0, 10)
    .map((scan) => `${scan.path}: ${scan.reason ?? "not read"}`);
  return `Hub Sentinel could not check the layer config of ${plural(paths.length, "Keras file")} for Lambda layers or foreign code (${reasons.join("; ")}).`;
}
