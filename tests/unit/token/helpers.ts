import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Not a real token: the right shape (hf_ + 34 letters/digits), obviously made up. */
export const TOKEN = "hf_Sentinel0Test0Token0Not0Real0abcde";
export const OTHER_TOKEN = "hf_Sentinel0Test0Token0Not0Real0vwxyz";

export function loadWhoami(name: string): unknown {
  const url = new URL(`../../fixtures/whoami/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), "utf8")) as unknown;
}

/** 2026-01-15, a fixed "now". */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface RecordedCall {
  url: string;
  init: RequestInit;
}

/** A fetch that counts calls and answers from a queue of handlers (the last one repeats). */
export function fakeFetch(...handlers: ((call: RecordedCall) => Promise<Response> | Response)[]) {
  const calls: RecordedCall[] = [];
  const fetch = (input: string, init: RequestInit): Promise<Response> => {
    const call = { url: input, init };
    calls.push(call);
    const handler = handlers[Math.min(calls.length - 1, handlers.length - 1)];
    if (handler === undefined) return Promise.reject(new TypeError("no handler"));
    try {
      return Promise.resolve(handler(call));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return { fetch, calls };
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
