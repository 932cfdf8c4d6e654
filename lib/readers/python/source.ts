/**
 * From bytes to source text, and the checks made before any parsing: a file that is binary, not
 * UTF-8, too large or packed onto one enormous line is "not read", with the reason, never parsed
 * and never clean. CPython reads source as UTF-8 unless a coding line says otherwise (PEP 263);
 * Latin-1 declared that way is honoured, anything else undeclared that is not UTF-8 is refused.
 */

export const SOURCE_LIMITS = {
  /** Most bytes of one file read (the scanner stops fetching there). */
  maxBytes: 1024 * 1024,
  /**
   * Longest line accepted. Honest code (and the base64 payload a dropper carries, typically a few
   * kilobytes) stays far below; a file minified onto one line is beyond it.
   */
  maxLineChars: 64 * 1024,
} as const;

export type SourceResult = { ok: true; text: string; lineStarts: number[] } | { ok: false; reason: string };

const LATIN1_NAMES = ["latin-1", "latin1", "iso-8859-1", "iso8859-1", "cp1252", "windows-1252"];

/** The PEP 263 coding name on one of the first two lines, lower-cased, if there is one. */
function declaredCoding(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 400));
  const lines = head.split("\n").slice(0, 2);
  for (const line of lines) {
    const trimmed = line.trimStart();
    if (!trimmed.startsWith("#")) continue;
    const at = trimmed.indexOf("coding");
    if (at < 0) continue;
    const after = trimmed.slice(at + "coding".length);
    if (after[0] !== ":" && after[0] !== "=") continue;
    let name = "";
    for (const char of after.slice(1).trimStart()) {
      if (/[A-Za-z0-9_.-]/.test(char)) name += char;
      else break;
    }
    if (name) return name.toLowerCase();
  }
  return undefined;
}

export function decodeSource(bytes: Uint8Array, limits: { maxBytes: number; maxLineChars: number } = SOURCE_LIMITS): SourceResult {
  if (bytes.length > limits.maxBytes) return { ok: false, reason: `not read: the file is larger than the ${formatSize(limits.maxBytes)} the extension reads of one file` };
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, reason: `not read: binary data (a NUL byte at offset ${nul}), not Python source` };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const coding = declaredCoding(bytes);
    if (coding && LATIN1_NAMES.includes(coding)) text = new TextDecoder("latin1").decode(bytes);
    else return { ok: false, reason: "not read: the file is not UTF-8 text (nor declares another encoding the extension reads), so it is not Python source Python would import" };
  }
  const lineStarts = [0];
  let longest = 0;
  let longestLine = 1;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      if (i - start > longest) {
        longest = i - start;
        longestLine = lineStarts.length;
      }
      start = i + 1;
      lineStarts.push(start);
    }
  }
  if (text.length - start > longest) {
    longest = text.length - start;
    longestLine = lineStarts.length;
  }
  if (longest > limits.maxLineChars) {
    return {
      ok: false,
      reason: `not read: the code is packed onto long lines (line ${longestLine} is ${longest.toLocaleString("en-US")} characters; the extension reads lines up to ${limits.maxLineChars.toLocaleString("en-US")}), as minified or obfuscated code is`,
    };
  }
  return { ok: true, text, lineStarts };
}

/** 1-based line of a character offset. */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** Characters that reorder or hide text, and control characters: shown as escapes so code cannot disguise itself in the panel. */
export function displayCode(text: string, max = 140): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  let out = "";
  for (const char of oneLine) {
    const code = char.codePointAt(0) ?? 0;
    const invisible =
      code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2060 && code <= 0x2069) || code === 0x061c || code === 0xfeff;
    out += invisible ? `\\u${code.toString(16).padStart(4, "0")}` : char;
    if (out.length > max) return `${out.slice(0, max)}…`;
  }
  return out;
}
