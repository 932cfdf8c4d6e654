/**
 * Local check of a Hugging Face token's shape, before any request is made.
 *
 * Format (shared/reference/hub-api.md, "Tokens"): `hf_` + 34 ASCII letters/digits for user access tokens,
 * `api_org_` + 34 for the (legacy) organization API tokens. A malformed token never reaches the network:
 * whoami-v2 is heavily rate-limited and a typo should not cost a request.
 *
 * Messages never contain the token or any part of it (not even its length or the offending character),
 * so they are safe to show, log or store.
 */

export const TOKEN_BODY_LENGTH = 34;

export const TOKEN_PREFIXES = {
  user: "hf_",
  "org-api": "api_org_",
} as const;

export type TokenKind = keyof typeof TOKEN_PREFIXES;

export type TokenFormatProblem = "empty" | "wrong-prefix" | "wrong-length" | "bad-characters";

export type TokenFormatResult =
  | { ok: true; /** The trimmed token. */ token: string; kind: TokenKind }
  | { ok: false; problem: TokenFormatProblem; message: string };

const BODY_CHARS = /^[A-Za-z0-9]*$/;

export const TOKEN_FORMAT_MESSAGES: Record<TokenFormatProblem, string> = {
  empty: "Paste a Hugging Face access token to review it.",
  "wrong-prefix":
    "This does not look like a Hugging Face access token: tokens start with “hf_” (or “api_org_” for an old organization API token).",
  "wrong-length": `This token has the wrong length: after “hf_” (or “api_org_”) a token has exactly ${TOKEN_BODY_LENGTH} letters and digits. Check that it was copied whole.`,
  "bad-characters":
    "This token contains characters a Hugging Face token never has (only letters and digits follow the prefix). Check for spaces, quotes or line breaks copied along with it.",
};

function problem(p: TokenFormatProblem): TokenFormatResult {
  return { ok: false, problem: p, message: TOKEN_FORMAT_MESSAGES[p] };
}

export function checkTokenFormat(input: string): TokenFormatResult {
  const token = input.trim();
  if (token === "") return problem("empty");

  let kind: TokenKind | undefined;
  // Longest prefix first is not needed ("api_org_" and "hf_" do not overlap), but keep the order explicit.
  if (token.startsWith(TOKEN_PREFIXES["org-api"])) kind = "org-api";
  else if (token.startsWith(TOKEN_PREFIXES.user)) kind = "user";
  if (kind === undefined) return problem("wrong-prefix");

  const body = token.slice(TOKEN_PREFIXES[kind].length);
  // Characters before length: a token with a stray quote or inner space is better explained by its characters.
  if (!BODY_CHARS.test(body)) return problem("bad-characters");
  if (body.length !== TOKEN_BODY_LENGTH) return problem("wrong-length");
  return { ok: true, token, kind };
}
