import { describe, expect, it } from "vitest";
import { createCommandHandler, OPEN_FINDINGS_COMMAND } from "../../../lib/background/commands";

describe("the open-findings command", () => {
  it("sends the popup's open-panel envelope to the tab the command came from", async () => {
    const sent: [number, unknown][] = [];
    const onCommand = createCommandHandler({
      sendToTab: (tabId, message) => {
        sent.push([tabId, message]);
        return Promise.resolve({ opened: true });
      },
    });
    await expect(onCommand(OPEN_FINDINGS_COMMAND, { id: 7 })).resolves.toBe("opened");
    expect(sent).toEqual([[7, { hubSentinel: 1, type: "open-panel", payload: {} }]]);
  });

  it("says when the page has no panel to open (not a repo page)", async () => {
    const onCommand = createCommandHandler({ sendToTab: () => Promise.resolve({ opened: false }) });
    await expect(onCommand(OPEN_FINDINGS_COMMAND, { id: 7 })).resolves.toBe("no-panel");
  });

  it("takes a refusal (no content script: not a Hub page) as nothing to open, not an error", async () => {
    const onCommand = createCommandHandler({ sendToTab: () => Promise.reject(new Error("Could not establish connection. Receiving end does not exist.")) });
    await expect(onCommand(OPEN_FINDINGS_COMMAND, { id: 7 })).resolves.toBe("no-content-script");
  });

  it("reads an odd answer as no panel opened", async () => {
    const onCommand = createCommandHandler({ sendToTab: () => Promise.resolve(undefined) });
    await expect(onCommand(OPEN_FINDINGS_COMMAND, { id: 7 })).resolves.toBe("no-panel");
  });

  it("ignores other commands and a command without a tab", async () => {
    const sent: number[] = [];
    const onCommand = createCommandHandler({
      sendToTab: (tabId) => {
        sent.push(tabId);
        return Promise.resolve({ opened: true });
      },
    });
    await expect(onCommand("_execute_action", { id: 7 })).resolves.toBe("other-command");
    await expect(onCommand(OPEN_FINDINGS_COMMAND, undefined)).resolves.toBe("no-tab");
    await expect(onCommand(OPEN_FINDINGS_COMMAND, { id: -1 })).resolves.toBe("no-tab");
    expect(sent).toEqual([]);
  });
});
