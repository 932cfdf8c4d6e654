import { defineConfig } from "@playwright/test";

// One browser at a time (toolchain.md: ~430 MB each, 2 cores on CI).
export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 45_000,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-chromium.json" }]],
  use: { trace: "off" },
});
