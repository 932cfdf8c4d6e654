/**
 * The toolbar popup: this tab's verdict (from the background's cache) and the token review.
 * No browser.* calls: everything goes through the ExtensionApi prop (lib/popup/api.ts), so the popup renders in
 * unit tests with a mock. Contract selectors (shared/reference/contract.md, Popup): tab-summary, and the
 * token-* ones rendered by TokenReview.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { OPEN_FINDINGS_SHORTCUT } from "../lib/background/commands";
import type { RepoFinding } from "../lib/findings";
import { LEVEL_WORDS, LEVELS_BY_SEVERITY, type DisplayLevel } from "../lib/levels";
import type { ReviewedTokenEntry, RepoVerdictView } from "../lib/messaging/protocol";
import { LAYOUT_NOTE_ADVICE, layoutNoteText, type LayoutNote } from "../lib/page/layout-note";
import type { ExtensionApi, KeptToken, TabVerdictState } from "../lib/popup/api";
import type { RepoRef } from "../lib/repo-ref";
import type { StoredTokenReview } from "../lib/token/audit";
import type { TokenReviewResult } from "../lib/token/review-service";
import { LEVEL_ICONS } from "./level-style";
import { ReviewedTokens } from "./ReviewedTokens";
import { formatDate, TokenReview } from "./TokenReview";

export interface PopupProps {
  api: ExtensionApi;
  /** How often to ask again while the tab's verdict is pending, and for how long. */
  pollMs?: number;
  pollLimitMs?: number;
}

type TabView =
  | { state: "loading" }
  | { state: "no-tab" }
  | { state: "failed"; message: string }
  | { tabId: number; verdict: TabVerdictState };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : "no answer";
}

export function Popup({ api, pollMs = 400, pollLimitMs = 60_000 }: PopupProps) {
  return (
    <main class="hs-popup">
      <header class="hs-popup-header">
        <h1>Hub Sentinel</h1>
      </header>
      <ThisPage api={api} pollMs={pollMs} pollLimitMs={pollLimitMs} />
      <TokenGate api={api} />
    </main>
  );
}

function ThisPage({ api, pollMs, pollLimitMs }: { api: ExtensionApi; pollMs: number; pollLimitMs: number }) {
  const [view, setView] = useState<TabView>({ state: "loading" });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    const ask = async (tabId: number) => {
      try {
        const verdict = await api.tabVerdict(tabId);
        if (stopped) return;
        setView({ tabId, verdict });
        // The badge's facts are still loading: ask the background again (its state, not the Hub).
        if (verdict.state === "pending" && Date.now() - started < pollLimitMs) {
          timer = setTimeout(() => void ask(tabId), pollMs);
        }
      } catch (error) {
        if (!stopped) setView({ state: "failed", message: `The extension's background did not answer (${errorText(error)}).` });
      }
    };
    const start = async () => {
      try {
        const target = await api.targetTab();
        if (stopped) return;
        if (target === undefined) setView({ state: "no-tab" });
        else await ask(target.tabId);
      } catch (error) {
        if (!stopped) setView({ state: "failed", message: `The current tab could not be found (${errorText(error)}).` });
      }
    };
    void start();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, pollMs, pollLimitMs]);

  return (
    <section class="hs-section hs-this-page" aria-labelledby="hs-this-page-title">
      <h2 id="hs-this-page-title">This page</h2>
      {"state" in view ? (
        view.state === "loading" ? (
          <p class="hs-muted">Looking at the current tab…</p>
        ) : view.state === "failed" ? (
          <p class="hs-muted" role="alert">
            {view.message}
          </p>
        ) : (
          <NotARepo />
        )
      ) : view.verdict.state === "none" ? (
        <NotARepo />
      ) : view.verdict.state === "pending" ? (
        <TabSummary repo={view.verdict.repo} level="pending" />
      ) : (
        <TabSummary repo={view.verdict.verdict.repo} level={view.verdict.verdict.level} verdict={view.verdict.verdict} api={api} tabId={view.tabId} />
      )}
      {"verdict" in view && view.verdict.rateLimit ? <RateLimitNote budget={view.verdict.rateLimit} /> : null}
      {"verdict" in view && view.verdict.layout && view.verdict.layout.length > 0 ? <PageLayoutNotes notes={view.verdict.layout} /> : null}
    </section>
  );
}

/** The Hub's shared rate limit, when it is holding checks back (lib/hub/rate-limit.ts). */
function RateLimitNote({ budget }: { budget: NonNullable<TabVerdictState["rateLimit"]> }) {
  const at = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  const left = budget.remaining !== undefined && budget.quota !== undefined ? ` (${budget.remaining} of ${budget.quota} calls left)` : "";
  if (budget.blockedUntil > Date.now()) {
    return (
      <p class="hs-muted" data-hub-sentinel="rate-limit-note" data-state="blocked" role="status">
        The Hub is rate-limiting this network's anonymous calls until {at(budget.blockedUntil)} UTC: what it has not answered shows
        Unknown, and open Hub tabs check again by themselves then.
      </p>
    );
  }
  if (budget.savingUntil > Date.now()) {
    return (
      <p class="hs-muted" data-hub-sentinel="rate-limit-note" data-state="saving" role="status">
        This network's shared Hub rate limit is nearly used{left}: listing cards and file-row details are paused until{" "}
        {at(budget.savingUntil)} UTC, when the window resets. The repo page you are on is still checked.
      </p>
    );
  }
  return null;
}

/** What this page's changed layout kept from being marked (file rows, pull requests, cards): said, not left silent. */
function PageLayoutNotes({ notes }: { notes: LayoutNote[] }) {
  return (
    <div class="hs-layout-notes" role="status">
      {notes.map((note) => (
        <p key={note.part} class="hs-layout-note" data-hub-sentinel="layout-note" data-layout-part={note.part}>
          {layoutNoteText(note)}
        </p>
      ))}
      <p class="hs-muted hs-small">{LAYOUT_NOTE_ADVICE}</p>
    </div>
  );
}

function NotARepo() {
  return (
    <p class="hs-muted" data-hub-sentinel="tab-none">
      This tab is not a model, dataset or Space page on huggingface.co (or it was opened before Hub Sentinel started:
      reload it to check it).
    </p>
  );
}

const TYPE_WORDS: Record<RepoRef["type"], string> = { model: "Model", dataset: "Dataset", space: "Space" };

function TabSummary(props: { repo: RepoRef; level: DisplayLevel; verdict?: RepoVerdictView; api?: ExtensionApi; tabId?: number }) {
  const { repo, level, verdict, api, tabId } = props;
  const [panel, setPanel] = useState<"idle" | "opening" | "failed">("idle");
  const findings = verdict?.findings ?? [];
  const ids = [...new Set(findings.map((f) => f.id))].join(" ");

  const openPanel = async () => {
    if (api === undefined || tabId === undefined) return;
    setPanel("opening");
    try {
      setPanel((await api.openPanel(tabId)) ? "idle" : "failed");
    } catch {
      setPanel("failed");
    }
  };

  return (
    <div
      class={`hs-tab-summary hs-level-${level}`}
      data-hub-sentinel="tab-summary"
      data-repo={repo.id}
      data-repo-type={repo.type}
      data-level={level}
      data-findings={level === "pending" ? "" : ids}
    >
      <p class="hs-verdict-line">
        <span class={`hs-pill hs-pill-${level}`} aria-hidden="true">
          {LEVEL_ICONS[level]} {LEVEL_WORDS[level]}
        </span>
        <span class="hs-repo">
          <span class="hs-muted">{TYPE_WORDS[repo.type]}</span> <strong>{repo.id}</strong>
          {repo.revision !== "main" ? <span class="hs-muted"> at {repo.revision}</span> : null}
        </span>
      </p>
      <p class="hs-sr">
        Verdict: {LEVEL_WORDS[level]}
        {level === "pending" ? "" : `, ${findings.length} finding${findings.length === 1 ? "" : "s"}`}
      </p>
      {level === "pending" ? (
        <p class="hs-muted" aria-live="polite">
          Still checking this repo…
        </p>
      ) : (
        <>
          {verdict?.allowlisted === true ? <p class="hs-muted">Allowlisted: levels are lowered to Info, except danger from scanners or pickle imports.</p> : null}
          <FindingSummary findings={findings} level={level} />
          {verdict !== undefined ? (
            <p class="hs-muted hs-small">Checked {new Date(verdict.checkedAt).toISOString().slice(0, 16).replace("T", " ")} UTC.</p>
          ) : null}
          <p>
            <button
              type="button"
              class="hs-link-button"
              data-hub-sentinel="tab-open-panel"
              disabled={panel === "opening"}
              onClick={() => void openPanel()}
            >
              Open the findings panel on the page
            </button>
          </p>
          <PanelShortcut api={api} />
          {panel === "failed" ? (
            <p role="alert" class="hs-muted">
              The page did not answer. Reload it, then open the panel from the badge next to the repo name.
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

/**
 * Names the keyboard shortcut that opens the same panel from the page (lib/background/commands.ts), as the
 * browser holds it: the user may have changed or cleared it in the browser's shortcut settings.
 */
function PanelShortcut({ api }: { api?: ExtensionApi }) {
  const [shortcut, setShortcut] = useState<string | null | undefined>(api?.openPanelShortcut ? undefined : OPEN_FINDINGS_SHORTCUT);
  useEffect(() => {
    if (!api?.openPanelShortcut) return;
    let live = true;
    api.openPanelShortcut().then(
      (value) => live && setShortcut(value ?? null),
      () => live && setShortcut(OPEN_FINDINGS_SHORTCUT),
    );
    return () => {
      live = false;
    };
  }, [api]);
  if (shortcut === undefined) return null;
  return (
    <p class="hs-muted" data-part="panel-shortcut" data-shortcut={shortcut ?? ""}>
      {shortcut === null ? (
        <>No keyboard shortcut is set for the panel; choose one in the browser's extension shortcut settings.</>
      ) : (
        <>
          On the page, <kbd>{shortcut}</kbd> opens it too (change it in the browser's extension shortcut settings).
        </>
      )}
    </p>
  );
}

function FindingSummary({ findings, level }: { findings: RepoFinding[]; level: DisplayLevel }) {
  if (findings.length === 0) {
    return (
      <p class="hs-muted">{level === "ok" ? "Everything Hub Sentinel checks was checked, and nothing was found." : "No findings."}</p>
    );
  }
  const sorted = LEVELS_BY_SEVERITY.flatMap((l) => findings.filter((f) => f.level === l));
  return (
    <ul class="hs-tab-findings">
      {sorted.map((f, i) => (
        <li key={`${f.id}-${i}`} class={`hs-level-${f.level}`} data-finding={f.id} data-level={f.level}>
          <span class={`hs-dot hs-pill-${f.level}`} aria-hidden="true">
            {LEVEL_ICONS[f.level]}
          </span>{" "}
          <span>
            <span class="hs-sr">{LEVEL_WORDS[f.level]}: </span>
            {f.title}
          </span>
        </li>
      ))}
    </ul>
  );
}

interface TokenState {
  result?: TokenReviewResult;
  previous?: StoredTokenReview;
  busy: boolean;
}

/** The token review, unless the user's organization turned it off; then a plain note says so. */
function TokenGate({ api }: { api: ExtensionApi }) {
  const [allowed, setAllowed] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    api.tokenReviewAllowed().then(
      (answer) => !stopped && setAllowed(answer),
      // The background enforces the policy itself, so an unreadable policy can show the form.
      () => !stopped && setAllowed(true),
    );
    return () => {
      stopped = true;
    };
  }, [api]);
  if (allowed === undefined) return null;
  if (!allowed) {
    return (
      <section class="hs-section hs-token" aria-labelledby="hs-token-title">
        <h2 id="hs-token-title">Review a Hub token</h2>
        <p class="hs-muted" data-part="token-disabled">
          Your organization has turned off token review in Hub Sentinel. Ask your administrator how tokens are reviewed where you work.
        </p>
      </section>
    );
  }
  return <TokenSection api={api} />;
}

function TokenSection({ api }: { api: ExtensionApi }) {
  const [kept, setKept] = useState<KeptToken | undefined>(undefined);
  const [keptFailed, setKeptFailed] = useState(false);
  const [state, setState] = useState<TokenState>({ busy: false });
  const [reviews, setReviews] = useState<ReviewedTokenEntry[]>([]);
  const [listError, setListError] = useState<string | undefined>(undefined);
  const request = useRef(0);

  useEffect(() => {
    let stopped = false;
    api.keptToken().then(
      (answer) => {
        if (!stopped) setKept(answer);
      },
      () => {
        // The form still works: it just starts empty.
        if (!stopped) {
          setKept({});
          setKeptFailed(true);
        }
      },
    );
    api.reviewedTokens().then(
      (list) => {
        if (!stopped) setReviews(list);
      },
      (error: unknown) => {
        if (!stopped) setListError(`Reviewed tokens could not be read (${errorText(error)}).`);
      },
    );
    return () => {
      stopped = true;
    };
  }, [api]);

  const check = async (token: string, options: { keepForSession: boolean }) => {
    const mine = ++request.current;
    setState({ busy: true });
    let next: TokenState;
    try {
      const answer = await api.reviewToken(token, options);
      next = { busy: false, result: answer.result, ...(answer.previous !== undefined ? { previous: answer.previous } : {}) };
    } catch (error) {
      next = {
        busy: false,
        result: { ok: false, error: { kind: "network", message: `The extension's background did not answer (${errorText(error)}). Nothing was checked.` } },
      };
    }
    if (mine !== request.current) return;
    setState(next);
    // The background decides what is kept (never a malformed or rejected token): show what it did.
    api.keptToken().then(
      (answer) => setKept(answer),
      () => setKeptFailed(true),
    );
    try {
      setReviews(await api.reviewedTokens());
      setListError(undefined);
    } catch (error) {
      setListError(`Reviewed tokens could not be read (${errorText(error)}).`);
    }
  };

  const forget = async (review: StoredTokenReview) => {
    const entry = reviews.find((e) => e.review === review);
    if (entry === undefined) return;
    try {
      setReviews(await api.forgetReview(entry.id));
      setListError(undefined);
    } catch (error) {
      setListError(`The review could not be forgotten (${errorText(error)}).`);
    }
  };

  const onKeepChange = (keep: boolean) => {
    // Unticking forgets the kept token at once; ticking keeps the next token checked.
    if (!keep) {
      setKept({});
      api.forgetKeptToken().catch(() => setKeptFailed(true));
    }
  };

  return (
    <section class="hs-section hs-token" aria-labelledby="hs-token-title">
      <h2 id="hs-token-title">Review a Hub token</h2>
      {kept === undefined ? (
        <p class="hs-muted">Loading…</p>
      ) : (
        <>
          {kept.token !== undefined ? (
            <p class="hs-muted hs-small" data-hub-sentinel="token-kept">
              A token is kept for this browser session (in memory only; untick the box to forget it).
            </p>
          ) : null}
          {keptFailed ? <p class="hs-muted hs-small">The token kept for this session could not be read or forgotten.</p> : null}
          {kept.previous !== undefined && state.result === undefined && !state.busy ? (
            <PreviousReview review={kept.previous} intro="The kept token was last reviewed" />
          ) : null}
          <TokenReview
            result={state.result}
            busy={state.busy}
            onCheck={(token, options) => void check(token, options)}
            keepForSession={kept.token !== undefined}
            onKeepForSessionChange={onKeepChange}
            {...(kept.token !== undefined ? { initialToken: kept.token } : {})}
          />
          {!state.busy && state.previous !== undefined && state.result !== undefined ? (
            <PreviousReview
              review={state.previous}
              intro={state.result.ok ? "You reviewed this token before" : "The Hub could not say now; when you last reviewed this token"}
            />
          ) : null}
        </>
      )}
      {listError !== undefined ? (
        <p class="hs-muted" role="alert">
          {listError}
        </p>
      ) : null}
      <ReviewedTokens reviews={reviews.map((e) => e.review)} onForget={(r) => void forget(r)} />
      <p class="hs-muted hs-small">
        Only a summary of each review is remembered (account, token name, role, scopes, dates), filed under a fingerprint
        that cannot be turned back into the token.
      </p>
    </section>
  );
}

function PreviousReview({ review, intro }: { review: StoredTokenReview; intro: string }) {
  return (
    <div
      class={`hs-previous ${review.broad ? "hs-previous-broad" : ""}`}
      data-hub-sentinel="token-previous"
      data-broad={review.broad ? "true" : "false"}
      data-findings={review.findingIds.join(" ")}
    >
      <p>
        {intro} on {formatDate(review.reviewedAt, "an unknown date")}: {review.account} · {review.tokenName ?? "unnamed token"} ·{" "}
        <strong>{review.broad ? "broad" : "narrow"}</strong>
        {review.findingIds.length > 0 ? ` (${review.findingIds.join(", ")})` : ""}.
      </p>
    </div>
  );
}
