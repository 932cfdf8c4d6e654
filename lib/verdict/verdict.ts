import type { RepoFinding } from "../findings";
import type { RepoFacts } from "../hub/facts";
import { levelRank, maxLevel, type Level } from "../levels";
import type { Rule, RuleContext } from "../rules/types";

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
