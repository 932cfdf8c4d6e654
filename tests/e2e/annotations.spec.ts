import { expect, test } from "./fixtures";
import { afterHydration, findingsOf, HUB, settledLevel, waitUntil, type Driver } from "./driver";
import { LEAKED_ORG_TOKEN, LEAKED_TOKEN, LISTING_AUTHORS } from "../fake-hub/annotation-catalogue";

/**
 * Row annotations of the contract (`file`, `pr`, `card`, `leak`) on the fake Hub: tree rows with
 * "Load more files" and sub-folders, file views, discussions lists and PR pages, listing pages
 * of every kind (listing budget and list replacement: listing.spec.ts), and leaked tokens that are
 * never sent anywhere.
 */
const FILE = (path: string) => `[data-hub-sentinel="file"][data-path="${path}"]`;
const PR = (num: number) => `[data-hub-sentinel="pr"][data-num="${num}"]`;
const CARD = (id: string) => `[data-hub-sentinel="card"][data-repo="${id}"]`;
const LEAK = '[data-hub-sentinel="leak"]';

/**
 * Wait for the fake Hub's hydration, which removes what we inserted inside islands, and for our
 * marks to be back: every mark shown before hydration is in the page again (an event, not a pause).
 */
async function hydrated(driver: Driver) {
  const before = await driver.evaluate<string[]>(MARK_KEYS);
  await afterHydration(driver);
  await waitUntil(async () => {
    const now = await driver.evaluate<string[]>(MARK_KEYS);
    return before.every((key) => now.includes(key));
  }, "our marks back in place after hydration");
}
const MARK_KEYS = `Array.from(document.querySelectorAll("[data-hub-sentinel]")).filter((m) => m.isConnected).map((m) => [m.getAttribute("data-hub-sentinel"), m.getAttribute("data-path"), m.getAttribute("data-num")].join("|"))`;

test.describe("file annotations", () => {
  test("tree rows: pickles, flagged and recently changed weights are annotated; other rows are not", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/tree/main`);
    expect(await settledLevel(driver, FILE("pytorch_model.bin"))).toBe("danger");
    expect(await findingsOf(driver, FILE("pytorch_model.bin"))).toEqual(expect.arrayContaining(["pickle-imports", "pickle-weights"]));
    // model.safetensors changed three days ago: annotated for the change, not alarmed about.
    expect(await settledLevel(driver, FILE("model.safetensors"))).toBe("info");
    expect(await findingsOf(driver, FILE("model.safetensors"))).toContain("weights-changed");
    await hydrated(driver);
    for (const path of ["README.md", "config.json", ".gitattributes", "sample_00.txt"]) expect(await driver.count(FILE(path))).toBe(0);
    // Still exactly one per row after hydration replaced the rows.
    expect(await driver.count(FILE("pytorch_model.bin"))).toBe(1);
    expect(await driver.count('[data-hub-sentinel="file"]')).toBe(2);
  });

  test("the panel lists imports dangerous first, scanner verdicts, and when and by whom the file changed", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/tree/main`);
    await settledLevel(driver, FILE("model.safetensors"));
    await hydrated(driver);
    await driver.click(`${FILE("pytorch_model.bin")} >>> button.mark`);
    const imports = await driver.text(`${FILE("pytorch_model.bin")} >>> [aria-label="Pickle imports"]`);
    expect(imports).toContain("builtins.exec");
    // Each dangerous import says in plain words what loading it would do.
    expect(imports).toContain("evaluates a code string");
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
    await settledLevel(driver, FILE("pytorch_model.bin"));
    await hydrated(driver);
    expect(await driver.count(FILE("zz_late_weights.pt"))).toBe(0);
    await driver.click("[data-fake-load-more]");
    expect(await settledLevel(driver, FILE("zz_late_weights.pt"))).toBe("info");
    expect(await findingsOf(driver, FILE("zz_late_weights.pt"))).toContain("pickle-weights");
    expect(await driver.count(FILE("pytorch_model.bin"))).toBe(1);
  });

  test("rows of a sub-folder carry their full path", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/tree/main/checkpoints/epoch-1`);
    expect(await settledLevel(driver, FILE("checkpoints/epoch-1/model.ckpt"))).toBe("info");
    // Count after hydration has replaced the rows (and the annotations were put back), not during it.
    await hydrated(driver);
    expect(await driver.count('[data-hub-sentinel="file"]')).toBe(1);
  });

  test("a file view shows its file's annotation, also for a file with nothing to report", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-lab/mixed-files/blob/main/pytorch_model.bin`);
    expect(await settledLevel(driver, FILE("pytorch_model.bin"))).toBe("danger");
    await driver.goto(`${HUB}/google-bert/bert-base-uncased/blob/main/config.json`);
    expect(await settledLevel(driver, FILE("config.json"))).toBe("ok");
    await hydrated(driver);
    expect(await driver.count('[data-hub-sentinel="file"]')).toBe(1);
  });
});

test.describe("pull request annotations", () => {
  test("each PR row of a discussions list is annotated; a plain discussion is not", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-org/pr-mix/discussions`);
    expect(await settledLevel(driver, PR(2))).toBe("danger");
    expect(await findingsOf(driver, PR(2))).toEqual(["conversion-pr"]);
    expect(await settledLevel(driver, PR(1))).toBe("warn");
    expect(await settledLevel(driver, PR(4))).toBe("info");
    expect(await findingsOf(driver, PR(4))).toEqual([]);
    expect(await settledLevel(driver, PR(5))).toBe("info");
    await hydrated(driver);
    expect(await driver.count(PR(3))).toBe(0);
    expect(await driver.count('[data-hub-sentinel="pr"]')).toBe(4);
  });

  test("a PR page says whether a conversion PR is what it claims to be and what it changes", async ({ driver }) => {
    await driver.goto(`${HUB}/annot-org/pr-mix/discussions/2`);
    expect(await settledLevel(driver, PR(2))).toBe("danger");
    await driver.click(`${PR(2)} >>> button.mark`);
    const panel = await driver.text(`${PR(2)} >>> [role="dialog"]`);
    expect(panel).toContain("NOT what it claims");
    expect(panel).toContain("SFconvert-bot");
    await driver.goto(`${HUB}/legacy-lab/old-bin-model/discussions/3`);
    expect(await settledLevel(driver, PR(3))).toBe("warn");
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
    // Read once hydration has re-rendered the code view: the mark is out of the page for a moment while it does.
    expect(await settledLevel(driver, LEAK)).toBe("danger");
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
  // Marks on every card, list replacement and the listing's request budget: tests/e2e/listing.spec.ts.
  async function finalCards(driver: Driver): Promise<number> {
    return driver.evaluate<number>(
      `document.querySelectorAll('[data-hub-sentinel="card"]:not([data-level="pending"])').length`,
    );
  }

  test("profiles, collections, /datasets and /spaces listings get marks with the repo type", async ({ driver }) => {
    await driver.goto(`${HUB}${"/collections/annot-org/reviewed-picks-65f0c0ffee"}`);
    // Marks now come at once, before hydration replaces the list: read them once the list has settled.
    await hydrated(driver);
    expect(await settledLevel(driver, CARD("space-builder/docker-oauth"))).toBe("warn");
    expect(await driver.attribute(CARD("space-builder/docker-oauth"), "data-repo-type")).toBe("space");
    expect(await settledLevel(driver, CARD("sentinel-verified/parquet-corpus"))).toBe("ok");
    expect(await driver.attribute(CARD("sentinel-verified/parquet-corpus"), "data-repo-type")).toBe("dataset");
    expect(await settledLevel(driver, CARD("fresh-uploader-7/pickle-rce"))).toBe("danger");

    await driver.goto(`${HUB}/${LISTING_AUTHORS[0] ?? "listing-alpha"}`);
    await waitUntil(async () => (await finalCards(driver)) > 0, "marks on a profile");
    await driver.goto(`${HUB}/datasets`);
    expect(await settledLevel(driver, CARD("someone/pickled-features"))).toBe("warn");
    await driver.goto(`${HUB}/spaces`);
    expect(await settledLevel(driver, CARD("sentinel-verified/gradio-demo"))).toBe("ok");
  });
});
