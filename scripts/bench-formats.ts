/**
 * Bytes and requests per file for Hub Sentinel's own readers of non-pickle model formats (issue 16),
 * with the extension's own caps. Table-driven: each row names a file and how its bytes are served;
 * add a row (or a row builder) per format. `node --import tsx scripts/bench-formats.ts`
 * (`-- --json` prints one JSON document instead of the table).
 *
 * Keras rows: every generated fixture in tests/fixtures/keras as is; the same archives rebuilt
 * around 2 GB of virtual weights and the HDF5 files followed by virtual zeros (what a real model
 * file looks like: the config is a few KB in front of, or behind, gigabytes); and the catalogue's
 * Keras files read through the fake Hub over HTTPS (resolve → 302 → storage host), the path the
 * extension takes. Budget (issue 16): a `.keras` costs at most 64 KiB plus its config.json.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createFactCache } from "../lib/hub/cache";
import { createKerasScanner } from "../lib/hub/keras-scans";
import { KERAS_SCAN_DEFAULTS, scanKerasFile } from "../lib/readers/keras/scan-keras-file";
import { readRootAttribute } from "../lib/readers/hdf5/hdf5-reader";
import { bufferReader, memberDataOffset, readZipDirectory, type ReadAt } from "../lib/readers/zip/zip";
import { CATALOGUE } from "../tests/fake-hub/catalogue";
import { fetchViaFakeHub } from "../tests/fake-hub/node-fetch";
import { startFakeHub } from "../tests/fake-hub/server";
import { buildSparseZip } from "../tests/unit/pickle/sparse-zip";
import { kerasFixture } from "../tests/unit/keras/fixtures";

export interface FormatBenchRow {
  file: string;
  format: string;
  size: number;
  verdict: string;
  requests: number;
  /** Bytes fetched in all. */
  transferred: number;
  /** Bytes of the config itself (config.json compressed, model_config): the budget is on the rest. */
  configBytes: number;
  ms: number;
  reason?: string;
}

interface Served {
  size: number;
  read: ReadAt;
}

/** A row to measure: where the bytes come from, and how large its config is. */
interface BenchCase {
  file: string;
  path: string;
  serve: () => Promise<Served>;
}

const KERAS_DIR = fileURLToPath(new URL("../tests/fixtures/keras/", import.meta.url));
const VIRTUAL_WEIGHTS = 2_000_000_000;
const VIRTUAL_HDF5 = 500_000_000;

function counting(served: Served): Served & { requests: () => number; bytes: () => number } {
  let requests = 0;
  let bytes = 0;
  return {
    size: served.size,
    read: async (offset, length) => {
      requests++;
      const out = await served.read(offset, length);
      bytes += out.length;
      return out;
    },
    requests: () => requests,
    bytes: () => bytes,
  };
}

async function zipMembers(bytes: Uint8Array): Promise<{ name: string; data: Uint8Array }[]> {
  const read = bufferReader(bytes);
  const directory = await readZipDirectory(read, bytes.length);
  const out: { name: string; data: Uint8Array }[] = [];
  for (const entry of directory.entries) {
    if (entry.name !== "metadata.json" && entry.name !== "config.json") continue;
    const offset = await memberDataOffset(read, entry, bytes.length);
    const raw = bytes.slice(offset, offset + entry.compressedSize);
    const data = entry.method === 0 ? raw : new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer());
    out.push({ name: entry.name, data });
  }
  return out;
}

/** The size of the config a file carries, as stored (what the reader must fetch whatever the budget). */
async function configBytesOf(path: string, served: Served): Promise<number> {
  try {
    if (path.endsWith(".keras")) {
      const directory = await readZipDirectory(served.read, served.size);
      return directory.entries.find((entry) => entry.name === "config.json")?.compressedSize ?? 0;
    }
    const value = (await readRootAttribute(served.read, served.size, "model_config", { maxValueBytes: 64 * 1024 * 1024 })).value;
    return value === undefined ? 0 : new TextEncoder().encode(value).length;
  } catch {
    return 0;
  }
}

function padded(bytes: Uint8Array, size: number): Served {
  return {
    size,
    read: (offset, length) => {
      const end = Math.min(size, offset + length);
      const out = new Uint8Array(Math.max(0, end - offset));
      if (offset < bytes.length) out.set(bytes.subarray(offset, Math.min(bytes.length, end)));
      return Promise.resolve(out);
    },
  };
}

function kerasCases(): BenchCase[] {
  const names = readdirSync(KERAS_DIR).filter((name) => /\.(keras|h5)$/.test(name)).sort();
  const asIs = names.map<BenchCase>((name) => ({
    file: name,
    path: name,
    serve: () => {
      const bytes = kerasFixture(name);
      return Promise.resolve({ size: bytes.length, read: bufferReader(bytes) });
    },
  }));
  const large = names.map<BenchCase>((name) =>
    name.endsWith(".keras")
      ? {
          file: `${name} + 2 GB weights`,
          path: name,
          serve: async () => {
            const zip = buildSparseZip([...(await zipMembers(kerasFixture(name))), { name: "model.weights.h5", data: VIRTUAL_WEIGHTS }], false);
            return { size: zip.size, read: zip.read };
          },
        }
      : { file: `${name} + zeros to 500 MB`, path: name, serve: () => Promise.resolve(padded(kerasFixture(name), VIRTUAL_HDF5)) },
  );
  return [...asIs, ...large];
}

async function measure(row: BenchCase): Promise<FormatBenchRow> {
  const served = counting(await row.serve());
  const configBytes = await configBytesOf(row.path, await row.serve());
  const started = performance.now();
  const scan = await scanKerasFile({ path: row.path, size: served.size, read: served.read, ...KERAS_SCAN_DEFAULTS });
  return {
    file: row.file,
    format: scan.format ?? "?",
    size: served.size,
    verdict: scan.verdict,
    requests: served.requests(),
    transferred: served.bytes(),
    configBytes,
    ms: Math.round(performance.now() - started),
    ...(scan.reason ? { reason: scan.reason } : {}),
  };
}

/** The catalogue's Keras files through the fake Hub over HTTPS, with the extension's scanner and caps. */
async function hubRows(): Promise<FormatBenchRow[]> {
  const hub = await startFakeHub();
  try {
    const rows: FormatBenchRow[] = [];
    for (const repo of CATALOGUE) {
      const files = repo.files.filter((file) => /\.(keras|h5|hdf5)$/.test(file.path) && file.content !== undefined);
      if (files.length === 0) continue;
      const scanner = createKerasScanner({ fetch: fetchViaFakeHub(hub), hubUrl: "https://huggingface.co", cache: createFactCache() });
      for (const file of files) {
        const started = performance.now();
        const scan = await scanner.scanFile(repo, { path: file.path, revision: "main", size: file.size });
        rows.push({
          file: `${repo.id}/${file.path} (fake Hub)`,
          format: scan.format ?? "?",
          size: file.size,
          verdict: scan.verdict,
          requests: scan.requests,
          transferred: scan.bytesRead,
          configBytes: 0,
          ms: Math.round(performance.now() - started),
          ...(scan.reason ? { reason: scan.reason } : {}),
        });
      }
    }
    return rows;
  } finally {
    await hub.close();
  }
}

/** Every format's rows; GGUF and tokenizer rows join here (issue 16, the chat-template half). */
export async function formatBenchRows(): Promise<FormatBenchRow[]> {
  const rows: FormatBenchRow[] = [];
  for (const row of kerasCases()) rows.push(await measure(row));
  rows.push(...(await hubRows()));
  return rows;
}

function table(rows: FormatBenchRow[]): string {
  const header = ["file", "format", "size", "verdict", "requests", "transferred", "config", "beyond config", "ms"];
  const lines = rows.map((row) => [
    row.file,
    row.format,
    String(row.size),
    row.verdict,
    String(row.requests),
    String(row.transferred),
    row.configBytes ? String(row.configBytes) : "-",
    row.configBytes ? String(row.transferred - row.configBytes) : "-",
    String(row.ms),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? "").length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  return [format(header), format(widths.map((width) => "-".repeat(width))), ...lines.map(format)].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await formatBenchRows();
  if (process.argv.includes("--json")) console.log(JSON.stringify({ rows }, null, 2));
  else {
    console.log(table(rows));
    const keras = rows.filter((row) => row.file.includes(".keras + 2 GB"));
    const worst = Math.max(...keras.map((row) => row.transferred - row.configBytes));
    console.log(`\n.keras with 2 GB of weights: at most ${worst} bytes beyond config.json (budget 65536), ${Math.max(...keras.map((row) => row.requests))} requests`);
  }
}
