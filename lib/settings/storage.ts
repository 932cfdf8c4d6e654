import { browser } from "wxt/browser";
import { CACHE_GENERATION_KEY, whenCacheCleared } from "../storage/fact-store";
import { MANAGED_SNAPSHOT_KEY } from "./changes";
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
 * The organization's policy, read fresh from storage.managed. Firefox rejects storage.managed.get()
 * when no policy is installed ("Managed storage manifest not found"): that is the ordinary case,
 * not a problem worth a note. `read` says whether the answer is the organization's word (a failed
 * read is not, and must never replace the snapshot below).
 */
async function readManagedFresh(): Promise<{ policy: ManagedPolicy; notes: string[]; read: boolean }> {
  try {
    const managed = browser.storage.managed as { get(keys?: null): Promise<Record<string, unknown>> } | undefined;
    if (!managed) return { policy: EMPTY_MANAGED_POLICY, notes: [], read: true };
    return { ...readManagedPolicy(await managed.get(null)), read: true };
  } catch (error) {
    const message = messageOf(error);
    if (/not found/i.test(message)) return { policy: EMPTY_MANAGED_POLICY, notes: [], read: true };
    return { policy: EMPTY_MANAGED_POLICY, notes: [`The organization's policy could not be read (${message}).`], read: false };
  }
}

/**
 * Chromium's first storage.managed.get() in a fresh browser takes 2-3 s (issue 19), and the
 * background reads the policy before every verdict. So the last policy read is kept in
 * storage.local (MANAGED_SNAPSHOT_KEY), and until this context's first fresh read has answered,
 * the snapshot is used at once. The fresh read wins: when it differs, it replaces the snapshot, and
 * that write makes every open Hub tab and the options page judge again (onPolicyChange).
 *
 * The snapshot can only hold what a successful fresh read said, so it is never looser than the
 * organization's policy was: a failed read never replaces it, and a snapshot that does not read
 * back cleanly counts as none (the verdict then waits for the fresh read rather than judging as if
 * there were no policy). Without a snapshot (the first start after install) it waits too.
 */
let freshManagedAnswered = false;
let freshManagedRead: Promise<{ policy: ManagedPolicy; notes: string[]; read: boolean }> | undefined;

interface ManagedSnapshot {
  version: 1;
  policy: ManagedPolicy;
  notes: string[];
  savedAt: number;
}

async function readSnapshot(): Promise<{ policy: ManagedPolicy; notes: string[] } | undefined> {
  try {
    const stored = (await browser.storage.local.get(MANAGED_SNAPSHOT_KEY))[MANAGED_SNAPSHOT_KEY] as Partial<ManagedSnapshot> | undefined;
    if (!stored || typeof stored !== "object" || stored.version !== 1 || !Array.isArray(stored.notes) || !stored.notes.every((note) => typeof note === "string")) return undefined;
    // Storage is data like any other: validated again, and anything it would drop makes it unusable.
    const checked = readManagedPolicy(stored.policy);
    if (checked.notes.length > 0 || stored.policy === undefined) return undefined;
    return { policy: checked.policy, notes: stored.notes };
  } catch {
    return undefined;
  }
}

async function keepSnapshot(fresh: { policy: ManagedPolicy; notes: string[] }, now: number): Promise<void> {
  const json = JSON.stringify({ policy: fresh.policy, notes: fresh.notes });
  // Compared with what storage holds now (a few µs), not a memory copy: "Clear" or another context may have changed it.
  const stored = await readSnapshot();
  if (stored && JSON.stringify({ policy: stored.policy, notes: stored.notes }) === json) return;
  const snapshot: ManagedSnapshot = { version: 1, policy: fresh.policy, notes: fresh.notes, savedAt: now };
  await browser.storage.local.set({ [MANAGED_SNAPSHOT_KEY]: snapshot }).catch(() => undefined);
}

function freshManaged(): Promise<{ policy: ManagedPolicy; notes: string[]; read: boolean }> {
  const run = readManagedFresh().then(async (fresh) => {
    freshManagedAnswered = true;
    if (fresh.read) await keepSnapshot(fresh, Date.now());
    return fresh;
  });
  freshManagedRead = run;
  void run.finally(() => {
    if (freshManagedRead === run) freshManagedRead = undefined;
  });
  return run;
}

/**
 * Start this context's first fresh read of storage.managed now, if it has not started: the
 * background calls this on its first line (and at install and browser start), so the slow first
 * read runs while the first page is still loading rather than after its facts are in.
 */
export function warmManagedPolicy(): void {
  if (!freshManagedAnswered && !freshManagedRead) void freshManaged().catch(() => undefined);
}

/** Whether any snapshot is kept at all (valid or not): "nothing is kept yet" is the first start after install. */
async function snapshotKept(): Promise<boolean> {
  try {
    return (await browser.storage.local.get(MANAGED_SNAPSHOT_KEY))[MANAGED_SNAPSHOT_KEY] !== undefined;
  } catch {
    return true; // unknown: take the careful path and wait for the organization's answer
  }
}

export interface LoadManagedOptions {
  /**
   * For verdicts only (badge, rows, cards; never the token review or the options page): on the
   * first start after install, while the first fresh read has not answered and nothing is kept,
   * answer at once with no policy (`provisional`). Why this is safe, and when it applies:
   * - nothing is kept yet: no read ever succeeded in this profile (each success keeps a snapshot,
   *   an empty policy's too), so there is no known policy to honour. A snapshot that is kept but
   *   does not read back cleanly is not "nothing": the verdict then waits, as before;
   * - the verdict judged with the user's settings and no policy is a complete, honest verdict of
   *   the repo: every fact it needs has answered, nothing is `ok` by default. What a policy can
   *   change: an allowlist or trusted organization only lowers warn to info (never the scanners'
   *   or pickle imports' danger), so without it the verdict errs on the side of caution; a blocked
   *   author or a stricter minimum raises it. When the read then answers with a policy, it is kept,
   *   that first snapshot counts as a policy change (changes.ts), and every open tab judges again
   *   from its cached facts, as after a settings change: the contract's "Final state" allows a
   *   change because a setting changed. An empty policy (the common case) changes nothing;
   * - the token review's `disableTokenReview` is never provisional: it stops an action, and waits.
   */
  provisional?: boolean;
}

export async function loadManagedPolicy(options: LoadManagedOptions = {}): Promise<{ policy: ManagedPolicy; notes: string[]; fromSnapshot?: true; provisional?: true }> {
  if (freshManagedAnswered) {
    const fresh = await freshManaged();
    if (fresh.read) return { policy: fresh.policy, notes: fresh.notes };
    const snapshot = await readSnapshot();
    // A read that failed keeps the last known policy rather than falling to none.
    return snapshot ? { policy: snapshot.policy, notes: [...fresh.notes, ...snapshot.notes], fromSnapshot: true } : { policy: fresh.policy, notes: fresh.notes };
  }
  const fresh = freshManagedRead ?? freshManaged();
  const snapshot = await readSnapshot();
  if (!snapshot && options.provisional && !freshManagedAnswered && !(await snapshotKept())) {
    return { policy: EMPTY_MANAGED_POLICY, notes: [], provisional: true };
  }
  if (!snapshot || freshManagedAnswered) {
    const answer = await fresh;
    if (answer.read || !snapshot) return { policy: answer.policy, notes: answer.notes };
    return { policy: snapshot.policy, notes: [...answer.notes, ...snapshot.notes], fromSnapshot: true };
  }
  return { policy: snapshot.policy, notes: snapshot.notes, fromSnapshot: true };
}

/** Tests: forget what this context learned, as a new service worker would. */
export function resetManagedPolicyMemory(): void {
  freshManagedAnswered = false;
  freshManagedRead = undefined;
}

export async function loadEffectivePolicy(options: LoadManagedOptions = {}): Promise<EffectivePolicy> {
  const [user, managed] = await Promise.all([loadUserSettings(), loadManagedPolicy(options)]);
  return mergePolicy(user.settings, managed.policy, [...managed.notes, ...user.notes]);
}

export { onPolicyChange, MANAGED_SNAPSHOT_KEY } from "./changes";

/** How long "Clear cached facts" waits for the background to confirm (it answers within milliseconds when awake). */
const CLEAR_CONFIRM_TIMEOUT_MS = 10_000;

/**
 * "Clear cached facts": the background watches this key and empties its caches (entrypoints/background.ts).
 * Resolves once it confirms that it has, so "cleared" is said only when it is true.
 */
export async function clearCachedFacts(now = Date.now(), timeoutMs = CLEAR_CONFIRM_TIMEOUT_MS): Promise<void> {
  const confirmed = whenCacheCleared(now, timeoutMs);
  await browser.storage.local.set({ [CACHE_GENERATION_KEY]: now });
  await confirmed;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

