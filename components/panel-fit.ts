/**
 * Where a findings panel opens so that it fits the window. The panel is fixed to the window (so no clipping
 * ancestor of the page, a code view's horizontal scroller or a row that hides its overflow, can cut it) at its
 * button: below it when its content fits there, or there is room enough, or more room than above; else above it; never taller than the room it has
 * (it scrolls inside itself), and moved left when it would pass the window's right edge. Pure: the caller
 * measures and applies (Disclosure.tsx).
 */
export interface Box {
  top: number;
  bottom: number;
  left: number;
}

export interface PanelFit {
  placement: "below" | "above";
  /** The panel's max-height, px. */
  maxHeight: number;
  /** The panel's left edge in the window, px. */
  left: number;
  /** Below its button: the panel's top edge in the window, px. */
  top?: number;
  /** Above its button: the distance from the window's bottom edge to the panel's bottom edge, px. */
  bottom?: number;
}

/** Space kept between the panel and the window's edges, and between the panel and its button. */
export const PANEL_MARGIN = 12;
export const PANEL_GAP = 6;
/** Below this much room, a panel opens on the side with more room instead. */
export const PANEL_MIN_HEIGHT = 240;
/** A panel is never made shorter than this, even in a window too small for it. */
export const PANEL_FLOOR = 120;

/** `panel`: the panel's width and the height of all it holds (its scrollHeight). */
export function fitPanel(button: Box, panel: { width: number; contentHeight: number }, viewport: { width: number; height: number }): PanelFit {
  const below = viewport.height - button.bottom - PANEL_GAP - PANEL_MARGIN;
  const above = button.top - PANEL_GAP - PANEL_MARGIN;
  const placement = below >= panel.contentHeight || below >= PANEL_MIN_HEIGHT || below >= above ? "below" : "above";
  const maxHeight = Math.max(PANEL_FLOOR, Math.floor(placement === "below" ? below : above));
  const left = Math.round(Math.max(PANEL_MARGIN, Math.min(button.left, viewport.width - PANEL_MARGIN - panel.width)));
  return placement === "below"
    ? { placement, maxHeight, left, top: Math.round(button.bottom + PANEL_GAP) }
    : { placement, maxHeight, left, bottom: Math.round(viewport.height - button.top + PANEL_GAP) };
}
