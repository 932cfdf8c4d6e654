import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import type { GgufSpec } from "./gguf-fixture";
import { ESCAPE_BUILT_NAMES, ESCAPE_OS_POPEN, HOSTILE_TEMPLATE, LLAMA31_TOOLS, QWEN25_TOOLS, QWEN3 } from "../fixtures/chat-templates";

/**
 * Fixture repos for issue 16's chat templates: GGUF files (real v3 headers with a realistic
 * vocabulary in front of gigabytes of virtual zeros, tests/fake-hub/gguf-fixture.ts) and
 * tokenizer configs, escaping and clean, and a hostile template text. Served by `resolve`:
 * GGUF by Range through the storage host, tokenizer_config.json by the Hub itself.
 */

/** GGUF headers by name, for `content: "gguf:<name>"` (file-content.ts builds and caches them). */
export const GGUF_FIXTURES: Record<string, GgufSpec> = {
  // Tens of thousands of tokens: headers of about 1 MB, the template after the vocabulary, as llama.cpp writes it.
  // (scripts/bench-templates.ts measures the 128k-token case, Llama 3's.)
  "llama3-clean": { architecture: "llama", name: "Meta Llama 3.1 8B Instruct", vocabSize: 32_768, chatTemplate: LLAMA31_TOOLS, blockCount: 32, contextLength: 131_072 },
  "llama3-clean-split": { architecture: "llama", name: "Meta Llama 3.1 8B Instruct", vocabSize: 32_768, chatTemplate: LLAMA31_TOOLS, blockCount: 16 },
  "llama3-split-2": { architecture: "llama", name: "Meta Llama 3.1 8B Instruct", vocabSize: 32_768, blockCount: 16, splitShard: { index: 2, count: 2 } },
  // The "Llama Drama" shape: a ChatML model whose template reaches os.popen; 32k vocabulary (about 1 MB of header).
  "chatml-drama": { architecture: "llama", name: "Helpful Assistant 7B", vocabSize: 32_000, chatTemplate: ESCAPE_OS_POPEN, blockCount: 32 },
};

const OLD = "2024-03-02T10:00:00.000Z";
const GB = 1024 ** 3;
const gitattributes: FixtureFile = { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } };
const readme: FixtureFile = { path: "README.md", size: 3100, lastCommit: { title: "Update README.md", date: OLD } };
const gguf = (path: string, fixture: string, size: number): FixtureFile => ({ path, size, lfs: true, scan: "safe", content: `gguf:${fixture}`, lastCommit: { title: "Upload GGUF", date: OLD } });
const tokenizerConfig = (template: string | { name: string; template: string }[], path = "tokenizer_config.json"): FixtureFile => {
  const text = JSON.stringify({ add_bos_token: false, bos_token: null, eos_token: "<|im_end|>", pad_token: "<|endoftext|>", model_max_length: 32768, tokenizer_class: "Qwen2Tokenizer", chat_template: template }, null, 2);
  return { path, size: new TextEncoder().encode(text).length, text, lastCommit: { title: "Upload tokenizer", date: OLD } };
};
const safetensors: FixtureFile = { path: "model.safetensors", size: 15_231_233_024, lfs: true, scan: "safe", lastCommit: { title: "Upload model", date: OLD } };
const config: FixtureFile = { path: "config.json", size: 663, lastCommit: { title: "Upload config", date: OLD } };
const verifiedOrg = (name: string) => ({ name, kind: "org" as const, isVerified: true, fullname: name, followers: 12000 });
const oldUser = (name: string) => ({ name, kind: "user" as const, createdAt: "2021-05-01T00:00:00.000Z", followers: 40 });

export const TEMPLATE_REPOS: FixtureRepo[] = [
  {
    type: "model",
    id: "quant-drama/Helpful-Assistant-7B-GGUF",
    story: "A GGUF whose chat template reaches os.popen through __subclasses__ (the CVE-2024-34359 shape); the Hub's scans say safe.",
    author: oldUser("quant-drama"),
    tags: ["gguf", "llama", "conversational"],
    files: [gitattributes, readme, gguf("helpful-assistant-7b.Q4_K_M.gguf", "chatml-drama", 4_368_439_296)],
    gguf: { total: 7_241_732_096, architecture: "llama", context_length: 4096, chat_template: ESCAPE_OS_POPEN, bos_token: "<s>", eos_token: "</s>" },
    scansDone: true,
    expect: { level: "danger", findings: ["chat-template", "unverified-author"] },
    demo: true,
  },
  {
    type: "model",
    id: "tokenizer-drama/chatml-finetune",
    story: "A fine-tune whose tokenizer_config.json carries a chat template that builds __globals__ from pieces and calls popen.",
    author: oldUser("tokenizer-drama"),
    tags: ["transformers", "safetensors", "qwen2", "conversational"],
    config: { architectures: ["Qwen2ForCausalLM"], model_type: "qwen2" },
    files: [gitattributes, readme, config, safetensors, tokenizerConfig(ESCAPE_BUILT_NAMES)],
    scansDone: true,
    expect: { level: "danger", findings: ["chat-template", "unverified-author"] },
  },
  {
    type: "model",
    id: "sentinel-verified/Llama-3.1-8B-Instruct-GGUF",
    story: "A verified organization's GGUF quantizations (Llama 3.1 template with tools), one of them split in two shards: nothing to report.",
    author: verifiedOrg("sentinel-verified"),
    tags: ["gguf", "llama", "conversational"],
    files: [
      gitattributes,
      readme,
      gguf("Llama-3.1-8B-Instruct-Q4_K_M.gguf", "llama3-clean", 4_920_734_016),
      gguf("Llama-3.1-8B-Instruct-Q8_0-00001-of-00002.gguf", "llama3-clean-split", 4 * GB),
      gguf("Llama-3.1-8B-Instruct-Q8_0-00002-of-00002.gguf", "llama3-split-2", 4_530_000_000),
    ],
    gguf: { total: 8_030_261_248, architecture: "llama", context_length: 131072, chat_template: LLAMA31_TOOLS, bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" },
    scansDone: true,
    expect: { level: "ok", findings: [] },
  },
  {
    type: "model",
    id: "sentinel-verified/Qwen3-8B",
    story: "A verified organization's model whose tokenizer_config.json and chat_template.jinja hold Qwen-style templates with tool calls and thinking: nothing to report.",
    author: verifiedOrg("sentinel-verified"),
    tags: ["transformers", "safetensors", "qwen3", "conversational"],
    config: { architectures: ["Qwen3ForCausalLM"], model_type: "qwen3" },
    files: [gitattributes, readme, config, safetensors, tokenizerConfig([{ name: "default", template: QWEN3 }, { name: "tool_use", template: QWEN25_TOOLS }]), { path: "chat_template.jinja", size: QWEN3.length, text: QWEN3, lastCommit: { title: "Upload template", date: OLD } }],
    scansDone: true,
    expect: { level: "ok", findings: [] },
  },
  {
    type: "model",
    id: "hostile-strings/template-probe",
    story: "A tokenizer_config.json whose escaping template carries markup: the panel must show it as text.",
    author: oldUser("hostile-strings"),
    tags: ["transformers"],
    files: [gitattributes, config, safetensors, tokenizerConfig(HOSTILE_TEMPLATE)],
    scansDone: true,
    expect: { level: "danger", findings: ["chat-template", "unverified-author"] },
  },
];
