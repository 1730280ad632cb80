/**
 * The retry seam around ECR, on a clock the test controls: no timers, so a
 * minute of denials takes no time.
 */
import { DescribeImagesCommand, ECRServiceException } from '@aws-sdk/client-ecr';
import { EcrSender, patient, RefusedTooLong, transportRetries } from '../../lambda/ecr-client';
import type { Clock } from '../../lambda/wait';

function serviceError(name: string, status = 400): ECRServiceException {
  return new ECRServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: `${name} from ECR` });
}

/** A clock that moves only when slept on, and a sender that answers from a script. */
function fixture(answers: ((at: number) => unknown)[]) {
  let now = 0;
  const sleeps: number[] = [];
  const clock: Clock = { now: () => now, sleep: async (ms) => { sleeps.push(ms); now += ms; } };
  const calls: number[] = [];
  const sender: EcrSender = {
    send: (async () => {
      calls.push(now);
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)](now);
      if (answer instanceof Error) {
        throw answer;
      }
      return answer;
    }) as EcrSender['send'],
  };
  return { clock, sleeps, calls, sender };
}

beforeEach(() => jest.spyOn(console, 'warn').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

const command = new DescribeImagesCommand({ repositoryName: 'api' });

test('GIVEN denials that lift after 7 s WHEN sent patiently THEN the call succeeds after backing off', async () => {
  const { clock, sender, calls } = fixture([(at) => (at < 7_000 ? serviceError('AccessDeniedException') : { imageDetails: [] })]);

  const answer = await patient(sender, 120_000, clock, () => 0.999).send(command);

  expect(answer).toEqual({ imageDetails: [] });
  expect(calls.length).toBeGreaterThan(2);
  expect(calls[calls.length - 1]).toBeGreaterThanOrEqual(7_000);
});

test('GIVEN denials that never lift WHEN the function has minutes left THEN it gives up after 60 s, with the count and the last denial', async () => {
  const { clock, sender, calls } = fixture([() => serviceError('AccessDeniedException')]);

  const error = await patient(sender, 15 * 60_000, clock, () => 0.999).send(command).catch((e) => e);

  expect(error).toBeInstanceOf(RefusedTooLong);
  expect(error.kind).toBe('denied');
  expect(error.refusal.name).toBe('AccessDeniedException');
  expect(error.attempts).toBe(calls.length);
  expect(error.elapsedMs).toBe(60_000);
  expect(calls[calls.length - 1]).toBe(60_000);
});

test('GIVEN throttling that never ends WHEN sent THEN it retries until no attempt fits before the answer-by time, and no later', async () => {
  const answerBy = 112_000;
  const { clock, sender, calls, sleeps } = fixture([() => serviceError('ThrottlingException')]);

  const error = await patient(sender, answerBy, clock, () => 0.999).send(command).catch((e) => e);

  expect(error).toBeInstanceOf(RefusedTooLong);
  expect(error.kind).toBe('throttled');
  expect(Math.max(...calls)).toBeLessThanOrEqual(answerBy - 2_000);
  expect(Math.max(...calls)).toBeGreaterThan(answerBy - 2_000 - 8_000);
  expect(Math.max(...sleeps)).toBeLessThanOrEqual(8_000);
});

test('GIVEN denials WHEN the deadline comes before the 60 s bound THEN the deadline wins', async () => {
  const { clock, sender, calls } = fixture([() => serviceError('AccessDeniedException')]);

  await expect(patient(sender, 20_000, clock, () => 0.999).send(command)).rejects.toBeInstanceOf(RefusedTooLong);

  expect(Math.max(...calls)).toBeLessThanOrEqual(18_000);
});

test('GIVEN an answer WHEN sent patiently THEN the command and its abort signal reach the sender as they are, and the answer comes back', async () => {
  const seen: unknown[][] = [];
  const answer = { imageDetails: [], $metadata: {} };
  const sender: EcrSender = {
    send: (async (...args: unknown[]) => {
      seen.push(args);
      return answer;
    }) as EcrSender['send'],
  };
  const abort = new AbortController();

  await expect(patient(sender, 120_000).send(command, { abortSignal: abort.signal })).resolves.toBe(answer);

  expect(seen).toEqual([[command, { abortSignal: abort.signal }]]);
  expect(seen[0][0]).toBe(command);
});

test.each([
  ['RepositoryNotFoundException', 400],
  ['ImageNotFoundException', 400],
  ['ServerException', 500],
])('GIVEN %s WHEN sent patiently THEN it passes at once, unretried', async (name, status) => {
  const { clock, sender, calls } = fixture([() => serviceError(name, status)]);

  await expect(patient(sender, 120_000, clock).send(command)).rejects.toMatchObject({ name });

  expect(calls).toHaveLength(1);
});

test('GIVEN an aborted signal WHEN ECR throttles THEN the refusal passes at once', async () => {
  const { clock, sender, calls } = fixture([() => serviceError('ThrottlingException')]);
  const abort = new AbortController();
  abort.abort();

  await expect(patient(sender, 120_000, clock).send(command, { abortSignal: abort.signal })).rejects.toMatchObject({ name: 'ThrottlingException' });

  expect(calls).toHaveLength(1);
});

describe('transportRetries', () => {
  const strategy = transportRetries(5, () => 0.5);

  test('GIVEN a transient error WHEN refreshed THEN it retries with a jittered, growing delay, up to 5 attempts', async () => {
    let token = await strategy.acquireInitialRetryToken('');
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error: serviceError('ServerException', 503) as never });
      delays.push(token.getRetryDelay());
    }

    expect(delays).toEqual([100, 200, 400, 800]);
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error: serviceError('ServerException', 503) as never })).rejects.toMatchObject({ name: 'ServerException' });
  });

  test.each(['THROTTLING', 'CLIENT_ERROR', 'SERVER_ERROR'] as const)('GIVEN a %s error WHEN refreshed THEN the SDK hands it back at once', async (errorType) => {
    const token = await strategy.acquireInitialRetryToken('');
    const error = serviceError('ThrottlingException');

    await expect(strategy.refreshRetryTokenForRetry(token, { errorType, error: error as never })).rejects.toBe(error);
  });
});
