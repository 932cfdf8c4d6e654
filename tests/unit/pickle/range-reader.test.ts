import { describe, expect, it } from "vitest";
import { createRangeReader, parseContentRange, RangeReadError, type FetchLike } from "../../../lib/hub/range-reader";
import { scanPickleFile } from "../../../lib/readers/pickle/scan-file";
import { fixture } from "./fixtures";

const URL_ = "https://huggingface.co/acme/model/resolve/main/pytorch_model.bin";
const STORAGE = "https://cdn-lfs.hf.co/repos/ab/cd/sha256";

interface Seen {
  url: string;
  range: string | null;
  credentials: RequestCredentials | undefined;
  redirect: RequestRedirect | undefined;
}

/** A fake storage server over bytes: honours Range like the Hub's CDN, after a redirect. */
function fakeHub(bytes: Uint8Array, mode: "range" | "ignore-range" | "status" = "range", status = 404): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: FetchLike = (url, init) => {
    const headers = new Headers(init.headers);
    seen.push({ url, range: headers.get("Range"), credentials: init.credentials, redirect: init.redirect });
    let response: Response;
    if (mode === "status") response = new Response("{\"error\":\"nope\"}", { status });
    else if (mode === "ignore-range") {
      // The whole file, streamed in 64 KiB chunks as a network would deliver it.
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(sent, sent + 65536));
          sent += 65536;
        },
      });
      response = new Response(body, { status: 200, headers: { "Content-Length": String(bytes.length) } });
    }
    else {
      const match = /^bytes=(\d+)-(\d+)$/.exec(headers.get("Range") ?? "");
      const start = Number(match?.[1]);
      const end = Math.min(Number(match?.[2]), bytes.length - 1);
      response =
        start >= bytes.length
          ? new Response(null, { status: 416, headers: { "Content-Range": `bytes */${bytes.length}` } })
          : new Response(bytes.slice(start, end + 1), { status: 206, headers: { "Content-Range": `bytes ${start}-${end}/${bytes.length}` } });
    }
    // fetch followed the Hub's redirect to the storage host.
    Object.defineProperty(response, "url", { value: STORAGE });
    return Promise.resolve(response);
  };
  return { fetch, seen };
}

describe("parseContentRange", () => {
  it.each([
    ["bytes 0-99/1234", { start: 0, end: 99, total: 1234 }],
    ["bytes 5-5/*", { start: 5, end: 5, total: undefined }],
    ["items 0-1/2", undefined],
    [null, undefined],
  ])("%s", (header, expected) => expect(parseContentRange(header)).toEqual(expected));
});

describe("createRangeReader", () => {
  it("sends Range without credentials, learns the size and counts bytes", async () => {
    const bytes = fixture("benign-torch.pt");
    const hub = fakeHub(bytes);
    const reader = createRangeReader({ fetch: hub.fetch, url: URL_ });
    expect(reader.size).toBeUndefined();
    const part = await reader.read(10, 20);
    expect([...part]).toEqual([...bytes.slice(10, 30)]);
    expect(reader.size).toBe(bytes.length);
    expect(reader.bytesTransferred).toBe(20);
    expect(reader.requests).toBe(1);
    expect(reader.finalUrl).toBe(STORAGE);
    expect(hub.seen[0]).toEqual({ url: URL_, range: "bytes=10-29", credentials: "omit", redirect: "follow" });
  });

  it("returns fewer bytes at the end of the file and nothing past it", async () => {
    const bytes = fixture("benign-plain.pkl");
    const reader = createRangeReader({ fetch: fakeHub(bytes).fetch, url: URL_ });
    expect((await reader.read(40, 100)).length).toBe(bytes.length - 40);
    expect((await reader.read(bytes.length, 10)).length).toBe(0);
  });

  it("fails clearly when the server ignores Range, after reading no more than asked", async () => {
    const bytes = new Uint8Array(5 * 1024 * 1024);
    const reader = createRangeReader({ fetch: fakeHub(bytes, "ignore-range").fetch, url: URL_ });
    const error = await reader.read(0, 1024).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeReadError);
    expect(error).toMatchObject({ kind: "range-ignored", status: 200 });
    expect(reader.bytesTransferred).toBeLessThan(1024 * 1024);
  });

  it.each([
    [401, "http"],
    [403, "http"],
    [404, "http"],
    [429, "http"],
  ])("HTTP %i → RangeReadError(%s)", async (status, kind) => {
    const reader = createRangeReader({ fetch: fakeHub(new Uint8Array(1), "status", status).fetch, url: URL_ });
    await expect(reader.read(0, 10)).rejects.toMatchObject({ kind, status });
  });

  it("416 teaches the size", async () => {
    const reader = createRangeReader({ fetch: fakeHub(new Uint8Array(100)).fetch, url: URL_ });
    await expect(reader.read(500, 10)).rejects.toMatchObject({ kind: "bad-range", status: 416 });
    expect(reader.size).toBe(100);
  });

  it("rejects a 206 for another range", async () => {
    const fetch: FetchLike = () => Promise.resolve(new Response(new Uint8Array(10), { status: 206, headers: { "Content-Range": "bytes 0-9/100" } }));
    await expect(createRangeReader({ fetch, url: URL_ }).read(50, 10)).rejects.toMatchObject({ kind: "bad-range" });
  });

  it("network errors and aborts are typed", async () => {
    const failing: FetchLike = () => Promise.reject(new TypeError("Failed to fetch"));
    await expect(createRangeReader({ fetch: failing, url: URL_ }).read(0, 1)).rejects.toMatchObject({ kind: "network" });
    const controller = new AbortController();
    controller.abort();
    const aborting: FetchLike = (_url, init) => Promise.reject(new DOMException(`aborted: ${String(init.signal?.aborted)}`, "AbortError"));
    await expect(createRangeReader({ fetch: aborting, url: URL_, signal: controller.signal }).read(0, 1)).rejects.toMatchObject({ kind: "aborted" });
  });

  it("feeds scanPickleFile; a server ignoring Range gives unknown, not clean", async () => {
    const bytes = fixture("exec-torch.pt");
    const good = createRangeReader({ fetch: fakeHub(bytes).fetch, url: URL_ });
    const scan = await scanPickleFile({ path: "pytorch_model.bin", size: bytes.length, read: good.read, maxBytes: 1 << 20 });
    expect(scan.verdict).toBe("dangerous");
    expect(scan.bytesRead).toBe(good.bytesTransferred);

    const benign = fixture("benign-torch.pt");
    const bad = createRangeReader({ fetch: fakeHub(benign, "ignore-range").fetch, url: URL_ });
    const refused = await scanPickleFile({ path: "pytorch_model.bin", size: benign.length, read: bad.read, maxBytes: 1 << 20 });
    expect(refused.verdict).toBe("unknown");
    expect(refused.reason).toMatch(/ignored the Range request/);
  });
});
