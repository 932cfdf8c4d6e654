import { describe, expect, it } from "vitest";
import { spaceOauthRule } from "../../../lib/rules/space-oauth";
import { BALANCED, bertFacts, missing, spaceFacts } from "../../fixtures/facts/builders";

const oauthSpace = (scopes: string[], authorizedOrg?: string) =>
  spaceFacts("someone/app", { sdk: "gradio", oauth: { enabled: true, scopes, ...(authorizedOrg ? { authorizedOrg } : {}) } });

describe("space-oauth", () => {
  it.each<[string[], string]>([
    [[], "info"],
    [["openid", "profile"], "info"],
    [["openid", "profile", "email", "read-repos"], "info"],
    [["openid", "profile", "write-repos"], "warn"],
    [["manage-repos"], "warn"],
    [["inference-api"], "warn"],
    [["jobs"], "warn"],
    [["webhooks"], "warn"],
    [["write-endpoints"], "warn"],
  ])("scopes %j → %s", (scopes, level) => {
    expect(spaceOauthRule.evaluate(oauthSpace(scopes), BALANCED)[0]?.level).toBe(level);
  });

  it("lists scopes in words, and unknown scopes by name", () => {
    const [finding] = spaceOauthRule.evaluate(oauthSpace(["openid", "write-repos", "brand-new-scope"]), BALANCED);
    expect(finding?.explanation).toContain("know your Hugging Face identity");
    expect(finding?.explanation).toContain("change your repos");
    expect(finding?.explanation).toContain("“brand-new-scope” (a scope the extension does not know)");
    expect(finding?.title).toBe("Sign-in lets this Space change your repos");
  });

  it("mentions an org restriction", () => {
    expect(spaceOauthRule.evaluate(oauthSpace([], "my-company"), BALANCED)[0]?.explanation).toContain("members of my-company");
  });

  it("no sign-in, no finding; models are not judged", () => {
    expect(spaceOauthRule.evaluate(spaceFacts("someone/app", { sdk: "gradio" }), BALANCED)).toEqual([]);
    expect(spaceOauthRule.evaluate(spaceFacts("someone/app", { oauth: { enabled: false, scopes: ["write-repos"] } }), BALANCED)).toEqual([]);
    expect(spaceOauthRule.evaluate(bertFacts(), BALANCED)).toEqual([]);
  });

  it("an info gap is left to fetch-failed", () => {
    expect(spaceOauthRule.evaluate(spaceFacts("someone/app", {}, { info: missing("network") }), BALANCED)).toEqual([]);
  });
});

describe("space-oauth evidence", () => {
  it("links the README at the revision viewed, where the scopes are declared", () => {
    const [finding] = spaceOauthRule.evaluate(oauthSpace(["jobs"]), BALANCED);
    expect(finding?.evidence).toContainEqual({ label: "README.md (hf_oauth_scopes)", url: "https://huggingface.co/spaces/someone/app/blob/main/README.md" });
  });
});
