import { LookupError } from '../../lambda/lookup-error';
import { Clock, realClock, untilReady } from '../../lambda/wait';

/** A clock whose sleeps pass at once, recording them. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** An attempt that fails as waitable `failures` times, then returns 'ready'. */
function readyAfter(failures: number): () => Promise<string> {
  let calls = 0;
  return async () => {
    calls++;
    if (calls <= failures) {
      throw new LookupError('Tag "main" was not found', true);
    }
    return 'ready';
  };
}

test('GIVEN an image that appears on the fourth attempt WHEN waiting 60s THEN it resolves after backing off 1, 2 and 4 seconds', async () => {
  const clock = fakeClock();

  await expect(untilReady(readyAfter(3), 60_000, undefined, clock)).resolves.toBe('ready');

  expect(clock.sleeps).toEqual([1000, 2000, 4000]);
});

test('GIVEN an image that never appears WHEN waiting 30s THEN it fails saying how long it waited, with the last attempt at the end of the wait', async () => {
  const clock = fakeClock();

  const failure = await untilReady(readyAfter(Infinity), 30_000, undefined, clock).catch((e) => e);

  expect(failure.message).toBe('Tag "main" was not found (still so after waiting 30s over 6 attempts, of the 30s waitFor allows)');
  expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 15000]);
});

test('GIVEN a long wait WHEN backing off THEN no pause exceeds 15 seconds', async () => {
  const clock = fakeClock();

  await untilReady(readyAfter(10), 600_000, undefined, clock);

  expect(Math.max(...clock.sleeps)).toBe(15_000);
});

test('GIVEN no wait WHEN the image is missing THEN it fails at once with the plain message', async () => {
  const clock = fakeClock();

  const failure = await untilReady(readyAfter(1), 0, undefined, clock).catch((e) => e);

  expect(failure.message).toBe('Tag "main" was not found');
  expect(clock.sleeps).toEqual([]);
});

test('GIVEN a failure that no push can end WHEN waiting THEN it fails at once', async () => {
  const clock = fakeClock();
  const denied = async () => {
    throw new LookupError('Access denied to ecr:DescribeImages');
  };

  await expect(untilReady(denied, 60_000, undefined, clock)).rejects.toThrow('Access denied to ecr:DescribeImages');
  expect(clock.sleeps).toEqual([]);
});

test('GIVEN the handler\'s deadline aborts the signal WHEN waiting THEN the wait ends with how long it lasted', async () => {
  const clock = fakeClock();
  const abort = new AbortController();
  abort.abort();

  const failure = await untilReady(readyAfter(Infinity), 60_000, abort.signal, clock).catch((e) => e);

  expect(failure.message).toMatch(/still so after waiting 0s over 1 attempts/);
});

describe('realClock', () => {
  test('GIVEN many sleeps on one signal WHEN each ends THEN no abort listener is left on it', async () => {
    const abort = new AbortController();
    const added = jest.spyOn(abort.signal, 'addEventListener');
    const removed = jest.spyOn(abort.signal, 'removeEventListener');

    for (let i = 0; i < 20; i++) {
      await realClock.sleep(1, abort.signal);
    }

    expect(added).toHaveBeenCalledTimes(20);
    expect(removed).toHaveBeenCalledTimes(20);
  });

  test('GIVEN a long sleep WHEN the signal aborts THEN it ends at once', async () => {
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 20);

    await realClock.sleep(60_000, abort.signal);

    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
