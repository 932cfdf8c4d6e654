import { browser } from "wxt/browser";
import { createVerdictService } from "../lib/background/verdict-service";
import { createAnnotationService } from "../lib/background/annotation-service";
import { createPrefetcher } from "../lib/background/prefetch";
import { createFactCache } from "../lib/hub/cache";
import { createHubClient } from "../lib/hub/client";
import { createRateBudget } from "../lib/hub/rate-limit";
import { pageHints } from "../lib/messaging/page-hints";
import { createMessageRouter } from "../lib/messaging/router";
import { RULES } from "../lib/rules";
import { allowlistPrefillPath } from "../lib/settings/allowlist";
import { withMaxLifetime } from "../lib/settings/cache-lifetime";
import { loadEffectivePolicy, onPolicyChange, warmManagedPolicy } from "../lib/settings/storage";
import { createVerdictPolicy } from "../lib/settings/verdict-policy";
import { CACHE_GENERATION_KEY, confirmCacheCleared, createFactStore } from "../lib/storage/fact-store";
import { publishRateLimit, readRateLimit } from "../lib/storage/rate-limit-signal";
import { createTokenService } from "../lib/background/token-service";
import { createSessionTokenStore, createTokenReviewStore } from "../lib/storage/token-reviews";
import { createTokenReviewer } from "../lib/token/review-service";
import { createToolbarBadges } from "../lib/background/toolbar-badge";
import { createCommandHandler } from "../lib/background/commands";

export default defineBackground(() => {
  // The organization's policy: Chromium's first storage.managed read takes seconds, so it starts on
  // the first line (and at install and browser start), while the first page is still loading.
  warmManagedPolicy();
  browser.runtime.onInstalled.addListener(() => warmManagedPolicy());
  browser.runtime.onStartup.addListener(() => warmManagedPolicy());
  // Settings and organization policy, read on every verdict (lib/settings); the cache lifetime setting caps the fact cache.
  // Verdicts on the first start after install do not wait for that read (storage.ts, `provisional`); the token review does.
  const policies = createVerdictPolicy(loadEffectivePolicy, undefined, () => loadEffectivePolicy({ provisional: true }));
  void policies.refresh().catch(() => undefined);
  onPolicyChange(() => void policies.refresh().catch(() => undefined));
  // The Hub's meter, shared by every tab: published to storage.local so open tabs say so and re-check
  // when a block ends; restored so a restarted service worker still honours the Hub's block.
  const budget = createRateBudget();
  void readRateLimit().then((signal) => signal && budget.restore(signal), () => undefined);
  budget.onChange((snapshot) => void publishRateLimit(snapshot).catch(() => undefined));
  // Results named by a file's sha256 (GGUF headers' templates) are kept for good, outside the
  // cache-lifetime setting: those bytes never change. "Clear cached facts" clears them too.
  const contentCache = createFactCache({ store: createFactStore(), maxEntries: 2000 });
  const client = createHubClient({
    fetch: (input, init) => fetch(input, init),
    cache: withMaxLifetime(createFactCache({ store: createFactStore() }), policies.cacheMaxMs),
    contentCache,
    budget,
  });
  // Start at navigation (issue 19): a Hub tab's repo facts are gathered from the moment its URL is
  // known, through the same client and cache, so the badge's request finds them ready or in flight.
  // Prefetch is optional work: under a low rate-limit meter the content script's own request does it.
  const prefetch = createPrefetcher({
    warm: (repo, options) => client.warmRepoFacts(repo, options),
    budgetAllowsOptionalWork: () => budget.allowsOptional(),
    onLeftRepo: (tabId, next) => verdicts.leftRepo(tabId, next),
  });
  // The toolbar button's badge and title follow each tab's verdict (MV3 `action`, Firefox MV2 `browserAction`).
  const toolbar = createToolbarBadges(browser.action ?? browser.browserAction);
  const verdicts = createVerdictService({
    client,
    rules: RULES,
    policy: policies.policy,
    prefetched: (tabId, repo) => prefetch.repoFor(tabId, repo),
    onTabState: (tabId, state) => toolbar.show(tabId, state),
  });
  // Only Hub URLs reach us here: without the "tabs" permission, `url` is given only for hosts we hold.
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.url !== undefined || change.status === "loading") prefetch.navigated(tabId, change.url ?? tab.url);
  });
  // Token review for the popup: summaries in storage.local, the raw token only in storage.session when asked.
  const tokens = createTokenService({
    reviewer: createTokenReviewer({ fetch: (input, init) => fetch(input, init) }),
    reviews: createTokenReviewStore(browser.storage.local),
    session: createSessionTokenStore(browser.storage.session),
    policy: () => policies.effective(),
  });
  // File rows, pull requests and listing cards: the same client, cache, rules and policy as the badge.
  const annotations = createAnnotationService({
    client,
    rules: RULES,
    policy: () => policies.policy(),
    cardsEnabled: async () => (await policies.forVerdicts()).listingAnnotations,
  });
  const route = createMessageRouter(
    {
      "repo-verdict": (payload, sender) => {
        prefetch.learnAuthorKind(payload.repo, payload.authorKind);
        return verdicts.verdictFor(payload.repo, { authorKind: payload.authorKind, pageSha: payload.pageSha, ...pageHints(payload), tabId: sender.tab?.id });
      },
      "tab-verdict": (payload) => Promise.resolve({ ...verdicts.tabState(payload.tabId), rateLimit: budget.snapshot() }),
      "listing-annotations": async () => ({ enabled: (await policies.forVerdicts()).listingAnnotations }),
      // A click-time decision a managed policy may set to "block": wait for the policy read.
      "download-guard": async () => ({ mode: (await policies.effective()).downloadGuard.mode }),
      "page-left": (_payload, sender) => {
        if (sender.tab?.id !== undefined) verdicts.forgetTab(sender.tab.id);
        return Promise.resolve({ forgotten: sender.tab?.id !== undefined });
      },
      "layout-report": (payload, sender) => {
        if (sender.tab?.id !== undefined) verdicts.noteLayout(sender.tab.id, payload.notes);
        return Promise.resolve({ recorded: sender.tab?.id !== undefined });
      },
      "file-annotations": (payload) =>
        annotations.files(payload.repo, payload.paths, { authorKind: payload.authorKind, always: payload.always, readTemplates: payload.readTemplates === true, ...pageHints(payload) }),
      "pr-annotations": (payload) => annotations.prs(payload.repo, payload.candidates, { authorKind: payload.authorKind, ...pageHints(payload) }),
      "card-verdicts": (payload) => annotations.cardVerdicts(payload.cards),
      // An organization's disableTokenReview is enforced by the token service, not only by hiding the popup's field.
      "token-review": (payload) => tokens.review(payload),
      "token-reviews": () => tokens.list(),
      "token-forget": (payload) => tokens.forget(payload),
      "token-session": (payload) => tokens.session(payload),
      "effective-policy": () => policies.effective(),
      // Opens options.html with the repo in the add field; the user confirms there. No "tabs" permission needed.
      "open-allowlist": async (payload) => {
        const path = allowlistPrefillPath(payload.repoId);
        if (!path) throw new Error("Not a Hub repo id.");
        await browser.tabs.create({ url: browser.runtime.getURL(path) });
        return { opened: true };
      },
    },
    { extensionOrigin: browser.runtime.getURL("/"), extensionId: browser.runtime.id },
  );
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  browser.tabs.onRemoved.addListener((tabId) => {
    prefetch.forgetTab(tabId);
    verdicts.closeTab(tabId);
  });
  // A tab that left the Hub keeps no verdict (its URL is hidden from us there, which is how we know).
  browser.tabs.onUpdated.addListener((tabId, _change, tab) => {
    if (toolbar.tabUpdated(tabId, tab.url) === "left-hub") verdicts.forgetTab(tabId);
  });
  // Alt+Shift+H (lib/background/commands.ts): the findings panel of the page in view.
  const onCommand = createCommandHandler({ sendToTab: (tabId, message) => browser.tabs.sendMessage(tabId, message) });
  browser.commands.onCommand.addListener((command, tab) => void onCommand(command, tab));
  // "Clear cached facts" (options page) bumps this key: drop what the memory caches hold too, and the
  // cached token answers (not the 429 back-off: the Hub asked to wait), and start the count of refusals
  // in a row again, so pages re-check by themselves after a block again. Then say it is done.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== "local" || !(CACHE_GENERATION_KEY in changes)) return;
    const generation = changes[CACHE_GENERATION_KEY]?.newValue;
    tokens.clearCache();
    budget.forgetRefusals();
    void Promise.all([client.cache.clear(), contentCache.clear()])
      .catch(() => undefined)
      .then(() => confirmCacheCleared(generation))
      .catch(() => undefined);
  });
});
