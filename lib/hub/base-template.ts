/**
 * The base model's chat template, for the `template-changed` rule (issue 26): a derived repo (a
 * quantization, fine-tune, adapter or merge naming its `base_model`) is compared with what its
 * base ships, so a template that says more than the base's is seen.
 *
 * Where it comes from, cheapest first:
 * 1. The base's model info (`GET /api/models/{base}`, one API request, cached for a day by base
 *    id): `config.tokenizer_config.chat_template`, which the Hub sends even for gated repos, or
 *    `gguf.chat_template` when the base is itself a GGUF repo.
 * 2. When the info has none: its `chat_template.jinja`, else its `tokenizer_config.json`, read
 *    from `resolve` at the info's commit (a file read, not an API call; never for a gated or
 *    private base, whose files are refused).
 * 3. When the base has no template at all and is itself derived: its own base, the same way (two
 *    steps at most, a cycle refused).
 *
 * The second look, only when the first comparison found additions a model would follow (so the
 * common case stays at one request): at most two more API requests, either the other bases a
 * merge names, or the base's info at the commit in effect when the derived template was made
 * (its commit list, then its info at that commit), because a base that changed its template after
 * the quantization was made is the usual reason an honest copy differs.
 *
 * This module decides what to read; the client hands it the loaders (cached, through the API
 * transport or the plain fetch), so it stays testable without a Hub.
 */
import { compareWithBestBase, hasSevereAdditions } from "../readers/chat-template/compare";
import { namedTemplates } from "../readers/chat-template/sources";
import { MAX_KEPT_TEMPLATE_CHARS } from "../readers/chat-template/types";
import { baseModelCandidates } from "./base-model";
import type { RepoInfo } from "./facts";
import { factOf, gapOf, type Fact } from "./gaps";

/** What the extension keeps of a base model's info: small enough to be stored for a day. */
export interface BaseInfo {
  id: string;
  sha?: string;
  lastModified?: string;
  gated: boolean;
  private: boolean;
  /** `config.tokenizer_config.chat_template`; `text` left out when longer than the kept cap. */
  configTemplates: { name: string; text?: string; length: number }[];
  /** `gguf.chat_template`, for a base that is a GGUF repo. */
  ggufTemplate?: { text?: string; length: number };
  /** Its own base models (repo ids only), for a base that is itself derived. */
  bases: string[];
  files: { jinja: boolean; tokenizerConfig: boolean };
}

export type BaseTemplateSource =
  /** `config.tokenizer_config.chat_template` of the base's model info. */
  | "model-info"
  /** `gguf.chat_template` of the base's model info. */
  | "model-info-gguf"
  | "tokenizer-config"
  | "jinja";

export interface BaseTemplates {
  /** The repo the templates were read from, as the Hub names it. */
  repoId: string;
  source: BaseTemplateSource;
  /** The file read, for `tokenizer-config` and `jinja`. */
  path?: string;
  /** The commit the info was read at, when the Hub said. */
  sha?: string;
  /** Set when read at an earlier commit than the base's newest: which, and its date. */
  revision?: { sha: string; date: string };
  templates: { name: string; text: string }[];
  /** Names of templates too long to keep and compare. */
  tooLong: string[];
}

export type BaseTemplateLookup =
  | {
      status: "found";
      /** Every base the repo names (card first, then tags). */
      named: string[];
      /** Entries of `base_model` that are not repo ids. */
      invalid: string[];
      compared: BaseTemplates;
      /** Bases walked before the compared one, when it is a base's base (two steps). */
      via: string[];
      /** The compared base's own base, when it is itself derived (not followed: it has a template). */
      baseOfBase?: string;
      /** When the compared base last changed (its info's `lastModified`). */
      lastModified?: string;
      /** Read in the second look: other named bases, or the base at an earlier commit. */
      alternatives: BaseTemplates[];
      /** Why the second look could not be made, when it was needed. */
      secondLookGap?: string;
    }
  | { status: "none"; named: string[]; invalid: string[]; via: string[]; reason: string };

export interface BaseTemplateLoaders {
  /** The base's model info, at a commit when given (cached: a day by id, longer at a commit). */
  info(id: string, revision: string | undefined, signal?: AbortSignal): Promise<Fact<BaseInfo>>;
  /** The base's commits on main, newest first (one page). */
  commits(id: string, signal?: AbortSignal): Promise<Fact<{ id: string; date: string }[]>>;
  /** A file of the base at a commit, as text; undefined when longer than the extension reads. */
  file(id: string, sha: string, path: string, signal?: AbortSignal): Promise<Fact<string | undefined>>;
}

/** Steps followed from the derived repo: its base, and that base's base. */
export const MAX_BASE_STEPS = 2;
/** Other bases of a merge read in the second look. */
const MAX_OTHER_BASES = 2;

export function compactBaseInfo(info: RepoInfo): BaseInfo {
  const kept = (text: string) => (text.length <= MAX_KEPT_TEMPLATE_CHARS ? { text, length: text.length } : { length: text.length });
  const siblings = (info.siblingPaths ?? []).map((path) => path.toLowerCase());
  return {
    id: info.id,
    ...(info.sha ? { sha: info.sha } : {}),
    ...(info.lastModified ? { lastModified: info.lastModified } : {}),
    gated: info.gated === "auto" || info.gated === "manual",
    private: info.private === true,
    configTemplates: (info.configChatTemplates ?? []).map(({ name, template }) => ({ name, ...kept(template) })),
    ...(info.ggufChatTemplate !== undefined ? { ggufTemplate: kept(info.ggufChatTemplate) } : {}),
    bases: baseModelCandidates(info).ids,
    // Root files: what a loader given the repo id reads.
    files: { jinja: siblings.includes("chat_template.jinja"), tokenizerConfig: siblings.includes("tokenizer_config.json") },
  };
}

function templatesOfInfo(base: BaseInfo): Omit<BaseTemplates, "repoId"> | undefined {
  const fromConfig = base.configTemplates;
  if (fromConfig.length > 0) {
    return {
      source: "model-info",
      templates: fromConfig.flatMap(({ name, text }) => (text === undefined ? [] : [{ name, text }])),
      tooLong: fromConfig.filter((entry) => entry.text === undefined).map((entry) => entry.name),
    };
  }
  if (base.ggufTemplate) {
    const { text } = base.ggufTemplate;
    return { source: "model-info-gguf", templates: text === undefined ? [] : [{ name: "default", text }], tooLong: text === undefined ? ["default"] : [] };
  }
  return undefined;
}

function templatesOfFile(path: string, text: string): { name: string; template: string }[] {
  if (path === "chat_template.jinja") return [{ name: "default", template: text }];
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== "object" || body === null) return [];
    return namedTemplates((body as { chat_template?: unknown }).chat_template) ?? [];
  } catch {
    return [];
  }
}

type Step = { kind: "found"; templates: BaseTemplates; base: BaseInfo } | { kind: "none"; reason: string; base?: BaseInfo } | { kind: "gap"; fact: Fact<never> };

/** One base: its info, then (when the info has no template) one of its files. */
async function readBase(id: string, loaders: BaseTemplateLoaders, signal?: AbortSignal): Promise<Step> {
  const fact = await loaders.info(id, undefined, signal);
  if (!fact.ok) {
    const { gap } = fact;
    if (gap.kind === "not-found" || gap.kind === "unauthorized") return { kind: "none", reason: `the base model ${id} does not exist or is private` };
    if (gap.kind === "gated" || gap.kind === "disabled") return { kind: "none", reason: `the base model ${id} refused its model info (${gap.kind})` };
    return { kind: "gap", fact: gapOf(gap) };
  }
  const base = fact.value;
  const fromInfo = templatesOfInfo(base);
  if (fromInfo) return { kind: "found", base, templates: { repoId: base.id, ...(base.sha ? { sha: base.sha } : {}), ...fromInfo } };
  const path = base.files.jinja ? "chat_template.jinja" : base.files.tokenizerConfig ? "tokenizer_config.json" : undefined;
  if (path === undefined) return { kind: "none", base, reason: `${base.id} carries no chat template (none in its model info, and no tokenizer_config.json or chat_template.jinja)` };
  if (base.gated || base.private) return { kind: "none", base, reason: `${base.id} is ${base.gated ? "gated" : "private"}: its model info carries no chat template and its files cannot be read` };
  if (!base.sha) return { kind: "none", base, reason: `the Hub named no commit for ${base.id}, so its ${path} was not read` };
  const file = await loaders.file(base.id, base.sha, path, signal);
  if (!file.ok) return { kind: "gap", fact: gapOf(file.gap) };
  if (file.value === undefined) return { kind: "none", base, reason: `${base.id}'s ${path} is larger than the extension reads` };
  const named = templatesOfFile(path, file.value);
  if (named.length === 0) return { kind: "none", base, reason: `${base.id}'s ${path} sets no chat template` };
  const source: BaseTemplateSource = path === "chat_template.jinja" ? "jinja" : "tokenizer-config";
  return {
    kind: "found",
    base,
    templates: {
      repoId: base.id,
      source,
      path,
      sha: base.sha,
      templates: named.filter(({ template }) => template.length <= MAX_KEPT_TEMPLATE_CHARS).map(({ name, template }) => ({ name, text: template })),
      tooLong: named.filter(({ template }) => template.length > MAX_KEPT_TEMPLATE_CHARS).map(({ name }) => name),
    },
  };
}

/**
 * The base template a derived repo is compared with; undefined when the repo names no base at
 * all. A gap (network, rate limit, the Hub's error) stays a gap: the rule says `unknown`.
 */
export async function lookUpBaseTemplate(info: Pick<RepoInfo, "id" | "tags" | "cardBaseModels">, loaders: BaseTemplateLoaders, signal?: AbortSignal): Promise<Fact<BaseTemplateLookup> | undefined> {
  const candidates = baseModelCandidates(info);
  const { ids: named, invalid } = candidates;
  if (named.length === 0) {
    if (invalid.length === 0 && !candidates.selfReference) return undefined;
    const reason =
      invalid.length > 0
        ? `its base_model ${invalid.length === 1 ? "names" : "entries name"} ${invalid.map((entry) => `"${entry}"`).join(", ")}, which ${invalid.length === 1 ? "is not a repo id" : "are not repo ids"}`
        : "it names itself as its base model";
    return factOf({ status: "none", named, invalid, via: [], reason });
  }
  const first = named[0] as string;
  const visited = new Set([info.id.toLowerCase()]);
  const via: string[] = [];
  let id: string | undefined = first;
  let lastReason = "";
  for (let step = 1; id !== undefined && step <= MAX_BASE_STEPS; step++) {
    if (visited.has(id.toLowerCase())) {
      lastReason = `${lastReason ? `${lastReason}; ` : ""}the base models name each other in a cycle (${[...via, id].join(" → ")})`;
      break;
    }
    visited.add(id.toLowerCase());
    const result = await readBase(id, loaders, signal);
    if (result.kind === "gap") return result.fact;
    if (result.kind === "found") {
      const baseOfBase = result.base.bases.find((candidate) => !visited.has(candidate.toLowerCase()));
      return factOf({
        status: "found",
        named,
        invalid,
        compared: result.templates,
        via,
        ...(baseOfBase ? { baseOfBase } : {}),
        ...(result.base.lastModified ? { lastModified: result.base.lastModified } : {}),
        alternatives: [],
      });
    }
    lastReason = lastReason ? `${lastReason}; ${result.reason}` : result.reason;
    via.push(result.base?.id ?? id);
    const next: string | undefined = result.base?.bases[0];
    if (next !== undefined && step === MAX_BASE_STEPS) lastReason += `; its base ${next} was not followed (the extension follows two steps)`;
    id = next;
  }
  return factOf({ status: "none", named, invalid, via, reason: lastReason });
}

/** A derived template to compare, with when it was last written (an upper bound), for the revision check. */
export interface DerivedTemplate {
  name: string;
  text: string;
  /** ISO date: the file's last commit, or the repo's last change. */
  writtenBy?: string;
}

/**
 * When the first comparison found additions a model would follow: read what could explain them
 * (the other bases a merge names, or the base at the commit in effect when the derived template
 * was made). Nothing is read otherwise. At most two API requests.
 */
export async function secondLook(lookup: BaseTemplateLookup, derived: readonly DerivedTemplate[], loaders: BaseTemplateLoaders, signal?: AbortSignal): Promise<BaseTemplateLookup> {
  if (lookup.status !== "found") return lookup;
  const suspicious = derived.filter((template) => {
    const best = compareWithBestBase(template, lookup.compared.templates);
    return best !== undefined && hasSevereAdditions(best.comparison);
  });
  if (suspicious.length === 0) return lookup;

  const others = lookup.named.filter((id) => id.toLowerCase() !== lookup.compared.repoId.toLowerCase() && !lookup.via.some((walked) => walked.toLowerCase() === id.toLowerCase()));
  if (others.length > 0) {
    const alternatives: BaseTemplates[] = [];
    const gaps: string[] = [];
    for (const id of others.slice(0, MAX_OTHER_BASES)) {
      const result = await readBase(id, loaders, signal);
      if (result.kind === "found") alternatives.push(result.templates);
      else if (result.kind === "gap" && !result.fact.ok) gaps.push(`${id}: ${result.fact.gap.message}`);
    }
    const notRead = others.length > MAX_OTHER_BASES ? [`${others.length - MAX_OTHER_BASES} more bases were not read`] : [];
    const secondLookGap = [...gaps, ...notRead].join("; ");
    return { ...lookup, alternatives, ...(secondLookGap ? { secondLookGap } : {}) };
  }

  // One base: did it change its template after the derived one was made?
  const written = suspicious.map((template) => template.writtenBy).find((date) => date !== undefined && !Number.isNaN(Date.parse(date)));
  const changed = lookup.lastModified;
  if (written === undefined || changed === undefined || !(Date.parse(changed) > Date.parse(written))) return lookup;
  const baseId = lookup.compared.repoId;
  const commits = await loaders.commits(baseId, signal);
  if (!commits.ok) return { ...lookup, secondLookGap: `the base's history could not be read: ${commits.gap.message}` };
  const before = commits.value.find((commit) => Date.parse(commit.date) <= Date.parse(written));
  if (!before) return { ...lookup, secondLookGap: `the base's history on the Hub's first page starts after ${written.slice(0, 10)}` };
  if (before.id === lookup.compared.sha) return lookup;
  const older = await loaders.info(baseId, before.id, signal);
  if (!older.ok) return { ...lookup, secondLookGap: `the base at commit ${before.id.slice(0, 7)} could not be read: ${older.gap.message}` };
  const templates = templatesOfInfo(older.value);
  if (!templates) return { ...lookup, secondLookGap: `the base's model info at commit ${before.id.slice(0, 7)} carries no chat template` };
  return { ...lookup, alternatives: [{ repoId: older.value.id, sha: before.id, revision: { sha: before.id, date: before.date }, ...templates }] };
}
