/**
 * Hugging Face tokens visible in page text (risk-signals.md: `\b(hf_|api_org_)[A-Za-z0-9]{34}\b`).
 * Pure: the content script feeds it text nodes' data, never HTML. Nothing here, nor anywhere in
 * the extension, sends a found token anywhere (not even to check whether it is live): the reader
 * is told how to get it revoked instead.
 */
import { TOKEN_BODY_LENGTH } from "../token/format";

/**
 * `\b` on both sides, written as look-arounds over word characters so that `xhf_…`, `_hf_…` and a
 * 35-character tail are not tokens, exactly as `\b` would decide. Global: use with matchAll only.
 */
const TOKEN = new RegExp(`(?<![A-Za-z0-9_])(?:hf_|api_org_)[A-Za-z0-9]{${TOKEN_BODY_LENGTH}}(?![A-Za-z0-9_])`, "g");

/** Cheap pre-check so most text nodes never reach the regex. */
export function mayContainToken(text: string): boolean {
  return text.length >= 37 && (text.includes("hf_") || text.includes("api_org_"));
}

export interface FoundToken {
  token: string;
  index: number;
  kind: "user" | "org";
}

export function findTokens(text: string): FoundToken[] {
  if (!mayContainToken(text)) return [];
  return [...text.matchAll(TOKEN)].map((match) => ({
    token: match[0],
    index: match.index,
    kind: match[0].startsWith("api_org_") ? "org" : "user",
  }));
}

/** Enough to recognise one's own token in the settings page list, not enough to use it. */
export function maskToken(token: string): string {
  const prefix = token.startsWith("api_org_") ? "api_org_" : "hf_";
  return `${prefix}${token.slice(prefix.length, prefix.length + 2)}…${token.slice(-2)}`;
}

export const TOKEN_SETTINGS_URL = "https://huggingface.co/settings/tokens";

/**
 * Text of one block of the page in reading order, as its text nodes hold it: a syntax highlighter
 * splits `hf_…` into `<span>hf_</span><span>AbC…</span>`, so no one piece holds the token. `null`
 * stands where the text is broken (a nested block, a line break): nothing matches across it, so
 * two unrelated lines never make a token together.
 */
export type TextPieces = readonly (string | null)[];

export interface FoundAcross extends FoundToken {
  /** Index in the pieces of the piece where the token starts, and of the one where it ends. */
  firstPiece: number;
  lastPiece: number;
}

/** A piece's end that may be the start of a token cut there: `hf`, `ap`, `api`, … `api_org`, not glued to a word. */
const SPLIT_START = /(?<![A-Za-z0-9_])(?:hf|ap|api|api_|api_o|api_or|api_org)$/;

/**
 * Whether a text node may hold the start of a token that goes on in the next one: it holds `hf_`
 * or `api_org_`, or ends with a start of them. (A cut between `h` and `f_` is not looked for: no
 * highlighter splits a word there, and `h` ends too many words.) Only the tail goes to the regex.
 */
export function mayStartSplitToken(text: string): boolean {
  return text.includes("hf_") || text.includes("api_org_") || SPLIT_START.test(text.slice(-8));
}

/** Tokens in the pieces' text read together, each with the pieces it spans (one piece: it was in one text node). */
export function findTokensAcross(pieces: TextPieces): FoundAcross[] {
  const starts: number[] = [];
  let text = "";
  for (const piece of pieces) {
    starts.push(text.length);
    // A newline is no word character: the look-arounds of TOKEN treat it as a boundary.
    text += piece ?? "\n";
  }
  const pieceAt = (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  return findTokens(text).map((found) => ({ ...found, firstPiece: pieceAt(found.index), lastPiece: pieceAt(found.index + found.token.length - 1) }));
}
