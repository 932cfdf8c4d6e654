#!/usr/bin/env node
// `npm run demo`: build the extension, start the fake huggingface.co, and tour pages that show
// each kind of finding in Chromium with the extension loaded. With a display the browser window
// stays open for you to click around; without one it runs headless and writes a screenshot per
// page (and of the open findings panel, light and dark) to demo-output/.
import { spawnSync } from "node:child_process";

const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const child = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo-tour.ts"], { stdio: "inherit", env: process.env });
process.exit(child.status ?? 1);
