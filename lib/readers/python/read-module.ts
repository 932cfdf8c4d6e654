/**
 * One Python file's bytes to its ModuleReport: decoded and checked (source.ts), parsed within
 * limits (parse.ts), analysed (analyse.ts). Never throws: anything that stops the reading is a
 * report with status `unread` and the reason, never a clean one.
 */
import { ANALYSE_LIMITS, AnalysisBudgetError, analyseModule } from "./analyse";
import { PARSE_LIMITS, parsePython } from "./parse";
import { decodeSource, lineOf, SOURCE_LIMITS } from "./source";
import type { ModuleReport } from "./types";

export interface ReadModuleOptions {
  /** The clock parsing and analysis time are measured with (and the parse time limit applies to). */
  now?: () => number;
  maxBytes?: number;
  maxLineChars?: number;
  maxDepth?: number;
  maxParseMs?: number;
  maxSteps?: number;
}

export function unreadReport(reason: string, bytes = 0): ModuleReport {
  return { status: "unread", reason, lines: 0, bytes, behaviours: [], imports: [], links: [], classes: [], functions: [] };
}

export function readPythonModule(bytes: Uint8Array, options: ReadModuleOptions = {}): ModuleReport {
  const now = options.now ?? (() => performance.now());
  const source = decodeSource(bytes, { maxBytes: options.maxBytes ?? SOURCE_LIMITS.maxBytes, maxLineChars: options.maxLineChars ?? SOURCE_LIMITS.maxLineChars });
  if (!source.ok) return unreadReport(source.reason, bytes.length);
  const lines = source.lineStarts.length;
  let parsed: ReturnType<typeof parsePython>;
  try {
    parsed = parsePython(source.text, lines, now, { ...PARSE_LIMITS, ...(options.maxDepth ? { maxDepth: options.maxDepth } : {}), ...(options.maxParseMs ? { maxParseMs: options.maxParseMs } : {}) });
  } catch (error) {
    return unreadReport(`not read: the parser failed (${error instanceof Error ? error.message : String(error)})`, bytes.length);
  }
  if (!parsed.ok) return { ...unreadReport(parsed.reason, bytes.length), lines, parseMs: parsed.parseMs };
  const started = now();
  try {
    const analysis = analyseModule(parsed.tree, source.text, source.lineStarts, { ...ANALYSE_LIMITS, ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}) });
    const report: ModuleReport = { status: "read", lines, bytes: bytes.length, ...analysis, parseMs: parsed.parseMs, analyseMs: now() - started };
    if (parsed.errors > 0 && parsed.firstErrorAt !== undefined) {
      report.reason = `${parsed.errors} ${parsed.errors === 1 ? "place" : "places"} did not parse (the first on line ${lineOf(source.lineStarts, parsed.firstErrorAt)}): code there was not judged`;
    }
    return report;
  } catch (error) {
    if (error instanceof AnalysisBudgetError) return { ...unreadReport(`not read: ${error.message}`, bytes.length), lines, parseMs: parsed.parseMs };
    // A stack overflow or an error of ours: said plainly, never a clean file.
    return { ...unreadReport(`not read: the analysis failed (${error instanceof Error ? error.message : String(error)})`, bytes.length), lines, parseMs: parsed.parseMs };
  }
}
