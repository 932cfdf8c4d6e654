import { expect, test } from "./fixtures";
import { finalLevel, findingsOf, HUB, waitUntil } from "./driver";
import { findFixture } from "../fake-hub/catalogue";
import { REAL_PAGES } from "../fake-hub/real-pages";

/**
 * Issue 29: real saved huggingface.co pages (tests/fixtures/pages/real), served by the fake Hub at their own URLs
 * with the API answering for their repos: the extension places its badge in the real header beside the repo's
 * name, marks the file of a real file view, and the page asks nothing of a host that is not the Hub's.
 */
test.describe("real saved pages, with the extension on them", () => {
  for (const page of REAL_PAGES) {
    const repoId = page.path.split("/blob/")[0]?.slice(1) ?? "";
    const filePath = page.path.split("/blob/main/")[1] ?? "";
    test(`${repoId}: ${page.about}`, async ({ driver }) => {
      const repo = findFixture("model", repoId);
      if (!repo) throw new Error(`no catalogue repo for ${repoId}`);
      await driver.goto(`${HUB}${page.path}`);
      expect(await finalLevel(driver)).toBe(repo.expect.level);
      expect((await findingsOf(driver)).sort()).toEqual([...repo.expect.findings].sort());
      // In the real header's h1, right after the repo's name link.
      expect(await driver.evaluate<boolean>(`document.querySelector('[data-target="ModelHeader"] h1 a[href="/${repoId}"] + [data-hub-sentinel="repo"]') !== null`)).toBe(true);
      // The file view's mark, for the file the page shows, after the Hub's scan badge. (A file view saved before the
      // Hub had ViewerHeader and ScanStatusBadge islands, as TheBloke's was, gives the mark no place.)
      if (await driver.count('[data-target="ScanStatusBadge"]')) {
        const mark = `[data-target="ScanStatusBadge"] + [data-hub-sentinel="file"][data-path="${filePath}"]`;
        await waitUntil(async () => (await driver.count(mark)) === 1, `the mark of ${filePath}`);
        await finalLevel(driver, mark);
      }
      // Everything the page fetched (its stylesheet, scripts, pictures), as the page's own resource timing lists it
      // (the browser's and the extension's background requests are not the page's), came from the Hub.
      const fetched = await driver.evaluate<string[]>(`performance.getEntriesByType("resource").map((entry) => entry.name)`);
      expect(fetched.some((url) => /^https:\/\/huggingface\.co\/front\/build\/kube-\w+\/style\.css$/.test(url))).toBe(true);
      expect(fetched.filter((url) => new URL(url).host !== "huggingface.co")).toEqual([]);
    });
  }
});
