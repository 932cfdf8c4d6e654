import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { tokenFingerprint } from "../../../lib/token/fingerprint";
import { OTHER_TOKEN, TOKEN } from "./helpers";

describe("tokenFingerprint", () => {
  it("is 16 hex chars, stable, and different per token", async () => {
    const a = await tokenFingerprint(TOKEN);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await tokenFingerprint(TOKEN)).toBe(a);
    expect(await tokenFingerprint(OTHER_TOKEN)).not.toBe(a);
  });

  it("is domain-separated: not a plain SHA-256 of the token, and contains no part of it", async () => {
    const fp = await tokenFingerprint(TOKEN);
    expect(createHash("sha256").update(TOKEN).digest("hex").startsWith(fp)).toBe(false);
    expect(fp).not.toContain(TOKEN.slice(3, 8).toLowerCase());
  });
});
