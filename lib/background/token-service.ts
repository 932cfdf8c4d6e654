/**
 * The background's side of the popup's token review (privileged messages: the router accepts them only from the
 * extension's own pages, lib/messaging/router.ts).
 *
 * Why here and not in the popup: the reviewer's per-fingerprint cache and its 429 back-off must outlive one
 * popup (whoami-v2 is heavily rate-limited, shared/reference/hub-api.md), and the background is the extension's
 * own context, like the popup: the token never passes through a content script or a page.
 *
 * The raw token is used for one request (createTokenReviewer), kept in storage.session only when asked, and
 * never written to storage.local/sync, logged, or put into an answer other than "token-session" (which only
 * extension pages may ask for).
 */
import type { ReviewedTokenEntry, RequestOf, ResponseOf } from "../messaging/protocol";
import { assertTokenReviewAllowed, type EffectivePolicy } from "../settings/policy";
import { summarizeForStorage, type StoredTokenReview } from "../token/audit";
import { tokenFingerprint } from "../token/fingerprint";
import { checkTokenFormat } from "../token/format";
import type { TokenReviewer, TokenReviewErrorKind } from "../token/review-service";
import type { SessionTokenStore, TokenReviewStore } from "../storage/token-reviews";

export interface TokenServiceOptions {
  reviewer: TokenReviewer;
  reviews: TokenReviewStore;
  session: SessionTokenStore;
  /**
   * The organization's policy, asked on every message: with `tokenReviewDisabled` a review is
   * refused before anything is sent, and a token kept earlier is forgotten, not handed back.
   */
  policy?: () => Promise<Pick<EffectivePolicy, "tokenReviewDisabled">>;
}

/** Errors after which the token may well be good (the Hub was not asked or could not answer): keeping it is useful. */
const KEEPABLE_ERRORS: ReadonlySet<TokenReviewErrorKind> = new Set<TokenReviewErrorKind>(["network", "timeout", "rate-limited", "malformed-response"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function createTokenService(options: TokenServiceOptions) {
  const { reviewer, reviews, session } = options;
  const policy = options.policy ?? (() => Promise.resolve({ tokenReviewDisabled: false }));

  async function entries(): Promise<ReviewedTokenEntry[]> {
    return (await reviews.list()).map((e) => ({ id: e.id, review: e.review }));
  }

  return {
    async review(payload: RequestOf<"token-review">): Promise<ResponseOf<"token-review">> {
      // Payloads come from our own pages, but are still checked: a bad one gets a message, not a crash.
      if (!isRecord(payload) || typeof payload.token !== "string" || typeof payload.keepForSession !== "boolean") {
        throw new Error("The token review request was malformed.");
      }
      assertTokenReviewAllowed(await policy());
      const format = checkTokenFormat(payload.token);
      if (!format.ok) {
        // No request, nothing stored, nothing kept.
        return { result: { ok: false, error: { kind: "malformed", message: format.message } } };
      }
      const token = format.token;
      const id = await tokenFingerprint(token);
      const previous: StoredTokenReview | undefined = await reviews.get(id);
      const result = await reviewer.review(token);

      if (result.ok) await reviews.put(id, summarizeForStorage(result.review));

      const keep = payload.keepForSession && (result.ok || KEEPABLE_ERRORS.has(result.error.kind));
      // An unticked box means nothing is kept, including a token kept earlier.
      if (keep) await session.keep(token);
      else await session.clear();

      return previous !== undefined ? { result, previous } : { result };
    },

    async list(): Promise<ResponseOf<"token-reviews">> {
      return { reviews: await entries() };
    },

    async forget(payload: RequestOf<"token-forget">): Promise<ResponseOf<"token-forget">> {
      if (!isRecord(payload) || typeof payload.id !== "string") throw new Error("The request to forget a review was malformed.");
      await reviews.forget(payload.id);
      return { reviews: await entries() };
    },

    async session(payload: RequestOf<"token-session">): Promise<ResponseOf<"token-session">> {
      if (!isRecord(payload) || (payload.action !== "get" && payload.action !== "clear")) {
        throw new Error("The request about the kept token was malformed.");
      }
      if (payload.action === "clear" || (await policy()).tokenReviewDisabled) {
        await session.clear();
        return {};
      }
      const token = await session.get();
      if (token === undefined) return {};
      const previous = await reviews.get(await tokenFingerprint(token));
      return previous !== undefined ? { token, previous } : { token };
    },

    /** "Clear cached facts" also drops cached token answers. */
    clearCache(): void {
      reviewer.clearCache();
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
