/**
 * The allowlist: add, edit, expire and remove the user's entries; the organization's entries are
 * listed read-only with their source. No browser.* calls: changes go out through the callbacks,
 * which reject with a message when they cannot be saved, and the form keeps what was typed then.
 *
 * Contract selectors (shared/reference/contract.md, Options): allowlist-input, allowlist-add,
 * allowlist-entry (data-value). Other hooks use data-part, outside the contract's namespace.
 */
import type { TargetedEvent } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { cleanEntry, dayBefore, isExpired, normalizeAllowlistInput, validateNewEntry, type EntryProblem } from "../lib/settings/allowlist";
import type { ResolvedAllowlistEntry } from "../lib/settings/policy";
import type { AllowlistEntry } from "../lib/settings/types";

export interface AllowlistEditorProps {
  entries: readonly ResolvedAllowlistEntry[];
  /** YYYY-MM-DD in the user's time zone. */
  today: string;
  /** Authors the organization blocks: an entry for them is listed but has no effect. */
  blockedAuthors: readonly string[];
  /** A value to put in the add field, e.g. from a repo's findings panel; never added without the user. */
  prefill?: string;
  onAdd: (entry: AllowlistEntry) => Promise<void>;
  onReplace: (previousValue: string, entry: AllowlistEntry) => Promise<void>;
  onRemove: (value: string) => Promise<void>;
}

export function AllowlistEditor(props: AllowlistEditorProps) {
  const userEntries = props.entries.filter((entry) => entry.source === "user");
  const managedEntries = props.entries.filter((entry) => entry.source === "managed");
  return (
    <section aria-labelledby="allowlist-title">
      <h2 id="allowlist-title">Allowlist</h2>
      <p class="help">
        Repos you trust. Their badges stay, marked allowlisted, and are lowered to Info at most, except danger found by the Hub's scanners or in pickle
        imports, which is always shown.
      </p>
      <AddForm {...props} existing={userEntries} />
      {managedEntries.length > 0 && (
        <>
          <h3>From your organization</h3>
          <ul class="entries" aria-label="Allowlist entries set by your organization">
            {managedEntries.map((entry) => (
              <li key={`managed-${entry.value}`} data-hub-sentinel="allowlist-entry" data-value={entry.value} data-source="managed" data-readonly="true">
                <EntrySummary entry={entry} today={props.today} blockedAuthors={props.blockedAuthors} />
                <span class="meta">Set by your organization's policy; only an administrator can change it.</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Yours</h3>
      {userEntries.length === 0 ? (
        <p class="empty" data-part="allowlist-empty">
          No entries yet.
        </p>
      ) : (
        <ul class="entries" aria-label="Your allowlist entries">
          {userEntries.map((entry) => (
            <UserEntry key={`user-${entry.value}`} entry={entry} {...props} existing={userEntries} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AddForm(props: AllowlistEditorProps & { existing: readonly AllowlistEntry[] }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(props.prefill ?? "");
  const [note, setNote] = useState("");
  const [expires, setExpires] = useState("");
  const [problems, setProblems] = useState<EntryProblem[]>([]);
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (props.prefill) inputRef.current?.focus();
  }, [props.prefill]);

  async function submit(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const entry = cleanEntry({ value: normalizeAllowlistInput(value), note, expires });
    const found = validateNewEntry(entry, props.existing, props.today);
    setProblems(found);
    setSaved(undefined);
    if (found.length > 0) return;
    setBusy(true);
    try {
      await props.onAdd(entry);
      setValue("");
      setNote("");
      setExpires("");
      setSaved(`Added ${entry.value}. Open Hub tabs update on their own.`);
    } catch (error) {
      setProblems([{ field: "value", message: `Not saved: ${error instanceof Error ? error.message : String(error)}` }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    // noValidate: our own check gives the reason in words (and the same in every browser); `min` still shapes the date picker.
    <form class="add" noValidate onSubmit={(event) => void submit(event)} aria-describedby={`${id}-help`}>
      {props.prefill && (
        <p class="notice" data-part="allowlist-prefill">
          From a repo's findings panel: check the entry, add a note or an expiry date if you like, then press Add. Nothing is allowlisted until you do.
        </p>
      )}
      <div class="row">
        <label for={`${id}-value`}>Owner or repo</label>
        <input
          ref={inputRef}
          id={`${id}-value`}
          data-hub-sentinel="allowlist-input"
          type="text"
          spellcheck={false}
          autocomplete="off"
          placeholder="owner, owner/* or owner/name"
          value={value}
          aria-invalid={problems.some((problem) => problem.field === "value")}
          onInput={(e: TargetedEvent<HTMLInputElement>) => setValue(e.currentTarget.value)}
        />
      </div>
      <div class="row">
        <label for={`${id}-note`}>Note (optional)</label>
        <input id={`${id}-note`} data-part="allowlist-note" type="text" value={note} onInput={(e: TargetedEvent<HTMLInputElement>) => setNote(e.currentTarget.value)} />
      </div>
      <div class="row">
        <label for={`${id}-expires`}>Expires after (optional)</label>
        <input
          id={`${id}-expires`}
          data-part="allowlist-expires"
          type="date"
          min={props.today}
          value={expires}
          onInput={(e: TargetedEvent<HTMLInputElement>) => setExpires(e.currentTarget.value)}
        />
      </div>
      <p id={`${id}-help`} class="help">
        <code>owner</code> or <code>owner/*</code>: every repo of that account or organization. <code>owner/name</code>: one repo. You can paste a
        huggingface.co address.
      </p>
      <button type="submit" data-hub-sentinel="allowlist-add" disabled={busy}>
        Add
      </button>
      <Problems problems={problems} part="allowlist-error" />
      {saved && (
        <p class="ok" role="status" data-part="allowlist-saved">
          {saved}
        </p>
      )}
    </form>
  );
}

/** The stored shape, without where the entry came from. */
function plainEntry({ source: _source, ...entry }: ResolvedAllowlistEntry): AllowlistEntry {
  return entry;
}

function Problems({ problems, part }: { problems: readonly EntryProblem[]; part: string }) {
  if (problems.length === 0) return null;
  return (
    <div class="error" role="alert" data-part={part}>
      {problems.map((problem, index) => (
        <p key={index}>{problem.message}</p>
      ))}
    </div>
  );
}

function EntrySummary({ entry, today, blockedAuthors }: { entry: AllowlistEntry; today: string; blockedAuthors: readonly string[] }) {
  const expired = isExpired(entry, today);
  const owner = (entry.value.split("/")[0] ?? "").toLowerCase();
  const blocked = blockedAuthors.some((name) => name.toLowerCase() === owner);
  return (
    <span class="summary">
      <code class="value">{entry.value}</code>
      {entry.note && <span class="note">{entry.note}</span>}
      {entry.expires && (
        <span class={expired ? "expired" : "meta"} data-part="allowlist-expiry">
          {expired ? `Expired after ${entry.expires}: no longer applies.` : `Applies until the end of ${entry.expires}.`}
        </span>
      )}
      {blocked && <span class="expired">Your organization blocks this author, so this entry has no effect.</span>}
    </span>
  );
}

function UserEntry(props: AllowlistEditorProps & { entry: ResolvedAllowlistEntry; existing: readonly AllowlistEntry[] }) {
  const { entry } = props;
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(entry.value);
  const [note, setNote] = useState(entry.note ?? "");
  const [expires, setExpires] = useState(entry.expires ?? "");
  const [problems, setProblems] = useState<EntryProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const expired = isExpired(entry, props.today);

  async function act(run: () => Promise<void>) {
    setBusy(true);
    setProblems([]);
    try {
      await run();
      setEditing(false);
    } catch (error) {
      setProblems([{ field: "value", message: `Not saved: ${error instanceof Error ? error.message : String(error)}` }]);
    } finally {
      setBusy(false);
    }
  }

  function startEditing() {
    setValue(entry.value);
    setNote(entry.note ?? "");
    setExpires(entry.expires ?? "");
    setProblems([]);
    setEditing(true);
  }

  async function save(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = cleanEntry({ value: normalizeAllowlistInput(value), note, expires });
    // An expiry date left as it was may be in the past (an expired entry whose note is being edited).
    const found = validateNewEntry(next, props.existing, next.expires === entry.expires ? "0000-00-00" : props.today, entry.value);
    setProblems(found);
    if (found.length === 0) await act(() => props.onReplace(entry.value, next));
  }

  return (
    <li data-hub-sentinel="allowlist-entry" data-value={entry.value} data-source="user" data-expired={expired ? "true" : "false"}>
      {editing ? (
        <form class="edit" noValidate onSubmit={(event) => void save(event)} aria-label={`Edit ${entry.value}`}>
          <label for={`${id}-value`}>Owner or repo</label>
          <input id={`${id}-value`} data-part="edit-value" type="text" value={value} onInput={(e: TargetedEvent<HTMLInputElement>) => setValue(e.currentTarget.value)} />
          <label for={`${id}-note`}>Note</label>
          <input id={`${id}-note`} data-part="edit-note" type="text" value={note} onInput={(e: TargetedEvent<HTMLInputElement>) => setNote(e.currentTarget.value)} />
          <label for={`${id}-expires`}>Expires after</label>
          <input id={`${id}-expires`} data-part="edit-expires" type="date" value={expires} onInput={(e: TargetedEvent<HTMLInputElement>) => setExpires(e.currentTarget.value)} />
          <button type="submit" data-part="edit-save" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <EntrySummary entry={entry} today={props.today} blockedAuthors={props.blockedAuthors} />
          <span class="actions">
            <button type="button" data-part="entry-edit" aria-label={`Edit ${entry.value}`} onClick={startEditing} disabled={busy}>
              Edit
            </button>
            {!expired && (
              <button
                type="button"
                data-part="entry-expire"
                aria-label={`Expire ${entry.value} now`}
                disabled={busy}
                onClick={() => void act(() => props.onReplace(entry.value, { ...plainEntry(entry), expires: dayBefore(props.today) }))}
              >
                Expire now
              </button>
            )}
            <button type="button" data-part="entry-remove" aria-label={`Remove ${entry.value}`} disabled={busy} onClick={() => void act(() => props.onRemove(entry.value))}>
              Remove
            </button>
          </span>
        </>
      )}
      <Problems problems={problems} part="entry-error" />
    </li>
  );
}
