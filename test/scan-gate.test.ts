import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageDigestLookup, ScanRequirement, ScanSeverity } from '../src';

function newStack(): { stack: Stack; repository: ecr.IRepository } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { stack, repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') };
}

function scanGrants(stack: Stack): unknown[] {
  const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0] as any;
  return role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement)
    .filter((s: any) => [s.Action].flat().includes('ecr:DescribeImageScanFindings'))
    .flatMap((s: any) => [s.Resource].flat());
}

test('GIVEN requireScan with no thresholds WHEN synthesized THEN the gate allows no CRITICAL finding and bounds nothing else', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'Api', { repository, requireScan: {} });

  const properties = (Object.values(Template.fromStack(stack).findResources('Custom::ImageDigestLookup'))[0] as any).Properties;
  expect(properties.ScanGate).toEqual({ MaxCritical: '0' });
});

test('GIVEN thresholds and a scan wait WHEN synthesized THEN the gate carries them as CloudFormation will pass them', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'Api', { repository, requireScan: { maxCritical: 1, maxHigh: 5, maxMedium: 20, maxLow: 100, waitForScan: Duration.minutes(3) } });

  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', {
    ScanGate: { MaxCritical: '1', MaxHigh: '5', MaxMedium: '20', MaxLow: '100', WaitForSeconds: '180' },
  });
});

test('GIVEN a gated lookup and an ungated one WHEN synthesized THEN DescribeImageScanFindings is granted on the gated repository only', () => {
  const { stack, repository } = newStack();
  new ImageDigestLookup(stack, 'Api', { repository, requireScan: {} });
  new ImageDigestLookup(stack, 'Worker', { repository: ecr.Repository.fromRepositoryName(stack, 'WorkerRepo', 'worker') });

  const granted = scanGrants(stack);

  expect(granted).toHaveLength(1);
  expect(JSON.stringify(granted)).toContain('repository/api');
});

test('GIVEN no gate WHEN synthesized THEN no scan permission is granted', () => {
  const { stack, repository } = newStack();
  new ImageDigestLookup(stack, 'Api', { repository });

  expect(scanGrants(stack)).toEqual([]);
});

test('GIVEN a push wait and a scan wait WHEN synthesized THEN the function timeout covers both plus a minute', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'Api', { repository, waitFor: Duration.minutes(4), requireScan: { waitForScan: Duration.minutes(5) } });

  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Timeout: 600 });
});

test.each(Object.values(ScanSeverity))('GIVEN a gated lookup WHEN findingCount(%s) is read THEN it is that severity\'s attribute', (severity) => {
  const { stack, repository } = newStack();
  const lookup = new ImageDigestLookup(stack, 'Api', { repository, requireScan: { maxHigh: 3 } });

  const resolved = stack.resolve(lookup.findingCount(severity));

  const attribute = `Findings${severity.charAt(0)}${severity.slice(1).toLowerCase()}`;
  expect(resolved).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(lookup.resource), attribute] });
});

test('GIVEN a lookup without requireScan WHEN findingCount is read THEN it throws saying to set requireScan', () => {
  const { stack, repository } = newStack();
  const lookup = new ImageDigestLookup(stack, 'Api', { repository });

  expect(() => lookup.findingCount(ScanSeverity.CRITICAL)).toThrow('findingCount(CRITICAL) needs the image\'s scan, which only a lookup with requireScan reads');
});

test('GIVEN a gated lookup WHEN code for an arm64 function is asked for THEN the platform lookup is gated too, as ECR scans per platform', () => {
  const { stack, repository } = newStack();
  const lookup = new ImageDigestLookup(stack, 'Api', { repository, requireScan: { maxHigh: 2 } });

  new lambda.DockerImageFunction(stack, 'Fn', { code: lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }), architecture: lambda.Architecture.ARM_64 });

  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { Platform: 'linux/arm64', ScanGate: { MaxCritical: '0', MaxHigh: '2' } });
});

test.each<[string, ScanRequirement, RegExp]>([
  ['a negative maxCritical', { maxCritical: -1 }, /requireScan.maxCritical -1 is not a valid threshold: it must be a whole number of findings, 0 or more/],
  ['a fractional maxHigh', { maxHigh: 2.5 }, /requireScan.maxHigh 2.5 is not a valid threshold/],
  ['NaN as maxMedium', { maxMedium: NaN }, /requireScan.maxMedium NaN is not a valid threshold/],
  ['Infinity as maxLow', { maxLow: Infinity }, /requireScan.maxLow Infinity is not a valid threshold/],
  ['a sub-second scan wait', { waitForScan: Duration.millis(10) }, /requireScan.waitForScan 10 millis is not a whole number of seconds of at least 1/],
  ['a scan wait past 14 minutes', { waitForScan: Duration.minutes(20) }, /waitFor 20 minutes \(waitFor plus requireScan.waitForScan: 1200s\) is longer than the 14 minutes/],
])('GIVEN %s WHEN constructed THEN it throws naming the value and the rule', (_name, requireScan, message) => {
  const { stack, repository } = newStack();

  expect(() => new ImageDigestLookup(stack, 'Api', { repository, requireScan })).toThrow(message);
});

test('GIVEN waits that fit alone but not together WHEN constructed THEN it throws naming the sum', () => {
  const { stack, repository } = newStack();

  expect(() => new ImageDigestLookup(stack, 'Api', { repository, waitFor: Duration.minutes(10), requireScan: { waitForScan: Duration.minutes(5) } }))
    .toThrow(/waitFor 15 minutes \(waitFor plus requireScan.waitForScan: 900s\) is longer than the 14 minutes a lookup can wait/);
});
