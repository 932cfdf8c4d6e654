import { Component, createRef, type ComponentChildren } from "preact";

export interface DisclosureProps {
  /** The shadow host, so a press inside our own shadow root is not taken for a press outside. */
  host: HTMLElement;
  /** The button (first) and, while open, its `.panel`; rendered inside a `span.root`. */
  children: (open: boolean, setOpen: (open: boolean) => void) => ComponentChildren;
}

/**
 * A button that opens a panel (the badge's findings, a row mark's details). Opening moves the
 * focus into the panel; Escape, a press outside our host, or the focus going into an iframe (a
 * Space's app, whose presses never reach this document) closes it and gives the focus back to the
 * button.
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
      this.stopListening = listenForDismiss(this.props.host, () => this.setOpen(false));
      root?.querySelector<HTMLElement>(".panel")?.focus();
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

function listenForDismiss(host: HTMLElement, close: () => void): () => void {
  const doc = host.ownerDocument;
  const view = doc.defaultView;
  const onPointer = (event: Event) => {
    if (!event.composedPath().includes(host)) close();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") close();
  };
  const onBlur = () => {
    if (doc.activeElement instanceof HTMLIFrameElement) close();
  };
  doc.addEventListener("mousedown", onPointer, true);
  doc.addEventListener("keydown", onKey, true);
  view?.addEventListener("blur", onBlur);
  return () => {
    doc.removeEventListener("mousedown", onPointer, true);
    doc.removeEventListener("keydown", onKey, true);
    view?.removeEventListener("blur", onBlur);
  };
}
