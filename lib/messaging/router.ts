import type { Runtime } from "webextension-polyfill";
import { CONTENT_MESSAGES, isEnvelope, PAGE_MESSAGES, type MessageType, type RequestOf, type ResponseOf } from "./protocol";

export type Handlers = { [K in MessageType]: (payload: RequestOf<K>, sender: Runtime.MessageSender) => Promise<ResponseOf<K>> };

/**
 * Who may send what, decided once here (uBlock Origin's and Bitwarden's lesson): messages for
 * the extension's own pages are refused from content scripts and web pages, whatever they claim.
 */
export function isExtensionPageSender(sender: Runtime.MessageSender, extensionOrigin: string, extensionId: string): boolean {
  return sender.id === extensionId && typeof sender.url === "string" && sender.url.startsWith(extensionOrigin);
}

export function isContentScriptSender(sender: Runtime.MessageSender, extensionId: string): boolean {
  if (sender.id !== extensionId || !sender.tab || typeof sender.url !== "string") return false;
  try {
    const host = new URL(sender.url).hostname;
    return host === "huggingface.co" || host === "hf.co";
  } catch {
    return false;
  }
}

export function createMessageRouter(handlers: Handlers, identity: { extensionOrigin: string; extensionId: string }) {
  return async function route(message: unknown, sender: Runtime.MessageSender): Promise<{ result: unknown } | { error: string }> {
    if (!isEnvelope(message)) return { error: "Not a Hub Sentinel message." };
    const type = message.type;
    const fromPage = isExtensionPageSender(sender, identity.extensionOrigin, identity.extensionId);
    const fromContent = !fromPage && isContentScriptSender(sender, identity.extensionId);
    const allowed =
      ((PAGE_MESSAGES as readonly string[]).includes(type) && fromPage) ||
      ((CONTENT_MESSAGES as readonly string[]).includes(type) && (fromContent || fromPage));
    if (!allowed) return { error: `Refused: '${String(type)}' is not accepted from this sender.` };
    const handler = handlers[type] as (payload: unknown, sender: Runtime.MessageSender) => Promise<unknown>;
    try {
      return { result: await handler(message.payload, sender) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : "The background failed." };
    }
  };
}
