#!/usr/bin/env node
// `npm run demo`: check the fake Hub's stylesheet is up to date with its pages, build the extension, start the
// fake huggingface.co, and photograph the scenes of scripts/demo-scenes.ts in Chromium with the extension loaded
// (scripts/demo-tour.ts). With a display the browser window stays open for you to click around; without one it
// runs headless. Every picture is checked (1280x800, no mark or panel cut off) and written to demo-output/.
import { spawnSync } from "node:child_process";

const steps = [
  ["stylesheet", [process.execPath, "scripts/fake-hub-css.mjs", "--check"]],
  ["build", ["npm", "run", "build"]],
  ["tour", [process.execPath, "--import", "tsx", "scripts/demo-tour.ts"]],
];
for (const [, [command, ...args]] of steps) {
  const run = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
