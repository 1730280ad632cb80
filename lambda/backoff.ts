/**
 * How long to wait before asking ECR again after a refusal it may lift by
 * itself: pure functions of the refusal, the attempts so far and the time
 * left, so they are tested without timers.
 */

/** Refusals worth asking again: ECR's rate limit, and a denial while IAM propagates a fresh grant. */
export type Refusal = 'throttled' | 'denied';

/** How patient to be with one kind of refusal. */
export interface Patience {
  /** The first retry waits up to this long; each later one doubles the ceiling. */
  readonly baseMs: number;
  /** No wait is longer than this, however many attempts came before. */
  readonly capMs: number;
  /** Stop retrying once this long has passed since the first refusal, even with time left. */
  readonly forMs: number;
}

/**
 * One table for both refusals. Throttling ends when the burst of lookups
 * does, so it is retried for as long as the handler may wait. A denial may be
 * IAM propagating the grant made in the same deployment, which AWS says
 * usually takes seconds; a minute covers that without holding a real
 * misconfiguration for the whole timeout.
 */
export const PATIENCE: Record<Refusal, Patience> = {
  throttled: { baseMs: 500, capMs: 8_000, forMs: Number.POSITIVE_INFINITY },
  denied: { baseMs: 1_000, capMs: 8_000, forMs: 60_000 },
};

/**
 * Time kept for the attempt after a wait: a retry that could not finish
 * before the handler must answer is not started, so the answer names the
 * refusal instead of a timeout.
 */
export const ATTEMPT_ALLOWANCE_MS = 2_000;

/** Which refusal an error is, if it is one; the names are the SDK's for ECR's JSON errors. */
export function refusalOf(error: unknown): Refusal | undefined {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (e?.name === 'ThrottlingException' || e?.name === 'TooManyRequestsException' || e?.$metadata?.httpStatusCode === 429) {
    return 'throttled';
  }
  if (e?.name === 'AccessDeniedException' || e?.name === 'AccessDenied') {
    return 'denied';
  }
  return undefined;
}

/** Where a run of retries stands. */
export interface RetryState {
  /** Retries already made (0 before the first retry). */
  readonly retries: number;
  /** Time since the first refusal. */
  readonly elapsedMs: number;
  /** Time left before the handler must answer. */
  readonly leftMs: number;
}

/**
 * The wait before the next attempt, with full jitter (a uniform draw between
 * 0 and the exponential ceiling), so that a hundred lookups throttled at once
 * do not come back at once. Undefined when no further attempt fits: the
 * refusal's own bound is reached, or the attempt could not end before the
 * handler must answer. The last wait is cut short to land on the bound.
 */
export function nextDelay(refusal: Refusal, state: RetryState, random: () => number = Math.random): number | undefined {
  const patience = PATIENCE[refusal];
  const ceiling = Math.min(patience.capMs, patience.baseMs * 2 ** Math.min(state.retries, 30));
  const room = Math.min(patience.forMs - state.elapsedMs, state.leftMs - ATTEMPT_ALLOWANCE_MS);
  if (room <= 0) {
    return undefined;
  }
  return Math.min(Math.floor(random() * ceiling), room);
}
