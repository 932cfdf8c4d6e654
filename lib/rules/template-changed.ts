/**
 * template-changed: a derived repo's chat template differs from its base model's (issue 26). A
 * quantization or fine-tune names its `base_model`; its template (GGUF headers, the model info's
 * `gguf`, `tokenizer_config.json`, `chat_template.jinja`/`.json`: every source the chat-template
 * check reads) is compared by syntax tree (lib/readers/chat-template/compare.ts) with the base's
 * (lib/hub/base-template.ts: the base's model info, readable even for gated bases, or its files).
 * Examples: https://huggingface.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF (a GGUF quantization
 * of a gated base, whose template should match), https://huggingface.co/unsloth/Qwen2.5-7B-Instruct
 * (a fine-tune repo that ships its own tokenizer_config.json). The anchor is Pillar Security's 2025
 * report of GGUF templates that add a hidden instruction, a link to recommend or a branch that fires
 * on a trigger word, with weights and scanners none the wiser.
 *
 * Levels (the contract): `warn` when the template adds instructions, links, addresses or branches
 * on what a message says (or on inputs the base never reads); `info` when it only drops or
 * reformats what the base had, matches the base at an earlier revision or another of the bases a
 * merge names, and whenever there is no base template to compare with or only part of the
 * comparison could be made; nothing when they match. A base that could not be read for a reason
 * that may pass (network, rate limit) is `unknown`.
 */
import {
  compareWithBestBase,
  isSevere,
  type AdditionKind,
  type TemplateAddition,
  type TemplateComparison,
  type TemplatePlace,
} from "../readers/chat-template/compare";
import type { ChatTemplateScan } from "../readers/chat-template/types";
import { MAX_KEPT_TEMPLATE_CHARS } from "../readers/chat-template/types";
import type { Evidence, RepoFinding, TemplateDiff, TemplateDiffLine } from "../findings";
import type { BaseTemplateLookup, BaseTemplates } from "../hub/base-template";
import { fileUrl, HUB_ORIGIN, repoUrl } from "../hub/links";
import type { RepoRef } from "../repo-ref";
import { ruleGap } from "./gap-finding";
import { dateWords, plural, summarize } from "./shared";
import type { Rule } from "./types";

const KIND_WORDS: Record<AdditionKind, { one: string; many: string }> = {
  instruction: { one: "an instruction", many: "instructions" },
  link: { one: "a link", many: "links" },
  address: { one: "an address (e-mail, crypto or phone)", many: "addresses (e-mail, crypto or phone)" },
  "content-branch": { one: "a branch on what a message says", many: "branches on what a message says" },
  "input-branch": { one: "a branch on an input the base never reads", many: "branches on inputs the base never reads" },
  markup: { one: "markup", many: "markup" },
};

const PLACE_WORDS: Record<TemplatePlace, string> = {
  system: "outside the message loop (the system block)",
  messages: "in the message loop",
  generation: "in the generation prompt",
  macro: "in a macro",
};

const BASE_SOURCE_WORDS: Record<BaseTemplates["source"], string> = {
  "model-info": "its model info (config.tokenizer_config.chat_template)",
  "model-info-gguf": "its model info (gguf.chat_template)",
  "tokenizer-config": "its tokenizer_config.json",
  jinja: "its chat_template.jinja",
};

/** Added lines shown side by side: enough to judge, short enough for a narrow panel. */
const SHOWN_LINES = 4;

/** One derived template text, wherever it was found (a GGUF repo holds the same one in every file). */
interface DerivedText {
  name: string;
  text?: string;
  length: number;
  unparseable: boolean;
  scans: ChatTemplateScan[];
}

function derivedTexts(scans: readonly ChatTemplateScan[]): DerivedText[] {
  const byKey = new Map<string, DerivedText>();
  for (const scan of scans) {
    if (scan.status !== "read") continue;
    for (const template of scan.templates) {
      const key = `${template.name}\u0000${template.fingerprint}`;
      const known = byKey.get(key);
      if (known) {
        if (!known.scans.includes(scan)) known.scans.push(scan);
        continue;
      }
      const length = Number(template.fingerprint.split(":")[0]) || template.text?.length || 0;
      byKey.set(key, { name: template.name, ...(template.text !== undefined ? { text: template.text } : {}), length, unparseable: template.judgement.verdict === "unparseable", scans: [scan] });
    }
  }
  return [...byKey.values()];
}

function placeOf(scan: ChatTemplateScan): string {
  return scan.path === "" ? "the model info (gguf.chat_template)" : scan.path;
}

function derivedLabel(item: DerivedText): string {
  const first = item.scans[0];
  const where = first ? placeOf(first) : "the repo";
  const more = item.scans.length > 1 ? ` (and ${plural(item.scans.length - 1, "more file")})` : "";
  const name = item.name === "default" ? "" : ` ("${item.name}" template)`;
  return `${where}${name}${more}`;
}

function derivedEvidence(repo: RepoRef, item: DerivedText): Evidence[] {
  return item.scans.slice(0, 3).map((scan) => (scan.path === "" ? { label: "Model info: gguf.chat_template", url: repoUrl(repo) } : { label: scan.path, url: fileUrl(repo, scan.path) }));
}

function baseRef(id: string, revision = "main"): RepoRef {
  return { type: "model", id, revision };
}

function baseUrl(base: BaseTemplates): string {
  const ref = baseRef(base.repoId, base.revision?.sha ?? "main");
  // At an earlier commit: the repo's files at that commit, so a person sees the template as it was.
  return base.path ? fileUrl(ref, base.path) : base.revision ? fileUrl(ref, "") : repoUrl(ref);
}

function baseLabel(base: BaseTemplates): string {
  const at = base.revision ? ` at commit ${base.revision.sha.slice(0, 7)} (${dateWords(base.revision.date)})` : "";
  return `${base.repoId}${at}, ${BASE_SOURCE_WORDS[base.source]}`;
}

interface Outcome {
  item: DerivedText;
  comparison: TemplateComparison;
  against: BaseTemplates;
  baseName: string;
}

/** Lower is better: what explains the derived template best. */
function score(comparison: TemplateComparison): number {
  if (comparison.status === "same") return 0;
  if (comparison.status === "unparseable") return comparison.side === "base" ? 3_000_000 : 4_000_000;
  const severe = comparison.additions.filter((addition) => isSevere(addition.kind)).length;
  return (severe > 0 ? 2_000_000 + severe * 1000 : 1_000_000) + comparison.additions.length + comparison.moreAdditions + comparison.dropped.length;
}

function bestOutcome(item: DerivedText & { text: string }, sets: readonly BaseTemplates[]): Outcome | undefined {
  let best: Outcome | undefined;
  for (const against of sets) {
    const result = compareWithBestBase({ name: item.name, text: item.text }, against.templates);
    if (!result) continue;
    if (!best || score(result.comparison) < score(best.comparison)) best = { item, comparison: result.comparison, against, baseName: result.baseName };
    if (result.comparison.status === "same") break;
  }
  return best;
}

function severeAdditions(comparison: TemplateComparison): TemplateAddition[] {
  return comparison.status === "changed" ? comparison.additions.filter((addition) => isSevere(addition.kind)) : [];
}

function lineOf(addition: TemplateAddition): TemplateDiffLine {
  return { what: KIND_WORDS[addition.kind].one, where: PLACE_WORDS[addition.place], derived: addition.derived, ...(addition.base !== undefined ? { base: addition.base } : {}) };
}

/** How the compared base was reached, the other bases, and the second look, in sentences. */
function contextNotes(lookup: BaseTemplateLookup & { status: "found" }, used: BaseTemplates): string[] {
  const notes: string[] = [];
  if (lookup.via.length > 0) notes.push(`${summarize(lookup.via)} carries no chat template, so the comparison is with ${lookup.compared.repoId}, its base (Hub Sentinel follows two steps).`);
  if (lookup.baseOfBase) notes.push(`${lookup.compared.repoId} is itself derived from ${lookup.baseOfBase}; its own template was compared.`);
  const others = lookup.named.filter((id) => id.toLowerCase() !== lookup.compared.repoId.toLowerCase() && !lookup.via.includes(id));
  if (others.length > 0) {
    const read = lookup.alternatives.filter((alternative) => !alternative.revision).map((alternative) => alternative.repoId);
    const unread = others.filter((id) => !read.some((repoId) => repoId.toLowerCase() === id.toLowerCase()));
    notes.push(
      `This repo names ${plural(lookup.named.length, "base model")}: compared with ${used.repoId}${read.length > 0 ? `, after ${summarize([lookup.compared.repoId, ...read].filter((id) => id !== used.repoId))} too` : ""}${unread.length > 0 ? `; not compared with ${summarize(unread)}` : ""}.`,
    );
  }
  if (lookup.invalid.length > 0) notes.push(`Its base_model also names ${summarize(lookup.invalid.map((entry) => `"${entry}"`))}, not a repo id.`);
  const older = lookup.alternatives.find((alternative) => alternative.revision);
  if (older?.revision && used !== older) notes.push(`The base's template at commit ${older.revision.sha.slice(0, 7)} (${dateWords(older.revision.date)}), when this template was made, was compared too, and explains it no better.`);
  if (lookup.secondLookGap) notes.push(`Not checked against older revisions or other bases: ${lookup.secondLookGap}.`);
  if (lookup.compared.tooLong.length > 0) notes.push(`The base's ${summarize(lookup.compared.tooLong.map((name) => `"${name}"`))} template is longer than the ${MAX_KEPT_TEMPLATE_CHARS / 1024} KB the extension compares.`);
  return notes;
}

function baseEvidence(base: BaseTemplates): Evidence {
  return { label: `Base model: ${baseLabel(base)}`, url: baseUrl(base) };
}

function warnFinding(repo: RepoRef, lookup: BaseTemplateLookup & { status: "found" }, outcomes: Outcome[]): RepoFinding {
  const additions = outcomes.flatMap((outcome) => severeAdditions(outcome.comparison));
  const kinds = [...new Set(additions.map((addition) => addition.kind))];
  const first = outcomes[0] as Outcome;
  const seen = new Set<string>();
  const lines = additions.map(lineOf).filter((line) => {
    const key = `${line.what}\u0000${line.derived}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const hidden = outcomes.reduce((sum, outcome) => sum + (outcome.comparison.status === "changed" ? outcome.comparison.moreAdditions : 0), 0);
  const where = summarize(outcomes.map((outcome) => derivedLabel(outcome.item)), 2);
  const diff: TemplateDiff = {
    base: { id: first.against.repoId, url: baseUrl(first.against), label: baseLabel(first.against) },
    derivedLabel: derivedLabel(first.item),
    lines: lines.slice(0, SHOWN_LINES),
    more: Math.max(0, lines.length - SHOWN_LINES) + hidden,
  };
  return {
    id: "template-changed",
    level: "warn",
    title: `Chat template adds ${summarize(kinds.map((kind) => KIND_WORDS[kind].many))} that ${first.against.repoId}'s does not have`,
    explanation: [
      `Compared by syntax tree with the chat template of the base model ${baseLabel(first.against)}${first.baseName === "default" ? "" : ` (its "${first.baseName}" template)`}, the template in ${where} adds ${plural(lines.length + hidden, "line")} a model would read or act on: ${summarize(
        lines.map((line) => `${line.what} ${line.where}`),
        SHOWN_LINES,
      )} (shown below, beside the base's nearest lines).`,
      "A chat template wraps every conversation: added text steers every answer, and a branch on what a message says fires only for some prompts. The weights are unchanged and the scanners say safe (Pillar Security, 2025).",
      ...contextNotes(lookup, first.against),
    ].join(" "),
    evidence: [...outcomes.flatMap((outcome) => derivedEvidence(repo, outcome.item)).slice(0, 4), baseEvidence(first.against)],
    advice: [
      "Read the added lines: unless the uploader explains them, run the model with the base model's chat template instead (llama.cpp: --chat-template-file; transformers: set tokenizer.chat_template), or use another quantization.",
      "If the additions steer answers (a product, a link, a hidden rule), report the repo to Hugging Face, naming the file.",
    ],
    templateDiff: diff,
  };
}

/** What an outcome that adds nothing severe says, or undefined when it is a plain match. */
function quietNote(outcome: Outcome, lookup: BaseTemplateLookup & { status: "found" }): string | undefined {
  const { comparison, against } = outcome;
  const label = derivedLabel(outcome.item);
  if (comparison.status === "unparseable") {
    return comparison.side === "derived"
      ? `The template in ${label} could not be parsed (${comparison.error}), so it was not compared.`
      : `No base model template to compare with: ${against.repoId}'s template does not parse (${comparison.error}).`;
  }
  const revision = against.revision
    ? `The template in ${label} matches ${against.repoId}'s at an earlier revision, commit ${against.revision.sha.slice(0, 7)} (${dateWords(against.revision.date)}), when it was made; the base has changed its template since.`
    : undefined;
  const otherBase = !against.revision && against.repoId !== lookup.compared.repoId ? `The template in ${label} is closest to that of ${against.repoId}, another of the bases this repo names.` : undefined;
  if (comparison.status === "same") return revision ?? otherBase;
  const markup = comparison.additions.filter((addition) => addition.kind === "markup").map((addition) => `“${addition.added}”`);
  const parts = [
    markup.length > 0 ? `it adds markup only (${summarize(markup)})` : undefined,
    comparison.dropped.length > 0 ? `it drops ${plural(comparison.dropped.length + comparison.moreDropped, "line")} of the base's text (${summarize(comparison.dropped.map((line) => `“${line}”`), 2)})` : undefined,
  ].filter((part): part is string => part !== undefined);
  const what = parts.length > 0 ? `${parts.join(", and ")}` : "it is written differently, but makes the model read nothing the base's does not";
  return [revision ?? otherBase, `The template in ${label} differs from ${baseLabel(against)}: ${what}.`].filter(Boolean).join(" ");
}

function infoFinding(title: string, sentences: string[], evidence: Evidence[], advice: string[]): RepoFinding {
  return { id: "template-changed", level: "info", title, explanation: sentences.join(" "), evidence, advice };
}

export const templateChangedRule: Rule = {
  id: "template-changed",
  evaluate(facts) {
    const lookupFact = facts.baseTemplate;
    if (!lookupFact || !facts.chatTemplates?.ok) return [];
    const items = derivedTexts(facts.chatTemplates.value);
    // Nothing read to compare: the chat-template rule already says which files were not read.
    if (items.length === 0) return [];
    if (!lookupFact.ok) return ruleGap(facts, "template-changed", "the chat template against its base model's", lookupFact.gap);
    const lookup = lookupFact.value;
    const evidence = items.flatMap((item) => derivedEvidence(facts.repo, item)).slice(0, 4);
    if (lookup.status === "none") {
      const named = lookup.named[0] ?? lookup.invalid[0];
      return [
        infoFinding(
          "No base model template to compare with",
          [
            `This repo names ${named !== undefined ? `${lookup.named.length + lookup.invalid.length > 1 ? "several base models, the first" : "a base model,"} ${named}` : "a base model"}, but its chat template could not be compared: ${lookup.reason}.`,
            "Whether its template says more than the original's is not known.",
          ],
          [...evidence, ...(lookup.named[0] ? [{ label: `Base model: ${lookup.named[0]}`, url: `${HUB_ORIGIN}/${lookup.named[0]}` }] : [])],
          ["Read the chat template (the file view shows it) before you run the model, or compare it with the original model's yourself."],
        ),
      ];
    }
    const sets = [lookup.compared, ...lookup.alternatives];
    const outcomes: Outcome[] = [];
    const tooLong: DerivedText[] = [];
    for (const item of items) {
      if (item.text === undefined) {
        tooLong.push(item);
        continue;
      }
      const outcome = bestOutcome({ ...item, text: item.text }, sets);
      if (outcome) outcomes.push(outcome);
    }
    const findings: RepoFinding[] = [];
    const severe = outcomes.filter((outcome) => severeAdditions(outcome.comparison).length > 0);
    if (severe.length > 0) findings.push(warnFinding(facts.repo, lookup, severe));

    const notes = outcomes.filter((outcome) => !severe.includes(outcome)).flatMap((outcome) => quietNote(outcome, lookup) ?? []);
    for (const item of tooLong) notes.push(`The template in ${derivedLabel(item)} is ${Math.round(item.length / 1024)} KB, longer than the ${MAX_KEPT_TEMPLATE_CHARS / 1024} KB the extension compares, so it was not compared.`);
    if (lookup.compared.templates.length === 0) notes.push(`No base model template to compare with: ${lookup.compared.repoId}'s template is longer than the ${MAX_KEPT_TEMPLATE_CHARS / 1024} KB the extension compares.`);
    // Several bases, or a base reached through another: say which was compared, even when it matched.
    const partial = lookup.named.length > 1 || lookup.via.length > 0 || lookup.invalid.length > 0;
    if (findings.length === 0 && (notes.length > 0 || partial)) {
      const used = outcomes[0]?.against ?? lookup.compared;
      const unparseableBase = outcomes.some((outcome) => outcome.comparison.status === "unparseable" && outcome.comparison.side === "base") || lookup.compared.templates.length === 0;
      const matched = outcomes.length > 0 && outcomes.every((outcome) => outcome.comparison.status === "same" && outcome.against === lookup.compared);
      const title = unparseableBase
        ? "No base model template to compare with"
        : matched
          ? `Chat template matches ${used.repoId}'s`
          : outcomes.some((outcome) => outcome.against.revision)
            ? `Chat template matches ${used.repoId}'s at an earlier revision`
            : `Chat template differs from ${used.repoId}'s, adding nothing a model would follow`;
      findings.push(
        infoFinding(
          title,
          [...notes, ...contextNotes(lookup, used)],
          [...evidence, baseEvidence(used)],
          ["Nothing to do unless you rely on the dropped text; the file view shows the template."],
        ),
      );
    }
    return findings;
  },
};

