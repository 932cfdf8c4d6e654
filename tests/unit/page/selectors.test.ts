import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { findHeaderIsland, readHeaderProps, readIslandProps } from "../../../lib/page/islands";
import { findRepoNameLink, queryFirst, SELECTORS } from "../../../lib/page/selectors";

/** Selectors are checked against trimmed copies of real saved huggingface.co pages, never the live site. */
const PAGES = join(import.meta.dirname, "../../fixtures/pages");
const load = (name: string) => parseHTML(readFileSync(join(PAGES, name), "utf8")).document;

describe("selectors on a real model page (model-blob-logged-out.html, Aug 2025)", () => {
  const doc = load("model-blob-logged-out.html");

  it("finds the ModelHeader island and reads its props", () => {
    expect(findHeaderIsland(doc, "model")).not.toBeNull();
    expect(readHeaderProps(doc, "model")).toEqual({
      repoId: "Qwen/Qwen3-Coder-30B-A3B-Instruct",
      authorName: "Qwen",
      authorKind: "org",
      // The real page's `discussionsStats` ({ closed: 3, open: 13, total: 16 }).
      discussions: { open: 13, total: 16 },
    });
  });

  it("finds the repo-name link in the header's h1 by its href, not its classes", () => {
    const island = findHeaderIsland(doc, "model");
    const heading = island ? queryFirst(island, SELECTORS.headerHeading) : null;
    expect(heading?.tagName).toBe("H1");
    const link = heading ? findRepoNameLink(heading, "/Qwen/Qwen3-Coder-30B-A3B-Instruct") : null;
    expect(link?.textContent).toBe("Qwen3-Coder-30B-A3B-Instruct");
    // The author link must not be mistaken for it.
    expect(heading ? findRepoNameLink(heading, "/Qwen") : null).not.toBeNull();
  });

  it("finds the per-file scan badge island", () => {
    const badge = queryFirst(doc, SELECTORS.scanStatusBadge);
    expect(badge).not.toBeNull();
    expect(readIslandProps(badge as Element)).toMatchObject({ scanStatus: { status: expect.any(String) } });
  });

  it("finds no dataset or Space header on a model page", () => {
    expect(findHeaderIsland(doc, "dataset")).toBeNull();
    expect(findHeaderIsland(doc, "space")).toBeNull();
  });
});

describe("selectors on a real Space page (space-app.excerpt.html, Nov 2025)", () => {
  const doc = load("space-app.excerpt.html");
  it("finds the SpaceHeader island and the Space's name link in its heading", () => {
    const island = findHeaderIsland(doc, "space");
    expect(island).not.toBeNull();
    const heading = island ? queryFirst(island, SELECTORS.headerHeading) : null;
    const link = heading ? findRepoNameLink(heading, "/spaces/linoyts/Qwen-Image-Edit-Angles") : null;
    expect(link?.getAttribute("href")).toBe("/spaces/linoyts/Qwen-Image-Edit-Angles");
    // The "Duplicated from" link points at another Space and must not be taken for this one.
    expect(link?.textContent).not.toContain("next-scene");
  });
  it("survives props it cannot parse (the excerpt elides them) by giving nothing, not throwing", () => {
    expect(readHeaderProps(doc, "space")).toBeUndefined();
  });
});

describe("island props are untrusted", () => {
  it.each([
    ['<div data-target="ModelHeader" data-props="{not json"></div>'],
    ['<div data-target="ModelHeader" data-props="[1,2]"></div>'],
    ['<div data-target="ModelHeader"></div>'],
    ['<div data-target="ModelHeader" data-props="{&quot;model&quot;:{&quot;id&quot;:42},&quot;author&quot;:&quot;x&quot;}"></div>'],
  ])("%s gives nothing usable, without throwing", (html) => {
    const { document } = parseHTML(`<html><body>${html}</body></html>`);
    const props = readHeaderProps(document, "model");
    expect(props?.repoId).toBeUndefined();
    expect(props?.authorKind).toBeUndefined();
  });
});

describe("island props are parsed once per value", () => {
  it("gives the same parsed object while data-props is unchanged, and a new one when it changes", () => {
    const { document } = parseHTML('<html><body><div data-target="ModelHeader" data-props="{&quot;model&quot;:{&quot;id&quot;:&quot;a/b&quot;}}"></div></body></html>');
    const island = document.querySelector("[data-target]") as unknown as Element;
    const first = readIslandProps(island);
    expect(readIslandProps(island)).toBe(first);
    island.setAttribute("data-props", JSON.stringify({ model: { id: "c/d" } }));
    const second = readIslandProps(island);
    expect(second).not.toBe(first);
    expect(second).toEqual({ model: { id: "c/d" } });
  });
});

