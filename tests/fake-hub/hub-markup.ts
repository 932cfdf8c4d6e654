import { createHash } from "node:crypto";

/**
 * Small pieces of the fake Hub's markup that several pages share: sizes and times written as the Hub writes
 * them, the per-file scan badge, and icons. Class names follow the real saved pages (tests/fixtures/pages/real,
 * shared/reference/pages); the icons are our own simple drawings, not the Hub's.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char);
}

const SIZE_UNITS = ["kB", "MB", "GB", "TB", "PB"];

/**
 * A file size as the Hub shows it: decimal units, three significant digits, no trailing zeros, and
 * "Bytes" under a kilobyte. Read off the real pages, whose file views show "647 Bytes", "2.54 kB",
 * "27 kB" (27.0), "28.9 kB" for a 28,882-byte file and "3.08 GB" for a 3,083,098,304-byte GGUF.
 */
export function formatHubSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1000) return `${Math.round(bytes)} Bytes`;
  let value = bytes / 1000;
  let unit = 0;
  // Rounding may carry into the next unit: 999,950 bytes is "1 MB", not "1000 kB".
  while (Number(value.toPrecision(3)) >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(3))} ${SIZE_UNITS[unit] ?? "PB"}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "18 days ago", "about 2 years ago": the distance in words the Hub's `<time>` elements show. */
export function timeAgo(iso: string, now = Date.now()): string {
  const ms = Math.max(0, now - Date.parse(iso));
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  if (ms < 45_000) return "less than a minute ago";
  if (ms < 45 * MINUTE) return `${plural(Math.max(1, Math.round(ms / MINUTE)), "minute")} ago`;
  if (ms < 90 * MINUTE) return "about 1 hour ago";
  if (ms < DAY) return `about ${plural(Math.round(ms / HOUR), "hour")} ago`;
  if (ms < 42 * HOUR) return "1 day ago";
  const days = Math.round(ms / DAY);
  if (days < 30) return `${plural(days, "day")} ago`;
  if (days < 45) return "about 1 month ago";
  if (days < 60) return "about 2 months ago";
  const months = Math.floor(days / 30.4375);
  if (months < 12) return `${plural(months, "month")} ago`;
  const years = Math.floor(months / 12);
  const rest = months % 12;
  if (rest < 3) return `about ${plural(years, "year")} ago`;
  if (rest < 9) return `over ${plural(years, "year")} ago`;
  return `almost ${plural(years + 1, "year")} ago`;
}

/** `<time>` as on the Hub's pages: the ISO date without milliseconds, the full date as its title. */
export function timeElement(iso: string, classes = ""): string {
  const date = new Date(iso);
  return `<time${classes ? ` class="${classes}"` : ""} datetime="${escapeHtml(iso.replace(/\.\d+Z$/, "").replace(/Z$/, ""))}" title="${escapeHtml(date.toUTCString())}">${escapeHtml(timeAgo(iso))}</time>`;
}

/** Like counts and downloads as the Hub abbreviates them: 471, 44.4k, 1.2M. */
export function formatCount(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${Number((count / 1000).toPrecision(3))}k`;
  return `${Number((count / 1_000_000).toPrecision(2))}M`;
}

const svg = (viewBox: string, body: string, classes = "") =>
  `<svg class="${classes}" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false" role="img" width="1em" height="1em" viewBox="${viewBox}" fill="none">${body}</svg>`;

/** Our own line icons, drawn for the fake pages (1em, currentColor). */
export const ICON = {
  file: (classes = "") => svg("0 0 16 16", '<path d="M4 1.5h5l3.5 3.5v9.5h-8.5z" stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/><path d="M9 1.5V5h3.5" stroke="currentColor" stroke-width="1.2"/>', classes),
  folder: (classes = "") => svg("0 0 16 16", '<path d="M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z" fill="currentColor"/>', classes),
  download: (classes = "") => svg("0 0 16 16", '<path d="M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10" stroke="currentColor" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round"/>', classes),
  copy: (classes = "") => svg("0 0 16 16", '<rect x="5" y="5" width="8.5" height="8.5" rx="1.5" stroke="currentColor" stroke-width="1.2"/><path d="M3 10.5V3.8C3 3.1 3.6 2.5 4.3 2.5H10.5" stroke="currentColor" stroke-width="1.2"/>', classes),
  heart: (classes = "") => svg("0 0 16 16", '<path d="M8 13.5S2 9.9 2 5.9C2 4 3.4 2.8 5 2.8c1.3 0 2.3.8 3 1.8.7-1 1.7-1.8 3-1.8 1.6 0 3 1.2 3 3.1 0 4-6 7.6-6 7.6z" stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/>', classes),
  card: (classes = "") => svg("0 0 16 16", '<path d="M2.5 2.5h7l4 4v7h-11z" stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/><path d="M5 7.5h6M5 10h6" stroke="currentColor" stroke-width="1.2" stroke-linecap="round"/>', classes),
  files: (classes = "") => svg("0 0 16 16", '<path d="M1.5 3h4.5l1.5 1.5h7v8.5h-13z" stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/>', classes),
  community: (classes = "") => svg("0 0 16 16", '<path d="M2 3h12v7.5H8l-3 2.5v-2.5H2z" stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/>', classes),
  app: (classes = "") => svg("0 0 16 16", '<rect x="2" y="2" width="5" height="5" rx="1" fill="currentColor"/><rect x="9" y="2" width="5" height="5" rx="2.5" fill="currentColor" opacity=".5"/><rect x="2" y="9" width="5" height="5" rx="1" fill="currentColor" opacity=".5"/><rect x="9" y="9" width="5" height="5" rx="1" fill="currentColor"/>', classes),
  branch: (classes = "") => svg("0 0 16 16", '<circle cx="4.5" cy="3.5" r="1.5" stroke="currentColor" stroke-width="1.2"/><circle cx="4.5" cy="12.5" r="1.5" stroke="currentColor" stroke-width="1.2"/><circle cx="11.5" cy="5" r="1.5" stroke="currentColor" stroke-width="1.2"/><path d="M4.5 5v6M11.5 6.5c0 3-7 2-7 4.5" stroke="currentColor" stroke-width="1.2"/>', classes),
  history: (classes = "") => svg("0 0 16 16", '<circle cx="8" cy="8" r="5.8" stroke="currentColor" stroke-width="1.2"/><path d="M8 4.8V8l2.2 1.6" stroke="currentColor" stroke-width="1.2" stroke-linecap="round"/>', classes),
  users: (classes = "") => svg("0 0 16 16", '<circle cx="6" cy="5.5" r="2.3" stroke="currentColor" stroke-width="1.2"/><path d="M1.8 13c.4-2.3 2.1-3.6 4.2-3.6s3.8 1.3 4.2 3.6" stroke="currentColor" stroke-width="1.2"/><path d="M10.5 3.4a2.2 2.2 0 1 1 0 4.3M12.2 9.6c1.1.5 1.8 1.7 2 3.4" stroke="currentColor" stroke-width="1.2" stroke-linecap="round"/>', classes),
  pullRequest: (classes = "") => svg("0 0 16 16", '<circle cx="4" cy="3.5" r="1.5" stroke="currentColor" stroke-width="1.2"/><circle cx="4" cy="12.5" r="1.5" stroke="currentColor" stroke-width="1.2"/><circle cx="12" cy="12.5" r="1.5" stroke="currentColor" stroke-width="1.2"/><path d="M4 5v6M12 11V6.5c0-1.4-.8-2-2-2H7.5m0 0L9.3 2.8M7.5 4.5l1.8 1.7" stroke="currentColor" stroke-width="1.2" stroke-linecap="round"/>', classes),
  discussion: (classes = "") => svg("0 0 16 16", '<path d="M2.5 3h11v7h-6l-3 2.5V10h-2z" stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/>', classes),
  search: (classes = "") => svg("0 0 16 16", '<circle cx="7" cy="7" r="4.5" stroke="currentColor" stroke-width="1.3"/><path d="m10.5 10.5 3.5 3.5" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/>', classes),
  model: (classes = "") => svg("0 0 16 16", '<path d="M8 1.8 13.5 5v6L8 14.2 2.5 11V5z" stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/><path d="M2.5 5 8 8.2 13.5 5M8 8.2v6" stroke="currentColor" stroke-width="1.2"/>', classes),
  chevronDown: (classes = "") => svg("0 0 16 16", '<path d="m4.5 6.5 3.5 3.5 3.5-3.5" stroke="currentColor" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round"/>', classes),
  check: (classes = "") => svg("0 0 16 16", '<path d="m3.5 8.5 3 3 6-7" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/>', classes),
};

/**
 * The shield of the per-file scan badge, with a check when the scans are done, or a dial while queued (as the
 * real pages draw those two states; this drawing is ours).
 */
function scanIcon(status: string): string {
  if (status === "queued") {
    return svg("0 0 16 16", '<circle cx="8" cy="8" r="5.5" stroke="currentColor" stroke-width="1.3" opacity=".67"/><path d="M8 8 4.5 5.5A4.4 4.4 0 0 1 8 3.6z" fill="currentColor" opacity=".5"/>', "flex-none");
  }
  const mark = status === "safe" ? '<path d="m5.2 8.2 1.9 1.9 3.7-3.9" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"/>' : '<path d="M8 4.6v4M8 10.8v.1" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/>';
  return svg("0 0 16 20", `<path d="M8 1.2 14.5 3.6v5.6c0 4.6-3 8-6.5 9.6-3.5-1.6-6.5-5-6.5-9.6V3.6z" fill="currentColor" fill-opacity=".22" stroke="currentColor" stroke-opacity=".3" stroke-width="1.2"/>${mark}`, "flex-none");
}

/** The word each scan status shows beside its shield; `queued` shows the icon alone (hub-pages.md). */
const SCAN_WORDS: Record<string, string> = { safe: "Safe", unsafe: "Unsafe", caution: "Caution", suspicious: "Suspicious", error: "Error", unscanned: "Not scanned" };

/**
 * The scan badge's button. The `safe` and `queued` looks are the real pages' (gray text, the word hidden on
 * small screens); the colours of the other statuses are our guess, since no saved page shows one.
 */
export function scanBadgeButton(status: string): string {
  const tone =
    status === "unsafe"
      ? "border-red-200 text-red-600 hover:bg-red-50 dark:border-red-900 dark:text-red-400"
      : status === "caution" || status === "suspicious"
        ? "border-yellow-200 text-yellow-700 hover:bg-yellow-50 dark:border-yellow-800 dark:text-yellow-500"
        : "text-gray-400 hover:border-gray-200 hover:bg-gray-50 hover:text-gray-500 dark:border-gray-800 dark:hover:bg-gray-800 dark:hover:text-gray-200";
  const word = SCAN_WORDS[status];
  return `<button class="flex h-[1.125rem] select-none items-center gap-0.5 rounded border pl-0.5 pr-0.5 text-xs leading-tight hover:cursor-pointer ${tone}">${scanIcon(status)}${status === "queued" || word === undefined ? "" : `<span class="mr-0.5 max-sm:hidden">${escapeHtml(word)}</span>`}</button>`;
}

/** Where the fake Hub serves a generated avatar for an account (the Hub's default avatars live under /avatars/). */
export function avatarUrl(name: string): string {
  return `/avatars/${createHash("sha1").update(name.toLowerCase()).digest("hex").slice(0, 32)}.svg`;
}

const AVATAR_COLOURS = ["#f97316", "#6366f1", "#10b981", "#ec4899", "#0ea5e9", "#eab308", "#8b5cf6", "#ef4444"];

/** A square avatar: a colour from the name and its initial (the fake Hub has no pictures of anyone). */
export function avatarSvg(key: string): string {
  const hash = createHash("sha1").update(key).digest();
  const colour = AVATAR_COLOURS[(hash[0] ?? 0) % AVATAR_COLOURS.length] ?? "#6366f1";
  const angle = (hash[1] ?? 0) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><defs><linearGradient id="g" gradientTransform="rotate(${angle} .5 .5)"><stop offset="0" stop-color="${colour}"/><stop offset="1" stop-color="${colour}" stop-opacity=".55"/></linearGradient></defs><rect width="64" height="64" fill="url(#g)"/><circle cx="32" cy="26" r="11" fill="#fff" fill-opacity=".85"/><path d="M12 58c2-12 10-18 20-18s18 6 20 18z" fill="#fff" fill-opacity=".85"/></svg>`;
}

/** A stand-in for the Hub's logo at its path (our own drawing: a yellow face, not the Hub's artwork). */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="95" height="88" viewBox="0 0 95 88"><circle cx="47.5" cy="44" r="40" fill="#FFD21E"/><circle cx="47.5" cy="44" r="40" fill="none" stroke="#FF9D0B" stroke-width="5"/><circle cx="34" cy="36" r="5" fill="#3A3B45"/><circle cx="61" cy="36" r="5" fill="#3A3B45"/><path d="M30 52c5 9 30 9 35 0" stroke="#3A3B45" stroke-width="5" fill="none" stroke-linecap="round"/></svg>`;

/** A neutral picture for images of the real saved pages that live on other hosts (banners in model cards). */
export const PLACEHOLDER_IMAGE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="120" viewBox="0 0 640 120"><rect width="640" height="120" rx="8" fill="#e5e7eb"/><path d="M290 80l25-30 20 22 12-12 23 20z" fill="#9ca3af"/><circle cx="300" cy="45" r="8" fill="#9ca3af"/></svg>`;
