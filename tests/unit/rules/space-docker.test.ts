import { describe, expect, it } from "vitest";
import { spaceDockerRule } from "../../../lib/rules/space-docker";
import { BALANCED, bertFacts, file, listing, missing, spaceFacts } from "../../fixtures/facts/builders";

describe("space-docker", () => {
  it.each([
    ["docker", "info"],
    ["gradio", undefined],
    ["streamlit", undefined],
    ["static", undefined],
  ] as const)("sdk %s → %s", (sdk, level) => {
    expect(spaceDockerRule.evaluate(spaceFacts("someone/app", { sdk }), BALANCED)[0]?.level).toBe(level);
  });

  it("links the Dockerfile when there is one", () => {
    const facts = spaceFacts("SpacesExamples/fastapi_dummy", { sdk: "docker" }, { files: listing([file("Dockerfile"), file("main.py")]) });
    expect(spaceDockerRule.evaluate(facts, BALANCED)[0]?.evidence).toEqual([
      { label: "Dockerfile", url: "https://huggingface.co/spaces/SpacesExamples/fastapi_dummy/blob/main/Dockerfile" },
    ]);
  });

  it("models are not Spaces", () => {
    expect(spaceDockerRule.evaluate(bertFacts(), BALANCED)).toEqual([]);
  });

  it("an info gap is left to fetch-failed", () => {
    expect(spaceDockerRule.evaluate(spaceFacts("someone/app", {}, { info: missing("timeout") }), BALANCED)).toEqual([]);
  });
});
