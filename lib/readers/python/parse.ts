/**
 * Parsing with @lezer/python, within limits. Lezer keeps going past syntax errors (it inserts
 * error nodes), so a file with a few is still read, and said to be partly skipped; one that is
 * mostly errors is not Python and is "not read". Parsing is stepped so a time limit can stop it,
 * and the tree's depth is measured without recursion before anything walks it recursively: the
 * analysis recurses along the tree, so a file nested deeper than the cap is "not read".
 */
import { parser } from "@lezer/python";
import type { Tree } from "@lezer/common";

export const PARSE_LIMITS = {
  /** Deepest syntax tree accepted (honest modeling code stays under ~80). */
  maxDepth: 400,
  /** Time allowed for parsing one file. */
  maxParseMs: 4_000,
  /** Above this many error nodes, and more than one per `linesPerError` lines, the file is not Python. */
  maxErrors: 12,
  linesPerError: 40,
} as const;

export interface ParseLimits {
  maxDepth: number;
  maxParseMs: number;
  maxErrors: number;
  linesPerError: number;
}

export type ParseResult =
  | { ok: true; tree: Tree; errors: number; firstErrorAt?: number; parseMs: number }
  | { ok: false; reason: string; parseMs: number };

/** Parser steps between two looks at the clock. */
const STEPS_PER_CHECK = 256;

export function parsePython(text: string, lineCount: number, now: () => number, limits: ParseLimits = PARSE_LIMITS): ParseResult {
  const started = now();
  const parse = parser.startParse(text);
  let tree: Tree | null = null;
  let steps = 0;
  while (!tree) {
    tree = parse.advance();
    if (++steps % STEPS_PER_CHECK === 0 && now() - started > limits.maxParseMs) {
      return { ok: false, reason: `not read: parsing took longer than the ${limits.maxParseMs / 1000} s the extension allows one file`, parseMs: now() - started };
    }
  }
  const parseMs = now() - started;
  let depth = 0;
  let deepest = 0;
  let errors = 0;
  let firstErrorAt: number | undefined;
  tree.iterate({
    enter(node) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (node.type.isError) {
        errors++;
        firstErrorAt ??= node.from;
      }
      if (depth <= limits.maxDepth) return true;
      // Past the cap there is nothing more to learn: stop descending (leave is not called for a node not entered).
      depth--;
      return false;
    },
    leave() {
      depth--;
    },
  });
  if (deepest > limits.maxDepth) return { ok: false, reason: `not read: the code is nested more than ${limits.maxDepth} levels deep, beyond what the extension walks`, parseMs };
  if (errors > limits.maxErrors && errors * limits.linesPerError > lineCount) {
    return { ok: false, reason: `not read: it does not parse as Python (${errors} syntax errors)`, parseMs };
  }
  return { ok: true, tree, errors, ...(firstErrorAt === undefined ? {} : { firstErrorAt }), parseMs };
}
