/**
 * Bytes and requests per GGUF for reading its chat template (issue 16), through the extension's
 * own path: the template scanner (lib/hub/template-scans.ts) with its default caps, which reads the
 * header's metadata with our GGUF reader (lib/readers/gguf) in Range requests of its chunk size,
 * up to the end of the metadata (token types and scores stepped over). Table-driven: each case is a real GGUF v3
 * header (tests/fake-hub/gguf-fixture.ts) in front of gigabytes of virtual zeros, served by Range
 * from memory; the last rows go over HTTPS to the fake Hub (resolve → 302 → storage host).
 * `node --import tsx scripts/bench-templates.ts`; `--json` prints one JSON document instead.
 *
 * "template ends at" is where `tokenizer.chat_template`'s text ends in the header: the least any
 * reader must fetch. "read" is what the scanner transferred: each file read alone, so the first
 * (cold) chunking applies; the other quantizations of a repo take one request each (bench-popular.ts).
 */
import { judgeNamed } from "../lib/readers/chat-template/sources";
import type { FetchLike } from "../lib/readers/chat-template/gguf-header";
import { createFactCache } from "../lib/hub/cache";
import { createTemplateScanner, TEMPLATE_SCAN_DEFAULTS } from "../lib/hub/template-scans";
import { TEMPLATE_REPOS } from "../tests/fake-hub/template-catalogue";
import { buildGgufHeader, sparseGguf, type GgufSpec } from "../tests/fake-hub/gguf-fixture";
import { fetchViaFakeHub } from "../tests/fake-hub/node-fetch";
import { startFakeHub } from "../tests/fake-hub/server";
import { ESCAPE_OS_POPEN, LLAMA31_TOOLS, QWEN25_TOOLS } from "../tests/fixtures/chat-templates";

export interface TemplateBenchRow {
  case: string;
  vocabulary: number;
  headerBytes: number;
  templateEndsAt: number;
  requests: number;
  transferred: number;
  status: string;
  ms: number;
}

const GB = 1024 ** 3;
const CASES: { name: string; spec: GgufSpec; size: number }[] = [
  { name: "32k vocabulary (Mistral 7B, Llama 2)", spec: { architecture: "llama", name: "m", vocabSize: 32_000, chatTemplate: LLAMA31_TOOLS, blockCount: 32 }, size: 4 * GB },
  { name: "128k vocabulary, 280k merges (Llama 3.x)", spec: { architecture: "llama", name: "m", vocabSize: 128_256, mergeCount: 280_147, chatTemplate: LLAMA31_TOOLS, blockCount: 32 }, size: 5 * GB },
  { name: "152k vocabulary, 151k merges (Qwen2.5)", spec: { architecture: "qwen2", name: "m", vocabSize: 151_936, mergeCount: 151_387, chatTemplate: QWEN25_TOOLS, blockCount: 28 }, size: 5 * GB },
  { name: "256k vocabulary, 515k merges (Gemma 2/3)", spec: { architecture: "gemma2", name: "m", vocabSize: 256_000, mergeCount: 514_906, chatTemplate: ESCAPE_OS_POPEN, blockCount: 42 }, size: 6 * GB },
];

function memoryStorage(file: { size: number; read(start: number, length: number): Uint8Array }): FetchLike {
  return (_input, init) => {
    const match = /bytes=(\d+)-(\d+)/.exec(new Headers(init.headers).get("Range") ?? "");
    if (!match) return Promise.resolve(new Response("Range only", { status: 501 }));
    const start = Number(match[1]);
    const end = Math.min(Number(match[2]), file.size - 1);
    return Promise.resolve(new Response(file.read(start, end - start + 1) as Uint8Array<ArrayBuffer>, { status: 206, headers: { "content-range": `bytes ${start}-${end}/${file.size}` } }));
  };
}

function templateEnd(header: Uint8Array, template: string | undefined): number {
  if (template === undefined) return 0;
  const at = Buffer.from(header).indexOf(Buffer.from(template, "utf8"));
  return at < 0 ? 0 : at + Buffer.byteLength(template, "utf8");
}

async function scanOne(fetch: FetchLike, path: string, lfsOid: string, repo = { type: "model" as const, id: "bench/gguf" }) {
  const scanner = createTemplateScanner({ fetch, hubUrl: "https://huggingface.co", cache: createFactCache() });
  const started = performance.now();
  const scans = await scanner.scanRepo(repo, { revision: "0".repeat(40), files: [{ path, size: 1, lfsOid }] });
  const ms = performance.now() - started;
  const scan = scans?.find((candidate) => candidate.path === path);
  const verdicts = scan?.templates.map((template) => template.judgement.verdict).join(", ");
  return { scan, ms, status: scan ? (scan.status === "read" ? `read: ${verdicts || "no template"}` : `unread: ${scan.reason ?? ""}`) : "not scanned" };
}

async function main() {
  const rows: TemplateBenchRow[] = [];
  for (const [index, { name, spec, size }] of CASES.entries()) {
    const header = buildGgufHeader(spec);
    const { scan, ms, status } = await scanOne(memoryStorage(sparseGguf(header, size)), "model.gguf", String(index).repeat(64));
    rows.push({ case: name, vocabulary: spec.vocabSize, headerBytes: header.length, templateEndsAt: templateEnd(header, spec.chatTemplate), requests: scan?.requests ?? 0, transferred: scan?.bytesRead ?? 0, status, ms });
  }
  const hub = await startFakeHub();
  try {
    const fetch = fetchViaFakeHub(hub) as FetchLike;
    // The template catalogue's GGUF repos; the popular quantizers' many files are bench-popular.ts's.
    for (const repo of TEMPLATE_REPOS.filter((candidate) => candidate.files.some((file) => file.content?.startsWith("gguf:")))) {
      for (const file of repo.files.filter((candidate) => candidate.content?.startsWith("gguf:") && !/-0000[2-9]-of-/.test(candidate.path))) {
        hub.resetLog();
        const { scan, ms, status } = await scanOne(fetch, file.path, `fake-hub-${repo.id}-${file.path}`, { type: "model", id: repo.id });
        const transferred = hub.log.filter((entry) => entry.host !== "huggingface.co").reduce((sum, entry) => sum + entry.bytes, 0);
        rows.push({ case: `fake Hub over HTTPS: ${repo.id}/${file.path}`, vocabulary: 0, headerBytes: 0, templateEndsAt: 0, requests: scan?.requests ?? 0, transferred, status, ms });
      }
    }
  } finally {
    await hub.close();
  }
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ caps: TEMPLATE_SCAN_DEFAULTS, rows }, null, 2));
    return;
  }
  const kb = (bytes: number) => (bytes === 0 ? "" : `${(bytes / 1024).toFixed(0)} KB`);
  console.log(
    `Chat-template reads per GGUF (cap ${TEMPLATE_SCAN_DEFAULTS.maxGgufBytes / 1024 / 1024} MB per header, ${TEMPLATE_SCAN_DEFAULTS.pageByteBudget / 1024 / 1024} MB of headers per page, ${TEMPLATE_SCAN_DEFAULTS.chunkSize / 1024} KB per request)\n`,
  );
  console.log("| case | header | template ends at | requests | transferred | result | ms |");
  console.log("|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(`| ${row.case} | ${kb(row.headerBytes)} | ${kb(row.templateEndsAt)} | ${row.requests} | ${kb(row.transferred)} | ${row.status} | ${row.ms.toFixed(0)} |`);
  // The template judge alone, on the largest benign template.
  const started = performance.now();
  for (let i = 0; i < 100; i++) judgeNamed([{ name: "default", template: LLAMA31_TOOLS }]);
  console.log(`\nJudging the Llama 3.1 tools template (${LLAMA31_TOOLS.length} characters): ${((performance.now() - started) / 100).toFixed(2)} ms each`);
}

await main();
