/**
 * "Layout not recognised" (lib/page/layout-check.ts), on the fake Hub's own pages (tests/fake-hub:
 * real-shaped islands, props and rows) in their usual layout and in the redesign variants: a page
 * whose rows cannot be found says why there should have been some; an empty repo, a repo with no
 * discussions or a search with no results says nothing.
 */
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { findHeaderIsland, readHeaderProps } from "../../../lib/page/islands";
import { cardLayoutNote, expectedDiscussionRows, expectedFileRows } from "../../../lib/page/layout-check";
import { layoutNoteText, readLayoutNotes } from "../../../lib/page/layout-note";
import { findDiscussionRows, findFileRows, findRepoCards } from "../../../lib/page/rows";
import { listingFor } from "../../fake-hub/annotation-pages";
import { CATALOGUE, findFixture } from "../../fake-hub/catalogue";
import type { FixtureRepo } from "../../fake-hub/catalogue-types";
import { repoPage, type RepoTab } from "../../fake-hub/pages";

const HUB = "https://huggingface.co";

function fixture(type: string, id: string): FixtureRepo {
  const repo = findFixture(type, id);
  if (!repo) throw new Error(`no fixture ${type}:${id}`);
  return repo;
}

function page(repo: FixtureRepo, tab: RepoTab, path: string, layout?: string, extra: { discussion?: number } = {}): Document {
  const url = `${HUB}${path}${layout ? `?fakeLayout=${layout}` : ""}`;
  return parseHTML(repoPage(repo, tab, url, { ...extra, layout })).document;
}

const model = fixture("model", "legacy-lab/old-bin-model");
const ref = { type: "model" as const, id: model.id };

describe("file rows", () => {
  it("the usual tree: rows found, so nothing to say", () => {
    const doc = page(model, "files", `/${model.id}/tree/main`);
    expect(findFileRows(doc, ref).length).toBeGreaterThan(0);
  });

  it.each(["reshuffled", "no-heading"])("%s: no row found, and the page's own file links say there should be", (layout) => {
    const doc = page(model, "files", `/${model.id}/tree/main`, layout);
    expect(findFileRows(doc, ref)).toEqual([]);
    expect(expectedFileRows(doc, ref, "")).toMatch(/^the page links to \d+ files? of this repo$/);
  });

  it("a folder's links count only that folder's files; another folder's links do not", () => {
    const doc = parseHTML(`<main><a href="/${model.id}/blob/main/sub/a.bin">a</a><a href="/other/repo/blob/main/b.bin">b</a></main>`).document;
    expect(expectedFileRows(doc, ref, "sub")).toBe("the page links to 1 file of this repo");
    expect(expectedFileRows(doc, ref, "")).toBeUndefined();
    expect(expectedFileRows(doc, ref, "elsewhere")).toBeUndefined();
  });

  it("a tree with only folders, or an empty repo, expects no file rows", () => {
    const doc = parseHTML(`<main><a href="/${model.id}/tree/main/weights">weights</a></main>`).document;
    expect(expectedFileRows(doc, ref, "")).toBeUndefined();
  });

  it("with no file links, the header's file list for the folder still tells", () => {
    const props = { model: { id: model.id, siblings: [{ rfilename: "config.json" }, { rfilename: "sub/x.bin" }] }, author: { name: "legacy-lab", type: "org" } };
    const doc = parseHTML(`<main><div class="SVELTE_HYDRATER" data-target="Renamed" data-props="${JSON.stringify(props).replace(/"/g, "&quot;")}"></div></main>`).document;
    expect(expectedFileRows(doc, ref, "")).toBe("the page's data lists 1 file in this folder");
    expect(expectedFileRows(doc, ref, "sub")).toBe("the page's data lists 1 file in this folder");
    expect(expectedFileRows(doc, ref, "none")).toBeUndefined();
  });
});

describe("discussion rows", () => {
  const url = new URL(`${HUB}/${model.id}/discussions`);

  it("the usual list: rows found", () => {
    expect(findDiscussionRows(page(model, "community", url.pathname), ref).length).toBeGreaterThan(0);
  });

  it("reshuffled: rows are not links, and the renamed list island's props still list the discussions", () => {
    const doc = page(model, "community", url.pathname, "reshuffled");
    expect(findDiscussionRows(doc, ref)).toEqual([]);
    expect(expectedDiscussionRows(doc, ref, url)).toMatch(/^the page's data lists \d+ discussions?$/);
  });

  it("a repo with no discussions expects none, whatever the layout", () => {
    const quiet = fixture("model", "sentinel-verified/tiny-safetensors");
    const quietRef = { type: "model" as const, id: quiet.id };
    const quietUrl = new URL(`${HUB}/${quiet.id}/discussions`);
    for (const layout of [undefined, "reshuffled"]) {
      expect(expectedDiscussionRows(page(quiet, "community", quietUrl.pathname, layout), quietRef, quietUrl)).toBeUndefined();
    }
  });

  it("the header's open count speaks for the unfiltered list only", () => {
    const header = { model: { id: model.id }, author: { name: "legacy-lab", type: "org" }, discussionsStats: { open: 4, closed: 1, total: 5 } };
    const doc = parseHTML(`<main><div class="SVELTE_HYDRATER" data-target="ModelHeader" data-props="${JSON.stringify(header).replace(/"/g, "&quot;")}"></div></main>`).document;
    expect(expectedDiscussionRows(doc, ref, url)).toBe("the repo's header counts 4 open discussions");
    expect(expectedDiscussionRows(doc, ref, new URL(`${url.href}?status=closed`))).toBeUndefined();
  });
});

describe("listing cards", () => {
  const listing = (query: string) => parseHTML(listingFor(new URL(`${HUB}/models${query}`), CATALOGUE) ?? "").document;

  it("the usual listing: cards found, no note", () => {
    const doc = listing("");
    const cards = findRepoCards(doc).length;
    expect(cards).toBeGreaterThan(0);
    expect(cardLayoutNote(doc, cards)).toBeUndefined();
  });

  it("reshuffled: no card found, and the listing island's props list the repos", () => {
    const doc = listing("?fakeLayout=reshuffled");
    expect(findRepoCards(doc)).toEqual([]);
    expect(cardLayoutNote(doc, 0)).toEqual({ part: "cards", evidence: expect.stringMatching(/^the page's data lists \d+ repos?$/) });
  });

  it("a search with no results expects no cards", () => {
    const doc = listing("?search=no-such-repo-anywhere&fakeLayout=reshuffled");
    expect(cardLayoutNote(doc, 0)).toBeUndefined();
  });
});

describe("the header island when the Hub renames it", () => {
  it("is found by its props, with the repo id and the author's kind", () => {
    for (const layout of ["reshuffled", "no-heading"]) {
      const doc = page(model, "card", `/${model.id}`, layout);
      expect(findHeaderIsland(doc, "model")?.getAttribute("data-target")).toBe("ModelPageTop");
      expect(readHeaderProps(doc, "model")).toMatchObject({ repoId: model.id, authorKind: model.author.kind });
      expect(findHeaderIsland(doc, "dataset")).toBeNull();
    }
  });
});

describe("layout notes from a content script", () => {
  it("keeps well-formed notes only, one per part, with bounded evidence", () => {
    const notes = readLayoutNotes([
      { part: "file-rows", evidence: "the page links to 3 files of this repo" },
      { part: "file-rows", evidence: "again" },
      { part: "cookies", evidence: "x" },
      { part: "cards", evidence: 7 },
      "nonsense",
      { part: "pull-requests", evidence: "x".repeat(1000) },
    ]);
    expect(notes.map((note) => note.part)).toEqual(["file-rows", "pull-requests"]);
    expect(notes[1]?.evidence).toHaveLength(200);
    expect(readLayoutNotes({ part: "cards" })).toEqual([]);
  });

  it("says what could not be marked and why it should have been", () => {
    expect(layoutNoteText({ part: "cards", evidence: "the page's data lists 30 repos" })).toBe(
      "This page's layout was not recognised: cards could not be marked (the page's data lists 30 repos).",
    );
  });
});
