import type { RepoFinding } from "../findings";
import type { RepoRef } from "../repo-ref";
import { localDay } from "./allowlist";
import { blockedAuthorFindings, isAllowlisted, type EffectivePolicy } from "./policy";
import { DEFAULT_SETTINGS } from "./schema";
import type { RuleSettings } from "./types";

/** What the background's verdict and annotation services ask for on every request. */
export interface VerdictPolicy {
  settings: RuleSettings;
  isAllowlisted: (repo: RepoRef) => boolean;
  /** Findings that come from policy rather than from the repo: a blocked author's danger. */
  extraFindings: (repo: RepoRef) => RepoFinding[];
}

/**
 * The background's view of the policy. `policy()` reads storage on every call (a few ms), so an
 * allowlist entry or a setting applies to the very next verdict without any cache to invalidate.
 * `cacheMaxMs()` must answer synchronously (the fact cache asks while storing), so it uses the
 * latest policy read, refreshed by `refresh()` at start-up and whenever storage changes.
 */
export function createVerdictPolicy(
  load: () => Promise<EffectivePolicy>,
  now: () => number = () => Date.now(),
  /**
   * How verdicts read the policy, when it differs from `load`: the background's answers at once on
   * the first start after install, before the organization's policy has been read (storage.ts,
   * `provisional`). `effective()` (token review, options page) always uses `load`.
   */
  loadForVerdicts: () => Promise<EffectivePolicy> = load,
) {
  let latest: EffectivePolicy | undefined;
  async function read(from: () => Promise<EffectivePolicy> = load): Promise<EffectivePolicy> {
    latest = await from();
    return latest;
  }
  return {
    policy: async (): Promise<VerdictPolicy> => {
      const effective = await read(loadForVerdicts);
      const today = localDay(now());
      return {
        settings: effective.settings,
        isAllowlisted: (repo) => isAllowlisted(effective, repo, today),
        extraFindings: (repo) => blockedAuthorFindings(effective, repo),
      };
    },
    effective: () => read(),
    /** The user's part of the policy (listing marks, cache lifetime), which verdict work may read at once. */
    forVerdicts: () => read(loadForVerdicts),
    refresh: async () => {
      await read();
    },
    cacheMaxMs: () => (latest?.cacheMaxMinutes ?? DEFAULT_SETTINGS.cacheMaxMinutes) * 60_000,
  };
}
