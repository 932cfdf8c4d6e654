import { useLayoutEffect } from "preact/hooks";

/**
 * While a popover is open, Escape and a press outside our host close it. The host is the shadow
 * host: a press inside our own shadow root is not "outside" (composedPath sees through it).
 * A press inside an iframe (a Space's app) never reaches this document, but takes the focus
 * away from its window: that closes it too.
 */
export function useDismiss(open: boolean, host: HTMLElement, close: () => void, onOpen?: () => void): void {
  // A layout effect: the listeners are in place as soon as the panel is on screen, not a frame
  // later, so a press right after opening is never missed.
  useLayoutEffect(() => {
    if (!open) return;
    onOpen?.();
    const onPointer = (event: Event) => {
      if (!event.composedPath().includes(host)) close();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close();
    };
    const onBlur = () => {
      if (document.activeElement instanceof HTMLIFrameElement) close();
    };
    document.addEventListener("mousedown", onPointer, true);
    document.addEventListener("keydown", onKey, true);
    window.addEventListener("blur", onBlur);
    return () => {
      document.removeEventListener("mousedown", onPointer, true);
      document.removeEventListener("keydown", onKey, true);
      window.removeEventListener("blur", onBlur);
    };
  }, [open]);
}
