/**
 * Comparison helper for lookalike-author (not a rule). Reduces a name to a "skeleton" in which
 * characters people confuse are the same (the idea of Unicode TR39 confusable skeletons, narrowed
 * to what matters for Hub namespaces), then compares skeletons with a known list.
 *
 * What counts as imitation, and why:
 * - same skeleton: `meta-IIama`, `faceb00k`, `rnicrosoft`, `Qvven`, Cyrillic `Qwеn`, `google_bert`;
 * - a known name plus an affix that claims officialness: `meta-llama-official`, `real-openai`, `nvidia-hf`;
 * - a known name of 5+ characters with one edit (substitution, adjacent swap, deletion, insertion):
 *   `gooogle`, `micorsoft`, `nvida`. Appending one letter at the very end is *not* counted unless it
 *   doubles the last letter (`googlee`): `googler` or `openais` read as different words, and flagging
 *   every such name would teach people to ignore the badge.
 * - the real name itself (any case) and other names on the list are never look-alikes.
 */
import { WELL_KNOWN_ORGS, WELL_KNOWN_ORG_SET } from "./well-known-orgs";

/** Cyrillic, Greek and other letters that render like Latin ones (NFKC does not fold these). */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: "a", в: "b", е: "e", ё: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  ѕ: "s", і: "i", ї: "i", ј: "j", ԁ: "d", ԛ: "q", ԝ: "w", ӏ: "l", һ: "h", ɡ: "g", ո: "n", ս: "u",
  // Greek
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ω: "w",
  ϲ: "c", ϳ: "j",
  // Latin look-alikes outside ASCII
  ı: "i", ł: "l", ƚ: "l", ɩ: "i", ɑ: "a", ȷ: "j", ß: "ss",
};

/** Applied after lower-casing and confusable folding, in this order (longest first). */
const SEQUENCE_FOLDS: readonly [RegExp, string][] = [
  [/rn/g, "m"],
  [/vv/g, "w"],
  [/[0]/g, "o"],
  // I (lower-cased to i), l, 1 and | are the same stroke in many fonts.
  [/[i1|!]/g, "l"],
];

export function skeleton(name: string): string {
  const folded = [...name.normalize("NFKC").toLowerCase()]
    .map((char) => CONFUSABLES[char] ?? char)
    .join("")
    // Combining marks left after NFKC (accents stacked on Latin letters) are dropped.
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[-_.\s]/g, "");
  return SEQUENCE_FOLDS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), folded);
}

/** Affixes that claim to be the real thing. Compared on skeletons, so "ai" is written as it folds. */
const CLAIM_PREFIXES = ["real", "official", "the", "true", "original", "genuine", "verified"].map(skeleton);
const CLAIM_SUFFIXES = [
  "official", "offical", "ai", "hf", "huggingface", "org", "team", "inc", "labs", "lab", "research", "models",
  "model", "llm", "io", "com", "verified", "real",
].map(skeleton);

/** The name with one claiming prefix and/or suffix removed, each variant tagged with what was removed. */
function strippedVariants(skel: string): { base: string; affix?: string }[] {
  const variants: { base: string; affix?: string }[] = [{ base: skel }];
  const prefixes = CLAIM_PREFIXES.filter((prefix) => skel.startsWith(prefix) && skel.length > prefix.length + 2);
  const suffixes = CLAIM_SUFFIXES.filter((suffix) => skel.endsWith(suffix) && skel.length > suffix.length + 2);
  for (const prefix of prefixes) variants.push({ base: skel.slice(prefix.length), affix: prefix });
  for (const suffix of suffixes) variants.push({ base: skel.slice(0, -suffix.length), affix: suffix });
  for (const prefix of prefixes) {
    for (const suffix of suffixes) {
      const base = skel.slice(prefix.length, -suffix.length);
      if (base.length > 2) variants.push({ base, affix: `${prefix}…${suffix}` });
    }
  }
  return variants;
}

/**
 * Known names with a separated trailing affix (`deepseek-ai`) are also known by their base
 * (`deepseek`), when the base is long enough to be distinctive: a squatter on the bare name is the
 * easiest impersonation. Not for unseparated names (`allenai` does not make every "allen" suspect).
 */
function knownForms(name: string): string[] {
  const forms = [skeleton(name)];
  const match = /^(.{5,})[-_.]([a-z]+)$/i.exec(name);
  if (match?.[1] && match[2] && CLAIM_SUFFIXES.includes(skeleton(match[2]))) forms.push(skeleton(match[1]));
  return forms;
}

/** Whether `candidate` is one edit from `known`, with the end-append exception described above. */
export function oneEditAway(candidate: string, known: string): boolean {
  if (candidate === known) return false;
  const lengthDelta = candidate.length - known.length;
  if (Math.abs(lengthDelta) > 1) return false;
  if (lengthDelta === 0) {
    const diffs: number[] = [];
    for (let i = 0; i < known.length; i++) if (candidate[i] !== known[i]) diffs.push(i);
    if (diffs.length === 1) return true;
    const [a, b] = diffs;
    return (
      diffs.length === 2 && a !== undefined && b === a + 1 && candidate[a] === known[b] && candidate[b] === known[a]
    );
  }
  const [longer, shorter] = lengthDelta > 0 ? [candidate, known] : [known, candidate];
  let i = 0;
  while (i < shorter.length && longer[i] === shorter[i]) i++;
  if (longer.slice(i + 1) !== shorter.slice(i)) return false;
  // candidate = known + one letter at the end: only a doubled last letter reads as the same name.
  if (lengthDelta > 0 && i === known.length) return candidate[i] === known[known.length - 1];
  return true;
}

export interface Lookalike {
  /** The well-known name being imitated, spelled as on the Hub. */
  imitates: string;
  /** How the names relate, in words for the explanation. */
  how: string;
}

/** The well-known name `name` imitates, or undefined. Never matches a name on the list itself. */
export function findLookalike(name: string, known: readonly string[] = WELL_KNOWN_ORGS): Lookalike | undefined {
  const knownSet = known === WELL_KNOWN_ORGS ? WELL_KNOWN_ORG_SET : new Set(known.map((k) => k.toLowerCase()));
  if (knownSet.has(name.toLowerCase())) return undefined;
  const variants = strippedVariants(skeleton(name));
  // Exact skeleton matches first: they are the strongest evidence.
  for (const target of known) {
    const forms = knownForms(target);
    for (const variant of variants) {
      if (!forms.includes(variant.base)) continue;
      return {
        imitates: target,
        how:
          variant.affix === undefined
            ? `it reads the same as “${target}” once look-alike characters, case and separators are set aside`
            : `it is “${target}” with an added word that suggests it is the official account`,
      };
    }
  }
  for (const target of known) {
    const targetSkeleton = skeleton(target);
    if (targetSkeleton.length < 5) continue;
    if (variants.some((variant) => oneEditAway(variant.base, targetSkeleton))) {
      return { imitates: target, how: `it is one character away from “${target}”` };
    }
  }
  return undefined;
}
