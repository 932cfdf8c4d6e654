import type { ComponentChildren } from "preact";
import type { FindingCodeFile, RepoFinding, TemplateDiff } from "../lib/findings";
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
  // A file listed with its lines below is not listed twice.
  const codeUrls = new Set((finding.code ?? []).map((file) => file.url));
  const evidence = finding.evidence.filter((item) => item.url === undefined || !codeUrls.has(item.url));
  return (
    <article class={`finding finding-${finding.level}`} data-finding={finding.id}>
      <p class="title">{finding.title}</p>
      <p>{finding.explanation}</p>
      {finding.templateDiff && <TemplateDiffView diff={finding.templateDiff} />}
      {finding.allowlistedFrom && <p class="meta">Lowered from {LEVEL_WORDS[finding.allowlistedFrom]} by the allowlist.</p>}
      {evidence.length > 0 && (
        <ul aria-label="Evidence">
          {evidence.map((item, index) => (
            <li key={index}>{item.url && isSafeLink(item.url) ? <a href={item.url} target="_blank" rel="noopener noreferrer">{item.label}</a> : item.label}</li>
          ))}
        </ul>
      )}
      {finding.code?.map((file, index) => <CodeFile key={index} file={file} />)}
      {finding.advice.map((advice, index) => (
        <p key={index} class="advice">
          {advice}
        </p>
      ))}
    </article>
  );
}

/** One file a finding read: what it does, line by line, each line linking to the line on the Hub. All text nodes. */
function CodeFile({ file }: { file: FindingCodeFile }) {
  return (
    <div class="code-file" data-code-file={file.label}>
      <p class="code-file-name">
        {file.url && isSafeLink(file.url) ? (
          <a href={file.url} target="_blank" rel="noopener noreferrer">
            {file.label}
          </a>
        ) : (
          file.label
        )}
        {file.note ? ` \u2014 ${file.note}` : ""}
      </p>
      {file.lines.length > 0 && (
        <ul aria-label={`What ${file.label} does`}>
          {file.lines.map((line, index) => (
            <li key={index} data-code-line={line.line}>
              {line.url && isSafeLink(line.url) ? (
                <a href={line.url} target="_blank" rel="noopener noreferrer">
                  {`line ${line.line}`}
                </a>
              ) : (
                `line ${line.line}`
              )}
              {`: ${line.text}`}
            </li>
          ))}
          {file.more ? <li>{`and ${file.more} more`}</li> : null}
        </ul>
      )}
    </div>
  );
}

/**
 * `template-changed`: each added line of the derived template beside the base's nearest line,
 * as text (template text is page data). Two columns when the panel is wide, one above the other
 * when it is narrow (level-style.ts).
 */
export function TemplateDiffView({ diff }: { diff: TemplateDiff }) {
  return (
    <figure class="template-diff" data-part="template-diff">
      <figcaption>
        Added in {diff.derivedLabel}, beside the nearest line of{" "}
        {isSafeLink(diff.base.url) ? (
          <a href={diff.base.url} target="_blank" rel="noopener noreferrer" data-part="template-diff-base">
            {diff.base.id}
          </a>
        ) : (
          diff.base.id
        )}
        {"’s template"}
      </figcaption>
      <ol>
        {diff.lines.map((line, index) => (
          <li key={index} data-part="template-diff-line">
            <p class="diff-what">
              {line.what}, {line.where}
            </p>
            <div class="diff-columns">
              <div class="diff-added" aria-label="This repo's template">
                <span class="diff-label">This repo</span>
                <code>{line.derived}</code>
              </div>
              <div class="diff-base" aria-label="The base model's template">
                <span class="diff-label">Base model</span>
                <code>{line.base ?? "(nothing like it in the base)"}</code>
              </div>
            </div>
          </li>
        ))}
      </ol>
      {diff.more > 0 && <p class="meta">{`…and ${diff.more} more added ${diff.more === 1 ? "line" : "lines"}: the template itself is in the file view.`}</p>}
    </figure>
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
