/**
 * Which file rows get an annotation and what it says (contract: `[data-hub-sentinel="file"]`
 * "beside each file row that has a finding (pickle format, scanner flag, recent weight change)").
 * Pure: from the repo's facts and the findings of the full rule set, so a row never disagrees
 * with the repo badge. Examples: https://huggingface.co/{owner}/{name}/tree/main (rows),
 * https://huggingface.co/{owner}/{name}/blob/main/pytorch_model.bin (a file view).
 */
import type { ChatTemplateScan } from "../readers/chat-template/types";
import type { RepoFinding } from "../findings";
import { isKerasFormat, isPickleFormat, isSafetensors, isTrainingStateFile, isWeightFile } from "../hub/file-kinds";
import { SCANNER_LABELS, SCANNER_NAMES, type ImportSafety, type RepoFacts, type RepoFile, type ScanStatus } from "../hub/facts";
import { fileUrl, folderUrl, repoUrl } from "../hub/links";
import { maxLevel, type Level } from "../levels";
import { importEffect } from "../readers/pickle/classify";
import { unreadTemplateLevel } from "../rules/chat-template";
import { findingsForFile } from "../rules/locate";
import { holdsPickles, ownScanOf, withinDays } from "../rules/shared";
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
export function fileNeedsAnnotation(
  path: string,
  file: RepoFile | undefined,
  findings: readonly RepoFinding[],
  now: number,
  pickle = isPickleFormat(path),
): boolean {
  if (pickle || isKerasFormat(path) || findings.length > 0) return true;
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
    const archive = ownScanOf(facts, path)?.archive;
    // A file a chat template was read from, or a zip whose members were listed, is annotated even when
    // clean: the row says it was checked.
    if (!options.always && !fileNeedsAnnotation(path, file, own, facts.fetchedAt, holdsPickles(facts, path)) && !templateScan && !archive) continue;
    const attached = sortBySeverity([...own, ...(isPickleFormat(path) || options.always ? repoWideGaps : [])]).map((finding) => ownCodeOnly(finding, fileUrl(facts.repo, path)));
    const view = viewOf(facts, path, file, attached, listing !== undefined, options);
    if (templateScan) {
      view.templateNote = templateNote(templateScan);
      // Never `ok` for a template not read, whether or not a finding's evidence reached this row.
      if (templateScan.status === "unread") view.level = maxLevel(view.level, unreadTemplateLevel(facts, templateScan));
      if (templateScan.deferred === "budget") view.templateUnread = true;
    }
    if (archive) view.archiveNote = archiveNote(archive);
    const saferCopy = listing && saferCopyOf(facts, path, listing);
    if (saferCopy) view.saferCopy = saferCopy;
    views.push(view);
  }
  return views;
}

function archiveNote(archive: { members: number; pickleMembers: number }): string {
  const members = `${archive.members} member${archive.members === 1 ? "" : "s"}`;
  if (archive.pickleMembers === 0) return `Zip read by Hub Sentinel: ${members}, none of them a pickle, so it is not pickle weights.`;
  return `Zip read by Hub Sentinel: ${members}, with ${archive.pickleMembers} pickle${archive.pickleMembers === 1 ? "" : "s"} inside (their imports are listed).`;
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/**
 * The safetensors weights that stand in for a file whose loading runs code: only those in the same
 * folder (a diffusers repo's `unet/` safetensors are not a copy of `text_encoder/pytorch_model.bin`),
 * and not for training state (an optimizer's pickle has no safetensors twin).
 */
function saferCopyOf(facts: RepoFacts, path: string, listing: ReadonlyMap<string, RepoFile>): FileAnnotationView["saferCopy"] {
  if (!(isPickleFormat(path) || isKerasFormat(path)) || isTrainingStateFile(path)) return undefined;
  const folder = folderOf(path);
  const copies = [...listing.keys()].filter((candidate) => isSafetensors(candidate) && folderOf(candidate) === folder).sort();
  const [only] = copies;
  if (only === undefined) return undefined;
  if (copies.length === 1) return { path: only, url: fileUrl(facts.repo, only), files: 1 };
  return { path: folder === "" ? "" : `${folder}/`, url: folderUrl(facts.repo, folder), files: copies.length };
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
  if (scan.deferred === "budget") return `Chat template not read yet (${(scan.reason ?? "").replace(/^not read yet: /, "")}): it is read when you open this mark or the file's page.`;
  if (scan.status === "unread") return `Chat template not checked: ${scan.reason ?? "not read"}.`;
  if (scan.templates.length === 0) return `No chat template here${scan.reason ? ` (${scan.reason})` : ""}.`;
  const count = scan.templates.length === 1 ? "Its chat template" : `Its ${scan.templates.length} chat templates`;
  const copy = scan.copy === "model-info" ? ` (the Hub's copy in the model info was judged: ${(scan.reason ?? "").replace(/^judged from the Hub's copy in the model info; /, "")})` : "";
  if (scan.templates.some((template) => template.judgement.verdict === "escapes")) return `${count}${copy}: reaches for Python internals (see the finding).`;
  if (scan.templates.some((template) => template.judgement.verdict === "unparseable")) return `${count}${copy}: could not be parsed, so not checked.`;
  const fromTokens = scan.templates.some((template) => template.judgement.verdict === "clean" && template.judgement.parsed === false)
    ? " (one could not be parsed as a whole, so it was judged from its tokens)"
    : "";
  return `${count}${copy}: read by Hub Sentinel, nothing reaches for Python internals${fromTokens}.`;
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
  // A pickle is never "ok": loading it runs its imports, even when every scan came back clean (a zip read
  // and found to hold none is not one).
  if (holdsPickles(facts, path)) level = maxLevel(level, "info");

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
