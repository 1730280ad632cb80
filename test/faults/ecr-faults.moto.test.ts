/**
 * Faults between the shipped handler and ECR (moto behind a fault proxy):
 * whatever ECR does, CloudFormation gets exactly one answer before the
 * Lambda's deadline, SUCCESS only with the digest the tag points to, FAILED
 * with a reason that names the cause.
 */
import { FAILURE_BEHAVIOUR, FailureRow, reasonPattern } from './failure-behaviour';
import { expectOneTimelyResponse, FaultHarness, lookupProps } from './harness';
import { createEvent } from '../../local/events';
import { Fault } from '../support/fault-proxy';

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start();
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

describe.each<[string, FailureRow, Fault, number]>([
  ['a 2 s delay', FAILURE_BEHAVIOUR.ecrSlow, { kind: 'delay', ms: 2_000 }, 1],
  ['two connection resets', FAILURE_BEHAVIOUR.ecrResetThenPass, { kind: 'reset' }, 2],
  ['two HTTP 500 answers', FAILURE_BEHAVIOUR.ecr500ThenPass, { kind: 'status', status: 500 }, 2],
  ['three ThrottlingExceptions', FAILURE_BEHAVIOUR.ecrThrottleThenPass, { kind: 'throttle' }, 3],
])('GIVEN ECR meets %s before it answers', (_name, row, fault, times) => {
  test('WHEN the lookup is created THEN SUCCESS carries the digest the tag points to, after a retry', async () => {
    const { repositoryName, digest } = await harness.repositoryWithImage('main');
    harness.ecrProxy.inject(fault, times);

    const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));

    const response = expectOneTimelyResponse(outcome);
    expect(response.body.Status).toBe(row.status);
    expect(response.body.Data.Digest).toBe(digest);
    const faulted = harness.ecrProxy.received.filter((r) => r.fault === fault.kind).length;
    expect(faulted).toBe(times);
    expect(harness.ecrProxy.received).toHaveLength(fault.kind === 'delay' ? 1 : times + 1);
  });
});

describe.each<[string, FailureRow, Fault]>([
  ['a connection reset', FAILURE_BEHAVIOUR.ecrResetAlways, { kind: 'reset' }],
  ['HTTP 500', FAILURE_BEHAVIOUR.ecr500Always, { kind: 'status', status: 500 }],
  ['HTTP 503', FAILURE_BEHAVIOUR.ecr503Always, { kind: 'status', status: 503 }],
])('GIVEN ECR answers every attempt with %s', (_name, row, fault) => {
  test('WHEN the lookup is created THEN FAILED after 5 attempts, naming the image and the cause', async () => {
    const { repositoryName } = await harness.repositoryWithImage('main');
    harness.ecrProxy.injectAlways(fault);

    const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));

    const response = expectOneTimelyResponse(outcome);
    expect(response.body.Status).toBe(row.status);
    expect(response.body.Reason).toMatch(reasonPattern(row));
    expect(response.body.Reason).toContain(`repository "${repositoryName}"`);
    expect(harness.ecrProxy.received).toHaveLength(5);
  });
});

test('GIVEN ECR throttles every request WHEN the lookup is created THEN it keeps trying with backoff until it must answer, and FAILED names the throttling before the deadline', async () => {
  const row = FAILURE_BEHAVIOUR.ecrThrottleAlways;
  const { repositoryName } = await harness.repositoryWithImage('main');
  harness.ecrProxy.injectAlways({ kind: 'throttle' });

  // 30 s of Lambda time: the lookup must answer by 22 s (8 s are kept for the response).
  const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')), 30_000);

  const response = expectOneTimelyResponse(outcome);
  expect(response.body.Status).toBe(row.status);
  expect(response.body.Reason).toMatch(reasonPattern(row));
  const attempts = harness.ecrProxy.received.length;
  expect(response.body.Reason).toContain(`on ${attempts} attempts over`);
  // The delays are jittered, so the count varies; the times do not: no delay
  // exceeds 8 s, so a lookup that keeps trying makes an attempt after 12 s,
  // where the SDK's own retries used to give up, and answers by 22 s.
  expect(attempts).toBeGreaterThanOrEqual(3);
  const last = harness.ecrProxy.received[attempts - 1].receivedAt - outcome.startedAt;
  expect(last).toBeGreaterThan(12_000);
  expect(response.receivedAt - outcome.startedAt).toBeLessThan(22_000 + 1_000);
});

test('GIVEN ECR answers HTTP 200 with malformed JSON WHEN the lookup is created THEN FAILED says the answer could not be parsed', async () => {
  const row = FAILURE_BEHAVIOUR.ecrMalformedJson;
  const { repositoryName } = await harness.repositoryWithImage('main');
  harness.ecrProxy.injectAlways({ kind: 'malformed-json' });

  const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));

  const response = expectOneTimelyResponse(outcome);
  expect(response.body.Status).toBe(row.status);
  expect(response.body.Reason).toMatch(reasonPattern(row));
  expect(response.body.Reason).not.toContain('\n');
});

test('GIVEN one ECR request hangs WHEN the lookup is created THEN the attempt is abandoned after 10 s and the retry gives SUCCESS', async () => {
  const row = FAILURE_BEHAVIOUR.ecrHangOnce;
  const { repositoryName, digest } = await harness.repositoryWithImage('main');
  harness.ecrProxy.inject({ kind: 'hang' });

  const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')), 30_000);

  const response = expectOneTimelyResponse(outcome);
  expect(response.body.Status).toBe(row.status);
  expect(response.body.Data.Digest).toBe(digest);
  expect(harness.ecrProxy.received.map((r) => r.fault)).toEqual(['hang', undefined]);
});

test('GIVEN ECR hangs past the Lambda\'s remaining time WHEN the lookup is created THEN FAILED is sent before the deadline', async () => {
  const row = FAILURE_BEHAVIOUR.ecrHangAlways;
  const { repositoryName } = await harness.repositoryWithImage('main');
  harness.ecrProxy.injectAlways({ kind: 'hang' });
  const event = createEvent(harness.responseUrl, lookupProps(repositoryName, 'main'));

  // 8 s of Lambda time: the handler keeps 40% (3.2 s) back for the response.
  const outcome = await harness.invoke(event, 8_000);

  const response = expectOneTimelyResponse(outcome);
  expect(response.body.Status).toBe(row.status);
  expect(response.body.Reason).toMatch(reasonPattern(row));
  expect(response.body.PhysicalResourceId).toBe(`failed-create:${(event as { RequestId: string }).RequestId}`);
  expect(response.receivedAt - outcome.startedAt).toBeGreaterThanOrEqual(4_800);
});
