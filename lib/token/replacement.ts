/**
 * Links to replace a token with the narrowest fine-grained one for a use, and the steps to revoke the old one.
 *
 * Query parameters of https://huggingface.co/settings/tokens/new, as far as they could be confirmed:
 * - `tokenType=fineGrained` and `ownUserPermissions=inference.serverless.write`: Hugging Face's own docs
 *   (huggingface/hub-docs, docs/inference-providers/tasks/*.md: "You can generate one from your settings page",
 *   https://huggingface.co/settings/tokens/new?ownUserPermissions=inference.serverless.write&tokenType=fineGrained).
 * - `canReadGatedRepos=true`: Hugging Face's Microsoft Azure guide "access gated models"
 *   (…/settings/tokens/new?canReadGatedRepos=true&tokenType=fineGrained), and many projects using it.
 * - `ownUserPermissions=repo.content.read` (repeatable): listed in shared/reference/hub-api.md and seen in
 *   third-party code (e.g. argilla's synthetic-data-generator snippets), not in a Hugging Face page.
 * - Not used: `globalPermissions`, `orgs`, `orgPermissions` (third-party code only) and `preset=` (Hugging Face
 *   changelog "token presets"), because this module does not need them.
 * - No parameter was found that pre-selects a single repo, so the "push" link opens the fine-grained form and
 *   the steps say which repo to pick and what to tick. (Pre-filling `ownUserPermissions=repo.write` would grant
 *   write to every repo of the account: the opposite of what "push to one repo" needs.)
 * The form ignores unknown parameters, so a wrong guess would only leave a box unticked; the steps always say
 * what to tick, so the user never depends on the pre-fill.
 */

export const HUB_ORIGIN = "https://huggingface.co";
export const TOKENS_SETTINGS_URL = `${HUB_ORIGIN}/settings/tokens`;
export const NEW_FINE_GRAINED_TOKEN_URL = `${HUB_ORIGIN}/settings/tokens/new?tokenType=fineGrained`;

export const TOKEN_USE_CASES = ["download", "push", "inference"] as const;
export type TokenUseCase = (typeof TOKEN_USE_CASES)[number];

export const TOKEN_USE_CASE_WORDS: Record<TokenUseCase, string> = {
  download: "Download models and datasets (public, gated, and your own private ones)",
  push: "Push to one repo",
  inference: "Call Inference Providers",
};

export type RepoKind = "model" | "dataset" | "space";

export interface RepoIdInput {
  /** "owner/name" */
  repoId: string;
  kind: RepoKind;
}

export type RepoIdCheck = { ok: true; repo: RepoIdInput } | { ok: false; message: string };

// Hugging Face repo names (huggingface_hub validate_repo_id): letters, digits, "-", "_", "."; at most 96
// characters; no "--" or ".."; not starting or ending with "-" or "."; not ending with ".git".
const REPO_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;

function validPart(part: string): boolean {
  return REPO_PART.test(part) && !part.includes("--") && !part.includes("..") && !part.endsWith(".git");
}

/**
 * Accepts "owner/name", "datasets/owner/name", "spaces/owner/name", or a huggingface.co URL of the repo.
 * The answer never echoes the input (it is safe to show even if someone pasted a token there).
 */
export function checkRepoId(input: string): RepoIdCheck {
  let text = input.trim();
  if (text === "") return { ok: false, message: "Enter the repo to push to, as owner/name." };
  const origin = `${HUB_ORIGIN}/`;
  if (text.startsWith(origin)) text = text.slice(origin.length);
  text = text.replace(/\/+$/, "");
  const parts = text.split("/");
  let kind: RepoKind = "model";
  if (parts[0] === "datasets" || parts[0] === "spaces" || parts[0] === "models") {
    kind = parts[0] === "datasets" ? "dataset" : parts[0] === "spaces" ? "space" : "model";
    parts.shift();
  }
  // A page URL inside the repo (…/tree/main, …/blob/…): keep owner/name.
  const [owner, name] = parts;
  if (owner === undefined || name === undefined || owner === "" || name === "") {
    return { ok: false, message: "Enter the repo as owner/name, for example your-name/my-model." };
  }
  if (parts.length > 2 && !["tree", "blob", "resolve", "discussions", "commits", "settings"].includes(parts[2] ?? "")) {
    return { ok: false, message: "Enter the repo as owner/name, for example your-name/my-model." };
  }
  if (!validPart(owner) || !validPart(name)) {
    return {
      ok: false,
      message:
        "That is not a valid Hugging Face repo id: use letters, digits, “-”, “_” and “.” (at most 96), as owner/name.",
    };
  }
  return { ok: true, repo: { repoId: `${owner}/${name}`, kind } };
}

export function repoPageUrl(repo: RepoIdInput): string {
  const prefix = repo.kind === "dataset" ? "/datasets" : repo.kind === "space" ? "/spaces" : "";
  return `${HUB_ORIGIN}${prefix}/${repo.repoId.split("/").map(encodeURIComponent).join("/")}`;
}

export interface ReplacementPlan {
  useCase: TokenUseCase;
  /** Opens the token creation form, pre-filled where a parameter is known. */
  createUrl: string;
  /** What the new token will be able to do, in plain words. */
  summary: string;
  /** What to tick (or check) in the form: the pre-fill is a convenience, these steps are the source of truth. */
  steps: string[];
}

export type ReplacementResult = { ok: true; plan: ReplacementPlan } | { ok: false; message: string };

function formUrl(params: [string, string][]): string {
  const url = new URL(`${HUB_ORIGIN}/settings/tokens/new`);
  url.searchParams.append("tokenType", "fineGrained");
  for (const [k, v] of params) url.searchParams.append(k, v);
  return url.toString();
}

/**
 * The narrowest replacement for a use. `repo` is required for "push" (raw text is validated with `checkRepoId`).
 */
export function replacementFor(useCase: TokenUseCase, repo?: string): ReplacementResult {
  switch (useCase) {
    case "download":
      return {
        ok: true,
        plan: {
          useCase,
          createUrl: formUrl([
            ["ownUserPermissions", "repo.content.read"],
            ["canReadGatedRepos", "true"],
          ]),
          summary:
            "Reads files of your own repos and of the public gated repos you were granted. It cannot write anything. (Public repos need no token at all.)",
          steps: [
            "Check that the token type is “Fine-grained” and give it a name that says where it will be used.",
            "Under your account's Repositories permissions, tick only “Read access to contents of all repos under your personal namespace”.",
            "Tick “Read access to contents of all public gated repos you can access” if you use gated models.",
            "Leave every write, inference, organization and billing box unticked, then create the token.",
          ],
        },
      };
    case "push": {
      if (repo === undefined) return { ok: false, message: "Enter the repo to push to, as owner/name." };
      const checked = checkRepoId(repo);
      if (!checked.ok) return checked;
      const { repoId, kind } = checked.repo;
      return {
        ok: true,
        plan: {
          useCase,
          // No known parameter selects one repo: open the plain fine-grained form (see the module comment).
          createUrl: NEW_FINE_GRAINED_TOKEN_URL,
          summary: `Writes to the ${kind} ${repoId} only; every other repo stays out of reach.`,
          steps: [
            "Check that the token type is “Fine-grained” and give it a name that says where it will be used.",
            `Under “Repositories permissions”, search for ${repoId} and select it.`,
            "For that repo, tick “Write access to contents/settings” (reading comes with it). Tick nothing else.",
            "Leave your account-wide and organization boxes unticked, then create the token.",
          ],
        },
      };
    }
    case "inference":
      return {
        ok: true,
        plan: {
          useCase,
          createUrl: formUrl([["ownUserPermissions", "inference.serverless.write"]]),
          summary:
            "Makes calls to Inference Providers, billed to your account. It cannot read private repos or write anything.",
          steps: [
            "Check that the token type is “Fine-grained” and give it a name that says where it will be used.",
            "Under Inference, tick only “Make calls to Inference Providers”.",
            "Leave every repository, organization and billing box unticked, then create the token.",
          ],
        },
      };
  }
}

/** Steps to retire the old token once the new one works. Never includes the token itself. */
export function revokeSteps(tokenName?: string): string[] {
  const which = tokenName !== undefined && tokenName !== "" ? `the token named “${tokenName}”` : "the old token";
  return [
    "Create the new token, and put it everywhere the old one was used (scripts, notebooks, CI secrets, `hf auth login`).",
    "Run what uses it once, to check that the new token is enough.",
    `Open ${TOKENS_SETTINGS_URL}, find ${which} and choose “Invalidate and refresh” or “Delete” in its menu.`,
    "If the old token may have leaked, do this first, and check your repos' recent commits and your organizations' audit logs.",
  ];
}
