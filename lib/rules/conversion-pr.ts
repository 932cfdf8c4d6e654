/**
 * conversion-pr: an open or recently merged Safetensors-conversion PR by `SFconvertbot`, or a PR
 * that imitates one. Examples: https://huggingface.co/openai-community/gpt2/discussions (bot PRs
 * titled "Adding `safetensors` variant of this model"), https://huggingface.co/{owner}/{name}/discussions/{n}.
 *
 * Why it matters (HiddenLayer, 2024): the conversion service unpickles what it converts and its bot
 * token could leak, so anyone could open PRs "as the bot". transformers auto-loads `refs/pr/N` of an
 * open bot PR when main has only `.bin` weights, so such a PR can feed real downloads. A genuine
 * conversion only *adds* `*.safetensors` (+ `*.safetensors.index.json`): anything else is suspect,
 * and so is the bot's exact title from another account. One finding per PR, so the discussions list
 * can annotate each PR.
 */
import type { RepoFinding } from "../findings";
import { fileName, isPickleFormat, isSafetensors, isSafetensorsIndex } from "../hub/file-kinds";
import type { ChangedFile, PullRequest, RepoFacts } from "../hub/facts";
import { discussionUrl, fileUrl } from "../hub/links";
import { gapFinding, ruleGap } from "./gap-finding";
import { listedFiles, summarize, withinDays } from "./shared";
import type { Rule } from "./types";

export const CONVERSION_BOT = "SFconvertbot";
export const CONVERSION_TITLE = "Adding `safetensors` variant of this model";
export const RECENT_MERGE_DAYS = 90;

export function isConversionBot(author: string | undefined): boolean {
  return author !== undefined && author.toLowerCase() === CONVERSION_BOT.toLowerCase();
}

export function hasConversionTitle(title: string): boolean {
  return title.trim() === CONVERSION_TITLE;
}

/** A change a genuine conversion makes: adding safetensors weights or their index. */
export function isConversionChange(change: ChangedFile): boolean {
  return change.change === "added" && (isSafetensors(change.path) || isSafetensorsIndex(change.path));
}

function changeWords(change: ChangedFile): string {
  return `${change.change} ${change.path}`;
}

export const conversionPrRule: Rule = {
  id: "conversion-pr",
  evaluate(facts) {
    if (!facts.pullRequests.ok) return ruleGap(facts, "conversion-pr", "pull requests", facts.pullRequests.gap);
    const findings: RepoFinding[] = [];
    for (const pr of facts.pullRequests.value) {
      const finding = judge(pr, facts);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function judge(pr: PullRequest, facts: RepoFacts): RepoFinding | undefined {
  const fromBot = isConversionBot(pr.author);
  const botTitle = hasConversionTitle(pr.title);
  if (!fromBot && !botTitle) return undefined;
  const open = pr.status === "open" || pr.status === "draft";
  const recentlyMerged = pr.status === "merged" && withinDays(pr.mergedAt ?? pr.createdAt, facts.fetchedAt, RECENT_MERGE_DAYS);
  const evidence = [{ label: `PR #${pr.num}: ${pr.title}`, url: discussionUrl(facts.repo, pr.num) }];
  const state = open ? "open" : "merged";
  const base = { id: "conversion-pr" as const, evidence };

  if (!fromBot) {
    // An impostor stays relevant whatever its age while open or merged: its files are there to load.
    if (!open && pr.status !== "merged") return undefined;
    const who = pr.author ? `“${pr.author}”` : "an account that no longer exists";
    return {
      ...base,
      level: "danger",
      title: `PR #${pr.num} imitates the Safetensors conversion bot`,
      explanation: `This ${state} pull request carries the conversion bot's exact title but was opened by ${who}, not by ${CONVERSION_BOT}. A look-alike conversion PR is a known way to slip altered weights into a repo.`,
      advice: [
        `Do not load the PR's revision (refs/pr/${pr.num}).`,
        pr.status === "merged"
          ? "Its changes were merged: check what it changed before trusting the weights on main."
          : "If you own the repo, close it and report the account.",
      ],
    };
  }
  if (!open && !recentlyMerged) return undefined;

  const changed = pr.changedFiles;
  if (!open && changed === undefined) {
    // The client does not compare merged PRs with main (main now holds their files), so what the
    // bot changed is judged with main's own files: their scans and pickle imports.
    return {
      ...base,
      level: "info",
      title: `Safetensors conversion PR #${pr.num} merged recently`,
      explanation: `${CONVERSION_BOT}'s PR #${pr.num} was merged into main. Its files are now part of main and are checked with the rest of main's files (scans, pickle imports).`,
      advice: ["Open the PR's \"Files changed\" if you want to see exactly what the bot added."],
    };
  }
  if (changed === undefined || !changed.ok) {
    const gap = changed?.ok === false ? changed.gap : undefined;
    const finding = gap
      ? gapFinding("conversion-pr", `what PR #${pr.num} changes`, gap)
      : {
          ...base,
          level: "unknown" as const,
          title: `Could not check what PR #${pr.num} changes`,
          explanation: "",
          advice: [`Open the PR's "Files changed" and check it only adds .safetensors files.`],
        };
    return {
      ...finding,
      evidence,
      explanation: `${CONVERSION_BOT}'s ${state} conversion PR #${pr.num} should only add safetensors files, but the files it changes could not be read${gap ? `: ${gap.message}` : "."} A PR that changes anything else would be dangerous.`,
    };
  }

  const unexpected = changed.value.filter((change) => !isConversionChange(change));
  if (unexpected.length > 0 || changed.value.length === 0) {
    return {
      ...base,
      level: "danger",
      title: `PR #${pr.num} from ${CONVERSION_BOT} changes more than safetensors files`,
      explanation:
        changed.value.length === 0
          ? `This ${state} PR from ${CONVERSION_BOT} adds no safetensors file at all, which a genuine conversion always does.`
          : `A genuine conversion PR only adds .safetensors files and their index. This ${state} one also ${summarize(unexpected.map(changeWords), 5)}. The bot's token is known to have been exposed (HiddenLayer, 2024), so a PR in its name is not proof that the bot made it.`,
      evidence: [
        ...evidence,
        ...unexpected.slice(0, 10).map((change) => ({ label: changeWords(change), url: `${discussionUrl(facts.repo, pr.num)}/files` })),
      ],
      advice: [
        `Do not load refs/pr/${pr.num}.`,
        pr.status === "merged"
          ? "The PR was merged: compare main with the revision before it, and prefer the previous revision."
          : "If you own the repo, close the PR.",
      ],
    };
  }

  // A genuine-looking conversion. Open + main has only pickles = transformers may load the PR's files.
  const files = listedFiles(facts);
  const mainHasSafetensors = files.some((file) => isSafetensors(file.path));
  const mainHasPickles = files.some((file) => isPickleFormat(file.path));
  const autoLoaded = open && facts.files.ok && !mainHasSafetensors && mainHasPickles;
  const added = changed.value.map((change) => fileName(change.path));
  return {
    ...base,
    level: autoLoaded ? "warn" : "info",
    title: open
      ? `Open Safetensors conversion PR #${pr.num}${autoLoaded ? ", which transformers may load" : ""}`
      : `Safetensors conversion PR #${pr.num} merged recently`,
    explanation: [
      `${CONVERSION_BOT} ${open ? "opened" : "had merged"} PR #${pr.num}, which only adds ${summarize(added)}.`,
      autoLoaded
        ? "Main has only pickle weights, and transformers then loads the safetensors files of an open bot PR instead (its auto-conversion): people downloading this model may be getting the PR's files, which the owner has not reviewed."
        : open
          ? "It looks like a genuine conversion; the owner has not merged it."
          : "The safetensors weights on main came from the conversion bot rather than from the author's own upload.",
      facts.files.ok ? "" : "Whether main has safetensors weights of its own could not be checked.",
    ]
      .filter(Boolean)
      .join(" "),
    evidence: [...evidence, ...(autoLoaded ? [{ label: "Files on main", url: fileUrl(facts.repo, "") }] : [])],
    advice: autoLoaded
      ? [
          `Review the PR's files before loading this model: transformers may fetch them from refs/pr/${pr.num}.`,
          "If you own the repo, review and merge or close the PR.",
        ]
      : ["Nothing to do unless you rely on the PR's revision; genuine conversions only add files."],
  };
}
