import { startRepoBadge } from "./repo-badge";
import { startCardAnnotations } from "./card-annotations";
import { startFileAnnotations } from "./file-annotations";
import { startLeakAnnotations } from "./leak-annotations";
import { startLayoutNotes } from "./layout-notes";
import { startPrAnnotations } from "./pr-annotations";
import { startDownloadGuard } from "./download-guard";
import { createFileMarks } from "../../lib/annotations/file-marks";
import { safely } from "../../lib/page/watch";

export default defineContentScript({
  matches: ["https://huggingface.co/*", "https://hf.co/*"],
  runAt: "document_idle",
  async main(ctx) {
    // The download guard listens from the start (three listeners, no work until a click), so that a
    // click on a Danger file's link before the page's load event is held too; it reads the marks
    // the file rows get below.
    const marks = createFileMarks();
    safely(() => startDownloadGuard(ctx, marks));
    // Never on the page's critical path: start after its load event (document_idle may come before
    // it), and in a task of our own, so none of our work runs inside the page's load handlers.
    if (document.readyState !== "complete") await new Promise<void>((resolve) => ctx.addEventListener(window, "load", () => resolve(), { once: true }));
    await new Promise<void>((resolve) => ctx.setTimeout(resolve, 0));
    if (ctx.isInvalid) return;
    // Our failures stay ours: the page keeps working whatever happens here.
    // First: the row features report to it what a changed layout kept them from marking.
    safely(() => startLayoutNotes(ctx));
    startRepoBadge(ctx).catch((error: unknown) => console.debug("Hub Sentinel:", error instanceof Error ? error.message : error));
    // Row annotations (contract: file, pr, card, leak), each on its own so one failing never stops another.
    for (const start of [(context: typeof ctx) => startFileAnnotations(context, window, marks), startPrAnnotations, startLeakAnnotations]) safely(() => start(ctx));
    // Listing-card marks: the feature asks the background whether they are switched on, at start
    // and whenever settings change, so the options page's switch applies without a reload.
    safely(() => startCardAnnotations(ctx));
  },
});
