import { expect, test } from "./fixtures";
import { finalLevel, findingsOf, HUB, settledApiRequests, waitUntil } from "./driver";
import type { LoggedRequest } from "../fake-hub/server";

/**
 * What a repo page costs the network's shared anonymous budget (issue 20), read from the fake
 * Hub's request log in the real browser: the page's header says whether there are discussions
 * (none: no pull-request list), and the repo's own scan status and last commit answer for weight
 * files other than pickles and Keras files (no paths-info for them).
 */
const kinds = (requests: LoggedRequest[]) =>
  requests.map((entry) => (/\/paths-info\//.test(entry.path) ? "paths-info" : /\/discussions/.test(entry.path) ? "discussions" : /\/revision\//.test(entry.path) ? "info" : /^\/api\/(organizations|users)\//.test(entry.path) ? "author" : entry.path)).sort();

test.describe("a repo page spends only the calls its verdict needs", () => {
  test("a safetensors repo with no discussions: its info and its author, nothing more", async ({ driver }) => {
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(kinds(await settledApiRequests(driver))).toEqual(["author", "info"]);
  });

  test("a Files tab: the pickle's row is judged from its own details, the safetensors row from the repo's status", async ({ driver }) => {
    await driver.goto(`${HUB}/google-bert/bert-base-uncased/tree/main`);
    const pickleRow = '[data-hub-sentinel="file"][data-path="pytorch_model.bin"]';
    const level = await waitUntil(async () => {
      const value = await driver.attribute(pickleRow, "data-level");
      return value && value !== "pending" ? value : undefined;
    }, "a final mark on the pickle's row");
    // A pickle is never ok; its clean scan makes it info, not unknown.
    expect(level).toBe("info");
    const requests = await settledApiRequests(driver);
    const details = requests.map((entry) => JSON.parse(entry.path.includes("/paths-info/") ? (entry.body ?? "{}") : "{}") as { paths?: string[]; expand?: boolean }).filter((body) => body.expand === true);
    expect(details.map((body) => [...(body.paths ?? [])].sort())).toEqual([["pytorch_model.bin", "tf_model.h5"]]);
    // model.safetensors has nothing to say (old, scanned clean): no mark, and nothing unknown anywhere.
    expect(await driver.count('[data-hub-sentinel="file"][data-path="model.safetensors"]')).toBe(0);
    expect(await driver.count('[data-hub-sentinel="file"][data-level="unknown"]')).toBe(0);
  });

  test("a repo whose header counts a pull request: the list is asked once, and the bot's PR is found", async ({ driver }) => {
    await driver.goto(`${HUB}/legacy-lab/old-bin-model`);
    expect(await finalLevel(driver)).not.toBe("ok");
    expect(await findingsOf(driver)).toContain("conversion-pr");
    const requests = await settledApiRequests(driver);
    expect(kinds(requests).filter((kind) => kind === "discussions")).toHaveLength(1);
    // Its pickle's details are asked for (its imports are in them): the one paths-info call with `expand`.
    const details = requests.map((entry) => JSON.parse(entry.path.includes("/paths-info/") ? (entry.body ?? "{}") : "{}") as { paths?: string[]; expand?: boolean }).filter((body) => body.expand === true);
    expect(details.map((body) => body.paths)).toEqual([["pytorch_model.bin"]]);
  });
});
