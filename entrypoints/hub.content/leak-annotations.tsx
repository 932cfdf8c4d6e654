import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { Annotation } from "../../components/Annotation";
import { findTokens, mayStartSplitToken, maskToken, TOKEN_SETTINGS_URL } from "../../lib/annotations/leak-token";
import type { RepoFinding } from "../../lib/findings";
import { queryFirst, SELECTORS } from "../../lib/page/selectors";
import { blockOf, splitTokensIn } from "../../lib/page/text-blocks";
import { watchPage } from "../../lib/page/watch";
import { createAnnotationHost, type AnnotationHost } from "./annotation-hosts";

const HOST_TAG = "hub-sentinel-leak";
/** Elements whose text is not page content a person reads. */
const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA", "TEMPLATE", "svg"]);
/** A bound on one pass, so a huge page cannot stall the tab. */
const MAX_TEXT_NODES = 50_000;

/**
 * A `leak` annotation beside each piece of page text that holds a Hugging Face token (file views,
 * model cards, discussions). Only text nodes are read, never HTML or attributes. The token is never
 * sent anywhere, not to the background and not to the Hub (not even to check it): the annotation
 * tells the reader how to get it revoked, and shows only a masked form.
 */
export function startLeakAnnotations(ctx: ContentScriptContext, win: Window = window): void {
  const doc = win.document;
  const hosts = new Map<Text, AnnotationHost>();

  function mount(node: Text, tokens: string[]) {
    const host = createAnnotationHost(ctx, {
      name: HOST_TAG,
      doc,
      place: (element) => {
        if (node.isConnected && node.nextSibling !== element) node.after(element);
      },
    });
    hosts.set(node, host);
    host.paint(
      { "data-hub-sentinel": "leak", "data-level": "danger", "data-findings": "leaked-token" },
      <Annotation level="danger" subject={tokens.map(maskToken).join(", ")} kind="leaked token" findings={[leakFinding(tokens)]} host={host.host} />,
    );
  }

  function scan() {
    const root = queryFirst(doc, SELECTORS.contentRoot);
    if (!root) return;
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      // The cheap text test first: this runs for every text node of the page on each change, and
      // almost none can hold a token, so the ancestor walk is done only for the few that might.
      acceptNode: (node) => {
        if (!mayStartSplitToken(node.nodeValue ?? "")) return NodeFilter.FILTER_SKIP;
        const parent = node.parentElement;
        if (!parent || SKIP.has(parent.tagName) || parent.closest("[contenteditable]")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    // Each text node holding a token, with its tokens; a token split over several text nodes of one
    // block is listed on the node where it ends, so its mark follows the whole token.
    const found = new Map<Text, string[]>();
    const add = (node: Text, token: string) => {
      const tokens = found.get(node) ?? [];
      if (!tokens.includes(token)) tokens.push(token);
      found.set(node, tokens);
    };
    const blocks = new Set<Element>();
    let count = 0;
    for (let node = walker.nextNode(); node && count < MAX_TEXT_NODES; node = walker.nextNode(), count++) {
      const text = node as Text;
      for (const match of findTokens(text.data)) add(text, match.token);
      blocks.add(blockOf(text, root));
    }
    for (const [text, tokens] of splitTokensIn(blocks)) for (const token of tokens) add(text, token);
    for (const [text, tokens] of found) {
      const host = hosts.get(text);
      if (host) host.place();
      else mount(text, tokens);
    }
    // Text that went away (re-rendered, edited) takes its annotation with it.
    for (const [node, host] of hosts) {
      if (!found.has(node)) {
        host.remove();
        hosts.delete(node);
      }
    }
    const mine = new Set([...hosts.values()].map((host) => host.host));
    for (const other of Array.from(doc.querySelectorAll(HOST_TAG))) if (!mine.has(other as HTMLElement)) other.remove();
  }

  watchPage(ctx, doc, {
    onDomChange: scan,
    onLocationChange: scan,
    onThemeChange: () => {
      const dark = doc.documentElement.classList.contains("dark") ? "dark" : "light";
      for (const host of hosts.values()) host.host.setAttribute("data-theme", dark);
    },
  });
  scan();
}

/** Local-only words: nothing here was checked with the Hub, by design. */
function leakFinding(tokens: string[]): RepoFinding {
  const several = tokens.length > 1;
  return {
    id: "leaked-token",
    level: "danger",
    title: several ? `${tokens.length} Hugging Face tokens are visible here` : "A Hugging Face token is visible here",
    explanation:
      "Anyone who reads this page can copy the token and act with its owner's rights (read private repos, push changes, spend credits). " +
      "Hub Sentinel only noticed its shape on the page: it did not send the token anywhere, not even to check whether it still works.",
    evidence: [{ label: "Your access tokens (revoke or refresh one here)", url: TOKEN_SETTINGS_URL }],
    advice: [
      "If it is yours: open your access tokens settings now, invalidate (refresh) or delete this token, and create a fine-grained one in its place.",
      "If it is not yours: do not use it. Tell the owner without repeating the token (a discussion on the repo saying where it appears), or report it to Hugging Face at security@huggingface.co so it can be revoked.",
    ],
  };
}
