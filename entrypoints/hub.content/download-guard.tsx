import { render } from "preact";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { DownloadGuardDialog, GUARD_CSS } from "../../components/DownloadGuardDialog";
import { BADGE_CSS } from "../../components/level-style";
import { decideDownload, guardNotice, type GuardDecision } from "../../lib/annotations/download-guard";
import type { FileMarks } from "../../lib/annotations/file-marks";
import { parseHubUrl } from "../../lib/hub-url";
import { sendToBackground } from "../../lib/messaging/client";
import { hintsFromPage } from "../../lib/messaging/page-hints";
import { downloadTargetOf, type DownloadTarget } from "../../lib/page/download-links";
import { readHeaderProps } from "../../lib/page/islands";
import { SELECTORS } from "../../lib/page/selectors";
import { onPolicyChange } from "../../lib/settings/changes";
import type { DownloadGuardMode } from "../../lib/settings/types";
import { createShadowHost, type ShadowHost } from "./shadow-host";

const HOST_TAG = "hub-sentinel-download-guard";
const LINK = SELECTORS.link.join(",");

/** How the person asked for the file, so that "Download anyway" does what the click would have done. */
interface Gesture {
  /** The `download` attribute's value (a file name, or ""), or null when the link has none. */
  download: string | null;
  newTab: boolean;
}

interface Held {
  ui: ShadowHost;
  link: HTMLElement;
  stop: AbortController;
}

/**
 * The download guard (issue 27; contract: "Download guard"). On a Files tab and a file page, a
 * click on a link that downloads a file whose own mark is `danger` or `unknown` is held before any
 * request leaves: primary clicks with or without modifier keys, middle clicks (`auxclick`), Enter
 * on a focused link (the browser sends it as a click), a page script's `link.click()`, and the
 * start of a drag (a link dropped on the tab strip opens). A context menu's "Open link in new tab"
 * or "Save link as…" sends no event a page can see, so those cannot be held (README).
 *
 * One capture listener per event type on the window, registered once and removed with `ctx`. The
 * decision is synchronous, from the marks the file rows already got (file-marks.ts): a file at
 * `ok` or `info`, or with no mark, goes through untouched (the event is not even prevented). A file
 * still `pending` is held until its mark comes; a link to a file nothing asked about yet is asked
 * about once.
 *
 * "Download anyway" makes the request once, as the link would have: an anchor of our own with the
 * URL read at the click (not the page's link, whose href the page could change meanwhile), clicked
 * in our shadow root. No `downloads` permission is needed, and the browser treats it as the
 * page's own download (its download shelf, its file name from the Hub's Content-Disposition).
 */
export function startDownloadGuard(ctx: ContentScriptContext, marks: FileMarks, win: Window = window): void {
  const doc = win.document;
  let mode: DownloadGuardMode | undefined;
  let modeRequest: Promise<DownloadGuardMode> | undefined;
  let held: Held | undefined;
  /** Our own replay anchor while its click is dispatched: the one click the guard lets through unasked. */
  let replaying: HTMLAnchorElement | undefined;

  function currentMode(): Promise<DownloadGuardMode> {
    modeRequest ??= sendToBackground("download-guard", {}).then(
      (answer) => (mode = answer.mode),
      () => {
        // Unread, the guard stays on: asked again at the next click.
        modeRequest = undefined;
        return mode ?? "ask";
      },
    );
    return modeRequest;
  }

  /** The repo page the guard works on (a Files tab or a file page), from the page's URL now. */
  function guardedPage() {
    const page = parseHubUrl(new URL(win.location.href));
    return page?.kind === "repo" && (page.tab === "files" || page.tab === "blob") ? page : undefined;
  }

  function onActivate(event: MouseEvent) {
    // A middle click arrives as auxclick (Chromium) or as a click with button 1 (some Firefox versions).
    if (event.type === "auxclick" ? event.button !== 1 : event.type === "click" && event.button > 1) return;
    const path = event.composedPath();
    if (replaying && path.includes(replaying)) {
      // The page's listeners never see our replay (nor can they start another click inside it).
      event.stopImmediatePropagation();
      return;
    }
    const link = path.find((node): node is HTMLAnchorElement => node instanceof Element && node.matches(LINK));
    if (!link || !guardedPage()) return;
    const target = downloadTargetOf(link.href, win.location.href);
    if (!target) return;
    const decision = decideDownload(marks.get(target.repo, target.path), mode ?? "ask");
    if (decision.action === "allow") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    // One question at a time: a page cannot stack dialogs, and a second click while one is open is held too.
    if (held?.ui.host.isConnected) return;
    if (held) close(false);
    const gesture: Gesture = {
      download: link.getAttribute("download") ?? (event.altKey ? "" : null),
      newTab: event.type !== "dragstart" && (event.button === 1 || event.ctrlKey || event.metaKey || event.shiftKey || link.getAttribute("target") === "_blank"),
    };
    void hold(link, target, gesture, decision);
  }

  async function hold(link: HTMLElement, target: DownloadTarget, gesture: Gesture, first: GuardDecision) {
    const ui = createShadowHost(ctx, { name: HOST_TAG, css: BADGE_CSS + GUARD_CSS, doc });
    const current: Held = { ui, link, stop: new AbortController() };
    held = current;
    ui.host.setAttribute("data-hub-sentinel", "download-guard");
    ui.host.setAttribute("data-path", target.path);
    (doc.body ?? doc.documentElement).append(ui.host);
    // Focus stays inside while the dialog is open (a click elsewhere lands on its backdrop), and
    // Escape cancels wherever the focus went (a window switch can leave it on the page's body).
    const keepFocus = (event: FocusEvent) => {
      if (!event.composedPath().includes(ui.host)) focusDefault(ui);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.composedPath().includes(ui.host)) close(true);
    };
    doc.addEventListener("focusin", keepFocus, true);
    doc.addEventListener("keydown", escape, true);
    current.stop.signal.addEventListener(
      "abort",
      () => {
        doc.removeEventListener("focusin", keepFocus, true);
        doc.removeEventListener("keydown", escape, true);
      },
      { once: true },
    );

    const show = (decision: GuardDecision) => {
      const notice = guardNotice(target.repo, target.path, marks.get(target.repo, target.path), decision);
      ui.host.setAttribute("data-level", notice.level);
      ui.host.setAttribute("data-theme", doc.documentElement.classList.contains("dark") ? "dark" : "light");
      ui.host.toggleAttribute("data-blocked", notice.blocked);
      render(<DownloadGuardDialog notice={notice} onProceed={() => proceed(current, target, gesture)} onCancel={() => close(true)} />, ui.container);
      if (!ui.shadow.activeElement) focusDefault(ui);
    };

    show(first);
    let decision: GuardDecision;
    try {
      if (first.action === "check") ask(target);
      if (first.action !== "hold") await marks.settled(target.repo, target.path, current.stop.signal);
      // The mode is normally known since the page started; a first click before that waits for it here.
      decision = decideDownload(marks.get(target.repo, target.path), await currentMode());
    } catch {
      return; // cancelled while waiting
    }
    if (held !== current) return;
    // Checked and fine (or the guard is off): the download the click asked for, once.
    if (decision.action === "allow") proceed(current, target, gesture);
    else show(decision);
  }

  /** A file the page never asked about: asked once; its answer (or failure) is kept with the rows' marks. */
  function ask(target: DownloadTarget) {
    marks.asking(target.repo, [target.path]);
    const page = guardedPage();
    const header = page && page.repo.type === target.repo.type && page.repo.id.toLowerCase() === target.repo.id.toLowerCase() ? readHeaderProps(doc, page.repo.type) : undefined;
    sendToBackground("file-annotations", { repo: target.repo, paths: [target.path], authorKind: header?.authorKind, ...hintsFromPage(header) }).then(
      (answer) => marks.answered(target.repo, [target.path], answer.files),
      (error: unknown) => marks.failed(target.repo, [target.path], error instanceof Error ? error.message : "the extension's background did not answer."),
    );
  }

  function proceed(current: Held, target: DownloadTarget, gesture: Gesture) {
    if (held !== current) return; // once: a second press finds the dialog gone
    const anchor = doc.createElement("a");
    anchor.href = target.url;
    if (gesture.download !== null) anchor.setAttribute("download", gesture.download);
    // A new tab needs the click's user activation; past it, the same tab (a download does not leave the page).
    if (gesture.newTab && win.navigator.userActivation?.isActive !== false) {
      anchor.target = "_blank";
      anchor.rel = "noopener";
    }
    current.ui.shadow.append(anchor);
    replaying = anchor;
    try {
      anchor.click();
    } finally {
      replaying = undefined;
      anchor.remove();
    }
    close(true);
  }

  function close(giveFocusBack: boolean) {
    const current = held;
    if (!current) return;
    held = undefined;
    current.stop.abort();
    current.ui.dispose();
    if (giveFocusBack && current.link.isConnected) current.link.focus();
  }

  for (const type of ["click", "auxclick", "dragstart"] as const) ctx.addEventListener(win, type, (event: Event) => onActivate(event as MouseEvent), { capture: true });
  // The page moved on without a reload: a question about the last page's file is dropped, unanswered.
  ctx.addEventListener(win, "wxt:locationchange", () => {
    close(false);
    if (guardedPage()) void currentMode();
  });
  // An extension update ends this script: its dialog goes, with the listeners that kept the focus in it.
  ctx.onInvalidated(() => close(false));
  ctx.onInvalidated(
    onPolicyChange(() => {
      modeRequest = undefined;
      void currentMode();
    }),
  );
  if (guardedPage()) void currentMode();
}

function focusDefault(ui: ShadowHost) {
  ui.shadow.querySelector<HTMLElement>("[data-autofocus]")?.focus();
}
