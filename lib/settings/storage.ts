import { browser } from "wxt/browser";
import { CACHE_GENERATION_KEY } from "../storage/fact-store";
import { EMPTY_MANAGED_POLICY, readManagedPolicy, type ManagedPolicy } from "./managed";
import { mergePolicy, type EffectivePolicy } from "./policy";
import { formatPath, readStoredSettings, SETTINGS_VERSION, validateSettings, type UserSettings } from "./schema";

/**
 * The one place settings are read and written. The value under "settings" in storage.local carries
 * its own `version` (schema.ts), rather than WXT's `storage.defineItem` version metadata, because
 * the same document is the export format: storage and import files share one migration path and one
 * validator. storage.local, not sync: an allowlist with notes quickly passes sync's 8 KB per item.
 *
 * Reading never throws and never writes: malformed parts are left out and named in `notes`; they
 * leave storage only when the user next saves, after the options page has shown what was dropped.
 */
export { SETTINGS_KEY } from "./keys";
import { SETTINGS_KEY } from "./keys";

export async function loadUserSettings(): Promise<{ settings: UserSettings; notes: string[] }> {
  try {
    const stored = await browser.storage.local.get(SETTINGS_KEY);
    return readStoredSettings(stored[SETTINGS_KEY]);
  } catch (error) {
    return { settings: readStoredSettings(undefined).settings, notes: [`Settings could not be read (${messageOf(error)}); defaults are used.`] };
  }
}

/** Writes a complete settings document. Refuses an invalid one: callers validate first, so this is a bug guard. */
export async function saveUserSettings(settings: UserSettings): Promise<void> {
  const document = { ...settings, version: SETTINGS_VERSION };
  const { problems } = validateSettings(document);
  if (problems.length > 0) throw new Error(`Not saved: ${problems.map((problem) => `${formatPath(problem.path)}: ${problem.message}`).join(" ")}`);
  await browser.storage.local.set({ [SETTINGS_KEY]: document });
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Read, change, write, one change at a time within a page, so two quick edits (add then remove)
 * cannot overwrite each other. `change` may throw to refuse; nothing is written then.
 */
export function updateUserSettings(change: (current: UserSettings) => UserSettings): Promise<UserSettings> {
  const run = queue.then(async () => {
    const { settings } = await loadUserSettings();
    const next = change(settings);
    await saveUserSettings(next);
    return next;
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The organization's policy. Firefox rejects storage.managed.get() when no policy is installed
 * ("Managed storage manifest not found"): that is the ordinary case, not a problem worth a note.
 */
export async function loadManagedPolicy(): Promise<{ policy: ManagedPolicy; notes: string[] }> {
  try {
    const managed = browser.storage.managed as { get(keys?: null): Promise<Record<string, unknown>> } | undefined;
    if (!managed) return { policy: EMPTY_MANAGED_POLICY, notes: [] };
    return readManagedPolicy(await managed.get(null));
  } catch (error) {
    const message = messageOf(error);
    return { policy: EMPTY_MANAGED_POLICY, notes: /not found/i.test(message) ? [] : [`The organization's policy could not be read (${message}).`] };
  }
}

export async function loadEffectivePolicy(): Promise<EffectivePolicy> {
  const [user, managed] = await Promise.all([loadUserSettings(), loadManagedPolicy()]);
  return mergePolicy(user.settings, managed.policy, [...managed.notes, ...user.notes]);
}

export { onPolicyChange } from "./changes";

/** "Clear cached facts": the background watches this key and empties its caches (entrypoints/background.ts). */
export async function clearCachedFacts(now = Date.now()): Promise<void> {
  await browser.storage.local.set({ [CACHE_GENERATION_KEY]: now });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

