import type { KerasFileScan } from "../readers/keras/types";
import type { OwnPickleScan, PickleImport } from "../readers/pickle/types";
import type { ChatTemplateScan } from "../readers/chat-template/types";
import type { PythonFileScan } from "../readers/python/types";
import type { BaseTemplateLookup } from "./base-template";
import type { RepoRef } from "../repo-ref";
import type { Fact } from "./gaps";

/** Scan statuses the Hub reports, per file and per scanner (hub-api.md). */
export type ScanStatus = "unscanned" | "safe" | "queued" | "error" | "caution" | "suspicious" | "unsafe";
export type { ImportSafety, PickleImport, OwnPickleScan } from "../readers/pickle/types";

export interface SubScan {
  status: ScanStatus;
  message?: string;
  reportLink?: string;
  reportLabel?: string;
  pickleImports?: PickleImport[];
}

export const SCANNER_NAMES = ["avScan", "pickleImportScan", "protectAiScan", "jFrogScan", "virusTotalScan"] as const;
export type ScannerName = (typeof SCANNER_NAMES)[number];

export const SCANNER_LABELS: Record<ScannerName, string> = {
  avScan: "ClamAV",
  pickleImportScan: "Hugging Face pickle scan",
  protectAiScan: "Protect AI",
  jFrogScan: "JFrog",
  virusTotalScan: "VirusTotal",
};

export interface FileSecurityStatus {
  status: ScanStatus;
  scans: Partial<Record<ScannerName, SubScan>>;
  /**
   * Set when the status comes from the repo's `securityRepoStatus` (scans done, the file not among
   * those with issues) rather than the file's own entry: no per-scanner detail (file-details.ts).
   */
  fromRepoStatus?: true;
}

export interface RepoFile {
  path: string;
  size?: number;
  /** sha256 of an LFS file: the key under which our own pickle scans are cached. */
  lfsOid?: string;
  lastCommit?: { id: string; title: string; date: string };
  /**
   * Without `lastCommit`: the repo's last commit date, so the file changed no later than this
   * (file-details.ts). Rules that look for a recent change use it as an upper bound.
   */
  changedNoLaterThan?: string;
  security?: FileSecurityStatus;
}

export interface FileListing {
  files: RepoFile[];
  /** False when a cap stopped the listing; the rules then report the rest as not checked. */
  complete: boolean;
  /** Files read before a cap or error stopped the listing. */
  readCount: number;
}

export interface RepoInfo {
  id: string;
  author?: string;
  sha?: string;
  createdAt?: string;
  lastModified?: string;
  private?: boolean;
  gated?: false | "auto" | "manual";
  disabled?: boolean;
  tags: string[];
  /** `config.auto_map` keys present: loading needs trust_remote_code. */
  autoMap?: Record<string, unknown>;
  libraryName?: string;
  /** Space only. */
  sdk?: string;
  /** Space only: the README front matter's `app_file` (cardData), when it names one. */
  appFile?: string;
  oauth?: { enabled: boolean; scopes: string[]; authorizedOrg?: string };
  subdomain?: string;
  /** The info's `gguf.chat_template`: the template the Hub read from the repo's GGUF, when it sent one. */
  ggufChatTemplate?: string;
  /**
   * The info's `config.tokenizer_config.chat_template` (a string, or named templates as transformers
   * writes them): the Hub's copy of the repo's tokenizer template, readable even while a gated repo's
   * files are refused, and the base model's template that a derived repo's is compared with.
   */
  configChatTemplates?: { name: string; template: string }[];
  /**
   * The model card's `base_model` as written (a string, or a list for merges; issue 26): which repo
   * this one is derived from. Not validated: base-model.ts tells repo ids from anything else.
   */
  cardBaseModels?: string[];
  /** File names from the info's `siblings`, when the Hub sent them (no scan data: the tree has that). */
  siblingPaths?: string[];
  /**
   * The LFS sha256 and size of the GGUF files among the siblings (`?blobs=true`): the key under
   * which a GGUF header's templates are kept for good, without a paths-info call. Only GGUF files:
   * every other file that needs details gets them from paths-info, and a big repo's info stays small.
   */
  ggufLfs?: Record<string, { oid: string; size?: number }>;
}

export interface RepoSecurityStatus {
  scansDone: boolean;
  filesWithIssues: { path: string; level: ScanStatus }[];
}

export interface PullRequest {
  num: number;
  title: string;
  status: "draft" | "open" | "closed" | "merged";
  createdAt: string;
  /** Absent for deleted accounts. */
  author?: string;
  /** Files changed by the PR, fetched only for conversion-looking PRs. */
  changedFiles?: Fact<ChangedFile[]>;
  /**
   * Added for the rules (optional): when the PR was merged, from the detail's status-change event.
   * conversion-pr and weights-changed measure "recently merged" from it, else from `createdAt`.
   */
  mergedAt?: string;
  /**
   * Added for the rules (optional): the detail's `changes.mergeCommitId`. weights-changed matches it
   * against the tree's `lastCommit.id` of weight files when `changedFiles` was not fetched.
   */
  mergeCommitId?: string;
  /**
   * Added for the rules (optional): whether the PR author owns the repo or belongs to the owning org
   * (discussion events' `author.isOwner` / `isOrgMember`, or list `repoOwner.isDiscussionAuthor`).
   * When absent, weights-changed compares the author name with the repo namespace.
   */
  authorIsRepoMember?: boolean;
}

export interface ChangedFile {
  path: string;
  /** `added` when the path does not exist at the base revision. */
  change: "added" | "modified" | "removed";
  /** Size and LFS sha256 at the PR's revision, when the tree gave them: the own pickle scan needs them. */
  size?: number;
  lfsOid?: string;
}

export type AuthorInfo =
  | { kind: "org"; name: string; isVerified: boolean; fullname?: string; numFollowers?: number }
  | { kind: "user"; name: string; createdAt?: string; numFollowers?: number; isPro?: boolean };

/** Everything the rules may know about a repo at a revision. Each group is a value or a gap. */
export interface RepoFacts {
  repo: RepoRef;
  /** When the facts were gathered (ms since epoch); rules measure "recent" from here. */
  fetchedAt: number;
  info: Fact<RepoInfo>;
  files: Fact<FileListing>;
  security: Fact<RepoSecurityStatus>;
  pullRequests: Fact<PullRequest[]>;
  author: Fact<AuthorInfo>;
  /** The extension's own pickle scans, when any were needed; absent before they run. */
  ownScans?: Fact<OwnPickleScan[]>;
  /** The extension's own reading of the Keras model files' layer configs (keras-scans.ts), when the repo has any. */
  kerasScans?: Fact<KerasFileScan[]>;
  /** Chat templates read from GGUF headers, tokenizer configs and template files (template-scans.ts); absent when the repo has none of them. */
  chatTemplates?: Fact<ChatTemplateScan[]>;
  /** The Python loading would run, read and judged (python-scans.ts); absent when the repo has none and no auto_map. */
  pythonScans?: Fact<PythonFileScan[]>;
  /** The base model's chat template, for a repo that names a `base_model` and has templates (base-template.ts); absent otherwise. */
  baseTemplate?: Fact<BaseTemplateLookup>;
}
