import { afterHydration, finalLevel, findingsOf, HUB, REPO_BADGE, settledLevel, waitUntil, type Driver } from "./driver";
import { expect, test } from "./fixtures";

/**
 * Issue 25: Hub Sentinel reads the Python a repo's loading would run (auto_map modules, in another
 * repo when auto_map says so, what they import, a Space's app file) in the extension's background,
 * cookie-free, and the remote-code finding says what that code does, per file and line, with a link
 * to the line; the flagged file's row and blob page carry their own mark; a file it could not read
 * is said to be unread; popular custom-code shapes stay warn.
 */
const FILE = (path: string) => `[data-hub-sentinel="file"][data-path="${path}"]`;
const REMOTE = `${REPO_BADGE} >>> [data-finding="remote-code"]`;
const DANGER_REMOTE = `${REPO_BADGE} >>> .finding-danger[data-finding="remote-code"]`;

async function openPanel(driver: Driver) {
  await afterHydration(driver);
  await driver.click(`${REPO_BADGE} >>> button.badge`);
  await waitUntil(() => driver.count(`${REPO_BADGE} >>> [role="dialog"]`), "the panel");
}

/** The per-file code lines of the panel's remote-code findings: file label, line number, link, text. */
function codeLines(driver: Driver, level: "danger" | "warn" | "info"): Promise<{ file: string; line: string; href: string | null; text: string }[]> {
  return driver.evaluate(`
    Array.from(document.querySelector('[data-hub-sentinel="repo"]').shadowRoot.querySelectorAll('.finding-${level}[data-finding="remote-code"] [data-code-line]'))
      .map((li) => ({ file: li.closest("[data-code-file]").getAttribute("data-code-file"), line: li.getAttribute("data-code-line"), href: li.querySelector("a") ? li.querySelector("a").getAttribute("href") : null, text: li.textContent }))`);
}

function pythonReads(driver: Driver, repoId: string) {
  return driver.hub.log.filter((entry) => entry.path.startsWith(`/${repoId}/resolve/`) && entry.path.endsWith(".py"));
}

test.describe("what a repo's Python does", () => {
  test("a payload hidden in a Phi-3-shaped modeling file: danger, its line linked, its row and blob page marked, read without cookies", async ({ driver }) => {
    const repo = "py-payloads/phi3-download-exec";
    await driver.goto(`${HUB}/${repo}/tree/main`);
    expect(await finalLevel(driver)).toBe("danger");
    expect(await findingsOf(driver)).toContain("remote-code");
    expect(await settledLevel(driver, FILE("modeling_phi3.py"))).toBe("danger");
    expect(await findingsOf(driver, FILE("modeling_phi3.py"))).toContain("remote-code");
    expect(await settledLevel(driver, FILE("configuration_phi3.py"))).toBe("warn");

    await openPanel(driver);
    expect(await driver.text(DANGER_REMOTE)).toContain("modeling_phi3.py downloads a program and runs it when the model loads");
    const lines = await codeLines(driver, "danger");
    const chmod = lines.find((line) => line.text.includes("downloads a file from transfer.sh and makes it executable"));
    expect(chmod?.file).toBe("modeling_phi3.py");
    expect(chmod?.href).toMatch(new RegExp(`^https://huggingface\\.co/${repo}/blob/[0-9a-f]{40}/modeling_phi3\\.py#L${chmod?.line}$`));
    expect(chmod?.text).toContain("in Phi3Model.__init__, which runs when the model is built");

    const reads = pythonReads(driver, repo);
    expect(reads.map((entry) => entry.path.split("/").pop()).sort()).toEqual(["configuration_phi3.py", "modeling_phi3.py"]);
    for (const entry of reads) {
      expect(entry.cookie, entry.path).toBe(false);
      expect(entry.path).toMatch(new RegExp(`^/${repo}/resolve/[0-9a-f]{40}/`));
    }

    await driver.goto(`${HUB}/${repo}/blob/main/modeling_phi3.py`);
    expect(await settledLevel(driver, FILE("modeling_phi3.py"))).toBe("danger");
    await driver.click(`${FILE("modeling_phi3.py")} >>> button.mark`);
    expect(await driver.text(`${FILE("modeling_phi3.py")} >>> [role="dialog"]`)).toContain("makes it executable");
  });

  test("a popular custom-code shape stays warn, and the panel says the code was read", async ({ driver }) => {
    await driver.goto(`${HUB}/shapes-verified/Phi-3-mini-4k-instruct/tree/main`);
    expect(await finalLevel(driver)).toBe("warn");
    expect(await findingsOf(driver)).toEqual(["remote-code"]);
    expect(await settledLevel(driver, FILE("modeling_phi3.py"))).toBe("warn");
    await openPanel(driver);
    expect(await driver.text(REMOTE)).toContain("Hub Sentinel read 2 of the 2 files that loading runs and found nothing that runs commands");
  });

  test("auto_map naming another repo: that repo's code is read there and the panel links into it", async ({ driver }) => {
    await driver.goto(`${HUB}/py-payloads/innocent-embedder`);
    expect(await finalLevel(driver)).toBe("danger");
    await openPanel(driver);
    expect(await driver.text(DANGER_REMOTE)).toContain("The code is in another repo, py-payloads/hidden-code");
    const [line] = await codeLines(driver, "danger");
    expect(line?.file).toBe("py-payloads/hidden-code: modeling_hf_nomic_bert.py");
    expect(line?.href).toMatch(/^https:\/\/huggingface\.co\/py-payloads\/hidden-code\/blob\/[0-9a-f]{40}\/modeling_hf_nomic_bert\.py#L\d+$/);
    expect(line?.text).toContain("sends the whole environment");
    expect(pythonReads(driver, "py-payloads/hidden-code").length).toBeGreaterThan(0);
  });

  test("a Space posting os.environ to a webhook at start: danger, for whoever duplicates it", async ({ driver }) => {
    await driver.goto(`${HUB}/spaces/py-payloads/env-webhook-space`);
    expect(await finalLevel(driver)).toBe("danger");
    await openPanel(driver);
    const text = (await driver.text(DANGER_REMOTE)) ?? "";
    expect(text).toContain("app.py sends your secrets to another host when the Space starts");
    expect(text).toContain("Whoever duplicates this Space");
  });

  test("a loaded file that cannot be read is said to be unread; a training script is info; hostile code stays text", async ({ driver }) => {
    await driver.goto(`${HUB}/shapes-verified/unreadable-code/tree/main`);
    expect(await finalLevel(driver)).toBe("warn");
    expect(await settledLevel(driver, FILE("modeling_packed.py"))).toBe("warn");
    await openPanel(driver);
    expect(await driver.text(`${REMOTE} [data-code-file="modeling_packed.py"] .code-file-name`)).toContain("not read: binary data (a NUL byte at offset");

    await driver.goto(`${HUB}/shapes-verified/gpt2-finetune-with-script/tree/main`);
    expect(await finalLevel(driver)).toBe("info");
    expect(await settledLevel(driver, FILE("train_script.py"))).toBe("info");

    await driver.goto(`${HUB}/hostile-strings/python-probe`);
    expect(await finalLevel(driver)).toBe("danger");
    await openPanel(driver);
    expect(await driver.text(DANGER_REMOTE)).toContain('<img src=x onerror=alert(1)>');
    const dangerous = await driver.evaluate<string[]>(`
      Array.from(document.querySelectorAll("[data-hub-sentinel]"))
        .flatMap((host) => host.shadowRoot ? Array.from(host.shadowRoot.querySelectorAll("script, iframe, object, embed, img, svg, [onerror], [onload]")) : [])
        .map((el) => el.outerHTML.slice(0, 120))`);
    expect(dangerous).toEqual([]);
    expect(await driver.evaluate<number>(`document.querySelectorAll('img[src="x"]').length`)).toBe(0);
  });
});
