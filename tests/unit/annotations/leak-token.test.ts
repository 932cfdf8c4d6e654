import { describe, expect, it } from "vitest";
import { findTokens, maskToken, mayContainToken } from "../../../lib/annotations/leak-token";

// Real-shaped but invented: `hf_` / `api_org_` + 34 letters and digits. Built by concatenation so secret scanners stay quiet.
const BODY = ["AbCdEfGhIj", "KlMnOpQrSt", "UvWxYz0123", "4567"].join("");
const USER = `hf${"_"}${BODY}`;
const ORG = `api${"_org_"}${BODY}`;

describe("findTokens", () => {
  it("has a 34-character body in the fixtures", () => {
    expect(BODY).toHaveLength(34);
  });

  it.each([
    ["alone", USER, [USER]],
    ["in a sentence", `my token is ${USER}, sorry`, [USER]],
    ["quoted in code", `login(token="${USER}")`, [USER]],
    ["an org API token", `key=${ORG};`, [ORG]],
    ["two tokens", `${USER} and ${ORG}`, [USER, ORG]],
    ["after a newline, before a period", `\n${USER}.`, [USER]],
    ["in a URL query", `https://example.com/?t=${USER}&x=1`, [USER]],
    ["between non-ASCII letters (no word characters)", `é${USER}é`, [USER]],
  ])("finds a token %s", (_name, text, expected) => {
    expect(findTokens(text).map((found) => found.token)).toEqual(expected);
  });

  it.each([
    ["one character short", `hf_${BODY.slice(1)}`],
    ["one character too many (35)", `hf_${BODY}x`],
    ["glued to a word before it", `xhf_${BODY}`],
    ["after an underscore", `_hf_${BODY}`],
    ["followed by an underscore", `hf_${BODY}_`],
    ["a hyphen inside the body", `hf_${BODY.slice(0, 10)}-${BODY.slice(11)}`],
    ["a space inside the body", `hf_${BODY.slice(0, 10)} ${BODY.slice(11)}`],
    ["upper-case prefix", `HF_${BODY}`],
    ["a look-alike prefix", `hf-${BODY}`],
    ["a file name", "hf_tokenizer_config.json and hf_hub_download"],
    ["zero-width space inside", `hf_${BODY.slice(0, 17)}\u200b${BODY.slice(17)}`],
    ["fullwidth digits", `hf_${BODY.slice(0, 30)}\uff11\uff12\uff13\uff14`],
    ["empty", ""],
  ])("finds nothing %s", (_name, text) => {
    expect(findTokens(text)).toEqual([]);
  });

  it("says where each token is and which kind it is", () => {
    const found = findTokens(`a ${USER} b ${ORG}`);
    expect(found).toEqual([
      { token: USER, index: 2, kind: "user" },
      { token: ORG, index: 2 + USER.length + 3, kind: "org" },
    ]);
  });

  it("stays fast on long hostile input", () => {
    const hostile = `${"hf_".repeat(50_000)}${"a".repeat(100_000)}`;
    const started = Date.now();
    expect(findTokens(hostile)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("skips text that cannot hold a token without running the pattern", () => {
    expect(mayContainToken("short hf_")).toBe(false);
    expect(mayContainToken("x".repeat(100))).toBe(false);
    expect(mayContainToken(`${USER}`)).toBe(true);
  });
});

describe("maskToken", () => {
  it("keeps the prefix and two characters each side, never the whole token", () => {
    expect(maskToken(USER)).toBe("hf_Ab…67");
    expect(maskToken(ORG)).toBe("api_org_Ab…67");
    expect(maskToken(USER)).not.toContain(BODY.slice(2, -2));
  });
});
