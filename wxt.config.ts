import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";
import { nativeBrowserInContentScripts } from "./build/native-browser-in-content-scripts";
import { noHtmlStrings } from "./build/no-html-strings";
import { OPEN_FINDINGS_COMMAND } from "./lib/background/commands";
import { STORAGE_HOST_MATCHES } from "./lib/hub/storage-hosts";

// Hosts the extension talks to. Pages are served at both huggingface.co and hf.co; the
// API is only ever called on huggingface.co (see lib/hub). Beyond these, only the Hub's storage
// hosts are requested (STORAGE_HOST_MATCHES, for the own pickle scan's Range reads).
export const HUB_PAGE_MATCHES = ["https://huggingface.co/*", "https://hf.co/*"];

export default defineConfig({
  // Several builds can coexist (parallel work, benchmarks): WXT_OUT_DIR picks the folder.
  outDir: process.env.WXT_OUT_DIR ?? ".output",
  modules: ["@wxt-dev/webextension-polyfill", "@wxt-dev/auto-icons"],
  // One source image (assets/icon.svg), rendered by sharp at build time to every size the browsers and
  // stores ask for: 16/32 toolbar, 48 extensions page, 96 Firefox's add-ons manager (HiDPI 48), 128 store.
  autoIcons: { baseIconPath: "assets/icon.svg", sizes: [128, 96, 48, 32, 16] },
  vite: () => ({ plugins: [preact(), nativeBrowserInContentScripts(), noHtmlStrings()] }),
  manifest: ({ browser }) => ({
    name: "Hub Sentinel",
    description:
      "Warns about risky models, datasets, Spaces and tokens on the Hugging Face Hub: pickle imports, scanner flags, look-alike authors, conversion PRs.",
    permissions: ["storage"],
    // A keyboard shortcut for the findings panel of the page in view (changeable in chrome://extensions/shortcuts
    // and Firefox's "Manage Extension Shortcuts"); the browser leaves it unset if another extension already has it.
    commands: {
      [OPEN_FINDINGS_COMMAND]: {
        suggested_key: { default: "Alt+Shift+H" },
        description: "Open the findings panel of this Hugging Face page",
      },
    },
    // Hub pages and API, plus the storage hosts `resolve` redirects to (lib/hub/storage-hosts.ts, one
    // comment per host there): the own pickle scan reads a few KB of a file by Range requests. WXT
    // moves host_permissions into `permissions` for Firefox MV2.
    host_permissions: [...HUB_PAGE_MATCHES, ...STORAGE_HOST_MATCHES],
    ...(browser === "firefox"
      ? {
          browser_specific_settings: {
            gecko: {
              id: "hub-sentinel@hub-sentinel.dev",
              // 140 is the ESR that knows data_collection_permissions (and storage.session).
              strict_min_version: "140.0",
              data_collection_permissions: { required: ["none"] },
            },
            gecko_android: { strict_min_version: "142.0" },
          },
        }
      : {}),
    // Organization policy (storage.managed): Chrome checks it against this schema (public/). Firefox takes
    // the same keys from policies.json "3rdparty" without a schema, and warns about this key, so Chrome only.
    ...(browser === "firefox" ? {} : { storage: { managed_schema: "managed-schema.json" } }),
  }),
  zip: {
    // The Firefox sources zip (for AMO review) ignores .gitignore: every generated folder is left out here.
    excludeSources: [".output/**", ".output-*/**", ".wxt/**", "test-results/**", "playwright-report/**", "demo-output/**", "bench-output/**"],
  },
});
