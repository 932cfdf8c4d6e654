/**
 * The real saved pages the fake Hub serves (tests/fake-hub/real-pages.ts): each has its repo in the catalogue,
 * what the fake Hub sends fetches nothing from hosts other than the Hub's, and no logged-in page keeps a CSRF token.
 */
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { findFixture } from "../../fake-hub/catalogue";
import { pictureAt, REAL_PAGES, realPageAt, savedPage, servedPage } from "../../fake-hub/real-pages";

const HUB_HOST = /^(https?:\/\/(huggingface\.co|hf\.co))?\//;

describe.each(REAL_PAGES.map((page) => [page.file, page] as const))("%s", (_file, page) => {
  it("is served at its own URL, and its repo is in the catalogue as its header names it", () => {
    const html = realPageAt(new URL(`https://huggingface.co${page.path}?foo=1`));
    expect(html).toBeDefined();
    const { document } = parseHTML(html ?? "");
    const header = JSON.parse(document.querySelector('[data-target="ModelHeader"]')?.getAttribute("data-props") ?? "{}");
    const repo = findFixture("model", header.model.id);
    expect(repo?.author.name).toBe(header.author.name);
    expect(repo?.files.map((file) => file.path)).toContain(page.path.split("/blob/main/")[1]);
  });

  it("fetches from the Hub's hosts only: no web fonts, CDN styles, third-party scripts or pictures", () => {
    const { document } = parseHTML(servedPage(savedPage(page)));
    const fetched = [
      ...Array.from(document.querySelectorAll("[src]")).map((element) => element.getAttribute("src") ?? ""),
      ...Array.from(document.querySelectorAll("link[href]")).filter((link) => link.getAttribute("rel") !== "canonical").map((link) => link.getAttribute("href") ?? ""),
      ...Array.from(document.querySelectorAll("[srcset]")).map((element) => element.getAttribute("srcset") ?? ""),
    ];
    expect(fetched.length).toBeGreaterThan(3);
    for (const url of fetched) expect(url, url).toMatch(HUB_HOST);
    expect(Array.from(document.querySelectorAll("script")).map((script) => script.textContent ?? "").join("\n")).not.toContain('createElement("script")');
    expect(document.querySelector('link[rel="stylesheet"]')?.getAttribute("href")).toMatch(/^\/front\/build\/[\w-]+\/style\.css$/);
  });

  it("keeps no CSRF token", () => {
    expect(savedPage(page)).not.toMatch(/csrf(Token)?(&quot;|")?[:=]\s*(&quot;|")?(value=")?eyJ/i);
  });
});

describe("pictures the fake Hub draws", () => {
  it("the logo, avatars and the stand-in for pictures from elsewhere are SVG; other paths are not pictures", () => {
    for (const path of ["/front/assets/huggingface_logo-noborder.svg", "/avatars/v1_production_uploads_x.jpeg.svg", "/front/assets/placeholder-image.svg"]) {
      expect(pictureAt(path)).toMatch(/^<svg /);
    }
    expect(pictureAt("/avatars/a/b.svg")).toBeUndefined();
    expect(pictureAt("/Qwen/Qwen3-Coder-30B-A3B-Instruct")).toBeUndefined();
  });
});
