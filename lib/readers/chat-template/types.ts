/**
 * What the extension learned about the chat templates of a repo's files (issue 16). Owned by the
 * template reader; lib/hub carries them in RepoFacts.chatTemplates and the `chat-template` rule reads them.
 */
import type { TemplateJudgement } from "./judge";

/** Where a template was found. */
export type TemplateSource =
  /** `tokenizer.chat_template` (and `tokenizer.chat_template.<name>`) in a GGUF file's header. */
  | "gguf"
  /** The `gguf.chat_template` of the Hub's model info (the Hub read it from the repo's GGUF). */
  | "model-info"
  /** `chat_template` of a `tokenizer_config.json`: a string, or a list of `{ name, template }`. */
  | "tokenizer-config"
  /** A `chat_template.jinja` (or `additional_chat_templates/*.jinja`): the template itself. */
  | "jinja"
  /** A `chat_template.json` (processors): `{ "chat_template": ... }`. */
  | "chat-template-json";

export interface JudgedTemplate {
  /** The template's name: `default` for the plain one, else the GGUF key suffix or the list entry's name. */
  name: string;
  judgement: TemplateJudgement;
  /** A short hash of the template text: the model info's copy of a GGUF's template is recognised by it. */
  fingerprint: string;
  /**
   * The template itself, when it is at most MAX_KEPT_TEMPLATE_CHARS long (issue 26): the
   * `template-changed` rule compares it with the base model's. Scans are cached in storage, so a
   * longer one is not kept, and the rule says it was too long to compare.
   */
  text?: string;
}

/** Longest template text kept in a scan (real ones are under 20 KB; the longest of the corpus, 40 KB). */
export const MAX_KEPT_TEMPLATE_CHARS = 48 * 1024;

export interface ChatTemplateScan {
  /** The file the templates came from; empty for the model info. */
  path: string;
  source: TemplateSource;
  /**
   * `read`: the file was read and its templates judged (none is fine: `templates` is empty).
   * `unread`: it could not be read within the caps, or failed; `reason` says why. Never clean.
   */
  status: "read" | "unread";
  templates: JudgedTemplate[];
  /** Why the file was not read, or a note on what it holds (e.g. not JSON). */
  reason?: string;
  /**
   * `budget`: an unread GGUF left unread to keep the page within its byte budget (or its count of
   * files), not because it failed; it is read when its row or file page is opened. Such files are
   * `info` when every header read matched the Hub's own `gguf.chat_template` (contract, "Levels").
   */
  deferred?: "budget";
  /**
   * `model-info`: the file itself was refused (a gated repo) or missing, so the templates judged
   * are the Hub's copy of its template in the model info (`config.tokenizer_config.chat_template`).
   */
  copy?: "model-info";
  /** A GGUF's offset where its metadata ended: the other quantizations of the model end about there. */
  headerEnd?: number;
  bytesRead: number;
  requests: number;
}
