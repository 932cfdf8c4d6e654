import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { parseHubUrl, type HubPage } from "../../lib/hub-url";
import type { LayoutPart } from "../../lib/page/layout-note";
import { watchPage } from "../../lib/page/watch";
import { createRecheckTimer } from "../../lib/annotations/recheck";
import { watchRateLimit } from "../../lib/storage/rate-limit-signal";
import { createAnnotationHost, type AnnotationHost } from "./annotation-hosts";
import { noteLayout } from "./layout-notes";

/**
 * What one kind of row annotation (file rows, PR rows) needs to say; the mechanism below does the
 * rest: ask the background once per key, keep one host per key, put hosts back where the page's
 * re-rendering removed them, repaint on a theme change, and leave nothing behind on navigation.
 */
export interface RowAnnotationSpec<K, V> {
  /** The shadow host's tag; hosts with this tag that are not ours are removed (one mark per row). */
  hostTag: string;
  /** What the page shows now: each key with the element its annotation goes after (undefined: none yet). */
  visible(): Map<K, Element | undefined>;
  /**
   * The background's answers for these keys (a key without an answer gets no annotation), and
   * when to ask again if the Hub's rate limit left some unknown or unasked (lib/hub/recheck.ts).
   */
  ask(keys: K[]): Promise<{ views: V[]; recheckAt?: number }>;
  keyOf(view: V): K;
  paint(host: AnnotationHost, view: V): void;
  /**
   * How to tell that the page's layout was not recognised (lib/page/layout-check.ts): no row found
   * although `expected` says why there should be some, or an answer whose row has no anchor.
   */
  layout?: { part: LayoutPart; expected(): string | undefined; subject(key: K): string };
}

interface Session {
  scan(): void;
  /** A block or saving period ended (the published signal): a re-check waiting for it runs now. */
  lifted(): void;
  retheme(): void;
  stop(): void;
}

/** Runs a row annotation on the pages `specFor` accepts, following URL changes without reload. */
export function startRowAnnotations<K, V>(
  ctx: ContentScriptContext,
  win: Window,
  specFor: (page: HubPage, doc: Document) => RowAnnotationSpec<K, V> | undefined,
): void {
  const doc = win.document;
  let session: Session | undefined;

  function begin(url: URL) {
    session?.stop();
    session = undefined;
    const page = parseHubUrl(url);
    const spec = page ? specFor(page, doc) : undefined;
    if (!spec) return;
    session = createSession(ctx, doc, spec);
    session.scan();
  }

  // Rows left unknown or without details by the Hub's rate limit are asked about again when it ends.
  ctx.onInvalidated(watchRateLimit({ onLifted: () => session?.lifted() }));
  watchPage(ctx, doc, {
    onDomChange: () => session?.scan(),
    onThemeChange: () => session?.retheme(),
    onLocationChange: (url) => begin(url),
  });
  begin(new URL(win.location.href));
}

function createSession<K, V>(ctx: ContentScriptContext, doc: Document, spec: RowAnnotationSpec<K, V>): Session {
  const asked = new Set<K>();
  const answers = new Map<K, V | null>();
  const hosts = new Map<K, AnnotationHost>();
  let anchors = new Map<K, Element | undefined>();
  let stopped = false;
  // An answer the Hub's rate limit left unknown (or its details unasked) names the block's end:
  // every row shown is asked about again then; marks stay until the new answers arrive.
  const recheckTimer = createRecheckTimer({
    recheck: () => {
      asked.clear();
      scan();
    },
    setTimer: (run, ms) => ctx.setTimeout(run, ms),
    clearTimer: (handle) => clearTimeout(handle as number),
  });

  /** After its row's link, as the page renders it right now (rows are re-rendered). */
  function place(key: K, host: HTMLElement) {
    const anchor = anchors.get(key);
    if (!anchor) {
      host.remove();
      return;
    }
    if (anchor.nextElementSibling !== host) anchor.after(host);
  }

  async function ask(keys: K[]) {
    for (const key of keys) asked.add(key);
    try {
      const { views, recheckAt } = await spec.ask(keys);
      if (stopped || ctx.isInvalid) return;
      if (recheckAt !== undefined) recheckTimer.schedule(recheckAt);
      for (const key of keys) answers.set(key, null);
      for (const view of views) answers.set(spec.keyOf(view), view);
      // A row asked about again (refresh) shows its new answer, or loses a mark it no longer has.
      for (const key of keys) {
        const host = hosts.get(key);
        const view = answers.get(key);
        if (host && view) spec.paint(host, view);
        else if (host) {
          host.remove();
          hosts.delete(key);
        }
      }
    } catch {
      // Asked again on the next change of the page: a failed message is not an answer.
      for (const key of keys) asked.delete(key);
      return;
    }
    scan();
  }

  function mount(key: K, view: V) {
    const host = createAnnotationHost(ctx, { name: spec.hostTag, doc, place: (element) => place(key, element) });
    hosts.set(key, host);
    spec.paint(host, view);
  }

  function scan() {
    if (stopped) return;
    anchors = spec.visible();
    const fresh = [...anchors.keys()].filter((key) => !asked.has(key));
    if (fresh.length > 0) void ask(fresh);
    for (const key of anchors.keys()) {
      const view = answers.get(key);
      if (!view) continue;
      const host = hosts.get(key);
      if (host) host.place();
      else mount(key, view);
    }
    checkLayout();
    // One annotation per row, whatever an older instance of the content script left behind.
    const mine = new Set([...hosts.values()].map((host) => host.host));
    for (const other of Array.from(doc.querySelectorAll(spec.hostTag))) if (!mine.has(other as HTMLElement)) other.remove();
  }

  /** Rows the page should have but we found none of, or answers with nowhere to go: said, not silent. */
  function checkLayout() {
    const layout = spec.layout;
    if (!layout) return;
    const unplaced = [...anchors.entries()].filter(([key, anchor]) => anchor === undefined && answers.get(key)).map(([key]) => layout.subject(key));
    let evidence: string | undefined;
    if (unplaced.length > 0) evidence = `${unplaced.slice(0, 3).join(", ")}${unplaced.length > 3 ? "…" : ""} ${unplaced.length === 1 ? "has" : "have"} no place on this page that we recognise`;
    else if (anchors.size === 0) evidence = layout.expected();
    noteLayout(doc, layout.part, evidence === undefined ? undefined : { part: layout.part, evidence });
  }

  return {
    scan,
    lifted: () => recheckTimer.lifted(),
    retheme() {
      for (const [key, host] of hosts) {
        const view = answers.get(key);
        if (view) spec.paint(host, view);
      }
    },
    stop() {
      stopped = true;
      recheckTimer.stop();
      if (spec.layout) noteLayout(doc, spec.layout.part, undefined);
      for (const host of hosts.values()) host.remove();
      hosts.clear();
    },
  };
}
