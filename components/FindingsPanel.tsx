import type { ComponentChildren } from "preact";
import type { RepoFinding } from "../lib/findings";
import { LEVEL_WORDS, LEVELS_BY_SEVERITY, type DisplayLevel } from "../lib/levels";
import { LAYOUT_NOTE_ADVICE, layoutNoteText, type LayoutNote } from "../lib/page/layout-note";
import { LEVEL_ICONS } from "./level-style";

export interface FindingsPanelProps {
  level: DisplayLevel;
  findings: RepoFinding[];
  allowlisted: boolean;
  repoId: string;
  revisionLabel?: string;
  onClose: () => void;
  /** "Allowlist…": asks the extension to open its options page with this repo filled in, for the user to confirm. */
  onAllowlist?: () => void;
  layoutNotes?: LayoutNote[];
}

/** The findings, grouped by level, each with what was found, where, and what to do. Disclosure focuses it when it opens. */
export function FindingsPanel(props: FindingsPanelProps) {
  const groups = LEVELS_BY_SEVERITY.map((level) => ({ level, findings: props.findings.filter((f) => f.level === level) })).filter(
    (group) => group.findings.length > 0,
  );
  return (
    <div class="panel" role="dialog" aria-label={`Hub Sentinel findings for ${props.repoId}`} tabIndex={-1}>
      <PanelHead closeLabel="Close findings" onClose={props.onClose} summary={groups.length > 0 ? findingsSummary(groups) : undefined}>
        {LEVEL_ICONS[props.level]} {LEVEL_WORDS[props.level]}: {props.repoId}
      </PanelHead>
      {props.revisionLabel && <p class="meta">Verdict for {props.revisionLabel}, not the main branch.</p>}
      {props.allowlisted && <p class="meta">Allowlisted by you or your organization: levels are lowered to Info, except danger from scanners or pickle imports.</p>}
      {props.layoutNotes && props.layoutNotes.length > 0 && <LayoutNotes notes={props.layoutNotes} />}
      {groups.length === 0 && <p class="empty">Everything the extension checks was checked, and nothing was found.</p>}
      {groups.map((group) => (
        <section key={group.level} aria-label={LEVEL_WORDS[group.level]}>
          <h3>
            {LEVEL_ICONS[group.level]} {LEVEL_WORDS[group.level]}
          </h3>
          {group.findings.map((finding, index) => (
            <FindingItem key={`${finding.id}-${index}`} finding={finding} />
          ))}
        </section>
      ))}
      {props.onAllowlist && props.level !== "pending" && (
        <p class="meta">
          {/* isTrusted: the shadow root is open, so a page script could click this button; only a person's click counts. */}
          <button type="button" data-part="panel-allowlist" onClick={(event) => event.isTrusted && props.onAllowlist?.()}>
            {props.allowlisted ? "Manage allowlist\u2026" : "Allowlist\u2026"}
          </button>{" "}
          {props.allowlisted ? "Opens Hub Sentinel's options." : "Opens Hub Sentinel's options with this repo filled in, for you to confirm."}
        </p>
      )}
    </div>
  );
}

/**
 * A panel's head: its title and close button, kept in view while the panel scrolls (level-style.ts), with what
 * the whole list holds ("6 findings: 2 Danger, 1 Warning, 3 Info"), so a panel taller than the window says so.
 */
export function PanelHead(props: { children: ComponentChildren; closeLabel: string; onClose: () => void; summary?: string }) {
  return (
    <div class="panel-head">
      <div class="heading">
        <h2>{props.children}</h2>
        {props.summary && <p class="summary">{props.summary}</p>}
      </div>
      <button type="button" class="close" aria-label={props.closeLabel} onClick={props.onClose}>
        {"\u00D7"}
      </button>
    </div>
  );
}

function findingsSummary(groups: { level: DisplayLevel; findings: RepoFinding[] }[]): string {
  const total = groups.reduce((sum, group) => sum + group.findings.length, 0);
  return `${total} finding${total === 1 ? "" : "s"}: ${groups.map((group) => `${group.findings.length} ${LEVEL_WORDS[group.level]}`).join(", ")}`;
}

/** Not a finding about the repo: what this page's changed layout kept us from marking on it. */
export function LayoutNotes({ notes }: { notes: LayoutNote[] }) {
  return (
    <section class="layout-notes" aria-label="Page layout not recognised">
      {notes.map((note) => (
        <p key={note.part} class="layout-note" data-layout-part={note.part}>
          {layoutNoteText(note)}
        </p>
      ))}
      <p class="meta">{LAYOUT_NOTE_ADVICE}</p>
    </section>
  );
}

/** Exported for the row annotations' panels (components/Annotation.tsx). */
export function FindingItem({ finding }: { finding: RepoFinding }) {
  return (
    <article class={`finding finding-${finding.level}`} data-finding={finding.id}>
      <p class="title">{finding.title}</p>
      <p>{finding.explanation}</p>
      {finding.allowlistedFrom && <p class="meta">Lowered from {LEVEL_WORDS[finding.allowlistedFrom]} by the allowlist.</p>}
      {finding.evidence.length > 0 && (
        <ul aria-label="Evidence">
          {finding.evidence.map((item, index) => (
            <li key={index}>{item.url && isSafeLink(item.url) ? <a href={item.url} target="_blank" rel="noopener noreferrer">{item.label}</a> : item.label}</li>
          ))}
        </ul>
      )}
      {finding.advice.map((advice, index) => (
        <p key={index} class="advice">
          {advice}
        </p>
      ))}
    </article>
  );
}

/** Evidence links come from Hub data: only https links are made clickable (no javascript: URLs). */
export function isSafeLink(url: string): boolean {
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}
