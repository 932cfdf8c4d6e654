import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { sendToBackground } from "../../lib/messaging/client";
import type { LayoutNote, LayoutPart } from "../../lib/page/layout-note";
import { watchPage } from "../../lib/page/watch";

/**
 * The page's "layout not recognised" notes (lib/page/layout-check.ts), gathered from the features
 * that mark rows (file rows, PR rows, listing cards) and handed on: to the repo badge, whose panel
 * says so, and to the background, which keeps them for the popup. One report per page once it has
 * settled, then one per change, so the background always holds the notes of the page the tab shows.
 */
type Listener = (notes: LayoutNote[]) => void;

interface LayoutNotes {
  url: string;
  notes: Map<LayoutPart, LayoutNote>;
  listeners: Set<Listener>;
  /** What was last handed on, to send nothing when nothing changed. */
  published?: string;
  scheduled: boolean;
}

/** Rows are re-rendered in bursts (hydration, "Load more", list replacement): hand on only what stays. */
const SETTLE_MS = 500;

const perDocument = new WeakMap<Document, { ctx: ContentScriptContext; state: LayoutNotes }>();

/** Started once by the content script (index.tsx): every page gets its report, even one with nothing to mark. */
export function startLayoutNotes(ctx: ContentScriptContext, doc: Document = document): void {
  if (perDocument.has(doc)) return;
  const state: LayoutNotes = { url: doc.location.href, notes: new Map(), listeners: new Set(), scheduled: false };
  perDocument.set(doc, { ctx, state });
  ctx.onInvalidated(() => perDocument.delete(doc));
  watchPage(ctx, doc, { onLocationChange: () => followUrl(doc, state) });
  schedule(doc, state);
}

/** A feature's finding for its part of the page: a note, or undefined when its rows were recognised (or it has none to mark). */
export function noteLayout(doc: Document, part: LayoutPart, note: LayoutNote | undefined): void {
  const entry = perDocument.get(doc);
  if (!entry) return;
  const { state } = entry;
  followUrl(doc, state);
  const before = state.notes.get(part);
  if (note ? before?.evidence === note.evidence : before === undefined) return;
  if (note) state.notes.set(part, note);
  else state.notes.delete(part);
  schedule(doc, state);
}

/** The repo badge's panel follows the notes. */
export function onLayoutNotes(ctx: ContentScriptContext, doc: Document, listener: Listener): void {
  const entry = perDocument.get(doc);
  if (!entry) return;
  entry.state.listeners.add(listener);
  ctx.onInvalidated(() => entry.state.listeners.delete(listener));
}

export function currentLayoutNotes(doc: Document): LayoutNote[] {
  const entry = perDocument.get(doc);
  return entry && entry.state.published !== undefined ? (JSON.parse(entry.state.published) as LayoutNote[]) : [];
}

/** A new URL is a new page: the last page's notes do not carry over, and the new page gets its own report. */
function followUrl(doc: Document, state: LayoutNotes) {
  const url = doc.location.href;
  if (url === state.url) return;
  state.url = url;
  state.notes.clear();
  state.published = undefined;
  schedule(doc, state);
}

function schedule(doc: Document, state: LayoutNotes) {
  const entry = perDocument.get(doc);
  if (!entry || state.scheduled) return;
  state.scheduled = true;
  entry.ctx.setTimeout(() => {
    state.scheduled = false;
    publish(state);
  }, SETTLE_MS);
}

function publish(state: LayoutNotes) {
  const notes = [...state.notes.values()].sort((a, b) => a.part.localeCompare(b.part));
  const serialized = JSON.stringify(notes);
  if (serialized === state.published) return;
  state.published = serialized;
  for (const listener of [...state.listeners]) {
    try {
      listener(notes);
    } catch (error) {
      console.debug("Hub Sentinel:", error instanceof Error ? error.message : error);
    }
  }
  sendToBackground("layout-report", { notes }).catch(() => undefined);
}
