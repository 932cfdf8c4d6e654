/**
 * unverified-author: the author is a user account, or an organization without the verified mark.
 * Examples: https://huggingface.co/TheBloke (a user, `info`), https://huggingface.co/meta-llama (a verified
 * org: no finding), a user publishing only unscanned pickles (`warn`: the JFrog pattern of 2024).
 *
 * Most of the Hub is unverified and fine, so on its own this is `info`; it becomes a warning only
 * next to pickle weights that nothing vouches for, the combination behind the 2024 malicious uploads.
 */
import type { RepoFinding } from "../findings";
import { authorUrl } from "../hub/links";
import { ruleGap } from "./gap-finding";
import { summarize, unvouchedPickleWeights } from "./shared";
import type { Rule } from "./types";

export const unverifiedAuthorRule: Rule = {
  id: "unverified-author",
  evaluate(facts) {
    if (!facts.author.ok) return ruleGap(facts, "unverified-author", "who the author is", facts.author.gap);
    const author = facts.author.value;
    if (author.kind === "org" && author.isVerified) return [];
    const unvouched = unvouchedPickleWeights(facts);
    const who = author.kind === "org" ? `the organization “${author.name}”, which is not verified` : `the user account “${author.name}”`;
    const finding: RepoFinding = {
      id: "unverified-author",
      level: unvouched.length > 0 ? "warn" : "info",
      title: author.kind === "org" ? `Unverified organization: ${author.name}` : `Published by a user account: ${author.name}`,
      explanation: [
        `This repo belongs to ${who}. Hugging Face verifies organizations it has confirmed; users and other organizations can pick any name.`,
        unvouched.length > 0
          ? `It publishes pickle weights that no scan has cleared (${summarize(unvouched.map((f) => f.path))}): loading them runs whatever they contain, so trust in the author is all that stands in between.`
          : "",
      ]
        .filter(Boolean)
        .join(" "),
      evidence: [{ label: `${author.name}'s profile`, url: authorUrl(author.name) }],
      advice:
        unvouched.length > 0
          ? ["Check the author's profile before loading the pickle files, or look for a safetensors copy from a verified organization."]
          : ["Check the author's profile if you rely on this repo."],
    };
    return [finding];
  },
};
