import { describe, expect, it } from "vitest";
import type { RepoInfo, RepoSecurityStatus } from "../../../lib/hub/facts";
import { lastChangeOf, planFileDetails, REPO_LEVEL_QUIET_DAYS } from "../../../lib/hub/file-details";

const NOW = Date.parse("2026-03-02T09:00:00.000Z");
const DAY = 86_400_000;
const info = (siblings: string[], lastModified: string | null = new Date(NOW - 400 * DAY).toISOString()): RepoInfo => ({
  id: "org/model",
  tags: [],
  siblingPaths: siblings,
  ...(lastModified === null ? {} : { lastModified }),
});
const done: RepoSecurityStatus = { scansDone: true, filesWithIssues: [] };
const SIBLINGS = [".gitattributes", "README.md", "config.json", "model.safetensors", "model.gguf", "pytorch_model.bin", "tf_model.h5", "model.keras", "optimizer.pt", "data.pkl"];

describe("which files need their own details", () => {
  it("asks only about pickle and Keras files of a scanned repo unchanged for long; the others come from the repo status", () => {
    const plan = planFileDetails(info(SIBLINGS), done, NOW);
    expect(plan.kind).toBe("some");
    if (plan.kind !== "some") return;
    expect(plan.paths).toEqual(["pytorch_model.bin", "tf_model.h5", "model.keras", "optimizer.pt", "data.pkl"]);
    expect(plan.fromRepoStatus.map((file) => file.path)).toEqual(["model.safetensors", "model.gguf"]);
    for (const file of plan.fromRepoStatus) {
      expect(file.security).toEqual({ status: "safe", scans: {}, fromRepoStatus: true });
      expect(file.changedNoLaterThan).toBe(new Date(NOW - 400 * DAY).toISOString());
      expect(file.lastCommit).toBeUndefined();
    }
  });

  it("asks about a file the repo status names, whatever its format", () => {
    const plan = planFileDetails(info(SIBLINGS), { scansDone: true, filesWithIssues: [{ path: "model.gguf", level: "suspicious" }] }, NOW);
    expect(plan.kind === "some" && plan.paths).toContain("model.gguf");
    expect(plan.kind === "some" && plan.fromRepoStatus.map((file) => file.path)).toEqual(["model.safetensors"]);
  });

  it.each<[string, RepoInfo, RepoSecurityStatus | undefined]>([
    ["scans not done", info(SIBLINGS), { scansDone: false, filesWithIssues: [] }],
    ["no security status", info(SIBLINGS), undefined],
    ["no last-commit date", info(SIBLINGS, null), done],
    ["an unreadable last-commit date", info(SIBLINGS, "last tuesday"), done],
    [`a commit ${REPO_LEVEL_QUIET_DAYS - 1} days ago`, info(SIBLINGS, new Date(NOW - (REPO_LEVEL_QUIET_DAYS - 1) * DAY).toISOString()), done],
    ["a commit dated in the future", info(SIBLINGS, new Date(NOW + DAY).toISOString()), done],
  ])("asks about every weight file when %s", (_why, repoInfo, security) => {
    const plan = planFileDetails(repoInfo, security, NOW);
    expect(plan).toMatchObject({ kind: "all", paths: ["model.safetensors", "model.gguf", "pytorch_model.bin", "tf_model.h5", "model.keras", "optimizer.pt", "data.pkl"] });
  });

  it("asks nothing for a repo without weight files", () => {
    expect(planFileDetails(info(["README.md", "app.py", "data/train.parquet"]), done, NOW)).toEqual({ kind: "some", paths: [], fromRepoStatus: [] });
  });

  it("tells an exact last change from a bound", () => {
    expect(lastChangeOf({ path: "a", lastCommit: { id: "c", title: "t", date: "2024-01-01T00:00:00.000Z" } })).toEqual({ date: "2024-01-01T00:00:00.000Z", exact: true });
    expect(lastChangeOf({ path: "a", changedNoLaterThan: "2024-01-01T00:00:00.000Z" })).toEqual({ date: "2024-01-01T00:00:00.000Z", exact: false });
    expect(lastChangeOf({ path: "a" })).toBeUndefined();
  });
});
