import type { GuardNotice } from "../lib/annotations/download-guard";
import { LEVEL_WORDS } from "../lib/levels";
import { LEVEL_ICONS } from "./level-style";

export interface DownloadGuardDialogProps {
  notice: GuardNotice;
  /** Called only for a person's click or key press on "Download anyway" (isTrusted), never a page script's. */
  onProceed: () => void;
  onCancel: () => void;
}

/**
 * The download guard's dialog (contract: `download-guard`, `download-guard-proceed`,
 * `download-guard-cancel`): what the file is, what was found, what to do instead, and the two
 * choices. Modal: a click on the backdrop cancels, Escape cancels, Tab stays inside. Every string
 * comes from Hub or page data through GuardNotice and is rendered as text; links are https only
 * (lib/annotations/download-guard.ts). Cancel takes the focus first: it is the choice that
 * requests nothing.
 */
export function DownloadGuardDialog({ notice, onProceed, onCancel }: DownloadGuardDialogProps) {
  const pending = notice.level === "pending";
  return (
    <div class="backdrop" data-part="guard-backdrop" onClick={(event) => event.target === event.currentTarget && onCancel()}>
      <div class="guard" role="alertdialog" aria-modal="true" aria-label={notice.title} aria-busy={pending} onKeyDown={(event) => onKey(event, onCancel)}>
        <h2>
          <span class={`badge chip level-${notice.level}`}>
            <span class="icon" aria-hidden="true">
              {LEVEL_ICONS[notice.level]}
            </span>
            {LEVEL_WORDS[notice.level]}
          </span>{" "}
          {pending ? "Checking before it downloads" : notice.blocked ? "Download blocked" : "Download held"}
        </h2>
        <p class="what">{notice.what}</p>
        <p class="detail-title">{pending ? "Waiting for" : "What was found"}</p>
        <ul class="found">
          {notice.found.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
        {notice.instead.length > 0 && (
          <>
            <p class="detail-title">What to do instead</p>
            <ul class="instead">
              {notice.instead.map((item, index) => (
                <li key={index}>
                  {item.text}
                  {item.link && (
                    <>
                      {" "}
                      <a href={item.link.url} target="_blank" rel="noopener noreferrer">
                        {item.link.label}
                      </a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
        <div class="actions">
          {!pending && !notice.blocked && (
            <button
              type="button"
              class="proceed"
              data-hub-sentinel="download-guard-proceed"
              // The shadow root is open, so a page script can reach this button: only a person's click counts.
              onClick={(event) => event.isTrusted && onProceed()}
            >
              Download anyway
            </button>
          )}
          <button type="button" class="cancel" data-hub-sentinel="download-guard-cancel" data-autofocus="" onClick={onCancel}>
            {notice.blocked ? "Close" : "Cancel"}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Escape cancels; Tab and Shift+Tab go round the dialog's links and buttons; no key reaches the page's shortcuts. */
function onKey(event: KeyboardEvent, onCancel: () => void) {
  event.stopPropagation();
  if (event.key === "Escape") {
    event.preventDefault();
    onCancel();
    return;
  }
  if (event.key !== "Tab") return;
  const dialog = event.currentTarget as HTMLElement;
  const stops = Array.from(dialog.querySelectorAll<HTMLElement>("a[href], button"));
  if (stops.length === 0) return;
  const active = (dialog.getRootNode() as ShadowRoot).activeElement;
  const at = stops.findIndex((stop) => stop === active);
  const next = stops[(at + (event.shiftKey ? -1 : 1) + stops.length) % stops.length];
  event.preventDefault();
  next?.focus();
}

/** Appended to BADGE_CSS: the host covers the viewport; the box looks like the findings panel, light and dark. */
export const GUARD_CSS = `
:host { position: fixed !important; inset: 0 !important; display: block !important; margin: 0 !important; z-index: 2147483646 !important; }
.backdrop { position: fixed; inset: 0; display: flex; align-items: center; justify-content: center; background: rgba(17,24,39,0.45); font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.guard { width: min(480px, 92vw); max-height: 85vh; overflow: auto; background: #fff; color: #111827; border: 1px solid #e5e7eb; border-radius: 10px; box-shadow: 0 10px 30px rgba(0,0,0,0.25); padding: 14px 16px; font-size: 13px; line-height: 1.45; text-align: left; }
:host([data-theme="dark"]) .backdrop { background: rgba(0,0,0,0.6); }
:host([data-theme="dark"]) .guard { background: #0b0f19; color: #e5e7eb; border-color: #374151; }
.guard h2 { font-size: 15px; margin: 0 0 8px; display: flex; align-items: center; gap: 8px; }
.chip { cursor: default; }
.what { margin: 0 0 6px; word-break: break-word; }
.detail-title { font-weight: 600; font-size: 12px; margin: 10px 0 2px; }
.guard ul { margin: 2px 0; padding-left: 18px; word-break: break-word; }
.guard a { color: #2563eb; word-break: break-all; }
:host([data-theme="dark"]) .guard a { color: #93c5fd; }
.actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 14px; }
.actions button { font: inherit; font-weight: 600; padding: 6px 14px; border-radius: 6px; border: 1px solid #d1d5db; background: #fff; color: #111827; cursor: pointer; }
.actions .cancel { background: #111827; border-color: #111827; color: #fff; }
.actions .proceed { color: #b91c1c; border-color: #fca5a5; }
:host([data-theme="dark"]) .actions button { background: #111827; color: #e5e7eb; border-color: #4b5563; }
:host([data-theme="dark"]) .actions .cancel { background: #e5e7eb; border-color: #e5e7eb; color: #111827; }
:host([data-theme="dark"]) .actions .proceed { color: #fca5a5; border-color: #991b1b; }
.actions button:focus-visible, .guard a:focus-visible { outline: 2px solid #6366f1; outline-offset: 2px; }
`;
