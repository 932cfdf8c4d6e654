/**
 * remote-code: loading needs `trust_remote_code=True`, so code from the repo runs on the user's machine.
 * Examples: https://huggingface.co/microsoft/Phi-3-mini-4k-instruct (config auto_map + modeling_*.py, tag custom_code),
 * https://huggingface.co/deepseek-ai/DeepSeek-V3 (custom_code), https://huggingface.co/nomic-ai/nomic-embed-text-v1.
 * For datasets, a loading script `<name>.py` at the root plays the same role in older `datasets` versions.
 * Spaces are apps made of code by design and are not judged here (see space-docker).
 */
import type { RepoFinding } from "../findings";
import { isPythonFile } from "../hub/file-kinds";
import { fileUrl } from "../hub/links";
import { MAX_EVIDENCE, listedFiles, summarize } from "./shared";
import type { Rule } from "./types";

export const remoteCodeRule: Rule = {
  id: "remote-code",
  evaluate(facts) {
    // Info gaps are reported by fetch-failed, file-list gaps by pickle-weights: use whatever is known.
    if (facts.repo.type === "space") return [];
    const info = facts.info.ok ? facts.info.value : undefined;
    const pyFiles = listedFiles(facts).filter((file) => isPythonFile(file.path));
    const reasons: string[] = [];

    if (facts.repo.type === "dataset") {
      const repoName = facts.repo.id.split("/")[1] ?? "";
      const script = pyFiles.find((file) => file.path.toLowerCase() === `${repoName.toLowerCase()}.py`);
      if (!script) return [];
      return [
        {
          id: "remote-code",
          level: "warn",
          title: `Dataset loading script ${script.path}`,
          explanation: `This dataset is loaded by running ${script.path} from the repo (datasets' trust_remote_code): the script can do anything your account can.`,
          evidence: [{ label: script.path, url: fileUrl(facts.repo, script.path) }],
          advice: ["Read the script before loading, or use the dataset's Parquet conversion (refs/convert/parquet) instead."],
        },
      ];
    }

    const autoMap = info?.autoMap && Object.keys(info.autoMap).length > 0 ? Object.keys(info.autoMap) : [];
    if (autoMap.length > 0) reasons.push(`config.json maps ${summarize(autoMap)} to code in the repo (auto_map)`);
    if (info?.tags.includes("custom_code")) reasons.push("the repo is tagged custom_code");
    if (pyFiles.length > 0) reasons.push(`it contains Python files: ${summarize(pyFiles.map((file) => file.path), 5)}`);
    if (reasons.length === 0) return [];

    const needsTrust = autoMap.length > 0 || info?.tags.includes("custom_code") === true;
    const finding: RepoFinding = {
      id: "remote-code",
      level: "warn",
      title: needsTrust ? "Loading this model runs code from the repo" : `${pyFiles.length === 1 ? "A Python file" : "Python files"} in a model repo`,
      explanation: [
        `${reasons.join("; ")}.`,
        needsTrust
          ? "Loading it needs trust_remote_code=True, which runs that code on your machine with your permissions."
          : "transformers does not run these files unless config.json points to them, but the model card or another library may ask you to.",
      ].join(" "),
      evidence: [
        ...(autoMap.length > 0 ? [{ label: "config.json", url: fileUrl(facts.repo, "config.json") }] : []),
        ...pyFiles.slice(0, MAX_EVIDENCE).map((file) => ({ label: file.path, url: fileUrl(facts.repo, file.path) })),
      ],
      advice: [
        "Read the Python files before passing trust_remote_code=True.",
        "Pin the revision you read (revision=\"<commit sha>\"), so later changes to the code do not run unreviewed.",
      ],
    };
    return [finding];
  },
};
