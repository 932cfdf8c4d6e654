import type { Runtime } from "webextension-polyfill";
import { isContentScriptSender, isExtensionPageSender } from "./senders";
import { CONTENT_MESSAGES, isEnvelope, PAGE_MESSAGES, type MessageType, type RequestOf, type ResponseOf } from "./protocol";

export type Handlers = { [K in MessageType]: (payload: RequestOf<K>, sender: Runtime.MessageSender) => Promise<ResponseOf<K>> };

/**
 * Messages for the extension's own pages are refused from content scripts and web pages,
 * whatever they claim (senders.ts decides who is who).
 */
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

export { isContentScriptSender, isExtensionPageSender };
