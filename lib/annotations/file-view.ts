/**
 * Which file rows get an annotation and what it says (contract: `[data-hub-sentinel="file"]`
 * "beside each file row that has a finding (pickle format, scanner flag, recent weight change)").
 * Pure: from the repo's facts and the findings of the full rule set, so a row never disagrees
 * with the repo badge. Examples: https://huggingface.co/{owner}/{name}/tree/main (rows),
 * https://huggingface.co/{owner}/{name}/blob/main/pytorch_model.bin (a file view).
 */
import type { ChatTemplateScan } from "../readers/chat-template/types";
import type { RepoFinding } from "../findings";
import { isKerasFormat, isPickleFormat, isWeightFile } from "../hub/file-kinds";
import { SCANNER_LABELS, SCANNER_NAMES, type ImportSafety, type RepoFacts, type RepoFile, type ScanStatus } from "../hub/facts";
import { fileUrl, repoUrl } from "../hub/links";
import { maxLevel, type Level } from "../levels";
import { importEffect } from "../readers/pickle/classify";
import { findingsForFile } from "../rules/locate";
import { ownScanOf, withinDays } from "../rules/shared";
import { RECENT_CHANGE_DAYS } from "../rules/weights-changed";
import { levelOf, sortBySeverity } from "../verdict/verdict";
import type { FileAnnotationView, FileScanLine } from "./types";

const SAFETY_ORDER: Record<ImportSafety, number> = { dangerous: 0, suspicious: 1, innocuous: 2 };
const FLAGGED: ReadonlySet<ScanStatus> = new Set(["caution", "suspicious", "unsafe"]);
const NOT_DONE: ReadonlySet<ScanStatus> = new Set(["unscanned", "queued", "error"]);

export interface FileAnnotationOptions {
  /** A file view shows its file's annotation whatever it holds. */
  always?: boolean;
  /** Commit authors by commit id, from the repo's commit list. */
  commitAuthors?: ReadonlyMap<string, string[]>;
}

/**
 * Whether a file deserves a row annotation: pickle format, Keras model file (its layer config was
 * read: keras-lambda), a finding, a scanner flag, a recent weight change.
 */
export function fileNeedsAnnotation(path: string, file: RepoFile | undefined, findings: readonly RepoFinding[], now: number): boolean {
  if (isPickleFormat(path) || isKerasFormat(path) || findings.length > 0) return true;
  if (!file) return false;
  if (file.security && FLAGGED.has(file.security.status)) return true;
  return isWeightFile(path) && withinDays(file.lastCommit?.date, now, RECENT_CHANGE_DAYS);
}

export function fileAnnotations(
  facts: RepoFacts,
  findings: readonly RepoFinding[],
  paths: readonly string[],
  options: FileAnnotationOptions = {},
): FileAnnotationView[] {
  const listing = facts.files.ok ? new Map(facts.files.value.files.map((file) => [file.path, file])) : undefined;
  // When the file list itself is missing, the repo-wide `unknown` findings are what a row can say.
  const repoWideGaps = listing ? [] : findings.filter((finding) => finding.level === "unknown" && isRepoWide(finding, facts));
  const views: FileAnnotationView[] = [];
  for (const path of new Set(paths)) {
    const file = listing?.get(path);
    const own = findingsForFile(findings, facts.repo, path);
    const templateScan = templateScanOf(facts, path);
    // A file a chat template was read from is annotated even when clean: the row says it was checked.
    if (!options.always && !fileNeedsAnnotation(path, file, own, facts.fetchedAt) && !templateScan) continue;
    const attached = sortBySeverity([...own, ...(isPickleFormat(path) || options.always ? repoWideGaps : [])]).map((finding) => ownCodeOnly(finding, fileUrl(facts.repo, path)));
    const view = viewOf(facts, path, file, attached, listing !== undefined, options);
    if (templateScan) view.templateNote = templateNote(templateScan);
    views.push(view);
  }
  return views;
}

/** A row shows the lines of its own file: a finding about several files' code keeps only this one's. */
function ownCodeOnly(finding: RepoFinding, url: string): RepoFinding {
  if (!finding.code) return finding;
  const code = finding.code.filter((file) => file.url === url);
  return code.length === finding.code.length ? finding : { ...finding, code };
}

function templateScanOf(facts: RepoFacts, path: string): ChatTemplateScan | undefined {
  return facts.chatTemplates?.ok ? facts.chatTemplates.value.find((scan) => scan.path === path && path !== "") : undefined;
}

function templateNote(scan: ChatTemplateScan): string {
  if (scan.status === "unread") return `Chat template not checked: ${scan.reason ?? "not read"}.`;
  if (scan.templates.length === 0) return `No chat template here${scan.reason ? ` (${scan.reason})` : ""}.`;
  const count = scan.templates.length === 1 ? "Its chat template" : `Its ${scan.templates.length} chat templates`;
  if (scan.templates.some((template) => template.judgement.verdict === "escapes")) return `${count}: reaches for Python internals (see the finding).`;
  if (scan.templates.some((template) => template.judgement.verdict === "unparseable")) return `${count}: could not be parsed, so not checked.`;
  return `${count}: read by Hub Sentinel, nothing reaches for Python internals.`;
}

function isRepoWide(finding: RepoFinding, facts: RepoFacts): boolean {
  const wide = new Set([fileUrl(facts.repo, ""), repoUrl(facts.repo)]);
  return finding.evidence.every((evidence) => evidence.url === undefined || wide.has(evidence.url));
}

function viewOf(
  facts: RepoFacts,
  path: string,
  file: RepoFile | undefined,
  findings: RepoFinding[],
  listed: boolean,
  options: FileAnnotationOptions,
): FileAnnotationView {
  let level: Level = findings.length > 0 ? levelOf(findings) : "ok";
  let gap: string | undefined;
  if (!listed) gap = "The repo's file list could not be read, so this file was not checked.";
  else if (!file) gap = "This file was not among the files the extension read.";
  else if (isWeightFile(path) && (!file.security || NOT_DONE.has(file.security.status)) && !ownScanOf(facts, path)) {
    gap = file.security ? `The Hub's scan of this file is ${file.security.status}.` : "The Hub gave no scan status for this file.";
  }
  if (gap) level = maxLevel(level, "unknown");
  // A pickle is never "ok": loading it runs its imports, even when every scan came back clean.
  if (isPickleFormat(path)) level = maxLevel(level, "info");

  const view: FileAnnotationView = { path, level, findings, imports: importsOf(facts, path, file), scans: scansOf(file) };
  if (gap) view.gap = gap;
  if (file?.security) view.scanStatus = file.security.status;
  if (file?.lastCommit) {
    const { id, title, date } = file.lastCommit;
    view.lastChange = { commitId: id, title, date, url: `${repoUrl(facts.repo)}/commit/${encodeURIComponent(id)}` };
    const authors = options.commitAuthors?.get(id);
    if (authors) view.lastChange.authors = authors;
  }
  return view;
}

function importsOf(facts: RepoFacts, path: string, file: RepoFile | undefined): FileAnnotationView["imports"] {
  const seen = new Set<string>();
  const all = [...(file?.security?.scans.pickleImportScan?.pickleImports ?? []), ...(ownScanOf(facts, path)?.imports ?? [])];
  return all
    .filter((item) => {
      const key = `${item.module}.${item.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => SAFETY_ORDER[a.safety] - SAFETY_ORDER[b.safety] || `${a.module}.${a.name}`.localeCompare(`${b.module}.${b.name}`))
    .map(({ module, name, safety }) => {
      const does = safety === "dangerous" ? importEffect(module, name) : undefined;
      return { module, name, safety, ...(does === undefined ? {} : { does }) };
    });
}

function scansOf(file: RepoFile | undefined): FileScanLine[] {
  const scans = file?.security?.scans;
  if (!scans) return [];
  const lines: FileScanLine[] = [];
  for (const name of SCANNER_NAMES) {
    const scan = scans[name];
    if (!scan) continue;
    const line: FileScanLine = { scanner: SCANNER_LABELS[name], status: scan.status };
    if (scan.message) line.message = scan.message;
    if (scan.reportLink) line.reportLink = scan.reportLink;
    lines.push(line);
  }
  return lines.sort((a, b) => Number(FLAGGED.has(b.status)) - Number(FLAGGED.has(a.status)));
}
