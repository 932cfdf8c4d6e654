/**
 * Why a fact could not be had. Every fact group is a value or one of these; rules turn a gap
 * into `unknown` for exactly what is missing, never into `ok`.
 */
export type GapKind =
  | "not-found"
  | "unauthorized"
  | "gated"
  | "disabled"
  | "rate-limited"
  | "network"
  | "server-error"
  | "timeout"
  | "malformed"
  | "truncated"
  | "aborted";

export interface Gap {
  kind: GapKind;
  /** A sentence for a person: what could not be fetched and why. */
  message: string;
  /** HTTP status, when the Hub answered. */
  status?: number;
  /** For `rate-limited`: seconds until the Hub accepts requests again. */
  retryAfterSeconds?: number;
}

export type Fact<T> = { ok: true; value: T } | { ok: false; gap: Gap };

export function factOf<T>(value: T): Fact<T> {
  return { ok: true, value };
}

export function gapOf<T>(gap: Gap): Fact<T> {
  return { ok: false, gap };
}

export const GAP_WORDS: Record<GapKind, string> = {
  "not-found": "not found, or private",
  unauthorized: "private or needs sign-in",
  gated: "gated: access must be requested",
  disabled: "disabled by the Hub",
  "rate-limited": "the Hub is rate-limiting requests",
  network: "network error",
  "server-error": "the Hub answered with an error",
  timeout: "the Hub did not answer in time",
  malformed: "the Hub's answer was not in the expected shape",
  truncated: "only part of the list could be read",
  aborted: "cancelled",
};
