import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubClient } from "../../../lib/hub/client";
import type { RepoFacts } from "../../../lib/hub/facts";
import { TEMPLATE_SCAN_DEFAULTS } from "../../../lib/hub/template-scans";
import type { RepoFinding } from "../../../lib/findings";
import { RULES } from "../../../lib/rules";
import { findingsForFile } from "../../../lib/rules/locate";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { buildVerdict, evaluateRepo } from "../../../lib/verdict/verdict";
import { POPULAR_REPOS, type PopularRepo } from "../../fake-hub/popular-catalogue";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * The Hub's most used repos (tests/fake-hub/popular-catalogue.ts), each judged cold through the
 * real client and rules over HTTPS: the level and findings each entry declares, and what the
 * classes of issue 24 promise about them (quiet for benign ones, the malicious variants caught,
 * the GGUF byte budget held).
 */
describe("the popular-repo catalogue", () => {
  let hub: FakeHub;
  const judged = new Map<string, { facts: RepoFacts; findings: RepoFinding[]; level: string; bytes: number }>();

  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  async function judge(repo: PopularRepo) {
    const known = judged.get(repo.id);
    if (known) return known;
    hub.resetLog();
    const client = createHubClient({ fetch: fetchViaFakeHub(hub) });
    const facts = await client.gatherRepoFacts({ type: repo.type, id: repo.id, revision: "main" });
    const findings = evaluateRepo(facts, RULES, { settings: DEFAULT_RULE_SETTINGS, now: Date.now() });
    const bytes = hub.log.filter((entry) => !entry.path.startsWith("/api/")).reduce((sum, entry) => sum + entry.bytes, 0);
    const result = { facts, findings, level: buildVerdict(findings, false).level, bytes };
    judged.set(repo.id, result);
    return result;
  }

  it("holds at least 25 repos of every class the issue names, and the two malicious variants", () => {
    expect(POPULAR_REPOS.filter((repo) => !repo.id.includes("-mirror/")).length).toBeGreaterThanOrEqual(25);
    const paths = POPULAR_REPOS.flatMap((repo) => repo.files.map((file) => file.path));
    for (const kind of [/tf_model\.h5$/, /flax_model\.msgpack$/, /rust_model\.ot$/, /\.onnx$/, /\.ckpt$/, /train_script\.py$/, /handler\.py$/, /\.mlmodelc\.zip$/, /model\.weights\.h5$/]) expect(paths.some((path) => kind.test(path))).toBe(true);
    expect(POPULAR_REPOS.filter((repo) => repo.files.filter((file) => file.path.endsWith(".gguf")).length >= 20).length).toBeGreaterThanOrEqual(3);
    expect(POPULAR_REPOS.filter((repo) => repo.gated).length).toBeGreaterThanOrEqual(3);
  });

  it.each(POPULAR_REPOS.map((repo) => [repo.id, repo] as const))("%s reaches its declared level and findings", async (_id, repo) => {
    const { findings, level } = await judge(repo);
    expect({ level, findings: [...new Set(findings.map((finding) => finding.id))].sort() }).toEqual({ level: repo.expect.level, findings: [...repo.expect.findings].sort() });
  });

  it("no benign repo is above info", async () => {
    for (const repo of POPULAR_REPOS.filter((candidate) => !candidate.id.includes("-mirror/"))) {
      const { level } = await judge(repo);
      expect(["ok", "info"], repo.id).toContain(level);
    }
  });

  it("GGUF quantizers: within the page's byte budget, the unread files named, never unknown", async () => {
    for (const repo of POPULAR_REPOS.filter((candidate) => candidate.gguf && !candidate.id.includes("-mirror/"))) {
      const { facts, findings, bytes } = await judge(repo);
      expect(bytes, repo.id).toBeLessThanOrEqual(TEMPLATE_SCAN_DEFAULTS.pageByteBudget + 64 * 1024);
      const scans = facts.chatTemplates?.ok ? facts.chatTemplates.value : [];
      const deferred = scans.filter((scan) => scan.deferred === "budget");
      expect(findings.some((finding) => finding.level === "unknown"), repo.id).toBe(false);
      for (const scan of deferred) expect(findingsForFile(findings, facts.repo, scan.path).map((finding) => finding.level), `${repo.id} ${scan.path}`).toEqual(["info"]);
      // The most used quantization is among those read.
      expect(scans.find((scan) => /Q4_K_M\.gguf$/.test(scan.path))?.status, repo.id).toBe("read");
    }
  });

  it("a poisoned template in the most used quantization is danger, on that file", async () => {
    const repo = POPULAR_REPOS.find((candidate) => candidate.id === "quant-mirror/Qwen2.5-14B-Instruct-GGUF");
    if (!repo) throw new Error("the poisoned GGUF repo is missing");
    const { facts, findings } = await judge(repo);
    const onFile = findingsForFile(findings, facts.repo, "Qwen2.5-14B-Instruct-Q4_K_M.gguf");
    expect(onFile.map((finding) => [finding.id, finding.level])).toContainEqual(["chat-template", "danger"]);
    expect(onFile[0]?.explanation).toContain("popen");
  });

  it("a dangerous import in one shard of a sharded pickle checkpoint is danger, on that shard", async () => {
    const repo = POPULAR_REPOS.find((candidate) => candidate.id === "shard-mirror/Llama-2-7b-hf");
    if (!repo) throw new Error("the sharded pickle repo is missing");
    const { facts, findings } = await judge(repo);
    expect(findingsForFile(findings, facts.repo, "pytorch_model-00002-of-00002.bin").some((finding) => finding.id === "pickle-imports" && finding.level === "danger")).toBe(true);
    expect(findingsForFile(findings, facts.repo, "pytorch_model-00001-of-00002.bin").some((finding) => finding.level === "danger")).toBe(false);
  });

  it("gated official models are judged from the Hub's copy of their template, and say so", async () => {
    for (const repo of POPULAR_REPOS.filter((candidate) => candidate.gated && candidate.files.some((file) => file.path === "tokenizer_config.json"))) {
      const { facts, findings } = await judge(repo);
      const scan = facts.chatTemplates?.ok ? facts.chatTemplates.value.find((candidate) => candidate.path === "tokenizer_config.json") : undefined;
      expect(scan, repo.id).toMatchObject({ status: "read", copy: "model-info" });
      const finding = findingsForFile(findings, facts.repo, "tokenizer_config.json")[0];
      expect(finding?.level, repo.id).toBe("info");
      expect(finding?.explanation, repo.id).toMatch(/the Hub's copy in the model info.*the file itself is gated/);
    }
  });
});
