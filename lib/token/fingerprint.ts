/**
 * A cache key for a token that cannot be turned back into the token.
 *
 * SHA-256 over a domain-separated string (so the value is useless as a generic hash of the token, and other
 * uses of SHA-256 elsewhere never collide with it), hex, truncated to 16 characters (64 bits): plenty to tell a
 * person's few tokens apart, and, with 34 random base-62 characters (~200 bits) behind it, no way to search back.
 */

const DOMAIN = "hub-sentinel/token-fingerprint/v1\u0000";

export const FINGERPRINT_HEX_LENGTH = 16;

export async function tokenFingerprint(token: string): Promise<string> {
  const data = new TextEncoder().encode(DOMAIN + token);
  const digest = await crypto.subtle.digest("SHA-256", data);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, FINGERPRINT_HEX_LENGTH);
}
