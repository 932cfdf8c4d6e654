import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

/**
 * A local HTTP proxy for Firefox, which has no `--host-resolver-rules`. It makes Firefox see the
 * network as Chromium does in these tests (`MAP * 127.0.0.1:<fake Hub>`):
 * - Hub hosts (huggingface.co, hf.co, *.huggingface.co, *.hf.co, *.hf.space) are tunnelled to the fake Hub.
 * - Any other https host is tunnelled to the fake Hub too, which logs the request (host, path,
 *   headers: a token sent elsewhere shows up in `hub.log`, as in Chromium) and refuses it with 421.
 *   The proxy records it in `refused` as well.
 * - Firefox's own services (Mozilla hosts, puppeteer's dummy.test) are refused at the proxy and
 *   recorded as `browser`: they are the browser talking, not the extension, and must not pollute
 *   the Hub's log. Plain http to a non-Hub host is refused at the proxy too (the fake Hub speaks only https).
 */
export interface RefusedRequest {
  time: number;
  host: string;
  /** CONNECT for https tunnels, or the method of a plain http request. */
  method: string;
  /** `browser`: Firefox's own services, refused at the proxy; `other`: anything else (sent on to the fake Hub to log and refuse). */
  kind: "browser" | "other";
}

export interface HubProxy {
  port: number;
  refused: RefusedRequest[];
  close(): Promise<void>;
}

/** Hosts served by the fake Hub (tests/fake-hub/cert.ts puts the same names in its certificate). */
export function isHubHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return (
    name === "huggingface.co" ||
    name === "hf.co" ||
    name.endsWith(".huggingface.co") ||
    name.endsWith(".hf.co") ||
    name.endsWith(".hf.space")
  );
}

/** Firefox's own traffic (update, telemetry, remote settings, safe browsing; puppeteer points some at dummy.test). */
export function isBrowserServiceHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return ["mozilla.com", "mozilla.org", "mozilla.net", "firefox.com", "mozaws.net", "dummy.test"].some((domain) => name === domain || name.endsWith(`.${domain}`));
}

function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(authority);
  return { host: match?.[1] ?? authority, port: match?.[2] ? Number(match[2]) : defaultPort };
}

export async function startHubProxy(hubPort: number): Promise<HubProxy> {
  const refused: RefusedRequest[] = [];
  const sockets = new Set<Socket>();

  // Plain http:// requests: the fake Hub speaks only https, so a Hub host gets a redirect to
  // https (as the real Hub does), everything else a 403.
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const target = new URL(request.url ?? "/", `http://${request.headers.host ?? "invalid"}`);
    if (!isHubHost(target.hostname)) {
      refused.push({ time: Date.now(), host: target.hostname, method: request.method ?? "GET", kind: isBrowserServiceHost(target.hostname) ? "browser" : "other" });
      response.writeHead(403, { "content-type": "text/plain" }).end("refused by the test proxy");
      return;
    }
    target.protocol = "https:";
    response.writeHead(301, { location: target.href }).end();
  });

  server.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    const { host } = splitHostPort(request.url ?? "", 443);
    if (isBrowserServiceHost(host)) {
      refused.push({ time: Date.now(), host, method: "CONNECT", kind: "browser" });
      client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    if (!isHubHost(host)) refused.push({ time: Date.now(), host, method: "CONNECT", kind: "other" });
    // Whatever host and port were asked, the fake Hub answers: it serves every Hub host on one port,
    // picks its behaviour from the Host header inside the TLS tunnel, and logs and refuses other hosts.
    // (acceptInsecureCerts lets Firefox accept its certificate for a host it does not name.)
    const upstream = connect(hubPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    // A closed tab resets its tunnel; that is not a test failure, just tear down the pair.
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
