import { expect, test } from "./fixtures";
import { afterHydration, HUB, waitUntil, type Driver } from "./driver";
import { LEAKED_TOKEN, NOT_A_TOKEN_TAIL } from "../fake-hub/annotation-catalogue";

/**
 * A Hub token that reaches the page split over several text nodes of one line, as a code
 * highlighter renders it (`?fakeHighlight=words`: one span per word, number and punctuation mark,
 * so `hf`, `_` and the body are separate nodes): still marked, and still sent nowhere. A prefix at
 * the end of one line and 34 letters on the next are not a token.
 */
const LEAK = '[data-hub-sentinel="leak"]';

function sentAnywhere(driver: Driver, text: string): boolean {
  return driver.hub.log.some((entry) => [entry.path, entry.body ?? "", entry.authorization ?? "", entry.host].some((field) => field.includes(text)));
}

test("a token split across highlighted spans of a file view is marked once, after the whole token, and never sent", async ({ driver }) => {
  await driver.goto(`${HUB}/annot-lab/mixed-files/blob/main/README.md?fakeHighlight=words`);
  // The fixture really is split: no text node of the page holds the whole token.
  const wholeInOneNode = await driver.evaluate<boolean>(
    `(() => { const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.includes(${JSON.stringify(LEAKED_TOKEN)})) return true; return false; })()`,
  );
  expect(wholeInOneNode).toBe(false);
  await waitUntil(() => driver.count(LEAK), "a leak annotation");
  await afterHydration(driver);
  // Hydration re-renders the code view: the mark comes back, once (awaited, not timed).
  await waitUntil(async () => (await driver.count(LEAK)) === 1, "the leak annotation back after hydration");
  expect(await driver.attribute(LEAK, "data-level")).toBe("danger");
  // On the token's line, after its last piece: the line's text before the mark ends with the token.
  const before = await driver.evaluate<string>(
    `(() => { const host = document.querySelector('${LEAK}'); const line = host.closest("td"); const range = document.createRange(); range.setStart(line, 0); range.setEndBefore(host); return range.toString(); })()`,
  );
  expect(before.endsWith(LEAKED_TOKEN)).toBe(true);
  // The line whose tail would make a token with the previous line's "hf_" has no mark.
  expect(await driver.evaluate<number>(`Array.from(document.querySelectorAll("td.blob-line")).filter((td) => td.textContent.includes(${JSON.stringify(NOT_A_TOKEN_TAIL)}) && td.querySelector('${LEAK}')).length`)).toBe(0);
  await driver.click(`${LEAK} >>> button.mark`);
  const panel = (await driver.text(`${LEAK} >>> [role="dialog"]`)) ?? "";
  expect(panel).toContain("revoke");
  expect(panel).not.toContain(LEAKED_TOKEN);
  expect(sentAnywhere(driver, LEAKED_TOKEN)).toBe(false);
  expect(sentAnywhere(driver, LEAKED_TOKEN.slice(3))).toBe(false);
});
