/**
 * A Hub token split across several text nodes of one block (syntax-highlighted code): still found,
 * on the text node where it ends; never made up from text of different blocks or lines.
 */
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { findTokensAcross, mayStartSplitToken } from "../../../lib/annotations/leak-token";
import { blockOf, piecesOf, splitTokensIn } from "../../../lib/page/text-blocks";

// Real-shaped but invented, built by concatenation so secret scanners stay quiet.
const BODY = ["AbCdEfGhIj", "KlMnOpQrSt", "UvWxYz0123", "4567"].join("");
const USER = `hf${"_"}${BODY}`;
const ORG = `api${"_org_"}${BODY}`;

describe("findTokensAcross", () => {
  it("finds a token cut after its prefix, and says which pieces it spans", () => {
    expect(findTokensAcross(["token = '", "hf_", BODY, "'"])).toEqual([{ token: USER, index: 9, kind: "user", firstPiece: 1, lastPiece: 2 }]);
  });

  it("finds a token cut in many places, an org token too", () => {
    const pieces = [ORG.slice(0, 3), ORG.slice(3, 8), ORG.slice(8, 20), ORG.slice(20)];
    expect(findTokensAcross(pieces).map(({ token, firstPiece, lastPiece }) => [token, firstPiece, lastPiece])).toEqual([[ORG, 0, 3]]);
  });

  it("reports a token inside one piece as one piece (the caller already has it)", () => {
    expect(findTokensAcross(["x ", USER, " y"])).toEqual([{ token: USER, index: 2, kind: "user", firstPiece: 1, lastPiece: 1 }]);
  });

  it.each([
    ["a break between the halves", ["hf_", null, BODY]],
    ["a 35-character body once joined", ["hf_", BODY, "x"]],
    ["a word glued before the prefix", ["x", "hf_", BODY]],
    ["halves that are not adjacent", ["hf_", " ", BODY]],
  ])("finds nothing with %s", (_name, pieces) => {
    expect(findTokensAcross(pieces)).toEqual([]);
  });
});

describe("mayStartSplitToken", () => {
  it.each([["hf_"], ["x = hf_Ab"], ["hf"], ["(api"], ["api_org"], ["key: api_org_"]])("%s may start one", (text) => {
    expect(mayStartSplitToken(text)).toBe(true);
  });
  it.each([["with"], ["self"], ["rapid"], ["map"], ["x".repeat(500)], [""]])("%s may not", (text) => {
    expect(mayStartSplitToken(text)).toBe(false);
  });
});

function documentOf(body: string): Document {
  return parseHTML(`<!doctype html><html><body><main>${body}</main></body></html>`).document;
}

function textNodes(root: Element): Text[] {
  const out: Text[] = [];
  const visit = (node: Node) => {
    if (node.nodeType === 3) out.push(node as Text);
    for (const child of Array.from(node.childNodes)) visit(child);
  };
  visit(root);
  return out;
}

/** What the content script does: the block of each text node that may start a token, then the tokens split over a block. */
function splitTokensOf(doc: Document): { node: string; tokens: string[] }[] {
  const main = doc.querySelector("main") as Element;
  const blocks = new Set(textNodes(main).filter((text) => mayStartSplitToken(text.data)).map((text) => blockOf(text, main)));
  return [...splitTokensIn(blocks)].map(([node, tokens]) => ({ node: node.data, tokens }));
}

describe("splitTokensIn, on highlighted code", () => {
  it("finds a token highlighted in two spans, on the span where it ends", () => {
    const doc = documentOf(`<table><tr><td class="blob-line"><span class="hljs-attr">token</span>=<span class="hljs-string">"<span>hf_</span><span>${BODY}</span>"</span></td></tr></table>`);
    expect(splitTokensOf(doc)).toEqual([{ node: BODY, tokens: [USER] }]);
  });

  it("reads through nested inline elements (links, emphasis, code)", () => {
    const doc = documentOf(`<p>Use <code><b>api</b><i>_org_</i><a href="#">${BODY.slice(0, 10)}</a>${BODY.slice(10)}</code> here.</p>`);
    expect(splitTokensOf(doc)).toEqual([{ node: BODY.slice(10), tokens: [ORG] }]);
  });

  it("never joins text of two table cells, two lines, two paragraphs or across a line break", () => {
    const doc = documentOf(
      `<table><tr><td><span>hf_</span></td><td><span>${BODY}</span></td></tr></table>` +
        `<div><span>hf_</span></div><div><span>${BODY}</span></div>` +
        `<p><span>hf_</span></p><p>${BODY}</p>` +
        `<p><span>hf_</span><br><span>${BODY}</span></p>`,
    );
    expect(splitTokensOf(doc)).toEqual([]);
  });

  it("leaves out scripts, styles and our own marks, and text being edited", () => {
    const doc = documentOf(`<p><span>hf_</span><script>${BODY}</script></p><div contenteditable="true"><span>hf_</span><span>${BODY}</span></div>`);
    expect(splitTokensOf(doc)).toEqual([]);
    const marked = documentOf(`<p><span>hf_</span><hub-sentinel-leak></hub-sentinel-leak><span>${BODY}</span></p>`);
    expect(splitTokensOf(marked)).toEqual([{ node: BODY, tokens: [USER] }]);
  });

  it("leaves a token held by one text node to the per-node pass", () => {
    const doc = documentOf(`<p><span>${USER}</span></p>`);
    expect(splitTokensOf(doc)).toEqual([]);
  });

  it("gives the block's pieces in reading order, with a break for each nested block", () => {
    const doc = documentOf(`<div>a<span>b<em>c</em></span><p>inner</p>d</div>`);
    const div = doc.querySelector("div") as Element;
    expect(piecesOf(div).pieces).toEqual(["a", "b", "c", null, "d"]);
  });
});
