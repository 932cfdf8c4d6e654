/**
 * lookalike-author: the repo's namespace imitates a well-known organization (the npm typosquat
 * lesson, risk-signals.md). Examples of what it catches: https://huggingface.co/meta-IIama/…
 * (capital I for l), https://huggingface.co/faceb00k/…, https://huggingface.co/meta-llama-official/…;
 * what it leaves alone: https://huggingface.co/meta-llama/Llama-3.1-8B (the real org),
 * https://huggingface.co/googler/… (a different word), any verified organization.
 *
 * The name comes from the repo id, so the rule still runs when the author overview failed; it then
 * says that the verified mark could not be checked.
 */
import type { RepoFinding } from "../findings";
import { authorUrl } from "../hub/links";
import { repoOwner } from "../repo-ref";
import { findLookalike } from "./lookalike";
import { pickleFiles } from "./shared";
import type { Rule } from "./types";

export const lookalikeAuthorRule: Rule = {
  id: "lookalike-author",
  evaluate(facts) {
    const name = facts.author.ok ? facts.author.value.name : repoOwner(facts.repo.id);
    // A verified organization is who it says it is, whatever its name resembles.
    if (facts.author.ok && facts.author.value.kind === "org" && facts.author.value.isVerified) return [];
    const match = findLookalike(name);
    if (!match) return [];
    const pickles = pickleFiles(facts);
    const finding: RepoFinding = {
      id: "lookalike-author",
      level: pickles.length > 0 ? "danger" : "warn",
      title: `“${name}” looks like “${match.imitates}”`,
      explanation: [
        `The author “${name}” is not the well-known “${match.imitates}”: ${match.how}.`,
        "Impersonating a trusted name is how malicious uploads get downloaded.",
        pickles.length > 0
          ? `This repo also ships ${pickles.length === 1 ? "a pickle file" : `${pickles.length} pickle files`}, which can run code when loaded.`
          : "",
        facts.author.ok ? "" : "Whether the account is verified could not be checked.",
      ]
        .filter(Boolean)
        .join(" "),
      evidence: [
        { label: `${name} (this author)`, url: authorUrl(name) },
        { label: `${match.imitates} (the well-known account)`, url: authorUrl(match.imitates) },
      ],
      advice: [
        `Use the model from ${match.imitates} itself, if that is what you were looking for.`,
        "Check the author's profile: age, other repos, followers, verified mark.",
      ],
    };
    return [finding];
  },
};
