/**
 * 50 lookups of one synthesized stack, invoked at once as CloudFormation
 * would (each in its own process, like concurrent Lambda instances) against
 * one moto ECR: every lookup gets exactly one answer, with its own image's
 * digest.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { expectOneTimelyResponse, FaultHarness } from './harness';
import { MOTO_ACCOUNT, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { ImageDigestLookup, Refresh } from '../../src';

const LOOKUPS = 50;
const REPOSITORIES = 25;

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start();
});
afterAll(() => harness.close());

test('GIVEN a stack with 50 lookups over 25 repositories WHEN CloudFormation invokes them all at once THEN each is answered once, with its own digest', async () => {
  const names = Array.from({ length: REPOSITORIES }, () => uniqueRepositoryName('concurrent'));
  const expected = new Map<string, string>();
  for (const name of names) {
    await harness.ecr.createRepository(name);
    expected.set(`${name}:main`, await harness.ecr.push(name, 'main'));
    expected.set(`${name}:v1`, await harness.ecr.push(name, 'v1'));
  }
  const stack = new Stack(new App(), 'Concurrent', { env: { account: MOTO_ACCOUNT, region: REGION } });
  for (let i = 0; i < LOOKUPS; i++) {
    const repository = ecr.Repository.fromRepositoryName(stack, `Repo${i}`, names[i % REPOSITORIES]);
    new ImageDigestLookup(stack, `Lookup${i}`, { repository, tag: i < REPOSITORIES ? 'main' : 'v1', refresh: Refresh.onPropertyChange() });
  }
  const lookups = Object.entries(Template.fromStack(stack).findResources('Custom::ImageDigestLookup'));
  const events = lookups.map(([logicalId, resource], i) => ({
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:lookup',
    ResponseURL: harness.responseUrl,
    StackId: `arn:aws:cloudformation:${REGION}:${MOTO_ACCOUNT}:stack/Concurrent/0`,
    RequestId: `concurrent-${i}`,
    LogicalResourceId: logicalId,
    ResourceType: resource.Type,
    ResourceProperties: { ...resource.Properties, ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:lookup' },
  }));

  const outcomes = await Promise.all(events.map((event) => harness.invoke(event, 60_000)));

  expect(events).toHaveLength(LOOKUPS);
  for (const [i, outcome] of outcomes.entries()) {
    const response = expectOneTimelyResponse(outcome);
    const { RepositoryName, Tag } = events[i].ResourceProperties;
    expect(response.body).toMatchObject({ Status: 'SUCCESS', RequestId: events[i].RequestId, LogicalResourceId: events[i].LogicalResourceId });
    expect(response.body.Data.Digest).toBe(expected.get(`${RepositoryName}:${Tag}`));
  }
  // One call per lookup, but for the transport retries the logs record: on two shared cores a
  // starved process can miss the SDK's 10 s request timeout.
  const retried = outcomes.reduce((n, o) => n + (o.invocation.logs.match(/ECR call failed/g)?.length ?? 0), 0);
  expect(harness.ecrProxy.received.length).toBeGreaterThanOrEqual(LOOKUPS);
  expect(harness.ecrProxy.received.length).toBeLessThanOrEqual(LOOKUPS + retried);
}, 120_000);
