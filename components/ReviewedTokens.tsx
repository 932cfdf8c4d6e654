/**
 * Stored token reviews (summaries only: no token, no fingerprint). No browser.* calls.
 */
import type { StoredTokenReview } from "../lib/token/audit";
import { formatDate } from "./TokenReview";

export interface ReviewedTokensProps {
  reviews: readonly StoredTokenReview[];
  /** Offer a "forget" button per entry when given. */
  onForget?: (review: StoredTokenReview) => void;
}

export function ReviewedTokens({ reviews, onForget }: ReviewedTokensProps) {
  return (
    <section class="hs-reviewed-tokens" data-hub-sentinel="reviewed-tokens" aria-label="Tokens reviewed before">
      <h2>Tokens reviewed before</h2>
      {reviews.length === 0 ? (
        <p>No token reviewed yet.</p>
      ) : (
        <ul>
          {reviews.map((r, i) => (
            <li
              key={`${r.account}:${r.tokenName ?? ""}:${r.createdAt ?? ""}:${i}`}
              data-hub-sentinel="reviewed-token"
              data-broad={r.broad ? "true" : "false"}
              data-findings={r.findingIds.join(" ")}
            >
              <span class="hs-reviewed-account">{r.account}</span>
              {" · "}
              <span class="hs-reviewed-name">{r.tokenName ?? "unnamed token"}</span>
              {" · "}
              <span>reviewed {formatDate(r.reviewedAt, "at an unknown date")}</span>
              {" · "}
              <strong>{r.broad ? "broad" : "narrow"}</strong>
              {onForget !== undefined ? (
                <>
                  {" "}
                  <button
                    type="button"
                    onClick={() => onForget(r)}
                    aria-label={`Forget the review of ${r.tokenName ?? "unnamed token"} (${r.account})`}
                  >
                    Forget
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
