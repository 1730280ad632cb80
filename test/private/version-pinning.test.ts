/**
 * Lambda versions and aliases of a function built from a lookup's image
 * follow the resolved digest: asserted on synthesized templates, and on the
 * template resolved with two different digests as CloudFormation would.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageDigestLookup } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

interface Fixture {
  readonly stack: Stack;
  readonly lookup: ImageDigestLookup;
  readonly fn: lambda.DockerImageFunction;
}

function functionFromLookup(options: { architecture?: lambda.Architecture; platform?: string } = {}): Fixture {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
  const lookup = new ImageDigestLookup(stack, 'Api', { repository, tag: 'main', platform: options.platform });
  const fn = new lambda.DockerImageFunction(stack, 'Fn', {
    code: lookup.dockerImageCode({ architecture: options.architecture }),
    architecture: options.architecture,
  });
  return { stack, lookup, fn };
}

function logicalIdOf(stack: Stack, construct: ImageDigestLookup): string {
  return stack.getLogicalId(construct.resource);
}

/** What CloudFormation substitutes for the lookup's DigestHex attribute, everywhere in the template. */
function withDigest(template: unknown, lookupLogicalId: string, hex: string): any {
  const walk = (value: any): any => {
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (value && typeof value === 'object') {
      const getAtt = value['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt[0] === lookupLogicalId && getAtt[1] === 'DigestHex') {
        return hex;
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk(template);
}

function versions(template: any): Record<string, any> {
  return Object.fromEntries(Object.entries(template.Resources).filter(([, r]: [string, any]) => r.Type === 'AWS::Lambda::Version'));
}

const DIGEST_HEX = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'DigestHex'] });

describe('currentVersion', () => {
  test('GIVEN a function built from dockerImageCode() WHEN its currentVersion is used THEN the version\'s CodeSha256 is the lookup\'s digest', () => {
    const { stack, lookup, fn } = functionFromLookup();

    fn.currentVersion;

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Version', {
      FunctionName: { Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction) },
      CodeSha256: DIGEST_HEX(logicalIdOf(stack, lookup)),
    });
  });

  test('GIVEN two deployments whose lookups resolve different digests WHEN the templates are resolved THEN the version is replaced, and the alias moves to it', () => {
    const { stack, lookup, fn } = functionFromLookup();
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const template = Template.fromStack(stack).toJSON();
    const id = logicalIdOf(stack, lookup);

    const before = versions(withDigest(template, id, 'a'.repeat(64)));
    const after = versions(withDigest(template, id, 'b'.repeat(64)));

    // Same logical id (the synth-time hash cannot see the digest), but
    // CodeSha256 is a replacement property: CloudFormation publishes a new version.
    expect(Object.keys(after)).toEqual(Object.keys(before));
    const [versionId] = Object.keys(before);
    expect(before[versionId].Properties.CodeSha256).toBe('a'.repeat(64));
    expect(after[versionId].Properties.CodeSha256).toBe('b'.repeat(64));
    expect(template.Resources[stack.getLogicalId(alias.node.defaultChild as lambda.CfnAlias)].Properties.FunctionVersion)
      .toEqual({ 'Fn::GetAtt': [versionId, 'Version'] });
    // This is the outcome the README's failure table states (aliasFollowsDigest).
  });

  test('GIVEN the same function built with DockerImageCode.fromEcr on the digest WHEN resolved with two digests THEN its version does not change (the defect this pinning fixes)', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
    const lookup = new ImageDigestLookup(stack, 'Api', { repository, tag: 'main' });
    const fn = new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repository, { tagOrDigest: lookup.digest }) });
    fn.currentVersion;
    const template = Template.fromStack(stack).toJSON();
    const id = logicalIdOf(stack, lookup);

    expect(versions(withDigest(template, id, 'b'.repeat(64)))).toEqual(versions(withDigest(template, id, 'a'.repeat(64))));
  });
});

test('GIVEN an alias with provisioned concurrency on currentVersion WHEN synthesized THEN the version it serves is pinned to the digest', () => {
  const { stack, lookup, fn } = functionFromLookup();

  new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion, provisionedConcurrentExecutions: 5 });

  const template = Template.fromStack(stack);
  const [versionId] = Object.keys(template.findResources('AWS::Lambda::Version', { Properties: { CodeSha256: DIGEST_HEX(logicalIdOf(stack, lookup)) } }));
  expect(versionId).toBeDefined();
  template.hasResourceProperties('AWS::Lambda::Alias', {
    FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
    ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 },
  });
});

test('GIVEN a CodeDeploy canary on the alias WHEN synthesized THEN the alias shifts traffic to a version pinned to the digest', () => {
  const { stack, lookup, fn } = functionFromLookup();
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });

  new codedeploy.LambdaDeploymentGroup(stack, 'Canary', { alias, deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES });

  const template = Template.fromStack(stack);
  const [versionId] = Object.keys(template.findResources('AWS::Lambda::Version', { Properties: { CodeSha256: DIGEST_HEX(logicalIdOf(stack, lookup)) } }));
  const [, aliasResource] = Object.entries(template.findResources('AWS::Lambda::Alias'))[0];
  expect(aliasResource.Properties.FunctionVersion).toEqual({ 'Fn::GetAtt': [versionId, 'Version'] });
  expect(aliasResource.UpdatePolicy.CodeDeployLambdaAliasUpdate).toBeDefined();
});

test('GIVEN a lambda.Version created by hand after the function WHEN synthesized THEN it is pinned too', () => {
  const { stack, lookup, fn } = functionFromLookup();

  new lambda.Version(stack, 'Manual', { lambda: fn });

  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Version', { CodeSha256: DIGEST_HEX(logicalIdOf(stack, lookup)) });
});

test('GIVEN a version that sets its own CodeSha256 WHEN synthesized THEN it keeps it', () => {
  const { stack, fn } = functionFromLookup();

  new lambda.Version(stack, 'Manual', { lambda: fn, codeSha256: 'c'.repeat(64) });

  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Version', { CodeSha256: 'c'.repeat(64) });
});

test('GIVEN two functions, one from a lookup and one not WHEN both publish versions THEN only the lookup\'s function\'s version is pinned', () => {
  const { stack, lookup, fn } = functionFromLookup();
  const other = new lambda.Function(stack, 'Other', { code: lambda.Code.fromInline('exports.handler = async () => {}'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });

  fn.currentVersion;
  other.currentVersion;

  const all = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Version')) as any[];
  const byFunction = Object.fromEntries(all.map((v) => [v.Properties.FunctionName.Ref, v.Properties.CodeSha256]));
  expect(byFunction).toEqual({
    [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)]: DIGEST_HEX(logicalIdOf(stack, lookup)),
    [stack.getLogicalId(other.node.defaultChild as lambda.CfnFunction)]: undefined,
  });
});

test('GIVEN two functions from two lookups WHEN both publish versions THEN each version follows its own lookup', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
  const [a, b] = ['A', 'B'].map((id) => new ImageDigestLookup(stack, id, { repository, tag: id.toLowerCase() }));
  const fa = new lambda.DockerImageFunction(stack, 'FnA', { code: a.dockerImageCode() });
  const fb = new lambda.DockerImageFunction(stack, 'FnB', { code: b.dockerImageCode() });

  fa.currentVersion;
  fb.currentVersion;

  const all = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Version')) as any[];
  const byFunction = Object.fromEntries(all.map((v) => [v.Properties.FunctionName.Ref, v.Properties.CodeSha256]));
  expect(byFunction).toEqual({
    [stack.getLogicalId(fa.node.defaultChild as lambda.CfnFunction)]: DIGEST_HEX(logicalIdOf(stack, a)),
    [stack.getLogicalId(fb.node.defaultChild as lambda.CfnFunction)]: DIGEST_HEX(logicalIdOf(stack, b)),
  });
});

test('GIVEN a function on arm64 from an index WHEN its version is published THEN CodeSha256 is the arm64 manifest\'s digest, the one Lambda runs', () => {
  const { stack, lookup, fn } = functionFromLookup({ architecture: lambda.Architecture.ARM_64 });

  fn.currentVersion;

  const platformLookup = lookup.node.findChild('Platform-linux-arm64') as ImageDigestLookup;
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Version', { CodeSha256: DIGEST_HEX(logicalIdOf(stack, platformLookup)) });
});

test('GIVEN a lookup that resolves the platform itself WHEN the function on that architecture publishes a version THEN CodeSha256 is that lookup\'s digest', () => {
  const { stack, lookup, fn } = functionFromLookup({ architecture: lambda.Architecture.ARM_64, platform: 'linux/arm64' });

  fn.currentVersion;

  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Version', { CodeSha256: DIGEST_HEX(logicalIdOf(stack, lookup)) });
});
