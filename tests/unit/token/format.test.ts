import { describe, expect, it } from "vitest";
import { checkTokenFormat, TOKEN_FORMAT_MESSAGES } from "../../../lib/token/format";
import { TOKEN } from "./helpers";

describe("checkTokenFormat", () => {
  it("accepts hf_ + 34 letters/digits, trimmed", () => {
    expect(checkTokenFormat(`  ${TOKEN}\n`)).toEqual({ ok: true, token: TOKEN, kind: "user" });
  });

  it("accepts api_org_ + 34", () => {
    const org = `api_org_${"a1B2".repeat(8)}Zz`;
    expect(checkTokenFormat(org)).toEqual({ ok: true, token: org, kind: "org-api" });
  });

  it.each([
    ["", "empty"],
    ["   \n", "empty"],
    ["sk-abcdefghijklmnopqrstuvwxyz0123456789", "wrong-prefix"],
    [`Bearer ${TOKEN}`, "wrong-prefix"],
    [`HF_${TOKEN.slice(3)}`, "wrong-prefix"],
    [TOKEN.slice(0, -1), "wrong-length"],
    [`${TOKEN}a`, "wrong-length"],
    ["hf_", "wrong-length"],
    [`${TOKEN.slice(0, 10)}-${TOKEN.slice(11)}`, "bad-characters"],
    [`${TOKEN.slice(0, 10)} ${TOKEN.slice(11)}`, "bad-characters"],
    [`"${TOKEN}"`, "wrong-prefix"],
    [`${TOKEN}"`, "bad-characters"],
    [`hf_${"é".repeat(34)}`, "bad-characters"],
  ])("rejects %j as %s", (input, problem) => {
    const result = checkTokenFormat(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      expect(result.message).toBe(TOKEN_FORMAT_MESSAGES[result.problem]);
    }
  });

  it("never echoes the token (or its body) in a message", () => {
    for (const input of [TOKEN.slice(0, -1), `${TOKEN}!`, `xx${TOKEN}`]) {
      const result = checkTokenFormat(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).not.toContain(TOKEN.slice(3, 20));
        expect(result.message).not.toContain(input);
      }
    }
  });
});
