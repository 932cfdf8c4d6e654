/**
 * fetch-failed: the repo's own info could not be fetched, so the page cannot be judged.
 * Examples: a private or missing repo (https://huggingface.co/api/models/{owner}/{name} → 401 RepoNotFound),
 * a gated repo (403), rate limiting (429 with RateLimit/Retry-After).
 *
 * Other rules report gaps in the facts they need; gaps that fail the same way as the info request
 * are folded into this one finding (see coveredByFetchFailed), so a private repo shows one honest
 * `unknown`, not a dozen.
 */
import type { RepoFinding } from "../findings";
import { GAP_WORDS, type Gap } from "../hub/gaps";
import type { RepoFacts } from "../hub/facts";
import { repoUrl } from "../hub/links";
import { gapFinding } from "./gap-finding";
import type { Rule } from "./types";

const FACT_WORDS: Record<"files" | "security" | "pullRequests" | "author", string> = {
  files: "the file list",
  security: "the security status",
  pullRequests: "pull requests",
  author: "the author",
};

function sameKindGaps(facts: RepoFacts, gap: Gap): string[] {
  return (Object.keys(FACT_WORDS) as (keyof typeof FACT_WORDS)[])
    .filter((key) => {
      const fact = facts[key];
      return !fact.ok && fact.gap.kind === gap.kind;
    })
    .map((key) => FACT_WORDS[key]);
}

export const fetchFailedRule: Rule = {
  id: "fetch-failed",
  evaluate(facts) {
    if (facts.info.ok) return [];
    const gap = facts.info.gap;
    const base = gapFinding("fetch-failed", "this repo", gap);
    const also = sameKindGaps(facts, gap);
    const finding: RepoFinding = {
      ...base,
      title: `Could not fetch this repo: ${GAP_WORDS[gap.kind]}`,
      explanation: [
        gap.message,
        gap.status !== undefined ? `(HTTP ${gap.status})` : "",
        also.length > 0 ? `For the same reason, ${also.join(", ")} could not be checked either.` : "",
        "Nothing about this repo has been checked, so it must not be read as safe.",
      ]
        .filter(Boolean)
        .join(" "),
      evidence: [{ label: "Repo page", url: repoUrl(facts.repo) }],
    };
    return [finding];
  },
};
