import { startRepoBadge } from "../../content/repo-badge";

export default defineContentScript({
  matches: ["https://huggingface.co/*", "https://hf.co/*"],
  runAt: "document_idle",
  main(ctx) {
    // Our failures stay ours: the page keeps working whatever happens here.
    startRepoBadge(ctx).catch((error: unknown) => console.debug("Hub Sentinel:", error instanceof Error ? error.message : error));
  },
});
