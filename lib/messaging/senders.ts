import type { Runtime } from "webextension-polyfill";

/**
 * Who sent a message, decided in one place (uBlock Origin's and Bitwarden's lesson). Kept out of
 * the router so content scripts can check senders without carrying the router.
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
