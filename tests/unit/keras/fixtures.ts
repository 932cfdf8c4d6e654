import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A generated Keras fixture (scripts/make-format-fixtures.py) from tests/fixtures/keras. */
export function kerasFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/keras/${name}`, import.meta.url))));
}

/** A reader over bytes that counts what it served. */
export function countingReader(bytes: Uint8Array) {
  const stats = { requests: 0, bytes: 0 };
  const read = (offset: number, length: number) => {
    stats.requests++;
    const slice = bytes.slice(offset, Math.min(bytes.length, offset + length));
    stats.bytes += slice.length;
    return Promise.resolve(slice);
  };
  return { read, stats };
}
