/**
 * The templates a file holds, from its text: `tokenizer_config.json` and `chat_template.json`
 * (`chat_template` is a string, or a list of `{ name, template }` as transformers writes named
 * templates such as `tool_use`), and `.jinja` files (the template itself). Pure: no fetching.
 */
import { judgeTemplate } from "./judge";
import { MAX_KEPT_TEMPLATE_CHARS, type JudgedTemplate, type TemplateSource } from "./types";

export interface TemplatesOfFile {
  templates: JudgedTemplate[];
  /** A note when the file holds no template a loader would use (not JSON, no `chat_template`). */
  note?: string;
}

export function judgeNamed(entries: readonly { name: string; template: string }[]): JudgedTemplate[] {
  return entries.map(({ name, template }) => ({
    name,
    judgement: judgeTemplate(template),
    fingerprint: fingerprintOf(template),
    // Kept for the comparison with the base model's template (compare.ts), within a cap: scans are stored.
    ...(template.length <= MAX_KEPT_TEMPLATE_CHARS ? { text: template } : {}),
  }));
}

/** FNV-1a over the UTF-16 code units, with the length: enough to tell one repo's templates apart, not a security hash. */
export function fingerprintOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${text.length}:${hash.toString(16)}`;
}

/** `chat_template` as transformers reads it: a string, or a list of named templates. */
export function namedTemplates(value: unknown): { name: string; template: string }[] | undefined {
  if (typeof value === "string") return [{ name: "default", template: value }];
  if (!Array.isArray(value)) return undefined;
  const out: { name: string; template: string }[] = [];
  value.forEach((entry, index) => {
    if (typeof entry !== "object" || entry === null) return;
    const { name, template } = entry as { name?: unknown; template?: unknown };
    if (typeof template === "string") out.push({ name: typeof name === "string" ? name : `#${index + 1}`, template });
  });
  return out;
}

export function templatesOfText(source: Exclude<TemplateSource, "gguf" | "model-info">, text: string): TemplatesOfFile {
  if (source === "jinja") return { templates: judgeNamed([{ name: "default", template: text }]) };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // A loader cannot read a template from a file that is not JSON, so none would be rendered from it.
    return { templates: [], note: "the file is not valid JSON, so no loader reads a chat template from it" };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { templates: [], note: "the file is not a JSON object" };
  const named = namedTemplates((body as { chat_template?: unknown }).chat_template);
  if (named === undefined) return { templates: [], note: "the file sets no chat_template" };
  return { templates: judgeNamed(named) };
}
