import { browser } from "wxt/browser";
import type { Envelope, MessageType, RequestOf, ResponseOf } from "./protocol";

/** Typed request to the background. Rejects with the background's error message when it refuses. */
export async function sendToBackground<K extends MessageType>(type: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  const envelope: Envelope<K> = { hubSentinel: 1, type, payload };
  const answer: unknown = await browser.runtime.sendMessage(envelope);
  if (typeof answer === "object" && answer !== null && "error" in answer && typeof answer.error === "string") {
    throw new Error(answer.error);
  }
  if (typeof answer !== "object" || answer === null || !("result" in answer)) {
    throw new Error("The extension's background did not answer.");
  }
  return answer.result as ResponseOf<K>;
}
