import { describe, expect, it } from "vitest";
import {
  MalformedError,
  parseDiscussionPage,
  parseOrgOverview,
  parseRepoInfo,
  parseSecurityStatus,
  parseTreeEntry,
  parseUserOverview,
} from "../../../lib/hub/parse";
import { bertInfo, bertTreeEntries, discussionPage, orgOverview, recordedBody, userOverview } from "../../fixtures/hub/recorded";

describe("parseRepoInfo on recorded answers", () => {
  it("api-samples 03 (bert-base-uncased, with ?securityStatus=true)", () => {
    const { info, security } = parseRepoInfo(bertInfo({ scansDone: true, filesWithIssues: [] }));
    expect(info).toMatchObject({ id: "google-bert/bert-base-uncased", author: "google-bert", sha: "86b5e0934494bd15c9632b12f734a8a67f723594", gated: false, disabled: false, private: false, libraryName: "transformers" });
    expect(info.tags).toContain("pytorch");
    expect(info.siblingPaths).toHaveLength(16);
    expect(info.siblingPaths).toContain("pytorch_model.bin");
    expect(info.autoMap).toBeUndefined();
    expect(security).toEqual({ scansDone: true, filesWithIssues: [] });
  });

  it("api-samples 01 (stable-diffusion-2-1, default fields, no security status asked)", () => {
    const { info, security } = parseRepoInfo(recordedBody("model-info-sd21.json"));
    expect(info.id).toBe("stabilityai/stable-diffusion-2-1");
    expect(info.libraryName).toBe("diffusers");
    expect(info.siblingPaths).toContain("unet/diffusion_pytorch_model.bin");
    expect(security).toBeUndefined();
  });

  it("api-samples 04 (roberta-base-squad2: config, cardData, transformersInfo, widgetData)", () => {
    const { info } = parseRepoInfo(recordedBody("model-info-roberta.json"));
    expect(info.id).toBe("deepset/roberta-base-squad2");
    expect(info.tags).toContain("question-answering");
  });

  it("api-samples 08 (expand: only _id, id and one field): missing fields are tolerated, not invented", () => {
    const { info, security } = parseRepoInfo(recordedBody("space-info-expand-single.json"));
    expect(info).toMatchObject({ id: "user/tmp_test_space", tags: [], gated: false });
    expect(info.siblingPaths).toBeUndefined();
    expect(info.sha).toBeUndefined();
    expect(security).toBeUndefined();
  });

  it("config.tokenizer_config.chat_template: the Hub's copy of the tokenizer template, a string or named templates", () => {
    const plain = parseRepoInfo({ id: "meta-llama/Llama-3.1-8B-Instruct", gated: "manual", config: { tokenizer_config: { bos_token: "<|begin_of_text|>", chat_template: "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}" } } });
    expect(plain.info.configChatTemplates).toEqual([{ name: "default", template: "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}" }]);
    const named = parseRepoInfo({ id: "org/tools", config: { tokenizer_config: { chat_template: [{ name: "default", template: "a" }, { name: "tool_use", template: "b" }, { name: 3 }] } } });
    expect(named.info.configChatTemplates).toEqual([{ name: "default", template: "a" }, { name: "tool_use", template: "b" }]);
    for (const config of [{ tokenizer_config: { chat_template: 42 } }, { tokenizer_config: "x" }, { tokenizer_config: { chat_template: [] } }, {}]) {
      expect(parseRepoInfo({ id: "org/none", config }).info.configChatTemplates).toBeUndefined();
    }
  });

  it("the legacy `modelId` is enough for an id", () => {
    expect(parseRepoInfo({ modelId: "gpt2" }).info.id).toBe("gpt2");
  });
});

describe("parseRepoInfo: wrong types", () => {
  it.each<[string, unknown]>([
    ["an array", []],
    ["null", null],
    ["a string", "<html>"],
    ["a number", 42],
    ["no id", { author: "google-bert" }],
    ["an id that is a number", { id: 42 }],
  ])("rejects %s as malformed", (_name, body) => {
    expect(() => parseRepoInfo(body)).toThrow(MalformedError);
  });

  it("drops fields of the wrong type instead of trusting them", () => {
    const body = bertInfo({ scansDone: true });
    Object.assign(body, {
      tags: "pytorch",
      sha: 123,
      private: "no",
      gated: "sometimes",
      config: "auto_map",
      cardData: ["not", "an", "object"],
      siblings: { rfilename: "x.bin" },
      securityRepoStatus: { scansDone: "yes", filesWithIssues: [{ path: "a.bin", level: "unsafe" }, { path: 3, level: "unsafe" }, { path: "b.bin", level: "on fire" }, "c.bin"] },
    });
    const { info, security } = parseRepoInfo(body);
    expect(info).toMatchObject({ id: "google-bert/bert-base-uncased", tags: [], gated: false });
    expect(info.sha).toBeUndefined();
    expect(info.private).toBeUndefined();
    expect(info.autoMap).toBeUndefined();
    expect(info.siblingPaths).toBeUndefined();
    // "yes" is not `true`: scans are not known to be done.
    expect(security).toEqual({ scansDone: false, filesWithIssues: [{ path: "a.bin", level: "unsafe" }] });
  });

  it("siblings with a wrong entry keep the good ones", () => {
    const body = bertInfo();
    body.siblings = [{ rfilename: "a.bin" }, { rfilename: 7 }, null, "b.bin", { rfilename: "c.safetensors" }];
    expect(parseRepoInfo(body).info.siblingPaths).toEqual(["a.bin", "c.safetensors"]);
  });

  it("a missing scansDone is not known, never done", () => {
    expect(parseSecurityStatus({ filesWithIssues: [] }).scansDone).toBe(false);
    expect(() => parseSecurityStatus("done")).toThrow(MalformedError);
  });
});

describe("parseTreeEntry", () => {
  it("reads the recorded tree entries (api-samples 18)", () => {
    const files = bertTreeEntries().map(parseTreeEntry);
    const bin = files.find((file) => file?.path === "pytorch_model.bin");
    expect(bin).toMatchObject({
      size: 440473133,
      lfsOid: "097417381d6c7230bd9e3557456d726de6e83245ec8b24f529f60198a67b203a",
      lastCommit: { id: "3d2477d72b675a999d1b13ca822aaaf4908634ad", title: "Update pytorch_model.bin", date: "2019-06-18T09:06:34.000Z" },
      security: { status: "safe" },
    });
    expect(bin?.security?.scans.pickleImportScan?.pickleImports).toHaveLength(3);
    expect(files.find((file) => file?.path === "vocab.txt")?.lfsOid).toBeUndefined();
  });

  it("accepts pathsInfo's Date for lastCommit.date", () => {
    const file = parseTreeEntry({ type: "file", path: "a.bin", lastCommit: { id: "abc", title: "t", date: new Date("2024-02-19T11:06:12.000Z") } });
    expect(file?.lastCommit?.date).toBe("2024-02-19T11:06:12.000Z");
  });

  it("reads the pre-October-2024 `security` shape (pickleImportScan.imports)", () => {
    const file = parseTreeEntry({
      type: "file",
      path: "danger.dat",
      security: { status: "unsafe", pickleImportScan: { status: "unsafe", imports: [{ module: "builtins", name: "eval", safety: "dangerous" }] } },
    });
    expect(file?.security?.scans.pickleImportScan?.pickleImports).toEqual([{ module: "builtins", name: "eval", safety: "dangerous" }]);
  });

  it.each<[string, unknown]>([
    ["a directory", { type: "directory", path: "unet", oid: "x" }],
    ["no path", { type: "file", oid: "x" }],
    ["a numeric path", { type: "file", path: 7 }],
    ["null", null],
    ["a string", "pytorch_model.bin"],
  ])("skips %s", (_name, entry) => {
    expect(parseTreeEntry(entry)).toBeUndefined();
  });

  it("drops wrong-typed details and keeps the file", () => {
    const file = parseTreeEntry({
      type: "file",
      path: "model.bin",
      size: "big",
      lfs: "yes",
      lastCommit: { id: 1, date: "2024-01-01" },
      securityFileStatus: { status: "exploding", avScan: { status: "safe" }, pickleImportScan: { status: "unsafe", pickleImports: [{ module: "os", name: "system", safety: "deadly" }, { module: "os", name: "system", safety: "dangerous" }] } },
    });
    expect(file).toMatchObject({ path: "model.bin" });
    expect(file?.size).toBeUndefined();
    expect(file?.lfsOid).toBeUndefined();
    expect(file?.lastCommit).toBeUndefined();
    // An unknown overall status is not "safe": it reads as unscanned, with the sub-scans kept.
    expect(file?.security?.status).toBe("unscanned");
    expect(file?.security?.scans.pickleImportScan?.pickleImports).toEqual([{ module: "os", name: "system", safety: "dangerous" }]);
  });
});

describe("parseDiscussionPage", () => {
  it("reads a list page (api-samples 13 shape)", () => {
    const page = parseDiscussionPage(
      discussionPage(
        [
          { num: 3, title: "Adding `safetensors` variant of this model", status: "open", author: "SFconvertbot", createdAt: "2024-03-01T00:00:00.000Z" },
          { num: 2, title: "Deleted user's PR", status: "merged", createdAt: "2024-02-01T00:00:00.000Z" },
        ],
        { count: 60, start: 0 },
      ),
    );
    expect(page.count).toBe(60);
    expect(page.pullRequests).toEqual([
      { num: 3, title: "Adding `safetensors` variant of this model", status: "open", createdAt: "2024-03-01T00:00:00.000Z", author: "SFconvertbot" },
      { num: 2, title: "Deleted user's PR", status: "merged", createdAt: "2024-02-01T00:00:00.000Z", author: undefined },
    ]);
  });

  it("skips discussions that are not pull requests and entries of the wrong shape", () => {
    const body = discussionPage([{ num: 1, title: "ok", status: "open", createdAt: "2024-01-01T00:00:00.000Z" }]);
    (body.discussions as unknown[]).push({ num: 2, isPullRequest: false, status: "open" }, { num: "3", isPullRequest: true, status: "open" }, { num: 4, isPullRequest: true, status: "reopened" }, null);
    const page = parseDiscussionPage(body);
    expect(page.pullRequests.map((pr) => pr.num)).toEqual([1]);
    expect(page.count).toBe(1);
  });

  it.each<[string, unknown]>([
    ["no discussions array", { count: 0 }],
    ["an array", []],
    ["discussions that is an object", { discussions: {} }],
  ])("rejects %s as malformed", (_name, body) => {
    expect(() => parseDiscussionPage(body)).toThrow(MalformedError);
  });
});

describe("author overviews", () => {
  it("reads an organization and a user", () => {
    expect(parseOrgOverview(orgOverview("google-bert"), "google-bert")).toMatchObject({ kind: "org", name: "google-bert", isVerified: true });
    expect(parseUserOverview(userOverview("quiet-lab", "2021-06-01T00:00:00.000Z"), "quiet-lab")).toMatchObject({ kind: "user", name: "quiet-lab", createdAt: "2021-06-01T00:00:00.000Z" });
  });

  it("isVerified must be exactly true", () => {
    expect(parseOrgOverview({ name: "x", isVerified: "true" }, "x")).toMatchObject({ isVerified: false });
  });

  it("rejects a non-object as malformed", () => {
    expect(() => parseOrgOverview("org", "x")).toThrow(MalformedError);
    expect(() => parseUserOverview([], "x")).toThrow(MalformedError);
  });
});
