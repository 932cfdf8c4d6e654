import type { Plugin } from "vite";

const NATIVE = "\0hub-sentinel:native-browser";

/**
 * The content script runs on every Hub page, so its size matters (target: 15 KB gzipped).
 * webextension-polyfill is 10 KB of it and buys nothing there: in Chrome MV3 and in Firefox the
 * native `chrome`/`browser` APIs the content script uses (runtime.sendMessage, onMessage with
 * sendResponse, storage.onChanged, runtime.id/getURL) already return promises. This plugin
 * resolves the polyfill to the native object in content-script builds only; the background,
 * popup and options keep the polyfill (issue 2's stack) where its normalisation is used.
 */
export function nativeBrowserInContentScripts(): Plugin {
  let isContentScriptBuild = false;
  return {
    name: "hub-sentinel:native-browser-in-content-scripts",
    enforce: "pre",
    options(input) {
      const entries = typeof input.input === "string" ? [input.input] : Array.isArray(input.input) ? input.input : Object.values(input.input ?? {});
      isContentScriptBuild = entries.length > 0 && entries.every((entry) => /\.content[\\/]/.test(entry) || /\.content\.[cm]?[jt]sx?$/.test(entry));
      return null;
    },
    resolveId(source) {
      if (isContentScriptBuild && source === "webextension-polyfill") return NATIVE;
      return null;
    },
    load(id) {
      if (id !== NATIVE) return null;
      return "const api = globalThis.browser?.runtime?.id ? globalThis.browser : globalThis.chrome;\nexport default api;\n";
    },
  };
}
