import type { CardRequest, CardVerdictView } from "./types";

/**
 * Card verdicts for a listing page, asked for as soon as each card appears: requests made in the
 * same moment go out as one message (batched; a page's whole list is one message), a card asked for twice is asked once (deduplicated, also
 * while its answer is on the way), and an answer is reused until it expires (cached), so a list the
 * page replaces (filters, paging) is re-annotated without new requests. Pure: timers are injected.
 */
export interface CardQueueOptions {
  send(batch: CardRequest[]): Promise<CardVerdictView[]>;
  /** Wait this long after the first card of a batch before sending it. */
  delayMs?: number;
  maxBatch?: number;
  /** How long an answer is reused: the background's repo-info lifetime. */
  ttlMs?: number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => void;
}

export interface CardQueue {
  request(card: CardRequest): Promise<CardVerdictView>;
  /** A fresh cached answer, without asking. */
  peek(card: Pick<CardRequest, "type" | "id">): CardVerdictView | undefined;
  /** Forget every answer (settings changed: verdicts must be asked for again). */
  clear(): void;
  /** Forget one card's answer. */
  forget(card: Pick<CardRequest, "type" | "id">): void;
  /** Requests sent so far, in batches (for tests and budgets). */
  readonly sent: readonly (readonly string[])[];
}

export function cardKey(card: Pick<CardRequest, "type" | "id">): string {
  return `${card.type}:${card.id.toLowerCase()}`;
}

interface Waiting {
  card: CardRequest;
  resolve: (view: CardVerdictView) => void;
  reject: (error: unknown) => void;
  promise: Promise<CardVerdictView>;
}

export function createCardQueue(options: CardQueueOptions): CardQueue {
  const delayMs = options.delayMs ?? 80;
  const maxBatch = options.maxBatch ?? 25;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? (() => Date.now());
  const setTimer = options.setTimer ?? ((run, ms) => void setTimeout(run, ms));
  const answers = new Map<string, { view: CardVerdictView; expiresAt: number }>();
  const inFlight = new Map<string, Waiting>();
  const queued: Waiting[] = [];
  let timerSet = false;
  const sent: string[][] = [];

  function flush() {
    timerSet = false;
    const batch = queued.splice(0, maxBatch);
    if (queued.length > 0) schedule();
    if (batch.length === 0) return;
    sent.push(batch.map((waiting) => cardKey(waiting.card)));
    options.send(batch.map((waiting) => waiting.card)).then(
      (views) => {
        const byKey = new Map(views.map((view) => [cardKey(view), view]));
        for (const waiting of batch) {
          const key = cardKey(waiting.card);
          inFlight.delete(key);
          const view = byKey.get(key);
          if (view) {
            // An answer the rate limit left unknown is not kept: the card is asked again at the block's end.
            if (view.recheckAt === undefined) answers.set(key, { view, expiresAt: now() + ttlMs });
            waiting.resolve(view);
          } else waiting.reject(new Error("The background gave no verdict for this card."));
        }
      },
      (error: unknown) => {
        // A failure is not cached: the card is asked again when it is next asked for.
        for (const waiting of batch) {
          inFlight.delete(cardKey(waiting.card));
          waiting.reject(error);
        }
      },
    );
  }

  function schedule() {
    if (timerSet) return;
    timerSet = true;
    setTimer(flush, delayMs);
  }

  function peek(card: Pick<CardRequest, "type" | "id">): CardVerdictView | undefined {
    const key = cardKey(card);
    const hit = answers.get(key);
    if (hit && hit.expiresAt > now()) return hit.view;
    if (hit) answers.delete(key);
    return undefined;
  }

  return {
    sent,
    peek,
    clear: () => answers.clear(),
    forget: (card) => void answers.delete(cardKey(card)),
    request(card) {
      const cached = peek(card);
      if (cached) return Promise.resolve(cached);
      const key = cardKey(card);
      const pending = inFlight.get(key);
      if (pending) return pending.promise;
      let resolve!: (view: CardVerdictView) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<CardVerdictView>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const waiting: Waiting = { card, resolve, reject, promise };
      inFlight.set(key, waiting);
      queued.push(waiting);
      if (queued.length >= maxBatch) flush();
      else schedule();
      return promise;
    },
  };
}
