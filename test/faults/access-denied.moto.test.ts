/**
 * A lookup of a repository new to the stack runs in the deployment that
 * grants its role access, and IAM applies a grant within seconds, not at
 * once. ECR (moto behind a proxy that denies like ECR) refuses the first
 * calls: the shipped handler retries denials for a bounded time within its
 * deadline, and a denial that stays ends in FAILED with ECR's own message and
 * advice for the kind of policy that denied.
 */
import { FAILURE_BEHAVIOUR, reasonPattern } from './failure-behaviour';
import { expectOneTimelyResponse, FaultHarness, lookupProps } from './harness';
import { createEvent } from '../../local/events';
import { MOTO_ACCOUNT, REGION } from '../../local/local-ecr';

const ROLE = `arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/app-LookupRole3C2E8D1A-Q9X7/app-LookupHandler`;

function denial(repositoryName: string, reason: string): string {
  return `User: ${ROLE} is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:${REGION}:${MOTO_ACCOUNT}:repository/${repositoryName} ${reason}`;
}

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start();
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

test.each([
  ['without waitFor', {}],
  ['with waitFor', { WaitForSeconds: '30' }],
])('GIVEN ECR denies the role for its first 4 s (%s) WHEN the lookup is created THEN it retries and answers SUCCESS with the digest', async (_name, extra) => {
  const row = FAILURE_BEHAVIOUR.deniedWhileGrantPropagates;
  const { repositoryName, digest } = await harness.repositoryWithImage('main');
  const message = denial(repositoryName, 'because no identity-based policy allows the ecr:DescribeImages action');
  const grantedAt = Date.now() + 4_000;
  harness.ecrProxy.injectBy(() => (Date.now() < grantedAt ? { kind: 'deny', message } : undefined));

  const outcome = await harness.invoke(createEvent(harness.responseUrl, { ...lookupProps(repositoryName, 'main'), ...extra }));

  const response = expectOneTimelyResponse(outcome);
  expect(response.body.Status).toBe(row.status);
  expect(response.body.Data.Digest).toBe(digest);
  const denied = harness.ecrProxy.received.filter((r) => r.fault === 'deny').length;
  expect(denied).toBeGreaterThan(1);
  expect(harness.ecrProxy.received).toHaveLength(denied + 1);
});

test('GIVEN an SCP that denies the role for good WHEN the lookup is created THEN FAILED before the deadline keeps ECR\'s message and points at the SCP', async () => {
  const row = FAILURE_BEHAVIOUR.deniedAlways;
  const { repositoryName } = await harness.repositoryWithImage('main');
  const message = denial(repositoryName, 'with an explicit deny in a service control policy');
  harness.ecrProxy.injectAlways({ kind: 'deny', message });

  // 20 s of Lambda time, less than the 60 s a denial may last: the deadline ends the retries.
  const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')), 20_000);

  const response = expectOneTimelyResponse(outcome);
  expect(response.body.Status).toBe(row.status);
  expect(response.body.Reason).toMatch(reasonPattern(row));
  expect(response.body.Reason).toContain(`${message}.`);
  expect(response.body.Reason).toContain('A service control policy of your AWS Organization blocks ecr:DescribeImages for the lookup role');
  expect(response.body.Reason).not.toContain('another account');
  expect(response.body.Reason).toContain(`on ${harness.ecrProxy.received.length} attempts over`);
  // It kept asking for most of the 12 s it had before answering, then answered itself, not by timeout.
  expect(harness.ecrProxy.received.length).toBeGreaterThan(3);
  expect(response.receivedAt - outcome.startedAt).toBeGreaterThan(6_000);
  expect(response.receivedAt - outcome.startedAt).toBeLessThan(12_000);
});
