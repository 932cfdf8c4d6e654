import type { RepoFile, RepoInfo, RepoSecurityStatus } from "./facts";
import { isKerasFormat, isPickleFormat, isWeightFile } from "./file-kinds";

/**
 * Which files the verdict and the file rows must ask paths-info about (issue 20: one API call
 * fewer for most repos).
 *
 * Per-file details answer two questions: did a scan judge the file, and when did it last change.
 * The repo info already answers both for most weight files, at repo level:
 * - `securityRepoStatus` with `scansDone: true` names every file with an issue; a file it does not
 *   name was scanned and nothing was found;
 * - `lastModified` is the date of the last commit (huggingface_hub's `ModelInfo.last_modified`),
 *   so no file changed after it.
 * Pickle and Keras files still need their details: the pickle-import scan lists what a pickle
 * imports, which is the finding the user reads, and a Keras file's per-scanner verdicts are what
 * keras-lambda sets beside its own reading. A file the repo status names is asked about too, for
 * what each scanner said. Everything else is judged from the repo-level answer, and says so.
 * The Files tab needs no more: a row is marked only for a pickle or Keras file, a finding, a
 * scanner flag or a change in the last 14 days (file-view.ts), and each of those is asked about.
 *
 * The repo-level answer is used only when it settles every question the rules ask of it: scans
 * done, and the last commit older than any window a rule looks back over (weights-changed: 14 days
 * for a change, 90 days for a merged PR). A repo changed more recently gets every file's details.
 */
export const REPO_LEVEL_QUIET_DAYS = 90;
const DAY = 24 * 60 * 60_000;

export type FileDetailPlan =
  | { kind: "all"; paths: string[] }
  | { kind: "some"; paths: string[]; fromRepoStatus: RepoFile[] };

/** Files whose scan status and last commit the rules need: weights, pickles, Keras. */
export function needsDetails(path: string): boolean {
  return isWeightFile(path) || isPickleFormat(path) || isKerasFormat(path);
}

/**
 * The plan for a repo's files: every file with `needsDetails`, or only those the repo-level
 * answer cannot stand in for, with the others described from it.
 */
export function planFileDetails(info: RepoInfo, security: RepoSecurityStatus | undefined, now: number): FileDetailPlan {
  const paths = (info.siblingPaths ?? []).filter(needsDetails);
  // Every file's details: the scans are not done, the info gave no last-commit date, or the repo changed in the last 90 days.
  const all: FileDetailPlan = { kind: "all", paths };
  if (!security?.scansDone) return all;
  const lastCommit = info.lastModified === undefined ? Number.NaN : Date.parse(info.lastModified);
  if (Number.isNaN(lastCommit) || now - lastCommit < REPO_LEVEL_QUIET_DAYS * DAY) return all;
  const flagged = new Set(security.filesWithIssues.map((issue) => issue.path));
  const asked: string[] = [];
  const fromRepoStatus: RepoFile[] = [];
  for (const path of paths) {
    if (isPickleFormat(path) || isKerasFormat(path) || flagged.has(path)) asked.push(path);
    else fromRepoStatus.push({ path, security: { status: "safe", scans: {}, fromRepoStatus: true }, changedNoLaterThan: info.lastModified });
  }
  return { kind: "some", paths: asked, fromRepoStatus };
}

/** When a file last changed, as far as the facts tell: its own last commit, or no later than the repo's. */
export function lastChangeOf(file: RepoFile): { date: string; exact: boolean } | undefined {
  if (file.lastCommit) return { date: file.lastCommit.date, exact: true };
  if (file.changedNoLaterThan) return { date: file.changedNoLaterThan, exact: false };
  return undefined;
}
