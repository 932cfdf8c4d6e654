import type { LoggedRequest } from "../fake-hub/server";
import { afterHydration, finalLevel, findingsOf, HUB, REPO_BADGE, settledLevel, waitUntil, type Driver } from "./driver";
import { expect, test } from "./fixtures";

/**
 * Issue 16, the chat-template half: GGUF headers read by Range through the extension's own GGUF
 * metadata reader in its background (real v3 headers in front of gigabytes of virtual zeros on the fake
 * Hub), tokenizer_config.json files read whole, every template judged by its syntax tree; the
 * repo badge and the file rows say `chat-template`, clean templates of a verified org stay quiet,
 * and hostile template text renders as text.
 */
const FILE = (path: string) => `[data-hub-sentinel="file"][data-path="${path}"]`;
const TEMPLATE_FINDING = `${REPO_BADGE} >>> [data-finding="chat-template"]`;
const STORAGE_HOST = "cdn-lfs.hf.co";

/** Requests that fetched file bytes: `resolve` on the Hub and the storage host it redirects to. */
function fileReads(driver: Driver, repoId: string): LoggedRequest[] {
  const resolved = driver.hub.log.filter((entry) => entry.path.startsWith(`/${repoId}/resolve/`));
  const storage = driver.hub.log.filter((entry) => entry.host === STORAGE_HOST && decodeURIComponent(entry.path).includes(`|${repoId}|`));
  return [...resolved, ...storage];
}

async function openPanel(driver: Driver) {
  await afterHydration(driver);
  await driver.click(`${REPO_BADGE} >>> button.badge`);
  await waitUntil(() => driver.count(`${REPO_BADGE} >>> [role="dialog"]`), "the panel");
}

test.describe("chat templates", () => {
  test("a GGUF whose template reaches os.popen: danger with chat-template on the badge and the file row, read by Range without cookies", async ({ driver }) => {
    const repo = "quant-drama/Helpful-Assistant-7B-GGUF";
    await driver.goto(`${HUB}/${repo}/tree/main`);
    expect(await finalLevel(driver)).toBe("danger");
    expect(await findingsOf(driver)).toContain("chat-template");
    const row = FILE("helpful-assistant-7b.Q4_K_M.gguf");
    expect(await settledLevel(driver, row)).toBe("danger");
    expect(await findingsOf(driver, row)).toContain("chat-template");

    await openPanel(driver);
    const text = (await driver.text(TEMPLATE_FINDING)) ?? "";
    expect(text).toContain("GGUF header of helpful-assistant-7b.Q4_K_M.gguf");
    expect(text).toContain("__subclasses__");
    expect(text).toContain("llama-cpp-python");

    const storage = fileReads(driver, repo).filter((entry) => entry.host === STORAGE_HOST);
    expect(storage.length).toBeGreaterThan(0);
    for (const entry of fileReads(driver, repo)) {
      expect(entry.cookie, entry.path).toBe(false);
      if (entry.host === STORAGE_HOST) expect(entry.range, entry.path).toMatch(/^bytes=\d+-\d+$/);
    }
    // A 4 GB file, judged from its header alone.
    expect(storage.reduce((sum, entry) => sum + entry.bytes, 0)).toBeLessThan(8 * 1024 * 1024);
  });

  test("a tokenizer_config.json whose template builds __globals__ from pieces: danger on the badge and its row", async ({ driver }) => {
    await driver.goto(`${HUB}/tokenizer-drama/chatml-finetune/tree/main`);
    expect(await finalLevel(driver)).toBe("danger");
    expect(await findingsOf(driver)).toContain("chat-template");
    expect(await settledLevel(driver, FILE("tokenizer_config.json"))).toBe("danger");
    expect(await findingsOf(driver, FILE("tokenizer_config.json"))).toContain("chat-template");
    await openPanel(driver);
    expect(await driver.text(TEMPLATE_FINDING)).toContain("tokenizer config of tokenizer_config.json");
  });

  test("clean GGUF and tokenizer templates from a verified org stay ok, their rows saying they were read", async ({ driver }) => {
    await driver.goto(`${HUB}/sentinel-verified/Llama-3.1-8B-Instruct-GGUF/tree/main`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await findingsOf(driver)).not.toContain("chat-template");
    const row = FILE("Llama-3.1-8B-Instruct-Q4_K_M.gguf");
    expect(await settledLevel(driver, row)).toBe("ok");
    await driver.click(`${row} >>> button.mark`);
    expect(await driver.text(`${row} >>> [role="dialog"]`)).toContain("nothing reaches for Python internals");
    await driver.press("Escape");
    // The second shard of a split GGUF is not read: runtimes take the template from the first.
    expect(fileReads(driver, "sentinel-verified/Llama-3.1-8B-Instruct-GGUF").some((entry) => decodeURIComponent(entry.path).includes("00002-of-00002"))).toBe(false);

    await driver.goto(`${HUB}/sentinel-verified/Qwen3-8B/tree/main`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await findingsOf(driver)).not.toContain("chat-template");
    expect(await settledLevel(driver, FILE("tokenizer_config.json"))).toBe("ok");
    expect(await settledLevel(driver, FILE("chat_template.jinja"))).toBe("ok");
  });

  test("a hostile template renders as text in the panel, and nothing of it becomes markup", async ({ driver }) => {
    await driver.goto(`${HUB}/hostile-strings/template-probe`);
    expect(await finalLevel(driver)).toBe("danger");
    await openPanel(driver);
    const text = (await driver.text(TEMPLATE_FINDING)) ?? "";
    expect(text).toContain('<img src=x onerror=alert("tpl")>');
    const dangerous = await driver.evaluate<string[]>(`
      Array.from(document.querySelectorAll("[data-hub-sentinel]"))
        .flatMap((host) => host.shadowRoot ? Array.from(host.shadowRoot.querySelectorAll("script, iframe, object, embed, img, svg, [onerror], [onload]")) : [])
        .map((el) => el.outerHTML.slice(0, 120))`);
    expect(dangerous).toEqual([]);
    expect(await driver.evaluate<number>(`document.querySelectorAll('img[src="x"]').length`)).toBe(0);
  });

  test("a GGUF quantizer of 25 files: the page reads the most used within its budget, names the rest at info, and opening a row or a file page reads it", async ({ driver }) => {
    const repo = "bartowski/Qwen2.5-14B-Instruct-GGUF";
    await driver.goto(`${HUB}/${repo}/tree/main`);
    expect(await finalLevel(driver)).toBe("info");
    expect(await findingsOf(driver)).toContain("chat-template");
    const storageBytes = () => fileReads(driver, repo).filter((entry) => entry.host === STORAGE_HOST).reduce((sum, entry) => sum + entry.bytes, 0);
    // The page's byte budget for GGUF headers (16 MB), whatever the 25 files weigh (4.7 to 29.5 GB each).
    expect(storageBytes()).toBeLessThanOrEqual(16 * 1024 * 1024);
    await openPanel(driver);
    const text = (await driver.text(TEMPLATE_FINDING)) ?? "";
    expect(text).toMatch(/GGUF files' chat templates not read yet/);
    expect(text).toContain("the Hub's own copy of the template");
    expect(text).toContain("Qwen2.5-14B-Instruct-Q2_K.gguf");
    await driver.press("Escape");

    expect(await settledLevel(driver, FILE("Qwen2.5-14B-Instruct-Q4_K_M.gguf"))).toBe("ok");
    const unread = FILE("Qwen2.5-14B-Instruct-Q2_K.gguf");
    expect(await settledLevel(driver, unread)).toBe("info");
    const readsBefore = fileReads(driver, repo).filter((entry) => decodeURIComponent(entry.path).includes("Q2_K.gguf")).length;
    expect(readsBefore).toBe(0);
    await driver.click(`${unread} >>> button.mark`);
    // Opening the mark reads that header: the row turns ok once it is judged.
    await waitUntil(async () => ((await driver.attribute(unread, "data-level")) === "ok" ? true : undefined), "the opened row's header read and judged");
    expect(await driver.text(`${unread} >>> [role="dialog"]`)).toContain("nothing reaches for Python internals");
    expect(fileReads(driver, repo).some((entry) => entry.host === STORAGE_HOST && decodeURIComponent(entry.path).includes("Q2_K.gguf"))).toBe(true);
    await driver.press("Escape");

    // A file page of a file the budget left unread: its header is read for its mark.
    await driver.goto(`${HUB}/${repo}/blob/main/Qwen2.5-14B-Instruct-f16.gguf`);
    expect(await settledLevel(driver, FILE("Qwen2.5-14B-Instruct-f16.gguf"))).toBe("ok");
    expect(fileReads(driver, repo).some((entry) => entry.host === STORAGE_HOST && decodeURIComponent(entry.path).includes("f16.gguf"))).toBe(true);
    expect(await finalLevel(driver)).toBe("info");
  });

  test("the same 25 files with a poisoned template in the most used quantization: danger, on that row", async ({ driver }) => {
    await driver.goto(`${HUB}/quant-mirror/Qwen2.5-14B-Instruct-GGUF/tree/main`);
    expect(await finalLevel(driver)).toBe("danger");
    const row = FILE("Qwen2.5-14B-Instruct-Q4_K_M.gguf");
    expect(await settledLevel(driver, row)).toBe("danger");
    expect(await findingsOf(driver, row)).toContain("chat-template");
    // Nothing vouches for the files left unread once one header differs from the Hub's copy.
    expect(await settledLevel(driver, FILE("Qwen2.5-14B-Instruct-Q2_K.gguf"))).toBe("unknown");
  });

  test("a gated official model is judged from the Hub's copy of its template, and the panel says which copy", async ({ driver }) => {
    await driver.goto(`${HUB}/meta-llama/Llama-3.1-8B-Instruct`);
    expect(await finalLevel(driver)).toBe("info");
    await openPanel(driver);
    const text = (await driver.text(TEMPLATE_FINDING)) ?? "";
    expect(text).toContain("the Hub's copy in the model info");
    expect(text).toContain("the file itself is gated");
  });
});
