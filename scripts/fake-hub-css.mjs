#!/usr/bin/env node
// `npm run fake-hub:css`: build the fake Hub's stylesheet (tests/fake-hub/assets/style.css) with Tailwind from
// tests/fake-hub/hub.css and tests/fake-hub/tailwind.config.ts. The output is committed, so the fake Hub serves
// it on a clean checkout without a build step; `--check` builds it aside and fails if the committed file differs
// (the unit suite and `npm run demo` run it), which happens when a template's class names changed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUTPUT = join(root, "tests/fake-hub/assets/style.css");
const check = process.argv.includes("--check");

function buildHubCss(output) {
  const cli = createRequire(import.meta.url).resolve("tailwindcss/lib/cli.js");
  const args = [cli, "-c", join(root, "tests/fake-hub/tailwind.config.ts"), "-i", join(root, "tests/fake-hub/hub.css"), "-o", output];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`tailwindcss failed (${run.status}): ${run.stderr}`);
}

if (check) {
  const dir = mkdtempSync(join(tmpdir(), "fake-hub-css-"));
  try {
    const fresh = join(dir, "style.css");
    buildHubCss(fresh);
    const committed = readFileSync(OUTPUT, "utf8");
    if (readFileSync(fresh, "utf8") !== committed) {
      console.error("tests/fake-hub/assets/style.css is out of date with the fake pages' class names: run `npm run fake-hub:css` and commit it.");
      process.exit(1);
    }
    console.log("tests/fake-hub/assets/style.css is up to date.");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  buildHubCss(OUTPUT);
  console.log(`Wrote ${OUTPUT}`);
}
