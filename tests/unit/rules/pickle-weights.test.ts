import { describe, expect, it } from "vitest";
import { pickleWeightsRule } from "../../../lib/rules/pickle-weights";
import type { RepoFile } from "../../../lib/hub/facts";
import {
  BALANCED,
  TRAINING_ARGS_IMPORTS,
  bertFacts,
  cleanPickleSecurity,
  factOf,
  file,
  missing,
  modelFacts,
  ownScan,
  pickleScanned,
  security,
} from "../../fixtures/facts/builders";

const st = file("model.safetensors", { security: security("safe") });

describe("pickle-weights", () => {
  it("bert-base-uncased: pytorch_model.bin beside model.safetensors → info, says a copy exists", () => {
    const [finding] = pickleWeightsRule.evaluate(bertFacts(), BALANCED);
    expect(finding?.level).toBe("info");
    expect(finding?.title).toBe("1 pickle-format file, with a safetensors copy");
    expect(finding?.evidence).toEqual([
      { label: "pytorch_model.bin", url: "https://huggingface.co/google-bert/bert-base-uncased/blob/main/pytorch_model.bin" },
    ]);
  });

  it.each<[string, RepoFile[], string | undefined]>([
    ["safetensors only", [st], undefined],
    ["pickle without safetensors, not scanned", [file("pytorch_model.bin", { security: security("queued") })], "warn"],
    ["pickle without safetensors, scanned clean", [file("pytorch_model.bin", { security: cleanPickleSecurity() })], "info"],
    ["unscanned pickle beside safetensors", [file("pytorch_model.bin", { security: security("queued") }), st], "info"],
    ["only training state is pickled", [st, file("training_args.bin", { security: pickleScanned(TRAINING_ARGS_IMPORTS, "suspicious") })], "info"],
    ["a joblib model", [file("model.joblib")], "warn"],
    ["a 7z archive", [file("weights.7z")], "warn"],
  ])("%s → %s", (_name, files, level) => {
    expect(pickleWeightsRule.evaluate(modelFacts("someone/model", files), BALANCED)[0]?.level).toBe(level);
  });

  it("our own clean scan vouches for an unscanned pickle", () => {
    const facts = modelFacts("someone/model", [file("model.ckpt", { security: security("unscanned") })], {
      ownScans: factOf([ownScan("model.ckpt", "clean")]),
    });
    expect(pickleWeightsRule.evaluate(facts, BALANCED)[0]?.level).toBe("info");
  });

  it("a file-list gap is unknown; a partial list without pickles is unknown", () => {
    expect(pickleWeightsRule.evaluate(bertFacts({ files: missing("timeout") }), BALANCED)[0]?.level).toBe("unknown");
    const partial = bertFacts({ files: factOf({ files: [st], complete: false, readCount: 1000 }) });
    expect(pickleWeightsRule.evaluate(partial, BALANCED)[0]?.level).toBe("unknown");
  });

  it("a file-list gap shared with the repo info is left to fetch-failed", () => {
    expect(pickleWeightsRule.evaluate(bertFacts({ info: missing("not-found"), files: missing("not-found") }), BALANCED)).toEqual([]);
  });
});
