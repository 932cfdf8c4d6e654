/**
 * Export and import of the user's settings as JSON. Import goes through `onImport`, which checks
 * the whole file first and changes nothing unless all of it is valid; every problem is listed with
 * its line and field. A file can be chosen or pasted (the paste box also serves people whose
 * browser blocks file pickers in extension pages).
 *
 * Contract selectors: settings-export (the button), settings-import (the file input).
 */
import type { TargetedEvent } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { EXPORT_FILE_NAME, formatImportProblem, MAX_IMPORT_BYTES, type ImportPlan, type ImportProblem } from "../lib/settings/transfer";

export interface SettingsTransferProps {
  /** The current settings as a JSON document. */
  onExport: () => string;
  /** Checks and, when valid, applies; rejects only when a valid file could not be saved. */
  onImport: (text: string) => Promise<ImportPlan>;
}

type Outcome = { kind: "problems"; source: string; problems: ImportProblem[] } | { kind: "done"; source: string; changes: string[] } | { kind: "failed"; message: string };

export function SettingsTransfer(props: SettingsTransferProps) {
  const id = useId();
  const [exported, setExported] = useState<string>();
  const [downloadUrl, setDownloadUrl] = useState<string>();
  const downloadRef = useRef<HTMLAnchorElement>(null);
  const [pasted, setPasted] = useState("");
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);

  useEffect(() => () => downloadUrl && URL.revokeObjectURL(downloadUrl), [downloadUrl]);
  useEffect(() => {
    if (downloadUrl) downloadRef.current?.click();
  }, [downloadUrl]);

  function exportNow() {
    const text = props.onExport();
    setExported(text);
    setDownloadUrl(URL.createObjectURL(new Blob([text], { type: "application/json" })));
  }

  async function importText(text: string, source: string) {
    setBusy(true);
    setOutcome(undefined);
    try {
      const plan = await props.onImport(text);
      setOutcome(plan.ok ? { kind: "done", source, changes: plan.changes } : { kind: "problems", source, problems: plan.problems });
      if (plan.ok && source === "pasted text") setPasted("");
    } catch (error) {
      setOutcome({ kind: "failed", message: `The file is valid but could not be saved (${error instanceof Error ? error.message : String(error)}). Nothing was changed.` });
    } finally {
      setBusy(false);
    }
  }

  async function onFile(event: TargetedEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    // Reset so choosing the same file again, after fixing it, fires the change event again.
    input.value = "";
    if (file.size > MAX_IMPORT_BYTES) {
      setOutcome({ kind: "problems", source: file.name, problems: [{ field: "(whole file)", message: `${file.name} is ${file.size} bytes; a settings file is far smaller. Nothing was changed.` }] });
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setOutcome({ kind: "failed", message: `${file.name} could not be read (${error instanceof Error ? error.message : String(error)}). Nothing was changed.` });
      return;
    }
    await importText(text, file.name);
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Export and import</h2>
      <p class="help">
        Export saves your allowlist and settings as a JSON file. Import adds a file's allowlist entries to yours (an entry you already have takes the
        file's note and expiry), never removes any, and replaces the other settings the file contains. Nothing changes unless the whole file is valid.
        Entries set by your organization are not exported.
      </p>
      <div class="row">
        <button type="button" data-hub-sentinel="settings-export" onClick={exportNow}>
          Export settings
        </button>
        {downloadUrl && (
          <a ref={downloadRef} href={downloadUrl} download={EXPORT_FILE_NAME}>
            Save {EXPORT_FILE_NAME} again
          </a>
        )}
      </div>
      {exported !== undefined && (
        <>
          <label for={`${id}-exported`}>Exported settings (you can also copy them from here)</label>
          <textarea id={`${id}-exported`} data-part="export-text" readOnly rows={8} value={exported} />
        </>
      )}
      <div class="row">
        <label for={`${id}-file`}>Import a settings file</label>
        <input id={`${id}-file`} data-hub-sentinel="settings-import" type="file" accept="application/json,.json" disabled={busy} onChange={(e) => void onFile(e)} />
      </div>
      <label for={`${id}-paste`}>Or paste settings JSON</label>
      <textarea id={`${id}-paste`} data-part="import-text" rows={6} value={pasted} onInput={(e: TargetedEvent<HTMLTextAreaElement>) => setPasted(e.currentTarget.value)} />
      <button type="button" data-part="import-paste" disabled={busy || pasted.trim() === ""} onClick={() => void importText(pasted, "pasted text")}>
        Import pasted settings
      </button>
      {outcome?.kind === "problems" && (
        <div class="error" role="alert" data-part="import-problems">
          <p>
            Nothing was imported: {outcome.source} has {outcome.problems.length} problem{outcome.problems.length === 1 ? "" : "s"}. Fix {outcome.problems.length === 1 ? "it" : "them"} and
            import again.
          </p>
          <ul>
            {outcome.problems.map((problem, index) => (
              <li key={index} data-part="import-problem" data-line={problem.line === undefined ? undefined : String(problem.line)} data-field={problem.field}>
                {formatImportProblem(problem)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {outcome?.kind === "failed" && (
        <p class="error" role="alert" data-part="import-problems">
          {outcome.message}
        </p>
      )}
      {outcome?.kind === "done" && (
        <div class="ok" role="status" data-part="import-result">
          <p>Imported {outcome.source}.</p>
          <ul>
            {(outcome.changes.length > 0 ? outcome.changes : ["Nothing to change: your settings already match the file."]).map((change, index) => (
              <li key={index}>{change}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
