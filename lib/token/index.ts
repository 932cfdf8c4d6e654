/**
 * Token review, for the popup and background to wire:
 *
 *   const reviewer = createTokenReviewer({ fetch: globalThis.fetch.bind(globalThis) });
 *   const result = await reviewer.review(token, signal);          // TokenReviewResult
 *   if (result.ok) await saveSummary(summarizeForStorage(result.review));
 *
 * Components: components/TokenReview.tsx (props: result, busy, onCheck, …) and components/ReviewedTokens.tsx.
 */
export { checkTokenFormat, TOKEN_BODY_LENGTH, type TokenFormatResult, type TokenFormatProblem, type TokenKind } from "./format";
export { parseWhoAmI, type WhoAmI, type WhoAmIParseResult, type WhoAmIParseError } from "./whoami";
export { describePermission, groupScopes, type GroupedScopes, type DescribedScope, type PermissionDescription } from "./permissions";
export {
  auditToken,
  invalidTokenFinding,
  summarizeForStorage,
  isStoredTokenReview,
  type TokenReview,
  type StoredTokenReview,
} from "./audit";
export { tokenFingerprint } from "./fingerprint";
export {
  replacementFor,
  revokeSteps,
  checkRepoId,
  TOKENS_SETTINGS_URL,
  NEW_FINE_GRAINED_TOKEN_URL,
  type TokenUseCase,
  type ReplacementPlan,
} from "./replacement";
export {
  createTokenReviewer,
  type TokenReviewer,
  type TokenReviewerOptions,
  type TokenReviewResult,
  type TokenReviewError,
  type TokenReviewErrorKind,
} from "./review-service";
