import type { Plugin } from "vite";

/** Preact's one write of an HTML string: `dom.innerHTML = props.dangerouslySetInnerHTML.__html` (names minified). */
const PREACT_HTML_WRITE = /\((\w+)\.innerHTML=(\w+)\.__html\)/g;
const PREACT_RUNTIME = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.(m?js|module\.js)$/;

/**
 * Hub Sentinel never renders an HTML string (lint bans dangerouslySetInnerHTML), so Preact's support for one is
 * dead code in our bundles, and the one `innerHTML` write web-ext lint warns about (UNSAFE_VAR_ASSIGNMENT). This
 * swaps that write for a throw: a bug that tried to render page data as HTML would fail loudly instead. The
 * build fails if Preact's code no longer has exactly that one write (an upgrade changed it: look again).
 */
export function noHtmlStrings(): Plugin {
  return {
    name: "hub-sentinel:no-html-strings",
    enforce: "pre",
    transform(code, id) {
      if (!PREACT_RUNTIME.test(id)) return null;
      const writes = code.match(PREACT_HTML_WRITE)?.length ?? 0;
      if (writes !== 1) this.error(`Expected Preact's one innerHTML write in ${id}, found ${writes}: build/no-html-strings.ts needs a look.`);
      return { code: code.replace(PREACT_HTML_WRITE, '(function(){throw new Error("Hub Sentinel renders no HTML strings")})()'), map: null };
    },
  };
}
