import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import type { GgufSpec } from "./gguf-fixture";
import { REAL_PAGES, savedPage } from "./real-pages";

/**
 * The repos of the real saved pages the fake Hub serves (real-pages.ts), so that the extension on those pages
 * gets API answers that agree with them. Author, tags, config (with the Qwen tokenizer's real chat template),
 * dates and GGUF info are read from each page's own header island; the file lists are the repos' files as their
 * pages name them (the Qwen header's first shard, TheBloke's README table of quantizations) and the sizes are
 * those the pages show where they show one (28.9 kB, 17.2 kB, the README's GB figures), estimates elsewhere.
 */

function unescapeHtml(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|quot|amp|lt|gt|apos);/gi, (_match, entity: string) => {
    const named: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" };
    if (entity.startsWith("#x") || entity.startsWith("#X")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity.toLowerCase()] ?? "";
  });
}

interface SavedHeader {
  author: { name: string; fullname?: string; type: string; isEnterprise?: boolean; isPro?: boolean; followerCount?: number; _id?: string };
  model: { id: string; tags?: string[]; config?: Record<string, unknown>; cardData?: Record<string, unknown>; createdAt?: string; lastModified?: string; gguf?: Record<string, unknown> };
}

/** The ModelHeader island's props of the saved page for this repo. */
function savedHeader(repoId: string): SavedHeader {
  const page = REAL_PAGES.find((candidate) => candidate.path.startsWith(`/${repoId}/`));
  if (!page) throw new Error(`no saved page for ${repoId}`);
  const match = /data-target="ModelHeader" data-props="([^"]*)"/.exec(savedPage(page));
  if (!match?.[1]) throw new Error(`no ModelHeader island in ${page.file}`);
  return JSON.parse(unescapeHtml(match[1])) as SavedHeader;
}

/** When an account was made: the first four bytes of its id (a MongoDB ObjectId) are that time in seconds. */
function createdFromId(id: string | undefined): string | undefined {
  return id && /^[0-9a-f]{24}$/.test(id) ? new Date(parseInt(id.slice(0, 8), 16) * 1000).toISOString().replace(/\.\d+Z$/, ".000Z") : undefined;
}

/** TheBloke's quantizations carry no chat template (Mistral 7B v0.1 is a base model): llama architecture, 32k vocabulary. */
export const REAL_PAGE_GGUF_FIXTURES: Record<string, GgufSpec> = {
  "mistral-7b-v0.1": { architecture: "llama", name: "mistralai_mistral-7b-v0.1", vocabSize: 32_000, blockCount: 32, contextLength: 32_768 },
};

const qwen = savedHeader("Qwen/Qwen3-Coder-30B-A3B-Instruct");
const qwenUpload = { title: "Upload folder using huggingface_hub", date: "2025-07-31T07:17:24.000Z" };
const qwenTokenizer = qwen.model.config?.tokenizer_config;
const qwenTokenizerText = JSON.stringify({ add_bos_token: false, ...(typeof qwenTokenizer === "object" ? qwenTokenizer : {}), model_max_length: 262_144, tokenizer_class: "Qwen2Tokenizer" }, null, 2);
const qwenShards: FixtureFile[] = Array.from({ length: 16 }, (_, index) => ({
  path: `model-${String(index + 1).padStart(5, "0")}-of-00016.safetensors`,
  // 30.5 billion BF16 parameters (the header's safetensors total) in 16 shards.
  size: 3_816_515_328,
  lfs: true,
  scan: "safe",
  lastCommit: qwenUpload,
}));

const bloke = savedHeader("TheBloke/Mistral-7B-v0.1-GGUF");
const blokeUpload = { title: "Upload GGUF files", date: "2023-09-27T17:02:11.000Z" };
/** The quantizations and their sizes as TheBloke's README lists them. */
const blokeQuants: [string, number][] = [
  ["Q2_K", 3.08], ["Q3_K_L", 3.82], ["Q3_K_M", 3.52], ["Q3_K_S", 3.16], ["Q4_0", 4.11], ["Q4_K_M", 4.37],
  ["Q4_K_S", 4.14], ["Q5_0", 5.0], ["Q5_K_M", 5.13], ["Q5_K_S", 5.0], ["Q6_K", 5.94], ["Q8_0", 7.7],
];

const ownerOf = (header: SavedHeader, followers?: number) => ({
  name: header.author.name,
  kind: header.author.type === "org" ? ("org" as const) : ("user" as const),
  fullname: header.author.fullname,
  ...(header.author.type === "org" ? { isVerified: header.author.isEnterprise === true } : { isPro: header.author.isPro === true, createdAt: createdFromId(header.author._id) }),
  followers: followers ?? header.author.followerCount,
});

export const REAL_PAGE_REPOS: FixtureRepo[] = [
  {
    type: "model",
    id: qwen.model.id,
    story: "A real page (Qwen's tool-call parser, saved in Aug 2025): a verified organization's safetensors model whose tokenizer carries Qwen's real chat template, and a Python file that nothing loads.",
    author: ownerOf(qwen),
    createdAt: qwen.model.createdAt,
    lastModified: qwen.model.lastModified,
    tags: qwen.model.tags,
    config: qwen.model.config,
    cardData: qwen.model.cardData,
    files: [
      { path: ".gitattributes", size: 1570, lastCommit: { title: "initial commit", date: "2025-07-31T07:04:55.000Z" } },
      { path: "LICENSE", size: 11_343, lastCommit: qwenUpload },
      { path: "README.md", size: 7_012, lastCommit: { title: "Update README.md", date: "2025-08-07T07:08:04.000Z" } },
      { path: "config.json", size: 1_180, lastCommit: qwenUpload },
      { path: "generation_config.json", size: 180, lastCommit: qwenUpload },
      { path: "merges.txt", size: 1_671_853, lastCommit: qwenUpload },
      ...qwenShards,
      { path: "model.safetensors.index.json", size: 1_719_612, lastCommit: qwenUpload },
      { path: "qwen3coder_tool_parser.py", size: 28_882, scan: "safe", lastCommit: qwenUpload },
      { path: "tokenizer.json", size: 7_031_645, lfs: true, scan: "safe", lastCommit: qwenUpload },
      { path: "tokenizer_config.json", size: new TextEncoder().encode(qwenTokenizerText).length, text: qwenTokenizerText, lastCommit: qwenUpload },
      { path: "vocab.json", size: 2_776_833, lastCommit: qwenUpload },
    ],
    scansDone: true,
    // qwen3coder_tool_parser.py is vLLM's tool parser: no auto_map, no custom_code tag, nothing transformers
    // loads, so remote-code says it is there, at info (issue 24).
    expect: { level: "info", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: bloke.model.id,
    story: "A real page (TheBloke's README, saved in Jul 2024): twelve GGUF quantizations of Mistral 7B by a well-known quantizer's user account; their headers hold no chat template.",
    author: ownerOf(bloke),
    createdAt: bloke.model.createdAt,
    lastModified: bloke.model.lastModified,
    tags: bloke.model.tags,
    config: bloke.model.config,
    cardData: bloke.model.cardData,
    gguf: bloke.model.gguf,
    files: [
      { path: ".gitattributes", size: 2_276, lastCommit: { title: "initial commit", date: "2023-09-27T16:17:24.000Z" } },
      { path: "README.md", size: 17_205, lastCommit: { title: "Update README.md", date: "2023-09-28T22:42:44.000Z" } },
      { path: "config.json", size: 31, lastCommit: blokeUpload },
      ...blokeQuants.map(([quant, gb]): FixtureFile => ({ path: `mistral-7b-v0.1.${quant}.gguf`, size: Math.round(gb * 1e9), lfs: true, scan: "safe", content: "gguf:mistral-7b-v0.1", lastCommit: blokeUpload })),
    ],
    scansDone: true,
    // Twelve headers of a 32k-token vocabulary fit the page's byte budget (issue 24): every one is read, none
    // holds a template, so there is no template to judge and nothing to say about it.
    expect: { level: "info", findings: ["unverified-author"] },
  },
];
