/**
 * The findings panel's per-file code lines, rendered with Preact into a linkedom document: text
 * nodes only, links only to https, each line linking to its line on the Hub.
 */
import { parseHTML } from "linkedom";
import { h, render } from "preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FindingItem } from "../../../components/FindingsPanel";
import type { RepoFinding } from "../../../lib/findings";

let root: HTMLElement;

beforeEach(() => {
  const dom = parseHTML('<!doctype html><html><body><main id="root"></main></body></html>');
  root = dom.document.getElementById("root") as HTMLElement;
});

afterEach(() => {
  render(null, root);
});

const finding: RepoFinding = {
  id: "remote-code",
  level: "danger",
  title: "modeling_x.py runs a shell command or another program when the model loads",
  explanation: "Hub Sentinel read modeling_x.py.",
  evidence: [
    { label: "modeling_x.py", url: "https://huggingface.co/a/b/blob/main/modeling_x.py" },
    { label: "config.json", url: "https://huggingface.co/a/b/blob/main/config.json" },
  ],
  code: [
    {
      label: "modeling_x.py",
      url: "https://huggingface.co/a/b/blob/main/modeling_x.py",
      note: "Runs: config.json's auto_map.",
      lines: [
        { line: 12, text: 'runs the shell command `echo "<img src=x onerror=alert(1)>"`', url: "https://huggingface.co/a/b/blob/0123/modeling_x.py#L12" },
        { line: 40, text: "a line whose link is not https", url: "javascript:alert(1)" },
      ],
      more: 3,
    },
  ],
  advice: ["Do not load it."],
};

describe("FindingItem with code lines", () => {
  it("lists each file once, its lines linked to the line, markup as text", () => {
    render(h(FindingItem, { finding }), root);
    const file = root.querySelector('[data-code-file="modeling_x.py"]');
    expect(file?.querySelector(".code-file-name")?.textContent).toBe("modeling_x.py \u2014 Runs: config.json's auto_map.");
    const lines = [...(file?.querySelectorAll("[data-code-line]") ?? [])];
    expect(lines.map((line) => line.getAttribute("data-code-line"))).toEqual(["12", "40"]);
    expect(lines[0]?.querySelector("a")?.getAttribute("href")).toBe("https://huggingface.co/a/b/blob/0123/modeling_x.py#L12");
    expect(lines[0]?.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(root.querySelectorAll("img")).toHaveLength(0);
    expect(lines[1]?.querySelector("a")).toBeNull();
    expect(file?.textContent).toContain("and 3 more");
    // The file is not listed again among the evidence; config.json is.
    expect([...root.querySelectorAll('[aria-label="Evidence"] li')].map((li) => li.textContent)).toEqual(["config.json"]);
  });
});
