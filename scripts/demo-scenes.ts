import type { FixtureRepo } from "../tests/fake-hub/catalogue-types";
import { repoPath } from "../tests/fake-hub/pages";

/**
 * What `npm run demo` photographs: one entry per picture, taken at 1280×800 on the fake Hub with the built
 * extension, after the check that no mark or panel in it is cut off (demo-fit.ts). Adding a picture is adding an
 * entry here; scripts/demo-tour.ts runs them in order, in each colour scheme the entry names.
 *
 * Selectors are CSS; Playwright's CSS selectors go into open shadow roots by themselves, so
 * `[data-hub-sentinel="repo"] button.badge` reaches the badge's button inside its host.
 */
export type Scheme = "light" | "dark";

export interface Scene {
  /** The file in demo-output/: `<name>.png` for a store picture, else `<scheme>-<name>.png` for each scheme. */
  name: string;
  /** Path on the fake huggingface.co. */
  path: string;
  /** What it shows, printed as the demo goes. */
  caption: string;
  /** The schemes to photograph it in (a store picture: light only, unless it says otherwise). */
  schemes: Scheme[];
  /** A selector that must be on the page; the shot waits until every mark on the page has left `pending` too. */
  waitFor: string;
  /** Scroll the page so this element's top is at the top of the window first (a list further down). */
  scrollTo?: string;
  /** Click this once the page is settled: a mark's button, a download link. */
  open?: string;
  /** After `open`, wait for this (the panel, a dialog). */
  opened?: string;
  /** Scroll this into view inside its panel (a finding further down the list). */
  reveal?: string;
  /** One of the store listing's pictures (store/description.md): its name is kept as is. */
  store?: boolean;
}

export const REPO_BADGE = '[data-hub-sentinel="repo"]';
export const REPO_BUTTON = `${REPO_BADGE} button.badge`;
export const REPO_PANEL = `${REPO_BADGE} .panel`;
const fileMark = (path: string) => `[data-hub-sentinel="file"][data-path="${path}"]`;

/** The store listing's pictures (store-2, the popup over a page, and store-6, the options page, are made in demo-store.ts). */
export const STORE_SCENES: Scene[] = [
  {
    name: "store-1-danger-findings",
    path: "/fresh-uploader-7/pickle-rce",
    caption: "a dangerous repo with its findings open: the list scrolls inside the panel",
    schemes: ["light"],
    waitFor: REPO_BADGE,
    open: REPO_BUTTON,
    opened: REPO_PANEL,
    store: true,
  },
  {
    name: "store-3-file-rows",
    path: "/annot-lab/mixed-files/tree/main",
    caption: "file rows: pickle imports, scanner verdicts, last change, beside the Hub's own scan badges",
    schemes: ["light"],
    waitFor: fileMark("pytorch_model.bin"),
    scrollTo: "[data-target=\"ModelHeader\"] h1",
    open: `${fileMark("pytorch_model.bin")} button.mark`,
    opened: `${fileMark("pytorch_model.bin")} .panel`,
    store: true,
  },
  {
    name: "store-4-pull-requests",
    path: "/annot-org/pr-mix/discussions",
    caption: "pull requests: is a conversion PR what it claims",
    schemes: ["light"],
    waitFor: '[data-hub-sentinel="pr"]',
    store: true,
  },
  {
    name: "store-5-listing",
    path: "/models",
    caption: "a listing: a compact mark per card",
    schemes: ["light"],
    waitFor: '[data-hub-sentinel="card"]',
    store: true,
  },
  {
    name: "store-7-real-file-view",
    path: "/Qwen/Qwen3-Coder-30B-A3B-Instruct/blob/main/qwen3coder_tool_parser.py",
    caption: "a real saved Hub page (Qwen's file view) with the badge and the file's mark",
    schemes: ["light"],
    waitFor: REPO_BADGE,
    store: true,
  },
];

/** Real saved pages (tests/fixtures/pages/real) beyond the store's, light and dark. */
export const REAL_PAGE_SCENES: Scene[] = [
  {
    name: "real-qwen-file-view",
    path: "/Qwen/Qwen3-Coder-30B-A3B-Instruct/blob/main/qwen3coder_tool_parser.py",
    caption: "a real saved page: Qwen's file view, its findings open",
    schemes: ["light", "dark"],
    waitFor: REPO_BADGE,
    open: REPO_BUTTON,
    opened: REPO_PANEL,
  },
  {
    name: "real-thebloke-readme",
    path: "/TheBloke/Mistral-7B-v0.1-GGUF/blob/main/README.md",
    caption: "a real saved page: TheBloke's GGUF README, its findings open",
    // Saved logged in, by someone whose theme was light: the page sets no dark class, whatever the browser's scheme.
    schemes: ["light"],
    waitFor: REPO_BADGE,
    open: REPO_BUTTON,
    opened: REPO_PANEL,
  },
];

/** Beyond the repo badge: rows, pull requests, cards and a leaked token, each with its panel. */
export const ROW_SCENES: Scene[] = [
  {
    name: "file-rows-panel",
    path: "/annot-lab/mixed-files/tree/main",
    caption: "a file row's details: the pickle's imports, the Hub's scans, the last change",
    schemes: ["dark"],
    waitFor: fileMark("pytorch_model.bin"),
    scrollTo: "[data-target=\"ModelHeader\"] h1",
    open: `${fileMark("pytorch_model.bin")} button.mark`,
    opened: `${fileMark("pytorch_model.bin")} .panel`,
  },
  {
    name: "pull-request-panel",
    path: "/annot-org/pr-mix/discussions",
    caption: "an impostor conversion PR's details",
    schemes: ["light", "dark"],
    waitFor: '[data-hub-sentinel="pr"][data-num="2"]',
    open: '[data-hub-sentinel="pr"][data-num="2"] button.mark',
    opened: '[data-hub-sentinel="pr"][data-num="2"] .panel',
  },
  {
    name: "listing",
    path: "/models",
    caption: "a listing: a compact mark per card",
    schemes: ["dark"],
    waitFor: '[data-hub-sentinel="card"]',
  },
  {
    name: "leaked-token",
    path: "/annot-lab/mixed-files/blob/main/README.md",
    caption: "a token visible on a page, and what to do about it",
    schemes: ["light", "dark"],
    waitFor: '[data-hub-sentinel="leak"]',
    open: '[data-hub-sentinel="leak"] button.mark',
    opened: '[data-hub-sentinel="leak"] .panel',
  },
];

/**
 * This round's marks and dialogs, light and dark: the download guard holding a dangerous pickle's download, what a
 * repo's remote code does when it loads (the code lives in another repo its auto_map names), and a quantization
 * whose chat template adds lines its base model does not have. Each is checked like every picture (1280×800, the
 * dialog or panel whole: demo-fit.ts reads the download guard's dialog in its shadow root as it does a panel).
 */
export const FEATURE_SCENES: Scene[] = [
  {
    name: "download-guard",
    path: "/annot-lab/mixed-files/tree/main",
    caption: "a download of a dangerous pickle, held: the dialog says why and offers the safe way",
    schemes: ["light", "dark"],
    waitFor: fileMark("pytorch_model.bin"),
    scrollTo: '[data-target="ModelHeader"] h1',
    open: 'a[download][href="/annot-lab/mixed-files/resolve/main/pytorch_model.bin?download=true"]',
    opened: '[data-hub-sentinel="download-guard"] [data-hub-sentinel="download-guard-cancel"]',
  },
  {
    name: "remote-code",
    path: "/py-payloads/innocent-embedder",
    caption: "what the repo's remote code does when it loads, line by line, in the other repo its auto_map names",
    schemes: ["light", "dark"],
    waitFor: REPO_BADGE,
    open: REPO_BUTTON,
    opened: REPO_PANEL,
    reveal: `${REPO_BADGE} [data-finding="remote-code"]`,
  },
  {
    name: "template-changed",
    path: "/mirror-quants/Llama-3.1-8B-Instruct-GGUF",
    caption: "a quantization's chat template beside its base model's: the lines it adds",
    schemes: ["light", "dark"],
    waitFor: REPO_BADGE,
    open: REPO_BUTTON,
    opened: REPO_PANEL,
    reveal: `${REPO_BADGE} [data-finding="template-changed"]`,
  },
];

/** One picture per repo of the fake Hub's tour (`demo: true` in the catalogue); the first danger repo's panel in both schemes. */
export function tourScenes(catalogue: FixtureRepo[]): Scene[] {
  const tour = catalogue.filter((repo) => repo.demo);
  // Rate limits block the whole client for a while (as on the real Hub): keep such a page last.
  tour.sort((a, b) => Number(a.id.includes("rate-limited")) - Number(b.id.includes("rate-limited")));
  const scenes: Scene[] = tour.map((repo) => ({ name: repo.id.replace(/[^a-z0-9]+/gi, "_"), path: repoPath(repo), caption: repo.story, schemes: ["light"], waitFor: REPO_BADGE }));
  const danger = tour.find((repo) => repo.expect.level === "danger");
  if (danger) {
    scenes.unshift({ name: `${danger.id.replace(/[^a-z0-9]+/gi, "_")}-panel`, path: repoPath(danger), caption: `${danger.story} (its findings)`, schemes: ["light", "dark"], waitFor: REPO_BADGE, open: REPO_BUTTON, opened: REPO_PANEL });
  }
  return scenes;
}
