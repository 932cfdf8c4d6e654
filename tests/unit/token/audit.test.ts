import { describe, expect, it } from "vitest";
import { auditToken, isStoredTokenReview, summarizeForStorage, type TokenReview } from "../../../lib/token/audit";
import { parseWhoAmI, type WhoAmI } from "../../../lib/token/whoami";
import { loadWhoami, NOW } from "./helpers";

function who(name: string): WhoAmI {
  const parsed = parseWhoAmI(loadWhoami(name));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function ids(review: TokenReview): string[] {
  return review.findings.map((f) => f.id);
}

describe("auditToken", () => {
  it("classic write token (real sample 17): legacy role, write access, pre-incident; broad", () => {
    const review = auditToken(who("classic-write-hubci.json"), NOW);
    expect(ids(review)).toEqual(["legacy-role", "write-access", "pre-incident"]);
    expect(review.broad).toBe(true);
    expect(review.role).toBe("write");
    expect(review.account).toBe("hub.js");
    expect(review.tokenName).toBe("ci-hub.js");
    expect(review.createdAt).toBe("1970-01-01T00:00:00.000Z");
    expect(review.level).toBe("warn");
    expect(review.reviewedAt).toBe(new Date(NOW).toISOString());
    const legacy = review.findings[0];
    expect(legacy?.level).toBe("warn");
    expect(legacy?.advice.length).toBeGreaterThan(0);
    expect(legacy?.evidence[0]?.url).toBe("https://huggingface.co/settings/tokens");
  });

  it("classic read token from 2023: legacy role (info) and pre-incident; broad", () => {
    const review = auditToken(who("classic-read-2023.json"), NOW);
    expect(ids(review)).toEqual(["legacy-role", "pre-incident"]);
    expect(review.findings[0]?.level).toBe("info");
    expect(review.broad).toBe(true);
    expect(review.level).toBe("warn");
    expect(review.findings[1]?.explanation).toContain("2023-09-14");
  });

  it("narrow fine-grained token: nothing found, not broad, level ok", () => {
    const review = auditToken(who("fine-grained-narrow.json"), NOW);
    expect(review.findings).toEqual([]);
    expect(review.broad).toBe(false);
    expect(review.level).toBe("ok");
    expect(review.role).toBe("fineGrained");
    expect(review.scopes.user).toHaveLength(1);
    expect(review.scopes.user[0]?.permissions[0]?.words).toBe("read files of repos");
    expect(review.scopes.canReadGatedRepos).toBe(true);
  });

  it("fine-grained push token for one repo is not broad", () => {
    const review = auditToken(who("fine-grained-push-one-repo.json"), NOW);
    expect(review.findings).toEqual([]);
    expect(review.broad).toBe(false);
    expect(review.scopes.repo[0]?.label).toBe("model mira-k/tiny-bert");
  });

  it("broad fine-grained token of an org admin", () => {
    const review = auditToken(who("fine-grained-broad-org-admin.json"), NOW);
    expect(ids(review)).toEqual(["write-access", "broad-scope", "org-admin"]);
    expect(review.broad).toBe(true);
    const write = review.findings.find((f) => f.id === "write-access");
    expect(write?.explanation).toContain("organization acme-ai (repo.write, org.write)");
    expect(write?.explanation).toContain("account ops-sam (repo.write)");
    expect(write?.explanation).not.toContain("acme-research/demo");
    const broad = review.findings.find((f) => f.id === "broad-scope");
    expect(broad?.level).toBe("warn");
    expect(broad?.explanation).toContain("6 accounts, organizations or repos");
    expect(broad?.explanation).toContain("all of organization acme-ai");
    const admin = review.findings.find((f) => f.id === "org-admin");
    expect(admin?.level).toBe("warn");
    expect(admin?.evidence).toEqual([{ label: "Admin of acme-ai", url: "https://huggingface.co/acme-ai" }]);
    expect(review.scopes.other[0]?.permissions.map((p) => [p.permission, p.known])).toEqual([
      ["collection.read", true],
      ["collection.frobnicate", false],
    ]);
    expect(review.scopes.repo.map((s) => s.entityType)).toEqual(["model", "dataset", "space"]);
  });

  it("org admin with a classic write token from after the incident", () => {
    const review = auditToken(who("classic-write-org-admin-2024.json"), NOW);
    expect(ids(review)).toEqual(["legacy-role", "write-access", "org-admin"]);
    expect(review.findings.find((f) => f.id === "org-admin")?.level).toBe("warn");
  });

  it("org admin whose fine-grained token does not reach the org: info only", () => {
    const base = who("fine-grained-narrow.json");
    const review = auditToken({ ...base, orgs: [{ name: "big-org", roleInOrg: "admin" }] }, NOW);
    expect(ids(review)).toEqual(["org-admin"]);
    expect(review.findings[0]?.level).toBe("info");
    expect(review.broad).toBe(false);
  });

  it("pre-incident boundary is 2024-06-01 (UTC)", () => {
    const base = who("fine-grained-narrow.json");
    const at = (createdAt: string) =>
      ids(
        auditToken(
          { ...base, auth: { ...base.auth, accessToken: { ...base.auth.accessToken, createdAt } } },
          NOW,
        ),
      );
    expect(at("2024-05-31T23:59:59.999Z")).toEqual(["pre-incident"]);
    expect(at("2024-06-01T00:00:00.000Z")).toEqual([]);
  });

  it("global write and many single-repo scopes make a token broad", () => {
    const repos = Array.from({ length: 6 }, (_, i) => ({
      entity: { _id: `66b00000000000000000000${i}`, type: "model", name: `me/m${i}` },
      permissions: ["repo.content.read"],
    }));
    const many = auditToken(
      {
        name: "me",
        orgs: [],
        auth: {
          type: "access_token",
          accessToken: {
            role: "fineGrained",
            createdAt: "2025-01-01T00:00:00Z",
            fineGrained: { global: [], scoped: repos },
          },
        },
      },
      NOW,
    );
    expect(ids(many)).toEqual(["broad-scope"]);
    expect(many.findings[0]?.level).toBe("info");
    const global = auditToken(
      {
        name: "me",
        orgs: [],
        auth: {
          accessToken: {
            role: "fineGrained",
            createdAt: "2025-01-01T00:00:00Z",
            fineGrained: { global: ["discussion.write"], scoped: [] },
          },
        },
      },
      NOW,
    );
    expect(ids(global)).toEqual(["broad-scope"]);
    expect(global.broad).toBe(true);
  });

  it("a fine-grained token whose permissions the Hub left out is unknown, never ok", () => {
    const review = auditToken(who("fine-grained-no-details.json"), NOW);
    expect(review.findings).toEqual([]);
    expect(review.level).toBe("unknown");
    expect(review.gaps).toHaveLength(1);
  });

  it("an unknown role is shown as given and the verdict is unknown", () => {
    const review = auditToken({ name: "me", orgs: [], auth: { type: "oauth", accessToken: { role: "superUser" } } }, NOW);
    expect(review.role).toBe("superUser");
    expect(review.level).toBe("unknown");
    expect(review.gaps.join(" ")).toContain("superUser");
  });
});

describe("summarizeForStorage", () => {
  it("keeps account, token name, role, scopes, dates and finding ids only", () => {
    const review = auditToken(who("fine-grained-broad-org-admin.json"), NOW);
    const stored = summarizeForStorage(review);
    expect(Object.keys(stored).sort()).toEqual(
      [
        "account",
        "broad",
        "createdAt",
        "findingIds",
        "globalPermissions",
        "reviewedAt",
        "role",
        "scopes",
        "tokenName",
        "version",
      ].sort(),
    );
    expect(stored.findingIds).toEqual(["write-access", "broad-scope", "org-admin"]);
    expect(stored.scopes[1]).toEqual({
      group: "org",
      entityType: "org",
      entity: "acme-ai",
      permissions: ["repo.content.read", "repo.write", "org.read", "org.write", "inference.endpoints.write"],
    });
    expect(isStoredTokenReview(stored)).toBe(true);
    expect(isStoredTokenReview(JSON.parse(JSON.stringify(stored)))).toBe(true);
  });

  it("the storage guard drops malformed values", () => {
    const stored = summarizeForStorage(auditToken(who("classic-read-2023.json"), NOW));
    expect(isStoredTokenReview(null)).toBe(false);
    expect(isStoredTokenReview({ ...stored, version: 2 })).toBe(false);
    expect(isStoredTokenReview({ ...stored, findingIds: ["made-up"] })).toBe(false);
    expect(isStoredTokenReview({ ...stored, scopes: [{ group: "x" }] })).toBe(false);
    expect(isStoredTokenReview({ ...stored, tokenName: 5 })).toBe(false);
  });
});
