import type { RepoFinding } from "../lib/findings";
import { LEVEL_WORDS, type DisplayLevel } from "../lib/levels";
import type { LayoutNote } from "../lib/page/layout-note";
import { Disclosure } from "./Disclosure";
import { FindingsPanel } from "./FindingsPanel";
import { LEVEL_ICONS } from "./level-style";

export interface BadgeProps {
  level: DisplayLevel;
  findings: RepoFinding[];
  allowlisted: boolean;
  repoId: string;
  /** "PR #3", "commit 1a2b3c4": shown when the verdict is for a revision other than main. */
  revisionLabel?: string;
  /** Pending because the Hub asked to wait (a short rate-limit block): the accessible name says so. */
  waitingForRateLimit?: boolean;
  /** The host element, so a click inside our shadow root is not taken for a click outside. */
  host: HTMLElement;
  /** Offers "Allowlist…" in the panel (opens the options page prefilled; nothing is written from the page). */
  onAllowlist?: () => void;
  /** Parts of the page a changed layout kept from being marked (file rows, pull requests). */
  layoutNotes?: LayoutNote[];
}

/** The repo badge: level word and icon, finding count; opens the findings panel. */
export function Badge(props: BadgeProps) {
  const count = props.findings.length;
  const word = LEVEL_WORDS[props.level];
  const label = (open: boolean) =>
    props.level === "pending"
      ? `Hub Sentinel: checking ${props.repoId}${props.waitingForRateLimit ? ", waiting for the Hub's rate limit" : ""}`
      : `Hub Sentinel: ${word}, ${count} finding${count === 1 ? "" : "s"}${props.allowlisted ? ", allowlisted" : ""}. ${open ? "Close" : "Open"} findings`;

  return (
    <Disclosure host={props.host}>
      {(open, setOpen) => (
        <>
          <button
            type="button"
            class={`badge level-${props.level}`}
            aria-label={label(open)}
            aria-expanded={props.level === "pending" ? undefined : open}
            aria-haspopup="dialog"
            aria-busy={props.level === "pending"}
            onClick={() => setOpen(!open)}
          >
            <span class="icon" aria-hidden="true">
              {LEVEL_ICONS[props.level]}
            </span>
            <span class="word">{word}</span>
            {props.level !== "pending" && count > 0 && <span class="count">{count}</span>}
          </button>
          {open && (
            <FindingsPanel
              level={props.level}
              findings={props.findings}
              allowlisted={props.allowlisted}
              repoId={props.repoId}
              revisionLabel={props.revisionLabel}
              onClose={() => setOpen(false)}
              onAllowlist={props.onAllowlist}
              layoutNotes={props.layoutNotes}
            />
          )}
        </>
      )}
    </Disclosure>
  );
}
