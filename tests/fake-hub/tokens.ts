/**
 * Tokens the fake Hub's whoami-v2 knows, shaped like the real answers
 * (shared/reference/api-samples/17_whoami-v2_real_write_token_hubci.json and the OpenAPI excerpt).
 * Made-up values: none of these is a real token.
 */
export const FAKE_TOKENS: Record<string, unknown> = {
  // A classic write token, created after the incident advice.
  hf_ClassicWriteToken000000000000000aa: {
    type: "user",
    id: "638e0c7a2b4f3b0001aaaaaa",
    name: "sentinel-tester",
    fullname: "Sentinel Tester",
    email: "tester@example.com",
    emailVerified: true,
    isPro: false,
    canPay: false,
    periodEnd: null,
    avatarUrl: "/avatars/placeholder.svg",
    orgs: [{ type: "org", id: "638e0c7a2b4f3b0001bbbbbb", name: "sentinel-verified", fullname: "Sentinel Verified", roleInOrg: "write", isEnterprise: false }],
    auth: { type: "access_token", accessToken: { displayName: "laptop", role: "write", createdAt: "2025-02-10T09:00:00.000Z" } },
  },
  // A narrow fine-grained token: read one repo's content.
  hf_NarrowFineGrained000000000000000bb: {
    type: "user",
    id: "638e0c7a2b4f3b0001aaaaaa",
    name: "sentinel-tester",
    fullname: "Sentinel Tester",
    isPro: false,
    orgs: [],
    auth: {
      type: "access_token",
      accessToken: {
        displayName: "ci-download",
        role: "fineGrained",
        createdAt: "2025-05-01T12:00:00.000Z",
        fineGrained: {
          canReadGatedRepos: true,
          global: [],
          scoped: [{ entity: { _id: "65a000000000000000000001", type: "model", name: "sentinel-verified/tiny-safetensors" }, permissions: ["repo.content.read"] }],
        },
      },
    },
  },
  // A classic read token created before the Spaces secrets incident (2024-05-31).
  hf_PreIncidentReadToken000000000000cc: {
    type: "user",
    id: "638e0c7a2b4f3b0001aaaaaa",
    name: "sentinel-tester",
    fullname: "Sentinel Tester",
    isPro: false,
    orgs: [],
    auth: { type: "access_token", accessToken: { displayName: "old-notebook", role: "read", createdAt: "2023-11-02T08:30:00.000Z" } },
  },
  // A fine-grained token of an organization admin with org-wide write.
  hf_OrgAdminFineGrained0000000000000dd: {
    type: "user",
    id: "638e0c7a2b4f3b0001cccccc",
    name: "org-owner",
    fullname: "Org Owner",
    isPro: true,
    orgs: [{ type: "org", id: "638e0c7a2b4f3b0001dddddd", name: "big-org", fullname: "Big Org", roleInOrg: "admin", isEnterprise: true }],
    auth: {
      type: "access_token",
      accessToken: {
        displayName: "deploy",
        role: "fineGrained",
        createdAt: "2025-08-01T12:00:00.000Z",
        fineGrained: {
          canReadGatedRepos: true,
          global: ["discussion.write", "post.write"],
          scoped: [
            { entity: { _id: "638e0c7a2b4f3b0001dddddd", type: "org", name: "big-org" }, permissions: ["repo.content.read", "repo.write", "org.read", "org.write", "inference.endpoints.write"] },
            { entity: { _id: "638e0c7a2b4f3b0001cccccc", type: "user", name: "org-owner" }, permissions: ["repo.content.read", "repo.write"] },
          ],
        },
      },
    },
  },
};
