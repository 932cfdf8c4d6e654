import { describe, expect, it } from "vitest";
import { describePermission, groupScopes, scopeGroupOf } from "../../../lib/token/permissions";

describe("describePermission", () => {
  it.each([
    ["repo.content.read", "read files of repos", false],
    ["repo.write", "write to repos (push, create, delete branches)", true],
    ["inference.serverless.write", "make calls to Inference Providers (billed to the account)", true],
    ["org.members.write", "manage organization members", true],
    ["discussion.write", "open discussions and pull requests, and comment", true],
  ])("%s → %s", (permission, words, writes) => {
    expect(describePermission(permission)).toEqual({ permission, words, known: true, writes });
  });

  it("shows unknown strings verbatim, marked unknown", () => {
    expect(describePermission("repo.teleport")).toEqual({
      permission: "repo.teleport",
      words: "repo.teleport",
      known: false,
      writes: false,
    });
    // Not fooled by Object.prototype keys.
    expect(describePermission("constructor").known).toBe(false);
    expect(describePermission("__proto__").words).toBe("__proto__");
  });
});

describe("groupScopes", () => {
  it.each([
    ["user", "user"],
    ["org", "org"],
    ["model", "repo"],
    ["dataset", "repo"],
    ["space", "repo"],
    ["collection", "other"],
    ["resource-group", "other"],
  ] as const)("entity type %s goes to %s", (type, group) => {
    expect(scopeGroupOf(type)).toBe(group);
  });

  it("groups scopes and labels entities, by id when the name is missing", () => {
    const grouped = groupScopes({
      global: ["post.write"],
      scoped: [
        { entity: { _id: "u1", type: "user", name: "me" }, permissions: ["repo.content.read"] },
        { entity: { _id: "o1", type: "org" }, permissions: ["org.read"] },
        { entity: { _id: "d1", type: "dataset", name: "me/data" }, permissions: ["repo.write"] },
      ],
    });
    expect(grouped.user.map((s) => s.label)).toEqual(["account me"]);
    expect(grouped.org.map((s) => s.label)).toEqual(["organization id o1"]);
    expect(grouped.repo.map((s) => s.label)).toEqual(["dataset me/data"]);
    expect(grouped.global.map((p) => p.words)).toEqual(["publish posts"]);
    expect(grouped.canReadGatedRepos).toBeUndefined();
  });
});
