/**
 * The download guard's decisions and words (issue 27; contract: "Download guard"). Pure: from a
 * file's own mark (file-marks.ts) and the guard's mode, whether a click that downloads the file goes
 * through, waits for the mark, or is held; and what the dialog says about it.
 */
import { isGgufFormat, isKerasFormat, isPickleFormat, isWeightFile } from "../hub/file-kinds";
import { describeRevision } from "../hub-url";
import type { RepoRef } from "../repo-ref";
import type { DownloadGuardMode } from "../settings/types";
import type { FileMark } from "./file-marks";

export type HeldLevel = "danger" | "unknown";

export type GuardDecision =
  /** Let the click be: the browser downloads at once, and the event is not even prevented. */
  | { action: "allow" }
  /** Nothing was ever asked about this file: hold the click, ask once, then decide. */
  | { action: "check" }
  /** Its mark is on its way: hold the click until it comes, then decide. */
  | { action: "wait" }
  /** Held: the dialog asks (or, `blocked`, says the organization does not allow it). */
  | { action: "hold"; level: HeldLevel; blocked: boolean };

export function decideDownload(mark: FileMark | undefined, mode: DownloadGuardMode): GuardDecision {
  if (mode === "off") return { action: "allow" };
  if (mark === undefined) return { action: "check" };
  if (mark.state === "pending") return { action: "wait" };
  // Not checked is not fine: a file whose mark could not be had is held as Unknown.
  if (mark.state === "failed") return { action: "hold", level: "unknown", blocked: false };
  const level = mark.view?.level;
  if (level === "danger") return { action: "hold", level, blocked: mode === "block" };
  if (level === "unknown") return { action: "hold", level, blocked: false };
  return { action: "allow" };
}

export interface GuardLink {
  label: string;
  /** An https URL (anything else from Hub data is shown as text). */
  url: string;
}

/** What the dialog says, as plain strings: the component renders them as text. */
export interface GuardNotice {
  level: "pending" | HeldLevel;
  /** The accessible name and heading: states the level. */
  title: string;
  /** What the file is. */
  what: string;
  /** What was found: the same words as the file's mark (its gap line, its findings' titles, its dangerous imports). */
  found: string[];
  /** What to do instead, most useful first. */
  instead: { text: string; link?: GuardLink }[];
  blocked: boolean;
}

const LEVEL_WORD: Record<GuardNotice["level"], string> = { pending: "Checking", danger: "Danger", unknown: "Unknown" };
const MAX_FOUND = 6;

export function fileKindWords(path: string): string {
  if (isPickleFormat(path)) return "a pickle-format file: loading it runs whatever code it imports";
  if (isKerasFormat(path)) return "a Keras model file: loading it can run code its layers carry";
  if (isGgufFormat(path)) return "a GGUF model file, whose chat template some runtimes run";
  if (isWeightFile(path)) return "a model weight file";
  return "a file";
}

function isHttps(url: string | undefined): url is string {
  if (url === undefined) return false;
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}

export function guardNotice(repo: RepoRef, path: string, mark: FileMark | undefined, decision: GuardDecision): GuardNotice {
  const where = `${repo.id}${repo.revision === "main" ? "" : ` (${describeRevision(repo.revision)})`}`;
  const what = `${path} from ${where} is ${fileKindWords(path)}.`;
  if (decision.action !== "hold") {
    return {
      level: "pending",
      title: `Hub Sentinel: checking ${path} before it downloads`,
      what,
      found: ["This file's check has not finished yet. The download waits for it: it starts by itself if nothing is found, and this dialog says what was found otherwise."],
      instead: [],
      blocked: false,
    };
  }
  const view = mark?.state === "answered" ? mark.view : undefined;
  const found: string[] = [];
  if (mark?.state === "failed") found.push(`This file could not be checked: ${mark.reason}`);
  if (view?.gap) found.push(view.gap);
  for (const finding of view?.findings ?? []) if (!found.includes(finding.title)) found.push(finding.title);
  for (const item of view?.imports ?? []) if (item.safety === "dangerous") found.push(`Imports ${item.module}.${item.name}${item.does ? `: ${item.does}` : ""}`);
  if (found.length === 0) found.push(decision.level === "danger" ? "Hub Sentinel marks this file Danger." : "This file was not fully checked.");

  const instead: GuardNotice["instead"] = [];
  const copy = view?.saferCopy;
  if (copy && isHttps(copy.url)) {
    instead.push(
      copy.files === 1
        ? { text: "Download its safetensors copy instead: it holds only tensors, and loading it runs no code.", link: { label: copy.path, url: copy.url } }
        : { text: `Use the ${copy.files} safetensors files beside it instead: they hold only tensors, and loading them runs no code.`, link: { label: copy.path || "the repo's files", url: copy.url } },
    );
  }
  for (const scan of view?.scans ?? []) {
    if (isHttps(scan.reportLink)) instead.push({ text: `Read ${scan.scanner}'s report (${scan.status}).`, link: { label: `${scan.scanner} report`, url: scan.reportLink } });
  }
  const advice = view?.findings.find((finding) => finding.level === decision.level)?.advice[0];
  if (advice) instead.push({ text: advice });
  if (decision.blocked) instead.push({ text: "Your organization does not allow downloading files marked Danger from Hub pages. If you need this file, ask the administrator who manages your browser." });
  return {
    level: decision.level,
    title: `Hub Sentinel: ${LEVEL_WORD[decision.level]}. ${decision.blocked ? "Download of" : "Held the download of"} ${path}${decision.blocked ? " blocked by your organization" : ""}`,
    what,
    found: found.slice(0, MAX_FOUND),
    instead,
    blocked: decision.blocked,
  };
}
