import { describe, expect, it } from "vitest";
import { createFactCache } from "../../../lib/hub/cache";
import type { RepoFile } from "../../../lib/hub/facts";
import { createKerasScanner, kerasScanCacheKey } from "../../../lib/hub/keras-scans";
import type { FetchLike } from "../../../lib/hub/range-reader";
import { kerasFixture } from "../keras/fixtures";

const HUB = "https://huggingface.co";
const REPO = { type: "model" as const, id: "keras-tinkerer/model" };
const SHA = "0123456789abcdef0123456789abcdef01234567";

/** `resolve` answering Range requests from files in memory (keyed by path), as the Hub's storage hosts do. */
function fakeResolve(files: Record<string, Uint8Array>) {
  const seen: { path: string; range: string | null; credentials: RequestCredentials | undefined }[] = [];
  const fetch: FetchLike = (input, init) => {
    const url = new URL(input);
    const path = decodeURIComponent(url.pathname.replace(`/${REPO.id}/resolve/${SHA}/`, ""));
    const range = new Headers(init.headers).get("Range");
    seen.push({ path, range, credentials: init.credentials });
    if (init.signal?.aborted) return Promise.reject(new DOMException("aborted", "AbortError"));
    const bytes = files[path];
    if (!bytes) return Promise.resolve(new Response("Entry not found", { status: 404 }));
    const match = /^bytes=(\d+)-(\d+)$/.exec(range ?? "");
    if (!match) return Promise.resolve(new Response(bytes.slice(), { status: 200 }));
    const start = Number(match[1]);
    const end = Math.min(bytes.length - 1, Number(match[2]));
    return Promise.resolve(new Response(bytes.slice(start, end + 1), { status: 206, headers: { "Content-Range": `bytes ${start}-${end}/${bytes.length}` } }));
  };
  return { fetch, seen };
}

const fileOf = (path: string, bytes: Uint8Array, oid?: string): RepoFile => ({ path, size: bytes.length, ...(oid ? { lfsOid: oid } : {}) });

describe("keras scanner", () => {
  const lambdaKeras = kerasFixture("lambda.keras");
  const lambdaH5 = kerasFixture("lambda-v0.h5");

  it("reads each Keras file of the revision by Range without cookies, and reports what it found", async () => {
    const hub = fakeResolve({ "model.keras": lambdaKeras, "legacy/model.h5": lambdaH5 });
    const scanner = createKerasScanner({ fetch: hub.fetch, hubUrl: HUB, cache: createFactCache() });
    const scans = await scanner.scanRepo(REPO, { revision: SHA, files: [{ path: "README.md" }, fileOf("model.keras", lambdaKeras), fileOf("legacy/model.h5", lambdaH5)] });
    expect(scans?.map((scan) => [scan.path, scan.verdict])).toEqual([
      ["model.keras", "lambda"],
      ["legacy/model.h5", "lambda"],
    ]);
    expect(hub.seen.every((request) => /^bytes=\d+-\d+$/.test(request.range ?? "") && request.credentials === "omit")).toBe(true);
    expect(hub.seen.some((request) => request.path === "README.md")).toBe(false);
    expect(scans?.[0]?.requests).toBeGreaterThan(0);
    expect(scans?.[0]?.bytesRead).toBeGreaterThan(0);
  });

  it("no Keras files: undefined (the facts carry no kerasScans)", async () => {
    const hub = fakeResolve({});
    const scanner = createKerasScanner({ fetch: hub.fetch, hubUrl: HUB, cache: createFactCache() });
    expect(await scanner.scanRepo(REPO, { revision: SHA, files: [{ path: "model.safetensors", size: 10 }] })).toBeUndefined();
    expect(hub.seen).toEqual([]);
  });

  it("cached by LFS sha256: the same bytes at another path are not read again", async () => {
    const hub = fakeResolve({ "a.keras": lambdaKeras, "b.keras": lambdaKeras });
    const cache = createFactCache();
    const scanner = createKerasScanner({ fetch: hub.fetch, hubUrl: HUB, cache });
    const oid = "c".repeat(64);
    await scanner.scanRepo(REPO, { revision: SHA, files: [fileOf("a.keras", lambdaKeras, oid)] });
    const before = hub.seen.length;
    const [again] = (await scanner.scanRepo(REPO, { revision: SHA, files: [fileOf("b.keras", lambdaKeras, oid)] })) ?? [];
    expect(hub.seen.length).toBe(before);
    expect(again).toMatchObject({ path: "b.keras", verdict: "lambda" });
    expect(kerasScanCacheKey(REPO, { path: "b.keras", revision: SHA, lfsOid: oid })).toBe(`keras-scan:v1:lfs:${oid}`);
  });

  it("files past the per-repo cap are unknown, saying the cap", async () => {
    const files = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`m${i}.keras`, lambdaKeras]));
    const hub = fakeResolve(files);
    const scanner = createKerasScanner({ fetch: hub.fetch, hubUrl: HUB, cache: createFactCache(), maxFilesPerRepo: 2 });
    const scans = await scanner.scanRepo(REPO, { revision: SHA, files: Object.entries(files).map(([path, bytes]) => fileOf(path, bytes)) });
    expect(scans?.map((scan) => scan.verdict)).toEqual(["lambda", "lambda", "unknown"]);
    expect(scans?.[2]?.reason).toContain("at most 2 Keras files");
  });

  it("a failed read (404, no size, cancelled) is unknown, never clean", async () => {
    const hub = fakeResolve({});
    const scanner = createKerasScanner({ fetch: hub.fetch, hubUrl: HUB, cache: createFactCache() });
    const [missing, sizeless] = (await scanner.scanRepo(REPO, { revision: SHA, files: [fileOf("gone.keras", lambdaKeras), { path: "nosize.h5" }] })) ?? [];
    expect(missing).toMatchObject({ verdict: "unknown" });
    expect(missing?.reason).toContain("404");
    expect(sizeless).toMatchObject({ verdict: "unknown", reason: "not read: the Hub gave no file size" });

    const controller = new AbortController();
    controller.abort();
    const cancelled = await createKerasScanner({ fetch: fakeResolve({ "m.keras": lambdaKeras }).fetch, hubUrl: HUB, cache: createFactCache() }).scanFile(
      REPO,
      { path: "m.keras", revision: SHA, size: lambdaKeras.length },
      controller.signal,
    );
    expect(cancelled.verdict).toBe("unknown");
  });
});
