import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { MANAGED_KEYS } from "../../../lib/settings/managed";
import { finalLevel, HUB, REPO_BADGE } from "../driver";
import { expect, test } from "../fixtures";
import { FIREFOX_ADDON_ID, launchFirefoxWithExtension } from "./launch";
import { createPuppeteerFirefoxDriver, extensionProbe } from "./puppeteer-driver";

/**
 * An organization's policy, delivered as Firefox delivers it: policies.json with a `3rdparty`
 * section for the add-on, read by Firefox's enterprise-policy engine at start and handed to the
 * extension as storage.managed (Firefox has no managed-storage schema; the extension validates,
 * lib/settings/managed.ts).
 *
 * On Linux Firefox reads /etc/firefox/policies/policies.json first, then `distribution/policies.json`
 * next to the binary (both tried here, Firefox ESR 153). The test writes the first, for its own
 * browser's start only, and removes it: the file is machine-wide, so it refuses to touch one it did
 * not write, and needs root (CI runs as root; elsewhere the test skips and says why).
 * (`browser.policies.alternatePath` also works, but only in automation mode, MOZ_DISABLE_NONLOCAL_CONNECTIONS=1
 * plus a pref: not the path an administrator uses.)
 */
const POLICY_FILE = "/etc/firefox/policies/policies.json";
/** Top-level key Firefox ignores, so a file left by a crashed run is recognised as ours and replaced. */
const MARKER = "hubSentinelEndToEndTest";

/** Keys of the extension's managed schema (lib/settings/managed.ts), with values from the fake Hub's catalogue. */
const POLICY = {
  trustedOrganizations: ["sentinel-verified"],
  blockedAuthors: ["fresh-uploader-7"],
  minimumStrictness: "strict",
  disableTokenReview: true,
  allowlist: [{ value: "quiet-lab/queued-scan", note: "reviewed by security", expires: "2099-01-01" }],
  downloadGuard: "block",
};

function policyFileProblem(): string | undefined {
  if (existsSync(POLICY_FILE)) {
    let ours = false;
    try {
      ours = MARKER in (JSON.parse(readFileSync(POLICY_FILE, "utf8")) as object);
    } catch {
      ours = false;
    }
    if (!ours) return `${POLICY_FILE} already exists and was not written by this test: not overwriting a machine's real policy`;
  }
  if (typeof process.getuid === "function" && process.getuid() !== 0) return `writing ${POLICY_FILE} needs root (CI runs as root)`;
  return undefined;
}

test.describe("managed policy (policies.json)", () => {
  test("the test policy uses every key of the extension's managed schema, and only those", () => {
    expect(Object.keys(POLICY).sort()).toEqual([...MANAGED_KEYS].sort());
  });

  test("without a policy, storage.managed says so, and the extension treats that as no policy", async ({ driver, firefoxBrowser }) => {
    test.skip(existsSync(POLICY_FILE), `${POLICY_FILE} exists on this machine, so this browser started with a policy`);
    const probe = await extensionProbe(firefoxBrowser);
    const error = await probe.evaluate(`browser.storage.managed.get(null).then(() => "resolved", (e) => String(e))`);
    // lib/settings/storage.ts (loadManagedPolicy) matches /not found/ to mean "no policy".
    expect(error).toMatch(/Managed storage manifest not found/);
    // The repo the policy below trusts is not allowlisted without it.
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await driver.attribute(REPO_BADGE, "data-allowlisted")).toBeNull();
  });

  test("a 3rdparty entry for the add-on in policies.json reaches storage.managed", async ({ hub }) => {
    const problem = policyFileProblem();
    test.skip(problem !== undefined, problem ?? "");
    const createdDirs = ["/etc/firefox", "/etc/firefox/policies"].filter((dir) => !existsSync(dir));
    mkdirSync(dirname(POLICY_FILE), { recursive: true });
    writeFileSync(POLICY_FILE, JSON.stringify({ [MARKER]: true, policies: { "3rdparty": { Extensions: { [FIREFOX_ADDON_ID]: POLICY } } } }, null, 2));
    try {
      const firefox = await launchFirefoxWithExtension(hub);
      try {
        // Firefox reads policies at start: the file may go as soon as the browser is up.
        const probe = await extensionProbe(firefox);
        expect(await probe.evaluate(`browser.storage.managed.get(null)`)).toEqual(POLICY);
        expect(await probe.evaluate(`browser.storage.managed.get("blockedAuthors")`)).toEqual({ blockedAuthors: POLICY.blockedAuthors });
        // Managed storage is read-only for the extension.
        expect(await probe.evaluate(`Promise.resolve().then(() => browser.storage.managed.set({ blockedAuthors: [] })).then(() => "written", (e) => String(e))`)).not.toBe("written");

        // And the extension acts on it: a trusted organization's repo is allowlisted on its page.
        const driver = createPuppeteerFirefoxDriver(firefox, hub, await firefox.browser.newPage());
        await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
        expect(await finalLevel(driver)).toBe("ok");
        expect(await driver.attribute(REPO_BADGE, "data-allowlisted")).toBe("true");
      } finally {
        await firefox.close();
      }
    } finally {
      rmSync(POLICY_FILE, { force: true });
      for (const dir of createdDirs.reverse()) rmdirSync(dir);
    }
  });
});
