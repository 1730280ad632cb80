/**
 * An app that takes the tag from an SSM parameter and the repository from a
 * context lookup, synthesized the way the CLI does it: a first pass with the
 * providers' placeholders, then a second with the values looked up.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ImageDigestLookup } from '../../src';

const ENV = { account: '111111111111', region: 'us-east-1' };

function serviceApp(context: Record<string, unknown> = {}, platformParameter?: string): { app: App; stack: Stack; lookup: ImageDigestLookup } {
  const app = new App({ context });
  const stack = new Stack(app, 'Service', { env: ENV });
  const lookup = new ImageDigestLookup(stack, 'Api', {
    repository: ecr.Repository.fromLookup(stack, 'Repo', { repositoryName: 'api' }),
    tag: ssm.StringParameter.valueFromLookup(stack, '/build/tag'),
    platform: platformParameter === undefined ? undefined : ssm.StringParameter.valueFromLookup(stack, platformParameter),
  });
  return { app, stack, lookup };
}

/** The context keys the first pass asks the CLI for, by provider. */
function missingKeys(): Record<string, string> {
  const missing = serviceApp().app.synth().manifest.missing ?? [];
  return Object.fromEntries(missing.map((m) => [m.provider, m.key]));
}

test('GIVEN an SSM tag and a looked-up repository WHEN first synthesized THEN synth completes and reports both lookups as missing context', () => {
  const { app, stack } = serviceApp({}, '/build/platform');

  const assembly = app.synth();

  expect(assembly.manifest.missing?.map((m) => m.provider).sort()).toEqual(['cc-api-provider', 'ssm', 'ssm']);
  // The placeholders are what aws-cdk-lib hands out; the lookup carries them unchecked.
  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', {
    Tag: 'dummy-value-for-/build/tag', RepositoryName: 'DUMMY_ARN', Platform: 'dummy-value-for-/build/platform',
  });
});

test('GIVEN the looked-up values WHEN synthesized again THEN the lookup uses them, and the repository\'s account and region', () => {
  const keys = missingKeys();
  const { stack } = serviceApp({ [keys.ssm]: 'v1.2.3', [keys['cc-api-provider']]: [{ Arn: 'arn:aws:ecr:eu-west-1:222222222222:repository/api' }] });

  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', {
    Tag: 'v1.2.3', RepositoryName: 'api', RegistryId: '222222222222', Region: 'eu-west-1',
  });
});

test('GIVEN a looked-up tag that is not a valid tag WHEN synthesized again THEN it throws naming the tag', () => {
  const keys = missingKeys();

  expect(() => serviceApp({ [keys.ssm]: 'feature/x', [keys['cc-api-provider']]: [{ Arn: 'arn:aws:ecr:eu-west-1:222222222222:repository/api' }] }))
    .toThrow('tag "feature/x" is not a valid image tag');
});

test('GIVEN a placeholder-shaped tag that no lookup produced WHEN constructed THEN it is checked like any tag', () => {
  const stack = new Stack(new App(), 'Service', { env: ENV });

  expect(() => new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), tag: 'dummy-value-for-/build/tag' }))
    .toThrow('tag "dummy-value-for-/build/tag" is not a valid image tag');
});

test('GIVEN a pending lookup elsewhere in the app WHEN a bad literal tag is given THEN it is still rejected', () => {
  const { app } = serviceApp();
  const other = new Stack(app, 'Other', { env: ENV });

  expect(() => new ImageDigestLookup(other, 'Api', { repository: ecr.Repository.fromRepositoryName(other, 'Repo', 'api'), tag: 'feature/x' }))
    .toThrow('tag "feature/x" is not a valid image tag');
});

test('GIVEN a looked-up platform WHEN code for a function is asked for on the first pass THEN the placeholder is not compared with the function\'s platform', () => {
  const { stack, lookup } = serviceApp({}, '/build/platform');

  const code = lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 });
  new lambda.DockerImageFunction(stack, 'Fn', { code, architecture: lambda.Architecture.ARM_64 });

  Template.fromStack(stack).resourceCountIs('Custom::ImageDigestLookup', 1);
});

test('GIVEN a looked-up platform WHEN synthesized again with another platform than the function\'s THEN it throws naming both', () => {
  const first = serviceApp({}, '/build/platform').app.synth().manifest.missing ?? [];
  const context = Object.fromEntries(first.map((m) => [m.key, m.provider === 'ssm'
    ? (String((m.props as any).parameterName) === '/build/platform' ? 'linux/amd64' : 'v1')
    : [{ Arn: 'arn:aws:ecr:us-east-1:111111111111:repository/api' }]]));
  const { lookup } = serviceApp(context, '/build/platform');

  expect(() => lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }))
    .toThrow('dockerImageCode() was asked for a function on linux/arm64, but the lookup resolves platform linux/amd64');
});
