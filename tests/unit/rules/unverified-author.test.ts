import { describe, expect, it } from "vitest";
import { unverifiedAuthorRule } from "../../../lib/rules/unverified-author";
import type { AuthorInfo, RepoFile } from "../../../lib/hub/facts";
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
  unverifiedOrg,
  user,
  verifiedOrg,
} from "../../fixtures/facts/builders";

const unscannedPickle = file("pytorch_model.bin", { security: security("queued") });
const cleanPickle = file("pytorch_model.bin", { security: cleanPickleSecurity() });
const safetensors = file("model.safetensors", { security: security("safe") });
const trainingArgs = file("training_args.bin", { security: pickleScanned(TRAINING_ARGS_IMPORTS, "suspicious") });

/** A .ckpt the Hub scanned and called suspicious for Lightning/numpy classes (and `extra`). */
function lightningCkpt(extra: [string, string]): RepoFile {
  const imports = [
    { module: "collections", name: "OrderedDict", safety: "innocuous" as const },
    { module: "numpy.core.multiarray", name: "scalar", safety: "suspicious" as const },
    { module: extra[0], name: extra[1], safety: "suspicious" as const },
  ];
  return file("v1-5-pruned-emaonly.ckpt", { security: pickleScanned(imports, "suspicious") });
}

describe("unverified-author", () => {
  it.each<[string, AuthorInfo, RepoFile[], string | undefined]>([
    ["verified org with pickles", verifiedOrg("someone"), [unscannedPickle], undefined],
    ["user, safetensors only", user("someone"), [safetensors], "info"],
    ["user, pickle scanned clean", user("someone"), [cleanPickle], "info"],
    ["user, unscanned pickle", user("someone"), [unscannedPickle], "warn"],
    ["unverified org, unscanned pickle", unverifiedOrg("someone"), [unscannedPickle, safetensors], "warn"],
    ["unverified org, safetensors only", unverifiedOrg("someone"), [safetensors], "info"],
    ["user, only training_args.bin (not weights)", user("someone"), [safetensors, trainingArgs], "info"],
    ["unverified org, a scanned Lightning checkpoint flagged only for classes our list clears", unverifiedOrg("someone"), [safetensors, lightningCkpt(["pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint"])], "info"],
    ["unverified org, a scanned checkpoint with an unlisted class too", unverifiedOrg("someone"), [safetensors, lightningCkpt(["ldm.models.diffusion.ddpm", "LatentDiffusion"])], "warn"],
  ])("%s → %s", (_name, author, files, level) => {
    const findings = unverifiedAuthorRule.evaluate(modelFacts("someone/model", files, { author: factOf(author) }), BALANCED);
    expect(findings[0]?.level).toBe(level);
    if (level) expect(findings[0]?.evidence[0]?.url).toBe("https://huggingface.co/someone");
  });

  it("a verified org (google-bert) gives no finding", () => {
    expect(unverifiedAuthorRule.evaluate(bertFacts(), BALANCED)).toEqual([]);
  });

  it("our own clean scan vouches for a pickle the Hub has not scanned", () => {
    const facts = modelFacts("someone/model", [unscannedPickle], { ownScans: factOf([ownScan("pytorch_model.bin", "clean")]) });
    expect(unverifiedAuthorRule.evaluate(facts, BALANCED)[0]?.level).toBe("info");
  });

  it("names the unvouched pickle files when warning", () => {
    const [finding] = unverifiedAuthorRule.evaluate(modelFacts("someone/model", [unscannedPickle]), BALANCED);
    expect(finding?.explanation).toContain("pytorch_model.bin");
    expect(finding?.title).toBe("Published by a user account: someone");
  });

  it("an author gap is unknown", () => {
    const [finding] = unverifiedAuthorRule.evaluate(bertFacts({ author: missing("rate-limited") }), BALANCED);
    expect(finding?.level).toBe("unknown");
  });

  it("an author gap shared with the repo info is left to fetch-failed", () => {
    expect(unverifiedAuthorRule.evaluate(bertFacts({ author: missing("network"), info: missing("network") }), BALANCED)).toEqual([]);
  });
});
