import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { discussionSummary, filesAt, infoBody, lfsOidOf, listBody, orgOverview, treeEntry, userOverview } from "./api";
import { CATALOGUE } from "./catalogue";
import type { Fault, FaultTarget, FixtureRepo } from "./catalogue-types";
import { makeCertificate } from "./cert";
import { createRateMeter, type RateLimitOptions, type RateMeter } from "./rate-meter";
import { contentOf, type ServedContent } from "./file-content";
import { plainPage, repoPage, repoPath, type RepoTab } from "./pages";
import { commitList, listingFor } from "./annotation-pages";
import { createGates, type HubGate } from "./hub-gate";
import { FAKE_TOKENS } from "./tokens";
import { pictureAt, realPageAt } from "./real-pages";

/**
 * A local HTTPS server that impersonates huggingface.co (pages and API) for end-to-end tests
 * and the demo. Chromium reaches it through --host-resolver-rules; every request is logged so
 * tests can count them and check which hosts were asked.
 */
export interface LoggedRequest {
  time: number;
  method: string;
  host: string;
  path: string;
  status: number;
  /** The Authorization header as sent (tests check a token went to whoami-v2 only). */
  authorization?: string;
  range?: string;
  cookie?: boolean;
  body?: string;
  /** Bytes of the response body (resolve and storage requests: what a scan transferred). */
  bytes: number;
  /** When the answer was sent (or the connection closed without one). */
  endTime?: number;
  /** The client gave up (closed the connection) before the answer was sent: a cancelled request. */
  cancelled?: boolean;
}

/**
 * The Hub as it feels from far away (issue 19's benchmark): every API answer waits `apiMs`, and a
 * page's HTML is sent in two parts, the <head> at once and the body `pageMs` later, so the page's
 * load event comes that late while the tab's URL is known from the first byte.
 */
export interface HubLatency {
  apiMs?: number;
  pageMs?: number;
}

export interface FakeHub {
  port: number;
  spkiHash: string;
  log: LoggedRequest[];
  resetLog(): void;
  /** Override one repo's behaviour for a test (fault injection). */
  setFault(repoId: string, target: FaultTarget, fault: Fault | undefined): void;
  /** Drop every fault set by tests (the catalogue's own faults stay). */
  clearFaults(): void;
  /** Make /api/whoami-v2 fail for every token (faults are otherwise per repo); undefined ends it. */
  setWhoamiFault(fault: WhoamiFault | undefined): void;
  /**
   * Enforce the Hub's per-IP API limit (rate-meter.ts) from now on, with a fresh window; undefined
   * switches it off. `clearFaults` switches it off too.
   */
  setRateLimit(options: RateLimitOptions | undefined): void;
  /** The enforced limit's windows so far (calls and refusals per window), empty when off. */
  rateWindows(): { start: number; calls: number; refused: number }[];
  /** API requests (path starting with /api/) since the last reset. */
  apiRequests(): LoggedRequest[];
  /**
   * End the wait of every delay fault now: the answers they hold go out. A test that needs a request
   * to stay unanswered until it has done something sets a long delay and releases it, instead of
   * racing the clock.
   */
  releaseDelays(): void;
  /** Change the latency for the following requests; undefined answers at once again. */
  setLatency(latency: HubLatency | undefined): void;
  /**
   * Hold the API requests `match` accepts until the test lets them go (hub-gate.ts): a test awaits
   * their arrival instead of guessing how long a delay must be. `clearFaults` opens every gate.
   */
  hold(match: (request: { method: string; path: string }) => boolean): HubGate;
  /**
   * The IP's window is spent, for as long as the test says: every API call is answered 429 with
   * `Retry-After: retryAfter` and `RateLimit: r=0;t=retryAfter`, until `setBlock(undefined)` (or
   * `clearFaults`). The extension cannot tell it from the real Hub's block.
   */
  setBlock(block: { retryAfter: number } | undefined): void;
  close(): Promise<void>;
}

/** A repo fault, or `unreachable`: the connection is dropped without an answer (what a browser sees when the Hub is down). */
export type WhoamiFault = Fault | { kind: "unreachable" };

const here = dirname(fileURLToPath(import.meta.url));
const ASSETS = join(here, "assets");
const STORAGE_HOST = "cdn-lfs.hf.co";
const HUB_HOSTS = new Set(["huggingface.co", "hf.co"]);
/** `setFault(LISTING_FAULT_KEY, "all", fault)`: the list endpoints (/api/models, …) answer with the fault. */
export const LISTING_FAULT_KEY = "*listing*";

export async function startFakeHub(
  options: { port?: number; catalogue?: FixtureRepo[]; rateLimit?: RateLimitOptions; now?: () => number; latency?: HubLatency } = {},
): Promise<FakeHub> {
  const catalogue = options.catalogue ?? CATALOGUE;
  const now = options.now ?? (() => Date.now());
  let meter: RateMeter | undefined = options.rateLimit ? createRateMeter(options.rateLimit, now) : undefined;
  let latency: HubLatency = options.latency ?? {};
  const certificate = makeCertificate();
  const log: LoggedRequest[] = [];
  const faults = new Map<string, Partial<Record<FaultTarget, Fault | undefined>>>();
  let whoamiFault: WhoamiFault | undefined;
  const faultUses = new WeakMap<Fault, number>();
  const delayed = new Set<() => void>();
  const gates = createGates();
  let block: { retryAfter: number } | undefined;

  const server = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const entry: LoggedRequest = {
        time: Date.now(),
        method: request.method ?? "GET",
        host: (request.headers.host ?? "").replace(/:\d+$/, ""),
        path: request.url ?? "/",
        status: 0,
        bytes: 0,
        authorization: request.headers.authorization,
        range: request.headers.range,
        cookie: request.headers.cookie !== undefined,
        body: body || undefined,
      };
      log.push(entry);
      response.on("close", () => {
        if (response.writableEnded) return;
        entry.cancelled = true;
        entry.endTime = Date.now();
      });
      const send = (status: number, payload: string | Buffer, headers: Record<string, string> = {}) => {
        if (entry.cancelled || response.destroyed) return;
        entry.status = status;
        entry.bytes = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
        response.writeHead(status, { "access-control-allow-origin": "https://huggingface.co", "x-powered-by": "huggingface-moon", ...headers });
        const slowPage = latency.pageMs && typeof payload === "string" && (headers["content-type"] ?? "").startsWith("text/html") ? latency.pageMs : 0;
        const headEnd = slowPage ? payload.indexOf("</head>") : -1;
        if (slowPage && typeof payload === "string" && headEnd > 0) {
          response.write(payload.slice(0, headEnd + "</head>".length));
          setTimeout(() => {
            entry.endTime = Date.now();
            if (!response.destroyed) response.end(payload.slice(headEnd + "</head>".length));
          }, slowPage);
          return;
        }
        entry.endTime = Date.now();
        response.end(payload);
      };
      const apiDelay = entry.path.startsWith("/api/") ? (latency.apiMs ?? 0) : 0;
      const answer = () => handle(request, body, send).catch((error: unknown) => send(500, JSON.stringify({ error: String(error) }), { "content-type": "application/json" }));
      if (apiDelay > 0) setTimeout(() => void answer(), apiDelay);
      else void answer();
    });
  });

  function repoFaults(repo: FixtureRepo): Partial<Record<FaultTarget, Fault | undefined>> {
    return { ...repo.faults, ...faults.get(repo.id) };
  }

  type Send = (status: number, payload: string | Buffer, headers?: Record<string, string>) => void;

  async function applyFault(repo: FixtureRepo, target: FaultTarget, send: Send): Promise<boolean> {
    const all = repoFaults(repo);
    const fault = all[target] ?? all.all;
    if (!fault) return false;
    return answerFault(fault, send);
  }

  /** Answers with the fault (true), or waits out a delay and lets the request go on (false). */
  async function answerFault(fault: Fault, send: Send): Promise<boolean> {
    if (fault.kind === "delay") {
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          delayed.delete(release);
          resolve();
        };
        const timer = setTimeout(release, fault.ms);
        delayed.add(release);
      });
      return false;
    }
    if (fault.kind === "malformed") {
      send(200, "<html>upstream proxy error", { "content-type": "application/json" });
      return true;
    }
    if (fault.kind === "rate-limit") {
      if (fault.times !== undefined) {
        const used = faultUses.get(fault) ?? 0;
        if (used >= fault.times) return false;
        faultUses.set(fault, used + 1);
      }
      send(429, JSON.stringify({ error: "You have been rate-limited; retry later." }), {
        "content-type": "application/json",
        "retry-after": String(fault.retryAfter),
        ratelimit: `"api";r=0;t=${fault.retryAfter}`,
      });
      return true;
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (fault.errorCode) headers["x-error-code"] = fault.errorCode;
    if (fault.message) headers["x-error-message"] = fault.message;
    send(fault.status, JSON.stringify({ error: fault.message ?? "Error" }), headers);
    return true;
  }

  function find(type: string, id: string): FixtureRepo | undefined {
    const lower = id.toLowerCase();
    return catalogue.find((repo) => repo.type === type && repo.id.toLowerCase() === lower);
  }
  function findLegacy(id: string): FixtureRepo | undefined {
    return catalogue.find((repo) => repo.legacyId === id);
  }
  function findAuthor(name: string): FixtureRepo | undefined {
    const lower = name.toLowerCase();
    return catalogue.find((repo) => repo.author.name.toLowerCase() === lower);
  }

  const json = (send: Send, status: number, value: unknown, headers: Record<string, string> = {}) =>
    send(status, JSON.stringify(value), { "content-type": "application/json; charset=utf-8", ...headers });
  const notFound = (send: Send) =>
    json(send, 401, { error: "Repository not found" }, { "x-error-code": "RepoNotFound", "x-error-message": "Repository not found" });

  async function handle(request: IncomingMessage, body: string, send: Send): Promise<void> {
    const host = (request.headers.host ?? "").replace(/:\d+$/, "");
    const url = new URL(request.url ?? "/", `https://${host || "huggingface.co"}`);
    if (host === STORAGE_HOST) return serveStorage(request, url, send);
    if (!HUB_HOSTS.has(host)) {
      // Any other host reached us through the browser's host map: log it (above) and refuse.
      send(421, "not a Hub host");
      return;
    }
    const path = url.pathname;
    if (path.startsWith("/api/")) {
      await gates.pass({ method: request.method ?? "GET", path: request.url ?? path });
      if (block) {
        const seconds = String(block.retryAfter);
        return send(429, JSON.stringify({ error: "You have been rate-limited; retry later." }), { "content-type": "application/json", "retry-after": seconds, ratelimit: `"api";r=0;t=${seconds}` });
      }
      if (!meter) return handleApi(request, url, body, send);
      // Every API answer carries the meter; a fault's own headers (its 429) take precedence.
      const counted = meter.count(request.socket.remoteAddress ?? "unknown");
      if (counted.refuse) return send(429, JSON.stringify({ error: "You have been rate-limited; retry later." }), { "content-type": "application/json", ...counted.headers });
      return handleApi(request, url, body, (status, payload, headers = {}) => send(status, payload, { ...counted.headers, ...headers }));
    }
    if (path.startsWith("/front/build/")) return serveAsset(path, send);
    // The shell's logo, generated avatars, and the stand-in for the real pages' off-Hub images (real-pages.ts).
    const picture = pictureAt(path);
    if (picture !== undefined) return send(200, picture, { "content-type": "image/svg+xml" });
    const saved = realPageAt(url);
    if (saved !== undefined) return send(200, saved, { "content-type": "text/html; charset=utf-8" });
    return handlePage(url, send, request);
  }

  async function handleApi(request: IncomingMessage, url: URL, body: string, send: Send): Promise<void> {
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const [, kind, ...rest] = segments;
    if (kind === "whoami-v2") {
      if (whoamiFault?.kind === "unreachable") {
        request.socket.destroy();
        return;
      }
      if (whoamiFault?.kind === "delay") {
        const ms = whoamiFault.ms;
        await new Promise((resolve) => setTimeout(resolve, ms));
      } else if (whoamiFault?.kind === "rate-limit") {
        return json(send, 429, { error: "You have been rate-limited; retry later." }, { "retry-after": String(whoamiFault.retryAfter), ratelimit: `"api";r=0;t=${whoamiFault.retryAfter}` });
      } else if (whoamiFault?.kind === "malformed") return send(200, "<html>upstream proxy error", { "content-type": "application/json" });
      else if (whoamiFault?.kind === "status") return json(send, whoamiFault.status, { error: whoamiFault.message ?? "Error" });
      const token = (request.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      const answer = FAKE_TOKENS[token];
      if (!answer) return json(send, 401, { error: "Invalid credentials in Authorization header" });
      return json(send, 200, answer);
    }
    if (kind === "organizations" && rest[1] === "overview") {
      const repo = findAuthor(rest[0] ?? "");
      if (repo && (await applyFault(repo, "author", send))) return;
      if (!repo || repo.author.kind !== "org") return json(send, 404, { error: "Organization not found" });
      return json(send, 200, orgOverview(repo));
    }
    if (kind === "users" && rest[1] === "overview") {
      const repo = findAuthor(rest[0] ?? "");
      if (repo && (await applyFault(repo, "author", send))) return;
      if (!repo || repo.author.kind !== "user") return json(send, 404, { error: "User not found" });
      return json(send, 200, userOverview(repo));
    }
    if (kind !== "models" && kind !== "datasets" && kind !== "spaces") return json(send, 404, { error: "Not found" });
    const type = kind === "models" ? "model" : kind === "datasets" ? "dataset" : "space";
    // The list endpoint (api.ts listBody); `setFault("*listing*", …)` makes every listing fail.
    if (rest.length === 0) {
      const listingFault = faults.get(LISTING_FAULT_KEY)?.all;
      if (listingFault && (await answerFault(listingFault, send))) return;
      const { status, body } = listBody(catalogue, type, url.searchParams);
      return json(send, status, body);
    }
    // Legacy one-segment model ids redirect (api-samples/02).
    if (type === "model" && rest.length === 1) {
      const legacy = findLegacy(rest[0] ?? "");
      if (legacy) return send(307, `Temporary Redirect. Redirecting to /api/models/${legacy.id}`, { location: `/api/models/${legacy.id}`, "content-type": "text/plain; charset=utf-8" });
    }
    const [owner, name, action, ...tail] = rest;
    const repo = owner && name ? find(type, `${owner}/${name}`) : undefined;
    if (!repo) {
      // A renamed repo's old id redirects to its new one, with the rest of the path and the query.
      const renamed = type === "model" && owner && name ? findLegacy(`${owner}/${name}`) : undefined;
      if (renamed) {
        const location = `/api/models/${renamed.id}${[action, ...tail].filter((part) => part !== undefined).map((part) => `/${part}`).join("")}${url.search}`;
        return send(307, `Temporary Redirect. Redirecting to ${location}`, { location, "content-type": "text/plain; charset=utf-8" });
      }
      return notFound(send);
    }
    if (action === undefined || action === "revision") {
      if (await applyFault(repo, "info", send)) return;
      const revision = action === "revision" ? tail.join("/") || "main" : "main";
      return json(send, 200, infoBody(repo, revision, url.searchParams.get("securityStatus") === "true", url.searchParams.get("blobs") === "true"));
    }
    if (action === "scan") {
      if (await applyFault(repo, "info", send)) return;
      return json(send, 200, (infoBody(repo, "main", true) as { securityRepoStatus: unknown }).securityRepoStatus);
    }
    if (action === "tree") {
      if (await applyFault(repo, "files", send)) return;
      const revision = tail[0] ?? "main";
      const prefix = tail.slice(1).join("/");
      const expand = url.searchParams.get("expand") === "true";
      const recursive = url.searchParams.get("recursive") === "true";
      const pageSize = expand ? 100 : 1000;
      const cursor = Number(url.searchParams.get("cursor") ?? "0");
      const all = filesAt(repo, revision).filter((file) => (prefix ? file.path.startsWith(`${prefix}/`) : true)).filter((file) => recursive || !file.path.slice(prefix ? prefix.length + 1 : 0).includes("/"));
      const page = all.slice(cursor, cursor + pageSize).map((file) => treeEntry(repo, file, expand));
      const headers: Record<string, string> = {};
      if (cursor + pageSize < all.length) {
        const next = new URL(url.href);
        next.searchParams.set("cursor", String(cursor + pageSize));
        headers.link = `<${next.href}>; rel="next"`;
      }
      return json(send, 200, page, headers);
    }
    if (action === "paths-info") {
      if (await applyFault(repo, "files", send)) return;
      const revision = tail.join("/") || "main";
      let parsed: { paths?: unknown; expand?: unknown };
      try {
        parsed = JSON.parse(body) as { paths?: unknown; expand?: unknown };
      } catch {
        return json(send, 400, { error: "Invalid JSON body" });
      }
      const paths = Array.isArray(parsed.paths) ? parsed.paths.filter((p): p is string => typeof p === "string") : [];
      if (paths.length > 2000) return json(send, 400, { error: "Too many paths (max 2000)" });
      const files = new Map(filesAt(repo, revision).map((file) => [file.path, file]));
      const entries = paths.flatMap((path) => {
        const file = files.get(path);
        return file ? [treeEntry(repo, file, parsed.expand === true)] : [];
      });
      return json(send, 200, entries);
    }
    if (action === "discussions") {
      if (await applyFault(repo, "discussions", send)) return;
      const status = url.searchParams.get("status") ?? "all";
      const wantType = url.searchParams.get("type") ?? "all";
      const prs = (repo.pullRequests ?? [])
        .filter(() => wantType === "all" || wantType === "pull_request")
        .filter((pr) => status === "all" || (status === "open" ? pr.status === "open" || pr.status === "draft" : pr.status === "closed" || pr.status === "merged"))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const pageIndex = Number(url.searchParams.get("p") ?? "0");
      const pageSize = 50;
      const page = prs.slice(pageIndex * pageSize, pageIndex * pageSize + pageSize);
      return json(send, 200, { discussions: page.map((pr) => discussionSummary(repo, pr)), count: prs.length, start: pageIndex * pageSize, numClosedDiscussions: 0 });
    }
    if (action === "commits") {
      if (await applyFault(repo, "files", send)) return;
      return json(send, 200, commitList(repo, tail.join("/") || "main", Math.min(1000, Number(url.searchParams.get("limit") ?? "50") || 50)));
    }
    return json(send, 404, { error: "Not found" });
  }

  async function handlePage(url: URL, send: Send, request: IncomingMessage): Promise<void> {
    const html = (text: string, status = 200) => send(status, text, { "content-type": "text/html; charset=utf-8" });
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    let type: "model" | "dataset" | "space" = "model";
    let rest = segments;
    if (segments[0] === "datasets" || segments[0] === "spaces") {
      type = segments[0] === "datasets" ? "dataset" : "space";
      rest = segments.slice(1);
    }
    if (segments.length === 0) return html(plainPage("Hugging Face", url.href, "The AI community building the future."));
    if (rest.length === 1 && type === "model") {
      const legacy = findLegacy(rest[0] ?? "");
      if (legacy) return send(307, "", { location: `/${legacy.id}` });
    }
    // Listing pages: /models, /datasets, /spaces, /search, a collection, /{owner} profiles.
    const listing = listingFor(url, catalogue);
    if (listing !== undefined) return html(listing);
    const [owner, name, route, ...tail] = rest;
    const repo = owner && name ? find(type, `${owner}/${name}`) : undefined;
    if (!repo || ["docs", "settings", "pricing", "blog", "models", "login"].includes(segments[0] ?? "")) {
      return html(plainPage(segments.join(" / ") || "Hugging Face", url.href, "A page that is not a repo."), repo ? 200 : segments.length >= 2 && !["docs", "settings", "pricing", "blog"].includes(segments[0] ?? "") ? 404 : 200);
    }
    if (route === "resolve") return resolveFile(repo, tail, request, send);
    if (route === "raw") return rawFile(repo, tail, request, send);
    let tab: RepoTab = repo.type === "space" ? "app" : "card";
    const extra: { revision?: string; path?: string; discussion?: number; layout?: string } = {};
    extra.layout = url.searchParams.get("fakeLayout") ?? undefined;
    if (route === "tree") {
      tab = "files";
      extra.revision = tail[0];
    } else if (route === "blob") {
      tab = "blob";
      const { revision, remainder } = splitRevision(tail);
      extra.revision = revision;
      extra.path = remainder.join("/");
    } else if (route === "commits") tab = "commits";
    else if (route === "discussions") {
      if (tail[0]) {
        tab = "discussion";
        extra.discussion = Number(tail[0]);
      } else tab = "community";
    }
    return html(repoPage(repo, tab, url.href, extra));
  }

  function resolveFile(repo: FixtureRepo, tail: string[], request: IncomingMessage, send: Send) {
    const { revision, remainder } = splitRevision(tail);
    const path = remainder.join("/");
    const file = filesAt(repo, revision).find((candidate) => candidate.path === path);
    if (!file) return send(404, "Entry not found", { "x-error-code": "EntryNotFound" });
    if (repo.gated) return send(403, JSON.stringify({ error: "Access restricted: gated repo" }), { "x-error-code": "GatedRepo", "content-type": "application/json" });
    // Small (non-LFS) files are answered by the Hub itself, honouring Range like the storage hosts.
    if (!file.lfs) return serveBytes(request, contentOf(file), send);
    const oid = lfsOidOf(repo, file);
    const target = `https://${STORAGE_HOST}/repos/${oid.slice(0, 2)}/${oid.slice(2, 4)}/${oid}?file=${encodeURIComponent(`${repo.type}|${repo.id}|${revision}|${path}`)}`;
    return send(302, "", { location: target, "x-linked-size": String(file.size), "x-repo-commit": revision, etag: `"${oid}"` });
  }

  /** `raw`: a small file's text, or an LFS file's pointer (what git stores), as the Hub answers. */
  function rawFile(repo: FixtureRepo, tail: string[], request: IncomingMessage, send: Send) {
    const { revision, remainder } = splitRevision(tail);
    const file = filesAt(repo, revision).find((candidate) => candidate.path === remainder.join("/"));
    if (!file) return send(404, "Entry not found", { "x-error-code": "EntryNotFound" });
    if (file.lfs) return send(200, `version https://git-lfs.github.com/spec/v1\noid sha256:${lfsOidOf(repo, file)}\nsize ${file.size}\n`, { "content-type": "text/plain; charset=utf-8" });
    return serveBytes(request, contentOf(file), send);
  }

  function serveStorage(request: IncomingMessage, url: URL, send: Send) {
    const key = url.searchParams.get("file") ?? "";
    const [type, id, revision, ...pathParts] = key.split("|");
    const repo = type && id ? find(type, id) : undefined;
    const file = repo ? filesAt(repo, revision ?? "main").find((candidate) => candidate.path === pathParts.join("|")) : undefined;
    if (!repo || !file) return send(404, "NoSuchKey");
    return serveBytes(request, contentOf(file), send);
  }

  /** One Range (`bytes=a-b` or `bytes=a-`) as 206; no Range: the whole file, except a sparse one (file-content.ts). */
  async function serveBytes(request: IncomingMessage, content: ServedContent, send: Send) {
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
    if (!range) {
      if (content.sparse) return send(501, "this test server serves sparse files by Range only");
      return send(200, await content.slice(0, content.size - 1), { "content-type": "application/octet-stream", "accept-ranges": "bytes" });
    }
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : content.size - 1, content.size - 1);
    if (start >= content.size) return send(416, "", { "content-range": `bytes */${content.size}` });
    return send(206, await content.slice(start, end), {
      "content-type": "application/octet-stream",
      "accept-ranges": "bytes",
      "content-range": `bytes ${start}-${end}/${content.size}`,
    });
  }

  function serveAsset(path: string, send: Send) {
    const name = path.endsWith(".css") ? "style.css" : path.endsWith(".js") ? "hydrate.js" : "";
    if (!name) return send(404, "not found");
    send(200, readFileSync(join(ASSETS, name)), { "content-type": name.endsWith(".css") ? "text/css" : "text/javascript" });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    spkiHash: certificate.spkiHash,
    log,
    resetLog: () => {
      log.length = 0;
    },
    setFault(repoId, target, fault) {
      const current = faults.get(repoId) ?? {};
      current[target] = fault;
      faults.set(repoId, current);
    },
    clearFaults: () => {
      faults.clear();
      whoamiFault = undefined;
      meter = undefined;
      block = undefined;
      gates.openAll();
    },
    hold: (match) => gates.hold(match),
    setBlock(next) {
      block = next;
    },
    setRateLimit(limit) {
      meter = limit ? createRateMeter(limit, now) : undefined;
    },
    rateWindows: () => meter?.windows() ?? [],
    setWhoamiFault(fault) {
      whoamiFault = fault;
    },
    apiRequests: () => log.filter((entry) => entry.path.startsWith("/api/")),
    releaseDelays: () => {
      for (const release of [...delayed]) release();
    },
    setLatency(next) {
      latency = next ?? {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function splitRevision(rest: string[]): { revision: string; remainder: string[] } {
  const [head, second, third, ...after] = rest;
  if (head === "refs" && second === "pr" && third !== undefined) return { revision: `refs/pr/${third}`, remainder: after };
  return { revision: head ?? "main", remainder: rest.slice(1) };
}

export { repoPath };
export type { HubGate };
