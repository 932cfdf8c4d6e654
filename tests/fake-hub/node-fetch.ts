import { request as httpsRequest } from "node:https";
import type { FakeHub } from "./server";

/**
 * A `fetch` for Node that sends every https request to the fake Hub, whatever its host (as
 * Chromium's host map does), so library code and scripts talk to it with real URLs.
 */
export function fetchViaFakeHub(hub: Pick<FakeHub, "port">): typeof fetch {
  async function once(url: URL, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    const body = typeof init.body === "string" ? init.body : undefined;
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: "127.0.0.1",
          port: hub.port,
          servername: url.hostname,
          path: url.pathname + url.search,
          method: init.method ?? "GET",
          headers: { ...Object.fromEntries(headers.entries()), host: url.hostname },
          rejectUnauthorized: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (typeof value === "string") responseHeaders.set(name, value);
              else if (Array.isArray(value)) responseHeaders.set(name, value.join(", "));
            }
            const status = res.statusCode ?? 500;
            const payload = status === 204 || status === 304 || (status >= 300 && status < 400) ? null : Buffer.concat(chunks);
            resolve(new Response(payload, { status, headers: responseHeaders }));
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      init.signal?.addEventListener("abort", () => req.destroy(new DOMException("The operation was aborted.", "AbortError")), { once: true });
      if (body) req.write(body);
      req.end();
    });
  }
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    if (init.signal?.aborted) throw new DOMException("The operation was aborted.", "AbortError");
    let url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    for (let hop = 0; hop < 5; hop++) {
      const response = await once(url, init);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location && init.redirect !== "manual") {
        url = new URL(location, url);
        continue;
      }
      return response;
    }
    throw new TypeError("Too many redirects");
  });
}
