import type { RepoFinding } from "../findings";
import type { CardRequest, CardVerdictView, FileAnnotationsResponse, PrAnnotationsResponse, PrCandidate } from "../annotations/types";
import type { DiscussionCounts } from "../repo-ref";
import type { BudgetSnapshot } from "../hub/rate-limit";
import type { DisplayLevel, Level } from "../levels";
import type { LayoutNote } from "../page/layout-note";
import type { RepoRef } from "../repo-ref";
import type { EffectivePolicy } from "../settings/policy";
import type { DownloadGuardMode } from "../settings/types";
import type { StoredTokenReview } from "../token/audit";
import type { TokenReviewResult } from "../token/review-service";

/** What the badge shows: the verdict for one repo at one revision. */
export interface RepoVerdictView {
  repo: RepoRef;
  level: Level;
  findings: RepoFinding[];
  allowlisted: boolean;
  /** The revision the facts were read at (a commit sha when the Hub gave one). */
  resolvedRevision?: string;
  checkedAt: number;
  /**
   * The Hub's rate limit left part of this verdict unknown: ask again at this time (ms since
   * epoch), the end of the block (lib/hub/recheck.ts). Absent when nothing waits on the limit, or
   * once the Hub has refused too often in a row ("reload to try again").
   */
  recheckAt?: number;
}

/**
 * Messages from content scripts to the background. Content scripts are the least trusted
 * context (they run in pages), so nothing here carries or returns a token or settings writes.
 */
export interface ContentToBackground {
  /** `pageSha`: the commit the page's header props name, when they do (facts pinned to it are reused). */
  "repo-verdict": {
    request: { repo: RepoRef; authorKind?: "org" | "user"; pageSha?: string; discussions?: DiscussionCounts };
    response: RepoVerdictView;
  };
  /** Whether listing cards get marks (the options page's setting, read by the background). */
  "listing-annotations": {
    request: Record<string, never>;
    response: { enabled: boolean };
  };
  /** The download guard's mode (the user's setting with the organization's minimum), asked by Files tabs and file pages. */
  "download-guard": {
    request: Record<string, never>;
    response: { mode: DownloadGuardMode };
  };
  /** The tab now shows a page that is not a repo: the popup must not show the last repo's verdict. */
  "page-left": {
    request: Record<string, never>;
    response: { forgotten: boolean };
  };
  /**
   * Annotations for the file rows a tree page shows (`always`: a file view, whose file is annotated
   * whatever it holds). `readTemplates`: a row's mark was opened; a GGUF header left unread for the
   * page's byte budget is read first (a file view reads its file's too).
   */
  "file-annotations": {
    request: { repo: RepoRef; paths: string[]; authorKind?: "org" | "user"; always?: boolean; readTemplates?: boolean; discussions?: DiscussionCounts };
    response: FileAnnotationsResponse;
  };
  /** Annotations for the pull requests a discussions list or PR page shows. */
  "pr-annotations": {
    request: { repo: RepoRef; candidates: PrCandidate[]; authorKind?: "org" | "user"; discussions?: DiscussionCounts };
    response: PrAnnotationsResponse;
  };
  /** Quick verdicts for a batch of listing cards (lib/annotations/card-verdict.ts). */
  "card-verdicts": {
    request: { cards: CardRequest[] };
    /** `disabled`: listing marks are switched off (the content script removes its marks). */
    response: { cards: CardVerdictView[]; disabled?: true };
  };
  /**
   * What this page could not mark because its layout was not recognised (lib/page/layout-check.ts):
   * the whole list for the page the tab shows now (empty: everything recognised), kept for the popup.
   */
  "layout-report": {
    request: { notes: LayoutNote[] };
    response: { recorded: boolean };
  };
  /**
   * The findings panel's "Allowlist…" button: the background opens options.html with the repo in the
   * add field. It writes nothing; the user confirms on the options page, so a page cannot allowlist.
   */
  "open-allowlist": {
    request: { repoId: string };
    response: { opened: boolean };
  };
}

/** Messages from the extension's own pages (popup, options). The background refuses them from anywhere else. */
export interface PageToBackground {
  /** `rateLimit`: the Hub's meter as the background last read it (the popup says when checks are paused or blocked); `layout`: what the page's layout kept us from marking. */
  "tab-verdict": {
    request: { tabId: number };
    response: ({ state: "none" } | { state: "pending"; repo: RepoRef } | { state: "done"; verdict: RepoVerdictView }) & { rateLimit?: BudgetSnapshot; layout?: LayoutNote[] };
  };
  /** Review a token (whoami-v2, from the background). `previous`: what was stored for this token before. */
  "token-review": {
    request: { token: string; keepForSession: boolean };
    response: { result: TokenReviewResult; previous?: StoredTokenReview };
  };
  /** Reviews remembered in storage.local (summaries, never a token). */
  "token-reviews": {
    request: Record<string, never>;
    response: { reviews: ReviewedTokenEntry[] };
  };
  "token-forget": {
    request: { id: string };
    response: { reviews: ReviewedTokenEntry[] };
  };
  /** The token kept for this browser session (storage.session), or forget it. */
  "token-session": {
    request: { action: "get" | "clear" };
    response: { token?: string; previous?: StoredTokenReview };
  };
  /** The user's settings with the organization's policy applied (lib/settings/policy.ts); the popup reads `tokenReviewDisabled`. */
  "effective-policy": {
    request: Record<string, never>;
    response: EffectivePolicy;
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

export const CONTENT_MESSAGES: readonly (keyof ContentToBackground)[] = ["repo-verdict", "page-left", "listing-annotations", "download-guard", "file-annotations", "pr-annotations", "card-verdicts", "open-allowlist", "layout-report"];
export const PAGE_MESSAGES: readonly (keyof PageToBackground)[] = ["tab-verdict", "token-review", "token-reviews", "token-forget", "token-session", "effective-policy"];

/** A remembered review and the token fingerprint it is filed under (the fingerprint cannot give the token back). */
export interface ReviewedTokenEntry {
  id: string;
  review: StoredTokenReview;
}

/**
 * Messages from the extension's pages to one tab's content script (browser.tabs.sendMessage). Content scripts
 * accept them only from the extension itself (isFromExtensionPage in the content script).
 */
export interface PageToContent {
  /** Open the repo badge's findings panel. */
  "open-panel": {
    request: Record<string, never>;
    response: { opened: boolean };
  };
}

export interface ContentEnvelope<K extends keyof PageToContent = keyof PageToContent> {
  hubSentinel: 1;
  type: K;
  payload: PageToContent[K]["request"];
}

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
