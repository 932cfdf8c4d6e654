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
