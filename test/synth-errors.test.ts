/**
 * Every error thrown at synth names where it comes from: the construct path
 * of the lookup (or of the stack, for stack-wide settings), or the call for a
 * static factory that has no construct yet.
 */
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ImageDigestLookup, ImageDigestLookupProps, ImageSelector, Refresh, ScanSeverity } from '../src';
import { LookupRole } from '../src/private/lookup-role';

function newStack(): { stack: Stack; repository: ecr.IRepository } {
  const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { stack, repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') };
}

const lookUp = (props: Omit<ImageDigestLookupProps, 'repository'>) => () => {
  const { stack, repository } = newStack();
  new ImageDigestLookup(stack, 'Api', { repository, ...props });
};

test.each<[string, () => void, string]>([
  ['both tag and image', lookUp({ tag: 'main', image: ImageSelector.newest() }), 'ImageDigestLookup Service/Api: both tag "main" and image'],
  ['a bad tag', lookUp({ tag: 'feature/x' }), 'ImageDigestLookup Service/Api: tag "feature/x" is not a valid image tag'],
  ['a bad platform', lookUp({ platform: 'linux' }), 'ImageDigestLookup Service/Api: platform "linux" is not a valid platform'],
  ['a wait below a second', lookUp({ waitFor: Duration.millis(500) }), 'ImageDigestLookup Service/Api: waitFor 500 millis is not a whole number of seconds'],
  ['a negative threshold', lookUp({ requireScan: { maxHigh: -1 } }), 'ImageDigestLookup Service/Api: requireScan.maxHigh -1 is not a valid threshold'],
  ['a token wait in minutes', () => {
    const { stack, repository } = newStack();
    new ImageDigestLookup(stack, 'Api', { repository, waitFor: Duration.minutes(new CfnParameter(stack, 'Wait', { type: 'Number' }).valueAsNumber) });
  }, 'ImageDigestLookup Service/Api: waitFor'],
  ['a repository ARN of another service', () => {
    const { stack } = newStack();
    const repository = ecr.Repository.fromRepositoryAttributes(stack, 'S3', { repositoryArn: 'arn:aws:s3:::bucket/api', repositoryName: 'api' });
    new ImageDigestLookup(stack, 'Api', { repository });
  }, 'ImageDigestLookup Service/Api: repository ARN "arn:aws:s3:::bucket/api" is not an ECR repository ARN'],
  ['findingCount without requireScan', () => {
    const { stack, repository } = newStack();
    new ImageDigestLookup(stack, 'Api', { repository }).findingCount(ScanSeverity.HIGH);
  }, 'ImageDigestLookup Service/Api: findingCount(HIGH) needs the image\'s scan'],
  ['dockerImageCode on another platform', () => {
    const { stack, repository } = newStack();
    new ImageDigestLookup(stack, 'Api', { repository, platform: 'linux/amd64' }).dockerImageCode({ architecture: lambda.Architecture.ARM_64 });
  }, 'ImageDigestLookup Service/Api: dockerImageCode() was asked for a function on linux/arm64'],
  ['a bad publish() parameter name', () => {
    const { stack, repository } = newStack();
    new ImageDigestLookup(stack, 'Api', { repository }).publish({ parameterName: 'aws-image' });
  }, 'ImageDigestLookup Service/Api: publish(): parameterName "aws-image" is not a valid SSM parameter name'],
  ['configureProvider with a bad role name', () => {
    ImageDigestLookup.configureProvider(newStack().stack, { roleName: 'has space' });
  }, 'ImageDigestLookup.configureProvider(Service): roleName "has space" is not a valid IAM role name'],
  ['configureProvider with both roleName and role', () => {
    const { stack } = newStack();
    ImageDigestLookup.configureProvider(stack, { roleName: 'lookups', role: iam.Role.fromRoleName(stack, 'Role', 'existing') });
  }, 'ImageDigestLookup.configureProvider(Service): both roleName "lookups" and role (Service/Role) are set'],
  ['configureProvider after the first lookup with other options', () => {
    const { stack, repository } = newStack();
    new ImageDigestLookup(stack, 'Api', { repository });
    ImageDigestLookup.configureProvider(stack, { roleName: 'lookups' });
  }, 'the lookup function of stack Service already exists'],
  ['more repositories than a role can list', () => {
    const { stack } = newStack();
    const role = new LookupRole(stack, 'Role', { logGroup: new logs.LogGroup(stack, 'Logs') });
    for (let i = 0; i < 2000; i++) {
      role.allow(['ecr:DescribeImages'], `arn:aws:ecr:eu-west-1:111111111111:repository/${'team/'.repeat(48)}service-${i}`);
    }
  }, 'ImageDigestLookup: the lookups of stack Service name more repositories'],
  // A static factory runs before any construct exists: it names the call.
  ['an empty Refresh.whenChanged key', () => Refresh.whenChanged(''), 'Refresh.whenChanged(key): key "" is empty'],
])('GIVEN %s WHEN synthesized THEN the error names where it comes from', (_name, act, message) => {
  expect(act).toThrow(message);
});
