/**
 * Small facts helpers shared by several rules. Not a rule: listed as a helper in
 * tests/unit/rules/registry.test.ts.
 */
import { isPickleFormat, isTrainingStateFile } from "../hub/file-kinds";
import type { OwnPickleScan, RepoFacts, RepoFile } from "../hub/facts";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Files of the listing, or none when the listing is a gap. */
export function listedFiles(facts: RepoFacts): RepoFile[] {
  return facts.files.ok ? facts.files.value.files : [];
}

export function pickleFiles(facts: RepoFacts): RepoFile[] {
  return listedFiles(facts).filter((file) => isPickleFormat(file.path));
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
 * A file something vouches for: the Hub's scans all came back `safe`, or our own reader found
 * only innocuous imports. Anything else (unscanned, queued, flagged) is not a clean scan.
 */
export function scannedClean(facts: RepoFacts, file: RepoFile): boolean {
  if (file.security?.status === "safe") return true;
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
