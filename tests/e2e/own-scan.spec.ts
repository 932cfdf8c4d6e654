import type { LoggedRequest } from "../fake-hub/server";
import { finalLevel, findingsOf, HUB, REPO_BADGE, settledLevel, type Driver } from "./driver";
import { expect, test } from "./fixtures";

/**
 * Issue 9: pickle files the Hub has not judged are read by Hub Sentinel itself, a few kilobytes by
 * HTTP Range requests on `resolve` (redirected to the storage host), and its findings say so.
 */
const BADGE_BUTTON = `${REPO_BADGE} >>> button.badge`;
const PICKLE_FINDING = `${REPO_BADGE} >>> [data-finding="pickle-imports"]`;
const STORAGE_HOST = "cdn-lfs.hf.co";

/** Requests that fetched file bytes: `resolve` on the Hub and the storage host it redirects to. */
function fileReads(driver: Driver, repoId: string): LoggedRequest[] {
  const resolved = driver.hub.log.filter((entry) => entry.path.startsWith(`/${repoId}/resolve/`));
  const storage = driver.hub.log.filter((entry) => entry.host === STORAGE_HOST && decodeURIComponent(entry.path).includes(`|${repoId}|`));
  return [...resolved, ...storage];
}

test.describe("Hub Sentinel's own pickle scan", () => {
  test("a queued Hub scan: the badge turns danger, and pickle-imports names our scan and posix.system", async ({ driver }) => {
    await driver.goto(`${HUB}/quiet-lab/queued-scan`);
    expect(await finalLevel(driver)).toBe("danger");
    expect(await findingsOf(driver)).toEqual(expect.arrayContaining(["pickle-imports", "scan-incomplete"]));

    await driver.click(BADGE_BUTTON);
    const text = (await driver.text(PICKLE_FINDING)) ?? "";
    expect(text).toContain("pytorch_model.bin — Hub Sentinel's own scan: dangerous posix.system");
    // The Hub's queued scan has said nothing, so only our scan speaks.
    expect(text).not.toContain("Hugging Face's scan");

    const reads = fileReads(driver, "quiet-lab/queued-scan");
    expect(reads.some((entry) => entry.host === "huggingface.co" && entry.status === 302)).toBe(true);
    expect(reads.some((entry) => entry.host === STORAGE_HOST && entry.status === 206)).toBe(true);
    for (const entry of reads) {
      expect(entry.range, entry.path).toMatch(/^bytes=\d+-\d+$/);
      expect(entry.cookie, entry.path).toBe(false);
    }
  });

  test("a 2 GB checkpoint is judged from its start and end, with less than 1 MB transferred", async ({ driver }) => {
    await driver.goto(`${HUB}/heavy-lab/big-checkpoint`);
    expect(await finalLevel(driver)).toBe("danger");
    expect(await findingsOf(driver)).toContain("pickle-imports");
    await driver.click(BADGE_BUTTON);
    expect(await driver.text(PICKLE_FINDING)).toContain("Hub Sentinel's own scan: dangerous builtins.exec");

    const storage = fileReads(driver, "heavy-lab/big-checkpoint").filter((entry) => entry.host === STORAGE_HOST);
    const transferred = storage.reduce((sum, entry) => sum + entry.bytes, 0);
    expect(transferred).toBeGreaterThan(0);
    expect(transferred).toBeLessThan(1024 * 1024);
    // It read the central directory at the end without the 2 GB in between.
    const starts = storage.map((entry) => Number(/^bytes=(\d+)-/.exec(entry.range ?? "")?.[1]));
    expect(Math.max(...starts)).toBeGreaterThan(2_000_000_000);
    console.log(`heavy-lab/big-checkpoint: ${storage.length} storage requests, ${transferred} bytes for a 2 GiB file`);
    // Issue 15: the end record, the central directory and data.pkl, not three 64 KiB blocks.
    expect(transferred).toBeLessThanOrEqual(32 * 1024);
    expect(storage.length).toBeLessThanOrEqual(3);
  });

  test("a zip whose 'encrypted' flag covers clear data is read as PyTorch reads it, and says what the payload does", async ({ driver }) => {
    await driver.goto(`${HUB}/cipher-lab/flagged-zip`);
    expect(await finalLevel(driver)).toBe("danger");
    expect(await findingsOf(driver)).toContain("pickle-imports");
    await driver.click(BADGE_BUTTON);
    expect(await driver.text(PICKLE_FINDING)).toContain("Hub Sentinel's own scan: dangerous builtins.exec (evaluates a code string)");
  });

  test("the result is cached by the file's sha256: a second visit reads no bytes", async ({ driver }) => {
    await driver.goto(`${HUB}/quiet-lab/queued-scan`);
    expect(await finalLevel(driver)).toBe("danger");
    const stored = await driver.extensionStorage();
    expect(Object.keys(stored.local ?? {}).some((key) => /own-scan:v2:lfs:[0-9a-f]{64}$/.test(key))).toBe(true);

    driver.hub.resetLog();
    await driver.goto(`${HUB}/quiet-lab/queued-scan`);
    expect(await finalLevel(driver)).toBe("danger");
    expect(await findingsOf(driver)).toContain("pickle-imports");
    expect(fileReads(driver, "quiet-lab/queued-scan")).toEqual([]);
  });

  test("a CoreML zip is read by its directory: no pickle inside, so not pickle weights, and its row says so", async ({ driver }) => {
    await driver.goto(`${HUB}/coreml-community/coreml-text-encoder`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await findingsOf(driver)).toEqual([]);

    // Both zips read by Range from the storage host, anonymously, a few KB each.
    const reads = fileReads(driver, "coreml-community/coreml-text-encoder").filter((entry) => entry.host === STORAGE_HOST);
    for (const zip of ["TextEncoder.mlmodelc.zip", "Unet.mlpackage.zip"]) {
      const ofZip = reads.filter((entry) => decodeURIComponent(entry.path).endsWith(zip));
      expect(ofZip.length, zip).toBeGreaterThan(0);
      expect(ofZip.reduce((sum, entry) => sum + entry.bytes, 0), zip).toBeLessThanOrEqual(16 * 1024);
    }
    for (const entry of reads) {
      expect(entry.range, entry.path).toMatch(/^bytes=\d+-\d+$/);
      expect(entry.cookie, entry.path).toBe(false);
    }

    const row = `[data-hub-sentinel="file"][data-path="original/compiled/TextEncoder.mlmodelc.zip"]`;
    await driver.goto(`${HUB}/coreml-community/coreml-text-encoder/tree/main/original/compiled`);
    expect(await settledLevel(driver, row)).toBe("ok");
    await driver.click(`${row} >>> button.mark`);
    expect(await driver.text(`${row} >>> [role="dialog"]`)).toContain("Zip read by Hub Sentinel: 5 members, none of them a pickle, so it is not pickle weights.");
  });

  test("a Lightning-trained SD checkpoint the Hub flags for Lightning and numpy classes is info, naming them as well-known library classes", async ({ driver }) => {
    await driver.goto(`${HUB}/diffusion-guild/stable-diffusion-v1-5`);
    expect(await finalLevel(driver)).toBe("info");
    expect(await findingsOf(driver)).toContain("pickle-imports");
    await driver.click(BADGE_BUTTON);
    const text = (await driver.text(PICKLE_FINDING)) ?? "";
    expect(text).toContain("v1-5-pruned-emaonly.ckpt: the imports Hugging Face flags are well-known library classes");
    expect(text).toContain("pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint");
    expect(text).toContain("numpy.core.multiarray.scalar");
    // The Hub scanned it: Hub Sentinel reads no byte of the 4 GB checkpoint.
    expect(fileReads(driver, "diffusion-guild/stable-diffusion-v1-5")).toEqual([]);
  });

  test("flag bit 6 ('strong encryption') over clear data is read as PyTorch reads it: danger, builtins.exec", async ({ driver }) => {
    await driver.goto(`${HUB}/cipher-lab/strong-flag-zip`);
    expect(await finalLevel(driver)).toBe("danger");
    await driver.click(BADGE_BUTTON);
    expect(await driver.text(PICKLE_FINDING)).toContain("Hub Sentinel's own scan: dangerous builtins.exec (evaluates a code string)");
  });
});
