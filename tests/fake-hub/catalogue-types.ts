import type { Level } from "../../lib/levels";
import type { RepoFindingId } from "../../lib/findings";
import type { ImportSafety, ScanStatus, ScannerName } from "../../lib/hub/facts";
import type { RepoType } from "../../lib/repo-ref";

/** One file of a fixture repo, described as the Hub would report it. */
export interface FixtureFile {
  path: string;
  size: number;
  /** LFS-tracked (weights): gets an lfs oid. */
  lfs?: boolean;
  /** Overall scan status; per-scanner statuses default to it. Omit for non-scanned files. */
  scan?: ScanStatus;
  scanners?: Partial<Record<ScannerName, { status: ScanStatus; message?: string; reportLink?: string }>>;
  imports?: { module: string; name: string; safety: ImportSafety }[];
  lastCommit?: { title: string; date: string; id?: string };
  /** Bytes served by `resolve` (Range requests): a pickle fixture in tests/fixtures/pickles, or `sparse-torch:<fixture>` for a zip of `size` bytes built around its data.pkl (file-content.ts). */
  content?: string;
  /** Small files served as this text (tokenizer_config.json, chat_template.jinja); `size` should be its length in bytes. */
  text?: string;
}

export interface FixturePullRequest {
  num: number;
  title: string;
  author: string | null;
  status: "open" | "closed" | "merged" | "draft";
  createdAt: string;
  /** Files the PR adds or modifies relative to main. */
  added?: FixtureFile[];
  modified?: FixtureFile[];
}

export type Fault =
  | { kind: "status"; status: number; errorCode?: string; message?: string }
  /** `times`: answer 429 that many times, then normally (a short block that lifts). */
  | { kind: "rate-limit"; retryAfter: number; times?: number }
  | { kind: "malformed" }
  | { kind: "delay"; ms: number };

export type FaultTarget = "info" | "files" | "discussions" | "author" | "resolve" | "all";

export interface FixtureAuthor {
  name: string;
  kind: "org" | "user";
  isVerified?: boolean;
  fullname?: string;
  createdAt?: string;
  isPro?: boolean;
  followers?: number;
}

export interface FixtureRepo {
  type: RepoType;
  id: string;
  /** What this fixture demonstrates, shown in the demo tour. */
  story: string;
  author: FixtureAuthor;
  createdAt?: string;
  lastModified?: string;
  sha?: string;
  gated?: false | "auto" | "manual";
  disabled?: boolean;
  tags?: string[];
  config?: Record<string, unknown>;
  /** The model info's `config` at other commits (`/revision/{sha}`): a base whose template changed (issue 26). */
  configAt?: Record<string, Record<string, unknown>>;
  cardData?: Record<string, unknown>;
  sdk?: string;
  files: FixtureFile[];
  /** Generate this many extra small files (very large repos). */
  extraFiles?: number;
  scansDone?: boolean;
  pullRequests?: FixturePullRequest[];
  faults?: Partial<Record<FaultTarget, Fault>>;
  /** An old id that redirects here: a legacy one-segment id (`gpt2`) or a renamed repo's (`meta-llama/Meta-Llama-3.1-8B-Instruct`). */
  legacyId?: string;
  /** The model info's `gguf` field (GGUF repos): `{ total, architecture, context_length, chat_template, bos_token, eos_token }`. */
  gguf?: Record<string, unknown>;
  /** The verdict the rules must reach; the catalogue walk test checks it. */
  expect: { level: Level; findings: RepoFindingId[] };
  /** Shown in the demo tour. */
  demo?: boolean;
}
