import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import { ANNOTATION_REPOS, LISTING_REPOS } from "./annotation-catalogue";
import { KERAS_REPOS } from "./keras-catalogue";
import { PICKLE_CLASS_REPOS } from "./pickle-classes-catalogue";
import { TEMPLATE_REPOS } from "./template-catalogue";
import { GUARD_REPOS } from "./download-guard-catalogue";
import { POPULAR_REPOS } from "./popular-catalogue";
import { PYTHON_REPOS } from "./python-catalogue";
import { TEMPLATE_DIFF_REPOS } from "./template-diff-catalogue";
import { REAL_PAGE_REPOS } from "./real-pages-catalogue";

/**
 * The fake Hub's repos, written as data: one per signal in shared/reference/risk-signals.md,
 * plus the gaps (gated, missing, rate-limited, malformed, failing, very large). Shapes follow
 * the real recorded responses in shared/reference/api-samples.
 */
const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();
export const daysAgo = (days: number) => new Date(now - days * DAY).toISOString().replace(/\.\d+Z$/, ".000Z");

const OLD = "2023-03-02T10:00:00.000Z";

const cleanScan = { scan: "safe" as const };
const config = (size = 700): FixtureFile => ({ path: "config.json", size, lastCommit: { title: "Upload config", date: OLD } });
const readme: FixtureFile = { path: "README.md", size: 5200, lastCommit: { title: "Update README.md", date: OLD } };
const gitattributes: FixtureFile = { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } };
const safetensors = (path = "model.safetensors", date = OLD): FixtureFile => ({
  path,
  size: 440_449_768,
  lfs: true,
  ...cleanScan,
  lastCommit: { title: "Adding safetensors", date },
});
const torchBenign = [
  { module: "collections", name: "OrderedDict", safety: "innocuous" as const },
  { module: "torch", name: "FloatStorage", safety: "innocuous" as const },
  { module: "torch._utils", name: "_rebuild_tensor_v2", safety: "innocuous" as const },
];
const pytorchBin = (overrides: Partial<FixtureFile> = {}): FixtureFile => ({
  path: "pytorch_model.bin",
  size: 440_473_133,
  lfs: true,
  scan: "safe",
  imports: torchBenign,
  lastCommit: { title: "Update pytorch_model.bin", date: OLD },
  // Served sparsely at its full size (tests/fake-hub/file-content.ts): data.pkl of a real fixture.
  content: "sparse-torch:benign-torch.pt",
  ...overrides,
});

const verifiedOrg = (name: string) => ({ name, kind: "org" as const, isVerified: true, fullname: name, followers: 12000 });

export const CATALOGUE: FixtureRepo[] = [
  {
    type: "model",
    id: "sentinel-verified/tiny-safetensors",
    story: "A verified organization's model in safetensors only, every scan done: nothing to report.",
    author: verifiedOrg("sentinel-verified"),
    tags: ["transformers", "safetensors", "bert"],
    config: { architectures: ["BertForMaskedLM"], model_type: "bert" },
    files: [gitattributes, readme, config(), safetensors()],
    expect: { level: "ok", findings: [] },
    demo: true,
  },
  {
    type: "model",
    id: "google-bert/bert-base-uncased",
    story: "The common benign case: pytorch_model.bin beside model.safetensors, scanned clean, verified org.",
    author: verifiedOrg("google-bert"),
    legacyId: "bert-base-uncased",
    tags: ["transformers", "pytorch", "tf", "jax", "safetensors", "bert", "fill-mask"],
    config: { architectures: ["BertForMaskedLM"], model_type: "bert" },
    files: [gitattributes, readme, config(570), pytorchBin(), safetensors(), { path: "tf_model.h5", size: 536_063_208, lfs: true, scan: "safe", content: "keras/weights-only.h5" }, { path: "vocab.txt", size: 231_508 }],
    expect: { level: "info", findings: ["pickle-weights"] },
    demo: true,
  },
  {
    type: "model",
    id: "fresh-uploader-7/pickle-rce",
    story: "A brand-new account publishing only a pickle whose imports run a shell command: the JFrog pattern.",
    author: { name: "fresh-uploader-7", kind: "user", createdAt: daysAgo(5), followers: 0 },
    createdAt: daysAgo(3),
    tags: ["pytorch"],
    files: [
      gitattributes,
      { path: "README.md", size: 310, lastCommit: { title: "Upload README.md", date: daysAgo(3) } },
      pytorchBin({
        scan: "unsafe",
        scanners: {
          pickleImportScan: { status: "unsafe" },
          protectAiScan: { status: "unsafe", message: "This file is vulnerable to a code execution attack.", reportLink: "https://protectai.com/insights/models/fresh-uploader-7/pickle-rce" },
          avScan: { status: "safe", message: "No security issues detected" },
          jFrogScan: { status: "unsafe", message: "Malicious payload found" },
        },
        imports: [...torchBenign, { module: "posix", name: "system", safety: "dangerous" }],
        lastCommit: { title: "Upload pytorch_model.bin", date: daysAgo(3) },
        content: "sparse-torch:posix-system-torch.pt",
      }),
    ],
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scanner-flag", "unverified-author", "young-account", "weights-changed"] },
    demo: true,
  },
  {
    type: "model",
    id: "quiet-lab/queued-scan",
    story: "Pickle weights uploaded an hour ago: the Hub's scan is still queued, so Hub Sentinel reads the imports itself (a few KB by Range requests) and finds posix.system.",
    author: { name: "quiet-lab", kind: "user", createdAt: "2021-06-01T00:00:00.000Z", followers: 3 },
    files: [
      gitattributes,
      config(),
      pytorchBin({ scan: "queued", scanners: { pickleImportScan: { status: "queued" }, avScan: { status: "queued" } }, imports: [], lastCommit: { title: "Upload weights", date: OLD }, content: "sparse-torch:posix-system-torch.pt" }),
    ],
    scansDone: false,
    // Danger from Hub Sentinel's own scan (pickle-imports); scan-incomplete still says the Hub's scans are not done.
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scan-incomplete", "unverified-author"] },
    demo: true,
  },
  {
    type: "model",
    id: "heavy-lab/big-checkpoint",
    story: "A 2 GB pytorch_model.bin the Hub's scanner failed on: Hub Sentinel reads only its data.pkl and central directory (well under 1 MB) and finds builtins.exec.",
    author: { name: "heavy-lab", kind: "user", createdAt: "2022-03-01T00:00:00.000Z", followers: 5 },
    files: [
      gitattributes,
      config(),
      pytorchBin({
        size: 2 * 1024 * 1024 * 1024,
        scan: "error",
        scanners: { pickleImportScan: { status: "error", message: "File too large to scan" }, avScan: { status: "safe" } },
        imports: [],
        lastCommit: { title: "Upload pytorch_model.bin", date: OLD },
        content: "sparse-torch:exec-torch.pt",
      }),
    ],
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scan-incomplete", "unverified-author"] },
  },
  {
    type: "model",
    id: "legacy-lab/old-bin-model",
    story: "Only .bin weights and an open Safetensors-conversion PR by the bot: transformers may load the PR's weights automatically.",
    author: { name: "legacy-lab", kind: "org", isVerified: false, followers: 40 },
    config: { architectures: ["GPT2LMHeadModel"], model_type: "gpt2" },
    files: [gitattributes, config(), pytorchBin()],
    pullRequests: [
      {
        num: 3,
        title: "Adding `safetensors` variant of this model",
        author: "SFconvertbot",
        status: "open",
        createdAt: daysAgo(20),
        added: [safetensors("model.safetensors", daysAgo(20))],
      },
    ],
    expect: { level: "warn", findings: ["pickle-weights", "unverified-author", "conversion-pr"] },
    demo: true,
  },
  {
    type: "model",
    id: "legacy-lab/hijacked-pr",
    story: "A PR with the conversion bot's title, from another account, that replaces the .bin weights and edits code.",
    author: { name: "legacy-lab", kind: "org", isVerified: false, followers: 40 },
    files: [gitattributes, config(), pytorchBin()],
    pullRequests: [
      {
        num: 7,
        title: "Adding `safetensors` variant of this model",
        author: "SFconvert-bot",
        status: "open",
        createdAt: daysAgo(2),
        added: [safetensors("model.safetensors", daysAgo(2))],
        // The replaced weights run builtins.exec: Hub Sentinel reads them at refs/pr/7.
        modified: [
          pytorchBin({ lastCommit: { title: "Adding `safetensors` variant of this model", date: daysAgo(2) }, content: "sparse-torch:exec-torch.pt" }),
          { path: "modeling_gpt2.py", size: 9000 },
        ],
      },
    ],
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "unverified-author", "conversion-pr"] },
  },
  {
    type: "model",
    id: "remote-arch/custom-model",
    story: "Loading needs trust_remote_code: config.auto_map points at Python files in the repo.",
    author: verifiedOrg("remote-arch"),
    tags: ["transformers", "safetensors", "custom_code"],
    config: { architectures: ["RemoteForCausalLM"], auto_map: { AutoConfig: "configuration_remote.RemoteConfig", AutoModelForCausalLM: "modeling_remote.RemoteForCausalLM" } },
    files: [gitattributes, config(), safetensors(), { path: "configuration_remote.py", size: 2100 }, { path: "modeling_remote.py", size: 31000 }],
    expect: { level: "warn", findings: ["remote-code"] },
    demo: true,
  },
  {
    type: "space",
    id: "space-builder/docker-oauth",
    story: "A Docker Space that asks visitors to sign in with Hugging Face and requests write access to their repos.",
    author: { name: "space-builder", kind: "user", createdAt: "2022-01-10T00:00:00.000Z", followers: 8 },
    sdk: "docker",
    cardData: { title: "Model Uploader", sdk: "docker", app_port: 7860, hf_oauth: true, hf_oauth_scopes: ["read-repos", "write-repos", "inference-api"] },
    files: [gitattributes, { path: "Dockerfile", size: 600 }, { path: "README.md", size: 400 }, { path: "app.py", size: 4000 }],
    expect: { level: "warn", findings: ["unverified-author", "space-docker", "space-oauth"] },
    demo: true,
  },
  {
    type: "space",
    id: "sentinel-verified/gradio-demo",
    story: "A verified organization's Gradio Space, no sign-in requested.",
    author: verifiedOrg("sentinel-verified"),
    sdk: "gradio",
    cardData: { title: "Demo", sdk: "gradio", sdk_version: "5.0.1" },
    files: [gitattributes, { path: "README.md", size: 300 }, { path: "app.py", size: 1500 }, { path: "requirements.txt", size: 40 }],
    expect: { level: "ok", findings: [] },
  },
  {
    type: "dataset",
    id: "sentinel-verified/parquet-corpus",
    story: "A dataset in Parquet from a verified organization.",
    author: verifiedOrg("sentinel-verified"),
    files: [gitattributes, readme, { path: "data/train-00000-of-00001.parquet", size: 12_000_000, lfs: true, scan: "safe" }],
    expect: { level: "ok", findings: [] },
  },
  {
    type: "dataset",
    id: "someone/pickled-features",
    story: "A dataset shipping joblib pickles, with suspicious imports and no safetensors alternative.",
    author: { name: "someone", kind: "user", createdAt: "2020-05-01T00:00:00.000Z", followers: 2 },
    files: [
      gitattributes,
      { path: "features.joblib", size: 2_000_000, lfs: true, scan: "caution", scanners: { pickleImportScan: { status: "caution" } }, imports: [{ module: "sklearn.pipeline", name: "Pipeline", safety: "suspicious" }, { module: "numpy", name: "dtype", safety: "innocuous" }] },
    ],
    expect: { level: "warn", findings: ["pickle-weights", "pickle-imports", "unverified-author"] },
  },
  {
    type: "model",
    id: "meta-IIama/Llama-3.1-8B-Instruct",
    story: "An account whose name imitates meta-llama (capital I for l), publishing pickles.",
    author: { name: "meta-IIama", kind: "user", createdAt: daysAgo(40), followers: 1 },
    files: [gitattributes, config(), pytorchBin({ scan: "safe" })],
    expect: { level: "danger", findings: ["pickle-weights", "unverified-author", "lookalike-author"] },
    demo: true,
  },
  {
    type: "model",
    id: "vision-hobbyist/yolo-detector",
    story: "A YOLO checkpoint flagged only for getattr, the usual false alarm: explained, not shouted.",
    author: { name: "vision-hobbyist", kind: "user", createdAt: "2022-02-02T00:00:00.000Z", followers: 30 },
    tags: ["ultralytics", "yolo"],
    files: [
      gitattributes,
      {
        path: "best.pt",
        size: 6_200_000,
        lfs: true,
        scan: "unsafe",
        scanners: { pickleImportScan: { status: "unsafe" }, avScan: { status: "safe" } },
        imports: [
          { module: "ultralytics.nn.tasks", name: "DetectionModel", safety: "suspicious" },
          { module: "torch.nn.modules.container", name: "Sequential", safety: "suspicious" },
          { module: "builtins", name: "getattr", safety: "dangerous" },
          ...torchBenign,
        ],
      },
    ],
    expect: { level: "warn", findings: ["pickle-weights", "pickle-imports", "unverified-author"] },
  },
  {
    type: "model",
    id: "gated-org/gated-model",
    story: "A gated model with pickle weights: the Hub answers its metadata but not its file details to anonymous requests, and a pickle's imports are in those details.",
    author: verifiedOrg("gated-org"),
    gated: "manual",
    files: [gitattributes, config(), safetensors(), pytorchBin()],
    faults: { files: { kind: "status", status: 403, errorCode: "GatedRepo", message: "Access to model gated-org/gated-model is restricted." } },
    expect: { level: "unknown", findings: ["pickle-weights", "pickle-imports"] },
  },
  {
    type: "model",
    id: "nobody/missing-model",
    story: "A repo that does not exist (or is private): the Hub answers 401 RepoNotFound.",
    author: { name: "nobody", kind: "user" },
    files: [],
    faults: { all: { kind: "status", status: 401, errorCode: "RepoNotFound", message: "Repository not found" } },
    expect: { level: "unknown", findings: ["fetch-failed"] },
  },
  {
    type: "model",
    id: "busy-org/rate-limited",
    story: "The Hub is rate-limiting: every API answer is 429 with Retry-After.",
    author: verifiedOrg("busy-org"),
    files: [config(), safetensors()],
    faults: { info: { kind: "rate-limit", retryAfter: 120 } },
    expect: { level: "unknown", findings: ["fetch-failed"] },
  },
  {
    type: "model",
    id: "broken-org/server-error",
    story: "Repo info fails with a 500.",
    author: verifiedOrg("broken-org"),
    files: [config(), safetensors()],
    faults: { info: { kind: "status", status: 500, message: "Internal Error" } },
    expect: { level: "unknown", findings: ["fetch-failed"] },
    demo: true,
  },
  {
    type: "model",
    id: "broken-org/malformed-info",
    story: "Repo info answers 200 with something that is not JSON.",
    author: verifiedOrg("broken-org"),
    files: [config(), safetensors()],
    faults: { info: { kind: "malformed" } },
    expect: { level: "unknown", findings: ["fetch-failed"] },
  },
  {
    type: "dataset",
    id: "big-org/huge-dataset",
    story: "A dataset with more than 10,000 files, a few of them pickles.",
    author: verifiedOrg("big-org"),
    files: [gitattributes, readme, { path: "extra/embeddings.pkl", size: 80_000_000, lfs: true, scan: "safe", imports: [{ module: "numpy", name: "ndarray", safety: "innocuous" }] }],
    extraFiles: 10_500,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  {
    type: "model",
    id: "trainer-user/finetuned-with-args",
    story: "A fine-tune whose only pickle is training_args.bin, beside safetensors weights.",
    author: { name: "trainer-user", kind: "user", createdAt: "2021-01-01T00:00:00.000Z", followers: 12 },
    files: [gitattributes, config(), safetensors(), { path: "training_args.bin", size: 5_100, lfs: true, scan: "safe", imports: [{ module: "transformers.training_args", name: "TrainingArguments", safety: "suspicious" }] }],
    expect: { level: "info", findings: ["pickle-weights", "pickle-imports", "unverified-author"] },
  },
  {
    type: "model",
    id: "hostile-strings/xss-probe",
    story: "Hostile strings in a PR title and file names: they must render as text and run nothing.",
    author: { name: "hostile-strings", kind: "user", createdAt: "2020-01-01T00:00:00.000Z" },
    files: [
      gitattributes,
      {
        path: 'weights/"><img src=x onerror=alert(1)>.bin',
        size: 1000,
        lfs: true,
        scan: "unsafe",
        scanners: { pickleImportScan: { status: "unsafe" }, protectAiScan: { status: "unsafe", message: "<script>alert('scanner')</script>", reportLink: "javascript:alert(1)" } },
        imports: [{ module: "builtins<svg onload=alert(1)>", name: "exec\u202e", safety: "dangerous" }],
      },
    ],
    pullRequests: [{ num: 1, title: "<img src=x onerror=alert('pr')> Adding weights", author: "hostile-strings", status: "open", createdAt: daysAgo(1) }],
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scanner-flag", "unverified-author"] },
  },
  // Row annotations (file rows, PRs, leaked tokens) and the generated /models listing: annotation-catalogue.ts.
  ...ANNOTATION_REPOS,
  ...LISTING_REPOS,
  // Keras model files (issue 16): keras-catalogue.ts.
  ...KERAS_REPOS,
  // Chat templates in GGUF headers and tokenizer configs (issue 16): template-catalogue.ts.
  ...TEMPLATE_REPOS,
  // Pickle and zip classes (issues 24 and 28): pickle-classes-catalogue.ts.
  ...PICKLE_CLASS_REPOS,
  // The download guard (issue 27): download-guard-catalogue.ts.
  ...GUARD_REPOS,
  // The Hub's most used repos in their real shapes, and two malicious variants (issue 24): popular-catalogue.ts.
  ...POPULAR_REPOS,
  // The Python loading runs (issue 25): python-catalogue.ts.
  ...PYTHON_REPOS,
  // Derived models' chat templates compared with their base model's (issue 26): template-diff-catalogue.ts.
  ...TEMPLATE_DIFF_REPOS,
  // The repos of the real saved pages the fake Hub serves (issue 29): real-pages-catalogue.ts.
  ...REAL_PAGE_REPOS,
  {
    type: "model",
    id: "cipher-lab/flagged-zip",
    story: "A PyTorch zip whose entries set the 'encrypted' flag over data stored in the clear: Python's zipfile (and scanners built on it) refuse it, PyTorch loads it. Hub Sentinel reads it as PyTorch does and finds builtins.exec injected before the state dict (issue 15).",
    author: { name: "cipher-lab", kind: "user", createdAt: "2022-09-01T00:00:00.000Z", followers: 2 },
    files: [
      gitattributes,
      config(),
      pytorchBin({
        size: 1077,
        scan: "error",
        scanners: { pickleImportScan: { status: "error", message: "File is encrypted" }, avScan: { status: "safe" } },
        imports: [],
        lastCommit: { title: "Upload pytorch_model.bin", date: OLD },
        content: "peer-encrypted-flag-torch.pt",
      }),
    ],
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scan-incomplete", "unverified-author"] },
  },
];

export function findFixture(type: string, id: string): FixtureRepo | undefined {
  const lower = id.toLowerCase();
  return CATALOGUE.find((repo) => repo.type === type && repo.id.toLowerCase() === lower);
}
