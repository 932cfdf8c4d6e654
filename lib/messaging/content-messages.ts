import type { ContentEnvelope, PageToContent } from "./protocol";

/** The envelope the popup sends to a tab's content script. */
export function contentEnvelope<K extends keyof PageToContent>(type: K, payload: PageToContent[K]["request"]): ContentEnvelope<K> {
  return { hubSentinel: 1, type, payload };
}

export function isContentEnvelope<K extends keyof PageToContent>(value: unknown, type: K): value is ContentEnvelope<K> {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { hubSentinel?: unknown }).hubSentinel === 1 &&
    (value as { type?: unknown }).type === type
  );
}
