import type { DisplayLevel } from "../lib/levels";

/** Each level has its own shape as well as colour, so it never relies on colour alone. */
export const LEVEL_ICONS: Record<DisplayLevel, string> = {
  danger: "\u2716", // heavy X
  warn: "\u25B2", // triangle
  unknown: "?",
  info: "i",
  ok: "\u2714", // check
  pending: "\u2026", // ellipsis
};

/** Shared by every in-page UI: light and dark (`:host([data-theme="dark"])`), sized to sit in Hub headers. */
export const BADGE_CSS = `
:host { display: inline-block !important; vertical-align: middle !important; margin-left: 8px !important; position: relative !important; z-index: 30 !important; }
:host([data-fixed="true"]) { position: fixed !important; top: 8px !important; left: 50% !important; transform: translateX(-50%) !important; z-index: 2147483000 !important; margin: 0 !important; }
:host([data-fixed="true"]) .badge { box-shadow: 0 2px 8px rgba(0,0,0,0.2); }
:host([data-fixed="true"]) .badge::before { content: "Hub Sentinel"; font-weight: 500; margin-right: 2px; }
.root { position: relative; display: inline-block; font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 13px; line-height: 1.4; color: #111827; }
:host([data-theme="dark"]) .root { color: #e5e7eb; }
.badge { display: inline-flex; align-items: center; gap: 4px; height: 22px; padding: 0 8px; border-radius: 11px; border: 1px solid; font-size: 12px; font-weight: 600; line-height: 1; cursor: pointer; white-space: nowrap; }
.badge:focus-visible { outline: 2px solid #6366f1; outline-offset: 2px; }
.icon { font-size: 11px; width: 12px; text-align: center; }
.count { font-weight: 500; opacity: 0.8; }
.level-danger { background: #fef2f2; color: #b91c1c; border-color: #fca5a5; }
.level-warn { background: #fffbeb; color: #92400e; border-color: #fcd34d; }
.level-unknown { background: #f3f4f6; color: #374151; border-color: #9ca3af; border-style: dashed; }
.level-info { background: #eff6ff; color: #1d4ed8; border-color: #93c5fd; }
.level-ok { background: #f0fdf4; color: #15803d; border-color: #86efac; }
.level-pending { background: #f9fafb; color: #6b7280; border-color: #e5e7eb; }
:host([data-theme="dark"]) .level-danger { background: #450a0a; color: #fca5a5; border-color: #991b1b; }
:host([data-theme="dark"]) .level-warn { background: #451a03; color: #fcd34d; border-color: #92400e; }
:host([data-theme="dark"]) .level-unknown { background: #1f2937; color: #d1d5db; border-color: #6b7280; }
:host([data-theme="dark"]) .level-info { background: #172554; color: #93c5fd; border-color: #1e40af; }
:host([data-theme="dark"]) .level-ok { background: #052e16; color: #86efac; border-color: #166534; }
:host([data-theme="dark"]) .level-pending { background: #111827; color: #9ca3af; border-color: #374151; }
/* The panel is fixed to the window at its button (panel-fit.ts sets --panel-top or --panel-bottom, --panel-left and
   --panel-max-height when it opens and while the page scrolls), so no clipping ancestor of the page can cut it; it
   scrolls inside itself, its head stays in view while the rest scrolls, and its foot fades what goes on below. */
.panel { --panel-bg: #fff; position: fixed; top: var(--panel-top, auto); bottom: var(--panel-bottom, auto); left: var(--panel-left, auto); z-index: 2147483000; box-sizing: border-box; width: min(480px, calc(100vw - 24px)); max-height: var(--panel-max-height, calc(100vh - 120px)); overflow: auto; overscroll-behavior: contain; scrollbar-width: thin; scroll-padding: 72px 0 24px; background: var(--panel-bg); color: #111827; border: 1px solid #e5e7eb; border-radius: 10px; box-shadow: 0 10px 30px rgba(0,0,0,0.18); padding: 0 14px; font-size: 13px; line-height: 1.45; text-align: left; font-weight: 400; white-space: normal; }
.panel::after { content: ""; position: sticky; bottom: 0; display: block; height: 20px; margin: 0 -14px; background: linear-gradient(rgba(255,255,255,0), var(--panel-bg) 85%); pointer-events: none; }
:host([data-theme="dark"]) .panel { --panel-bg: #0b0f19; color: #e5e7eb; border-color: #374151; }
:host([data-theme="dark"]) .panel::after { background: linear-gradient(rgba(11,15,25,0), var(--panel-bg) 85%); }
.panel-head { position: sticky; top: 0; z-index: 2; display: flex; align-items: flex-start; gap: 8px; margin: 0 -14px 6px; padding: 12px 10px 8px 14px; background: var(--panel-bg); border-bottom: 1px solid #f3f4f6; border-radius: 10px 10px 0 0; }
:host([data-theme="dark"]) .panel-head { border-bottom-color: #1f2937; }
.panel-head .heading { flex: 1; min-width: 0; }
.panel-head .summary { margin: 2px 0 0; color: #6b7280; font-size: 12px; }
:host([data-theme="dark"]) .panel-head .summary { color: #9ca3af; }
.panel pre, .panel table { max-width: 100%; }
.panel:focus { outline: none; }
.panel h2 { font-size: 14px; margin: 0; overflow-wrap: anywhere; }
.panel h3 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; margin: 12px 0 4px; }
.panel .meta { color: #6b7280; font-size: 12px; margin: 0 0 6px; }
:host([data-theme="dark"]) .panel .meta { color: #9ca3af; }
.layout-notes { border: 1px dashed #9ca3af; border-radius: 6px; padding: 4px 8px; margin: 8px 0; }
.layout-note { font-weight: 600; margin: 2px 0; }
.finding { border-left: 3px solid #9ca3af; padding: 4px 0 4px 8px; margin: 6px 0; }
.finding-danger { border-left-color: #dc2626; }
.finding-warn { border-left-color: #d97706; }
.finding-unknown { border-left-color: #6b7280; border-left-style: dashed; }
.finding-info { border-left-color: #3b82f6; }
.finding .title { font-weight: 600; margin: 0; }
.finding p { margin: 2px 0; white-space: pre-line; }
.finding ul { margin: 2px 0; padding-left: 18px; }
.finding a { color: #2563eb; word-break: break-all; }
:host([data-theme="dark"]) .finding a { color: #93c5fd; }
.finding .advice { font-style: italic; }
.finding .code-file { margin: 4px 0; }
.finding .code-file-name { font-weight: 600; }
.finding .code-file li { font-size: 12px; overflow-wrap: anywhere; }
.template-diff { margin: 6px 0; padding: 0; }
.template-diff figcaption { font-size: 12px; color: #4b5563; margin: 0 0 4px; }
:host([data-theme="dark"]) .template-diff figcaption { color: #9ca3af; }
.template-diff ol { list-style: none; margin: 0; padding: 0; }
.template-diff li { margin: 0 0 6px; }
.template-diff .diff-what { font-size: 12px; font-weight: 600; margin: 0 0 2px; }
.diff-columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 4px; }
.diff-added, .diff-base { border-radius: 4px; padding: 3px 6px; min-width: 0; }
.diff-added { background: #fef3c7; color: #78350f; border-left: 3px solid #d97706; }
.diff-base { background: #f3f4f6; color: #374151; border-left: 3px solid #9ca3af; }
:host([data-theme="dark"]) .diff-added { background: #3b2405; color: #fde68a; border-left-color: #f59e0b; }
:host([data-theme="dark"]) .diff-base { background: #1f2937; color: #d1d5db; border-left-color: #6b7280; }
.diff-label { display: block; font-size: 10px; text-transform: uppercase; letter-spacing: 0.04em; opacity: 0.8; }
.diff-columns code { display: block; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; white-space: pre-wrap; overflow-wrap: anywhere; }
.close { flex: none; border: none; background: transparent; font-size: 18px; line-height: 1; padding: 0 4px; cursor: pointer; color: inherit; border-radius: 4px; }
.close:focus-visible { outline: 2px solid #6366f1; outline-offset: 1px; }
.empty { color: #6b7280; }
`;
