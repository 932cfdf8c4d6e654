import { defineConfig } from "@playwright/test";

// One browser at a time (toolchain.md: ~430 MB each, 2 cores on CI).
export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  workers: 1,
  fullyParallel: false,
  // On CI a failing scenario runs once more; scripts/test-all.mjs names every test that needed it.
  retries: process.env.CI ? 1 : 0,
  timeout: 45_000,
  // scripts/test-all.mjs runs one project at a time and names each report with
  // PLAYWRIGHT_JSON_OUTPUT_FILE (test-results/e2e-chromium.json, e2e-firefox.json).
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: { trace: "off" },
  // Every scenario runs in both browsers: tests/e2e/fixtures.ts picks the Driver by project name.
  // Firefox-only checks (MV2 background page, policies.json, the proxy) live in tests/e2e/firefox/.
  projects: [
    { name: "chromium", testIgnore: "firefox/**" },
    { name: "firefox" },
  ],
});
