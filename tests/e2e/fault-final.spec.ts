import { expect, test } from "./fixtures";
import { HUB, REPO_BADGE, waitUntil, type Driver } from "./driver";
import type { Fault, FaultTarget } from "../fake-hub/catalogue-types";

/**
 * Issue 17: every fault case ends in a final level: the repo badge and every row mark of the page
 * leave `pending` (a badge left pending reads as "still fine so far"). The catalogue's own faulted
 * repos, then each endpoint failing each way on a repo with pickles, pull requests and an author.
 * Rate limits (429) are tested in rate-limit.spec.ts and facts.spec.ts.
 *
 * How long it takes is printed (issue 17's goal: within 10 s on the fake Hub), not asserted: on a
 * busy machine that is a measurement, not a property. What is asserted is that the marks leave
 * `pending` at all, within a bound no correct run can reach: every request the extension makes
 * gives up after its own timeout (15 s, lib/hub/transport.ts), so a mark still pending well past
 * it waits for nothing and is stuck.
 */
const FINAL_WITHIN_MS = 30_000;
const MARKS = '[data-hub-sentinel="repo"], [data-hub-sentinel="file"], [data-hub-sentinel="pr"]';

/** From navigation to the moment the badge and every row mark are final; fails only when a mark is stuck (above). */
async function timeToFinal(driver: Driver, url: string): Promise<{ ms: number; level: string }> {
  const started = Date.now();
  await driver.goto(url);
  const level = await waitUntil(
    async () => {
      const levels = await driver.evaluate<string[]>(`Array.from(document.querySelectorAll('${MARKS}')).map((mark) => mark.getAttribute("data-level") ?? "")`);
      const badge = await driver.attribute(REPO_BADGE, "data-level");
      return badge && levels.every((value) => value !== "pending" && value !== "") ? badge : undefined;
    },
    `every mark final on ${url}`,
    FINAL_WITHIN_MS,
  );
  return { ms: Date.now() - started, level };
}

test.describe("every fault case ends in a final level", () => {
  const catalogued: [string, string][] = [
    ["a gated repo (403 on files)", "/gated-org/gated-model/tree/main"],
    ["a missing repo (401 everywhere)", "/nobody/missing-model"],
    ["a 500 on model info", "/broken-org/server-error"],
    ["malformed model info", "/broken-org/malformed-info"],
  ];
  for (const [name, path] of catalogued) {
    test(name, async ({ driver }) => {
      const { ms, level } = await timeToFinal(driver, `${HUB}${path}`);
      expect(level).toBe("unknown");
      console.log(`fault-final ${driver.browserName} ${name}: ${level} in ${ms} ms`);
    });
  }

  const faults: [string, Fault][] = [
    ["500", { kind: "status", status: 500, message: "Internal Error" }],
    ["malformed JSON", { kind: "malformed" }],
    ["a slow answer (2.5 s)", { kind: "delay", ms: 2_500 }],
  ];
  const targets: [FaultTarget, string][] = [
    ["info", "/legacy-lab/old-bin-model/tree/main"],
    ["files", "/legacy-lab/old-bin-model/tree/main"],
    ["author", "/legacy-lab/old-bin-model/tree/main"],
    ["resolve", "/legacy-lab/old-bin-model/tree/main"],
    ["discussions", "/legacy-lab/old-bin-model/discussions"],
  ];
  for (const [target, path] of targets) {
    for (const [faultName, fault] of faults) {
      test(`${target}: ${faultName}`, async ({ driver }) => {
        driver.hub.setFault("legacy-lab/old-bin-model", target, fault);
        const { ms, level } = await timeToFinal(driver, `${HUB}${path}`);
        // A slow answer is still an answer: whatever the level, it is final. A failure is never ok.
        if (fault.kind !== "delay") expect(level).not.toBe("ok");
        console.log(`fault-final ${driver.browserName} ${target} ${faultName}: ${level} in ${ms} ms`);
      });
    }
  }
});
