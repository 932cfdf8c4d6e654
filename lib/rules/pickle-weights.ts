/**
 * pickle-weights: pickle-format files are present. Loading a pickle runs whatever it imports.
 * Examples: https://huggingface.co/google-bert/bert-base-uncased (pytorch_model.bin beside model.safetensors),
 * https://huggingface.co/stabilityai/stable-diffusion-2-1 (.ckpt and .bin beside .safetensors).
 *
 * The level here is only about presence. Whether the pickles are dangerous is the business of
 * pickle-imports, scanner-flag and scan-incomplete, so this rule stays `info` when a safetensors
 * copy exists and `warn` when the pickles are the only way to load the weights and nothing vouches for them.
 */
import type { RepoFinding } from "../findings";
import { fileName, isSafetensors, isTrainingStateFile } from "../hub/file-kinds";
import { fileUrl } from "../hub/links";
import type { Rule } from "./types";
import { ruleGap } from "./gap-finding";
import { holdsPickles, scannedClean } from "./shared";

export const pickleWeightsRule: Rule = {
  id: "pickle-weights",
  evaluate(facts) {
    if (!facts.files.ok) return ruleGap(facts, "pickle-weights", "the file list", facts.files.gap);
    const { files, complete } = facts.files.value;
    // A zip read and found to hold no pickle (a CoreML model, images) is not a pickle file.
    const pickles = files.filter((file) => holdsPickles(facts, file.path));
    if (pickles.length === 0) {
      if (complete) return [];
      return [
        {
          id: "pickle-weights",
          level: "unknown",
          title: "Only part of the file list could be checked for pickle files",
          explanation: `The repo has more files than the extension reads (${facts.files.value.readCount} read); no pickle file was among them, but the rest were not checked.`,
          evidence: [{ label: "Files and versions", url: fileUrl(facts.repo, "") }],
          advice: ["Look through the full file list on the Hub before downloading."],
        },
      ];
    }
    const weightPickles = pickles.filter((file) => !isTrainingStateFile(file.path));
    const hasSafetensors = files.some((file) => isSafetensors(file.path));
    // Clean means the Hub's scans came back safe, or our own reader found only innocuous imports.
    const unvouched = weightPickles.filter((file) => !scannedClean(facts, file));
    const level = weightPickles.length === 0 || hasSafetensors || unvouched.length === 0 ? "info" : "warn";
    const names = pickles.map((file) => file.path);
    const finding: RepoFinding = {
      id: "pickle-weights",
      level,
      title: `${pickles.length} pickle-format file${pickles.length === 1 ? "" : "s"}${hasSafetensors ? ", with a safetensors copy" : ", no safetensors copy"}`,
      explanation: [
        `Pickle files (${summarize(names)}) can run code when they are loaded, whatever they are called.`,
        hasSafetensors
          ? "This repo also has safetensors weights, which hold only tensors and load without running code."
          : "This repo has no safetensors weights, so loading it means unpickling these files.",
        weightPickles.length < pickles.length
          ? `${pickles.length - weightPickles.length} of them are training state (such as training_args.bin) that libraries do not load for inference.`
          : "",
      ]
        .filter(Boolean)
        .join(" "),
      evidence: pickles.slice(0, 20).map((file) => ({ label: file.path, url: fileUrl(facts.repo, file.path) })),
      advice: hasSafetensors
        ? ["Load the safetensors files (transformers does by default; pass use_safetensors=True to be sure)."]
        : [
            "Prefer a copy of this model in safetensors format.",
            "If you must load it, use torch.load(..., weights_only=True) and check the pickle-import findings first.",
          ],
    };
    return [finding];
  },
};

function summarize(names: string[]): string {
  const shown = names.slice(0, 3).map(fileName).join(", ");
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
