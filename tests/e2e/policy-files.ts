import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * An organization's policy, written where each browser reads it at start (README, "For
 * administrators"): Chromium's managed policy directory, Firefox's policies.json. Both files are
 * machine-wide, so a test writes one only as root (as on CI), never over a file it did not write
 * (its marker says whose it is), and removes it, with the folders it made, when done.
 */
export const CHROMIUM_POLICY_FILE = "/etc/chromium/policies/managed/hub-sentinel-e2e.json";
export const FIREFOX_POLICY_FILE = "/etc/firefox/policies/policies.json";
/** A top-level key both browsers ignore (Chromium lists it as an unknown policy), naming the file as this test's. */
export const POLICY_MARKER = "hubSentinelEndToEndTest";

/** Why the policy file cannot be written here, or undefined. */
export function policyFileProblem(file: string): string | undefined {
  if (existsSync(file)) {
    let ours = false;
    try {
      ours = POLICY_MARKER in (JSON.parse(readFileSync(file, "utf8")) as object);
    } catch {
      ours = false;
    }
    if (!ours) return `${file} already exists and was not written by a test: not overwriting a machine's real policy`;
  }
  if (typeof process.getuid === "function" && process.getuid() !== 0) return `writing ${file} needs root (CI runs as root)`;
  return undefined;
}

export async function withPolicyFile<T>(file: string, document: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  const created: string[] = [];
  for (let dir = dirname(file); !existsSync(dir); dir = dirname(dir)) created.unshift(dir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ [POLICY_MARKER]: true, ...document }, null, 2));
  try {
    return await run();
  } finally {
    rmSync(file, { force: true });
    for (const dir of created.reverse()) rmdirSync(dir);
  }
}

/**
 * The id Chromium gives an unpacked extension: the first 128 bits of the SHA-256 of its absolute
 * path, written with the letters a-p for 0-f. An organization's policy for it is filed under it.
 */
export function chromiumUnpackedExtensionId(dir: string): string {
  const hex = createHash("sha256").update(realpathSync(dir)).digest("hex").slice(0, 32);
  return Array.from(hex, (digit) => String.fromCharCode(97 + parseInt(digit, 16))).join("");
}
