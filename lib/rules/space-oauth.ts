/**
 * space-oauth: the Space asks visitors to "Sign in with Hugging Face" (`hf_oauth: true`), which hands
 * the Space a token with the scopes in `hf_oauth_scopes`.
 * Examples: https://huggingface.co/spaces/huggingface-projects/gradio-oauth (sign-in demo),
 * https://huggingface.co/docs/hub/spaces-oauth (the scopes).
 *
 * Scopes that let the Space act as you (write or manage repos, spend inference credit, run jobs,
 * change webhooks or endpoints) are a warning; identity-only sign-in is information.
 */
import type { RepoFinding } from "../findings";
import { fileUrl, repoUrl } from "../hub/links";
import type { Level } from "../levels";
import type { Rule } from "./types";

/** What each scope lets the Space do, in words (hub-docs spaces-oauth.md). */
export const SCOPE_WORDS: Record<string, string> = {
  openid: "know your Hugging Face identity",
  profile: "read your profile (name, avatar)",
  email: "read your email address",
  "read-billing": "see whether you have a payment method",
  "read-memberships": "see your organizations",
  "read-repos": "read your private repos",
  "gated-repos": "read gated repos you have access to",
  "contribute-repos": "create repos and open PRs in your name",
  "write-repos": "change your repos",
  "manage-repos": "create, delete and change the settings of your repos",
  "read-collections": "read your collections",
  "write-collections": "change your collections",
  "inference-api": "use inference providers and spend your credit",
  "read-endpoints": "see your Inference Endpoints",
  "write-endpoints": "create and change your Inference Endpoints (billed to you)",
  jobs: "run Jobs on your account (billed to you)",
  webhooks: "create and change your webhooks",
  "write-discussions": "post discussions and comments in your name",
};

/** Scopes that let the Space act as you or spend your money. */
export const RISKY_SCOPES: ReadonlySet<string> = new Set([
  "write-repos", "manage-repos", "inference-api", "jobs", "webhooks", "write-endpoints",
]);

/** The Hub grants these when a Space lists no scopes. */
const DEFAULT_SCOPES = ["openid", "profile"];

export const spaceOauthRule: Rule = {
  id: "space-oauth",
  evaluate(facts) {
    // An info gap is reported by fetch-failed.
    if (facts.repo.type !== "space" || !facts.info.ok) return [];
    const oauth = facts.info.value.oauth;
    if (!oauth?.enabled) return [];
    const scopes = oauth.scopes.length > 0 ? [...new Set(oauth.scopes)] : DEFAULT_SCOPES;
    const risky = scopes.filter((scope) => RISKY_SCOPES.has(scope));
    const level: Level = risky.length > 0 ? "warn" : "info";
    const words = scopes.map((scope) => `${SCOPE_WORDS[scope] ?? `“${scope}” (a scope the extension does not know)`}`);
    const finding: RepoFinding = {
      id: "space-oauth",
      level,
      title: risky.length > 0 ? `Sign-in lets this Space ${SCOPE_WORDS[risky[0] ?? ""] ?? "act as you"}${risky.length > 1 ? ` and more` : ""}` : "This Space offers Sign in with Hugging Face",
      explanation: [
        `If you sign in, the Space gets a token that can: ${words.join("; ")}.`,
        oauth.authorizedOrg ? `Sign-in is limited to members of ${oauth.authorizedOrg}.` : "",
        risky.length > 0 ? `The ${risky.join(", ")} scope${risky.length === 1 ? "" : "s"} let the Space act in your name, not just know who you are.` : "",
      ]
        .filter(Boolean)
        .join(" "),
      evidence: [{ label: "Space", url: repoUrl(facts.repo) }, { label: "README.md (hf_oauth_scopes)", url: fileUrl(facts.repo, "README.md") }],
      advice:
        risky.length > 0
          ? [
              "Sign in only if you trust the Space's author with these permissions.",
              "You can revoke access later under https://huggingface.co/settings/connected-applications.",
            ]
          : ["Signing in shares your identity with the Space's author."],
    };
    return [finding];
  },
};
