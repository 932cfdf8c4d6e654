/**
 * Page text read as a person reads it, for leaked-token matching (lib/annotations/leak-token.ts):
 * a syntax-highlighted line is one block of text split over many text nodes by inline elements.
 * Only text nodes are read, never HTML or attributes; callers pass the elements in.
 */
import { findTokensAcross } from "../annotations/leak-token";

/** Elements that do not break a line of text: a token may run on through them (syntax highlighting). */
const INLINE = new Set("A ABBR B BDI BDO CITE CODE DATA DEL DFN EM FONT I INS KBD MARK Q S SAMP SMALL SPAN STRONG SUB SUP TIME U VAR".split(" "));
/** Elements whose text is not page content a person reads. */
const NOT_CONTENT = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA", "TEMPLATE", "svg"]);
/** A bound on the text read from one block, so one huge block cannot stall the tab. */
const MAX_BLOCK_CHARS = 200_000;
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** The nearest ancestor that is not inline: the block whose text reads as one line with this node's. */
export function blockOf(node: Text, root: Element): Element {
  let element = node.parentElement;
  while (element && element !== root && INLINE.has(element.tagName)) element = element.parentElement;
  return element ?? root;
}

/**
 * A block's text nodes in reading order, through inline elements; a nested block, a line break or
 * any other element breaks the text (`null`), and our own hosts and non-content elements are left out.
 */
export function piecesOf(block: Element): { pieces: (string | null)[]; nodes: (Text | undefined)[] } {
  const pieces: (string | null)[] = [];
  const nodes: (Text | undefined)[] = [];
  let chars = 0;
  const stack: Node[] = Array.from(block.childNodes).reverse();
  while (stack.length > 0 && chars < MAX_BLOCK_CHARS) {
    const node = stack.pop() as Node;
    if (node.nodeType === TEXT_NODE) {
      const data = (node as Text).data;
      pieces.push(data);
      nodes.push(node as Text);
      chars += data.length;
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const element = node as Element;
    if (NOT_CONTENT.has(element.tagName) || element.tagName.startsWith("HUB-SENTINEL")) continue;
    if (INLINE.has(element.tagName)) {
      for (let index = element.childNodes.length - 1; index >= 0; index--) {
        const child = element.childNodes[index];
        if (child) stack.push(child);
      }
      continue;
    }
    // A nested block is read on its own (it is a block of its own text nodes); here it only breaks the text.
    pieces.push(null);
    nodes.push(undefined);
  }
  return { pieces, nodes };
}

/**
 * Tokens that no single text node holds but the text of one block does (`<span>hf_</span><span>AbC…</span>`),
 * each listed on the text node where it ends. Tokens within one text node are left to the caller.
 */
export function splitTokensIn(blocks: Iterable<Element>): Map<Text, string[]> {
  const found = new Map<Text, string[]>();
  for (const block of blocks) {
    if (block.closest("[contenteditable]")) continue;
    const { pieces, nodes } = piecesOf(block);
    for (const match of findTokensAcross(pieces)) {
      const last = nodes[match.lastPiece];
      if (match.firstPiece === match.lastPiece || !last) continue;
      const tokens = found.get(last) ?? [];
      if (!tokens.includes(match.token)) tokens.push(match.token);
      found.set(last, tokens);
    }
  }
  return found;
}
