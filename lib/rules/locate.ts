/**
 * Which findings concern one file or one pull request, for the per-row annotations of the
 * contract (`[data-hub-sentinel="file"]`, `[data-hub-sentinel="pr"]`). Not a rule. Findings point at
 * files and PRs through their evidence links (built by lib/hub/links.ts), so matching those links is
 * enough and keeps Finding's shape unchanged.
 */
import type { RepoFinding } from "../findings";
import { discussionUrl, fileUrl } from "../hub/links";
import type { RepoRef } from "../repo-ref";

export function findingsForFile(findings: readonly RepoFinding[], repo: RepoRef, path: string): RepoFinding[] {
  const url = fileUrl(repo, path);
  return findings.filter((finding) => finding.evidence.some((evidence) => evidence.url === url));
}

export function findingsForPr(findings: readonly RepoFinding[], repo: RepoRef, num: number): RepoFinding[] {
  const url = discussionUrl(repo, num);
  return findings.filter((finding) =>
    finding.evidence.some((evidence) => evidence.url === url || evidence.url?.startsWith(`${url}/`) === true),
  );
}
