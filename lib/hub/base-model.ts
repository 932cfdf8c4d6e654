/**
 * Which repos a model says it is derived from (issue 26): the model card's `base_model` (a string,
 * or a list for merges) and the tags the Hub derives from it, `base_model:quantized:<id>`,
 * `base_model:finetune:<id>`, `base_model:adapter:<id>`, `base_model:merge:<id>` and the plain
 * `base_model:<id>` (https://huggingface.co/docs/hub/model-cards#specifying-a-base-model). Card
 * entries come first, in their order: the card is what the author wrote. Pure.
 */
import type { RepoInfo } from "./facts";

export interface BaseModelCandidates {
  /** Repo ids, in order, each once (compared case-insensitively), never the repo itself. */
  ids: string[];
  /** Entries that are not repo ids (`../x`, a URL, 500 characters): named so the finding can say so. */
  invalid: string[];
  /** The repo names itself as its base. */
  selfReference: boolean;
}

const RELATIONS = ["quantized:", "finetune:", "adapter:", "merge:"];
/** huggingface_hub's `validate_repo_id`: `[owner/]name` of word characters, `-` and `.`, at most 96 characters. */
const REPO_ID = /^(?:[\w.-]+\/)?[\w.-]+$/;
const MAX_REPO_ID_CHARS = 96;

export function isRepoId(value: string): boolean {
  if (value.length === 0 || value.length > MAX_REPO_ID_CHARS || !REPO_ID.test(value)) return false;
  if (value.includes("--") || value.includes("..") || value.endsWith(".git")) return false;
  return value.split("/").every((part) => /^[A-Za-z0-9]/.test(part) && /[A-Za-z0-9]$/.test(part));
}

/** The base named by one tag, or undefined when the tag is not a `base_model` one. */
function tagBase(tag: string): string | undefined {
  if (!tag.startsWith("base_model:")) return undefined;
  let rest = tag.slice("base_model:".length);
  const relation = RELATIONS.find((prefix) => rest.startsWith(prefix));
  if (relation) rest = rest.slice(relation.length);
  return rest;
}

export function baseModelCandidates(info: Pick<RepoInfo, "id" | "tags" | "cardBaseModels">): BaseModelCandidates {
  const self = info.id.toLowerCase();
  const seen = new Set<string>();
  const ids: string[] = [];
  const invalid: string[] = [];
  let selfReference = false;
  const entries = [...(info.cardBaseModels ?? []), ...info.tags.flatMap((tag) => tagBase(tag) ?? [])];
  for (const entry of entries) {
    const key = entry.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!isRepoId(entry)) invalid.push(entry);
    else if (key === self) selfReference = true;
    else ids.push(entry);
  }
  return { ids, invalid, selfReference };
}

/** Does the repo name a base model at all (even an unusable one)? */
export function namesBaseModel(info: Pick<RepoInfo, "id" | "tags" | "cardBaseModels">): boolean {
  const candidates = baseModelCandidates(info);
  return candidates.ids.length > 0 || candidates.invalid.length > 0 || candidates.selfReference;
}
