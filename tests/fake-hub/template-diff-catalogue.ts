import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import type { GgufSpec } from "./gguf-fixture";
import { poisoned, realTemplate, reformatted } from "../fixtures/chat-template-variants";

/**
 * Fixture repos for issue 26: derived models whose chat templates are compared with their base
 * model's. Templates are the real ones of tests/fixtures/chat-templates (Llama 3.1 and Qwen 2.5),
 * copied as they are, reformatted, or poisoned the ways Pillar Security described.
 */
const LLAMA = realTemplate("meta-llama/Llama-3.1-8B-Instruct");
const QWEN = realTemplate("Qwen/Qwen2.5-7B-Instruct");
/** A link in the system block and a hidden instruction in the generation prompt. */
const LLAMA_POISONED = poisoned(poisoned(LLAMA, "link", "system") ?? LLAMA, "instruction", "generation") ?? LLAMA;
/** A branch that fires when the user's message holds the trigger words. */
const LLAMA_TRIGGERED = poisoned(LLAMA, "content-branch", "messages") ?? LLAMA;
/** Written with comments and other loop-variable names, and without the knowledge-cutoff line. */
const LLAMA_TIDY = reformatted(LLAMA.replace(`{{- "Cutting Knowledge Date: December 2023\\n" }}`, ""), "comments");
/** Qwen 2.5's template as a later revision of the base has it: without its default system prompt. */
const QWEN_LATER = QWEN.replaceAll("You are Qwen, created by Alibaba Cloud. You are a helpful assistant.", "");

export const TEMPLATE_DIFF_GGUF: Record<string, GgufSpec> = {
  "llama31-base": { architecture: "llama", name: "Llama 3.1 8B Instruct", vocabSize: 32_768, chatTemplate: LLAMA, blockCount: 32, contextLength: 131_072 },
  "llama31-poisoned": { architecture: "llama", name: "Llama 3.1 8B Instruct", vocabSize: 32_768, chatTemplate: LLAMA_POISONED, blockCount: 32, contextLength: 131_072 },
  "qwen25-2024": { architecture: "qwen2", name: "Qwen2.5 7B Instruct", vocabSize: 32_768, chatTemplate: QWEN, blockCount: 28, contextLength: 32_768 },
};

const OLD = "2024-08-01T10:00:00.000Z";

const gitattributes: FixtureFile = { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } };
const readme: FixtureFile = { path: "README.md", size: 4200, lastCommit: { title: "Update README.md", date: OLD } };
const config: FixtureFile = { path: "config.json", size: 826, lastCommit: { title: "Upload config", date: OLD } };
const safetensors: FixtureFile = { path: "model.safetensors", size: 16_060_522_496, lfs: true, scan: "safe", lastCommit: { title: "Upload model", date: OLD } };
const gguf = (path: string, fixture: string, date = OLD): FixtureFile => ({ path, size: 4_920_734_016, lfs: true, scan: "safe", content: `gguf:${fixture}`, lastCommit: { title: "Upload GGUF", date } });
const tokenizerConfig = (template: string, date = OLD, id?: string): FixtureFile => {
  const text = JSON.stringify({ bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>", model_max_length: 131072, tokenizer_class: "PreTrainedTokenizerFast", chat_template: template }, null, 2);
  return { path: "tokenizer_config.json", size: new TextEncoder().encode(text).length, text, lastCommit: { title: "Update tokenizer_config.json", date, ...(id ? { id } : {}) } };
};
const llamaConfig = (template: string) => ({ architectures: ["LlamaForCausalLM"], model_type: "llama", tokenizer_config: { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>", chat_template: template } });
const qwenConfig = (template: string) => ({ architectures: ["Qwen2ForCausalLM"], model_type: "qwen2", tokenizer_config: { bos_token: null, eos_token: "<|im_end|>", chat_template: template } });
const verifiedOrg = (name: string) => ({ name, kind: "org" as const, isVerified: true, fullname: name, followers: 9000 });
const oldUser = (name: string) => ({ name, kind: "user" as const, createdAt: "2021-05-01T00:00:00.000Z", followers: 40 });
const derivedFrom = (base: string, relation: "quantized" | "finetune") => ({ cardData: { license: "llama3.1", base_model: base }, tags: [`base_model:${base}`, `base_model:${relation}:${base}`] });

export const GATED_BASE = "gated-labs/Llama-3.1-8B-Instruct";
/** The Qwen base's commit before it dropped its default system prompt, and the commit that did. */
export const QWEN_BASE = "revising-org/Qwen2.5-7B-Instruct";
export const QWEN_BASE_EARLIER = "9c2e8a1f3b7d4e6a8c0b2d4f6a8c0e2b4d6f8a0c";
const QWEN_BASE_LATER = "1f3b5d7f9b1d3f5b7d9f1b3d5f7b9d1f3b5d7f9b";

export const TEMPLATE_DIFF_REPOS: FixtureRepo[] = [
  {
    type: "model",
    id: GATED_BASE,
    story: "A gated base model (issue 26): anonymous requests get its model info, with config.tokenizer_config.chat_template, but not its files.",
    author: verifiedOrg("gated-labs"),
    gated: "manual",
    tags: ["transformers", "safetensors", "llama", "conversational"],
    config: llamaConfig(LLAMA),
    files: [gitattributes, readme, config, safetensors, tokenizerConfig(LLAMA)],
    scansDone: true,
    // Its own tokenizer_config.json is refused (gated): the model info's copy is judged, and the finding says so.
    expect: { level: "info", findings: ["chat-template"] },
  },
  {
    type: "model",
    id: "quant-lab/Llama-3.1-8B-Instruct-GGUF",
    story: "A GGUF quantization of a gated base whose header holds the base's template: compared through the base's model info, nothing to report.",
    author: verifiedOrg("quant-lab"),
    ...derivedFrom(GATED_BASE, "quantized"),
    files: [gitattributes, readme, gguf("Llama-3.1-8B-Instruct-Q4_K_M.gguf", "llama31-base")],
    gguf: { total: 8_030_261_248, architecture: "llama", context_length: 131072, chat_template: LLAMA, bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" },
    scansDone: true,
    expect: { level: "ok", findings: [] },
    demo: true,
  },
  {
    type: "model",
    id: "mirror-quants/Llama-3.1-8B-Instruct-GGUF",
    story: "A GGUF quantization whose template adds a download link in the system block and a hidden instruction in the generation prompt (Pillar Security's poisoned GGUF): warn, showing the added lines beside the base's.",
    author: oldUser("mirror-quants"),
    ...derivedFrom(GATED_BASE, "quantized"),
    files: [gitattributes, readme, gguf("Llama-3.1-8B-Instruct-Q4_K_M.gguf", "llama31-poisoned")],
    gguf: { total: 8_030_261_248, architecture: "llama", context_length: 131072, chat_template: LLAMA_POISONED, bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" },
    scansDone: true,
    expect: { level: "warn", findings: ["template-changed", "unverified-author"] },
    demo: true,
  },
  {
    type: "model",
    id: "helpful-tuner/Llama-3.1-8B-Instruct-helpful",
    story: "A fine-tune whose tokenizer_config.json adds a branch that fires when a message mentions a wire transfer.",
    author: oldUser("helpful-tuner"),
    ...derivedFrom(GATED_BASE, "finetune"),
    config: llamaConfig(LLAMA_TRIGGERED),
    files: [gitattributes, readme, config, safetensors, tokenizerConfig(LLAMA_TRIGGERED)],
    scansDone: true,
    expect: { level: "warn", findings: ["template-changed", "unverified-author"] },
  },
  {
    type: "model",
    id: "tidy-tuner/Llama-3.1-8B-Instruct-tidy",
    story: "A fine-tune whose template is the base's reformatted, without its knowledge-cutoff line: info, saying it adds nothing a model would follow.",
    author: oldUser("tidy-tuner"),
    ...derivedFrom(GATED_BASE, "finetune"),
    config: llamaConfig(LLAMA_TIDY),
    files: [gitattributes, readme, config, safetensors, tokenizerConfig(LLAMA_TIDY)],
    scansDone: true,
    expect: { level: "info", findings: ["template-changed", "unverified-author"] },
  },
  {
    type: "model",
    id: "orphan-quants/Llama-3.1-8B-Instruct-GGUF",
    story: "A GGUF quantization whose base_model names a repo that does not exist: no base model template to compare with (info), never ok for the comparison.",
    author: verifiedOrg("orphan-quants"),
    ...derivedFrom("ghost-org/never-existed-8B", "quantized"),
    files: [gitattributes, readme, gguf("Llama-3.1-8B-Instruct-Q4_K_M.gguf", "llama31-base")],
    scansDone: true,
    expect: { level: "info", findings: ["template-changed"] },
  },
  {
    type: "model",
    id: "middle-tuner/Llama-3.1-8B-abliterated",
    story: "A fine-tune of the gated base that ships no tokenizer files: its own base for the chain below.",
    author: oldUser("middle-tuner"),
    ...derivedFrom(GATED_BASE, "finetune"),
    config: { architectures: ["LlamaForCausalLM"], model_type: "llama" },
    files: [gitattributes, readme, config, safetensors],
    scansDone: true,
    expect: { level: "info", findings: ["unverified-author"] },
  },
  {
    type: "model",
    id: "chain-quants/Llama-3.1-8B-abliterated-GGUF",
    story: "A quantization of a fine-tune that carries no template: the comparison goes one step further, to the fine-tune's own base, and says so.",
    author: verifiedOrg("chain-quants"),
    ...derivedFrom("middle-tuner/Llama-3.1-8B-abliterated", "quantized"),
    files: [gitattributes, readme, gguf("Llama-3.1-8B-abliterated-Q4_K_M.gguf", "llama31-base")],
    scansDone: true,
    expect: { level: "info", findings: ["template-changed"] },
  },
  {
    type: "model",
    id: QWEN_BASE,
    story: "A base model that dropped its default system prompt from its template in 2025, after quantizations of it were made.",
    author: verifiedOrg("revising-org"),
    tags: ["transformers", "safetensors", "qwen2", "conversational"],
    config: qwenConfig(QWEN_LATER),
    configAt: { [QWEN_BASE_EARLIER]: qwenConfig(QWEN) },
    files: [
      gitattributes,
      readme,
      { ...config, lastCommit: { title: "Upload config", date: "2024-09-01T10:00:00.000Z", id: QWEN_BASE_EARLIER } },
      safetensors,
      tokenizerConfig(QWEN_LATER, "2025-03-01T10:00:00.000Z", QWEN_BASE_LATER),
    ],
    scansDone: true,
    expect: { level: "ok", findings: [] },
  },
  {
    type: "model",
    id: "quant-lab/Qwen2.5-7B-Instruct-GGUF",
    story: "A quantization made in October 2024 from the base's template of then: it differs from the base's template of today, and matches the base's at that commit (info, naming it).",
    author: verifiedOrg("quant-lab"),
    cardData: { license: "apache-2.0", base_model: QWEN_BASE },
    tags: [`base_model:quantized:${QWEN_BASE}`],
    files: [
      { ...gitattributes, lastCommit: { title: "initial commit", date: "2024-10-15T10:00:00.000Z" } },
      { ...readme, lastCommit: { title: "Upload README.md", date: "2024-10-15T10:00:00.000Z" } },
      gguf("Qwen2.5-7B-Instruct-Q4_K_M.gguf", "qwen25-2024", "2024-10-15T10:00:00.000Z"),
    ],
    scansDone: true,
    expect: { level: "info", findings: ["template-changed"] },
  },
];


