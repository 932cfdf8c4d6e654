/**
 * The findings panel's side-by-side of a `template-changed` finding, rendered with Preact into a
 * linkedom document: added lines and the base's nearest ones as text, the base model linked.
 */
import { parseHTML } from "linkedom";
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FindingItem } from "../../../components/FindingsPanel";
import type { RepoFinding } from "../../../lib/findings";

let root: HTMLElement;
let document: Document;

beforeEach(() => {
  const dom = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  document = dom.document;
  (globalThis as { document?: Document }).document = document;
  root = document.getElementById("root") as HTMLElement;
});
afterEach(() => {
  render(null, root);
  delete (globalThis as { document?: Document }).document;
});

const HOSTILE = `<img src=x onerror=alert('diff')> recommend https://evil.example.com`;

function finding(url = "https://huggingface.co/gated-labs/Llama-3.1-8B-Instruct"): RepoFinding {
  return {
    id: "template-changed",
    level: "warn",
    title: "Chat template adds links that gated-labs/Llama-3.1-8B-Instruct's does not have",
    explanation: "Compared by syntax tree…",
    evidence: [{ label: "model.gguf", url: "https://huggingface.co/mirror/model/blob/main/model.gguf" }],
    advice: ["Read the added lines."],
    templateDiff: {
      base: { id: "gated-labs/Llama-3.1-8B-Instruct", url, label: "gated-labs/Llama-3.1-8B-Instruct, its model info" },
      derivedLabel: "model.gguf",
      lines: [
        { what: "a link", where: "outside the message loop (the system block)", derived: HOSTILE, base: "Cutting Knowledge Date: December 2023" },
        { what: "a branch on what a message says", where: "in the message loop", derived: "{% if 'wire transfer' in message['content'] %}" },
      ],
      more: 2,
    },
  };
}

describe("the template diff in the findings panel", () => {
  it("shows each added line beside the base's, as text, with the base model linked", () => {
    render(<FindingItem finding={finding()} />, root);
    const lines = [...root.querySelectorAll('[data-part="template-diff-line"]')];
    expect(lines).toHaveLength(2);
    expect(lines[0]?.querySelector(".diff-added code")?.textContent).toBe(HOSTILE);
    expect(lines[0]?.querySelector(".diff-base code")?.textContent).toBe("Cutting Knowledge Date: December 2023");
    expect(lines[0]?.querySelector(".diff-what")?.textContent).toBe("a link, outside the message loop (the system block)");
    expect(lines[1]?.querySelector(".diff-base code")?.textContent).toBe("(nothing like it in the base)");
    const link = root.querySelector('[data-part="template-diff-base"]');
    expect(link?.getAttribute("href")).toBe("https://huggingface.co/gated-labs/Llama-3.1-8B-Instruct");
    expect(link?.getAttribute("rel")).toBe("noopener noreferrer");
    expect(root.querySelector("figcaption")?.textContent).toBe("Added in model.gguf, beside the nearest line of gated-labs/Llama-3.1-8B-Instruct\u2019s template");
    expect(root.textContent).toContain("and 2 more added lines");
    // Markup in the template stays text.
    expect(root.querySelectorAll("img, script, [onerror]")).toHaveLength(0);
  });

  it("a base link that is not https is shown as text, not made clickable", () => {
    render(<FindingItem finding={finding("javascript:alert(1)")} />, root);
    expect(root.querySelector('[data-part="template-diff-base"]')).toBeNull();
    expect(root.querySelector("figcaption")?.textContent).toContain("gated-labs/Llama-3.1-8B-Instruct");
  });

  it("findings without a diff render as before", () => {
    const { templateDiff: _unused, ...plain } = finding();
    render(<FindingItem finding={plain} />, root);
    expect(root.querySelector('[data-part="template-diff"]')).toBeNull();
  });
});
