/**
 * The listing-card feature against a linkedom copy of the fake Hub's /models page, with the
 * background played by a stand-in whose answers the test releases: marks must not wait for the
 * "badges on listing pages" answer (issue 17: it can take seconds on a fresh browser), every card
 * gets `pending` at once and one final mark, and an answer saying "off" takes the marks away.
 */
import { parseHTML } from "linkedom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { startCardAnnotations, type CardScanReport } from "../../../entrypoints/hub.content/card-annotations";
import type { CardRequest, CardVerdictView } from "../../../lib/annotations/types";
import { listingPage } from "../../fake-hub/annotation-pages";
import { LISTING_REPOS } from "../../fake-hub/annotation-catalogue";

const LISTED = LISTING_REPOS.slice(0, 40);

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

function fakeContext() {
  const listeners = new Set<() => void>();
  const ctx = {
    isInvalid: false,
    onInvalidated(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setTimeout: (run: () => void, ms: number) => setTimeout(run, ms),
    requestAnimationFrame: (run: () => void) => setTimeout(run, 0),
    addEventListener: () => undefined,
  } as unknown as ContentScriptContext;
  return { ctx, invalidate: () => [...listeners].forEach((listener) => listener()) };
}

let invalidate: () => void = () => undefined;
afterEach(() => {
  invalidate();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  fakeBrowser.reset();
});

/** The page, a context, and a background whose answers wait until released. */
function setUp(options: { disabledInBackground?: boolean } = {}) {
  const html = listingPage({ title: "Models", url: "https://huggingface.co/models", target: "ModelList", repos: LISTED });
  const { window, document } = parseHTML(html);
  // The page watcher observes with the page's MutationObserver and listens on `window` (through the context stand-in).
  vi.stubGlobal("MutationObserver", window.MutationObserver);
  vi.stubGlobal("window", window);
  const page = { document, location: new URL("https://huggingface.co/models?sort=likes") };
  const settings = deferred<{ enabled: boolean }>();
  const verdicts = deferred<void>();
  const asked: CardRequest[][] = [];
  vi.spyOn(fakeBrowser.runtime, "sendMessage").mockImplementation((async (envelope: { type: string; payload: { cards?: CardRequest[] } }) => {
    if (envelope.type === "listing-annotations") return { result: await settings.promise };
    if (envelope.type === "card-verdicts") {
      const cards = envelope.payload.cards ?? [];
      asked.push(cards);
      await verdicts.promise;
      if (options.disabledInBackground) return { result: { cards: [], disabled: true } };
      const views: CardVerdictView[] = cards.map((card) => ({ type: card.type, id: card.id, level: card.id.endsWith("000") ? "danger" : "ok", findings: [], notChecked: ["the account's age"] }));
      return { result: { cards: views } };
    }
    return { error: "unexpected message" };
  }) as never);
  const context = fakeContext();
  invalidate = context.invalidate;
  const reports: CardScanReport[] = [];
  startCardAnnotations(context.ctx, page as unknown as Window, { onScan: (report) => reports.push(report) });
  return { document: document, settings, verdicts, asked, reports };
}

const levels = (document: Document) => Array.from(document.querySelectorAll('[data-hub-sentinel="card"]')).map((mark) => mark.getAttribute("data-level"));
const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

describe("listing card marks", () => {
  beforeEach(() => fakeBrowser.reset());

  it("are pending on every card before the settings answer, and the whole list is asked about at once", async () => {
    const { document, asked, reports } = setUp();
    expect(levels(document)).toEqual(LISTED.map(() => "pending"));
    await settle();
    // One message for the whole list (not only what is on screen), with the page the cards came from.
    expect(asked).toHaveLength(1);
    expect(asked[0]?.map((card) => card.id)).toEqual(LISTED.map((repo) => repo.id));
    expect(asked[0]?.[0]).toMatchObject({ authorKind: "org", listing: "/models?sort=likes" });
    // The hook for the "layout not recognised" notice: how many cards were found (the promotion is not one).
    expect(reports.at(-1)?.cards).toBe(LISTED.length);
  });

  it("become final when the verdicts arrive, whatever the settings answer is still doing", async () => {
    const { document, verdicts } = setUp();
    verdicts.resolve();
    await settle();
    expect(levels(document).filter((level) => level === "pending")).toEqual([]);
    expect(document.querySelector('[data-hub-sentinel="card"][data-repo="listing-alpha/listed-model-000"]')?.getAttribute("data-level")).toBe("danger");
    expect(document.querySelectorAll("hub-sentinel-card")).toHaveLength(LISTED.length);
  });

  it("go when the settings answer says the feature is off, and no verdict brings them back", async () => {
    const { document, settings, verdicts } = setUp();
    settings.resolve({ enabled: false });
    await settle();
    expect(document.querySelectorAll("hub-sentinel-card")).toHaveLength(0);
    verdicts.resolve();
    await settle();
    expect(document.querySelectorAll("hub-sentinel-card")).toHaveLength(0);
  });

  it("go when the background answers the verdicts with 'switched off', before the settings answer", async () => {
    const { document, verdicts } = setUp({ disabledInBackground: true });
    expect(document.querySelectorAll("hub-sentinel-card")).toHaveLength(LISTED.length);
    verdicts.resolve();
    await settle();
    expect(document.querySelectorAll("hub-sentinel-card")).toHaveLength(0);
  });

  it("stay as they are when the settings answer says on", async () => {
    const { document, settings, verdicts, asked } = setUp();
    settings.resolve({ enabled: true });
    verdicts.resolve();
    await settle();
    expect(levels(document)).toHaveLength(LISTED.length);
    expect(asked).toHaveLength(1);
  });

  it("show one mark per card when the page replaces the list before the answers arrive", async () => {
    const { document, verdicts, asked } = setUp();
    const list = document.querySelector("[data-fake-list]");
    const copy = list?.cloneNode(true) as Element;
    for (const mark of Array.from(copy.querySelectorAll("hub-sentinel-card"))) mark.remove();
    list?.replaceWith(copy);
    await settle();
    expect(levels(document)).toEqual(LISTED.map(() => "pending"));
    verdicts.resolve();
    await settle();
    expect(document.querySelectorAll("hub-sentinel-card")).toHaveLength(LISTED.length);
    expect(levels(document).every((level) => level !== "pending")).toBe(true);
    // The new cards shared the answer already on its way.
    expect(asked).toHaveLength(1);
  });
});
