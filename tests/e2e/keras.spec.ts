import type { LoggedRequest } from "../fake-hub/server";
import { afterHydration, finalLevel, findingsOf, HUB, REPO_BADGE, settledLevel, waitUntil, type Driver } from "./driver";
import { expect, test } from "./fixtures";

/**
 * Issue 16, the Keras half: Hub Sentinel reads a `.keras` archive's config.json and a legacy `.h5`
 * file's model_config by Range requests (never the weights), and reports Lambda layers (warn) and
 * configs that import code from outside Keras (danger) with `keras-lambda`, on the repo badge and
 * on the file's row. Clean Keras files from a verified org stay ok; hostile layer names stay text.
 */
const FILE = (path: string) => `[data-hub-sentinel="file"][data-path="${path}"]`;
const BADGE_BUTTON = `${REPO_BADGE} >>> button.badge`;
const KERAS_FINDING = `${REPO_BADGE} >>> [data-finding="keras-lambda"]`;
const STORAGE_HOST = "cdn-lfs.hf.co";

/** Every element inside our shadow roots that could run code or load something. */
const DANGEROUS_IN_OUR_UI = `
  Array.from(document.querySelectorAll("[data-hub-sentinel]"))
    .flatMap((host) => host.shadowRoot ? Array.from(host.shadowRoot.querySelectorAll("script, iframe, object, embed, img, svg, [onerror], [onload]")) : [])
    .map((el) => el.outerHTML.slice(0, 120))`;
const OUR_TEXT = `Array.from(document.querySelectorAll("[data-hub-sentinel]")).map((host) => host.shadowRoot ? host.shadowRoot.textContent : "").join("\\n")`;

/** Bytes of one file fetched from the storage host. */
function storageReads(driver: Driver, repoId: string, path: string): LoggedRequest[] {
  return driver.hub.log.filter((entry) => entry.host === STORAGE_HOST && decodeURIComponent(entry.path).includes(`|${repoId}|`) && decodeURIComponent(entry.path).endsWith(`|${path}`));
}

test.describe("Keras model files", () => {
  test("a Lambda layer in a .keras archive: warn on the badge and the file row, the panel names the layer", async ({ driver }) => {
    await driver.goto(`${HUB}/keras-tinkerer/lambda-keras`);
    expect(await finalLevel(driver)).toBe("warn");
    expect(await findingsOf(driver)).toContain("keras-lambda");
    await driver.click(BADGE_BUTTON);
    const text = (await driver.text(KERAS_FINDING)) ?? "";
    expect(text).toContain("model.keras has 1 Lambda layer");
    expect(text).toContain('"scale_by_two"');
    expect(text).toContain("safe_mode=True");

    // Read by Range, without cookies, and only the archive's members it needs.
    const reads = storageReads(driver, "keras-tinkerer/lambda-keras", "model.keras");
    expect(reads.length).toBeGreaterThan(0);
    for (const entry of reads) {
      expect(entry.range, entry.path).toMatch(/^bytes=\d+-\d+$/);
      expect(entry.cookie, entry.path).toBe(false);
    }

    await driver.goto(`${HUB}/keras-tinkerer/lambda-keras/tree/main`);
    expect(await settledLevel(driver, FILE("model.keras"))).toBe("warn");
    expect(await findingsOf(driver, FILE("model.keras"))).toContain("keras-lambda");
    expect(await driver.count(FILE("README.md"))).toBe(0);
  });

  test("a .keras config that imports builtins.exec and subprocess: danger", async ({ driver }) => {
    await driver.goto(`${HUB}/keras-tinkerer/module-bypass`);
    expect(await finalLevel(driver)).toBe("danger");
    expect(await findingsOf(driver)).toContain("keras-lambda");
    await driver.click(BADGE_BUTTON);
    const text = (await driver.text(KERAS_FINDING)) ?? "";
    expect(text).toContain('"builtins.exec"');
    expect(text).toContain('"subprocess.Popen"');
    expect(text).toContain("CVE-2025-1550");

    await driver.goto(`${HUB}/keras-tinkerer/module-bypass/tree/main`);
    expect(await settledLevel(driver, FILE("model.keras"))).toBe("danger");
    expect(await findingsOf(driver, FILE("model.keras"))).toContain("keras-lambda");
  });

  test("legacy .h5 files with a Lambda, compact and dense attribute storage: warn, read from their headers only", async ({ driver }) => {
    await driver.goto(`${HUB}/keras-tinkerer/lambda-h5/tree/main`);
    expect(await finalLevel(driver)).toBe("warn");
    expect(await findingsOf(driver)).toContain("keras-lambda");
    expect(await settledLevel(driver, FILE("model.h5"))).toBe("warn");
    expect(await findingsOf(driver, FILE("model.h5"))).toContain("keras-lambda");
    await driver.goto(`${HUB}/keras-tinkerer/lambda-h5/tree/main/legacy`);
    expect(await settledLevel(driver, FILE("legacy/big_model.h5"))).toBe("warn");
    expect(await findingsOf(driver, FILE("legacy/big_model.h5"))).toContain("keras-lambda");

    // A 24 MB file judged from its first kilobytes: no read reaches the (virtual) weights.
    const reads = storageReads(driver, "keras-tinkerer/lambda-h5", "model.h5");
    const transferred = reads.reduce((sum, entry) => sum + entry.bytes, 0);
    expect(transferred).toBeGreaterThan(0);
    expect(transferred).toBeLessThan(64 * 1024);
  });

  test("clean Keras files from a verified org stay ok, rows included", async ({ driver }) => {
    await driver.goto(`${HUB}/sentinel-verified/keras-clean/tree/main`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await findingsOf(driver)).toEqual([]);
    for (const path of ["model.keras", "model.h5", "tf_model.h5"]) {
      expect(await settledLevel(driver, FILE(path))).toBe("ok");
      expect(await findingsOf(driver, FILE(path))).toEqual([]);
    }
  });

  test("a model.h5 that is not HDF5 is unknown (scan-incomplete), never ok", async ({ driver }) => {
    await driver.goto(`${HUB}/keras-tinkerer/not-really-h5/tree/main`);
    expect(await finalLevel(driver)).toBe("unknown");
    expect(await findingsOf(driver)).toContain("scan-incomplete");
    expect(await settledLevel(driver, FILE("model.h5"))).toBe("unknown");
    expect(await findingsOf(driver, FILE("model.h5"))).toContain("scan-incomplete");
  });

  test("hostile layer names render as text in the panel and the file row", async ({ driver }) => {
    await driver.goto(`${HUB}/keras-tinkerer/hostile-layer-names/tree/main`);
    expect(await finalLevel(driver)).toBe("warn");
    await settledLevel(driver, FILE("model.keras"));
    await afterHydration(driver);
    await driver.click(BADGE_BUTTON);
    await waitUntil(() => driver.count(`${REPO_BADGE} >>> [role="dialog"]`), "the panel");
    const text = await driver.evaluate<string>(OUR_TEXT);
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain("<svg onload=alert(");
    expect(await driver.evaluate<string[]>(DANGEROUS_IN_OUR_UI)).toEqual([]);
    expect(await driver.evaluate<number>(`document.querySelectorAll('img[src="x"], svg[onload]').length`)).toBe(0);
    await driver.press("Escape");
    await driver.click(`${FILE("model.keras")} >>> button.mark`);
    await waitUntil(() => driver.count(`${FILE("model.keras")} >>> [role="dialog"]`), "the row's panel");
    expect(await driver.text(`${FILE("model.keras")} >>> [role="dialog"]`)).toContain("onerror=alert(1)");
    expect(await driver.evaluate<string[]>(DANGEROUS_IN_OUR_UI)).toEqual([]);
  });
});
