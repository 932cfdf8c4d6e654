import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";
import { ggufWithoutTaskCatalogue } from "./build/gguf-without-task-catalogue";
import { nativeBrowserInContentScripts } from "./build/native-browser-in-content-scripts";
import { STORAGE_HOST_MATCHES } from "./lib/hub/storage-hosts";

// Hosts the extension talks to. Pages are served at both huggingface.co and hf.co; the
// API is only ever called on huggingface.co (see lib/hub). Beyond these, only the Hub's storage
// hosts are requested (STORAGE_HOST_MATCHES, for the own pickle scan's Range reads).
export const HUB_PAGE_MATCHES = ["https://huggingface.co/*", "https://hf.co/*"];

export default defineConfig({
  // Several builds can coexist (parallel work, benchmarks): WXT_OUT_DIR picks the folder.
  outDir: process.env.WXT_OUT_DIR ?? ".output",
  modules: ["@wxt-dev/webextension-polyfill"],
  vite: () => ({ plugins: [preact(), nativeBrowserInContentScripts(), ggufWithoutTaskCatalogue()] }),
  manifest: ({ browser }) => ({
    name: "Hub Sentinel",
    description:
      "Warns about risky models, datasets, Spaces and tokens on the Hugging Face Hub: pickle imports, scanner flags, look-alike authors, conversion PRs.",
    permissions: ["storage"],
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
    excludeSources: [".output/**", "test-results/**", "playwright-report/**", "demo-output/**", "bench-output/**"],
  },
});
