import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { downloadTargetOf } from "../../../lib/page/download-links";
import { findFileRows } from "../../../lib/page/rows";
import { SELECTORS } from "../../../lib/page/selectors";

/** Which href downloads which file (issue 27): the download guard's only way to tell a download link. */
const TREE = "https://huggingface.co/owner/model/tree/main";

describe("downloadTargetOf: links that download a repo file", () => {
  it.each([
    // File rows' a[download] links (hub-pages.md), relative and absolute, both hosts.
    ["/owner/model/resolve/main/pytorch_model.bin?download=true", "model", "owner/model", "main", "pytorch_model.bin", "resolve"],
    ["https://huggingface.co/owner/model/resolve/main/pytorch_model.bin", "model", "owner/model", "main", "pytorch_model.bin", "resolve"],
    ["https://hf.co/owner/model/resolve/main/pytorch_model.bin", "model", "owner/model", "main", "pytorch_model.bin", "resolve"],
    // http:// redirects to the same download.
    ["http://huggingface.co/owner/model/resolve/main/model.bin", "model", "owner/model", "main", "model.bin", "resolve"],
    // A file page's raw link.
    ["/owner/model/raw/main/config.json", "model", "owner/model", "main", "config.json", "raw"],
    ["/datasets/org/data/resolve/main/data/train-00000.parquet?download=true", "dataset", "org/data", "main", "data/train-00000.parquet", "resolve"],
    ["/spaces/org/app/raw/main/app.py", "space", "org/app", "main", "app.py", "raw"],
    // Sub-folders, encoded names, revisions (a PR's ref encoded or in three segments, a commit).
    ["/owner/model/resolve/main/text_encoder/pytorch_model.bin", "model", "owner/model", "main", "text_encoder/pytorch_model.bin", "resolve"],
    ["/owner/model/resolve/main/my%20weights.bin?download=true#top", "model", "owner/model", "main", "my weights.bin", "resolve"],
    ["/owner/model/resolve/refs%2Fpr%2F3/model.safetensors", "model", "owner/model", "refs/pr/3", "model.safetensors", "resolve"],
    ["/owner/model/resolve/refs/pr/3/model.safetensors", "model", "owner/model", "refs/pr/3", "model.safetensors", "resolve"],
    ["/owner/model/resolve/0123456789abcdef0123456789abcdef01234567/model.bin", "model", "owner/model", "0123456789abcdef0123456789abcdef01234567", "model.bin", "resolve"],
    // Another repo than the page's: still a download, of that repo's file.
    ["/other/repo/resolve/v2/weights.pt", "model", "other/repo", "v2", "weights.pt", "resolve"],
  ])("%s", (href, type, id, revision, path, route) => {
    expect(downloadTargetOf(href, TREE)).toMatchObject({ repo: { type, id, revision }, path, route });
  });

  it("resolves a relative href against the page, and gives the absolute https URL the browser asks for", () => {
    const target = downloadTargetOf("../../resolve/main/model.bin?download=true", "https://huggingface.co/owner/model/blob/main/model.bin");
    expect(target).toMatchObject({ repo: { id: "owner/model" }, path: "model.bin", url: "https://huggingface.co/owner/model/resolve/main/model.bin?download=true" });
    expect(downloadTargetOf("http://hf.co/owner/model/raw/main/a.txt", TREE)?.url).toBe("https://hf.co/owner/model/raw/main/a.txt");
  });

  it.each([
    ["/owner/model/blob/main/pytorch_model.bin"],
    ["/owner/model/blob/main/pytorch_model.bin?download=true"],
    ["/owner/model/tree/main"],
    ["/owner/model/resolve/main"],
    ["/owner/model/resolve/main/"],
    ["/owner/model"],
    ["/owner/model/commit/abc"],
    ["/api/models/owner/model/tree/main"],
    ["/api/resolve-cache/models/owner/model/abc/model.bin"],
    ["/models/owner/model/resolve/main/model.bin"],
    ["/docs/resolve/main/model.bin"],
    ["https://evil.example/owner/model/resolve/main/model.bin"],
    ["https://huggingface.co.evil.example/owner/model/resolve/main/model.bin"],
    ["https://cdn-lfs.hf.co/repos/ab/cd/abcdef"],
    ["javascript:alert(1)"],
    ["data:text/plain,resolve"],
    ["/owner/model/resolve/main/bad%ZZname.bin"],
    ["/own--er/model/resolve/main/model.bin"],
    ["http://[::1"],
  ])("%s downloads no repo file", (href) => {
    expect(downloadTargetOf(href, TREE)).toBeUndefined();
  });
});

describe("download links on saved pages", () => {
  const PAGES = join(import.meta.dirname, "../../fixtures/pages");
  const load = (name: string) => parseHTML(readFileSync(join(PAGES, name), "utf8")).document;
  const links = (doc: Document) => Array.from(doc.querySelectorAll(SELECTORS.link.join(",")));

  it("each file row's a[download] link downloads the row's own file (tree-rows.derived.html)", () => {
    const doc = load("tree-rows.derived.html");
    const repo = { type: "dataset" as const, id: "neuralwork/arxiver" };
    const rows = findFileRows(doc, repo);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const download = row.link.closest("li")?.querySelector("a[download]");
      expect(download, row.path).not.toBeNull();
      expect(downloadTargetOf(download?.getAttribute("href") ?? "", "https://huggingface.co/datasets/neuralwork/arxiver/tree/main")).toMatchObject({ repo, path: row.path, route: "resolve" });
    }
  });

  it("a real file page's raw link downloads its file, and no other link there downloads anything (model-blob-logged-out.html)", () => {
    const doc = load("model-blob-logged-out.html");
    const page = "https://huggingface.co/Qwen/Qwen3-Coder-30B-A3B-Instruct/blob/main/qwen3coder_tool_parser.py";
    const targets = links(doc).flatMap((link) => {
      const target = downloadTargetOf(link.getAttribute("href") ?? "", page);
      return target ? [target] : [];
    });
    expect(targets.map((target) => [target.repo.id, target.path, target.route])).toEqual([["Qwen/Qwen3-Coder-30B-A3B-Instruct", "qwen3coder_tool_parser.py", "raw"]]);
  });
});
