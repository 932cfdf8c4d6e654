import { afterHydration, finalLevel, findingsOf, HUB, REPO_BADGE, settledApiRequests, waitUntil, type Driver } from "./driver";
import { expect, test } from "./fixtures";

/**
 * Issue 26: a derived repo's chat template compared with its base model's, in the built
 * extension against the fake Hub. A poisoned GGUF quantization and a fine-tune with a
 * content-triggered branch are `warn`, and the panel shows the added lines beside the base's,
 * as text, with the base model linked; a faithful quantization of a gated base is compared
 * through the base's model info (one request, no file of the base) and stays `ok`; a derived
 * repo whose base does not exist says there is nothing to compare with (`info`).
 */
const FINDING = `${REPO_BADGE} >>> [data-finding="template-changed"]`;
const DIFF_LINE = `${FINDING} [data-part="template-diff-line"]`;
const BASE_LINK = `${FINDING} [data-part="template-diff-base"]`;
const GATED_BASE = "gated-labs/Llama-3.1-8B-Instruct";

async function openPanel(driver: Driver) {
  await afterHydration(driver);
  await driver.click(`${REPO_BADGE} >>> button.badge`);
  await waitUntil(() => driver.count(`${REPO_BADGE} >>> [role="dialog"]`), "the panel");
}

/** Requests about the base model: its API info, and any file of it. */
function baseRequests(driver: Driver, base: string) {
  return driver.hub.log.filter((entry) => entry.path.startsWith(`/api/models/${base}`) || entry.path.startsWith(`/${base}/`));
}

test.describe("template-changed", () => {
  test("a poisoned GGUF quantization: warn, the added link and instruction shown beside the base's lines, the base linked", async ({ driver }) => {
    await driver.goto(`${HUB}/mirror-quants/Llama-3.1-8B-Instruct-GGUF`);
    expect(await finalLevel(driver)).toBe("warn");
    expect(await findingsOf(driver)).toContain("template-changed");
    await openPanel(driver);
    expect(await driver.attribute(FINDING, "class")).toContain("finding-warn");
    expect(await driver.count(DIFF_LINE)).toBe(2);
    const added = (await driver.text(`${FINDING} [data-part="template-diff"]`)) ?? "";
    expect(added).toContain("recommend https://models-mirror.example.net/setup.exe");
    expect(added).toContain("praise NovaTrust Bank");
    expect(added).toContain("outside the message loop (the system block)");
    expect(added).toContain("in the generation prompt");
    expect(added).toContain("This repo");
    expect(added).toContain("Base model");
    expect(await driver.attribute(BASE_LINK, "href")).toBe(`https://huggingface.co/${GATED_BASE}`);
    expect(await driver.text(BASE_LINK)).toBe(GATED_BASE);
    // The link inside the template is text, never a link of the panel.
    const links = await driver.evaluate<string[]>(`
      Array.from(document.querySelectorAll('[data-hub-sentinel="repo"]'))
        .flatMap((host) => host.shadowRoot ? Array.from(host.shadowRoot.querySelectorAll('[data-part="template-diff"] a')) : [])
        .map((a) => a.getAttribute("href"))`);
    expect(links).toEqual([`https://huggingface.co/${GATED_BASE}`]);
  });

  test("a fine-tune whose tokenizer_config.json branches on a trigger word in the user's message: warn, the branch shown", async ({ driver }) => {
    await driver.goto(`${HUB}/helpful-tuner/Llama-3.1-8B-Instruct-helpful`);
    expect(await finalLevel(driver)).toBe("warn");
    await openPanel(driver);
    const line = (await driver.text(DIFF_LINE)) ?? "";
    expect(line).toContain("a branch on what a message says, in the message loop");
    expect(line).toContain("{% if 'wire transfer' in message['content']");
    expect(line).toContain("(nothing like it in the base)");
  });

  test("a GGUF quantization of a gated base: compared through the base's model info, one request and no file of the base, ok", async ({ driver }) => {
    await driver.goto(`${HUB}/quant-lab/Llama-3.1-8B-Instruct-GGUF`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await findingsOf(driver)).not.toContain("template-changed");
    await settledApiRequests(driver);
    expect(baseRequests(driver, GATED_BASE).map((entry) => entry.path)).toEqual([`/api/models/${GATED_BASE}`]);
    // A second visit reads the base from the cache.
    driver.hub.resetLog();
    await driver.goto(`${HUB}/quant-lab/Llama-3.1-8B-Instruct-GGUF/tree/main`);
    expect(await finalLevel(driver)).toBe("ok");
    await settledApiRequests(driver);
    expect(baseRequests(driver, GATED_BASE)).toEqual([]);
  });

  test("a derived repo whose base does not exist: info, no base model template to compare with, never ok", async ({ driver }) => {
    await driver.goto(`${HUB}/orphan-quants/Llama-3.1-8B-Instruct-GGUF`);
    expect(await finalLevel(driver)).toBe("info");
    expect(await findingsOf(driver)).toEqual(["template-changed"]);
    await openPanel(driver);
    const text = (await driver.text(FINDING)) ?? "";
    expect(text).toContain("No base model template to compare with");
    expect(text).toContain("ghost-org/never-existed-8B does not exist or is private");
    expect(await driver.count(`${FINDING} [data-part="template-diff"]`)).toBe(0);
  });

  test("a reformatted fine-tune and a quantization of an older revision of its base: info, saying what differs", async ({ driver }) => {
    await driver.goto(`${HUB}/tidy-tuner/Llama-3.1-8B-Instruct-tidy`);
    expect(await finalLevel(driver)).toBe("info");
    await openPanel(driver);
    expect(await driver.text(FINDING)).toContain("adding nothing a model would follow");

    await driver.goto(`${HUB}/quant-lab/Qwen2.5-7B-Instruct-GGUF`);
    expect(await finalLevel(driver)).toBe("info");
    await openPanel(driver);
    expect(await driver.text(FINDING)).toContain("at an earlier revision, commit 9c2e8a1 (2024-09-01)");
  });
});
