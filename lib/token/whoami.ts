/**
 * Boundary validation of `GET /api/whoami-v2` (shared/reference/api-samples/09_openapi_whoami-v2.schema.json,
 * 17_whoami-v2_real_write_token_hubci.json).
 *
 * Policy: every field may be missing, and a missing or wrongly typed *descriptive* field (fullname, an org's plan)
 * is simply left out. Fields that decide the audit are strict: a response whose token role or fine-grained scopes
 * cannot be read is `malformed-response`, never a quietly narrower token (a failing source must not look "fine").
 * Personal data the review does not need (email, avatar, billing) is not copied.
 */

export interface WhoAmIOrg {
  name: string;
  fullname?: string;
  /** "admin" | "write" | "contributor" | "read" | "no_access" today; kept as given. */
  roleInOrg?: string;
  plan?: string;
  securityRestrictions?: string[];
}

export interface FineGrainedEntity {
  _id: string;
  /** "user" | "org" | "model" | "dataset" | "space" | "bucket" | "kernel" | "collection" | "resource-group" | … as given. */
  type: string;
  name?: string;
}

export interface FineGrainedScope {
  entity: FineGrainedEntity;
  permissions: string[];
}

export interface FineGrainedPermissions {
  canReadGatedRepos?: boolean;
  /** Permissions not tied to an entity, e.g. discussion.write, post.write. */
  global: string[];
  scoped: FineGrainedScope[];
}

export interface WhoAmIAccessToken {
  displayName?: string;
  /** ISO date-time as given. */
  createdAt?: string;
  /** "read" | "write" | "god" | "fineGrained" | … as given by the Hub. */
  role?: string;
  fineGrained?: FineGrainedPermissions;
}

export interface WhoAmIAuth {
  /** e.g. "access_token", "oauth". */
  type?: string;
  expiresAt?: string;
  accessToken?: WhoAmIAccessToken;
}

export interface WhoAmI {
  /** "user" for user tokens; organization API tokens answer with "org". */
  type?: string;
  id?: string;
  name: string;
  fullname?: string;
  isPro?: boolean;
  orgs: WhoAmIOrg[];
  auth: WhoAmIAuth;
}

export interface WhoAmIParseError {
  kind: "malformed-response";
  message: string;
  /** Where the problem is, e.g. "auth.accessToken.fineGrained.scoped[2].permissions". */
  path: string;
}

export type WhoAmIParseResult = { ok: true; value: WhoAmI } | { ok: false; error: WhoAmIParseError };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optString(obj: Json, key: string): string | undefined {
  const v = obj[key];
  return typeof v === "string" ? v : undefined;
}

function optBoolean(obj: Json, key: string): boolean | undefined {
  const v = obj[key];
  return typeof v === "boolean" ? v : undefined;
}

/** Thrown only inside this module and turned into a `WhoAmIParseError` by `parseWhoAmI`. */
class Malformed extends Error {
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} is not ${what}`);
  }
}

function stringArray(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw new Malformed(path, "a list of strings");
  return value.map((item, i) => {
    if (typeof item !== "string") throw new Malformed(`${path}[${i}]`, "a string");
    return item;
  });
}

/** A descriptive list where odd entries are dropped rather than failing the whole review. */
function lenientStringArray(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((x): x is string => typeof x === "string");
}

function parseOrg(value: unknown): WhoAmIOrg | undefined {
  if (!isObject(value)) return undefined;
  const name = optString(value, "name");
  if (name === undefined || name === "") return undefined;
  const org: WhoAmIOrg = { name };
  const fullname = optString(value, "fullname");
  if (fullname !== undefined) org.fullname = fullname;
  const roleInOrg = optString(value, "roleInOrg");
  if (roleInOrg !== undefined) org.roleInOrg = roleInOrg;
  const plan = optString(value, "plan");
  if (plan !== undefined) org.plan = plan;
  const restrictions = lenientStringArray(value["securityRestrictions"]);
  if (restrictions !== undefined) org.securityRestrictions = restrictions;
  return org;
}

function parseScope(value: unknown, path: string): FineGrainedScope {
  if (!isObject(value)) throw new Malformed(path, "an object");
  const entity = value["entity"];
  if (!isObject(entity)) throw new Malformed(`${path}.entity`, "an object");
  const id = entity["_id"];
  const type = entity["type"];
  if (typeof id !== "string") throw new Malformed(`${path}.entity._id`, "a string");
  if (typeof type !== "string" || type === "") throw new Malformed(`${path}.entity.type`, "a string");
  const parsedEntity: FineGrainedEntity = { _id: id, type };
  const name = optString(entity, "name");
  if (name !== undefined) parsedEntity.name = name;
  return { entity: parsedEntity, permissions: stringArray(value["permissions"], `${path}.permissions`) };
}

function parseFineGrained(value: unknown, path: string): FineGrainedPermissions {
  if (!isObject(value)) throw new Malformed(path, "an object");
  const rawScoped = value["scoped"];
  // `scoped` is required by the schema; an absent list is read as "no scoped permissions", a wrong type is an error.
  const scoped =
    rawScoped === undefined
      ? []
      : Array.isArray(rawScoped)
        ? rawScoped.map((s, i) => parseScope(s, `${path}.scoped[${i}]`))
        : (() => {
            throw new Malformed(`${path}.scoped`, "a list");
          })();
  const rawGlobal = value["global"];
  const global = rawGlobal === undefined ? [] : stringArray(rawGlobal, `${path}.global`);
  const fg: FineGrainedPermissions = { global, scoped };
  const gated = value["canReadGatedRepos"];
  if (gated !== undefined) {
    if (typeof gated !== "boolean") throw new Malformed(`${path}.canReadGatedRepos`, "true or false");
    fg.canReadGatedRepos = gated;
  }
  return fg;
}

function parseAccessToken(value: unknown, path: string): WhoAmIAccessToken {
  if (!isObject(value)) throw new Malformed(path, "an object");
  const token: WhoAmIAccessToken = {};
  const displayName = optString(value, "displayName");
  if (displayName !== undefined) token.displayName = displayName;
  const createdAt = optString(value, "createdAt");
  if (createdAt !== undefined) token.createdAt = createdAt;
  const role = value["role"];
  if (role !== undefined) {
    if (typeof role !== "string") throw new Malformed(`${path}.role`, "a string");
    token.role = role;
  }
  if (value["fineGrained"] !== undefined && value["fineGrained"] !== null) {
    token.fineGrained = parseFineGrained(value["fineGrained"], `${path}.fineGrained`);
  }
  return token;
}

function parseAuth(value: unknown): WhoAmIAuth {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new Malformed("auth", "an object");
  const auth: WhoAmIAuth = {};
  const type = optString(value, "type");
  if (type !== undefined) auth.type = type;
  const expiresAt = optString(value, "expiresAt");
  if (expiresAt !== undefined) auth.expiresAt = expiresAt;
  if (value["accessToken"] !== undefined && value["accessToken"] !== null) {
    auth.accessToken = parseAccessToken(value["accessToken"], "auth.accessToken");
  }
  return auth;
}

export function parseWhoAmI(json: unknown): WhoAmIParseResult {
  try {
    if (!isObject(json)) throw new Malformed("", "an object");
    const name = json["name"];
    if (typeof name !== "string" || name === "") throw new Malformed("name", "the account name");
    const who: WhoAmI = {
      name,
      orgs: Array.isArray(json["orgs"])
        ? json["orgs"].map(parseOrg).filter((o): o is WhoAmIOrg => o !== undefined)
        : [],
      auth: parseAuth(json["auth"]),
    };
    const type = optString(json, "type");
    if (type !== undefined) who.type = type;
    const id = optString(json, "id");
    if (id !== undefined) who.id = id;
    const fullname = optString(json, "fullname");
    if (fullname !== undefined) who.fullname = fullname;
    const isPro = optBoolean(json, "isPro");
    if (isPro !== undefined) who.isPro = isPro;
    return { ok: true, value: who };
  } catch (e) {
    if (e instanceof Malformed) {
      const where = e.path === "" ? "the response" : `“${e.path}”`;
      return {
        ok: false,
        error: {
          kind: "malformed-response",
          message: `The Hub's answer about this token could not be read: ${where} should be ${e.what}.`,
          path: e.path,
        },
      };
    }
    throw e;
  }
}
