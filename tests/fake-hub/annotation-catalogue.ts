import type { FixtureFile, FixtureRepo } from "./catalogue-types";

/**
 * Fixture repos for the row annotations (file rows, pull requests, listing cards, leaked tokens),
 * written as data and appended to the catalogue, so the catalogue walk test checks their verdicts
 * like any other. Page-only extras (file text, plain discussions) live beside them here.
 */
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().replace(/\.\d+Z$/, ".000Z");
const OLD = "2023-05-04T10:00:00.000Z";

/**
 * Fake tokens of the real shape (`hf_` + 34 letters and digits). They exist only here: no Hub
 * account has them. Built by concatenation so that secret scanners do not flag this file.
 */
export const LEAKED_TOKEN = ["hf", "_", "FAKEfakeFAKE", "fake0123456789", "LEAKEDxx"].join("");
export const LEAKED_ORG_TOKEN = ["api", "_org_", "FAKEorgFAKEorg", "0123456789", "LEAKEDxxxx"].join("");

const torchBenign = [
  { module: "collections", name: "OrderedDict", safety: "innocuous" as const },
  { module: "torch._utils", name: "_rebuild_tensor_v2", safety: "innocuous" as const },
];
const safetensors = (path: string, date = OLD): FixtureFile => ({ path, size: 440_000_000, lfs: true, scan: "safe", lastCommit: { title: `Upload ${path}`, date } });
const small = (path: string): FixtureFile => ({ path, size: 120, lastCommit: { title: "Add samples", date: OLD } });

/** More rows than the tree page shows before "Load more files" (TREE_PAGE_ROWS in annotation-pages.ts). */
const samples = Array.from({ length: 60 }, (_, index) => small(`sample_${String(index).padStart(2, "0")}.txt`));

export const ANNOTATION_REPOS: FixtureRepo[] = [
  {
    type: "model",
    id: "annot-lab/mixed-files",
    story: "File rows: a dangerous pickle, a weight file changed three days ago, pickles in sub-folders and below the 'Load more files' fold, and a README that leaks a token.",
    author: { name: "annot-lab", kind: "user", createdAt: "2021-02-02T00:00:00.000Z", followers: 40 },
    files: [
      { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } },
      { path: "README.md", size: 900, lastCommit: { title: "Update README.md", date: OLD } },
      { path: "config.json", size: 700, lastCommit: { title: "Upload config", date: OLD } },
      safetensors("model.safetensors", daysAgo(3)),
      {
        path: "pytorch_model.bin",
        size: 440_473_133,
        lfs: true,
        scan: "unsafe",
        scanners: { pickleImportScan: { status: "unsafe" }, avScan: { status: "safe", message: "No security issues detected" } },
        imports: [...torchBenign, { module: "builtins", name: "exec", safety: "dangerous" }, { module: "numpy.core.multiarray", name: "_reconstruct", safety: "suspicious" }],
        lastCommit: { title: "Upload pytorch_model.bin", date: OLD },
      },
      { path: "checkpoints/epoch-1/model.ckpt", size: 9_000_000, lfs: true, scan: "safe", imports: torchBenign, lastCommit: { title: "Add checkpoint", date: OLD } },
      ...samples,
      // Sorted after every sample_*.txt: only visible after "Load more files".
      { path: "zz_late_weights.pt", size: 5_000_000, lfs: true, scan: "safe", imports: torchBenign, lastCommit: { title: "Add late weights", date: OLD } },
    ],
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "unverified-author", "weights-changed"] },
  },
  {
    type: "model",
    id: "annot-org/pr-mix",
    story: "Pull request rows: a genuine open conversion PR, an impostor, an ordinary PR, a closed one, and a discussion that leaks a token.",
    author: { name: "annot-org", kind: "org", isVerified: true, followers: 900 },
    files: [
      { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } },
      { path: "config.json", size: 700, lastCommit: { title: "Upload config", date: OLD } },
      { path: "pytorch_model.bin", size: 440_473_133, lfs: true, scan: "safe", imports: torchBenign, lastCommit: { title: "Upload pytorch_model.bin", date: OLD } },
    ],
    pullRequests: [
      // Genuine and open: main has only .bin weights, so transformers may load this PR's files (warn).
      { num: 1, title: "Adding `safetensors` variant of this model", author: "SFconvertbot", status: "open", createdAt: daysAgo(30), added: [safetensors("model.safetensors")] },
      {
        num: 2,
        title: "Adding `safetensors` variant of this model",
        author: "SFconvert-bot",
        status: "open",
        createdAt: daysAgo(1),
        added: [safetensors("model-00001-of-00002.safetensors")],
        modified: [{ path: "config.json", size: 800 }],
      },
      { num: 4, title: "Fix typo in README", author: "helpful-person", status: "open", createdAt: daysAgo(5) },
      { num: 5, title: "Old experiment", author: "helpful-person", status: "closed", createdAt: "2022-01-01T00:00:00.000Z" },
    ],
    expect: { level: "danger", findings: ["pickle-weights", "conversion-pr"] },
  },
];

/** 34 letters and digits on a line of their own, right after a line ending in `hf_`. */
export const NOT_A_TOKEN_TAIL = ["Line", "two", "of", "the", "readme", "0123456789", "abcdefghi"].join("");

/** Text of files whose blob page (and, for README.md, model card) shows their content. Keyed `type:id:path`. */
export const FILE_TEXTS: Record<string, string> = {
  "model:annot-lab/mixed-files:README.md": [
    "# mixed-files",
    "",
    "Quick start:",
    "",
    "```python",
    `login(token="${LEAKED_TOKEN}")`,
    "```",
    "",
    "Not tokens: hf_short, xhf_ plus text, and the word hf_tokenizer_config.",
    // Not a token either: a prefix at the end of one line and 34 letters on the next (lines are blocks of their own).
    "The prefix alone: hf_",
    NOT_A_TOKEN_TAIL,
  ].join("\n"),
  "model:annot-lab/mixed-files:config.json": '{ "model_type": "bert" }',
};

/** Discussions that are not pull requests (the API's PR lists never include them). */
export interface FixtureDiscussion {
  num: number;
  title: string;
  author: string;
  createdAt: string;
  body: string;
}

export const DISCUSSIONS: Record<string, FixtureDiscussion[]> = {
  "model:annot-org/pr-mix": [
    {
      num: 3,
      title: "Cannot download the weights",
      author: "new-user-42",
      createdAt: daysAgo(2),
      body: `I get 401 errors with my token ${LEAKED_ORG_TOKEN} when I run the example, what am I doing wrong?`,
    },
  ],
};

/** Authors of the generated listing repos: verified orgs, so each card's verdict is quick to state. */
export const LISTING_AUTHORS = ["listing-alpha", "listing-beta", "listing-gamma", "listing-delta", "listing-epsilon", "listing-zeta", "listing-eta", "listing-theta"];

/**
 * Generated models for a listing of more than 100 cards: safetensors-only ones (`ok`) and ones
 * with a scanned-clean pytorch_model.bin beside safetensors (`info`, pickle-weights).
 */
export const LISTING_REPOS: FixtureRepo[] = Array.from({ length: 90 }, (_, index): FixtureRepo => {
  const owner = LISTING_AUTHORS[index % LISTING_AUTHORS.length] ?? "listing-alpha";
  const withPickle = index % 3 === 0;
  return {
    type: "model",
    id: `${owner}/listed-model-${String(index).padStart(3, "0")}`,
    story: "One of many small models on the /models listing.",
    author: { name: owner, kind: "org", isVerified: true, fullname: owner, followers: 100 + index },
    tags: ["transformers", "safetensors"],
    files: [
      { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } },
      { path: "config.json", size: 600, lastCommit: { title: "Upload config", date: OLD } },
      safetensors("model.safetensors"),
      ...(withPickle
        ? [{ path: "pytorch_model.bin", size: 440_000_000, lfs: true, scan: "safe" as const, imports: torchBenign, lastCommit: { title: "Upload pytorch_model.bin", date: OLD } }]
        : []),
    ],
    expect: withPickle ? { level: "info", findings: ["pickle-weights"] } : { level: "ok", findings: [] },
  };
});
