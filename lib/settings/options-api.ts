import { localDay } from "./allowlist";
import type { ManagedPolicy } from "./managed";
import type { EffectivePolicy } from "./policy";
import type { UserSettings } from "./schema";
import { clearCachedFacts, loadEffectivePolicy, loadManagedPolicy, loadUserSettings, onPolicyChange, updateUserSettings } from "./storage";

/** Everything the options page shows, read at one moment. */
export interface OptionsSnapshot {
  settings: UserSettings;
  policy: EffectivePolicy;
  managed: ManagedPolicy;
  /** The user's calendar day, YYYY-MM-DD, for expiry dates. */
  today: string;
}

/**
 * What the options page may do, as an interface (Dark Reader's Connector): the components get
 * this object and never touch browser.*, so unit tests pass an in-memory one.
 */
export interface OptionsApi {
  load(): Promise<OptionsSnapshot>;
  /** Read-modify-write of the user's settings; `change` may throw to refuse, and then nothing is written. */
  update(change: (current: UserSettings) => UserSettings): Promise<OptionsSnapshot>;
  clearCachedFacts(): Promise<void>;
  /** Calls back when settings or the organization's policy change elsewhere (another tab). */
  subscribe(onChange: () => void): () => void;
}

/** The options page's API on the real browser. The options page is an extension page, so it may write settings itself. */
export function createBrowserOptionsApi(now: () => number = () => Date.now()): OptionsApi {
  async function load(): Promise<OptionsSnapshot> {
    const [policy, user, managed] = await Promise.all([loadEffectivePolicy(), loadUserSettings(), loadManagedPolicy()]);
    return { settings: user.settings, policy, managed: managed.policy, today: localDay(now()) };
  }
  return {
    load,
    async update(change) {
      await updateUserSettings(change);
      return load();
    },
    clearCachedFacts: () => clearCachedFacts(now()),
    subscribe: onPolicyChange,
  };
}
