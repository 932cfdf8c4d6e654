/**
 * scanner-flag: a Hub scanner (ClamAV, Protect AI, JFrog, VirusTotal) or the repo security status
 * (`securityRepoStatus.filesWithIssues`) reports a file as caution, suspicious or unsafe.
 * Examples: https://huggingface.co/mcpotato/42-eicar-street (the EICAR test file, flagged by ClamAV),
 * https://huggingface.co/api/models/mcpotato/42-eicar-street/scan (the repo-level status).
 *
 * Hugging Face's own pickle-import scan is left to pickle-imports, which can say which imports and
 * why; this rule reports it only through the repo-level list when no per-file detail explains it.
 * Scanner disagreement is shown, because one scanner's "safe" next to another's "unsafe" is a fact
 * a person should weigh, not something the extension should average away.
 */
import type { Evidence, RepoFinding } from "../findings";
import { fileName } from "../hub/file-kinds";
import { SCANNER_LABELS, type RepoFacts, type RepoFile, type ScanStatus, type ScannerName } from "../hub/facts";
import { fileUrl } from "../hub/links";
import { maxLevel, type Level } from "../levels";
import { ruleGap } from "./gap-finding";
import { MAX_EVIDENCE, plural, summarize } from "./shared";
import type { Rule } from "./types";

/** The scanners this rule speaks for (pickleImportScan belongs to pickle-imports). */
const OTHER_SCANNERS: readonly ScannerName[] = ["avScan", "protectAiScan", "jFrogScan", "virusTotalScan"];

const FLAGGED: ReadonlySet<ScanStatus> = new Set(["caution", "suspicious", "unsafe"]);

export function flagLevel(status: ScanStatus): Level {
  return status === "unsafe" ? "danger" : FLAGGED.has(status) ? "warn" : "ok";
}

const STATUS_WORDS: Record<ScanStatus, string> = {
  unscanned: "not scanned",
  safe: "safe",
  queued: "queued",
  error: "scan error",
  caution: "caution",
  suspicious: "suspicious",
  unsafe: "unsafe",
};

interface Flag {
  path: string;
  level: Level;
  words: string;
  evidence: Evidence[];
}

function perFileFlag(repoFile: RepoFile, facts: RepoFacts): Flag | undefined {
  const security = repoFile.security;
  if (!security) return undefined;
  const flagged = OTHER_SCANNERS.filter((name) => {
    const scan = security.scans[name];
    return scan !== undefined && FLAGGED.has(scan.status);
  });
  if (flagged.length === 0) return undefined;
  let level: Level = "ok";
  const evidence: Evidence[] = [{ label: repoFile.path, url: fileUrl(facts.repo, repoFile.path) }];
  for (const name of flagged) {
    const scan = security.scans[name];
    if (!scan) continue;
    level = maxLevel(level, flagLevel(scan.status));
    if (scan.reportLink) {
      evidence.push({ label: `${scan.reportLabel ?? `${SCANNER_LABELS[name]} report`} (${fileName(repoFile.path)})`, url: scan.reportLink });
    }
  }
  // Every scanner's say on the file, flagged ones first, so disagreement is visible.
  const all = OTHER_SCANNERS.filter((name) => security.scans[name] !== undefined).sort(
    (a, b) => Number(flagged.includes(b)) - Number(flagged.includes(a)),
  );
  const says = all.map((name) => {
    const scan = security.scans[name];
    const status = scan ? STATUS_WORDS[scan.status] : "";
    const message = scan?.message && FLAGGED.has(scan.status) ? ` (“${scan.message}”)` : "";
    return `${SCANNER_LABELS[name]}: ${status}${message}`;
  });
  const disagree = all.some((name) => security.scans[name]?.status === "safe");
  return {
    path: repoFile.path,
    level,
    words: `${repoFile.path} — ${says.join("; ")}.${disagree ? " The scanners disagree about this file." : ""}`,
    evidence,
  };
}

export const scannerFlagRule: Rule = {
  id: "scanner-flag",
  evaluate(facts) {
    const findings: RepoFinding[] = [];
    const files = facts.files.ok ? facts.files.value.files : [];
    const flags = files.map((file) => perFileFlag(file, facts)).filter((flag): flag is Flag => flag !== undefined);
    const flaggedPaths = new Set(flags.map((flag) => flag.path));

    if (!facts.security.ok) {
      findings.push(...ruleGap(facts, "scanner-flag", "the repo's security status", facts.security.gap));
    } else {
      for (const issue of facts.security.value.filesWithIssues) {
        if (!FLAGGED.has(issue.level) || flaggedPaths.has(issue.path)) continue;
        const file = files.find((candidate) => candidate.path === issue.path);
        // HF's pickle-import scan explains this file in detail: pickle-imports reports it.
        const pickleScan = file?.security?.scans.pickleImportScan;
        if (pickleScan && FLAGGED.has(pickleScan.status)) continue;
        flags.push({
          path: issue.path,
          level: flagLevel(issue.level),
          words: `${issue.path} — the repo's security status lists it as ${STATUS_WORDS[issue.level]}${file?.security ? "" : " (no per-scanner detail was available)"}.`,
          evidence: [{ label: issue.path, url: fileUrl(facts.repo, issue.path) }],
        });
      }
    }
    if (flags.length === 0) return findings;

    flags.sort((a, b) => Number(b.level === "danger") - Number(a.level === "danger") || a.path.localeCompare(b.path));
    const level = flags.reduce<Level>((acc, flag) => maxLevel(acc, flag.level), "ok");
    findings.push({
      id: "scanner-flag",
      level,
      title:
        level === "danger"
          ? `A scanner marks ${summarize(flags.filter((f) => f.level === "danger").map((f) => fileName(f.path)))} unsafe`
          : `Scanners raise a caution on ${plural(flags.length, "file")}`,
      explanation: [
        "The Hub runs several scanners over uploaded files. They report:",
        ...flags.map((flag) => flag.words),
      ].join("\n"),
      evidence: flags.flatMap((flag) => flag.evidence).slice(0, MAX_EVIDENCE),
      advice:
        level === "danger"
          ? [
              "Do not download or load the flagged files.",
              "Open the scanner reports to see what was detected.",
              "If you believe the repo is malicious, report it to Hugging Face (the ⋮ menu on the repo page).",
            ]
          : ["Open the scanner reports to see what was detected before using these files."],
      ...(level === "danger" ? { overridesAllowlist: true } : {}),
    });
    return findings;
  },
};
