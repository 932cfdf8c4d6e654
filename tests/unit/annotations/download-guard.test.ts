import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideDownload, guardNotice, type GuardDecision } from "../../../lib/annotations/download-guard";
import { createFileMarks, type FileMark } from "../../../lib/annotations/file-marks";
import type { FileAnnotationView } from "../../../lib/annotations/types";
import { createAnnotationService } from "../../../lib/background/annotation-service";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS, type DownloadGuardMode } from "../../../lib/settings/types";
import { GUARD_REPO_ID, GUARD_REPORT_LINK } from "../../fake-hub/download-guard-catalogue";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * The download guard's decision (issue 27) from the marks the background gives the file rows,
 * against the fake Hub with the real client and rules: which downloads are held, which go through,
 * and what the dialog says instead.
 */
const repo = { type: "model" as const, id: GUARD_REPO_ID, revision: "main" };
const PATHS = ["config.json", "model.safetensors", "pytorch_model.bin", "model.onnx", "checkpoint.pt", "model.keras"];

describe("download guard against the fake Hub's marks", () => {
  let hub: FakeHub;
  let views: FileAnnotationView[];
  beforeAll(async () => {
    hub = await startFakeHub();
    const service = createAnnotationService({
      client: createHubClient({ fetch: fetchViaFakeHub(hub) }),
      rules: RULES,
      policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false, extraFindings: () => [] }),
      hubUrl: "https://huggingface.co",
    });
    views = (await service.files(repo, PATHS, {})).files;
  });
  afterAll(() => hub.close());

  function markOf(path: string): FileMark {
    const marks = createFileMarks();
    marks.answered(repo, PATHS, views);
    const mark = marks.get(repo, path);
    if (!mark) throw new Error(`no mark for ${path}`);
    return mark;
  }

  it("each file has the level its row shows", () => {
    expect(Object.fromEntries(views.map((view) => [view.path, view.level]))).toEqual({ "pytorch_model.bin": "danger", "model.onnx": "unknown", "checkpoint.pt": "info", "model.keras": "ok" });
  });

  it.each<[string, DownloadGuardMode, GuardDecision]>([
    ["pytorch_model.bin", "ask", { action: "hold", level: "danger", blocked: false }],
    ["pytorch_model.bin", "block", { action: "hold", level: "danger", blocked: true }],
    ["pytorch_model.bin", "off", { action: "allow" }],
    ["model.onnx", "ask", { action: "hold", level: "unknown", blocked: false }],
    // A block is for Danger: an Unknown file is still held with the choice to download it.
    ["model.onnx", "block", { action: "hold", level: "unknown", blocked: false }],
    ["checkpoint.pt", "ask", { action: "allow" }],
    ["checkpoint.pt", "block", { action: "allow" }],
    ["model.keras", "block", { action: "allow" }],
    // No mark because nothing was found about it.
    ["config.json", "block", { action: "allow" }],
    ["model.safetensors", "ask", { action: "allow" }],
  ])("%s with the guard at %s", (path, mode, decision) => {
    expect(decideDownload(markOf(path), mode)).toEqual(decision);
  });

  it("the held dialog names the file, says what the mark says, and offers the safetensors copy and the scanner's report", () => {
    const mark = markOf("pytorch_model.bin");
    const notice = guardNotice(repo, "pytorch_model.bin", mark, decideDownload(mark, "ask"));
    expect(notice.level).toBe("danger");
    expect(notice.title).toBe("Hub Sentinel: Danger. Held the download of pytorch_model.bin");
    expect(notice.what).toBe("pytorch_model.bin from guard-lab/held-downloads is a pickle-format file: loading it runs whatever code it imports.");
    const view = mark.state === "answered" ? mark.view : undefined;
    // The same words as the row's mark: each of its findings' titles, and what the dangerous import does.
    for (const finding of view?.findings ?? []) expect(notice.found).toContain(finding.title);
    expect(notice.found).toContain("Imports builtins.exec: evaluates a code string");
    expect(notice.instead[0]?.link).toEqual({ label: "model.safetensors", url: "https://huggingface.co/guard-lab/held-downloads/blob/main/model.safetensors" });
    expect(notice.instead.map((item) => item.link?.url)).toContain(GUARD_REPORT_LINK);
    expect(notice.blocked).toBe(false);
  });

  it("blocked, the dialog says it is the organization's decision", () => {
    const mark = markOf("pytorch_model.bin");
    const notice = guardNotice(repo, "pytorch_model.bin", mark, decideDownload(mark, "block"));
    expect(notice.blocked).toBe(true);
    expect(notice.title).toBe("Hub Sentinel: Danger. Download of pytorch_model.bin blocked by your organization");
    expect(notice.instead.at(-1)?.text).toMatch(/^Your organization does not allow downloading files marked Danger/);
  });

  it("an Unknown file says what was not checked", () => {
    const mark = markOf("model.onnx");
    const notice = guardNotice(repo, "model.onnx", mark, decideDownload(mark, "ask"));
    expect(notice.title).toBe("Hub Sentinel: Unknown. Held the download of model.onnx");
    expect(notice.found[0]).toBe("The Hub's scan of this file is queued.");
    expect(notice.what).toContain("a model weight file");
    // An ONNX file runs no code on load: no safetensors copy is offered in its place.
    expect(notice.instead.some((item) => item.link?.label === "model.safetensors")).toBe(false);
  });
});

describe("decideDownload before and without an answer", () => {
  const view = (level: FileAnnotationView["level"]): FileAnnotationView => ({ path: "a.bin", level, findings: [], imports: [], scans: [] });
  it.each<[string, FileMark | undefined, GuardDecision]>([
    ["never asked", undefined, { action: "check" }],
    ["asked, no answer yet", { state: "pending" }, { action: "wait" }],
    // Not checked is not fine.
    ["the background did not answer", { state: "failed", reason: "no answer" }, { action: "hold", level: "unknown", blocked: false }],
    ["answered: no mark", { state: "answered" }, { action: "allow" }],
    ["answered: warn", { state: "answered", view: view("warn") }, { action: "allow" }],
    ["answered: info", { state: "answered", view: view("info") }, { action: "allow" }],
    ["answered: ok", { state: "answered", view: view("ok") }, { action: "allow" }],
  ])("%s", (_name, mark, decision) => {
    expect(decideDownload(mark, "ask")).toEqual(decision);
  });

  it("off lets everything through, even what was never checked", () => {
    for (const mark of [undefined, { state: "pending" } as const, { state: "answered", view: view("danger") } as const]) expect(decideDownload(mark, "off")).toEqual({ action: "allow" });
  });

  it("while waiting, the dialog says so and offers no download", () => {
    const notice = guardNotice({ type: "dataset", id: "org/data", revision: "refs/pr/2" }, "train.pkl", { state: "pending" }, { action: "wait" });
    expect(notice).toMatchObject({ level: "pending", title: "Hub Sentinel: checking train.pkl before it downloads", instead: [], blocked: false });
    expect(notice.what).toBe("train.pkl from org/data (PR #2) is a pickle-format file: loading it runs whatever code it imports.");
  });

  it("a failed check is said, not hidden", () => {
    const notice = guardNotice({ type: "model", id: "o/n", revision: "main" }, "m.bin", { state: "failed", reason: "the extension's background did not answer." }, { action: "hold", level: "unknown", blocked: false });
    expect(notice.found).toEqual(["This file could not be checked: the extension's background did not answer."]);
  });

  it("links only https: a scanner's javascript: report link stays text", () => {
    const hostile: FileAnnotationView = {
      ...view("danger"),
      scans: [{ scanner: "Protect AI", status: "unsafe", reportLink: "javascript:alert(1)" }],
      saferCopy: { path: "x.safetensors", url: "javascript:alert(2)", files: 1 },
    };
    const notice = guardNotice({ type: "model", id: "o/n", revision: "main" }, "a.bin", { state: "answered", view: hostile }, { action: "hold", level: "danger", blocked: false });
    expect(notice.instead.filter((item) => item.link)).toEqual([]);
  });
});

describe("file marks", () => {
  const repo = { type: "model" as const, id: "Owner/Name", revision: "main" };
  const view: FileAnnotationView = { path: "a.bin", level: "danger", findings: [], imports: [], scans: [] };

  it("a question is pending until answered; paths without a view have no mark; ids match in any case", () => {
    const marks = createFileMarks();
    marks.asking(repo, ["a.bin", "b.txt"]);
    expect(marks.get(repo, "a.bin")).toEqual({ state: "pending" });
    marks.answered(repo, ["a.bin", "b.txt"], [view]);
    expect(marks.get({ ...repo, id: "owner/name" }, "a.bin")).toEqual({ state: "answered", view });
    expect(marks.get(repo, "b.txt")).toEqual({ state: "answered" });
    // Another revision is another file.
    expect(marks.get({ ...repo, revision: "dev" }, "a.bin")).toBeUndefined();
  });

  it("an answer is kept while the rows ask again (the Hub's rate limit ended), and a failed retry does not erase it", () => {
    const marks = createFileMarks();
    marks.answered(repo, ["a.bin"], [view]);
    marks.asking(repo, ["a.bin"]);
    expect(marks.get(repo, "a.bin")).toEqual({ state: "answered", view });
    marks.failed(repo, ["a.bin"], "no answer");
    expect(marks.get(repo, "a.bin")).toEqual({ state: "answered", view });
    marks.failed(repo, ["c.bin"], "no answer");
    expect(marks.get(repo, "c.bin")).toEqual({ state: "failed", reason: "no answer" });
  });

  it("settled waits for the answer, and a cancelled wait rejects", async () => {
    const marks = createFileMarks();
    marks.asking(repo, ["a.bin", "b.bin"]);
    const first = marks.settled(repo, "a.bin");
    const stop = new AbortController();
    const second = marks.settled(repo, "b.bin", stop.signal);
    stop.abort();
    await expect(second).rejects.toThrow("No longer waited for.");
    marks.answered(repo, ["a.bin"], [view]);
    await expect(first).resolves.toEqual({ state: "answered", view });
    await expect(marks.settled(repo, "never-asked.bin")).resolves.toBeUndefined();
  });
});
