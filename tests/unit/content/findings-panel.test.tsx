/**
 * The findings panel's head (components/FindingsPanel.tsx): its title, close button and what the whole list
 * holds stay together in the head that is kept in view while the list scrolls.
 */
import { parseHTML } from "linkedom";
import { render } from "preact";
import { describe, expect, it } from "vitest";
import { FindingsPanel } from "../../../components/FindingsPanel";
import type { RepoFinding } from "../../../lib/findings";

const finding = (id: RepoFinding["id"], level: RepoFinding["level"]): RepoFinding => ({ id, level, title: `${id} title`, explanation: `${id} explanation`, evidence: [], advice: [] });

function panel(findings: RepoFinding[]) {
  const { document } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  const root = document.getElementById("root") as HTMLElement;
  render(<FindingsPanel level="danger" findings={findings} allowlisted={false} repoId="owner/name" onClose={() => undefined} />, root);
  return root;
}

describe("the findings panel's head", () => {
  it("holds the title, the count of findings by level, and the close button", () => {
    const root = panel([finding("pickle-imports", "danger"), finding("scanner-flag", "danger"), finding("pickle-weights", "warn"), finding("unverified-author", "info")]);
    const head = root.querySelector('[role="dialog"] > .panel-head');
    expect(head?.querySelector("h2")?.textContent).toBe("\u2716 Danger: owner/name");
    expect(head?.querySelector(".summary")?.textContent).toBe("4 findings: 2 Danger, 1 Warning, 1 Info");
    expect(head?.querySelector("button.close")?.getAttribute("aria-label")).toBe("Close findings");
    // The list itself is unchanged: sections by level, most severe first, after the head.
    expect(Array.from(root.querySelectorAll('[role="dialog"] > section')).map((section) => section.getAttribute("aria-label"))).toEqual(["Danger", "Warning", "Info"]);
  });

  it("says nothing of a count when there is no finding", () => {
    expect(panel([]).querySelector(".summary")).toBeNull();
  });
});
