/**
 * The popup's token review: input, report, replacement links. No browser.* calls: data and callbacks come
 * through props, so the popup entrypoint only wires `createTokenReviewer(...).review` to `onCheck`.
 *
 * Contract selectors (shared/reference/contract.md, Popup): token-input, token-check, token-report
 * (data-role, data-broad, data-findings), token-error. Everything from the Hub renders as text through JSX.
 */
import { useId, useState } from "preact/hooks";
import type { TargetedEvent } from "preact";
import type { Evidence, TokenFinding } from "../lib/findings";
import { LEVEL_WORDS } from "../lib/levels";
import type { TokenReview as TokenReviewData } from "../lib/token/audit";
import { checkTokenFormat } from "../lib/token/format";
import { SCOPE_GROUP_TITLES, type DescribedScope, type GroupedScopes, type ScopeGroup } from "../lib/token/permissions";
import {
  replacementFor,
  revokeSteps,
  TOKEN_USE_CASES,
  TOKEN_USE_CASE_WORDS,
  TOKENS_SETTINGS_URL,
  type TokenUseCase,
} from "../lib/token/replacement";
import type { TokenReviewError, TokenReviewResult } from "../lib/token/review-service";

export interface TokenReviewProps {
  /** The last result for the token being shown; undefined before a check, or while a new one runs. */
  result?: TokenReviewResult;
  /** A check is running. */
  busy?: boolean;
  /**
   * Called with a token that passed the local format check (trimmed). A malformed token is reported here
   * and never reaches this callback, so no request can be made for it.
   */
  onCheck: (token: string, options: { keepForSession: boolean }) => void;
  /** Initial state of "keep for this browser session". */
  keepForSession?: boolean;
  onKeepForSessionChange?: (keep: boolean) => void;
  initialUseCase?: TokenUseCase;
  /** Pre-fills the input, e.g. with a token the user chose to keep for this browser session. */
  initialToken?: string;
}

const HUB_PREFIX = "https://huggingface.co/";

/** Only links to huggingface.co become links; anything else stays text. */
function EvidenceItem({ evidence }: { evidence: Evidence }) {
  if (evidence.url !== undefined && evidence.url.startsWith(HUB_PREFIX)) {
    return (
      <a href={evidence.url} target="_blank" rel="noopener noreferrer">
        {evidence.label}
      </a>
    );
  }
  return <span>{evidence.label}</span>;
}

export function formatDate(value: string | undefined, missing: string): string {
  if (value === undefined || value === "") return missing;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString().slice(0, 10);
}

export function roleWords(role: string | undefined): string {
  switch (role) {
    case undefined:
      return "not given by the Hub";
    case "read":
      return "read (classic token: the whole account, read-only)";
    case "write":
      return "write (classic token: the whole account, read and write)";
    case "god":
      return "god (full access)";
    case "fineGrained":
      return "fine-grained (only the permissions listed below)";
    default:
      return role;
  }
}

function ScopeList({ scopes }: { scopes: DescribedScope[] }) {
  return (
    <ul class="hs-scopes">
      {scopes.map((scope) => (
        <li key={`${scope.entityType}:${scope.entityId}`}>
          <span class="hs-scope-label">{scope.label}</span>:{" "}
          {scope.permissions.length === 0 ? (
            <span>no permissions</span>
          ) : (
            <ul>
              {scope.permissions.map((p) => (
                <li key={p.permission} data-permission={p.permission} data-known={p.known ? "true" : "false"}>
                  {p.known ? p.words : <code>{p.permission}</code>}
                  {p.known ? null : <span class="hs-unknown"> (unknown permission, shown as the Hub gave it)</span>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

const GROUP_ORDER: ScopeGroup[] = ["user", "org", "repo", "other"];

function Reach({ review }: { review: TokenReviewData }) {
  const { role, scopes } = review;
  if (role === "read" || role === "write" || role === "god") {
    return (
      <p>
        {role === "read"
          ? "A classic read token reads everything your account can read, including private repos of your organizations."
          : "A classic write token reads and writes everything your account can, in your namespace and in your organizations."}
      </p>
    );
  }
  return <ScopesByGroup scopes={scopes} />;
}

function ScopesByGroup({ scopes }: { scopes: GroupedScopes }) {
  const groups = GROUP_ORDER.filter((g) => scopes[g].length > 0);
  if (groups.length === 0 && scopes.global.length === 0 && scopes.canReadGatedRepos !== true) {
    return <p>No permissions listed.</p>;
  }
  return (
    <div class="hs-scope-groups">
      {groups.map((g) => (
        <div key={g} data-scope-group={g}>
          <h4>{SCOPE_GROUP_TITLES[g]}</h4>
          <ScopeList scopes={scopes[g]} />
        </div>
      ))}
      {scopes.global.length > 0 ? (
        <div data-scope-group="global">
          <h4>Anywhere on the Hub</h4>
          <ul>
            {scopes.global.map((p) => (
              <li key={p.permission} data-permission={p.permission} data-known={p.known ? "true" : "false"}>
                {p.known ? p.words : <code>{p.permission}</code>}
                {p.known ? null : <span class="hs-unknown"> (unknown permission, shown as the Hub gave it)</span>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {scopes.canReadGatedRepos === true ? <p>Also reads the public gated repos you were granted access to.</p> : null}
    </div>
  );
}

function FindingItem({ finding }: { finding: TokenFinding }) {
  return (
    <li class={`hs-finding hs-level-${finding.level}`} data-finding={finding.id} data-level={finding.level}>
      <p>
        <strong>
          {LEVEL_WORDS[finding.level]}: {finding.title}
        </strong>
      </p>
      <p>{finding.explanation}</p>
      {finding.evidence.length > 0 ? (
        <ul class="hs-evidence" aria-label="Evidence">
          {finding.evidence.map((e, i) => (
            <li key={i}>
              <EvidenceItem evidence={e} />
            </li>
          ))}
        </ul>
      ) : null}
      {finding.advice.length > 0 ? (
        <ul class="hs-advice" aria-label="What to do">
          {finding.advice.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function Replacement({
  broad,
  tokenName,
  initialUseCase,
}: {
  broad: boolean;
  tokenName?: string;
  initialUseCase?: TokenUseCase;
}) {
  const [useCase, setUseCase] = useState<TokenUseCase>(initialUseCase ?? "download");
  const [repo, setRepo] = useState("");
  const id = useId();
  const plan = replacementFor(useCase, useCase === "push" ? repo : undefined);
  const showRepoError = useCase === "push" && repo.trim() !== "" && !plan.ok;
  return (
    <div class="hs-replace" data-hub-sentinel="token-replace">
      <h3>{broad ? "Replace it with a narrow token" : "Need a token for another use? Make it narrow too"}</h3>
      <fieldset>
        <legend>What is this token for?</legend>
        {TOKEN_USE_CASES.map((u) => (
          <label key={u}>
            <input
              type="radio"
              name={`${id}-use`}
              value={u}
              checked={useCase === u}
              onChange={() => setUseCase(u)}
              data-hub-sentinel="token-use-case"
            />{" "}
            {TOKEN_USE_CASE_WORDS[u]}
          </label>
        ))}
      </fieldset>
      {useCase === "push" ? (
        <p>
          <label for={`${id}-repo`}>Repo it pushes to (owner/name)</label>{" "}
          <input
            id={`${id}-repo`}
            type="text"
            value={repo}
            placeholder="your-name/my-model"
            autocomplete="off"
            spellcheck={false}
            aria-invalid={showRepoError ? "true" : "false"}
            aria-describedby={showRepoError ? `${id}-repo-error` : undefined}
            onInput={(e: TargetedEvent<HTMLInputElement>) => setRepo(e.currentTarget.value)}
            data-hub-sentinel="token-push-repo"
          />
        </p>
      ) : null}
      {plan.ok ? (
        <div data-use-case={plan.plan.useCase}>
          <p>{plan.plan.summary}</p>
          <p>
            <a
              href={plan.plan.createUrl}
              target="_blank"
              rel="noopener noreferrer"
              data-hub-sentinel="token-replace-link"
            >
              Create the replacement token on huggingface.co
            </a>
          </p>
          <ol>
            {plan.plan.steps.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </div>
      ) : (
        <p id={`${id}-repo-error`} role={showRepoError ? "alert" : undefined}>
          {plan.message}
        </p>
      )}
      <h3>Then revoke the old token</h3>
      <ol data-hub-sentinel="token-revoke-steps">
        {revokeSteps(tokenName).map((s, i) => (
          <li key={i}>{s}</li>
        ))}
      </ol>
      <p>
        <a href={TOKENS_SETTINGS_URL} target="_blank" rel="noopener noreferrer" data-hub-sentinel="token-manage-link">
          Manage your access tokens
        </a>
      </p>
    </div>
  );
}

export function TokenReport({ review, initialUseCase }: { review: TokenReviewData; initialUseCase?: TokenUseCase }) {
  const headingId = useId();
  const findingIds = review.findings.map((f) => f.id).join(" ");
  return (
    <section
      class="hs-token-report"
      data-hub-sentinel="token-report"
      data-role={review.role ?? ""}
      data-broad={review.broad ? "true" : "false"}
      data-findings={findingIds}
      data-level={review.level}
      aria-labelledby={headingId}
    >
      <h2 id={headingId}>
        {review.broad ? "This token is broader than it needs to be" : "This token is not broad"}
      </h2>
      <dl>
        <dt>Account</dt>
        <dd>
          {review.account}
          {review.accountFullname !== undefined && review.accountFullname !== "" ? ` (${review.accountFullname})` : ""}
        </dd>
        <dt>Token name</dt>
        <dd>{review.tokenName ?? "not given by the Hub"}</dd>
        <dt>Role</dt>
        <dd>{roleWords(review.role)}</dd>
        <dt>Created</dt>
        <dd>{formatDate(review.createdAt, "not given by the Hub")}</dd>
        <dt>Expires</dt>
        <dd>{formatDate(review.expiresAt, "no expiry given")}</dd>
      </dl>
      {review.gaps.length > 0 ? (
        <ul class="hs-gaps" aria-label="Not known">
          {review.gaps.map((g, i) => (
            <li key={i}>{g}</li>
          ))}
        </ul>
      ) : null}
      <h3>What it can do</h3>
      <Reach review={review} />
      <h3>Findings</h3>
      {review.findings.length === 0 ? (
        <p>Nothing to report: the token is narrow and recent.</p>
      ) : (
        <ul class="hs-findings">
          {review.findings.map((f) => (
            <FindingItem key={f.id} finding={f} />
          ))}
        </ul>
      )}
      <Replacement
        broad={review.broad}
        {...(review.tokenName !== undefined ? { tokenName: review.tokenName } : {})}
        {...(initialUseCase !== undefined ? { initialUseCase } : {})}
      />
    </section>
  );
}

function ErrorMessage({ error }: { error: Pick<TokenReviewError, "kind" | "message" | "retryAfterSeconds"> }) {
  return (
    <div class="hs-token-error" data-hub-sentinel="token-error" data-kind={error.kind} role="alert">
      <p>{error.message}</p>
      {error.kind === "invalid-token" ? (
        <p>
          <a href={TOKENS_SETTINGS_URL} target="_blank" rel="noopener noreferrer">
            Manage your access tokens
          </a>
        </p>
      ) : null}
    </div>
  );
}

export function TokenReview(props: TokenReviewProps) {
  const [token, setToken] = useState(props.initialToken ?? "");
  const [keep, setKeep] = useState(props.keepForSession ?? false);
  const [localError, setLocalError] = useState<string | undefined>(undefined);
  const id = useId();

  const onSubmit = (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    const format = checkTokenFormat(token);
    if (!format.ok) {
      setLocalError(format.message);
      return;
    }
    setLocalError(undefined);
    props.onCheck(format.token, { keepForSession: keep });
  };

  const result = props.busy === true ? undefined : props.result;
  // A visible error is never shown together with a report.
  const error: Pick<TokenReviewError, "kind" | "message"> | undefined =
    localError !== undefined ? { kind: "malformed", message: localError } : result?.ok === false ? result.error : undefined;

  return (
    <div class="hs-token-review">
      <form onSubmit={onSubmit} aria-describedby={`${id}-help`}>
        <label for={`${id}-token`}>Hugging Face token to review</label>
        <input
          id={`${id}-token`}
          type="password"
          value={token}
          autocomplete="off"
          spellcheck={false}
          placeholder="hf_…"
          data-hub-sentinel="token-input"
          onInput={(e: TargetedEvent<HTMLInputElement>) => {
            setToken(e.currentTarget.value);
            setLocalError(undefined);
          }}
        />
        <p id={`${id}-help`} class="hs-help">
          The token is sent only to huggingface.co, to ask what it may do. It is never shown on web pages.
        </p>
        <label>
          <input
            type="checkbox"
            checked={keep}
            data-hub-sentinel="token-keep-session"
            onChange={(e: TargetedEvent<HTMLInputElement>) => {
              const value = e.currentTarget.checked;
              setKeep(value);
              props.onKeepForSessionChange?.(value);
            }}
          />{" "}
          Keep for this browser session
        </label>
        <button type="submit" data-hub-sentinel="token-check" disabled={props.busy === true}>
          {props.busy === true ? "Checking…" : "Review token"}
        </button>
      </form>
      <div class="hs-token-result" aria-live="polite" aria-busy={props.busy === true ? "true" : "false"}>
        {props.busy === true ? <p>Asking the Hub about this token…</p> : null}
        {error !== undefined ? (
          <ErrorMessage error={error} />
        ) : result?.ok === true ? (
          <TokenReport review={result.review} {...(props.initialUseCase !== undefined ? { initialUseCase: props.initialUseCase } : {})} />
        ) : null}
      </div>
    </div>
  );
}
