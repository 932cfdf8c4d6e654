/**
 * What the pickle reader reports (scan-file.ts, classify.ts). Owned here; lib/hub carries it in
 * RepoFacts.ownScans and the Hub's own import lists use the same shape, and lib/rules reads both.
 */
export type ImportSafety = "innocuous" | "suspicious" | "dangerous";

export interface PickleImport {
  module: string;
  name: string;
  safety: ImportSafety;
}

/** Results of the extension's own pickle reader, keyed by path. */
export interface OwnPickleScan {
  path: string;
  verdict: "clean" | "suspicious" | "dangerous" | "unknown";
  imports: PickleImport[];
  /** Why the verdict is unknown (unreadable container, cap reached, malformed). */
  reason?: string;
  bytesRead: number;
  /**
   * Set when the file is a zip whose central directory was read: how many members it holds, and how many
   * pickle streams were found in them (nested archives included). A zip with none is not pickle weights.
   */
  archive?: { members: number; pickleMembers: number };
  /** Set when the file was read at a pull request's revision (`refs/pr/N`), not the one viewed. */
  pr?: number;
}
