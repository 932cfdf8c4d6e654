/**
 * Validation at the boundary: the Hub's JSON becomes typed facts here, or a `malformed` gap.
 * Every field is optional at run time (hub-api.md); unknown fields are ignored, wrong types dropped.
 */
import type {
  AuthorInfo,
  FileSecurityStatus,
  ImportSafety,
  PickleImport,
  PullRequest,
  RepoFile,
  RepoInfo,
  RepoSecurityStatus,
  ScanStatus,
  ScannerName,
  SubScan,
} from "./facts";
import { SCANNER_NAMES } from "./facts";
import { namedTemplates } from "../readers/chat-template/sources";
import { isGgufFormat } from "./file-kinds";

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
function bool(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

const SCAN_STATUSES: readonly ScanStatus[] = ["unscanned", "safe", "queued", "error", "caution", "suspicious", "unsafe"];
function scanStatus(value: unknown): ScanStatus | undefined {
  return SCAN_STATUSES.find((status) => status === value);
}
const SAFETIES: readonly ImportSafety[] = ["innocuous", "suspicious", "dangerous"];

export class MalformedError extends Error {}

export function parseRepoInfo(body: unknown): { info: RepoInfo; security?: RepoSecurityStatus } {
  if (!isObject(body)) throw new MalformedError("repo info is not an object");
  const id = str(body.id) ?? str(body.modelId);
  if (!id) throw new MalformedError("repo info has no id");
  const config = isObject(body.config) ? body.config : undefined;
  const cardData = isObject(body.cardData) ? body.cardData : undefined;
  const gated = body.gated === "auto" || body.gated === "manual" ? body.gated : body.gated === true ? "auto" : false;
  const info: RepoInfo = {
    id,
    author: str(body.author),
    sha: str(body.sha),
    createdAt: str(body.createdAt),
    lastModified: str(body.lastModified),
    private: bool(body.private),
    gated,
    disabled: bool(body.disabled),
    tags: strings(body.tags),
    autoMap: config && isObject(config.auto_map) ? config.auto_map : undefined,
    libraryName: str(body.library_name) ?? (cardData ? str(cardData.library_name) : undefined),
    sdk: str(body.sdk) ?? (cardData ? str(cardData.sdk) : undefined),
    subdomain: str(body.subdomain),
  };
  const appFile = cardData ? str(cardData.app_file) : undefined;
  if (appFile) info.appFile = appFile;
  if (cardData && (cardData.hf_oauth === true || Array.isArray(cardData.hf_oauth_scopes))) {
    info.oauth = {
      enabled: cardData.hf_oauth === true,
      scopes: strings(cardData.hf_oauth_scopes),
      authorizedOrg: str(cardData.hf_oauth_authorized_org),
    };
  }
  // Model info of a GGUF repo: `gguf: { total, architecture, context_length, chat_template, bos_token, eos_token }`.
  const ggufTemplate = isObject(body.gguf) ? str(body.gguf.chat_template) : undefined;
  if (ggufTemplate !== undefined) info.ggufChatTemplate = ggufTemplate;
  // Model info's `config.tokenizer_config` (hub-api.md): the tokenizer config's template, as the Hub read it.
  const tokenizerConfig = config && isObject(config.tokenizer_config) ? config.tokenizer_config : undefined;
  const configTemplates = tokenizerConfig ? namedTemplates(tokenizerConfig.chat_template) : undefined;
  if (configTemplates && configTemplates.length > 0) info.configChatTemplates = configTemplates;
  // The model card's `base_model` (issue 26): a string, or a list for merges; kept as written, judged in base-model.ts.
  const cardBaseModels = cardData ? baseModelsOf(cardData.base_model) : [];
  if (cardBaseModels.length > 0) info.cardBaseModels = cardBaseModels;
  const siblings = Array.isArray(body.siblings) ? body.siblings : undefined;
  if (siblings) info.siblingPaths = siblings.flatMap((s) => (isObject(s) && typeof s.rfilename === "string" ? [s.rfilename] : []));
  // `?blobs=true`: `siblings[].lfs { sha256, size }` (hub-api.md), kept for GGUF files.
  const ggufLfs: Record<string, { oid: string; size?: number }> = {};
  for (const sibling of siblings ?? []) {
    if (!isObject(sibling) || typeof sibling.rfilename !== "string" || !isGgufFormat(sibling.rfilename) || !isObject(sibling.lfs)) continue;
    const oid = str(sibling.lfs.sha256);
    if (oid === undefined || !/^[0-9a-f]{64}$/.test(oid)) continue;
    const size = num(sibling.lfs.size) ?? num(sibling.size);
    ggufLfs[sibling.rfilename] = size === undefined ? { oid } : { oid, size };
  }
  if (Object.keys(ggufLfs).length > 0) info.ggufLfs = ggufLfs;
  const security = isObject(body.securityRepoStatus) ? parseSecurityStatus(body.securityRepoStatus) : undefined;
  return { info, security };
}

/** Most `base_model` entries kept: merges name a handful, and a card is page data, not a list to trust. */
const MAX_CARD_BASE_MODELS = 16;
/** Longest entry kept as written: longer ones are not repo ids (96 characters at most) and are only named, cut. */
const MAX_BASE_MODEL_CHARS = 200;

function baseModelsOf(value: unknown): string[] {
  const entries = typeof value === "string" ? [value] : strings(value);
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .slice(0, MAX_CARD_BASE_MODELS)
    .map((entry) => (entry.length > MAX_BASE_MODEL_CHARS ? `${entry.slice(0, MAX_BASE_MODEL_CHARS)}…` : entry));
}

export function parseSecurityStatus(body: unknown): RepoSecurityStatus {
  if (!isObject(body)) throw new MalformedError("security status is not an object");
  const filesWithIssues = Array.isArray(body.filesWithIssues)
    ? body.filesWithIssues.flatMap((entry) => {
        if (!isObject(entry)) return [];
        const path = str(entry.path);
        const level = scanStatus(entry.level);
        return path && level ? [{ path, level }] : [];
      })
    : [];
  // scansDone missing is "not known", never "done".
  return { scansDone: body.scansDone === true, filesWithIssues };
}

export function parseTreeEntry(entry: unknown): RepoFile | undefined {
  if (!isObject(entry) || entry.type !== "file") return undefined;
  const path = str(entry.path);
  if (!path) return undefined;
  const lfs = isObject(entry.lfs) ? entry.lfs : undefined;
  const lastCommit = isObject(entry.lastCommit) ? entry.lastCommit : undefined;
  const file: RepoFile = { path, size: num(entry.size), lfsOid: lfs ? str(lfs.oid) : undefined };
  if (lastCommit) {
    const id = str(lastCommit.id);
    // @huggingface/hub's pathsInfo turns the date into a Date; the raw API gives a string.
    const date = lastCommit.date instanceof Date && !Number.isNaN(lastCommit.date.getTime()) ? lastCommit.date.toISOString() : str(lastCommit.date);
    if (id && date) file.lastCommit = { id, date, title: str(lastCommit.title) ?? "" };
  }
  const security = parseFileSecurity(entry.securityFileStatus ?? entry.security);
  if (security) file.security = security;
  return file;
}

/** `securityFileStatus` (since Oct 2024), or the older `security` shape with `pickleImportScan.imports`. */
export function parseFileSecurity(value: unknown): FileSecurityStatus | undefined {
  if (!isObject(value)) return undefined;
  const status = scanStatus(value.status);
  const scans: Partial<Record<ScannerName, SubScan>> = {};
  for (const name of SCANNER_NAMES) {
    const scan = parseSubScan(value[name]);
    if (scan) scans[name] = scan;
  }
  if (!status && Object.keys(scans).length === 0) return undefined;
  return { status: status ?? "unscanned", scans };
}

function parseSubScan(value: unknown): SubScan | undefined {
  if (!isObject(value)) return undefined;
  const status = scanStatus(value.status);
  if (!status) return undefined;
  const scan: SubScan = { status };
  const message = str(value.message);
  if (message) scan.message = message;
  const reportLink = str(value.reportLink);
  if (reportLink) scan.reportLink = reportLink;
  const reportLabel = str(value.reportLabel);
  if (reportLabel) scan.reportLabel = reportLabel;
  const imports = value.pickleImports ?? value.imports;
  if (Array.isArray(imports)) scan.pickleImports = imports.flatMap(parseImport);
  return scan;
}

function parseImport(value: unknown): PickleImport[] {
  if (!isObject(value)) return [];
  const module = str(value.module);
  const name = str(value.name);
  const safety = SAFETIES.find((s) => s === value.safety);
  return module !== undefined && name !== undefined && safety ? [{ module, name, safety }] : [];
}

export function parseDiscussionPage(body: unknown): { pullRequests: PullRequest[]; count: number; start: number } {
  if (!isObject(body) || !Array.isArray(body.discussions)) throw new MalformedError("discussions list has no discussions array");
  const pullRequests = body.discussions.flatMap((entry): PullRequest[] => {
    if (!isObject(entry) || entry.isPullRequest !== true) return [];
    const num = typeof entry.num === "number" ? entry.num : undefined;
    const status = entry.status;
    if (num === undefined || (status !== "draft" && status !== "open" && status !== "closed" && status !== "merged")) return [];
    const author = isObject(entry.author) ? str(entry.author.name) : undefined;
    return [{ num, title: str(entry.title) ?? "", status, createdAt: str(entry.createdAt) ?? "", author }];
  });
  return { pullRequests, count: num(body.count) ?? pullRequests.length, start: num(body.start) ?? 0 };
}

export function parseOrgOverview(body: unknown, name: string): AuthorInfo {
  if (!isObject(body)) throw new MalformedError("organization overview is not an object");
  return {
    kind: "org",
    name: str(body.name) ?? name,
    isVerified: body.isVerified === true,
    fullname: str(body.fullname),
    numFollowers: num(body.numFollowers),
  };
}

export function parseUserOverview(body: unknown, name: string): AuthorInfo {
  if (!isObject(body)) throw new MalformedError("user overview is not an object");
  return {
    kind: "user",
    name: str(body.user) ?? str(body.name) ?? name,
    createdAt: str(body.createdAt),
    numFollowers: num(body.numFollowers),
    isPro: bool(body.isPro),
  };
}
