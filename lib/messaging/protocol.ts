import type { RepoFinding } from "../findings";
import type { CardRequest, CardVerdictView, FileAnnotationsResponse, PrAnnotationsResponse, PrCandidate } from "../annotations/types";
import type { DisplayLevel, Level } from "../levels";
import type { RepoRef } from "../repo-ref";

/** What the badge shows: the verdict for one repo at one revision. */
export interface RepoVerdictView {
  repo: RepoRef;
  level: Level;
  findings: RepoFinding[];
  allowlisted: boolean;
  /** The revision the facts were read at (a commit sha when the Hub gave one). */
  resolvedRevision?: string;
  checkedAt: number;
}

/**
 * Messages from content scripts to the background. Content scripts are the least trusted
 * context (they run in pages), so nothing here carries or returns a token or settings writes.
 */
export interface ContentToBackground {
  "repo-verdict": {
    request: { repo: RepoRef; authorKind?: "org" | "user" };
    response: RepoVerdictView;
  };
  /** Annotations for the file rows a tree page shows (`always`: a file view, whose file is annotated whatever it holds). */
  "file-annotations": {
    request: { repo: RepoRef; paths: string[]; authorKind?: "org" | "user"; always?: boolean };
    response: FileAnnotationsResponse;
  };
  /** Annotations for the pull requests a discussions list or PR page shows. */
  "pr-annotations": {
    request: { repo: RepoRef; candidates: PrCandidate[]; authorKind?: "org" | "user" };
    response: PrAnnotationsResponse;
  };
  /** Quick verdicts for a batch of listing cards (lib/annotations/card-verdict.ts). */
  "card-verdicts": {
    request: { cards: CardRequest[] };
    response: { cards: CardVerdictView[] };
  };
}

/** Messages from the extension's own pages (popup, options). The background refuses them from anywhere else. */
export interface PageToBackground {
  "tab-verdict": {
    request: { tabId: number };
    response: { state: "none" } | { state: "pending"; repo: RepoRef } | { state: "done"; verdict: RepoVerdictView };
  };
}

export type Protocol = ContentToBackground & PageToBackground;
export type MessageType = keyof Protocol;
export type RequestOf<K extends MessageType> = Protocol[K]["request"];
export type ResponseOf<K extends MessageType> = Protocol[K]["response"];

export interface Envelope<K extends MessageType = MessageType> {
  hubSentinel: 1;
  type: K;
  payload: RequestOf<K>;
}

export const CONTENT_MESSAGES: readonly (keyof ContentToBackground)[] = ["repo-verdict", "file-annotations", "pr-annotations", "card-verdicts"];
export const PAGE_MESSAGES: readonly (keyof PageToBackground)[] = ["tab-verdict"];

export function isEnvelope(value: unknown): value is Envelope {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { hubSentinel?: unknown }).hubSentinel === 1 &&
    typeof (value as { type?: unknown }).type === "string"
  );
}

/** For the badge while the background works. */
export type BadgeState = { level: DisplayLevel; findings: RepoFinding[]; allowlisted: boolean; revision: string };
