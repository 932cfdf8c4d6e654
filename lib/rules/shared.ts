/**
 * Small facts helpers shared by several rules. Not a rule: listed as a helper in
 * tests/unit/rules/registry.test.ts.
 */
import { isPickleFormat, isTrainingStateFile, isZipArchive } from "../hub/file-kinds";
import type { OwnPickleScan, PickleImport, RepoFacts, RepoFile, ScanStatus } from "../hub/facts";
import { importSafety } from "../readers/pickle/classify";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Files of the listing, or none when the listing is a gap. */
export function listedFiles(facts: RepoFacts): RepoFile[] {
  return facts.files.ok ? facts.files.value.files : [];
}

export function pickleFiles(facts: RepoFacts): RepoFile[] {
  return listedFiles(facts).filter((file) => holdsPickles(facts, file.path));
}

/**
 * A zip whose central directory Hub Sentinel read and found no pickle member in (a CoreML model, images,
 * audio): no loader unpickles anything from it, so it is not pickle weights. A zip not read (yet), or not
 * readable, or with a pickle member, is not one of these.
 */
export function pickleFreeArchive(facts: RepoFacts, path: string): boolean {
  if (!isZipArchive(path)) return false;
  const scan = ownScanOf(facts, path);
  return scan?.verdict === "clean" && scan.archive?.pickleMembers === 0;
}

/** A pickle-format file by its name, unless it is a zip read and found to hold no pickle. */
export function holdsPickles(facts: RepoFacts, path: string): boolean {
  return isPickleFormat(path) && !pickleFreeArchive(facts, path);
}

/**
 * Zips Hub Sentinel tried to read and could not, wholly or in part (a failed read, a member it cannot
 * read, over the per-repo cap): whether they hold a pickle, or what it imports, is not known. Empty when no own scan ran at all (listing cards, which read
 * no file): there a zip is counted as pickle weights, as its name suggests.
 */
export function unlistedZips(facts: RepoFacts): RepoFile[] {
  if (facts.ownScans === undefined) return [];
  return listedFiles(facts).filter((file) => {
    if (!isZipArchive(file.path)) return false;
    const scan = ownScanOf(facts, file.path);
    return scan === undefined || scan.verdict === "unknown";
  });
}

/** Pickles a library would load as the model (not Trainer state such as training_args.bin). */
export function pickleWeightFiles(facts: RepoFacts): RepoFile[] {
  return pickleFiles(facts).filter((file) => !isTrainingStateFile(file.path));
}

export function ownScanOf(facts: RepoFacts, path: string): OwnPickleScan | undefined {
  if (!facts.ownScans?.ok) return undefined;
  // A scan of a PR's copy (`pr` set) is not the file at the viewed revision.
  return facts.ownScans.value.find((scan) => scan.path === path && scan.pr === undefined);
}

/**
 * An import another scanner calls `suspicious` that our safe list names (lib/readers/pickle/classify.ts:
 * a well-known library's class that only rebuilds data, each entry with its source). The Hub's pickle scan
 * calls suspicious whatever is off picklescan's short safe list; our list is what our own scan applies,
 * so it clears those. Never a `dangerous` one (see pickle-imports.ts, where strict mode keeps every flag).
 */
export function clearedByOurList(imp: PickleImport): boolean {
  return imp.safety === "suspicious" && importSafety(imp.module, imp.name) === "innocuous";
}

const FLAGGED_OR_NOT_DONE: ReadonlySet<ScanStatus> = new Set(["caution", "suspicious", "unsafe", "queued", "error"]);

/**
 * The Hub scanned the file and flagged nothing but imports our list clears: its pickle scan is done,
 * names at least one import, every one innocuous or cleared, and no other scanner flags the file or is
 * still at work.
 */
function hubFlagsOnlyClearedImports(file: RepoFile): boolean {
  const scans = file.security?.scans;
  const pickleScan = scans?.pickleImportScan;
  if (!scans || !pickleScan || (pickleScan.status !== "suspicious" && pickleScan.status !== "caution")) return false;
  const imports = pickleScan.pickleImports ?? [];
  if (imports.length === 0 || !imports.every((imp) => imp.safety === "innocuous" || clearedByOurList(imp))) return false;
  return Object.entries(scans).every(([name, scan]) => name === "pickleImportScan" || !FLAGGED_OR_NOT_DONE.has(scan.status));
}

/**
 * A file something vouches for: the Hub's scans all came back `safe` (or flagged only imports our
 * list clears), or our own reader found only innocuous imports. Anything else (unscanned, queued,
 * flagged) is not a clean scan.
 */
export function scannedClean(facts: RepoFacts, file: RepoFile): boolean {
  if (file.security?.status === "safe" || hubFlagsOnlyClearedImports(file)) return true;
  return ownScanOf(facts, file.path)?.verdict === "clean";
}

/** Pickle weights that nothing vouches for: the JFrog pattern when the author is unknown. */
export function unvouchedPickleWeights(facts: RepoFacts): RepoFile[] {
  return pickleWeightFiles(facts).filter((file) => !scannedClean(facts, file));
}

/** Parses an ISO date; undefined when absent or not a date, so callers decide what "unknown" means. */
export function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : time;
}

/** True when `iso` is no more than `days` before `reference` (dates in the future count as recent). */
export function withinDays(iso: string | undefined, reference: number, days: number): boolean {
  const time = parseTime(iso);
  return time !== undefined && reference - time <= days * DAY_MS;
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** "a, b, c and 4 more" */
export function summarize(items: readonly string[], shown = 3): string {
  if (items.length <= shown) {
    if (items.length <= 1) return items.join("");
    return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
  }
  return `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`;
}

/** Evidence lists stay readable in a panel; the full list is on the Hub. */
export const MAX_EVIDENCE = 20;

export function dateWords(iso: string): string {
  return iso.slice(0, 10);
}
