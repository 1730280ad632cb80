/**
 * Faults between the shipped handler and CloudFormation's ResponseURL: the
 * handler PUTs the same body again until one is accepted, before the Lambda's
 * deadline.
 */
import { FAILURE_BEHAVIOUR, FailureRow } from './failure-behaviour';
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
  ['HTTP 429 twice', FAILURE_BEHAVIOUR.responseUrl5xx, { kind: 'status', status: 429 }, 2],
  ['HTTP 500 twice', FAILURE_BEHAVIOUR.responseUrl5xx, { kind: 'status', status: 500 }, 2],
  ['HTTP 503 twice', FAILURE_BEHAVIOUR.responseUrl5xx, { kind: 'status', status: 503 }, 2],
  ['a connection reset twice', FAILURE_BEHAVIOUR.responseUrlReset, { kind: 'reset' }, 2],
  ['no answer to one PUT', FAILURE_BEHAVIOUR.responseUrlHang, { kind: 'hang' }, 1],
])('GIVEN the ResponseURL meets %s', (_name, row, fault, times) => {
  test('WHEN the lookup answers THEN the same body is PUT again until it is accepted', async () => {
    const { repositoryName, digest } = await harness.repositoryWithImage('main');
    harness.responseProxy.inject(fault, times);

    const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));

    const response = expectOneTimelyResponse(outcome);
    expect(outcome.putAttempts.map((a) => a.fault)).toEqual([...Array(times).fill(fault.kind), undefined]);
    expect(response.body.Status).toBe(row.status);
    expect(response.body.Data.Digest).toBe(digest);
  });
});

test('GIVEN a failed lookup and a ResponseURL that fails twice WHEN it answers THEN the same FAILED body is PUT again', async () => {
  harness.responseProxy.inject({ kind: 'status', status: 503 }, 2);

  const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps('missing-repository', 'main')));

  const response = expectOneTimelyResponse(outcome);
  expect(outcome.putAttempts).toHaveLength(3);
  expect(response.body.Status).toBe('FAILED');
});

test('GIVEN the ResponseURL refuses the PUT with HTTP 403 WHEN the lookup answers THEN it is not retried and the logs name the status, not the URL', async () => {
  const { repositoryName } = await harness.repositoryWithImage('main');
  harness.responseProxy.injectAlways({ kind: 'status', status: 403 });

  const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));

  expect(outcome.putAttempts).toHaveLength(1);
  expect(outcome.accepted).toHaveLength(0);
  expect(outcome.invocation.logs).toContain('HTTP 403');
  expect(outcome.invocation.logs).not.toContain('X-Amz-Signature');
});

test('GIVEN the ResponseURL answers HTTP 503 to every PUT WHEN the lookup answers THEN the PUTs stop before the Lambda\'s deadline and the function ends on its own', async () => {
  const { repositoryName } = await harness.repositoryWithImage('main');
  harness.responseProxy.injectAlways({ kind: 'status', status: 503 });
  const timeoutMs = 8_000;

  const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')), timeoutMs);

  // The runner exits with 124 when the Lambda timeout ends the function.
  expect(outcome.invocation.exitCode).not.toBe(124);
  expect(outcome.accepted).toHaveLength(0);
  expect(outcome.putAttempts.length).toBeGreaterThan(2);
  const lastPut = Math.max(...harness.responseProxy.received.map((r) => r.receivedAt));
  expect(lastPut).toBeLessThan(outcome.startedAt + timeoutMs);
  expect(outcome.invocation.logs).toMatch(/The response to CloudFormation failed after \d+ attempt\(s\): HTTP 503/);
  expect(outcome.invocation.logs).not.toContain('X-Amz-Signature');
});
