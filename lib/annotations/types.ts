import type { RepoFinding } from "../findings";
import type { ImportSafety, ScanStatus } from "../hub/facts";
import type { Level } from "../levels";
import type { RepoRef, RepoType } from "../repo-ref";

/**
 * What the per-row annotations of the contract show (`file`, `pr`, `card`): computed in the
 * background from the same facts and rules as the repo badge, sent to content scripts as data.
 */

export interface FileScanLine {
  /** Scanner name as people know it ("Protect AI", "Hugging Face pickle scan"). */
  scanner: string;
  status: ScanStatus;
  message?: string;
  reportLink?: string;
}

export interface FileAnnotationView {
  path: string;
  level: Level;
  /** Findings that point at this file (their evidence links it), most severe first. */
  findings: RepoFinding[];
  /** Pickle imports, dangerous first, then suspicious, then innocuous; `does`: what loading a dangerous one would do, in plain words. */
  imports: { module: string; name: string; safety: ImportSafety; does?: string }[];
  /** Each scanner's verdict on the file, flagged ones first. */
  scans: FileScanLine[];
  /** Overall scan status of the file, when the Hub gave one. */
  scanStatus?: ScanStatus;
  lastChange?: {
    commitId: string;
    title: string;
    date: string;
    /** Who made the commit, from the repo's commit list; absent when that list did not reach back to it. */
    authors?: string[];
    /** Link to the commit on huggingface.co. */
    url: string;
  };
  /**
   * For a file whose loading runs code (a pickle, a Keras model file): the safetensors weights in its
   * own folder, which load without running any. One file, or the folder when they are sharded.
   */
  saferCopy?: { path: string; url: string; files: number };
  /** One line on what was not known about this file, when something was not. */
  gap?: string;
  /** One line on the chat template(s) the file holds (GGUF header, tokenizer_config.json, chat_template.jinja), when they were looked for. */
  templateNote?: string;
  /** One line on what a zip holds, once Hub Sentinel read its central directory (pickle members or none). */
  archiveNote?: string;
  /** A GGUF whose header was left unread for the page's byte budget: opening its mark reads it (`read-template`). */
  templateUnread?: true;
}

export interface FileAnnotationsResponse {
  repo: RepoRef;
  /** The repo's overall level, for context in the panels. */
  repoLevel: Level;
  files: FileAnnotationView[];
  /** The Hub's rate limit left rows unknown or their details unasked: ask again then (lib/hub/recheck.ts). */
  recheckAt?: number;
}

export interface PrCandidate {
  num: number;
  /** What the page's own props say, when they say it. */
  isPullRequest?: boolean;
}

export interface PrAnnotationView {
  num: number;
  level: Level;
  findings: RepoFinding[];
  /** Plain words: what the PR is as far as the extension checked it. */
  summary: string;
}

export interface PrAnnotationsResponse {
  repo: RepoRef;
  prs: PrAnnotationView[];
  /** The Hub's rate limit left pull requests unknown: ask again then (lib/hub/recheck.ts). */
  recheckAt?: number;
}

/** A repo card on a listing page, with what the page's own props already tell about it. */
export interface CardRequest {
  type: RepoType;
  id: string;
  authorKind?: "org" | "user";
  private?: boolean;
  /**
   * The listing page's path and query (`/models?search=bert&p=1`), so that the background can ask
   * for the whole list in one call (lib/hub/listing.ts). Absent: the card is checked on its own.
   */
  listing?: string;
}

export interface CardVerdictView {
  type: RepoType;
  id: string;
  level: Level;
  findings: RepoFinding[];
  /** What this card's quick check left out, beside CARD_NOT_CHECKED (lib/annotations/card-verdict.ts). */
  notChecked?: string[];
  /** Paused or refused by the Hub's rate limit: ask again then (lib/hub/recheck.ts); such an answer is not kept. */
  recheckAt?: number;
}

/** What a card's quick check never covers; the rest is left to the repo page (said on every card). */
export const CARD_NOT_CHECKED = "pull requests, per-file pickle imports, Keras layer configs, chat templates, what the repo's Python does and recent weight changes";
