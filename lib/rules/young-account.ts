/**
 * young-account: the author is a user account created within the last 30 days.
 * Example: a user who joined last week and uploads a `pytorch_model.bin`, e.g.
 * https://huggingface.co/{new-user}/{model} (the JFrog 2024 malicious models came from fresh accounts).
 *
 * Age is measured from `facts.fetchedAt`, not the clock: the contract lets a verdict change only when
 * the facts change, never because time passed while a page stayed open. Organizations carry no
 * creation date in their overview, so only users are judged.
 */
import type { RepoFinding } from "../findings";
import { authorUrl } from "../hub/links";
import { DAY_MS, dateWords, parseTime, pickleFiles } from "./shared";
import type { Rule } from "./types";

export const YOUNG_ACCOUNT_DAYS = 30;

export const youngAccountRule: Rule = {
  id: "young-account",
  evaluate(facts) {
    // An author-overview gap is reported by unverified-author.
    if (!facts.author.ok || facts.author.value.kind !== "user") return [];
    const author = facts.author.value;
    const created = parseTime(author.createdAt);
    if (created === undefined) {
      return [
        {
          id: "young-account",
          level: "unknown",
          title: `Could not tell how old ${author.name}'s account is`,
          explanation: "The Hub's user overview gave no creation date, so a brand-new account cannot be ruled out.",
          evidence: [{ label: `${author.name}'s profile`, url: authorUrl(author.name) }],
          advice: ["Look at the account's profile and activity before trusting its files."],
        },
      ];
    }
    const ageDays = Math.floor((facts.fetchedAt - created) / DAY_MS);
    if (ageDays > YOUNG_ACCOUNT_DAYS) return [];
    const pickles = pickleFiles(facts);
    const finding: RepoFinding = {
      id: "young-account",
      level: pickles.length > 0 ? "warn" : "info",
      title: `${author.name}'s account is ${ageDays <= 0 ? "less than a day" : `${ageDays} day${ageDays === 1 ? "" : "s"}`} old`,
      explanation: [
        `The account was created on ${dateWords(author.createdAt ?? "")}.`,
        pickles.length > 0
          ? "A brand-new account uploading pickle files is the pattern of the malicious models found on the Hub in 2024."
          : "New accounts are normal, but they have no track record yet.",
      ].join(" "),
      evidence: [{ label: `${author.name}'s profile`, url: authorUrl(author.name) }],
      advice:
        pickles.length > 0
          ? ["Do not load this account's pickle files unless you know who is behind it."]
          : ["Check the account's profile if you rely on this repo."],
    };
    return [finding];
  },
};
