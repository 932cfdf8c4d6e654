import { describe, expect, it } from "vitest";
import { createFactCache } from "../../../lib/hub/cache";
import { createHubClient } from "../../../lib/hub/client";
import type { PullRequest, RepoFile } from "../../../lib/hub/facts";
import { factOf } from "../../../lib/hub/gaps";
import {
  createOwnScanner,
  hubPickleScanDone,
  OWN_SCAN_TTL,
  ownScanCacheKey,
  resolveUrl,
  selectOwnScanTargets,
  type OwnScannerOptions,
} from "../../../lib/hub/own-scans";
import type { FetchLike } from "../../../lib/hub/range-reader";
import { STORAGE_HOST_MATCHES } from "../../../lib/hub/storage-hosts";
import { sparseTorchZip } from "../../fake-hub/file-content";
import { CONVERSION_TITLE, cleanPickleSecurity, file, pickleScanned, pr, security, subScan, TORCH_IMPORTS } from "../../fixtures/facts/builders";
import { fixture } from "../pickle/fixtures";

const HUB = "https://huggingface.co";
const REPO = { type: "model" as const, id: "quiet-lab/queued-scan" };
const SHA = "0123456789abcdef0123456789abcdef01234567";
const queued = () => security("queued", { avScan: subScan("queued"), pickleImportScan: subScan("queued") });

interface Seen {
  url: string;
  storageUrl: string;
  range: string | null;
  credentials: RequestCredentials | undefined;
}

/**
 * A Hub whose `resolve` redirects to a storage host that honours Range, over files in memory
 * (keyed by the URL's path after `/resolve/`). `hold` keeps answers pending until released, to
 * test concurrency and cancellation; a pending answer rejects when its signal aborts, as fetch does.
 */
function fakeStorage(files: Record<string, { size: number; read: (offset: number, length: number) => Promise<Uint8Array> } | Uint8Array | number>) {
  const seen: Seen[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let hold: Promise<void> | undefined;
  const fetch: FetchLike = async (url, init) => {
    const key = decodeURIComponent(url.slice(url.indexOf("/resolve/") + "/resolve/".length));
    const storageUrl = `https://cdn-lfs.hf.co/repos/${encodeURIComponent(key)}`;
    const range = new Headers(init.headers).get("Range");
    seen.push({ url, storageUrl, range, credentials: init.credentials });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (hold) {
        const signal = init.signal;
        await Promise.race([
          hold,
          new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true })),
        ]);
      }
      const entry = files[key];
      if (entry === undefined) return new Response("Entry not found", { status: 404 });
      if (typeof entry === "number") return new Response("Internal Error", { status: entry });
      const source = entry instanceof Uint8Array ? { size: entry.length, read: (o: number, l: number) => Promise.resolve(entry.slice(o, o + l)) } : entry;
      const match = /^bytes=(\d+)-(\d+)$/.exec(range ?? "");
      if (!match) return new Response("Range required", { status: 400 });
      const start = Number(match[1]);
      const end = Math.min(Number(match[2]), source.size - 1);
      const body = await source.read(start, end - start + 1);
      const response = new Response(new Uint8Array(body), { status: 206, headers: { "Content-Range": `bytes ${start}-${end}/${source.size}` } });
      Object.defineProperty(response, "url", { value: storageUrl });
      return response;
    } finally {
      inFlight--;
    }
  };
  return {
    fetch,
    seen,
    maxInFlight: () => maxInFlight,
    hold() {
      let release = () => {};
      hold = new Promise<void>((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

function scanner(fetch: FetchLike, extra: Partial<OwnScannerOptions> = {}, clock = { now: 1_000_000 }) {
  const cache = createFactCache({ now: () => clock.now });
  return { scanner: createOwnScanner({ fetch, hubUrl: HUB, cache, ...extra }), cache, clock };
}

const posixTorch = fixture("posix-system-torch.pt");
const benignTorch = fixture("benign-torch.pt");

describe("which files get Hub Sentinel's own scan", () => {
  const files: RepoFile[] = [
    file("README.md", { size: 300 }),
    file("model.safetensors", { size: 900, lfsOid: "s".repeat(64), security: queued() }),
    file("pytorch_model.bin", { size: 1000, lfsOid: "a".repeat(64), security: queued() }),
    file("errored.pt", { size: 1000, security: security("error", { pickleImportScan: subScan("error") }) }),
    file("never-scanned.ckpt", { size: 1000, security: security("unscanned") }),
    file("no-status.pkl", { size: 1000 }),
    file("no-pickle-scan.bin", { size: 1000, security: { status: "safe", scans: { avScan: subScan("safe") } } }),
    file("clean.bin", { size: 1000, security: cleanPickleSecurity() }),
    file("flagged.bin", { size: 1000, security: pickleScanned([{ module: "posix", name: "system", safety: "dangerous" }], "unsafe") }),
    file("caution.joblib", { size: 1000, security: pickleScanned([{ module: "sklearn.pipeline", name: "Pipeline", safety: "suspicious" }], "caution") }),
    file("archive.7z", { size: 1000, security: security("queued") }),
  ];

  it("reads pickle-format files whose Hub pickle scan is queued, errored, not run or missing; never a completed one", () => {
    const { targets, overCap } = selectOwnScanTargets({ revision: SHA, files, maxFiles: 20 });
    expect(targets.map((t) => t.path)).toEqual(["pytorch_model.bin", "errored.pt", "never-scanned.ckpt", "no-status.pkl", "no-pickle-scan.bin", "archive.7z"]);
    expect(overCap).toEqual([]);
    expect(targets[0]).toEqual({ path: "pytorch_model.bin", revision: SHA, size: 1000, lfsOid: "a".repeat(64) });
  });

  it.each([
    ["safe with a pickle-import result", cleanPickleSecurity(), true],
    ["unsafe", pickleScanned([], "unsafe"), true],
    ["queued", queued(), false],
    ["safe overall, pickle scan queued", security("safe", { pickleImportScan: subScan("queued") }), false],
    ["no status", undefined, false],
  ])("hubPickleScanDone: %s → %s", (_name, status, done) => {
    expect(hubPickleScanDone(file("x.bin", status ? { security: status } : {}))).toBe(done);
  });

  it("adds pickle files an open conversion-looking PR adds or modifies, read at refs/pr/N; not removed, not merged, not safetensors", () => {
    const prs: PullRequest[] = [
      pr(7, {
        title: CONVERSION_TITLE,
        author: "SFconvert-bot",
        changedFiles: factOf([
          { path: "model.safetensors", change: "added", size: 10 },
          { path: "pytorch_model.bin", change: "modified", size: 2000, lfsOid: "b".repeat(64) },
          { path: "old.pt", change: "removed" },
        ]),
      }),
      pr(4, { title: CONVERSION_TITLE, author: "SFconvertbot", status: "merged", changedFiles: factOf([{ path: "evil.bin", change: "added", size: 5 }]) }),
      pr(5, { title: "Update README.md" }),
    ];
    const { targets } = selectOwnScanTargets({ revision: SHA, files: [file("clean.bin", { size: 1, security: cleanPickleSecurity() })], pullRequests: prs, maxFiles: 6 });
    expect(targets).toEqual([{ path: "pytorch_model.bin", revision: "refs/pr/7", pr: 7, size: 2000, lfsOid: "b".repeat(64) }]);
  });

  it("caps files per repo: the viewed revision's files first, the rest reported as over the cap", () => {
    const prs = [pr(7, { title: CONVERSION_TITLE, changedFiles: factOf([{ path: "pr.bin", change: "added" as const, size: 5 }]) })];
    const { targets, overCap } = selectOwnScanTargets({ revision: SHA, files, pullRequests: prs, maxFiles: 2 });
    expect(targets.map((t) => t.path)).toEqual(["pytorch_model.bin", "errored.pt"]);
    expect(overCap.map((t) => t.path)).toEqual(["never-scanned.ckpt", "no-status.pkl", "no-pickle-scan.bin", "archive.7z", "pr.bin"]);
  });
});

describe("zips are read whatever the Hub said (issue 24)", () => {
  it("a zip the Hub judged is read too, after the files it has not judged and the PR files: only its directory tells whether it is pickle weights", () => {
    const withZips: RepoFile[] = [
      file("coreml/Unet.mlmodelc.zip", { size: 5000, lfsOid: "c".repeat(64), security: cleanPickleSecurity() }),
      file("flagged.zip", { size: 5000, security: pickleScanned([{ module: "posix", name: "system", safety: "dangerous" }], "unsafe") }),
      file("queued.zip", { size: 5000, security: queued() }),
      file("clean.bin", { size: 1000, security: cleanPickleSecurity() }),
      file("pytorch_model.bin", { size: 1000, security: queued() }),
    ];
    const prs = [pr(7, { title: CONVERSION_TITLE, changedFiles: factOf([{ path: "pr.bin", change: "added" as const, size: 5 }]) })];
    const { targets, overCap } = selectOwnScanTargets({ revision: SHA, files: withZips, pullRequests: prs, maxFiles: 4 });
    expect(targets.map((t) => t.path)).toEqual(["queued.zip", "pytorch_model.bin", "pr.bin", "coreml/Unet.mlmodelc.zip"]);
    expect(overCap.map((t) => t.path)).toEqual(["flagged.zip"]);
  });
});

describe("resolve URLs and cache keys", () => {
  it.each([
    [{ type: "model" as const, id: "acme/m" }, "main", "pytorch_model.bin", "https://huggingface.co/acme/m/resolve/main/pytorch_model.bin"],
    [{ type: "dataset" as const, id: "acme/d" }, "refs/pr/3", "data/feat ures.pkl", "https://huggingface.co/datasets/acme/d/resolve/refs%2Fpr%2F3/data/feat%20ures.pkl"],
    [{ type: "space" as const, id: "acme/s" }, "v1.0", "ckpt/#1.pt", "https://huggingface.co/spaces/acme/s/resolve/v1.0/ckpt/%231.pt"],
  ])("%j at %s: %s", (repo, revision, path, url) => {
    expect(resolveUrl(`${HUB}/`, repo, revision, path)).toBe(url);
  });

  it("keys by LFS sha256 when there is one (shared across repos and paths), else by repo, revision and path", () => {
    expect(ownScanCacheKey(REPO, { path: "a.bin", revision: SHA, lfsOid: "f".repeat(64) })).toBe(ownScanCacheKey({ type: "model", id: "x/y" }, { path: "b.bin", revision: "main", lfsOid: "f".repeat(64) }));
    expect(ownScanCacheKey(REPO, { path: "a.pkl", revision: SHA })).not.toBe(ownScanCacheKey(REPO, { path: "a.pkl", revision: "refs/pr/1" }));
  });

  it("the storage hosts are https patterns under hf.co only, and cover the fake Hub's storage host", () => {
    for (const pattern of STORAGE_HOST_MATCHES) expect(pattern).toMatch(/^https:\/\/(\*\.)?[a-z0-9.-]+\.hf\.co\/\*$/);
    expect(STORAGE_HOST_MATCHES).toContain("https://cdn-lfs.hf.co/*");
    expect(STORAGE_HOST_MATCHES).toContain("https://cas-bridge.xethub.hf.co/*");
  });
});

describe("scanning a repo", () => {
  it("reads the import of a queued PyTorch zip by Range requests, anonymously, and finds posix.system", async () => {
    const hub = fakeStorage({ [`${SHA}/pytorch_model.bin`]: posixTorch });
    const { scanner: own } = scanner(hub.fetch);
    const scans = await own.scanRepo(REPO, { revision: SHA, files: [file("pytorch_model.bin", { size: posixTorch.length, lfsOid: "a".repeat(64), security: queued() })] });
    expect(scans).toHaveLength(1);
    expect(scans?.[0]).toMatchObject({ path: "pytorch_model.bin", verdict: "dangerous" });
    expect(scans?.[0]?.imports).toContainEqual({ module: "posix", name: "system", safety: "dangerous" });
    expect(scans?.[0]?.imports).toEqual(expect.arrayContaining(TORCH_IMPORTS));
    expect(hub.seen.length).toBeGreaterThan(0);
    for (const request of hub.seen) {
      expect(request.url).toBe(`${HUB}/quiet-lab/queued-scan/resolve/${SHA}/pytorch_model.bin`);
      expect(request.credentials).toBe("omit");
      expect(request.range).toMatch(/^bytes=\d+-\d+$/);
    }
  });

  it("gives nothing when no file needs it, and makes no request", async () => {
    const hub = fakeStorage({});
    const { scanner: own } = scanner(hub.fetch);
    expect(await own.scanRepo(REPO, { revision: SHA, files: [file("clean.bin", { size: 10, security: cleanPickleSecurity() }), file("config.json", { size: 10 })] })).toBeUndefined();
    expect(hub.seen).toEqual([]);
  });

  it("judges a 2 GB checkpoint from its start and end: well under 1 MB fetched", async () => {
    const big = sparseTorchZip(fixture("posix-system.pkl"), 2 * 1024 ** 3);
    const hub = fakeStorage({ [`${SHA}/pytorch_model.bin`]: big });
    const { scanner: own } = scanner(hub.fetch);
    const [scan] = (await own.scanRepo(REPO, { revision: SHA, files: [file("pytorch_model.bin", { size: big.size, security: queued() })] })) ?? [];
    expect(scan).toMatchObject({ verdict: "dangerous" });
    expect(big.served()).toBeLessThan(1024 * 1024);
    expect(scan?.bytesRead).toBe(big.served());
  });

  it("reports a 7z archive, a too-large file and a failing host as unknown with the reason, never clean", async () => {
    const hub = fakeStorage({
      [`${SHA}/weights.7z`]: fixture("archive.7z"),
      [`${SHA}/big.pt`]: sparseTorchZip(fixture("benign-plain.pkl"), 10 * 1024 * 1024),
      [`${SHA}/broken.bin`]: 500,
    });
    // 8 KiB: less than the first look at big.pt's start and end (4 + 8 KiB).
    const { scanner: own } = scanner(hub.fetch, { maxBytesPerFile: 8 * 1024 });
    const scans = await own.scanRepo(REPO, {
      revision: SHA,
      files: [
        file("weights.7z", { size: 32, security: queued() }),
        file("big.pt", { size: 10 * 1024 * 1024, security: queued() }),
        file("broken.bin", { size: 5000, security: queued() }),
        file("sizeless.bin", { security: queued() }),
      ],
    });
    expect(scans?.map((s) => [s.path, s.verdict])).toEqual([
      ["weights.7z", "unknown"],
      ["big.pt", "unknown"],
      ["broken.bin", "unknown"],
      ["sizeless.bin", "unknown"],
    ]);
    expect(scans?.[0]?.reason).toMatch(/7z/);
    expect(scans?.[1]?.reason).toMatch(/byte cap/);
    expect(scans?.[2]?.reason).toMatch(/HTTP 500/);
    expect(scans?.[3]?.reason).toMatch(/no file size/);
    expect(hub.seen.some((s) => s.url.endsWith("/sizeless.bin"))).toBe(false);
  });

  it("reads at most maxFilesPerRepo files; the others are unknown, named, and not requested", async () => {
    const names = ["a.bin", "b.bin", "c.bin"];
    const hub = fakeStorage(Object.fromEntries(names.map((n) => [`${SHA}/${n}`, benignTorch])));
    const { scanner: own } = scanner(hub.fetch, { maxFilesPerRepo: 1 });
    const scans = await own.scanRepo(REPO, { revision: SHA, files: names.map((n) => file(n, { size: benignTorch.length, security: queued() })) });
    expect(scans?.map((s) => [s.path, s.verdict])).toEqual([
      ["a.bin", "clean"],
      ["b.bin", "unknown"],
      ["c.bin", "unknown"],
    ]);
    expect(scans?.[1]?.reason).toMatch(/at most 1 pickle files per repo/);
    expect(new Set(hub.seen.map((s) => s.url.split("/").pop()))).toEqual(new Set(["a.bin"]));
  });

  it("reads a PR's changed pickle at refs/pr/N and marks the result with the PR", async () => {
    const hub = fakeStorage({ "refs/pr/7/pytorch_model.bin": fixture("exec-torch.pt") });
    const { scanner: own } = scanner(hub.fetch);
    const prs = [pr(7, { title: CONVERSION_TITLE, changedFiles: factOf([{ path: "pytorch_model.bin", change: "modified" as const, size: fixture("exec-torch.pt").length }]) })];
    const scans = await own.scanRepo(REPO, { revision: SHA, files: [file("pytorch_model.bin", { size: 10, security: cleanPickleSecurity() })], pullRequests: prs });
    expect(scans).toEqual([expect.objectContaining({ path: "pytorch_model.bin", pr: 7, verdict: "dangerous" })]);
    expect(hub.seen[0]?.url).toBe(`${HUB}/quiet-lab/queued-scan/resolve/refs%2Fpr%2F7/pytorch_model.bin`);
  });

  it("reads at most `concurrency` files at once", async () => {
    const names = ["a.bin", "b.bin", "c.bin", "d.bin"];
    const hub = fakeStorage(Object.fromEntries(names.map((n) => [`${SHA}/${n}`, benignTorch])));
    const { scanner: own } = scanner(hub.fetch, { concurrency: 2 });
    await own.scanRepo(REPO, { revision: SHA, files: names.map((n, i) => file(n, { size: benignTorch.length, lfsOid: String(i).repeat(64), security: queued() })) });
    expect(hub.seen.length).toBeGreaterThanOrEqual(4);
    expect(hub.maxInFlight()).toBe(2);
  });
});

describe("caching by file hash", () => {
  const lfsOid = "c".repeat(64);

  it("keeps a verdict for the same bytes: another repo or path with that sha256 costs no request", async () => {
    const hub = fakeStorage({ [`${SHA}/pytorch_model.bin`]: posixTorch });
    const { scanner: own, clock } = scanner(hub.fetch);
    await own.scanRepo(REPO, { revision: SHA, files: [file("pytorch_model.bin", { size: posixTorch.length, lfsOid, security: queued() })] });
    const requests = hub.seen.length;
    clock.now += 7 * 24 * 60 * 60 * 1000;
    const again = await own.scanRepo({ type: "model", id: "mirror/copy" }, { revision: "main", files: [file("weights/copy.bin", { size: posixTorch.length, lfsOid, security: queued() })] });
    expect(hub.seen.length).toBe(requests);
    expect(again).toEqual([expect.objectContaining({ path: "weights/copy.bin", verdict: "dangerous" })]);
  });

  it("keeps a failed read only briefly: after OWN_SCAN_TTL.failed it is read again", async () => {
    const files: Record<string, Uint8Array | number> = { [`${SHA}/pytorch_model.bin`]: 503 };
    const hub = fakeStorage(files);
    const { scanner: own, clock } = scanner(hub.fetch);
    const input = { revision: SHA, files: [file("pytorch_model.bin", { size: posixTorch.length, lfsOid, security: queued() })] };
    expect((await own.scanRepo(REPO, input))?.[0]?.verdict).toBe("unknown");
    const afterFirst = hub.seen.length;
    await own.scanRepo(REPO, input);
    expect(hub.seen.length).toBe(afterFirst);
    files[`${SHA}/pytorch_model.bin`] = posixTorch;
    clock.now += OWN_SCAN_TTL.failed + 1;
    expect((await own.scanRepo(REPO, input))?.[0]?.verdict).toBe("dangerous");
    expect(hub.seen.length).toBeGreaterThan(afterFirst);
  });

  it("stores results in the persistent store under the sha256 key", async () => {
    const stored = new Map<string, unknown>();
    const cache = createFactCache({
      store: {
        get: (key) => Promise.resolve(stored.get(key) as { value: unknown; expiresAt: number } | undefined),
        set: (key, value, expiresAt) => {
          stored.set(key, JSON.parse(JSON.stringify({ value, expiresAt })));
          return Promise.resolve();
        },
        clear: () => Promise.resolve(stored.clear()),
      },
    });
    const hub = fakeStorage({ [`${SHA}/pytorch_model.bin`]: posixTorch });
    const own = createOwnScanner({ fetch: hub.fetch, hubUrl: HUB, cache });
    await own.scanRepo(REPO, { revision: SHA, files: [file("pytorch_model.bin", { size: posixTorch.length, lfsOid, security: queued() })] });
    expect(stored.get(`own-scan:v2:lfs:${lfsOid}`)).toMatchObject({ value: { verdict: "dangerous" } });
  });
});

describe("cancellation and time limits", () => {
  it("stops with the tab's signal: unknown, no further requests, nothing cached", async () => {
    const hub = fakeStorage({ [`${SHA}/pytorch_model.bin`]: posixTorch });
    const { scanner: own } = scanner(hub.fetch);
    const release = hub.hold();
    const controller = new AbortController();
    const input = { revision: SHA, files: [file("pytorch_model.bin", { size: posixTorch.length, lfsOid: "d".repeat(64), security: queued() })] };
    const pending = own.scanRepo(REPO, input, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const [scan] = (await pending) ?? [];
    release();
    expect(scan?.verdict).toBe("unknown");
    expect(hub.seen).toHaveLength(1);
    // Not cached: the next page view reads the file.
    expect((await own.scanRepo(REPO, input))?.[0]?.verdict).toBe("dangerous");
  });

  it("gives up on a file after timeoutMs and says so", async () => {
    const hub = fakeStorage({ [`${SHA}/pytorch_model.bin`]: posixTorch });
    const { scanner: own } = scanner(hub.fetch, { timeoutMs: 30 });
    const release = hub.hold();
    const [scan] = (await own.scanRepo(REPO, { revision: SHA, files: [file("pytorch_model.bin", { size: posixTorch.length, security: queued() })] })) ?? [];
    release();
    expect(scan?.verdict).toBe("unknown");
    expect(scan?.reason).toMatch(/reading stopped after 0.03 s/);
  });
});

describe("in the Hub client", () => {
  it("ownScans: false leaves the facts without own scans", async () => {
    const requests: string[] = [];
    const fetch = ((input: RequestInfo | URL) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      requests.push(url);
      if (url.includes("/revision/")) {
        return Promise.resolve(Response.json({ id: "quiet-lab/queued-scan", sha: SHA, siblings: [{ rfilename: "pytorch_model.bin" }], securityRepoStatus: { scansDone: false, filesWithIssues: [] } }));
      }
      if (url.includes("/paths-info/")) {
        return Promise.resolve(Response.json([{ type: "file", path: "pytorch_model.bin", oid: "x", size: 10, securityFileStatus: { status: "queued", pickleImportScan: { status: "queued" } } }]));
      }
      if (url.includes("/discussions")) return Promise.resolve(Response.json({ discussions: [], count: 0, start: 0 }));
      return Promise.resolve(Response.json({ type: "user", user: "quiet-lab" }));
    }) as typeof globalThis.fetch;
    const client = createHubClient({ fetch, ownScans: false });
    const facts = await client.gatherRepoFacts({ type: "model", id: "quiet-lab/queued-scan", revision: "main" });
    expect(facts.files.ok).toBe(true);
    expect(facts.ownScans).toBeUndefined();
    expect(requests.some((url) => url.includes("/resolve/"))).toBe(false);
  });
});
