/**
 * chat-template: a chat template reaches for Python internals (issue 16). Templates are read from
 * GGUF headers (`tokenizer.chat_template`), the model info's `gguf` field, `tokenizer_config.json`,
 * `chat_template.jinja` and `chat_template.json` (lib/hub/template-scans.ts), and judged by their
 * syntax tree (lib/readers/chat-template/judge.ts).
 * Examples: https://huggingface.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF (GGUF headers with
 * templates), https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/tokenizer_config.json
 * (a tokenizer_config with a tool-calling template); the anchor is CVE-2024-34359 ("Llama Drama"),
 * a GGUF template that ran `os.popen` in llama-cpp-python, which rendered templates unsandboxed.
 *
 * Levels: `danger` for a template with any hit (no honest template touches dunders or Jinja's
 * function globals); `unknown` for a template that could not be tokenized, a file that could not be
 * read within the caps, and GGUF files whose header was not read at all (a GGUF is not a safe
 * format until then). Clean templates, files without one and later shards of a split GGUF add nothing.
 *
 * Two `info` cases (issue 24):
 * - GGUF files left unread to keep the page within its byte budget (`deferred`), when every header
 *   that was read carries the Hub's own `gguf.chat_template` and that copy is clean: the Hub read
 *   the repo's GGUF, the most used quantizations we read agree with it, so the rest are very likely
 *   the same; they are named, and read when their row or file page is opened (contract, "Levels").
 *   A read header whose template differs from the Hub's copy (or no copy to compare with) leaves
 *   them unvouched: `unknown`, as before.
 * - A tokenizer config that was refused (gated) or missing, judged from the Hub's copy of its
 *   template in the model info: said, since the file's own bytes were not read.
 */
import type { TemplateHitKind } from "../readers/chat-template/judge";
import { fingerprintOf } from "../readers/chat-template/sources";
import type { ChatTemplateScan, JudgedTemplate, TemplateSource } from "../readers/chat-template/types";
import type { RepoFinding } from "../findings";
import type { RepoFacts } from "../hub/facts";
import { fileName, isGgufFormat } from "../hub/file-kinds";
import { fileUrl, repoUrl } from "../hub/links";
import type { RepoRef } from "../repo-ref";
import { ruleGap } from "./gap-finding";
import { listedFiles, MAX_EVIDENCE, plural, summarize } from "./shared";
import type { Rule } from "./types";

const KIND_WORDS: Record<TemplateHitKind, string> = {
  "dunder-attribute": "Python's internal attributes",
  "dunder-string": "internal attribute names built as strings",
  "computed-attribute": "attribute names computed at render time",
  "escape-global": "Jinja's function globals",
  "code-execution": "calls that run commands or code",
};

const SOURCE_WORDS: Record<TemplateSource, string> = {
  gguf: "GGUF header",
  "model-info": "Hub's model info (gguf.chat_template)",
  "tokenizer-config": "tokenizer config",
  jinja: "template file",
  "chat-template-json": "chat_template.json",
};

/** Expressions quoted per finding: enough to find them in the file. */
const QUOTED_EXPRESSIONS = 3;

function where(scan: ChatTemplateScan): string {
  return scan.path === "" ? "the Hub's model info (gguf.chat_template)" : scan.path;
}

function evidenceOf(repo: RepoRef, scan: ChatTemplateScan) {
  return scan.path === "" ? { label: "Model info: gguf.chat_template", url: repoUrl(repo) } : { label: scan.path, url: fileUrl(repo, scan.path) };
}

function templateLabel(template: JudgedTemplate): string {
  return template.name === "default" ? "The chat template" : `The "${template.name}" chat template`;
}

function escapeFinding(repo: RepoRef, scan: ChatTemplateScan, escaping: JudgedTemplate[]): RepoFinding {
  const sentences = escaping.map((template) => {
    const { judgement } = template;
    if (judgement.verdict !== "escapes") return "";
    const kinds = [...new Set(judgement.hits.map((hit) => KIND_WORDS[hit.kind]))];
    const quoted = judgement.hits.slice(0, QUOTED_EXPRESSIONS).map((hit) => `\`${hit.expression}\``);
    const more = judgement.hits.length > QUOTED_EXPRESSIONS ? ` and ${plural(judgement.hits.length - QUOTED_EXPRESSIONS, "more place")}` : "";
    const partial = judgement.parsed ? "" : " (the template did not fully parse; these were found among its tokens)";
    return `${templateLabel(template)} uses ${summarize(kinds, 5)}: ${quoted.join(", ")}${more}${partial}.`;
  });
  const gguf = scan.source === "gguf" || scan.source === "model-info";
  return {
    id: "chat-template",
    level: "danger",
    title: `Chat template in ${scan.path === "" ? "the model info" : fileName(scan.path)} reaches for Python internals`,
    explanation: [
      `In ${scan.path === "" ? where(scan) : `the ${SOURCE_WORDS[scan.source]} of ${scan.path}`}${scan.copy === "model-info" ? ` (judged from the Hub's copy in the model info, config.tokenizer_config.chat_template: ${scan.reason?.replace(/^judged from the Hub's copy in the model info; /, "") ?? "the file itself could not be read"})` : ""}:`,
      ...sentences,
      "A chat template only needs the messages; these are how a template breaks out of Jinja's sandbox and runs commands on the machine that renders it, as the GGUF template of CVE-2024-34359 (\"Llama Drama\") ran os.popen in llama-cpp-python.",
    ].join(" "),
    evidence: [evidenceOf(repo, scan)],
    advice: [
      gguf
        ? "Do not load this GGUF with a runtime that renders chat templates unsandboxed (llama-cpp-python before 0.2.72, or your own Jinja2 code), and do not apply its template at all until you have read it."
        : "Do not apply this tokenizer's chat template with code that renders it unsandboxed (your own Jinja2 Environment, old runtimes); read the template before using the tokenizer.",
      "Report the repo to Hugging Face (the Report button on the model page, or a discussion), naming this file.",
    ],
  };
}

function uncheckedFinding(repo: RepoRef, items: { scan: ChatTemplateScan; why: string }[]): RepoFinding {
  return {
    id: "chat-template",
    level: "unknown",
    title: `${plural(items.length, "chat template source")} could not be checked`,
    explanation: [
      `Hub Sentinel could not judge the chat templates of ${summarize(items.map((item) => (item.scan.path === "" ? "the model info" : item.scan.path)))}:`,
      items
        .slice(0, MAX_EVIDENCE)
        .map((item) => `${item.scan.path === "" ? "model info" : item.scan.path}: ${item.why}`)
        .join("; ") + ".",
      "Until they are checked, nothing vouches that loading these files runs no code through their template.",
    ].join(" "),
    evidence: items.slice(0, MAX_EVIDENCE).map((item) => evidenceOf(repo, item.scan)),
    advice: ["Read the chat template on the Hub before loading these files (the file view shows it), or reload the page to try again."],
  };
}

/**
 * Whether GGUF files left unread for the page's budget are vouched for by the Hub's copy of the
 * template: the model info has `gguf.chat_template`, it is clean, at least one header read holds
 * it as its default template, and no header read holds another (a header without any template
 * holds nothing to differ: vision projectors, base models).
 */
export function hubCopyVouchesForUnread(facts: RepoFacts): boolean {
  const hubTemplate = facts.info.ok ? facts.info.value.ggufChatTemplate : undefined;
  if (hubTemplate === undefined || !facts.chatTemplates?.ok) return false;
  const hubFingerprint = fingerprintOf(hubTemplate);
  const read = facts.chatTemplates.value.filter((scan) => scan.source === "gguf" && scan.status === "read" && scan.templates.length > 0);
  if (read.length === 0) return false;
  for (const scan of read) {
    const main = scan.templates.find((template) => template.name === "default");
    if (main?.fingerprint !== hubFingerprint || main.judgement.verdict !== "clean") return false;
  }
  return true;
}

/** The level a GGUF row says for its unread template: `info` when left for the budget and vouched for, else `unknown`. */
export function unreadTemplateLevel(facts: RepoFacts, scan: ChatTemplateScan): "info" | "unknown" {
  return scan.deferred === "budget" && hubCopyVouchesForUnread(facts) ? "info" : "unknown";
}

function deferredFinding(repo: RepoRef, deferred: ChatTemplateScan[], readCount: number, budgetWords: string): RepoFinding {
  const names = deferred.map((scan) => fileName(scan.path));
  return {
    id: "chat-template",
    level: "info",
    title: `${plural(deferred.length, "GGUF file's chat template", "GGUF files' chat templates")} not read yet`,
    explanation: [
      `To keep within ${budgetWords}, Hub Sentinel read the headers of the most used quantizations first:`,
      `the ${plural(readCount, "header")} read ${readCount === 1 ? "carries" : "all carry"} the Hub's own copy of the template (gguf.chat_template in the model info), which reaches for nothing.`,
      `Not read yet: ${summarize(names, 8)}. Each is read when you open its row on the Files tab or its file page.`,
    ].join(" "),
    // Every such file, so that each row carries the finding (a repo has a few dozen GGUF files at most).
    evidence: deferred.map((scan) => evidenceOf(repo, scan)),
    advice: ["Before you download one of these files, open its row or file page so that its own template is read; until then only the Hub's copy vouches for it."],
  };
}

function hubCopyFinding(repo: RepoRef, scans: ChatTemplateScan[]): RepoFinding {
  const paths = scans.map((scan) => scan.path);
  const why = scans[0]?.reason?.replace(/^judged from the Hub's copy in the model info; /, "") ?? "the file itself could not be read";
  return {
    id: "chat-template",
    level: "info",
    title: `Chat template judged from the Hub's copy: ${summarize(paths.map(fileName))} not read`,
    explanation: `The chat template judged is the Hub's copy in the model info (config.tokenizer_config.chat_template); ${why}. That copy reaches for nothing. Hub Sentinel reads anonymously, so a file behind a gate stays closed to it even when you have access.`,
    evidence: scans.slice(0, MAX_EVIDENCE).map((scan) => evidenceOf(repo, scan)),
    advice: ["Once you have access, the template you load is the file's own; it is the Hub's copy unless the repo changed after the Hub read it."],
  };
}

export const chatTemplateRule: Rule = {
  id: "chat-template",
  evaluate(facts) {
    // Without a file list, pickle-imports (which cannot be switched off) already says the files were not checked.
    if (!facts.files.ok) return [];
    if (facts.chatTemplates !== undefined && !facts.chatTemplates.ok) return ruleGap(facts, "chat-template", "the chat templates", facts.chatTemplates.gap);
    const scans = facts.chatTemplates?.value ?? [];
    const findings: RepoFinding[] = [];
    const unchecked: { scan: ChatTemplateScan; why: string }[] = [];
    const vouched = hubCopyVouchesForUnread(facts);
    const deferred: ChatTemplateScan[] = [];
    const fromHubCopy: ChatTemplateScan[] = [];
    for (const scan of scans) {
      if (scan.status === "unread") {
        if (scan.deferred === "budget" && vouched) deferred.push(scan);
        else if (scan.deferred === "budget") unchecked.push({ scan, why: `${scan.reason ?? "not read yet"}, and the headers read do not all carry the Hub's own copy of the template, so nothing vouches for this one` });
        else unchecked.push({ scan, why: scan.reason ?? "not read" });
        continue;
      }
      const escaping = scan.templates.filter((template) => template.judgement.verdict === "escapes");
      if (escaping.length > 0) findings.push(escapeFinding(facts.repo, scan, escaping));
      for (const template of scan.templates) {
        if (template.judgement.verdict === "unparseable") unchecked.push({ scan, why: `${templateLabel(template).toLowerCase()} could not be parsed (${template.judgement.error})` });
      }
      if (scan.copy === "model-info" && escaping.length === 0 && scan.templates.every((template) => template.judgement.verdict === "clean")) fromHubCopy.push(scan);
    }
    if (deferred.length > 0) {
      const budgetWords = /the page's [\d.]+ [KM]?B budget for GGUF headers/.exec(deferred[0]?.reason ?? "")?.[0] ?? "the page's budget for GGUF headers";
      const readCount = scans.filter((scan) => scan.source === "gguf" && scan.status === "read" && scan.templates.length > 0).length;
      findings.push(deferredFinding(facts.repo, deferred, readCount, budgetWords));
    }
    if (fromHubCopy.length > 0) findings.push(hubCopyFinding(facts.repo, fromHubCopy));
    // A GGUF the scanner never looked at (reading switched off, or none of its facts arrived) is not a safe format.
    const seen = new Set(scans.map((scan) => scan.path));
    for (const file of listedFiles(facts)) {
      if (isGgufFormat(file.path) && !seen.has(file.path)) unchecked.push({ scan: { path: file.path, source: "gguf", status: "unread", templates: [], bytesRead: 0, requests: 0 }, why: "its header was not read" });
    }
    if (unchecked.length > 0) findings.push(uncheckedFinding(facts.repo, unchecked));
    return findings;
  },
};
