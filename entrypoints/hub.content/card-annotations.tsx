import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { Annotation } from "../../components/Annotation";
import { cardKey, createCardQueue, type CardQueue } from "../../lib/annotations/card-queue";
import { CARD_NOT_CHECKED, type CardRequest, type CardVerdictView } from "../../lib/annotations/types";
import type { DisplayLevel } from "../../lib/levels";
import { sendToBackground } from "../../lib/messaging/client";
import { parseHubUrl } from "../../lib/page/hub-url";
import { cardLayoutNote } from "../../lib/page/layout-check";
import { findRepoCards, listingHints, type RepoCard } from "../../lib/page/rows";
import { watchPage } from "../../lib/page/watch";
import { onPolicyChange } from "../../lib/settings/changes";
import { watchRateLimit } from "../../lib/storage/rate-limit-signal";
import { createAnnotationHost, findingIds, type AnnotationHost } from "./annotation-hosts";
import { noteLayout } from "./layout-notes";

const HOST_TAG = "hub-sentinel-card";

/**
 * A compact level mark on each repo card of listing pages (/models, /datasets, /spaces, search,
 * profiles, collections). Cards are checked as they scroll into view (one IntersectionObserver),
 * through a queue that batches, deduplicates and caches (lib/annotations/card-queue.ts). When the
 * page replaces its list (filters, paging), the new cards get marks from the cache: no new
 * requests, and never two marks on one card.
 */
export function startCardAnnotations(ctx: ContentScriptContext, win: Window = window): void {
  const doc = win.document;
  const queue: CardQueue = createCardQueue({
    send: async (cards) => (await sendToBackground("card-verdicts", { cards })).cards,
    setTimer: (run, ms) => void ctx.setTimeout(run, ms),
  });
  const marks = new WeakMap<Element, { host?: AnnotationHost; repoKey: string }>();
  const seen = new WeakMap<Element, RepoCard>();
  const live = new Set<Element>();
  let hints = listingHints(doc);
  let active = false;
  // The options page's "badges on listing pages"; read from the background at start and on every change.
  let enabled = false;

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        const card = seen.get(entry.target);
        if (card) void check(card);
      }
    },
    { rootMargin: "100px 0px" },
  );
  ctx.onInvalidated(() => observer.disconnect());

  function requestOf(card: RepoCard): CardRequest {
    const hint = hints.get(card.repo.id.toLowerCase()) ?? {};
    return { type: card.repo.type, id: card.repo.id, ...hint };
  }

  async function check(card: RepoCard) {
    const request = requestOf(card);
    const cached = queue.peek(request);
    if (cached) {
      show(card, cached);
      return;
    }
    show(card, "pending");
    let view: CardVerdictView;
    try {
      view = await queue.request(request);
    } catch {
      // Shown as unknown, and asked again when the card next scrolls into view.
      show(card, { type: request.type, id: request.id, level: "unknown", findings: [] }, "The extension's background did not answer.");
      if (card.card.isConnected) observer.observe(card.card);
      return;
    }
    show(card, view);
  }

  function show(card: RepoCard, view: CardVerdictView | "pending", failure?: string) {
    if (!active || !enabled || !card.card.isConnected) return;
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
        <p class="meta">
          {failure ?? `A quick check from the repo's info and author. Not checked on cards: ${CARD_NOT_CHECKED}; open the repo for its full verdict.`}
        </p>
      </Annotation>,
    );
  }

  function scan() {
    if (!active || !enabled) return noteLayout(doc, "cards", undefined);
    hints = listingHints(doc);
    const current = new Set<Element>();
    const cards = findRepoCards(doc);
    // Cards listed by the page but none recognised: the layout changed, say so (layout-check.ts).
    noteLayout(doc, "cards", cardLayoutNote(doc, cards.length));
    for (const card of cards) {
      current.add(card.card);
      const known = seen.get(card.card);
      seen.set(card.card, card);
      if (known) {
        // Re-rendered inside the same card element: put the mark back.
        const host = marks.get(card.card)?.host;
        if (host && !host.host.isConnected) host.place();
        continue;
      }
      const cached = queue.peek(requestOf(card));
      if (cached) show(card, cached);
      else observer.observe(card.card);
    }
    for (const old of live) {
      if (!current.has(old)) {
        observer.unobserve(old);
        live.delete(old);
      }
    }
    for (const card of current) live.add(card);
    // Exactly one mark per card: drop marks whose card is gone or that an older instance left.
    for (const host of Array.from(doc.querySelectorAll(HOST_TAG))) {
      const card = host.closest("article") ?? host.parentElement;
      const mark = card ? marks.get(card) : undefined;
      if (!mark || mark.host?.host !== host) host.remove();
    }
  }

  function begin(url: URL) {
    const page = parseHubUrl(url);
    active = page?.kind === "listing";
    scan();
  }

  /** Settings or the organization's policy changed: marks go, or are asked for again, without a reload. */
  async function applySettings() {
    let on: boolean;
    try {
      on = (await sendToBackground("listing-annotations", {})).enabled;
    } catch {
      return; // keep what is shown; the next change asks again
    }
    if (ctx.isInvalid) return;
    enabled = on;
    queue.clear();
    if (!enabled) {
      noteLayout(doc, "cards", undefined);
      for (const host of Array.from(doc.querySelectorAll(HOST_TAG))) host.remove();
      return;
    }
    scan();
    // Cards already marked are judged again under the new settings (the background's fact cache
    // answers: no new Hub requests).
    // They keep their current mark until the new one arrives, never going back to pending.
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
  ctx.onInvalidated(onPolicyChange(() => void applySettings()));
  // Cards paused or left unknown by the Hub's rate limit are asked about again when it ends (the same path as a settings change).
  ctx.onInvalidated(watchRateLimit({ onLifted: () => void applySettings() }));
  begin(new URL(win.location.href));
  void applySettings();
}
