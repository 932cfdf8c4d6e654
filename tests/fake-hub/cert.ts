import { execFileSync } from "node:child_process";
import { createHash, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Certificate {
  key: string;
  cert: string;
  /** base64 sha256 of the SPKI, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiHash: string;
}

/** A fresh self-signed certificate for the Hub's hosts, made with openssl at start (never committed). */
export function makeCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), "fake-hub-cert-"));
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3",
      "-keyout", keyPath, "-out", certPath, "-subj", "/CN=huggingface.co",
      "-addext", "subjectAltName=DNS:huggingface.co,DNS:*.huggingface.co,DNS:hf.co,DNS:*.hf.co,DNS:*.hf.space,DNS:*.xethub.hf.co",
    ],
    { stdio: "pipe" },
  );
  const cert = readFileSync(certPath, "utf8");
  const spki = createPublicKey(cert).export({ type: "spki", format: "der" });
  return { key: readFileSync(keyPath, "utf8"), cert, spkiHash: createHash("sha256").update(spki).digest("base64") };
}
