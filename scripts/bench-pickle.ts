/**
 * Bytes transferred and time per file for Hub Sentinel's own pickle scan (issue 9), with the
 * extension's own caps (OWN_SCAN_DEFAULTS): every pickle fixture in tests/fixtures/pickles, and a
 * 2 GiB and a 440 MB PyTorch checkpoint served sparsely by the fake Hub over HTTPS (resolve → 302 → storage host,
 * the path a real scan takes). `npm run bench:pickle`; `-- --json` prints one JSON document instead
 * of the table, for the overall benchmark.
 *
 * "transferred" is response body bytes as the Range reader received them; for the 2 GiB file it is
 * also summed from the fake Hub's request log, which is what the end-to-end test checks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OWN_SCAN_DEFAULTS, resolveUrl } from "../lib/hub/own-scans";
import { createRangeReader, type FetchLike } from "../lib/hub/range-reader";
import { scanPickleFile } from "../lib/readers/pickle/scan-file";
import { CATALOGUE } from "../tests/fake-hub/catalogue";
import { fetchViaFakeHub } from "../tests/fake-hub/node-fetch";
import { startFakeHub } from "../tests/fake-hub/server";

/** One file's scan, as `--json` prints it (scripts/bench.ts reads it). */
export interface PickleBenchRow {
  file: string;
  size: number;
  verdict: string;
  requests: number;
  transferred: number;
  ms: number;
  reason?: string;
}

const FIXTURES = fileURLToPath(new URL("../tests/fixtures/pickles/", import.meta.url));
/** Fake Hub files read over HTTPS: the 2 GiB checkpoint, and the 440 MB queued-scan weights. */
const HUB_FILES = [
  ["heavy-lab/big-checkpoint", "pytorch_model.bin"],
  ["quiet-lab/queued-scan", "pytorch_model.bin"],
] as const;

/** A storage host in memory that answers Range requests the way the CDN does. */
function memoryStorage(bytes: Uint8Array): FetchLike {
  return (_url, init) => {
    const match = /^bytes=(\d+)-(\d+)$/.exec(new Headers(init.headers).get("Range") ?? "");
    if (!match) return Promise.resolve(new Response(bytes.slice(), { status: 200 }));
    const start = Number(match[1]);
    if (start >= bytes.length) return Promise.resolve(new Response(null, { status: 416, headers: { "Content-Range": `bytes */${bytes.length}` } }));
    const end = Math.min(Number(match[2]), bytes.length - 1);
    return Promise.resolve(new Response(bytes.slice(start, end + 1), { status: 206, headers: { "Content-Range": `bytes ${start}-${end}/${bytes.length}` } }));
  };
}

async function measure(file: string, size: number, fetch: FetchLike, url: string): Promise<PickleBenchRow> {
  const reader = createRangeReader({ fetch, url });
  const started = performance.now();
  const scan = await scanPickleFile({
    path: file,
    size,
    maxBytes: OWN_SCAN_DEFAULTS.maxBytesPerFile,
    chunkSize: OWN_SCAN_DEFAULTS.chunkSize,
    read: (offset, length) => reader.read(offset, length),
  });
  const ms = performance.now() - started;
  return {
    file,
    size,
    verdict: scan.verdict,
    requests: reader.requests,
    transferred: reader.bytesTransferred,
    ms: Math.round(ms * 10) / 10,
    ...(scan.reason ? { reason: scan.reason } : {}),
  };
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const rows: PickleBenchRow[] = [];
  for (const name of readdirSync(FIXTURES).filter((n) => n !== "README.md" && n !== "manifest.json").sort()) {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
    rows.push(await measure(name, bytes.length, memoryStorage(bytes), `https://huggingface.co/bench/fixtures/resolve/main/${name}`));
  }

  const hub = await startFakeHub();
  try {
    for (const [id, path] of HUB_FILES) {
      const repo = CATALOGUE.find((candidate) => candidate.id === id);
      const file = repo?.files.find((candidate) => candidate.path === path);
      if (!repo || !file) throw new Error(`${id}/${path} is missing from the fake Hub's catalogue`);
      hub.resetLog();
      const row = await measure(`${id}/${path} (fake Hub, HTTPS)`, file.size, fetchViaFakeHub(hub), resolveUrl("https://huggingface.co", repo, "main", path));
      const logged = hub.log.filter((entry) => entry.host !== "huggingface.co").reduce((sum, entry) => sum + entry.bytes, 0);
      if (logged !== row.transferred) row.reason = `${row.reason ? `${row.reason}; ` : ""}hub.log counted ${logged} bytes`;
      rows.push(row);
    }
  } finally {
    await hub.close();
  }

  if (json) {
    console.log(JSON.stringify({ caps: OWN_SCAN_DEFAULTS, files: rows }, null, 2));
    return;
  }
  const header = ["file", "size", "verdict", "requests", "transferred", "ms"];
  const table = rows.map((r) => [r.file, String(r.size), r.verdict, String(r.requests), String(r.transferred), r.ms.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => (cells[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(`caps: ${OWN_SCAN_DEFAULTS.maxBytesPerFile} bytes per file, ${OWN_SCAN_DEFAULTS.chunkSize}-byte reads`);
  console.log(line(header));
  for (const cells of table) console.log(line(cells));
  const total = rows.reduce((sum, r) => sum + r.transferred, 0);
  console.log(`${rows.length} files, ${total} bytes transferred, ${rows.reduce((sum, r) => sum + r.ms, 0).toFixed(1)} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
