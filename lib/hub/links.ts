import { repoPagePath, type RepoRef } from "../repo-ref";

export const HUB_ORIGIN = "https://huggingface.co";

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The blob page of a file (or the tree page when `path` is empty), at the revision being viewed. */
export function fileUrl(repo: RepoRef, path: string): string {
  const base = `${HUB_ORIGIN}${repoPagePath(repo.type, repo.id)}`;
  const rev = encodeURIComponent(repo.revision);
  return path === "" ? `${base}/tree/${rev}` : `${base}/blob/${rev}/${encodePath(path)}`;
}

/** The tree page of a folder (the repo's root for ""), at the revision being viewed. */
export function folderUrl(repo: RepoRef, folder: string): string {
  const base = `${HUB_ORIGIN}${repoPagePath(repo.type, repo.id)}/tree/${encodeURIComponent(repo.revision)}`;
  return folder === "" ? base : `${base}/${encodePath(folder)}`;
}

export function discussionUrl(repo: RepoRef, num: number): string {
  return `${HUB_ORIGIN}${repoPagePath(repo.type, repo.id)}/discussions/${num}`;
}

export function repoUrl(repo: RepoRef): string {
  return `${HUB_ORIGIN}${repoPagePath(repo.type, repo.id)}`;
}

export function authorUrl(name: string): string {
  return `${HUB_ORIGIN}/${encodeURIComponent(name)}`;
}
