import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { avatarSvg, LOGO_SVG, PLACEHOLDER_IMAGE_SVG } from "./hub-markup";

/**
 * Real huggingface.co pages, saved by their visitors and kept verbatim in tests/fixtures/pages/real/ (copied
 * from shared/reference/pages/real, CSRF tokens of logged-in pages redacted), served by the fake Hub at their
 * own URLs so that the extension and the demo run on the Hub's real markup. Their repos are in
 * real-pages-catalogue.ts, so the API answers for them as the page's header says.
 *
 * On the way out, what would reach hosts other than the Hub's is taken out, as hub-shell.html does (web fonts,
 * KaTeX, the WAF and Stripe scripts), and pictures from other hosts are replaced by local stand-ins: a page of
 * the fake Hub talks to Hub hosts only (security.spec checks every host a test touches).
 */
const here = dirname(fileURLToPath(import.meta.url));
const DIR = join(here, "../fixtures/pages/real");

export interface RealPage {
  file: string;
  /** The page's own path on huggingface.co (INDEX.json's page_url). */
  path: string;
  /** What the saved page shows, for the demo and the tests. */
  about: string;
}

export const REAL_PAGES: RealPage[] = [
  {
    file: "model-blob--Qwen--Qwen3-Coder-30B-A3B-Instruct--1.html",
    path: "/Qwen/Qwen3-Coder-30B-A3B-Instruct/blob/main/qwen3coder_tool_parser.py",
    about: "a verified organization's Python file view, logged out, with the Hub's scan badge (Aug 2025)",
  },
  {
    file: "model-blob--TheBloke--Mistral-7B-v0.1-GGUF--1.html",
    path: "/TheBloke/Mistral-7B-v0.1-GGUF/blob/main/README.md",
    about: "a GGUF quantizer's README file view, logged in (Jul 2024)",
  },
];

const cache = new Map<string, string>();

/** The saved page as read from disk, before anything is taken out (tests read its islands). */
export function savedPage(page: RealPage): string {
  let html = cache.get(page.file);
  if (html === undefined) {
    html = readFileSync(join(DIR, page.file), "utf8");
    cache.set(page.file, html);
  }
  return html;
}

const HUB_HOST = /^https?:\/\/(huggingface\.co|hf\.co)(\/|$)/;

/** The page as the fake Hub serves it: nothing in it fetches from a host that is not the Hub's. */
export function servedPage(html: string): string {
  return (
    html
      // Stylesheets, preconnects and scripts on other hosts; noscript fallbacks (KaTeX).
      .replace(/<link\b[^>]*\bhref="(https?:\/\/[^"]*)"[^>]*>/g, (tag: string, href: string) => (HUB_HOST.test(href) && !/rel="(preconnect|preload|stylesheet)"/.test(tag) ? tag : ""))
      .replace(/<noscript>[\s\S]*?<\/noscript>/g, "")
      .replace(/<script\b[^>]*\bsrc="https?:\/\/[^"]*"[^>]*>\s*<\/script>/g, "")
      // Inline scripts that add a script from elsewhere (Stripe).
      .replace(/<script>(?:(?!<\/script>)[\s\S])*?document\.createElement\("script"\)[\s\S]*?<\/script>/g, "")
      // Avatars from the Hub's picture CDN, other pictures from anywhere else.
      .replace(/\bsrc="https:\/\/cdn-avatars\.huggingface\.co\/([^"]*)"/g, (_match, rest: string) => `src="/avatars/${encodeURIComponent(rest).replace(/%2F/g, "_")}.svg"`)
      .replace(/<img\b([^>]*)\bsrc="(https?:\/\/[^"]*)"/g, (tag: string, before: string, src: string) => (HUB_HOST.test(src) ? tag : `<img${before}src="/front/assets/placeholder-image.svg"`))
  );
}

/** The saved page for this URL, as served, or undefined when none was saved at it. */
export function realPageAt(url: URL): string | undefined {
  const page = REAL_PAGES.find((candidate) => candidate.path === url.pathname);
  return page ? servedPage(savedPage(page)) : undefined;
}

/** The pictures the fake Hub draws itself: the shell's logo, avatars, and the stand-in for off-Hub images. */
export function pictureAt(path: string): string | undefined {
  if (/^\/front\/assets\/huggingface_logo[\w-]*\.svg$/.test(path)) return LOGO_SVG;
  if (path === "/front/assets/placeholder-image.svg") return PLACEHOLDER_IMAGE_SVG;
  if (/^\/avatars\/[^/]+\.svg$/.test(path)) return avatarSvg(path);
  return undefined;
}
