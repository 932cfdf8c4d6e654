import type { ComponentChildren } from "preact";
import type { RepoFinding } from "../lib/findings";
import { LEVEL_WORDS, type DisplayLevel } from "../lib/levels";
import { Disclosure } from "./Disclosure";
import { FindingItem, PanelHead } from "./FindingsPanel";
import { LEVEL_ICONS } from "./level-style";

export interface AnnotationProps {
  level: DisplayLevel;
  /** What it is about, in the accessible name and the panel heading: "pytorch_model.bin", "PR #3", "owner/name". */
  subject: string;
  /** "file", "pull request", "repo card", "leaked token". */
  kind: string;
  /** Icon only (cards, where space is short); the level word stays in the accessible name. */
  compact?: boolean;
  findings: RepoFinding[];
  /** Panel content before the findings (imports, scans, last change, what was not checked). */
  children?: ComponentChildren;
  /** The host element, so a click inside our shadow root is not taken for a click outside. */
  host: HTMLElement;
  /** Called each time the panel opens (a row whose GGUF header is still unread reads it then). */
  onOpen?: () => void;
}

/**
 * A row annotation: a small level mark that opens a panel. Every string shown comes from page or Hub
 * data and is rendered as text by Preact; links go through FindingItem's https-only check.
 */
export function Annotation(props: AnnotationProps) {
  const word = LEVEL_WORDS[props.level];
  const label = (open: boolean) =>
    props.level === "pending"
      ? `Hub Sentinel: checking ${props.kind} ${props.subject}`
      : `Hub Sentinel: ${word} for ${props.kind} ${props.subject}. ${open ? "Close" : "Open"} details`;

  return (
    <Disclosure host={props.host}>
      {(open, setOpen) => (
        <>
          <button
            type="button"
            class={`badge mark level-${props.level}${props.compact ? " compact" : ""}`}
            aria-label={label(open)}
            title={props.compact ? label(open) : undefined}
            aria-expanded={props.level === "pending" ? undefined : open}
            aria-haspopup="dialog"
            aria-busy={props.level === "pending"}
            onClick={(event) => {
              // Rows and cards are links: our button must not follow them.
              event.preventDefault();
              event.stopPropagation();
              if (props.level === "pending") return;
              if (!open) props.onOpen?.();
              setOpen(!open);
            }}
          >
            <span class="icon" aria-hidden="true">
              {LEVEL_ICONS[props.level]}
            </span>
            {!props.compact && <span class="word">{word}</span>}
          </button>
          {open && (
            <div class="panel" role="dialog" aria-label={`Hub Sentinel: ${props.kind} ${props.subject}`} tabIndex={-1}>
              <PanelHead closeLabel="Close details" onClose={() => setOpen(false)}>
                {LEVEL_ICONS[props.level]} {word}: {props.subject}
              </PanelHead>
              {props.children}
              {props.findings.map((finding, index) => (
                <FindingItem key={`${finding.id}-${index}`} finding={finding} />
              ))}
            </div>
          )}
        </>
      )}
    </Disclosure>
  );
}

/** Extra rules for row marks, appended to BADGE_CSS. */
export const ANNOTATION_CSS = `
:host { margin-left: 6px !important; }
.mark { height: 18px; padding: 0 6px; font-size: 11px; border-radius: 9px; }
.mark.compact { width: 20px; padding: 0; justify-content: center; }
.panel .detail { margin: 4px 0; }
.panel .detail-title { font-weight: 600; font-size: 12px; margin: 8px 0 2px; }
.panel ul.plain { margin: 2px 0; padding-left: 18px; }
.panel .safety-dangerous { color: #b91c1c; font-weight: 600; }
.panel .safety-suspicious { color: #92400e; }
:host([data-theme="dark"]) .panel .safety-dangerous { color: #fca5a5; }
:host([data-theme="dark"]) .panel .safety-suspicious { color: #fcd34d; }
.panel code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
`;
