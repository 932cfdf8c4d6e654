import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { Annotation } from "../../components/Annotation";
import { cardKey, createCardQueue, type CardQueue } from "../../lib/annotations/card-queue";
import { createRecheckTimer } from "../../lib/annotations/recheck";
import { CARD_NOT_CHECKED, type CardRequest, type CardVerdictView } from "../../lib/annotations/types";
import type { DisplayLevel } from "../../lib/levels";
import { sendToBackground } from "../../lib/messaging/client";
import { parseHubUrl } from "../../lib/hub-url";
import { cardLayoutNote } from "../../lib/page/layout-check";
import { findRepoCards, listingHints, type RepoCard } from "../../lib/page/rows";
import { watchPage } from "../../lib/page/watch";
import { onPolicyChange } from "../../lib/settings/changes";
import { watchRateLimit } from "../../lib/storage/rate-limit-signal";
import { createAnnotationHost, findingIds, type AnnotationHost } from "./annotation-hosts";
import { noteLayout } from "./layout-notes";

const HOST_TAG = "hub-sentinel-card";

/** What the card feature found on the page, for the "layout not recognised" notice (issue 17, part 3). */
export interface CardScanReport {
  /** Repo cards recognised on the page (promotional cards and other links are not counted). */
  cards: number;
  url: string;
}

export interface CardAnnotationHooks {
  /** Called after every scan of a listing page with what it found. */
  onScan?: (report: CardScanReport) => void;
}

/**
 * A compact level mark on each repo card of listing pages (/models, /datasets, /spaces, search,
 * profiles, collections). Every card of the list gets a `pending` mark as soon as it is seen, on
 * screen or not, and the whole list is asked about at once, through a queue that batches,
 * deduplicates (also while an answer is on the way) and caches (lib/annotations/card-queue.ts);
 * the background judges it from one listing call (lib/background/annotation-service.ts). When
 * the page replaces its list (filters, paging), the new cards get marks from the cache or from
 * the answer already on its way, never two marks on one card.
 *
 * Marks start from the last-known setting (on, the default) instead of waiting for the
 * background's answer about "badges on listing pages"; when that answer says off, they go.
 */
export function startCardAnnotations(ctx: ContentScriptContext, win: Window = window, hooks: CardAnnotationHooks = {}): void {
  const doc = win.document;
  const queue: CardQueue = createCardQueue({
    send: async (cards) => {
      const answer = await sendToBackground("card-verdicts", { cards });
      if (answer.disabled) switchOff();
      return answer.cards;
    },
    setTimer: (run, ms) => void ctx.setTimeout(run, ms),
    delayMs: 16,
    maxBatch: 100,
  });
  const marks = new WeakMap<Element, { host?: AnnotationHost; repoKey: string }>();
  const seen = new WeakMap<Element, RepoCard>();
  const live = new Set<Element>();
  let hints = listingHints(doc);
  let active = false;
  // The options page's "badges on listing pages", last known: on until the background says otherwise.
  let enabled = true;
  // Cards the Hub's rate limit paused or left unknown: asked about again at the block's end (their
  // answers name it, lib/hub/recheck.ts), through the queue, so the whole list is one message.
  const waiting = new Set<Element>();
  const recheckTimer = createRecheckTimer({
    recheck: recheckWaiting,
    setTimer: (run, ms) => ctx.setTimeout(run, ms),
    clearTimer: (handle) => clearTimeout(handle as number),
  });
  ctx.onInvalidated(() => recheckTimer.stop());

  function requestOf(card: RepoCard): CardRequest {
    const hint = hints.get(card.repo.id.toLowerCase()) ?? {};
    return { type: card.repo.type, id: card.repo.id, ...hint, listing: `${win.location.pathname}${win.location.search}`.slice(0, 2000) };
  }

  async function check(card: RepoCard, request: CardRequest) {
    let view: CardVerdictView;
    try {
      view = await queue.request(request);
    } catch {
      // Final, and said: the card is asked about again when settings change or the list is replaced.
      show(card, { type: request.type, id: request.id, level: "unknown", findings: [] }, "The extension's background did not answer: this card was not checked.");
      return;
    }
    show(card, view);
  }

  function show(card: RepoCard, view: CardVerdictView | "pending", failure?: string) {
    if (!active || !enabled || !card.card.isConnected) return;
    if (view !== "pending" && view.recheckAt !== undefined) {
      waiting.add(card.card);
      recheckTimer.schedule(view.recheckAt);
    } else if (view !== "pending") waiting.delete(card.card);
    const key = cardKey(card.repo);
    let mark = marks.get(card.card);
    if (!mark || mark.repoKey !== key) {
      mark?.host?.remove();
      mark = { repoKey: key };
      marks.set(card.card, mark);
    }
    if (!mark.host) {
      const anchor = card.anchor;
      mark.host = createAnnotationHost(ctx, { name: HOST_TAG, doc, place: (host) => anchor.isConnected && anchor.lastElementChild !== host && anchor.append(host) });
    }
    const level: DisplayLevel = view === "pending" ? "pending" : view.level;
    const findings = view === "pending" ? [] : view.findings;
    const attributes: Record<string, string> = {
      "data-hub-sentinel": "card",
      "data-repo": card.repo.id,
      "data-repo-type": card.repo.type,
      "data-level": level,
      "data-findings": view === "pending" ? "" : findingIds(findings),
    };
    mark.host.paint(
      attributes,
      <Annotation level={level} subject={card.repo.id} kind="repo card" compact findings={findings} host={mark.host.host}>
        <p class="meta">{failure ?? (view === "pending" ? "Checking this repo…" : cardNote(view))}</p>
      </Annotation>,
    );
  }

  function scan() {
    if (!active || !enabled) return noteLayout(doc, "cards", undefined);
    hints = listingHints(doc);
    const current = new Set<Element>();
    const found = findRepoCards(doc);
    // Cards listed by the page but none recognised: the layout changed, say so (layout-check.ts).
    noteLayout(doc, "cards", cardLayoutNote(doc, found.length));
    // Page order: the first rows are asked about (and answered) first.
    for (const card of found) {
      current.add(card.card);
      const known = seen.get(card.card);
      if (known && cardKey(known.repo) === cardKey(card.repo)) {
        // Re-rendered inside the same card element: put the mark back.
        const host = marks.get(card.card)?.host;
        if (host && !host.host.isConnected) host.place();
        continue;
      }
      seen.set(card.card, card);
      const request = requestOf(card);
      const cached = queue.peek(request);
      if (cached) show(card, cached);
      else {
        show(card, "pending");
        void check(card, request);
      }
    }
    live.clear();
    for (const card of current) live.add(card);
    // Exactly one mark per card: drop marks whose card is gone or that an older instance left.
    for (const host of Array.from(doc.querySelectorAll(HOST_TAG))) {
      const card = host.closest("article") ?? host.parentElement;
      const mark = card ? marks.get(card) : undefined;
      if (!mark || mark.host?.host !== host || !current.has(card as Element)) host.remove();
    }
    hooks.onScan?.({ cards: found.length, url: win.location.href });
  }

  function begin(url: URL) {
    const page = parseHubUrl(url);
    active = page?.kind === "listing";
    scan();
  }

  /** The block ended: the cards it left unknown or paused, still on the page, are asked about again (their marks stay until then). */
  function recheckWaiting() {
    if (!active || !enabled) return;
    for (const element of [...waiting]) {
      const card = seen.get(element);
      waiting.delete(element);
      if (!card || !live.has(element)) continue;
      queue.request(requestOf(card)).then(
        (view) => show(card, view),
        () => undefined,
      );
    }
  }

  /** Listing marks are switched off: every mark goes, and cards are asked about again only once they are back on. */
  function switchOff() {
    enabled = false;
    noteLayout(doc, "cards", undefined);
    queue.clear();
    waiting.clear();
    recheckTimer.cancel();
    for (const host of Array.from(doc.querySelectorAll(HOST_TAG))) host.remove();
    for (const element of live) {
      marks.delete(element);
      seen.delete(element);
    }
    live.clear();
  }

  /** Settings or the organization's policy changed: marks go, or are asked for again, without a reload. */
  async function applySettings(reason: "start" | "change") {
    let on: boolean;
    try {
      on = (await sendToBackground("listing-annotations", {})).enabled;
    } catch {
      return; // keep what is shown; the next change asks again
    }
    if (ctx.isInvalid) return;
    const wasEnabled = enabled;
    if (!on) {
      switchOff();
      return;
    }
    enabled = true;
    if (!wasEnabled) {
      // Switched back on: every card is new again (switchOff forgot them).
      scan();
      return;
    }
    if (reason === "start") return; // the marks shown from the start stand
    queue.clear();
    scan();
    // Cards already marked are judged again under the new settings (the background's fact cache
    // answers: no new Hub requests). They keep their current mark until the new one arrives.
    for (const element of live) {
      const card = seen.get(element);
      if (!card || !marks.get(element)?.host) continue;
      queue.request(requestOf(card)).then(
        (view) => show(card, view),
        () => undefined,
      );
    }
  }

  watchPage(ctx, doc, {
    onDomChange: scan,
    onLocationChange: begin,
    onThemeChange: () => {
      const dark = doc.documentElement.classList.contains("dark") ? "dark" : "light";
      for (const host of Array.from(doc.querySelectorAll(HOST_TAG))) host.setAttribute("data-theme", dark);
    },
  });
  ctx.onInvalidated(onPolicyChange(() => void applySettings("change")));
  // Cards paused or left unknown by the Hub's rate limit are asked about again when it ends: at the
  // time their answers named, or at once when the published signal says it ended early.
  ctx.onInvalidated(watchRateLimit({ onLifted: () => recheckTimer.lifted() }));
  begin(new URL(win.location.href));
  void applySettings("start");
}

/** The card's panel line: what the quick check covered and what it left to the repo page. */
function cardNote(view: CardVerdictView): string {
  const left = [...(view.notChecked ?? []), CARD_NOT_CHECKED];
  return `A quick check from the listing's data. Not checked on this card: ${left.join("; ")}. Open the repo for its full verdict.`;
}
