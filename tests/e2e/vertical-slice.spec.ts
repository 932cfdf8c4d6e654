import { expect, finalLevel, HUB, repoBadge, test } from "./fixtures";

test.describe("repo badge on a model page", () => {
  test("pending turns into info for a verified org's pickle beside safetensors", async ({ page }) => {
    await page.goto(`${HUB}/google-bert/bert-base-uncased`);
    const badge = repoBadge(page);
    await expect(badge).toHaveAttribute("data-repo", "google-bert/bert-base-uncased");
    await expect(badge).toHaveAttribute("data-repo-type", "model");
    expect(await finalLevel(page)).toBe("info");
    await expect(badge).toHaveAttribute("data-findings", /pickle-weights/);
  });

  test("a repo without pickle files has no pickle-weights finding", async ({ page }) => {
    await page.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(page)).toBe("ok");
    await expect(repoBadge(page)).toHaveAttribute("data-findings", "");
  });

  test("a repo whose info request fails is unknown, with fetch-failed", async ({ page }) => {
    await page.goto(`${HUB}/broken-org/server-error`);
    expect(await finalLevel(page)).toBe("unknown");
    await expect(repoBadge(page)).toHaveAttribute("data-findings", /fetch-failed/);
  });

  test("the badge starts pending before the facts arrive", async ({ page, hub }) => {
    hub.setFault("quiet-lab/queued-scan", "info", { kind: "delay", ms: 1500 });
    await page.goto(`${HUB}/quiet-lab/queued-scan`);
    await expect(repoBadge(page)).toHaveAttribute("data-level", "pending");
    await expect(repoBadge(page)).not.toHaveAttribute("data-level", "pending", { timeout: 15_000 });
    hub.setFault("quiet-lab/queued-scan", "info", undefined);
  });
});
