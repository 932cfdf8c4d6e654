import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { findTokens } from "../../../lib/annotations/leak-token";
import {
  discussionHints,
  filePathFromBlobHref,
  findDiscussionRows,
  findFileRows,
  findRepoCards,
  listingHints,
  repoFromCardHref,
} from "../../../lib/page/rows";
import { queryFirst, SELECTORS } from "../../../lib/page/selectors";

/** Row selectors against saved pages (tests/fixtures/pages), and the href parsing they rely on. */
const PAGES = join(import.meta.dirname, "../../fixtures/pages");
const load = (name: string) => parseHTML(readFileSync(join(PAGES, name), "utf8")).document;
const html = (body: string) => parseHTML(`<!doctype html><html><body>${body}</body></html>`).document;
const escape = (value: unknown) => JSON.stringify(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;");

describe("tree rows (tree-rows.derived.html: the re-created 'Files and versions' rows, Oct 2024)", () => {
  const doc = load("tree-rows.derived.html");
  const repo = { type: "dataset" as const, id: "neuralwork/arxiver" };

  it("finds the file row by its blob href and skips the directory row", () => {
    const rows = findFileRows(doc, repo);
    expect(rows.map((row) => row.path)).toEqual([".gitattributes"]);
    expect(rows[0]?.link.textContent?.trim()).toBe(".gitattributes");
  });

  it("finds nothing for another repo's rows", () => {
    expect(findFileRows(doc, { type: "model", id: "neuralwork/arxiver" })).toEqual([]);
  });
});

describe("file view (model-blob-logged-out.html, Aug 2025)", () => {
  const doc = load("model-blob-logged-out.html");

  it("finds the scan badge and the viewer header the blob annotation anchors on", () => {
    expect(queryFirst(doc, SELECTORS.scanStatusBadge)?.getAttribute("data-target")).toBe("ScanStatusBadge");
    expect(queryFirst(doc, SELECTORS.viewerHeader)?.getAttribute("data-target")).toBe("ViewerHeader");
    expect(queryFirst(doc, SELECTORS.contentRoot)?.tagName).toBe("MAIN");
  });

  it("holds no token in its text, though its props are full of code", () => {
    const text = queryFirst(doc, SELECTORS.contentRoot)?.textContent ?? "";
    expect(text.length).toBeGreaterThan(1000);
    expect(findTokens(text)).toEqual([]);
  });

  it("has no tree rows, PR rows or repo cards", () => {
    expect(findFileRows(doc, { type: "model", id: "Qwen/Qwen3-Coder-30B-A3B-Instruct" })).toEqual([]);
    expect(findDiscussionRows(doc, { type: "model", id: "Qwen/Qwen3-Coder-30B-A3B-Instruct" })).toEqual([]);
    expect(findRepoCards(doc)).toEqual([]);
  });
});

describe("filePathFromBlobHref", () => {
  const model = { type: "model" as const, id: "owner/name" };
  it.each([
    ["/owner/name/blob/main/pytorch_model.bin", "pytorch_model.bin"],
    ["/owner/name/blob/main/sub/dir/model.ckpt", "sub/dir/model.ckpt"],
    ["https://huggingface.co/owner/name/blob/main/a.bin?raw=1#L3", "a.bin"],
    ["https://hf.co/owner/name/blob/main/a.bin", "a.bin"],
    ["/owner/name/blob/refs%2Fpr%2F3/a.bin", "a.bin"],
    ["/owner/name/blob/refs/pr/3/weights/a.bin", "weights/a.bin"],
    ["/owner/name/blob/main/with%20space.bin", "with space.bin"],
    ["/owner/name/blob/0123456789abcdef0123456789abcdef01234567/a.bin", "a.bin"],
  ])("%s → %s", (href, path) => {
    expect(filePathFromBlobHref(href, model)).toBe(path);
  });

  it.each([
    ["/owner/name/tree/main/data"],
    ["/owner/other/blob/main/a.bin"],
    ["/datasets/owner/name/blob/main/a.bin"],
    ["/owner/name/blob/main"],
    ["https://evil.example/owner/name/blob/main/a.bin"],
    ["/owner/name/blob/main/%E0%A4%A"],
    ["javascript:alert(1)"],
  ])("%s is not a file of owner/name", (href) => {
    expect(filePathFromBlobHref(href, model)).toBeUndefined();
  });
});

describe("discussion rows", () => {
  const doc = html(`
    <div class="SVELTE_HYDRATER contents" data-target="DiscussionList" data-props="${escape({ discussions: [{ num: 3, isPullRequest: false }, { num: 2, isPullRequest: true }] })}">
      <a href="/o/n/discussions/3">Question</a> <a href="/o/n/discussions/3">💬 1</a>
      <a href="/o/n/discussions/2">PR</a>
      <a href="/o/n/discussions/new">New</a>
      <a href="/o/n/discussions?status=closed">Closed</a>
      <a href="/o/other/discussions/9">elsewhere</a>
    </div>`);

  it("finds the first link of each discussion of this repo", () => {
    expect(findDiscussionRows(doc, { type: "model", id: "o/n" }).map((row) => [row.num, row.link.textContent])).toEqual([
      [3, "Question"],
      [2, "PR"],
    ]);
  });

  it("reads which are pull requests from the list island's props", () => {
    expect([...discussionHints(doc)]).toEqual([
      [3, false],
      [2, true],
    ]);
  });
});

describe("repo cards", () => {
  it.each([
    ["/owner/name", { type: "model", id: "owner/name" }],
    ["https://huggingface.co/owner/name?search=x", { type: "model", id: "owner/name" }],
    ["/datasets/owner/name", { type: "dataset", id: "owner/name" }],
    ["/spaces/owner/name", { type: "space", id: "owner/name" }],
    ["/owner/name/tree/main", undefined],
    ["/spaces", undefined],
    ["/blog/some-post", undefined],
    ["/owner", undefined],
    ["https://example.com/owner/name", undefined],
  ])("%s → %j", (href, repo) => {
    expect(repoFromCardHref(href)).toEqual(repo);
  });

  it("finds repo cards, skips promotions, and reads hints from ModelList props", () => {
    const props = { initialValues: { models: [{ id: "org-a/m1", author: "org-a", authorData: { name: "org-a", type: "org" }, private: false }, { id: "user-b/m2", authorData: { type: "user" }, private: true }] } };
    const doc = html(`
      <div class="SVELTE_HYDRATER contents" data-target="ModelList" data-props="${escape(props)}"><div class="grid">
        <article class="overview-card-wrapper"><a href="/org-a/m1"><header title="org-a/m1"><h4>org-a/m1</h4></header></a></article>
        <article class="overview-card-wrapper"><a href="/spaces"><header title="Spaces"><h4>Discover</h4></header></a></article>
        <article class="overview-card-wrapper"><a href="https://huggingface.co/user-b/m2?x=1"><header title="user-b/m2"><h4>m2</h4></header></a></article>
      </div></div>`);
    const cards = findRepoCards(doc);
    expect(cards.map((card) => [card.repo.id, card.anchor.tagName])).toEqual([
      ["org-a/m1", "HEADER"],
      ["user-b/m2", "HEADER"],
    ]);
    expect(Object.fromEntries(listingHints(doc))).toEqual({ "org-a/m1": { authorKind: "org" }, "user-b/m2": { authorKind: "user", private: true } });
  });

  it("survives props that are not JSON", () => {
    const doc = html(`<div class="SVELTE_HYDRATER contents" data-target="ModelList" data-props="{not json"></div>`);
    expect(listingHints(doc).size).toBe(0);
  });
});
