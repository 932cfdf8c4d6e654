import { describe, expect, it } from "vitest";
import { parseWhoAmI } from "../../../lib/token/whoami";
import { loadWhoami } from "./helpers";

describe("parseWhoAmI", () => {
  it("reads the real classic write token sample (17) and drops personal data", () => {
    const result = parseWhoAmI(loadWhoami("classic-write-hubci.json"));
    expect(result).toEqual({
      ok: true,
      value: {
        type: "user",
        id: "62f264b9f3c90f4b6514a269",
        name: "hub.js",
        fullname: "@huggingface/hub CI bot",
        isPro: false,
        orgs: [],
        auth: {
          type: "access_token",
          accessToken: { displayName: "ci-hub.js", role: "write", createdAt: "1970-01-01T00:00:00.000Z" },
        },
      },
    });
    expect(JSON.stringify(result)).not.toContain("example.org");
  });

  it("reads fine-grained scopes, global permissions and org roles", () => {
    const result = parseWhoAmI(loadWhoami("fine-grained-broad-org-admin.json"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const fg = result.value.auth.accessToken?.fineGrained;
    expect(fg?.canReadGatedRepos).toBe(true);
    expect(fg?.global).toEqual(["discussion.write", "post.write"]);
    expect(fg?.scoped).toHaveLength(6);
    expect(fg?.scoped[1]).toEqual({
      entity: { _id: "650a1b2c3d4e5f6a7b8c9d0e", type: "org", name: "acme-ai" },
      permissions: ["repo.content.read", "repo.write", "org.read", "org.write", "inference.endpoints.write"],
    });
    expect(result.value.orgs.map((o) => [o.name, o.roleInOrg, o.plan])).toEqual([
      ["acme-ai", "admin", "enterprise"],
      ["acme-research", "contributor", undefined],
    ]);
  });

  it("tolerates missing fields", () => {
    expect(parseWhoAmI({ name: "someone" })).toEqual({ ok: true, value: { name: "someone", orgs: [], auth: {} } });
    const noScoped = parseWhoAmI({
      name: "x",
      auth: { accessToken: { role: "fineGrained", fineGrained: {} } },
    });
    expect(noScoped.ok && noScoped.value.auth.accessToken?.fineGrained).toEqual({ global: [], scoped: [] });
  });

  it("drops odd descriptive fields instead of failing", () => {
    const result = parseWhoAmI({ name: "x", fullname: 3, orgs: [{ name: "ok-org", plan: 7 }, { nope: true }, "x"] });
    expect(result).toEqual({ ok: true, value: { name: "x", orgs: [{ name: "ok-org" }], auth: {} } });
  });

  it.each([
    ["not an object", null, ""],
    ["an array", [], ""],
    ["a string", "hello", ""],
    ["no name", { type: "user" }, "name"],
    ["auth not an object", { name: "x", auth: "token" }, "auth"],
    ["role not a string", { name: "x", auth: { accessToken: { role: 3 } } }, "auth.accessToken.role"],
    [
      "scoped not a list",
      { name: "x", auth: { accessToken: { role: "fineGrained", fineGrained: { scoped: {} } } } },
      "auth.accessToken.fineGrained.scoped",
    ],
    [
      "a scope without entity type",
      {
        name: "x",
        auth: { accessToken: { role: "fineGrained", fineGrained: { scoped: [{ entity: { _id: "a" }, permissions: [] }] } } },
      },
      "auth.accessToken.fineGrained.scoped[0].entity.type",
    ],
    [
      "a permission that is not a string",
      {
        name: "x",
        auth: {
          accessToken: {
            role: "fineGrained",
            fineGrained: { scoped: [{ entity: { _id: "a", type: "user" }, permissions: ["repo.write", 1] }] },
          },
        },
      },
      "auth.accessToken.fineGrained.scoped[0].permissions[1]",
    ],
    [
      "canReadGatedRepos not a boolean",
      { name: "x", auth: { accessToken: { fineGrained: { scoped: [], canReadGatedRepos: "yes" } } } },
      "auth.accessToken.fineGrained.canReadGatedRepos",
    ],
  ])("returns a typed error, not an exception, for %s", (_label, json, path) => {
    const result = parseWhoAmI(json);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("malformed-response");
      expect(result.error.path).toBe(path);
      expect(result.error.message).toMatch(/could not be read/);
    }
  });
});
