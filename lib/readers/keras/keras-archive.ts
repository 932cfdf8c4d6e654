/**
 * A Keras 3 `.keras` file is a zip (keras/src/saving/saving_lib.py): `metadata.json`,
 * `config.json` and `model.weights.h5`. Only the end of the zip (EOCD and central directory) and
 * the two JSON members are read, by range, never the weights: the directory costs a 4 KiB tail
 * read (64 KiB only when the archive has a comment), the members one more request.
 */
import { checkReadable, memberChunks, memberDataOffset, readZipDirectory, type ReadAt, type ZipEntry } from "../zip/zip";

export interface KerasArchiveMembers {
  /** config.json's text. */
  config: string;
  /** metadata.json's text, when the archive has one. */
  metadata?: string;
}

export class KerasArchiveError extends Error {
  override readonly name = "KerasArchiveError";
}

/** The short tail read that finds the directory of an archive without a comment. */
export const KERAS_TAIL_BYTES = 4096;
/** Bytes of local header (30 + name + extra) assumed when reading a member in one request. */
const LOCAL_HEADER_ALLOWANCE = 30 + 64 + 256;

async function memberText(read: ReadAt, entry: ZipEntry, size: number, maxBytes: number): Promise<string> {
  checkReadable(entry);
  if (entry.uncompressedSize > maxBytes) throw new KerasArchiveError(`${entry.name} is ${entry.uncompressedSize} bytes, more than the ${maxBytes} read`);
  const dataOffset = await memberDataOffset(read, entry, size);
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of memberChunks(read, entry, dataOffset, Math.max(1, entry.compressedSize))) {
    total += chunk.length;
    if (total > maxBytes) throw new KerasArchiveError(`${entry.name} inflates to more than ${maxBytes} bytes`);
    parts.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return new TextDecoder("utf-8").decode(out);
}

/**
 * Reads config.json (and metadata.json) of a `.keras` archive. `prefetch` is handed the span of
 * both members (local headers and data) so a caching reader fetches it in one request.
 */
export async function readKerasArchive(
  read: ReadAt,
  size: number,
  options: { maxConfigBytes: number; prefetch?: (offset: number, length: number) => Promise<void> },
): Promise<KerasArchiveMembers> {
  const directory = await readZipDirectory(read, size, { firstTailBytes: KERAS_TAIL_BYTES, maxCentralDirectoryBytes: 1024 * 1024, maxEntries: 10_000 });
  const byName = (name: string) => directory.entries.find((entry) => entry.name === name && !entry.isDirectory);
  const config = byName("config.json");
  if (!config) throw new KerasArchiveError("the archive has no config.json, so it is not a Keras 3 model file");
  const metadata = byName("metadata.json");
  const wanted = [config, ...(metadata ? [metadata] : [])];
  if (options.prefetch) {
    const start = Math.min(...wanted.map((entry) => entry.localHeaderOffset));
    const end = Math.min(size, Math.max(...wanted.map((entry) => entry.localHeaderOffset + LOCAL_HEADER_ALLOWANCE + entry.compressedSize)));
    // Only when the members sit together (Keras writes them first): never a span that crosses the weights.
    const needed = wanted.reduce((sum, entry) => sum + LOCAL_HEADER_ALLOWANCE + entry.compressedSize, 0);
    if (end - start <= needed) await options.prefetch(start, end - start);
  }
  const metadataText = metadata ? await memberText(read, metadata, size, 64 * 1024).catch(() => undefined) : undefined;
  return { config: await memberText(read, config, size, options.maxConfigBytes), ...(metadataText === undefined ? {} : { metadata: metadataText }) };
}
