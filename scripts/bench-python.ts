/**
 * Bytes, files, requests and time for reading a repo's Python (issue 25), through the extension's
 * own path: the Python scanner (lib/hub/python-scans.ts) with its default caps, over fetches served
 * from memory (so the time is the reader's, not a network's). One row per repo shape: the popular
 * custom-code shapes of the fixtures, a 200 KB modeling file, a file near the 1 MB cap, one over it,
 * and a 1 MB file minified onto one line. Each row is the median of several runs, each with a fresh
 * cache. `npm run bench:python` (`-- --json` prints one JSON document instead).
 */
import { createFactCache } from "../lib/hub/cache";
import type { RepoFile, RepoInfo } from "../lib/hub/facts";
import { factOf } from "../lib/hub/gaps";
import { createPythonScanner, PYTHON_SCAN_DEFAULTS, type PythonScannerOptions } from "../lib/hub/python-scans";
import type { FetchLike } from "../lib/hub/range-reader";
import { ANALYSE_LIMITS } from "../lib/readers/python/analyse";
import { PARSE_LIMITS } from "../lib/readers/python/parse";
import { SOURCE_LIMITS } from "../lib/readers/python/source";
import { PAYLOADS, injectionOf } from "../tests/fixtures/python/payloads";
import { configurationFile, JINA_CUSTOM_ST, JINA_EMBEDDING, JINA_FILES, jinaModeling, modelingFile, modelingOf, NAVIT_SIGLIP, RESAMPLER, SHAPES, TRAIN_SCRIPT } from "../tests/fixtures/python/shapes";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const RUNS = 5;

interface Shape {
  name: string;
  repo: string;
  files: Record<string, string>;
  info: Partial<RepoInfo>;
  /** Another repo's files, for a cross-repo auto_map. */
  other?: { id: string; files: Record<string, string> };
}

/** A modeling file of about `bytes`, in Phi-3's shape with more decoder variants. */
function modelingOfSize(bytes: number): string {
  let variants = 3;
  let code = modelingFile({ ...SHAPES.phi3, variants });
  while (code.length < bytes) {
    variants = Math.ceil(variants * (bytes / code.length)) + 1;
    code = modelingFile({ ...SHAPES.phi3, variants });
  }
  return code;
}

function minified(bytes: number): string {
  const statement = "h=self.proj(x);x=torch.cat([h,x],dim=-1)*0.5;";
  return `import torch\n${statement.repeat(Math.ceil(bytes / statement.length)).slice(0, bytes - 14)}\n`;
}

const phiAutoMap = { AutoConfig: "configuration_phi3.Phi3Config", AutoModelForCausalLM: "modeling_phi3.Phi3ForCausalLM" };
const phiConfig = configurationFile("Phi3", "phi3", "Microsoft");

const SHAPES_TO_RUN: Shape[] = [
  { name: "Phi-3 (2 files)", repo: "bench/phi3", files: { "configuration_phi3.py": phiConfig, "modeling_phi3.py": modelingOf("phi3") }, info: { autoMap: phiAutoMap } },
  { name: "DeepSeek-V3 (2 loaded, 2 unloaded)", repo: "bench/deepseek", files: { "configuration_deepseek.py": configurationFile("DeepseekV3", "deepseek", "DeepSeek-AI"), "modeling_deepseek.py": modelingOf("deepseek"), "inference/generate.py": TRAIN_SCRIPT, "inference/convert.py": TRAIN_SCRIPT }, info: { autoMap: { AutoConfig: "configuration_deepseek.C", AutoModel: "modeling_deepseek.M" } } },
  { name: "MiniCPM-V (imports)", repo: "bench/minicpm", files: { "configuration_minicpm.py": configurationFile("MiniCPMV", "minicpm", "OpenBMB"), "modeling_minicpm.py": modelingOf("minicpm"), "resampler.py": RESAMPLER, "modeling_navit_siglip.py": NAVIT_SIGLIP }, info: { autoMap: { AutoModel: "modeling_minicpm.MiniCPMVModel" } } },
  {
    name: "Jina v3 (cross-repo, 11 files)",
    repo: "bench/jina",
    files: { "custom_st.py": JINA_CUSTOM_ST },
    info: { autoMap: { AutoModel: "bench/xlm-flash--modeling_lora.XLMRobertaLoRA", AutoConfig: "bench/xlm-flash--configuration_xlm_roberta.XLMRobertaFlashConfig" } },
    other: { id: "bench/xlm-flash", files: { "modeling_xlm_roberta.py": jinaModeling(), "embedding.py": JINA_EMBEDDING, ...JINA_FILES } },
  },
  { name: "payload hidden in Phi-3 (exfiltrate)", repo: "bench/evil", files: { "configuration_phi3.py": phiConfig, "modeling_phi3.py": modelingOf("phi3", injectionOf(PAYLOADS[3]!, "helper")) }, info: { autoMap: phiAutoMap } },
  { name: "a 200 KB modeling file", repo: "bench/200k", files: { "modeling_phi3.py": modelingOfSize(200 * 1024) }, info: { autoMap: { AutoModel: "modeling_phi3.M" } } },
  { name: "a 0.9 MB modeling file (near the cap)", repo: "bench/900k", files: { "modeling_phi3.py": modelingOfSize(900 * 1024) }, info: { autoMap: { AutoModel: "modeling_phi3.M" } } },
  { name: "a 1.3 MB modeling file (over the cap)", repo: "bench/1300k", files: { "modeling_phi3.py": modelingOfSize(1300 * 1024) }, info: { autoMap: { AutoModel: "modeling_phi3.M" } } },
  { name: "a 1 MB file minified onto one line", repo: "bench/minified", files: { "modeling_min.py": minified(1000 * 1024) }, info: { autoMap: { AutoModel: "modeling_min.M" } } },
];

export interface PythonBenchRow {
  shape: string;
  sourceBytes: number;
  files: number;
  read: number;
  unread: string[];
  requests: number;
  bytesRead: number;
  parseMs: number;
  analyseMs: number;
  totalMs: number;
  danger: number;
}

function memoryHub(repos: Record<string, Record<string, string>>) {
  let requests = 0;
  let bytes = 0;
  const fetch: FetchLike = (input) => {
    requests++;
    const url = new URL(input);
    const [, repo = "", path = ""] = /^\/(.+?)\/resolve\/[^/]+\/(.+)$/.exec(url.pathname) ?? [];
    const text = repos[repo]?.[decodeURIComponent(path)];
    if (text === undefined) return Promise.resolve(new Response("Entry not found", { status: 404 }));
    const body = new TextEncoder().encode(text);
    bytes += body.length;
    return Promise.resolve(new Response(body, { status: 200 }));
  };
  return { fetch, counts: () => ({ requests, bytes }) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function runShape(shape: Shape): Promise<PythonBenchRow> {
  const repos = { [shape.repo]: shape.files, ...(shape.other ? { [shape.other.id]: shape.other.files } : {}) };
  const files: RepoFile[] = Object.keys(shape.files).map((path) => ({ path }));
  const info: RepoInfo = { id: shape.repo, sha: SHA, tags: ["custom_code"], ...shape.info };
  const repoInfo: PythonScannerOptions["repoInfo"] = (repo) => Promise.resolve(factOf({ info: { id: repo.id, sha: SHA, tags: [], siblingPaths: Object.keys(shape.other?.files ?? {}) } }));
  const timings: { parse: number; analyse: number; total: number }[] = [];
  let last: PythonBenchRow | undefined;
  for (let run = 0; run < RUNS; run++) {
    const hub = memoryHub(repos);
    const scanner = createPythonScanner({ fetch: hub.fetch, hubUrl: "https://huggingface.co", cache: createFactCache(), repoInfo });
    const started = performance.now();
    const scans = (await scanner.scanRepo({ type: "model", id: shape.repo }, { revision: SHA, files, info })) ?? [];
    const total = performance.now() - started;
    timings.push({ parse: scans.reduce((sum, scan) => sum + (scan.parseMs ?? 0), 0), analyse: scans.reduce((sum, scan) => sum + (scan.analyseMs ?? 0), 0), total });
    const { requests, bytes } = hub.counts();
    last = {
      shape: shape.name,
      sourceBytes: Object.values(repos).reduce((sum, group) => sum + Object.values(group).reduce((acc, text) => acc + new TextEncoder().encode(text).length, 0), 0),
      files: scans.length,
      read: scans.filter((scan) => scan.status === "read").length,
      unread: scans.filter((scan) => scan.status === "unread").map((scan) => `${scan.path}: ${scan.reason ?? ""}`),
      requests,
      bytesRead: Math.min(bytes, scans.reduce((sum, scan) => sum + scan.bytesRead, 0) || bytes),
      parseMs: 0,
      analyseMs: 0,
      totalMs: 0,
      danger: scans.reduce((sum, scan) => sum + scan.behaviours.filter((b) => b.reach === "load" && ["shell", "exec-hidden", "download-exec", "exfiltrate", "write-outside", "install-packages"].includes(b.kind)).length, 0),
    };
  }
  if (!last) throw new Error("no run");
  return { ...last, parseMs: median(timings.map((t) => t.parse)), analyseMs: median(timings.map((t) => t.analyse)), totalMs: median(timings.map((t) => t.total)) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

async function main() {
  const rows: PythonBenchRow[] = [];
  for (const shape of SHAPES_TO_RUN) rows.push(await runShape(shape));
  const caps = {
    perFileBytes: SOURCE_LIMITS.maxBytes,
    perLineChars: SOURCE_LIMITS.maxLineChars,
    perPageFiles: PYTHON_SCAN_DEFAULTS.maxFiles,
    perPageBytes: PYTHON_SCAN_DEFAULTS.maxBytesPerPage,
    parseMsPerFile: PARSE_LIMITS.maxParseMs,
    analysisSteps: ANALYSE_LIMITS.maxSteps,
  };
  const held = rows.every((row) => row.bytesRead <= caps.perPageBytes + caps.perFileBytes && row.requests <= caps.perPageFiles + 1 && row.totalMs < caps.parseMsPerFile * Math.max(1, row.files));
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ caps, rows, held }, null, 2));
    return;
  }
  console.log(`Python reader benchmark (median of ${RUNS} runs; caps: ${kb(caps.perFileBytes)} a file, lines up to ${caps.perLineChars} characters, ${caps.perPageFiles} files and ${kb(caps.perPageBytes)} a page, parse ${caps.parseMsPerFile / 1000} s a file)`);
  console.log("| shape | source | files read / listed | requests | bytes read | parse ms | analysis ms | total ms | danger lines | not read |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const row of rows) {
    console.log(`| ${row.shape} | ${kb(row.sourceBytes)} | ${row.read} / ${row.files} | ${row.requests} | ${kb(row.bytesRead)} | ${row.parseMs.toFixed(0)} | ${row.analyseMs.toFixed(0)} | ${row.totalMs.toFixed(0)} | ${row.danger} | ${row.unread.map((item) => item.replace(/\|/g, "/")).join("; ") || "-"} |`);
  }
  console.log(held ? "Every shape stayed within the caps." : "A shape went past a cap: see the rows above.");
}

await main();
