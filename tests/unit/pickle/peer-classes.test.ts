/**
 * Issue 15: the attack classes of picklescan's and fickling's tests and advisories, each as a plain pickle
 * and injected into a PyTorch zip, plus the benign files real repos hold. Every fixture and its expected
 * verdict come from scripts/make-pickle-fixtures.py (manifest.json); none is special-cased here.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { OWN_SCAN_DEFAULTS } from "../../../lib/hub/own-scans";
import { importEffect } from "../../../lib/readers/pickle/classify";
import { scanPickleFile } from "../../../lib/readers/pickle/scan-file";
import { fixture, memoryFile } from "./fixtures";

interface ManifestEntry {
  file: string;
  expect: "clean" | "dangerous" | "unknown" | "suspicious";
  class?: string;
  source?: string;
}

const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../fixtures/pickles/manifest.json", import.meta.url)), "utf8")) as ManifestEntry[];

async function scan(name: string) {
  const data = fixture(name);
  const file = memoryFile(data);
  const result = await scanPickleFile({
    path: name,
    size: data.length,
    read: file.read,
    maxBytes: OWN_SCAN_DEFAULTS.maxBytesPerFile,
    chunkSize: OWN_SCAN_DEFAULTS.chunkSize,
  });
  return { result, file };
}

describe("every fixture gets its declared verdict", () => {
  it.each(manifest.map((entry) => [entry.file, entry.expect, entry] as const))("%s → %s", async (_file, expected, entry) => {
    const { result } = await scan(entry.file);
    expect(result.verdict, result.reason).toBe(expected);
    if (expected === "dangerous") {
      // Each dangerous import says, in plain words, what loading it would do.
      const dangerous = result.imports.filter((imp) => imp.safety === "dangerous");
      expect(dangerous.length).toBeGreaterThan(0);
      for (const imp of dangerous) expect(importEffect(imp.module, imp.name), `${imp.module}.${imp.name}`).toMatch(/\w{3}/);
    }
    if (expected === "clean") expect(result.reason).toBeUndefined();
  });
});

describe("the peer classes", () => {
  const peers = manifest.filter((entry) => entry.file.startsWith("peer-") && entry.expect === "dangerous");

  it("each class comes as a plain pickle and injected into a PyTorch zip", () => {
    const stems = new Set(peers.filter((entry) => entry.file.endsWith(".pkl")).map((entry) => entry.file.slice(0, -".pkl".length)));
    const missingZip = [...stems].filter((stem) => !peers.some((entry) => entry.file === `${stem}-torch.pt`));
    // The protocol 0/1 and EXT spellings are extra plain pickles of classes that also have a zip.
    expect(missingZip.filter((stem) => !/proto[01]|ext-registry/.test(stem))).toEqual([]);
    expect(stems.size).toBeGreaterThanOrEqual(50);
  });

  it("an injected payload is found beside the checkpoint's own imports", async () => {
    const { result } = await scan("peer-torch-hub-load-torch.pt");
    expect(result.imports.map((imp) => `${imp.module}.${imp.name}`)).toEqual(
      expect.arrayContaining(["torch.hub.load", "torch._utils._rebuild_tensor_v2", "collections.OrderedDict"]),
    );
  });

  it("non-pickle bytes are reported as not a pickle this reader knows, not as an alarm", async () => {
    for (const entry of manifest.filter((candidate) => candidate.class === "non-pickle bytes")) {
      const { result } = await scan(entry.file);
      expect(result.verdict).toBe("unknown");
      expect(result.imports).toEqual([]);
      expect(result.reason).toMatch(/not a pickle/);
    }
  });

  it("a member really encrypted stays unknown and says so", async () => {
    const { result } = await scan("peer-really-encrypted.zip");
    expect(result.reason).toMatch(/encrypted/);
  });

  it("a split dotted path gives the same verdict and words as the joined one", async () => {
    const words = await Promise.all(
      ["peer-runstring-joined.pkl", "peer-runstring-split.pkl", "peer-runstring-split-top.pkl"].map(async (name) => {
        const { result } = await scan(name);
        const [imp] = result.imports;
        return imp === undefined ? undefined : [imp.safety, importEffect(imp.module, imp.name)];
      }),
    );
    expect(new Set(words.map((w) => JSON.stringify(w))).size).toBe(1);
    expect(words[0]).toEqual(["dangerous", "evaluates a code string"]);
  });
});
