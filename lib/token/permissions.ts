/**
 * Fine-grained permission strings in plain words, and scopes grouped the way a person thinks of them:
 * their own account, their organizations, single repos.
 *
 * Sources: shared/reference/hub-api.md ("Permission strings seen"), the whoami-v2 schema (entity types).
 * Strings marked (unconfirmed) there are described too; anything not listed here is shown verbatim and
 * flagged `known: false`, never hidden.
 */
import type { FineGrainedPermissions, FineGrainedScope } from "./whoami";

export interface PermissionDescription {
  /** The Hub's permission string, verbatim. */
  permission: string;
  /** Plain words; for an unknown permission, the string itself. */
  words: string;
  known: boolean;
  /** The permission changes something (its name ends in `.write`), as opposed to reading. */
  writes: boolean;
}

const PERMISSION_WORDS: Readonly<Record<string, string>> = {
  "repo.content.read": "read files of repos",
  "repo.access.read": "see access requests to gated repos",
  "repo.write": "write to repos (push, create, delete branches)",
  "inference.serverless.write": "make calls to Inference Providers (billed to the account)",
  "inference.endpoints.infer.write": "make calls to Inference Endpoints",
  "inference.endpoints.write": "create, change and delete Inference Endpoints (billed to the account)",
  "org.read": "read organization settings",
  "org.write": "change organization settings",
  "org.members.read": "see organization members",
  "org.members.write": "manage organization members",
  "org.serviceAccounts.read": "see the organization's service accounts",
  "org.serviceAccounts.write": "create and manage the organization's service accounts",
  "collection.read": "read collections",
  "collection.write": "create, change and delete collections",
  "resourceGroup.write": "manage resource groups",
  "job.write": "start and manage Jobs (run code on Hugging Face hardware, billed to the account)",
  "discussion.write": "open discussions and pull requests, and comment",
  "post.write": "publish posts",
  "user.billing.read": "read billing information",
  "user.webhooks.read": "see webhooks",
  "user.webhooks.write": "create and change webhooks",
  "user.notifications.read": "read notifications",
};

export function describePermission(permission: string): PermissionDescription {
  const words = Object.prototype.hasOwnProperty.call(PERMISSION_WORDS, permission)
    ? PERMISSION_WORDS[permission]
    : undefined;
  return {
    permission,
    words: words ?? permission,
    known: words !== undefined,
    writes: permission.endsWith(".write"),
  };
}

/** Where a scope applies. `other` keeps entity types the Hub may add (collection, resource-group, …) visible. */
export type ScopeGroup = "user" | "org" | "repo" | "other";

const REPO_ENTITY_TYPES: ReadonlySet<string> = new Set(["model", "dataset", "space"]);

export function scopeGroupOf(entityType: string): ScopeGroup {
  if (entityType === "user") return "user";
  if (entityType === "org") return "org";
  if (REPO_ENTITY_TYPES.has(entityType)) return "repo";
  return "other";
}

export interface DescribedScope {
  group: ScopeGroup;
  /** As given: "user", "org", "model", "dataset", "space", … */
  entityType: string;
  entityId: string;
  entityName?: string;
  /** Human label, e.g. "model alice/bert-tiny", "organization acme", "your account alice". */
  label: string;
  permissions: PermissionDescription[];
}

export interface GroupedScopes {
  user: DescribedScope[];
  org: DescribedScope[];
  repo: DescribedScope[];
  other: DescribedScope[];
  /** Permissions not tied to one entity. */
  global: PermissionDescription[];
  /** Fine-grained flag: read public gated repos the account was granted. Undefined when not given. */
  canReadGatedRepos?: boolean;
}

function labelOf(scope: FineGrainedScope, group: ScopeGroup): string {
  const name = scope.entity.name;
  const shown = name !== undefined && name !== "" ? name : `id ${scope.entity._id}`;
  switch (group) {
    case "user":
      return `account ${shown}`;
    case "org":
      return `organization ${shown}`;
    case "repo":
      return `${scope.entity.type} ${shown}`;
    case "other":
      return `${scope.entity.type} ${shown}`;
  }
}

export function describeScope(scope: FineGrainedScope): DescribedScope {
  const group = scopeGroupOf(scope.entity.type);
  const described: DescribedScope = {
    group,
    entityType: scope.entity.type,
    entityId: scope.entity._id,
    label: labelOf(scope, group),
    permissions: scope.permissions.map(describePermission),
  };
  if (scope.entity.name !== undefined) described.entityName = scope.entity.name;
  return described;
}

export function emptyGroupedScopes(): GroupedScopes {
  return { user: [], org: [], repo: [], other: [], global: [] };
}

export function groupScopes(fineGrained: FineGrainedPermissions | undefined): GroupedScopes {
  const grouped = emptyGroupedScopes();
  if (fineGrained === undefined) return grouped;
  for (const scope of fineGrained.scoped) {
    const described = describeScope(scope);
    grouped[described.group].push(described);
  }
  grouped.global = fineGrained.global.map(describePermission);
  if (fineGrained.canReadGatedRepos !== undefined) grouped.canReadGatedRepos = fineGrained.canReadGatedRepos;
  return grouped;
}

export const SCOPE_GROUP_TITLES: Record<ScopeGroup, string> = {
  user: "Your account",
  org: "Organizations",
  repo: "Single repos",
  other: "Other",
};

/** Number of entities the token is scoped to. */
export function scopedEntityCount(scopes: GroupedScopes): number {
  return scopes.user.length + scopes.org.length + scopes.repo.length + scopes.other.length;
}
