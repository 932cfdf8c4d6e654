/**
 * The fake Hub's stylesheet (tests/fake-hub/assets/style.css), built with Tailwind from the fake pages' and the
 * real saved pages' class names and committed: it must be what its sources build today, keep responsive
 * utilities responsive (the scan badge's word is `max-sm:hidden`: hidden on small screens only), and be served
 * at the path the pages link.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

const ROOT = join(import.meta.dirname, "../../..");
const CSS = readFileSync(join(ROOT, "tests/fake-hub/assets/style.css"), "utf8");

describe("the fake Hub's stylesheet", () => {
  it("is what `npm run fake-hub:css` builds from the pages as they are now", () => {
    const run = spawnSync(process.execPath, ["scripts/fake-hub-css.mjs", "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 60_000);

  it("hides `max-sm:hidden` below the sm breakpoint only (the scan badge's word, once an empty pill)", () => {
    const rules = [...CSS.matchAll(/\.max-sm\\:hidden\s*\{/g)];
    expect(rules).toHaveLength(1);
    const before = CSS.slice(0, rules[0]?.index);
    expect(before.slice(before.lastIndexOf("@media"))).toMatch(/^@media not all and \(min-width: 640px\)\s*\{\s*$/);
  });

  it("has the Hub's dark variants by class, its grays to 950, and no web font", () => {
    expect(CSS).toMatch(/\.dark\\:bg-gray-950:is\(\.dark \*\)\s*\{[^}]*rgb\(11 15 25/);
    expect(CSS).not.toMatch(/@font-face|@import|url\(\s*["']?https?:/);
  });

  describe("served", () => {
    let hub: FakeHub;
    beforeAll(async () => {
      hub = await startFakeHub();
    });
    afterAll(async () => {
      await hub.close();
    });

    it.each(["kube-9d7efdc", "kube-537c6d6"])("at /front/build/%s/style.css, the path real and fake pages link", async (build) => {
      const response = await fetchViaFakeHub(hub)(`https://huggingface.co/front/build/${build}/style.css`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/css");
      expect(await response.text()).toBe(CSS);
    });
  });
});
