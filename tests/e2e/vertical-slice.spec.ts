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
    driver.hub.setFault("quiet-lab/queued-scan", "info", { kind: "delay", ms: 1500 });
    await driver.goto(`${HUB}/quiet-lab/queued-scan`);
    expect(await waitUntil(() => driver.attribute(REPO_BADGE, "data-level"), "the badge")).toBe("pending");
    expect(await finalLevel(driver)).not.toBe("pending");
  });
});
