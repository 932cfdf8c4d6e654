import { startRepoBadge } from "../../content/repo-badge";
import { startCardAnnotations } from "../../content/card-annotations";
import { startFileAnnotations } from "../../content/file-annotations";
import { startLeakAnnotations } from "../../content/leak-annotations";
import { startPrAnnotations } from "../../content/pr-annotations";
import { safely } from "../../lib/page/watch";
import { sendToBackground } from "../../lib/messaging/client";

export default defineContentScript({
  matches: ["https://huggingface.co/*", "https://hf.co/*"],
  runAt: "document_idle",
  main(ctx) {
    // Our failures stay ours: the page keeps working whatever happens here.
    startRepoBadge(ctx).catch((error: unknown) => console.debug("Hub Sentinel:", error instanceof Error ? error.message : error));
    // Row annotations (contract: file, pr, card, leak), each on its own so one failing never stops another.
    for (const start of [startFileAnnotations, startPrAnnotations, startLeakAnnotations]) safely(() => start(ctx));
    // Listing-card marks unless switched off on the options page (read when the page loads).
    // The background answers from the effective policy, so the content script carries no settings code.
    sendToBackground("listing-annotations", {}).then(
      ({ enabled }) => enabled && !ctx.isInvalid && safely(() => startCardAnnotations(ctx)),
      (error: unknown) => console.debug("Hub Sentinel:", error instanceof Error ? error.message : error),
    );
  },
});
