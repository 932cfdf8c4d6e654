import type { RepoFinding } from "../findings";
import type { RepoFacts } from "../hub/facts";
import { levelRank, maxLevel, type Level } from "../levels";
import type { RepoRef } from "../repo-ref";
import type { Rule, RuleContext } from "../rules/types";
import type { RuleSettings } from "../settings/types";

export interface Verdict {
  level: Level;
  findings: RepoFinding[];
  /** True when an allowlist entry applied to this repo. */
  allowlisted: boolean;
}

/**
 * Runs every rule and folds the findings into a verdict: the highest level among them.
 * `ok` only when every rule ran on complete facts and found nothing, which is exactly
 * "no findings at all": a rule that lacked a fact returns an `unknown` finding.
 */
export function evaluateRepo(facts: RepoFacts, rules: readonly Rule[], context: RuleContext): RepoFinding[] {
  const findings: RepoFinding[] = [];
  for (const rule of rules) {
    if (context.settings.disabledRules.includes(rule.id)) continue;
    findings.push(...rule.evaluate(facts, context));
  }
  return findings;
}

export function levelOf(findings: readonly RepoFinding[]): Level {
  return findings.reduce<Level>((level, finding) => maxLevel(level, finding.level), "ok");
}

/**
 * The contract's allowlist effect: each finding is lowered to `info` at most, except danger
 * that comes from scanners or pickle imports, which is never hidden.
 */
export function applyAllowlist(findings: readonly RepoFinding[]): RepoFinding[] {
  return findings.map((finding) => {
    if (finding.overridesAllowlist && finding.level === "danger") return finding;
    if (finding.level === "danger" || finding.level === "warn" || finding.level === "unknown") {
      return { ...finding, level: "info", allowlistedFrom: finding.level };
    }
    return finding;
  });
}

export function buildVerdict(findings: readonly RepoFinding[], allowlisted: boolean): Verdict {
  const shown = allowlisted ? applyAllowlist(findings) : [...findings];
  return { level: levelOf(shown), findings: sortBySeverity(shown), allowlisted };
}

export function sortBySeverity(findings: RepoFinding[]): RepoFinding[] {
  return findings.sort((a, b) => levelRank(b.level) - levelRank(a.level));
}

/** What the user's settings and the organization's policy say about judging a repo. */
export interface VerdictPolicy {
  settings: RuleSettings;
  isAllowlisted: (repo: RepoRef) => boolean;
  /** Findings from policy rather than the repo (an organization's blocked author); outside the rules, so no rule switch hides them. */
  extraFindings?: (repo: RepoRef) => RepoFinding[];
}

/**
 * The one place a repo's findings meet the policy: the rules' findings (or a subset's, for listing
 * cards), the policy's own findings, then the allowlist. The badge, rows and cards all judge here.
 */
export function judgeRepo(repo: RepoRef, findings: readonly RepoFinding[], policy: VerdictPolicy): Verdict {
  return buildVerdict([...findings, ...(policy.extraFindings?.(repo) ?? [])], policy.isAllowlisted(repo));
}

