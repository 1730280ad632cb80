/**
 * Polling with backoff until an image is there: pipelines often start the
 * deployment while the push is still running.
 */
import { LookupError } from './lookup-error';

/** Backoff between attempts: starts short, as a push usually ends within seconds, and stays polite. */
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15_000;

/** How the wait keeps time: real timers in the handler, controllable ones in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve) => {
    // The listener goes with the timer: a throttled lookup sleeps many times
    // on one signal, and listeners left behind would pile up on it.
    const wake = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal?.addEventListener('abort', wake, { once: true });
  }),
};

/**
 * Runs `attempt` until it succeeds, retrying only failures marked `waitable`
 * for up to `waitForMs`. The last failure then ends the wait with how long it
 * lasted. Other failures, and any failure when `waitForMs` is 0, end it at once.
 */
export async function untilReady<T>(attempt: () => Promise<T>, waitForMs: number, signal?: AbortSignal, clock: Clock = realClock): Promise<T> {
  const start = clock.now();
  let delay = FIRST_DELAY_MS;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof LookupError) || !error.waitable || waitForMs <= 0) {
        throw error;
      }
      const waited = clock.now() - start;
      if (signal?.aborted || waited >= waitForMs) {
        throw new LookupError(`${error.message} (still so after waiting ${(waited / 1000).toFixed(0)}s over ${attempts} attempts, of the ${(waitForMs / 1000).toFixed(0)}s waitFor allows)`);
      }
      // The last attempt falls on the end of the wait, not before it.
      await clock.sleep(Math.min(delay, waitForMs - waited), signal);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
