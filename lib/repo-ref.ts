export type RepoType = "model" | "dataset" | "space";

/** A repo header's `discussionsStats` (hub-pages.md): discussions and pull requests together. */
export interface DiscussionCounts {
  open: number;
  total: number;
}

export const REPO_TYPES: readonly RepoType[] = ["model", "dataset", "space"];

/** A repo on the Hub and the revision being looked at. */
export interface RepoRef {
  type: RepoType;
  /** `owner/name` */
  id: string;
  /** Branch, tag, commit sha or `refs/pr/N`; `main` when the URL names none. */
  revision: string;
}

/** The path prefix the Hub uses for a repo type in page and API URLs. */
export function repoTypePath(type: RepoType): "models" | "datasets" | "spaces" {
  return type === "model" ? "models" : type === "dataset" ? "datasets" : "spaces";
}

/** Page URL of a repo on huggingface.co: `/owner/name`, `/datasets/owner/name`, `/spaces/owner/name`. */
export function repoPagePath(type: RepoType, id: string): string {
  return type === "model" ? `/${id}` : `/${repoTypePath(type)}/${id}`;
}

export function repoOwner(id: string): string {
  return id.split("/")[0] ?? id;
}

export function repoKey(ref: RepoRef): string {
  return `${ref.type}:${ref.id}@${ref.revision}`;
}

export function isRepoType(value: unknown): value is RepoType {
  return value === "model" || value === "dataset" || value === "space";
}

/** `owner/name` as the Hub allows it (hub-pages.md URL grammar). */
const REPO_ID = /^[\w.-]{1,96}\/[\w.-]{1,96}$/;
export function isRepoId(value: string): boolean {
  return REPO_ID.test(value) && !value.includes("--") && !value.includes("..");
}
