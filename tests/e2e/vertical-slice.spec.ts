import { expect, test } from "./fixtures";
import { finalLevel, findingsOf, HUB, REPO_BADGE, waitUntil } from "./driver";

test.describe("repo badge on a model page", () => {
  test("pending turns into info for a verified org's pickle beside safetensors", async ({ driver }) => {
    await driver.goto(`${HUB}/google-bert/bert-base-uncased`);
    expect(await driver.attribute(REPO_BADGE, "data-repo")).toBe("google-bert/bert-base-uncased");
    expect(await driver.attribute(REPO_BADGE, "data-repo-type")).toBe("model");
    expect(await finalLevel(driver)).toBe("info");
    expect(await findingsOf(driver)).toContain("pickle-weights");
  });

  test("a repo without pickle files has no pickle-weights finding and is ok", async ({ driver }) => {
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await findingsOf(driver)).toEqual([]);
  });

  test("a repo whose info request fails is unknown, with fetch-failed", async ({ driver }) => {
    await driver.goto(`${HUB}/broken-org/server-error`);
    expect(await finalLevel(driver)).toBe("unknown");
    expect(await findingsOf(driver)).toContain("fetch-failed");
  });

  test("the badge is pending until the facts arrive", async ({ driver }) => {
    // The repo's info is held at the fake Hub until the test has seen the badge: pending, however long that takes.
    const gate = driver.hub.hold(({ path }) => path.startsWith("/api/models/quiet-lab/queued-scan/revision/"));
    await driver.goto(`${HUB}/quiet-lab/queued-scan`);
    await gate.waitFor(1);
    expect(await waitUntil(() => driver.attribute(REPO_BADGE, "data-level"), "the badge")).toBe("pending");
    gate.open();
    expect(await finalLevel(driver)).not.toBe("pending");
  });
});
