import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

/**
 * `@huggingface/gguf` imports its quantization names from `@huggingface/tasks`, whose index pulls
 * in the whole task and library catalogue (code-snippet generators, local apps, hardware tables):
 * about 250 KB of the background bundle that the GGUF header reader never runs. Those names live
 * in the self-contained `dist/esm/gguf.js` of the same package version, so imports of
 * `@huggingface/tasks` made by `@huggingface/gguf` (and only those) resolve to that file.
 */
const TASKS_GGUF = fileURLToPath(new URL("../node_modules/@huggingface/tasks/dist/esm/gguf.js", import.meta.url));

export function ggufWithoutTaskCatalogue(): Plugin {
  return {
    name: "hub-sentinel:gguf-without-task-catalogue",
    enforce: "pre",
    resolveId(source, importer) {
      if (source === "@huggingface/tasks" && importer !== undefined && /[\\/]@huggingface[\\/]gguf[\\/]/.test(importer)) return TASKS_GGUF;
      return null;
    },
  };
}
