/**
 * The options page: allowlist, rule settings, cache, export/import, and what the organization's
 * policy sets. It talks only to an `OptionsApi` (lib/settings/options-api.ts), never to browser.*,
 * and reloads its snapshot whenever settings change, here or in another tab.
 */
import type { TargetedEvent } from "preact";
import { useEffect, useId, useState } from "preact/hooks";
import type { OptionsApi, OptionsSnapshot } from "../lib/settings/options-api";
import { CACHE_MAX_MINUTES, SWITCHABLE_RULES, type UserSettings } from "../lib/settings/schema";
import { exportSettings, planImport } from "../lib/settings/transfer";
import { stricterGuard, type AllowlistEntry, type DownloadGuardMode, type Strictness } from "../lib/settings/types";
import { AllowlistEditor } from "./AllowlistEditor";
import { SettingsTransfer } from "./SettingsTransfer";

export interface OptionsPageProps {
  api: OptionsApi;
  /** An allowlist value to prefill (from a findings panel's "Allowlist…" button). */
  prefill?: string;
  now?: () => number;
}

export function OptionsPage(props: OptionsPageProps) {
  const now = props.now ?? (() => Date.now());
  const [snapshot, setSnapshot] = useState<OptionsSnapshot>();
  const [loadError, setLoadError] = useState<string>();

  useEffect(() => {
    let live = true;
    const reload = () =>
      props.api.load().then(
        (next) => live && setSnapshot(next),
        (error: unknown) => live && setLoadError(error instanceof Error ? error.message : String(error)),
      );
    void reload();
    const unsubscribe = props.api.subscribe(() => void reload());
    return () => {
      live = false;
      unsubscribe();
    };
  }, [props.api]);

  if (loadError) {
    return (
      <main>
        <h1>Hub Sentinel options</h1>
        <p class="error" role="alert">
          The settings could not be loaded: {loadError}
        </p>
      </main>
    );
  }
  if (!snapshot) {
    return (
      <main aria-busy="true">
        <h1>Hub Sentinel options</h1>
        <p>Loading…</p>
      </main>
    );
  }

  async function update(change: (current: UserSettings) => UserSettings) {
    setSnapshot(await props.api.update(change));
  }

  const { policy, managed } = snapshot;
  return (
    <main data-part="options-ready">
      <h1>Hub Sentinel options</h1>
      {policy.notes.length > 0 && (
        <div class="notice" role="status" data-part="settings-notes">
          <p>Some stored values could not be used:</p>
          <ul>
            {policy.notes.map((note, index) => (
              <li key={index}>{note}</li>
            ))}
          </ul>
        </div>
      )}
      <ManagedSummary snapshot={snapshot} />
      <AllowlistEditor
        entries={policy.allowlist}
        today={snapshot.today}
        blockedAuthors={managed.blockedAuthors}
        prefill={props.prefill}
        onAdd={(entry) => update((current) => ({ ...current, allowlist: [...current.allowlist, entry] }))}
        onReplace={(previous, entry) => update((current) => ({ ...current, allowlist: replaceEntry(current.allowlist, previous, entry) }))}
        onRemove={(value) => update((current) => ({ ...current, allowlist: current.allowlist.filter((entry) => entry.value !== value) }))}
      />
      <RuleSettings snapshot={snapshot} update={update} clearCachedFacts={() => props.api.clearCachedFacts()} />
      <SettingsTransfer
        onExport={() => exportSettings(snapshot.settings, now())}
        onImport={async (text) => {
          // Planned against the stored settings at the moment of writing, not the snapshot on screen.
          let outcome = planImport(text, snapshot.settings);
          if (!outcome.ok) return outcome;
          await update((current) => {
            outcome = planImport(text, current);
            if (!outcome.ok) throw new Error("The settings changed while importing; import again.");
            return outcome.next;
          });
          return outcome;
        }}
      />
    </main>
  );
}

function replaceEntry(entries: readonly AllowlistEntry[], previous: string, entry: AllowlistEntry): AllowlistEntry[] {
  if (!entries.some((existing) => existing.value === previous)) throw new Error(`${previous} is no longer in the list (changed in another tab?).`);
  return entries.map((existing) => (existing.value === previous ? entry : existing));
}

function ManagedSummary({ snapshot }: { snapshot: OptionsSnapshot }) {
  const { managed, policy } = snapshot;
  const anything =
    managed.trustedOrganizations.length > 0 ||
    managed.allowlist.length > 0 ||
    managed.blockedAuthors.length > 0 ||
    managed.minimumStrictness !== "balanced" ||
    managed.disableTokenReview ||
    managed.downloadGuard !== "off";
  if (!anything) return null;
  return (
    <section aria-labelledby="managed-title" data-part="managed-policy">
      <h2 id="managed-title">Set by your organization</h2>
      <p class="help">Your browser is managed: these come from your organization's policy and cannot be changed here.</p>
      <ul>
        {managed.blockedAuthors.length > 0 && (
          <li data-part="managed-blocked">
            Blocked authors, always Danger: {managed.blockedAuthors.join(", ")}
          </li>
        )}
        {managed.trustedOrganizations.length > 0 && <li>Trusted organizations (allowlisted): {managed.trustedOrganizations.join(", ")}</li>}
        {managed.minimumStrictness === "strict" && <li>Strictness is at least strict.</li>}
        {policy.tokenReviewDisabled && <li data-part="managed-token">The popup's token review is turned off.</li>}
        {managed.downloadGuard !== "off" && (
          <li data-part="managed-download-guard">
            {managed.downloadGuard === "block"
              ? "Downloads of files marked Danger are blocked on Hub pages; files marked Unknown are held and asked about."
              : "The download guard is always on: downloads of files marked Danger or Unknown are held and asked about."}
          </li>
        )}
      </ul>
    </section>
  );
}

const GUARD_CHOICES: readonly { mode: DownloadGuardMode; label: string }[] = [
  { mode: "ask", label: "Ask before downloading a file marked Danger or Unknown (default)." },
  { mode: "block", label: "Block files marked Danger (no \u201cDownload anyway\u201d); ask for files marked Unknown." },
  { mode: "off", label: "Off: download links work as the Hub made them." },
];

function RuleSettings(props: { snapshot: OptionsSnapshot; update: (change: (current: UserSettings) => UserSettings) => Promise<void>; clearCachedFacts: () => Promise<void> }) {
  const id = useId();
  const { settings, managed } = props.snapshot;
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const [minutes, setMinutes] = useState(String(settings.cacheMaxMinutes));
  useEffect(() => setMinutes(String(settings.cacheMaxMinutes)), [settings.cacheMaxMinutes]);

  async function run(change: () => Promise<void>, done: string) {
    setError(undefined);
    setStatus(undefined);
    try {
      await change();
      setStatus(done);
    } catch (failure) {
      setError(`Not saved: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  const setStrictness = (strictness: Strictness) => run(() => props.update((current) => ({ ...current, strictness })), `Strictness: ${strictness}. Open Hub tabs update on their own.`);
  const toggleRule = (ruleId: (typeof SWITCHABLE_RULES)[number]["id"], on: boolean) =>
    run(
      () =>
        props.update((current) => ({
          ...current,
          disabledRules: on ? current.disabledRules.filter((other) => other !== ruleId) : [...current.disabledRules.filter((other) => other !== ruleId), ruleId],
        })),
      `${ruleId} ${on ? "on" : "off"}.`,
    );

  async function saveLifetime(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = Number(minutes);
    if (!/^\d+$/.test(minutes.trim()) || value < CACHE_MAX_MINUTES.min || value > CACHE_MAX_MINUTES.max) {
      setStatus(undefined);
      setError(`Enter a whole number of minutes from ${CACHE_MAX_MINUTES.min} to ${CACHE_MAX_MINUTES.max}.`);
      return;
    }
    const shorter = value < settings.cacheMaxMinutes;
    await run(
      async () => {
        await props.update((current) => ({ ...current, cacheMaxMinutes: value }));
        // Facts already cached keep their old expiry; clearing makes a shorter lifetime hold at once.
        if (shorter) await props.clearCachedFacts();
      },
      shorter ? `Cache lifetime: at most ${value} minutes. Cached facts were cleared so it applies now.` : `Cache lifetime: at most ${value} minutes.`,
    );
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Checks</h2>
      <fieldset>
        <legend>Strictness</legend>
        {(["balanced", "strict"] as const).map((level) => {
          const belowMinimum = managed.minimumStrictness === "strict" && level === "balanced";
          return (
            <label key={level} class="choice">
              <input
                type="radio"
                name={`${id}-strictness`}
                data-part={`strictness-${level}`}
                checked={props.snapshot.policy.settings.strictness === level}
                disabled={belowMinimum}
                onChange={() => void setStrictness(level)}
              />
              {level === "balanced"
                ? "Balanced (default): suspicious pickle imports and unscanned pickles are warnings."
                : "Strict: suspicious pickle imports and unscanned pickles are danger."}
              {belowMinimum && " Your organization requires strict."}
            </label>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>Rules</legend>
        <p class="help">
          Switching a rule off hides its findings. Pickle imports, scanner flags, incomplete scans and failed checks cannot be switched off: hiding them
          could make a dangerous or unchecked repo look fine.
        </p>
        {SWITCHABLE_RULES.map((rule) => (
          <label key={rule.id} class="choice">
            <input
              type="checkbox"
              data-part="rule-switch"
              data-rule={rule.id}
              checked={!settings.disabledRules.includes(rule.id)}
              onChange={(e: TargetedEvent<HTMLInputElement>) => void toggleRule(rule.id, e.currentTarget.checked)}
            />
            <code>{rule.id}</code> {rule.label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Pages</legend>
        <label class="choice">
          <input
            type="checkbox"
            data-part="listing-annotations"
            checked={settings.listingAnnotations}
            onChange={(e: TargetedEvent<HTMLInputElement>) => {
              const on = e.currentTarget.checked;
              void run(() => props.update((current) => ({ ...current, listingAnnotations: on })), `Badges on listing pages ${on ? "on" : "off"}.`);
            }}
          />
          Badges on the repo cards of listing pages (/models, /datasets, /spaces, profiles)
        </label>
      </fieldset>
      <fieldset>
        <legend>Downloads</legend>
        <p class="help">
          On a Files tab or a file's page, a click on a link that downloads a file marked Danger or Unknown is held before anything is requested, and
          asked about. Files marked OK or Info download at once. A context menu's "Open link in new tab" or "Save link as…" is not seen by extensions,
          so it is not held.
        </p>
        {GUARD_CHOICES.map(({ mode, label }) => {
          const belowMinimum = stricterGuard(mode, managed.downloadGuard) !== mode;
          return (
            <label key={mode} class="choice">
              <input
                type="radio"
                name={`${id}-download-guard`}
                data-part={`download-guard-${mode}`}
                checked={props.snapshot.policy.downloadGuard.mode === mode}
                disabled={belowMinimum}
                onChange={() => void run(() => props.update((current) => ({ ...current, downloadGuard: mode })), `Download guard: ${label}`)}
              />
              {label}
              {belowMinimum && " Your organization does not allow this."}
            </label>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>Cache</legend>
        <form class="row" onSubmit={(event) => void saveLifetime(event)}>
          <label for={`${id}-minutes`}>Reuse fetched facts for at most (minutes)</label>
          <input
            id={`${id}-minutes`}
            data-part="cache-minutes"
            type="number"
            min={CACHE_MAX_MINUTES.min}
            max={CACHE_MAX_MINUTES.max}
            value={minutes}
            onInput={(e: TargetedEvent<HTMLInputElement>) => setMinutes(e.currentTarget.value)}
          />
          <button type="submit" data-part="cache-save">
            Save
          </button>
        </form>
        <button type="button" data-part="cache-clear" onClick={() => void run(props.clearCachedFacts, "Cached facts cleared: the next check fetches everything again.")}>
          Clear cached facts
        </button>
        <p class="help">What a file's own bytes were found to hold (the chat templates of GGUF headers, named by the file's sha256) is kept until you clear the cache: those bytes never change.</p>
      </fieldset>
      {error && (
        <p class="error" role="alert" data-part="settings-error">
          {error}
        </p>
      )}
      {status && (
        <p class="ok" role="status" data-part="settings-status">
          {status}
        </p>
      )}
    </section>
  );
}
