import { browser } from "wxt/browser";
import { createVerdictService } from "../lib/background/verdict-service";
import { createAnnotationService } from "../lib/background/annotation-service";
import { createPrefetcher } from "../lib/background/prefetch";
import { createFactCache } from "../lib/hub/cache";
import { createHubClient } from "../lib/hub/client";
import { createMessageRouter } from "../lib/messaging/router";
import { RULES } from "../lib/rules";
import { allowlistPrefillPath } from "../lib/settings/allowlist";
import { withMaxLifetime } from "../lib/settings/cache-lifetime";
import { loadEffectivePolicy, onPolicyChange } from "../lib/settings/storage";
import { createVerdictPolicy } from "../lib/settings/verdict-policy";
import { CACHE_GENERATION_KEY, createFactStore } from "../lib/storage/fact-store";
import { createTokenService } from "../lib/background/token-service";
import { createSessionTokenStore, createTokenReviewStore } from "../lib/storage/token-reviews";
import { createTokenReviewer } from "../lib/token/review-service";

export default defineBackground(() => {
  // Settings and organization policy, read on every verdict (lib/settings); the cache lifetime setting caps the fact cache.
  const policies = createVerdictPolicy(loadEffectivePolicy);
  void policies.refresh().catch(() => undefined);
  onPolicyChange(() => void policies.refresh().catch(() => undefined));
  const client = createHubClient({
    fetch: (input, init) => fetch(input, init),
    cache: withMaxLifetime(createFactCache({ store: createFactStore() }), policies.cacheMaxMs),
  });
  // Start at navigation (issue 19): a Hub tab's repo facts are gathered from the moment its URL is
  // known, through the same client and cache, so the badge's request finds them ready or in flight.
  // TODO(issue 20): pass the Hub client's "budget allows optional work" gate as budgetAllowsOptionalWork.
  const prefetch = createPrefetcher({
    gather: (repo, options) => client.gatherRepoFacts(repo, options),
    onLeftRepo: (tabId, next) => verdicts.leftRepo(tabId, next),
  });
  const verdicts = createVerdictService({
    client,
    rules: RULES,
    policy: policies.policy,
    prefetched: (tabId, repo) => prefetch.factsFor(tabId, repo),
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
  });
  const route = createMessageRouter(
    {
      "repo-verdict": (payload, sender) => {
        prefetch.learnAuthorKind(payload.repo, payload.authorKind);
        return verdicts.verdictFor(payload.repo, { authorKind: payload.authorKind, tabId: sender.tab?.id });
      },
      "tab-verdict": (payload) => Promise.resolve(verdicts.tabState(payload.tabId)),
      "listing-annotations": async () => ({ enabled: (await policies.effective()).listingAnnotations }),
      "page-left": (_payload, sender) => {
        if (sender.tab?.id !== undefined) verdicts.forgetTab(sender.tab.id);
        return Promise.resolve({ forgotten: sender.tab?.id !== undefined });
      },
      "file-annotations": (payload) => annotations.files(payload.repo, payload.paths, { authorKind: payload.authorKind, always: payload.always }),
      "pr-annotations": (payload) => annotations.prs(payload.repo, payload.candidates, { authorKind: payload.authorKind }),
      "card-verdicts": async (payload) => ({ cards: await annotations.cards(payload.cards) }),
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
    verdicts.forgetTab(tabId);
  });
  // "Clear cached facts" (options page) bumps this key; drop what the memory cache holds too.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && CACHE_GENERATION_KEY in changes) void client.cache.clear();
  });
  // The same button drops cached token answers (not the 429 back-off: the Hub asked to wait).
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && CACHE_GENERATION_KEY in changes) tokens.clearCache();
  });
});
