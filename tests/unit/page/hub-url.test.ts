import { describe, expect, it } from "vitest";
import { describeRevision, parseHubUrl } from "../../../lib/hub-url";

const u = (path: string, host = "huggingface.co") => new URL(`https://${host}${path}`);

describe("parseHubUrl: repo pages", () => {
  it.each([
    ["/google-bert/bert-base-uncased", "model", "google-bert/bert-base-uncased", "main", "card"],
    ["/google-bert/bert-base-uncased/tree/main", "model", "google-bert/bert-base-uncased", "main", "files"],
    ["/google-bert/bert-base-uncased/tree/v1.0/subdir", "model", "google-bert/bert-base-uncased", "v1.0", "files"],
    ["/google-bert/bert-base-uncased/blob/main/config.json", "model", "google-bert/bert-base-uncased", "main", "blob"],
    ["/google-bert/bert-base-uncased/commits/main", "model", "google-bert/bert-base-uncased", "main", "commits"],
    ["/Qwen/Qwen3-0.6B/discussions", "model", "Qwen/Qwen3-0.6B", "main", "community"],
    ["/Qwen/Qwen3-0.6B/discussions/12", "model", "Qwen/Qwen3-0.6B", "main", "discussion"],
    ["/datasets/HuggingFaceFW/fineweb", "dataset", "HuggingFaceFW/fineweb", "main", "card"],
    ["/datasets/HuggingFaceFW/fineweb/tree/main/data", "dataset", "HuggingFaceFW/fineweb", "main", "files"],
    ["/spaces/gradio/hello_world", "space", "gradio/hello_world", "main", "app"],
    ["/spaces/gradio/hello_world/blob/main/app.py", "space", "gradio/hello_world", "main", "blob"],
    ["/org/model/tree/refs%2Fpr%2F3", "model", "org/model", "refs/pr/3", "files"],
    ["/org/model/blob/refs%2Fpr%2F3/model.safetensors", "model", "org/model", "refs/pr/3", "blob"],
    ["/org/model/tree/refs/pr/3", "model", "org/model", "refs/pr/3", "files"],
    ["/org/model/commit/1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", "model", "org/model", "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", "commit"],
  ])("%s", (path, type, id, revision, tab) => {
    const page = parseHubUrl(u(path));
    expect(page).toMatchObject({ kind: "repo", repo: { type, id, revision }, tab });
  });

  it("reads hf.co too", () => {
    expect(parseHubUrl(u("/org/model", "hf.co"))).toMatchObject({ kind: "repo", repo: { id: "org/model" } });
  });

  it("says when the revision came from the URL", () => {
    expect(parseHubUrl(u("/org/model/tree/dev"))).toMatchObject({ revisionFromUrl: true });
    expect(parseHubUrl(u("/org/model"))).toMatchObject({ revisionFromUrl: false });
  });

  it("keeps the file path of a blob page", () => {
    expect(parseHubUrl(u("/org/model/blob/main/weights/pytorch_model.bin"))).toMatchObject({ path: "weights/pytorch_model.bin" });
  });
});

describe("parseHubUrl: everything else", () => {
  it.each([
    ["/docs/hub/security"],
    ["/settings/tokens"],
    ["/pricing"],
    ["/api/models/org/model"],
    ["/models/org/model"],
    ["/blog/some-post"],
    ["/papers/2401.00001"],
    ["/login"],
  ])("%s is not a repo page", (path) => {
    expect(parseHubUrl(u(path))?.kind).not.toBe("repo");
  });

  it.each([
    ["https://evil.example/org/model"],
    ["http://huggingface.co/org/model"],
    ["https://huggingface.co.evil.example/org/model"],
    ["https://huggingface.co/org/mo%ZZdel"],
    ["https://huggingface.co/org/<script>"],
    ["https://huggingface.co/org/model..x"],
    ["https://huggingface.co/org--x/model"],
    [`https://huggingface.co/org/${"a".repeat(97)}`],
  ])("%s is refused", (href) => {
    expect(parseHubUrl(new URL(href))?.kind).not.toBe("repo");
  });

  it.each([
    ["/models", "models"],
    ["/datasets", "datasets"],
    ["/spaces", "spaces"],
    ["/google", "profile"],
    ["/collections/google/gemma-release-65d5efbccdbb8c4202ec078b", "collection"],
    ["/search/full-text", "search"],
  ])("%s is a listing (%s)", (path, listing) => {
    expect(parseHubUrl(u(path))).toEqual({ kind: "listing", listing });
  });
});

describe("describeRevision", () => {
  it.each([
    ["main", "main"],
    ["refs/pr/3", "PR #3"],
    ["1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", "commit 1a2b3c4"],
    ["v2.0", "v2.0"],
  ])("%s → %s", (revision, words) => {
    expect(describeRevision(revision)).toBe(words);
  });
});
