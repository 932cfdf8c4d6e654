import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../../fixtures/pickles/", import.meta.url));

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(DIR + name));
}

/** A `read` over bytes in memory that records every request. */
export function memoryFile(bytes: Uint8Array): {
  read: (offset: number, length: number) => Promise<Uint8Array>;
  calls: { offset: number; length: number }[];
  bytesServed: () => number;
} {
  const calls: { offset: number; length: number }[] = [];
  let served = 0;
  return {
    calls,
    bytesServed: () => served,
    read: (offset, length) => {
      calls.push({ offset, length });
      const out = bytes.slice(offset, offset + length);
      served += out.length;
      return Promise.resolve(out);
    },
  };
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}
