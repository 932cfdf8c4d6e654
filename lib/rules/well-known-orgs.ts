/**
 * Namespaces people trust on sight: the Hub's most downloaded and most followed authors, written
 * from knowledge of the Hub in 2025–2026 (not fetched: the list ships with the extension so that
 * lookalike-author works offline and cannot be poisoned). Spelling and case as on the Hub.
 *
 * Only names known to be the genuine account belong here: a name on the list is never reported as
 * a look-alike, so adding a squatted name (say "deepseek" next to the real "deepseek-ai") would
 * whitelist the squatter. Data only; lookalike.ts does the comparing.
 */
export const WELL_KNOWN_ORGS: readonly string[] = [
  // Frontier labs and large companies
  "meta-llama", "facebook", "FacebookAI", "google", "google-bert", "google-t5", "google-research",
  "microsoft", "openai", "openai-community", "mistralai", "mistral-community", "Qwen", "Alibaba-NLP",
  "deepseek-ai", "nvidia", "apple", "amazon-science", "ibm-granite", "ibm-research", "Intel", "amd",
  "qualcomm", "Snowflake", "databricks", "Salesforce", "ServiceNow-AI", "CohereForAI", "CohereLabs",
  "xai-org", "ai21labs", "tiiuae", "upstage", "LGAI-EXAONE", "naver-clova-ix", "sarvamai", "baidu",
  "PaddlePaddle", "tencent", "TencentARC", "Tencent-Hunyuan", "ByteDance", "ByteDance-Seed",
  "moonshotai", "zai-org", "THUDM", "01-ai", "baichuan-inc", "internlm", "OpenGVLab", "MiniMaxAI",
  "stepfun-ai", "XiaomiMiMo", "LiquidAI", "inclusionAI", "rednote-hilab", "Skywork", "openbmb",
  "huawei-noah", "FunAudioLLM", "iic", "damo-vilab", "ali-vilab", "modelscope", "Wan-AI",
  "allenai", "EleutherAI", "bigscience", "bigcode", "BAAI", "lmsys", "lmarena-ai", "NousResearch",
  "togethercomputer", "mosaicml", "cerebras", "answerdotai", "swiss-ai", "utter-project",
  // Hugging Face's own namespaces
  "huggingface", "HuggingFaceH4", "HuggingFaceTB", "HuggingFaceM4", "HuggingFaceFW", "huggingface-course",
  "hf-internal-testing", "open-llm-leaderboard", "mteb", "gradio", "diffusers", "optimum", "optimum-intel",
  "lighteval", "argilla", "timm", "sentence-transformers", "cross-encoder", "distilbert", "albert",
  "llava-hf", "distil-whisper", "parler-tts", "smolagents", "onnx-community", "Xenova", "keras", "keras-io",
  // Image, video and audio models
  "stabilityai", "runwayml", "black-forest-labs", "CompVis", "stable-diffusion-v1-5", "playgroundai",
  "Lightricks", "genmo", "kandinsky-community", "DeepFloyd", "segmind", "latent-consistency", "h94",
  "lllyasviel", "InstantX", "Shakker-Labs", "XLabs-AI", "city96", "Comfy-Org", "madebyollin", "briaai",
  "Kwai-Kolors", "IDEA-Research", "ultralytics", "Ultralytics", "openai-whisper", "Systran", "pyannote",
  "speechbrain", "espnet", "nvidia-nemo", "coqui", "suno", "myshell-ai", "hexgrad", "fishaudio", "SWivid",
  "kyutai", "rhasspy",
  // Quantizers and runtimes people download from daily
  "TheBloke", "bartowski", "unsloth", "lmstudio-community", "mlx-community", "ggml-org", "ggerganov",
  "mradermacher", "MaziyarPanahi", "QuantFactory", "second-state", "RedHatAI", "neuralmagic",
  "ModelCloud", "casperhansen", "turboderp", "OpenVINO", "bitsandbytes",
  // Embeddings, NLP and research groups with very high downloads
  "intfloat", "thenlper", "jinaai", "nomic-ai", "mixedbread-ai", "WhereIsAI", "dunzhang", "Snowflake",
  "NeuML", "lightonai", "vidore", "jhu-clsp", "cardiffnlp", "dslim", "deepset", "Davlan", "dbmdz",
  "Helsinki-NLP", "hfl", "uer", "klue", "cl-tohoku", "tohoku-nlp", "rinna", "cyberagent", "elyza",
  "llm-jp", "pfnet", "sbintuitions", "tokyotech-llm", "ai-forever", "DeepPavlov", "vinai", "aubmindlab",
  "UBC-NLP", "j-hartmann", "SamLowe", "nlptown", "ProsusAI", "finiteautomata", "mrm8488", "valhalla",
  "flair", "spacy", "stanfordnlp", "stanford-crfm", "princeton-nlp", "tatsu-lab", "openchat",
  "teknium", "cognitivecomputations", "Open-Orca", "OpenAssistant", "laion", "lmms-lab", "liuhaotian",
  "vikhyatk", "TIGER-Lab", "cais", "codellama", "meta-math", "jonatasgrosman", "pierreguillou",
  "neuralmind", "dccuchile", "PlanTL-GOB-ES", "projecte-aina", "BSC-LT", "bigbio", "emilyalsentzer",
  "dmis-lab", "nateraw", "mozilla-foundation",
  // Hugging Face staff and community figures whose names are trusted on sight
  "julien-c", "thomwolf", "clem", "osanseviero", "merve", "nielsr", "ybelkada", "ArthurZ",
  "sanchit-gandhi", "reach-vb", "Narsil", "lysandre", "patrickvonplaten", "sshleifer", "philschmid",
  "lewtun", "abidlabs", "multimodalart", "ylacombe",
];

/** Lower-cased, de-duplicated: the Hub treats namespaces case-insensitively. */
export const WELL_KNOWN_ORG_SET: ReadonlySet<string> = new Set(WELL_KNOWN_ORGS.map((name) => name.toLowerCase()));
