/* global document, getComputedStyle, ShadowRoot */
// Runs in the page before each demo screenshot (scripts/demo-fit.ts reads the answer): the box of every Hub
// Sentinel mark on the page and of every panel or dialog open in their shadow roots, the boxes of the ancestors
// that clip each one (any overflow but `visible`), and what is drawn on top of it. Plain JavaScript, evaluated
// as a string, so that no build step adds helpers the page does not have.
(() => {
  const viewport = { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
  const box = (rect) => ({ left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom });
  const describe = (element) => {
    const classes = (element.getAttribute("class") || "").trim().split(/\s+/).filter(Boolean).slice(0, 4);
    return element.tagName.toLowerCase() + (element.id ? `#${element.id}` : "") + classes.map((name) => `.${name}`).join("");
  };
  const nameOf = (host) => {
    let name = `[data-hub-sentinel="${host.getAttribute("data-hub-sentinel")}"]`;
    for (const attribute of ["data-path", "data-num", "data-repo"]) {
      const value = host.getAttribute(attribute);
      if (value) return `${name}[${attribute}="${value}"]`;
    }
    return name;
  };
  // Up from the element to the document, through shadow roots to their hosts; a fixed box escapes the rest.
  const parentOf = (element) => {
    if (element.parentElement) return element.parentElement;
    const root = element.getRootNode();
    return root instanceof ShadowRoot ? root.host : null;
  };
  const clipsOf = (element) => {
    const clips = [];
    if (getComputedStyle(element).position === "fixed") return clips;
    for (let node = parentOf(element); node && node !== document.documentElement && node !== document.body; node = parentOf(node)) {
      const style = getComputedStyle(node);
      if (style.display !== "contents" && (style.overflowX !== "visible" || style.overflowY !== "visible")) {
        clips.push({ by: describe(node), rect: box(node.getBoundingClientRect()), x: style.overflowX !== "visible", y: style.overflowY !== "visible" });
      }
      if (style.position === "fixed") break;
    }
    return clips;
  };
  // What the page draws at points of the box (inside the window): our host, or something of the page on top of it.
  const coveredBy = (host, rect, corners) => {
    // Far enough in that a rounded corner (outside which the page shows through) is not taken for a cover.
    const inset = 10;
    const points = [[(rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2]];
    if (corners) points.push([rect.left + inset, rect.top + inset], [rect.right - inset, rect.top + inset], [rect.left + inset, rect.bottom - inset], [rect.right - inset, rect.bottom - inset]);
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= viewport.width || y >= viewport.height) continue;
      const found = document.elementFromPoint(x, y);
      // One of our own panels open over a mark is what the picture is about, not a fault.
      if (found && found !== host && !host.contains(found) && !found.closest("[data-hub-sentinel]")) return `${describe(found)} at (${Math.round(x)}, ${Math.round(y)})`;
    }
    return null;
  };
  const items = [];
  for (const host of document.querySelectorAll("[data-hub-sentinel]")) {
    const rect = host.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    const name = nameOf(host);
    items.push({ what: name, kind: "mark", rect: box(rect), clips: clipsOf(host), coveredBy: coveredBy(host, rect, false) });
    if (!host.shadowRoot) continue;
    for (const panel of new Set(host.shadowRoot.querySelectorAll('.panel, [role="dialog"], [role="alertdialog"]'))) {
      const panelRect = panel.getBoundingClientRect();
      if (panelRect.width === 0 || panelRect.height === 0) continue;
      items.push({ what: `${name} ${panel.getAttribute("role") || "panel"}`, kind: "panel", rect: box(panelRect), clips: clipsOf(panel), coveredBy: coveredBy(host, panelRect, true) });
    }
  }
  return { viewport, items };
})();
