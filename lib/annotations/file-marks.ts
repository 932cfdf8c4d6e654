/**
 * What the content script knows of each file's own mark (issue 27): the answers the file rows
 * already get from the background, kept where the download guard can read them synchronously in
 * a click handler, so that a click on a file at `ok` or `info` is never held (nor delayed) to ask.
 * Keyed by repo, revision and path (fileKey); one store per content script.
 */
import type { RepoRef } from "../repo-ref";
import type { FileAnnotationView } from "./types";

export type FileMark =
  | { state: "pending" }
  /** `view` undefined: the background answered and the file has no mark (nothing found about it). */
  | { state: "answered"; view?: FileAnnotationView }
  /** The question could not be answered (the extension's background did not answer): nothing is known. */
  | { state: "failed"; reason: string };

export interface FileMarks {
  get(repo: RepoRef, path: string): FileMark | undefined;
  /** A question about these paths is on its way. A path that already has an answer keeps it until the new one. */
  asking(repo: RepoRef, paths: readonly string[]): void;
  /** The answer: views for the paths that have a mark; the other asked paths have none. */
  answered(repo: RepoRef, paths: readonly string[], views: readonly FileAnnotationView[]): void;
  failed(repo: RepoRef, paths: readonly string[], reason: string): void;
  /** The mark once it is no longer pending (at once when it is not); rejects when `signal` aborts first. */
  settled(repo: RepoRef, path: string, signal?: AbortSignal): Promise<FileMark | undefined>;
}

/** The key a file is known by: repo ids are case-insensitive on the Hub, revisions and paths are not. */
export function fileKey(repo: Pick<RepoRef, "type" | "id" | "revision">, path: string): string {
  return `${repo.type}:${repo.id.toLowerCase()}@${repo.revision}:${path}`;
}

export function createFileMarks(): FileMarks {
  const marks = new Map<string, FileMark>();
  const waiting = new Map<string, Set<() => void>>();

  function set(key: string, mark: FileMark) {
    marks.set(key, mark);
    if (mark.state === "pending") return;
    const listeners = waiting.get(key);
    waiting.delete(key);
    for (const listener of listeners ?? []) listener();
  }

  return {
    get: (repo, path) => marks.get(fileKey(repo, path)),
    asking(repo, paths) {
      for (const path of paths) {
        const key = fileKey(repo, path);
        if (marks.get(key)?.state !== "answered") set(key, { state: "pending" });
      }
    },
    answered(repo, paths, views) {
      const byPath = new Map(views.map((view) => [view.path, view]));
      for (const path of new Set([...paths, ...byPath.keys()])) {
        const view = byPath.get(path);
        set(fileKey(repo, path), view ? { state: "answered", view } : { state: "answered" });
      }
    },
    failed(repo, paths, reason) {
      // A failed retry does not erase an answer already had (the rows keep their marks too).
      for (const path of paths) {
        const key = fileKey(repo, path);
        if (marks.get(key)?.state !== "answered") set(key, { state: "failed", reason });
      }
    },
    settled(repo, path, signal) {
      const key = fileKey(repo, path);
      return new Promise((resolve, reject) => {
        const current = marks.get(key);
        if (current?.state !== "pending") return resolve(current);
        const aborted = () => reject(new Error("No longer waited for."));
        if (signal?.aborted) return aborted();
        const listeners = waiting.get(key) ?? new Set<() => void>();
        waiting.set(key, listeners);
        const onAbort = () => {
          listeners.delete(done);
          aborted();
        };
        const done = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(marks.get(key));
        };
        listeners.add(done);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
  };
}
