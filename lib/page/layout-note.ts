/**
 * What a page's changed layout kept the extension from marking (issue 17), as the content script
 * reports it and the panel and popup say it. The detection is in layout-check.ts (DOM); this module
 * is only the shape and the words, so the popup does not carry the page code.
 */
/** What could not be marked: tree rows, a file view's file, pull requests (list or PR page), listing cards. */
export type LayoutPart = "file-rows" | "file-view" | "pull-requests" | "cards";

export const LAYOUT_PARTS: readonly LayoutPart[] = ["file-rows", "file-view", "pull-requests", "cards"];

export interface LayoutNote {
  part: LayoutPart;
  /** What on the page says there was something to mark ("the page links to 12 files of this repo"). */
  evidence: string;
}

const PART_WORDS: Record<LayoutPart, string> = {
  "file-rows": "file rows",
  "file-view": "this file",
  "pull-requests": "pull requests",
  cards: "cards",
};

/** The sentence the panel and the popup show. */
export function layoutNoteText(note: LayoutNote): string {
  return `This page's layout was not recognised: ${PART_WORDS[note.part]} could not be marked (${note.evidence}).`;
}

/** The advice that goes with it: what the user can still do. */
export const LAYOUT_NOTE_ADVICE =
  "Hugging Face may have changed this page's markup. What carries no mark here is not known to be fine: open the repo, file or pull request to see its own verdict, and update Hub Sentinel when a newer version is out.";

const MAX_EVIDENCE = 200;

/** A note from a content script, checked: the background keeps only well-formed ones (content scripts are untrusted). */
export function readLayoutNotes(value: unknown): LayoutNote[] {
  if (!Array.isArray(value)) return [];
  const notes: LayoutNote[] = [];
  // A bound on what an untrusted sender can make us read; a page has one note per part at most.
  for (const item of value.slice(0, 20)) {
    if (typeof item !== "object" || item === null) continue;
    const { part, evidence } = item as { part?: unknown; evidence?: unknown };
    if (typeof part !== "string" || !(LAYOUT_PARTS as readonly string[]).includes(part) || typeof evidence !== "string") continue;
    if (notes.some((note) => note.part === part)) continue;
    notes.push({ part: part as LayoutPart, evidence: evidence.slice(0, MAX_EVIDENCE) });
  }
  return notes;
}
