import { Component, createRef, type ComponentChildren } from "preact";
import { fitPanel } from "./panel-fit";

export interface DisclosureProps {
  /** The shadow host, so a press inside our own shadow root is not taken for a press outside. */
  host: HTMLElement;
  /** The button (first) and, while open, its `.panel`; rendered inside a `span.root`. */
  children: (open: boolean, setOpen: (open: boolean) => void) => ComponentChildren;
}

/**
 * A button that opens a panel (the badge's findings, a row mark's details). Opening fits the panel into the
 * window (it scrolls inside itself) and moves the focus into it; Escape, a press outside our host, or the
 * focus going into an iframe (a Space's app, whose presses never reach this document) closes it and gives the
 * focus back to the button.
 *
 * A class rather than hooks: it is the only stateful component in the content script, and leaving
 * preact/hooks out keeps about 1 KB gzipped off every Hub page (issue #10's size budget).
 */
export class Disclosure extends Component<DisclosureProps, { open: boolean }> {
  override state = { open: false };
  private readonly root = createRef<HTMLSpanElement>();
  private stopListening?: () => void;

  private readonly setOpen = (open: boolean) => {
    if (open !== this.state.open) this.setState({ open });
  };

  // The listeners go in as soon as the panel is on screen (componentDidUpdate runs before the
  // browser paints), so a press right after opening is never missed.
  override componentDidUpdate(_props: DisclosureProps, previous: { open: boolean }) {
    if (this.state.open === previous.open) return;
    const root = this.root.current;
    if (this.state.open) {
      const panel = root?.querySelector<HTMLElement>(".panel");
      const refit = () => {
        if (root && panel) placePanel(this.props.host, root, panel);
      };
      refit();
      this.stopListening = listenForDismiss(this.props.host, () => this.setOpen(false), refit);
      panel?.focus();
    } else {
      this.stopListening?.();
      this.stopListening = undefined;
      root?.querySelector<HTMLElement>("button")?.focus();
    }
  }

  override componentWillUnmount() {
    this.stopListening?.();
  }

  render() {
    return (
      <span class="root" ref={this.root}>
        {this.props.children(this.state.open, this.setOpen)}
      </span>
    );
  }
}

/**
 * Fit the open panel into the window (panel-fit.ts): fixed at its button, below or above it, no taller than the
 * room there, inside the right edge. Measured before the browser paints, and again when the page scrolls or the
 * window is resized, so that it stays at its button. A transformed ancestor (the fixed corner chip's host) makes
 * "fixed" relative to itself: the offset that leaves is measured and taken back.
 */
function placePanel(host: HTMLElement, root: HTMLElement, panel: HTMLElement) {
  const doc = host.ownerDocument;
  const button = root.querySelector("button")?.getBoundingClientRect();
  if (!button) return;
  const viewport = { width: doc.documentElement.clientWidth, height: doc.documentElement.clientHeight };
  const fit = fitPanel(button, { width: panel.getBoundingClientRect().width, contentHeight: panel.scrollHeight }, viewport);
  const apply = (dx: number, dy: number) => {
    panel.style.setProperty("--panel-max-height", `${fit.maxHeight}px`);
    panel.style.setProperty("--panel-left", `${fit.left - dx}px`);
    panel.style.setProperty("--panel-top", fit.top === undefined ? "auto" : `${fit.top - dy}px`);
    panel.style.setProperty("--panel-bottom", fit.bottom === undefined ? "auto" : `${fit.bottom + dy}px`);
  };
  panel.setAttribute("data-placement", fit.placement);
  apply(0, 0);
  const placed = panel.getBoundingClientRect();
  const dx = placed.left - fit.left;
  const dy = fit.top !== undefined ? placed.top - fit.top : placed.bottom - (viewport.height - (fit.bottom ?? 0));
  if (Math.abs(dx) > 0.5 || Math.abs(dy) > 0.5) apply(dx, dy);
}

function listenForDismiss(host: HTMLElement, close: () => void, refit: () => void): () => void {
  const doc = host.ownerDocument;
  const view = doc.defaultView;
  const onPointer = (event: Event) => {
    if (!event.composedPath().includes(host)) close();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") close();
  };
  // A press inside an iframe (a Space's app) reaches no listener of this document: the focus moving
  // into the frame is what says so (read by tag name, which holds across the content script's and the
  // page's worlds). Firefox does not blur the window for a click into a same-origin frame, so a focus
  // leaving the panel is checked too, once it has moved.
  const focusInFrame = () => doc.activeElement?.tagName === "IFRAME";
  const onBlur = () => {
    if (focusInFrame()) close();
  };
  const onFocusOut = () => {
    view?.setTimeout(() => {
      if (focusInFrame()) close();
    }, 0);
  };
  // The page or one of its scrollers moved the button: the panel follows, once per frame. (The panel's own
  // scrolling stays in our shadow root: scroll events do not leave it.)
  let frame = 0;
  const onMove = () => {
    if (frame === 0) frame = view?.requestAnimationFrame(() => ((frame = 0), refit())) ?? 0;
  };
  doc.addEventListener("mousedown", onPointer, true);
  doc.addEventListener("keydown", onKey, true);
  doc.addEventListener("scroll", onMove, { capture: true, passive: true });
  view?.addEventListener("blur", onBlur);
  doc.addEventListener("focusout", onFocusOut, true);
  view?.addEventListener("resize", onMove);
  return () => {
    doc.removeEventListener("mousedown", onPointer, true);
    doc.removeEventListener("keydown", onKey, true);
    doc.removeEventListener("scroll", onMove, { capture: true });
    view?.removeEventListener("blur", onBlur);
    doc.removeEventListener("focusout", onFocusOut, true);
    view?.removeEventListener("resize", onMove);
    if (frame !== 0) view?.cancelAnimationFrame(frame);
  };
}
