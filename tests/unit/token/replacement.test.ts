import { describe, expect, it } from "vitest";
import {
  checkRepoId,
  NEW_FINE_GRAINED_TOKEN_URL,
  replacementFor,
  revokeSteps,
  TOKENS_SETTINGS_URL,
} from "../../../lib/token/replacement";
import { TOKEN } from "./helpers";

describe("replacementFor", () => {
  it("download: read own repos and gated repos", () => {
    const r = replacementFor("download");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const url = new URL(r.plan.createUrl);
    expect(`${url.origin}${url.pathname}`).toBe("https://huggingface.co/settings/tokens/new");
    expect(url.searchParams.get("tokenType")).toBe("fineGrained");
    expect(url.searchParams.getAll("ownUserPermissions")).toEqual(["repo.content.read"]);
    expect(url.searchParams.get("canReadGatedRepos")).toBe("true");
    expect(r.plan.steps.length).toBeGreaterThan(1);
  });

  it("inference: only inference.serverless.write (the form HF's docs link to)", () => {
    const r = replacementFor("inference");
    expect(r.ok && r.plan.createUrl).toBe(
      "https://huggingface.co/settings/tokens/new?tokenType=fineGrained&ownUserPermissions=inference.serverless.write",
    );
  });

  it("push: needs a valid repo id, never pre-fills account-wide write", () => {
    expect(replacementFor("push").ok).toBe(false);
    expect(replacementFor("push", "not a repo").ok).toBe(false);
    const r = replacementFor("push", "https://huggingface.co/datasets/me/my-data/tree/main");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.createUrl).toBe(NEW_FINE_GRAINED_TOKEN_URL);
    expect(r.plan.createUrl).not.toContain("repo.write");
    expect(r.plan.summary).toContain("dataset me/my-data");
    expect(r.plan.steps.join(" ")).toContain("me/my-data");
  });
});

describe("checkRepoId", () => {
  it.each([
    ["me/model", "me/model", "model"],
    [" me/model ", "me/model", "model"],
    ["spaces/me/app", "me/app", "space"],
    ["datasets/org-x/data.v2", "org-x/data.v2", "dataset"],
    ["https://huggingface.co/me/model", "me/model", "model"],
    ["https://huggingface.co/spaces/me/app/", "me/app", "space"],
  ])("%j → %s (%s)", (input, repoId, kind) => {
    expect(checkRepoId(input)).toEqual({ ok: true, repo: { repoId, kind } });
  });

  it.each(["", "model", "me/", "/model", "me/mo del", "me/a--b", "me/a..b", "me/x.git", "-me/x", "a/b/c", "me/<b>", "me/" + "x".repeat(97)])(
    "rejects %j",
    (input) => {
      const r = checkRepoId(input);
      expect(r.ok).toBe(false);
    },
  );

  it("does not echo the input (someone may paste a token there)", () => {
    const r = checkRepoId(TOKEN);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).not.toContain(TOKEN);
  });
});

describe("revokeSteps", () => {
  it("points to the settings page and names the token when known", () => {
    const steps = revokeSteps("laptop-read");
    expect(steps.join(" ")).toContain(TOKENS_SETTINGS_URL);
    expect(steps.join(" ")).toContain("laptop-read");
    expect(revokeSteps().join(" ")).toContain("the old token");
  });
});
