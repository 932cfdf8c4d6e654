/**
 * space-docker: a Docker Space runs its own Dockerfile, so its build can run arbitrary steps
 * (Wiz, 2024: build-time code execution reached other tenants). Example:
 * https://huggingface.co/spaces/SpacesExamples/fastapi_dummy (sdk: docker).
 * Information, not a warning: visiting a Space runs nothing on your machine.
 */
import type { RepoFinding } from "../findings";
import { fileUrl, repoUrl } from "../hub/links";
import { listedFiles } from "./shared";
import type { Rule } from "./types";

export const spaceDockerRule: Rule = {
  id: "space-docker",
  evaluate(facts) {
    // An info gap is reported by fetch-failed.
    if (facts.repo.type !== "space" || !facts.info.ok || facts.info.value.sdk !== "docker") return [];
    const dockerfile = listedFiles(facts).find((file) => file.path === "Dockerfile");
    const finding: RepoFinding = {
      id: "space-docker",
      level: "info",
      title: "Docker Space: builds and runs its own container",
      explanation:
        "This Space is built from its own Dockerfile, so its build and app can run any program. That is normal for Docker Spaces; it matters if you duplicate the Space, run its image locally, or give it your data or tokens.",
      evidence: [dockerfile ? { label: "Dockerfile", url: fileUrl(facts.repo, "Dockerfile") } : { label: "Space", url: repoUrl(facts.repo) }],
      advice: ["Read the Dockerfile before duplicating the Space or running its image yourself."],
    };
    return [finding];
  },
};
