import type { HubClient } from "../hub/client";
import type { RepoVerdictView } from "../messaging/protocol";
import { repoKey, type RepoRef } from "../repo-ref";
import type { Rule } from "../rules/types";
import { evaluateRepo, judgeRepo, type VerdictPolicy } from "../verdict/verdict";

export interface VerdictServiceOptions {
  client: HubClient;
  rules: readonly Rule[];
  /** Current settings and whether a repo is allowlisted; read on every verdict so changes apply at once. */
  policy: () => Promise<VerdictPolicy>;
  now?: () => number;
  /** Told of every change of a tab's state (new page, verdict, re-check, forgotten): the toolbar badge follows it. */
  onTabState?: (tabId: number, state: TabState | { state: "none" }) => void;
}

type TabState = { state: "pending"; repo: RepoRef } | { state: "done"; verdict: RepoVerdictView };

/**
 * Gathers facts, runs the rules and remembers each tab's latest verdict for the popup.
 * A tab's new request cancels its previous one: work for a page the user left is dropped.
 */
export function createVerdictService(options: VerdictServiceOptions) {
  const now = options.now ?? (() => Date.now());
  const running = new Map<string, AbortController>();
  const tabs = new Map<number, TabState>();
  function setTab(tabId: number, state: TabState) {
    tabs.set(tabId, state);
    options.onTabState?.(tabId, state);
  }

  async function verdictFor(repo: RepoRef, request: { authorKind?: "org" | "user"; tabId?: number }): Promise<RepoVerdictView> {
    const slot = request.tabId === undefined ? undefined : `tab:${request.tabId}`;
    const controller = new AbortController();
    if (slot) {
      running.get(slot)?.abort();
      running.set(slot, controller);
    }
    if (request.tabId !== undefined) setTab(request.tabId, { state: "pending", repo });
    try {
      const facts = await options.client.gatherRepoFacts(repo, { authorKind: request.authorKind, signal: controller.signal });
      const policy = await options.policy();
      const verdict = judgeRepo(repo, evaluateRepo(facts, options.rules, { settings: policy.settings, now: now() }), policy);
      const view: RepoVerdictView = {
        repo,
        level: verdict.level,
        findings: verdict.findings,
        allowlisted: verdict.allowlisted,
        resolvedRevision: facts.info.ok ? facts.info.value.sha : undefined,
        checkedAt: facts.fetchedAt,
      };
      if (request.tabId !== undefined && !controller.signal.aborted) setTab(request.tabId, { state: "done", verdict: view });
      return view;
    } finally {
      if (slot && running.get(slot) === controller) running.delete(slot);
    }
  }

  return {
    verdictFor,
    tabState(tabId: number): TabState | { state: "none" } {
      return tabs.get(tabId) ?? { state: "none" };
    },
    forgetTab(tabId: number) {
      running.get(`tab:${tabId}`)?.abort();
      running.delete(`tab:${tabId}`);
      if (tabs.delete(tabId)) options.onTabState?.(tabId, { state: "none" });
    },
    key: repoKey,
  };
}

export type VerdictService = ReturnType<typeof createVerdictService>;
