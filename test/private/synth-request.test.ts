import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageDigestLookupProps, ImageSelector } from '../../src';
import { lookupRequest, totalWaitSeconds } from '../../src/private/synth-request';
import { MAX_WAIT_SECONDS } from '../../src/shared/rules';

function build(props: Omit<ImageDigestLookupProps, 'repository'>, configure: (stack: Stack) => Partial<ImageDigestLookupProps> = () => ({})) {
  const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region: 'eu-west-1' } });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
  return lookupRequest(stack, { repository, ...props, ...configure(stack) });
}

test('GIVEN no selector WHEN the request is built THEN it looks up the tag latest with no wait and no scan', () => {
  expect(build({})).toEqual({ registryId: '111111111111', region: 'eu-west-1', repositoryName: 'api', selector: { kind: 'tag', tag: 'latest' }, waitForSeconds: 0 });
});

test('GIVEN requireScan WHEN the request is built THEN CRITICAL defaults to 0 and the other severities stay unbounded', () => {
  expect(build({ requireScan: { maxLow: 3 } }).scanRequirement).toEqual({ max: { CRITICAL: 0, LOW: 3 }, waitForSeconds: 0 });
});

test('GIVEN several bad values WHEN the request is built THEN one error names the path and every problem, in a fixed order', () => {
  expect(() => build({ image: ImageSelector.digest('sha256:abc'), platform: 'linux', waitFor: Duration.millis(1500), requireScan: { maxCritical: -1 } }))
    .toThrow(/^ImageDigestLookup Service: digest "sha256:abc" .* platform "linux" .* waitFor 1 second 500 millis .* requireScan.maxCritical -1 /);
});

test('GIVEN a token value of every kind WHEN the request is built THEN nothing is rejected at synth', () => {
  const text = (stack: Stack, id: string) => new CfnParameter(stack, id).valueAsString;
  expect(() => build({}, (stack) => ({
    image: ImageSelector.digest(text(stack, 'Digest')),
    platform: text(stack, 'Platform'),
    repository: ecr.Repository.fromRepositoryName(stack, 'TokenRepo', text(stack, 'Name')),
    requireScan: { maxHigh: new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber },
  }))).not.toThrow();
});

describe('totalWaitSeconds', () => {
  test('GIVEN literal waits WHEN summed THEN it is the push wait plus the scan wait', () => {
    expect(totalWaitSeconds(build({ waitFor: Duration.minutes(2), requireScan: { waitForScan: Duration.seconds(30) } }))).toBe(150);
  });

  test.each([
    ['waitFor', (stack: Stack) => ({ waitFor: Duration.seconds(new CfnParameter(stack, 'Wait', { type: 'Number' }).valueAsNumber) })],
    ['waitForScan', (stack: Stack) => ({ requireScan: { waitForScan: Duration.seconds(new CfnParameter(stack, 'Wait', { type: 'Number' }).valueAsNumber) } })],
  ])('GIVEN a token %s WHEN summed THEN it may be anything up to the limit', (_name, configure) => {
    expect(totalWaitSeconds(build({}, configure))).toBe(MAX_WAIT_SECONDS);
  });
});
