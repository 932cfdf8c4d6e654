import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnnotationService } from "../../../lib/background/annotation-service";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * File rows of a GGUF repo whose headers the page's byte budget left partly unread (issue 24),
 * against the fake Hub with the real client and rules: the unread rows say so at info, opening a
 * row's mark (`readTemplates`) or the file's page (`always`) reads its header, and it stays read.
 */
describe("rows of a GGUF repo left partly unread for the byte budget", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });
  beforeEach(() => hub.resetLog());

  const repo = { type: "model" as const, id: "bartowski/Qwen2.5-14B-Instruct-GGUF", revision: "main" };
  const Q2 = "Qwen2.5-14B-Instruct-Q2_K.gguf";
  const F16 = "Qwen2.5-14B-Instruct-f16.gguf";
  const Q4 = "Qwen2.5-14B-Instruct-Q4_K_M.gguf";

  function service() {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub) });
    return createAnnotationService({ client, rules: RULES, policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false }), hubUrl: "https://huggingface.co" });
  }
  const storageBytes = () => hub.log.filter((entry) => !entry.path.startsWith("/api/")).reduce((sum, entry) => sum + entry.bytes, 0);

  it("a row left unread says so at info, and can be read; the most used one was read", async () => {
    const rows = service();
    const { files, repoLevel } = await rows.files(repo, [Q4, Q2], {});
    expect(repoLevel).toBe("info");
    expect(files.find((view) => view.path === Q4)).toMatchObject({ level: "ok", templateNote: expect.stringMatching(/read by Hub Sentinel/) as unknown });
    const unread = files.find((view) => view.path === Q2);
    expect(unread).toMatchObject({ level: "info", templateUnread: true });
    expect(unread?.templateNote).toMatch(/not read yet \(the page's 16 MB budget for GGUF headers is spent\): it is read when you open this mark/);
    expect(unread?.findings.map((finding) => finding.id)).toEqual(["chat-template"]);
  });

  it("opening the row's mark reads that header (about 5 MB, one request past the redirect), and it stays read", async () => {
    const rows = service();
    await rows.files(repo, [Q2], {});
    hub.resetLog();
    const { files } = await rows.files(repo, [Q2], { readTemplates: true });
    expect(files[0]).toMatchObject({ path: Q2, level: "ok" });
    expect(files[0]?.templateUnread).toBeUndefined();
    const storage = hub.log.filter((entry) => !entry.path.startsWith("/api/") && entry.status === 206);
    expect(storage).toHaveLength(1);
    expect(storageBytes()).toBeLessThan(6 * 1024 * 1024);
    hub.resetLog();
    const again = await rows.files(repo, [Q2], {});
    expect(again.files[0]).toMatchObject({ level: "ok" });
    expect(storageBytes()).toBe(0);
  });

  it("a file page reads its file's header whatever the budget left", async () => {
    const { files } = await service().files(repo, [F16], { always: true });
    expect(files[0]).toMatchObject({ path: F16, level: "ok" });
  });

  it("without a Hub copy to vouch, a row left unread is unknown", async () => {
    const rows = service();
    // quant-mirror's Q4_K_M differs from the Hub's copy (it escapes): nothing vouches for the rest.
    const { files, repoLevel } = await rows.files({ type: "model", id: "quant-mirror/Qwen2.5-14B-Instruct-GGUF", revision: "main" }, [Q4, Q2], {});
    expect(repoLevel).toBe("danger");
    expect(files.find((view) => view.path === Q4)?.level).toBe("danger");
    expect(files.find((view) => view.path === Q2)?.level).toBe("unknown");
  });
});
