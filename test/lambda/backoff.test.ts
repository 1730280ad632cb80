import { ATTEMPT_ALLOWANCE_MS, nextDelay, PATIENCE, refusalOf } from '../../lambda/backoff';

const HOUR = 3_600_000;

describe('refusalOf', () => {
  test.each([
    [{ name: 'ThrottlingException' }, 'throttled'],
    [{ name: 'TooManyRequestsException' }, 'throttled'],
    [{ name: 'SomethingElse', $metadata: { httpStatusCode: 429 } }, 'throttled'],
    [{ name: 'AccessDeniedException' }, 'denied'],
    [{ name: 'AccessDenied' }, 'denied'],
    [{ name: 'RepositoryNotFoundException' }, undefined],
    [{ name: 'ServerException', $metadata: { httpStatusCode: 500 } }, undefined],
    [undefined, undefined],
  ])('GIVEN %j WHEN classified THEN it is %s', (error, kind) => {
    expect(refusalOf(error)).toBe(kind);
  });
});

describe('nextDelay', () => {
  test('GIVEN the largest draw WHEN retrying THEN the ceiling doubles from the base up to the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 10].map((retries) => nextDelay('throttled', { retries, elapsedMs: 0, leftMs: HOUR }, () => 0.999_999));

    expect(ceilings).toEqual([499, 999, 1_999, 3_999, 7_999, 7_999, 7_999]);
  });

  test('GIVEN any draw WHEN retrying THEN the delay spreads between 0 and the ceiling (full jitter)', () => {
    expect(nextDelay('throttled', { retries: 3, elapsedMs: 0, leftMs: HOUR }, () => 0)).toBe(0);
    expect(nextDelay('throttled', { retries: 3, elapsedMs: 0, leftMs: HOUR }, () => 0.5)).toBe(2_000);
  });

  test('GIVEN throttling WHEN an hour has passed and time is left THEN it still retries', () => {
    expect(nextDelay('throttled', { retries: 500, elapsedMs: HOUR, leftMs: 60_000 }, () => 0.5)).toBe(4_000);
  });

  test('GIVEN a denial WHEN its bound is near THEN the last wait ends on the bound, and past it there is none', () => {
    const bound = PATIENCE.denied.forMs;

    expect(nextDelay('denied', { retries: 6, elapsedMs: bound - 1_000, leftMs: HOUR }, () => 0.999)).toBe(1_000);
    expect(nextDelay('denied', { retries: 6, elapsedMs: bound, leftMs: HOUR }, () => 0.999)).toBeUndefined();
  });

  test.each(['throttled', 'denied'] as const)('GIVEN %s WHEN too little time is left for one more attempt THEN there is none', (kind) => {
    expect(nextDelay(kind, { retries: 0, elapsedMs: 0, leftMs: ATTEMPT_ALLOWANCE_MS }, () => 0)).toBeUndefined();
    expect(nextDelay(kind, { retries: 4, elapsedMs: 0, leftMs: ATTEMPT_ALLOWANCE_MS + 300 }, () => 0.999)).toBe(300);
  });
});
