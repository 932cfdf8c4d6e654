/**
 * The order a GGUF repo's files are read in, when the page's byte budget covers only some of them:
 * the quantizations people download most, first.
 *
 * Why this order (the Hub shows no per-file download counts, so it is taken from what people are
 * pointed to): Q4_K_M is the default that llama.cpp's quantize help marks "recommended", the one
 * Ollama pulls by default and LM Studio offers first, and the row the big quantizers' model cards
 * (bartowski, unsloth, lmstudio-community, TheBloke) mark "recommended" or "default"; unsloth's
 * dynamic UD-Q4_K_XL is its own recommended pick. Q8_0, Q5_K_M and Q6_K are the other rows those
 * cards recommend (near-lossless, for people with the memory), then the small ones chosen for low
 * memory (Q4_K_S, IQ4_XS, Q4_0, Q3_K_M, …) from most to least common, and the rest. Full
 * precision (BF16, F16, F32) comes last: rarely run as such, usually split in shards. Vision
 * projectors (`mmproj-*.gguf`) hold no chat template and come after everything.
 */
export const QUANT_READ_ORDER = [
  "Q4_K_M",
  "Q4_K_XL",
  "Q8_0",
  "Q5_K_M",
  "Q6_K",
  "Q4_K_S",
  "IQ4_XS",
  "Q4_0",
  "Q3_K_M",
  "Q5_K_S",
  "Q6_K_L",
  "Q5_K_L",
  "Q4_K_L",
  "Q3_K_L",
  "Q3_K_XL",
  "IQ4_NL",
  "Q2_K",
  "Q2_K_XL",
  "Q2_K_L",
  "Q3_K_S",
  "IQ3_M",
  "IQ3_XS",
  "IQ3_XXS",
  "IQ2_M",
  "IQ2_S",
  "IQ2_XS",
  "IQ2_XXS",
  "IQ1_M",
  "IQ1_S",
  "Q4_1",
  "Q5_0",
  "Q5_1",
  "Q8_K_XL",
  "BF16",
  "F16",
  "F32",
] as const;

const RANK = new Map<string, number>(QUANT_READ_ORDER.map((name, index) => [name, index]));
/** `…-Q4_K_M.gguf`, `….Q4_K_M.gguf`, `…-UD-Q4_K_XL-00001-of-00002.gguf`, `…-f16.gguf`: the quantization in a file name. */
const QUANT_IN_NAME = /(?:^|[-._])(?:UD-)?((?:I?Q\d(?:_[A-Z0-9]+)*)|BF16|F16|F32|FP16)(?=[-._]|$)/gi;

/** The quantization a file name names (upper case, `FP16` as `F16`), or undefined. */
export function quantOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/-\d{5}-of-\d{5}(?=\.gguf$)/i, "");
  let found: string | undefined;
  for (const match of name.matchAll(QUANT_IN_NAME)) found = match[1]?.toUpperCase();
  return found === "FP16" ? "F16" : found;
}

function rankOf(path: string): number {
  if (/(^|\/)mmproj/i.test(path)) return QUANT_READ_ORDER.length + 2;
  const quant = quantOf(path);
  return quant === undefined ? QUANT_READ_ORDER.length + 1 : (RANK.get(quant) ?? QUANT_READ_ORDER.length);
}

/** The files in reading order: known quantizations by rank, then unknown ones, then projectors; by path within a rank. */
export function inReadingOrder<T extends { path: string }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => rankOf(a.path) - rankOf(b.path) || a.path.localeCompare(b.path));
}
