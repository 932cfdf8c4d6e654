import { expect, test } from "./fixtures";
import { HUB, waitUntil, type Driver } from "./driver";
import { LEAKED_ORG_TOKEN, LEAKED_TOKEN, LISTING_AUTHORS } from "../fake-hub/annotation-catalogue";

/**
 * Row annotations of the contract (`file`, `pr`, `card`, `leak`) on the fake Hub: tree rows with
 * "Load more files" and sub-folders, file views, discussions lists and PR pages, listing pages
 * within the request budget (counted from the fake Hub's log), client-side list replacement, and
 * leaked tokens that are never sent anywhere.
 */
const FILE = (path: string) => `[data-hub-sentinel="file"][data-path="${path}"]`;
const PR = (num: number) => `[data-hub-sentinel="pr"][data-num="${num}"]`;
const CARD = (id: string) => `[data-hub-sentinel="card"][data-repo="${id}"]`;
const LEAK = '[data-hub-sentinel="leak"]';

async function settled(driver: Driver, selector: string): Promise<string> {
  return waitUntil(async () => {
    const level = await driver.attribute(selector, "data-level");
    return level && level !== "pending" ? level : undefined;
  }, `a final level on ${selector}`);
}

async function findingsAt(driver: Driver, selector: string): Promise<string[]> {
  return ((await driver.attribute(selector, "data-findings")) ?? "").split(" ").filter(Boolean);
}

/** Wait for the fake Hub's hydration, which removes what we inserted inside islands, and one more frame of ours. */
async function hydrated(driver: Driver) {
  await waitUntil(() => driver.evaluate<boolean>(`document.documentElement.getAttribute("data-hydrated") === "true"`), "hydration");
  await new Promise((resolve) => setTimeout(resolve, 300));
}

test.describe("file annotations", () => {
  test("tree rows: pickles, flagged and recently changed weights are annotated; other rows are not", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/tree/main`);
    expect(await settled(driver, FILE("pytorch_model.bin"))).toBe("danger");
    expect(await findingsAt(driver, FILE("pytorch_model.bin"))).toEqual(expect.arrayContaining(["pickle-imports", "pickle-weights"]));
    // model.safetensors changed three days ago: annotated for the change, not alarmed about.
    expect(await settled(driver, FILE("model.safetensors"))).toBe("info");
    expect(await findingsAt(driver, FILE("model.safetensors"))).toContain("weights-changed");
    await hydrated(driver);
    for (const path of ["README.md", "config.json", ".gitattributes", "sample_00.txt"]) expect(await driver.count(FILE(path))).toBe(0);
    // Still exactly one per row after hydration replaced the rows.
    expect(await driver.count(FILE("pytorch_model.bin"))).toBe(1);
    expect(await driver.count('[data-hub-sentinel="file"]')).toBe(2);
  });

  test("the panel lists imports dangerous first, scanner verdicts, and when and by whom the file changed", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/tree/main`);
    await settled(driver, FILE("model.safetensors"));
    await hydrated(driver);
    await driver.click(`${FILE("pytorch_model.bin")} >>> button.mark`);
    const imports = await driver.text(`${FILE("pytorch_model.bin")} >>> [aria-label="Pickle imports"]`);
    expect(imports).toContain("builtins.exec");
    expect(imports?.indexOf("builtins.exec")).toBeLessThan(imports?.indexOf("numpy.core.multiarray._reconstruct") ?? -1);
    expect(imports?.indexOf("numpy.core.multiarray._reconstruct")).toBeLessThan(imports?.indexOf("collections.OrderedDict") ?? -1);
    expect(await driver.text(`${FILE("pytorch_model.bin")} >>> [aria-label="Scanner verdicts"]`)).toContain("Hugging Face pickle scan: unsafe");
    await driver.press("Escape");
    await driver.click(`${FILE("model.safetensors")} >>> button.mark`);
    const panel = await driver.text(`${FILE("model.safetensors")} >>> [role="dialog"]`);
    expect(panel).toContain("by annot-lab");
    expect(panel).toContain("Upload model.safetensors");
  });

  test('rows added by "Load more files" get their annotation', async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/tree/main`);
    await settled(driver, FILE("pytorch_model.bin"));
    await hydrated(driver);
    expect(await driver.count(FILE("zz_late_weights.pt"))).toBe(0);
    await driver.click("[data-fake-load-more]");
    expect(await settled(driver, FILE("zz_late_weights.pt"))).toBe("info");
    expect(await findingsAt(driver, FILE("zz_late_weights.pt"))).toContain("pickle-weights");
    expect(await driver.count(FILE("pytorch_model.bin"))).toBe(1);
  });

  test("rows of a sub-folder carry their full path", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/tree/main/checkpoints/epoch-1`);
    expect(await settled(driver, FILE("checkpoints/epoch-1/model.ckpt"))).toBe("info");
    // Count after hydration has replaced the rows (and the annotations were put back), not during it.
    await hydrated(driver);
    expect(await driver.count('[data-hub-sentinel="file"]')).toBe(1);
  });

  test("a file view shows its file's annotation, also for a file with nothing to report", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/blob/main/pytorch_model.bin`);
    expect(await settled(driver, FILE("pytorch_model.bin"))).toBe("danger");
    await driver.goto(`${HUB}/google-bert/bert-base-uncased/blob/main/config.json`);
    expect(await settled(driver, FILE("config.json"))).toBe("ok");
    await hydrated(driver);
    expect(await driver.count('[data-hub-sentinel="file"]')).toBe(1);
  });
});

test.describe("pull request annotations", () => {
  test("each PR row of a discussions list is annotated; a plain discussion is not", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-org/pr-mix/discussions`);
    expect(await settled(driver, PR(2))).toBe("danger");
    expect(await findingsAt(driver, PR(2))).toEqual(["conversion-pr"]);
    expect(await settled(driver, PR(1))).toBe("warn");
    expect(await settled(driver, PR(4))).toBe("info");
    expect(await findingsAt(driver, PR(4))).toEqual([]);
    expect(await settled(driver, PR(5))).toBe("info");
    await hydrated(driver);
    expect(await driver.count(PR(3))).toBe(0);
    expect(await driver.count('[data-hub-sentinel="pr"]')).toBe(4);
  });

  test("a PR page says whether a conversion PR is what it claims to be and what it changes", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-org/pr-mix/discussions/2`);
    expect(await settled(driver, PR(2))).toBe("danger");
    await driver.click(`${PR(2)} >>> button.mark`);
    const panel = await driver.text(`${PR(2)} >>> [role="dialog"]`);
    expect(panel).toContain("NOT what it claims");
    expect(panel).toContain("SFconvert-bot");
    await driver.goto(`${HUB}/legacy-lab/old-bin-model/discussions/3`);
    expect(await settled(driver, PR(3))).toBe("warn");
    await driver.click(`${PR(3)} >>> button.mark`);
    const genuine = await driver.text(`${PR(3)} >>> [role="dialog"]`);
    expect(genuine).toContain("adds model.safetensors");
    expect(genuine).toContain("looks like what it claims");
  });
});

test.describe("leaked tokens", () => {
  function sentAnywhere(driver: Driver, token: string): boolean {
    return driver.hub.log.some((entry) => entry.path.includes(token) || (entry.body ?? "").includes(token) || (entry.authorization ?? "").includes(token));
  }

  test("a token in a file view gets one leak annotation, masked, and is never sent", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/blob/main/README.md`);
    await waitUntil(() => driver.count(LEAK), "a leak annotation");
    expect(await driver.attribute(LEAK, "data-level")).toBe("danger");
    await hydrated(driver);
    expect(await driver.count(LEAK)).toBe(1);
    await driver.click(`${LEAK} >>> button.mark`);
    const panel = (await driver.text(`${LEAK} >>> [role="dialog"]`)) ?? "";
    expect(panel).toContain("revoke");
    expect(panel).not.toContain(LEAKED_TOKEN);
    expect(await driver.attribute(`${LEAK} >>> a[href="https://huggingface.co/settings/tokens"]`, "href")).toBe("https://huggingface.co/settings/tokens");
    expect(sentAnywhere(driver, LEAKED_TOKEN)).toBe(false);
    expect(driver.hub.log.some((entry) => entry.path.includes("credentials/revoke"))).toBe(false);
  });

  test("tokens in a model card and in a discussion are annotated", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files`);
    await waitUntil(() => driver.count(LEAK), "a leak annotation on the model card");
    await driver.goto(`${HUB}/annot-org/pr-mix/discussions/3`);
    await waitUntil(() => driver.count(LEAK), "a leak annotation on the discussion");
    await hydrated(driver);
    expect(await driver.count(LEAK)).toBe(1);
    // A discussion, not a PR: no pr annotation.
    expect(await driver.count('[data-hub-sentinel="pr"]')).toBe(0);
    expect(sentAnywhere(driver, LEAKED_ORG_TOKEN)).toBe(false);
  });
});

test.describe("listing cards", () => {
  const infoRequests = (driver: Driver) => driver.hub.apiRequests().filter((entry) => /^\/api\/(models|datasets|spaces)\//.test(entry.path));
  const authorRequests = (driver: Driver) => driver.hub.apiRequests().filter((entry) => /^\/api\/(organizations|users)\//.test(entry.path));

  async function cardIds(driver: Driver): Promise<string[]> {
    return driver.evaluate<string[]>(`Array.from(document.querySelectorAll("article header[title]")).map((h) => h.getAttribute("title")).filter((t) => t.includes("/"))`);
  }

  async function finalCards(driver: Driver): Promise<number> {
    return driver.evaluate<number>(
      `document.querySelectorAll('[data-hub-sentinel="card"]:not([data-level="pending"])').length`,
    );
  }

  /** Scroll the whole page in viewport steps so every card enters the view once. */
  async function scrollThrough(driver: Driver) {
    const height = await driver.evaluate<number>("document.documentElement.scrollHeight");
    for (let y = 0; y <= height; y += 500) {
      await driver.evaluate(`window.scrollTo(0, ${y})`);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
  }

  test("100 cards are annotated as they scroll into view, within one request per card plus one per author", async ({ driver }) => {
    await driver.goto(`${HUB}/models`);
    const ids = await cardIds(driver);
    expect(ids).toHaveLength(100);
    await hydrated(driver);
    // Before scrolling, only cards on (or near) the screen were asked about.
    const onScreen = await driver.evaluate<number>(
      `Array.from(document.querySelectorAll("article")).filter((a) => a.getBoundingClientRect().top < innerHeight + 100).length`,
    );
    await waitUntil(async () => (await finalCards(driver)) >= Math.min(onScreen - 1, 100), "the first screen of cards");
    const infoOnFirstScreen = infoRequests(driver).length;
    expect(infoOnFirstScreen).toBeLessThanOrEqual(onScreen);
    expect(infoRequests(driver).length).toBeLessThan(100);

    await scrollThrough(driver);
    await waitUntil(async () => (await finalCards(driver)) === 100, "a final mark on all 100 cards", 30_000);

    const info = infoRequests(driver).map((entry) => entry.path);
    const authors = authorRequests(driver).map((entry) => entry.path);
    const distinctAuthors = new Set(ids.map((id) => id.split("/")[0]?.toLowerCase()));
    expect(info.length).toBeLessThanOrEqual(100);
    expect(new Set(info).size).toBe(info.length); // none repeated
    expect(authors.length).toBeLessThanOrEqual(distinctAuthors.size);
    expect(new Set(authors).size).toBe(authors.length);
    // The whole API budget: cards cost only repo info and author overviews.
    expect(driver.hub.apiRequests().length).toBe(info.length + authors.length);
    for (const path of info) expect(path).toContain("securityStatus=true");
    test.info().annotations.push({ type: "requests", description: `100 cards: ${info.length} repo-info + ${authors.length} author requests (${distinctAuthors.size} distinct authors); ${infoOnFirstScreen} before scrolling` });

    expect(await driver.attribute(CARD("fresh-uploader-7/pickle-rce"), "data-level")).toBe("danger");
    expect(await driver.attribute(CARD("sentinel-verified/tiny-safetensors"), "data-level")).toBe("ok");
    expect(await driver.attribute(CARD("google-bert/bert-base-uncased"), "data-level")).toBe("info");
    expect(await driver.attribute(CARD("legacy-lab/old-bin-model"), "data-level")).toBe("info");
    expect(await driver.attribute(CARD("google-bert/bert-base-uncased"), "data-repo-type")).toBe("model");
    // The promotional card gets no mark; every repo card exactly one.
    expect(await driver.count('[data-hub-sentinel="card"]')).toBe(100);
  });

  test("a list the page replaces (filter, paging) is re-annotated from the cache, never twice", async ({ driver }) => {
    await driver.goto(`${HUB}/models`);
    await hydrated(driver);
    await scrollThrough(driver);
    await waitUntil(async () => (await finalCards(driver)) === 100, "all 100 cards", 30_000);
    const firstPage = new Set(await cardIds(driver));
    const before = driver.hub.apiRequests().length;

    await driver.evaluate("window.scrollTo(0, 0)");
    await driver.click('a[data-fake-filter][href="/models?search=listing-beta"]');
    await waitUntil(() => driver.evaluate<boolean>(`document.documentElement.getAttribute("data-list-replaced") === "1"`), "the list replaced");
    const filtered = await cardIds(driver);
    expect(filtered.length).toBeGreaterThan(5);
    expect(filtered.every((id) => id.startsWith("listing-beta/"))).toBe(true);
    await scrollThrough(driver);
    await waitUntil(async () => (await finalCards(driver)) === filtered.length, "marks on the filtered cards");
    expect(await driver.count('[data-hub-sentinel="card"]')).toBe(filtered.length);
    // Cards already seen cost nothing; only cards new to this page are asked about, once each.
    const unseen = filtered.filter((id) => !firstPage.has(id));
    expect(unseen.length).toBeLessThan(filtered.length);
    expect(driver.hub.apiRequests().slice(before).map((entry) => entry.path).sort()).toEqual(
      unseen.map((id) => `/api/models/${id}/revision/main?securityStatus=true`).sort(),
    );

    // The next page holds cards not seen yet: they cost their own requests, once.
    await driver.evaluate("window.scrollTo(0, 0)");
    await driver.click('a[data-fake-filter][href="/models?search=&p=1"]');
    await waitUntil(() => driver.evaluate<boolean>(`document.documentElement.getAttribute("data-list-replaced") === "2"`), "the next page");
    const next = await cardIds(driver);
    await scrollThrough(driver);
    await waitUntil(async () => (await finalCards(driver)) === next.length, "marks on the next page");
    expect(await driver.count('[data-hub-sentinel="card"]')).toBe(next.length);
    const added = infoRequests(driver).slice(-next.length).map((entry) => entry.path);
    expect(infoRequests(driver).length).toBeLessThanOrEqual(100 + next.length);
    expect(new Set(infoRequests(driver).map((entry) => entry.path)).size).toBe(infoRequests(driver).length);
    expect(added.length).toBeGreaterThan(0);
  });

  test("profiles, collections, /datasets and /spaces listings get marks with the repo type", async ({ driver }) => {
    await driver.goto(`${HUB}${"/collections/annot-org/reviewed-picks-65f0c0ffee"}`);
    expect(await settled(driver, CARD("space-builder/docker-oauth"))).toBe("warn");
    expect(await driver.attribute(CARD("space-builder/docker-oauth"), "data-repo-type")).toBe("space");
    expect(await settled(driver, CARD("sentinel-verified/parquet-corpus"))).toBe("ok");
    expect(await driver.attribute(CARD("sentinel-verified/parquet-corpus"), "data-repo-type")).toBe("dataset");
    expect(await settled(driver, CARD("fresh-uploader-7/pickle-rce"))).toBe("danger");

    await driver.goto(`${HUB}/${LISTING_AUTHORS[0] ?? "listing-alpha"}`);
    await waitUntil(async () => (await finalCards(driver)) > 0, "marks on a profile");
    await driver.goto(`${HUB}/datasets`);
    expect(await settled(driver, CARD("someone/pickled-features"))).toBe("warn");
    await driver.goto(`${HUB}/spaces`);
    expect(await settled(driver, CARD("sentinel-verified/gradio-demo"))).toBe("ok");
  });
});
