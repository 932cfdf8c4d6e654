/**
 * The content script's shadow host: styles inside, rendering into its container, and what happens
 * on remove, dispose and the end of the content script's context. A linkedom document, a context
 * stand-in with the one method the host uses.
 */
import { parseHTML } from "linkedom";
import { h } from "preact";
import { render } from "preact";
import { beforeEach, describe, expect, it } from "vitest";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { createShadowHost } from "../../../entrypoints/hub.content/shadow-host";

let document: Document;

function fakeContext() {
  const listeners = new Set<() => void>();
  const ctx = {
    onInvalidated(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as ContentScriptContext;
  return { ctx, listeners, invalidate: () => [...listeners].forEach((listener) => listener()) };
}

beforeEach(() => {
  document = parseHTML("<!doctype html><html><body><h1>owner/name</h1></body></html>").document;
});

describe("createShadowHost", () => {
  it("holds the reset and our styles in an open shadow root, and renders into its container", () => {
    const { ctx } = fakeContext();
    const ui = createShadowHost(ctx, { name: "hub-sentinel-badge", css: ".badge { color: red; }", doc: document });
    document.body.append(ui.host);
    render(h("span", { class: "badge" }, "<b>not markup</b>"), ui.container);

    expect(ui.host.tagName.toLowerCase()).toBe("hub-sentinel-badge");
    expect(ui.host.shadowRoot).toBe(ui.shadow);
    const style = ui.shadow.querySelector("style")?.textContent ?? "";
    expect(style).toContain(":host{all:initial !important;}");
    expect(style).toContain(".badge { color: red; }");
    expect(ui.container.querySelector(".badge")?.textContent).toBe("<b>not markup</b>");
    expect(ui.container.querySelector("b")).toBeNull();
  });

  it("remove() unmounts and takes the host out, and it can be placed again", () => {
    const { ctx, listeners, invalidate } = fakeContext();
    const ui = createShadowHost(ctx, { name: "hub-sentinel-badge", css: "", doc: document });
    document.body.append(ui.host);
    render(h("span", null, "badge"), ui.container);

    ui.remove();
    expect(ui.host.isConnected).toBe(false);
    expect(ui.container.childNodes.length).toBe(0);
    expect(listeners.size).toBe(1);

    // Placed again (a URL change back to a repo page), then the context ends: it goes.
    document.body.append(ui.host);
    invalidate();
    expect(ui.host.isConnected).toBe(false);
  });

  it("dispose() also stops waiting for the context, so short-lived hosts are not kept", () => {
    const { ctx, listeners } = fakeContext();
    const hosts = Array.from({ length: 50 }, () => createShadowHost(ctx, { name: "hub-sentinel-card", css: "", doc: document }));
    expect(listeners.size).toBe(50);
    for (const ui of hosts) ui.dispose();
    expect(listeners.size).toBe(0);
  });
});
