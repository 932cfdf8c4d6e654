/**
 * Real GGUF v3 files for the fake Hub, the unit tests and the template benchmark, written byte by
 * byte per the GGUF spec (ggml docs/gguf.md): magic, version, tensor and KV counts, the KV metadata
 * in the order llama.cpp's converter writes it (general.*, architecture hyperparameters, then the
 * tokenizer: model, pre, tokens, token types, merges, special ids, and the chat template last),
 * tensor infos, alignment padding, then tensor data. The data is virtual zeros: a file of several
 * GB costs only its header in memory, and only the bytes a Range asks for are produced.
 */
const GGUF_TYPE = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10 } as const;
const GGML_TYPE_F16 = 1;
const GGML_TYPE_Q4_K = 12;
const ALIGNMENT = 32;

export interface GgufSpec {
  architecture: string;
  name: string;
  /** Tokens in the vocabulary: the header grows with it (a 128k vocabulary is several MB). */
  vocabSize: number;
  /** `tokenizer.chat_template`; omitted when undefined. */
  chatTemplate?: string;
  /** `tokenizer.chat_template.<name>` entries. */
  namedTemplates?: Record<string, string>;
  blockCount?: number;
  contextLength?: number;
  /** BPE merges (default: one per token past the 256 byte tokens; Llama 3's 128k vocabulary has 280,147). */
  mergeCount?: number;
  /** Split GGUF (`-00002-of-00003`): only `split.*` keys, as llama.cpp's gguf-split writes later shards. */
  splitShard?: { index: number; count: number };
}

/** Little-endian writer into one growing buffer (a 128k vocabulary is millions of values). */
class Writer {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private static encoder = new TextEncoder();
  length = 0;
  private reserve(count: number) {
    if (this.length + count <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + count) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }
  u32(value: number) {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }
  i32(value: number) {
    this.reserve(4);
    this.view.setInt32(this.length, value, true);
    this.length += 4;
  }
  f32(value: number) {
    this.reserve(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }
  u64(value: number | bigint) {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(value), true);
    this.length += 8;
  }
  u8(value: number) {
    this.reserve(1);
    this.buffer[this.length] = value;
    this.length += 1;
  }
  string(text: string) {
    const bytes = Writer.encoder.encode(text);
    this.u64(bytes.length);
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Byte-level BPE-looking tokens: the 256 byte tokens, then merged pieces, then the special tokens. */
export function vocabulary(size: number): string[] {
  const letters = "etaoinshrdlcumwfgypbvkjxqz";
  const tokens: string[] = [];
  for (let byte = 0; byte < 256 && tokens.length < size; byte++) tokens.push(byte >= 33 && byte <= 126 ? String.fromCharCode(byte) : `<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
  const specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|im_start|>", "<|im_end|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>", "<tool_call>", "</tool_call>"];
  let seed = 7;
  while (tokens.length < size - specials.length) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const length = 2 + (seed % 7);
    let piece = seed % 3 === 0 ? "Ġ" : "";
    for (let i = 0; i < length; i++) piece += letters[(seed >>> (i * 3)) % letters.length] ?? "e";
    tokens.push(`${piece}${tokens.length % 97 === 0 ? tokens.length : ""}`);
  }
  return [...tokens, ...specials].slice(0, size);
}

function writeStringArray(writer: Writer, values: readonly string[]) {
  writer.u32(GGUF_TYPE.ARRAY);
  writer.u32(GGUF_TYPE.STRING);
  writer.u64(values.length);
  for (const value of values) writer.string(value);
}

/** The header (and its alignment padding): everything before the tensor data. */
export function buildGgufHeader(spec: GgufSpec): Uint8Array {
  const blockCount = spec.blockCount ?? 4;
  const kv = new Writer();
  let kvCount = 0;
  const key = (name: string) => {
    kvCount++;
    kv.string(name);
  };
  const str = (name: string, value: string) => {
    key(name);
    kv.u32(GGUF_TYPE.STRING);
    kv.string(value);
  };
  const u32 = (name: string, value: number) => {
    key(name);
    kv.u32(GGUF_TYPE.UINT32);
    kv.u32(value);
  };
  const f32 = (name: string, value: number) => {
    key(name);
    kv.u32(GGUF_TYPE.FLOAT32);
    kv.f32(value);
  };
  if (spec.splitShard) {
    u32("split.no", spec.splitShard.index - 1);
    key("split.count");
    kv.u32(GGUF_TYPE.UINT32);
    kv.u32(spec.splitShard.count);
    key("split.tensors.count");
    kv.u32(GGUF_TYPE.INT32);
    kv.i32(blockCount * 9);
  } else {
    const arch = spec.architecture;
    str("general.architecture", arch);
    str("general.type", "model");
    str("general.name", spec.name);
    u32("general.file_type", 15);
    u32(`${arch}.context_length`, spec.contextLength ?? 8192);
    u32(`${arch}.block_count`, blockCount);
    u32(`${arch}.embedding_length`, 256);
    u32(`${arch}.feed_forward_length`, 1024);
    u32(`${arch}.attention.head_count`, 8);
    u32(`${arch}.attention.head_count_kv`, 2);
    f32(`${arch}.rope.freq_base`, 500000);
    f32(`${arch}.attention.layer_norm_rms_epsilon`, 1e-5);
    u32(`${arch}.vocab_size`, spec.vocabSize);
    str("tokenizer.ggml.model", "gpt2");
    str("tokenizer.ggml.pre", arch === "qwen2" ? "qwen2" : "llama-bpe");
    const tokens = vocabulary(spec.vocabSize);
    key("tokenizer.ggml.tokens");
    writeStringArray(kv, tokens);
    key("tokenizer.ggml.token_type");
    kv.u32(GGUF_TYPE.ARRAY);
    kv.u32(GGUF_TYPE.INT32);
    kv.u64(tokens.length);
    tokens.forEach((token) => kv.i32(token.startsWith("<|") ? 3 : 1));
    key("tokenizer.ggml.merges");
    const merges: string[] = [];
    const mergeCount = spec.mergeCount ?? Math.max(0, tokens.length - 256);
    for (let m = 0; m < mergeCount; m++) {
      const token = tokens[256 + (m % Math.max(1, tokens.length - 256))] ?? "ab";
      const cut = Math.max(1, Math.floor(token.length / 2));
      merges.push(`${token.slice(0, cut)} ${token.slice(cut) || "e"}`);
    }
    writeStringArray(kv, merges);
    u32("tokenizer.ggml.bos_token_id", Math.max(0, spec.vocabSize - 9));
    u32("tokenizer.ggml.eos_token_id", Math.max(0, spec.vocabSize - 5));
    if (spec.chatTemplate !== undefined) str("tokenizer.chat_template", spec.chatTemplate);
    for (const [name, template] of Object.entries(spec.namedTemplates ?? {})) str(`tokenizer.chat_template.${name}`, template);
    u32("general.quantization_version", 2);
  }
  const tensors = new Writer();
  let tensorCount = 0;
  let offset = 0n;
  const tensor = (name: string, dims: number[], type: number, bytes: number) => {
    tensorCount++;
    tensors.string(name);
    tensors.u32(dims.length);
    for (const dim of dims) tensors.u64(dim);
    tensors.u32(type);
    tensors.u64(offset);
    offset += BigInt(Math.ceil(bytes / ALIGNMENT) * ALIGNMENT);
  };
  if (!spec.splitShard || spec.splitShard.index === 1) tensor("token_embd.weight", [256, spec.vocabSize], GGML_TYPE_Q4_K, 256 * spec.vocabSize * 0.5625);
  for (let block = 0; block < blockCount; block++) {
    for (const [name, dims] of [
      ["attn_norm.weight", [256]],
      ["attn_q.weight", [256, 256]],
      ["attn_k.weight", [256, 64]],
      ["attn_v.weight", [256, 64]],
      ["attn_output.weight", [256, 256]],
      ["ffn_norm.weight", [256]],
      ["ffn_gate.weight", [256, 1024]],
      ["ffn_up.weight", [256, 1024]],
      ["ffn_down.weight", [1024, 256]],
    ] as const) {
      tensor(`blk.${block}.${name}`, [...dims], dims.length === 1 ? GGML_TYPE_F16 : GGML_TYPE_Q4_K, dims.reduce((a, b) => a * b, 1));
    }
  }
  const head = new Writer();
  head.u8(0x47); // G
  head.u8(0x47); // G
  head.u8(0x55); // U
  head.u8(0x46); // F
  head.u32(3);
  head.u64(tensorCount);
  head.u64(kvCount);
  const unpadded = head.length + kv.length + tensors.length;
  const padded = Math.ceil(unpadded / ALIGNMENT) * ALIGNMENT;
  const out = new Uint8Array(padded);
  out.set(head.bytes(), 0);
  out.set(kv.bytes(), head.length);
  out.set(tensors.bytes(), head.length + kv.length);
  return out;
}

/** A GGUF file of `size` bytes: the header, then zeros. `read` produces only the bytes asked for. */
export function sparseGguf(header: Uint8Array, size: number) {
  if (size < header.length) throw new Error(`a GGUF of ${size} bytes cannot hold its ${header.length}-byte header`);
  return {
    size,
    headerLength: header.length,
    read(start: number, length: number): Uint8Array {
      const end = Math.min(size, start + length);
      const out = new Uint8Array(Math.max(0, end - start));
      if (start < header.length) out.set(header.subarray(start, Math.min(end, header.length)), 0);
      return out;
    },
  };
}
