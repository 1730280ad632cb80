/**
 * cdk-nag's AwsSolutions and NIST 800-53 rev 5 packs over stacks that use the
 * construct: no finding is left open, every finding the construct accepts
 * carries its reason and sits on the construct's own resources, and users
 * need no suppressions of their own.
 *
 * The packs run through `validateScope`, their direct entry point: the same
 * rules and acknowledgement lookup as `Validations.of(app).addPlugins(...)`,
 * whose synth-time path needs an aws-cdk-lib newer than the 2.257 these tests
 * pin (it does not hand plugins the construct tree).
 */
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ImageDigestLookup, Refresh } from '../../src';
import { COSIGN_TEST_KEY, TEST_ROOT } from '../signing/fixtures/keys';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const PROVIDER_PATH = /^[^/]+\/ImageDigestLookupProvider\//;

/** A stack with lookups of every kind of repository; `repositories` distinct names beyond them. */
function stackWithLookups(app: App, repositories = 0): Stack {
  const stack = new Stack(app, 'Lookups', { env: ENV });
  new ImageDigestLookup(stack, 'Same', { repository: ecr.Repository.fromRepositoryName(stack, 'Api', 'api'), tag: 'main' });
  new ImageDigestLookup(stack, 'Shared', {
    repository: ecr.Repository.fromRepositoryArn(stack, 'Base', 'arn:aws:ecr:us-west-2:222222222222:repository/platform/base'),
    refresh: Refresh.onPropertyChange(),
  });
  for (let i = 0; i < repositories; i++) {
    new ImageDigestLookup(stack, `Lookup${i}`, { repository: ecr.Repository.fromRepositoryName(stack, `Repo${i}`, `platform-team/payments-service-${i}`) });
  }
  return stack;
}

function openFindings(scope: IConstruct): string[] {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks()]
    .flatMap((pack) => pack.validateScope(scope).violations)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} on ${r.constructPath}`));
}

/** Every acknowledgement in the tree; aws-cdk-lib records each construct's as a growing series of entries. */
function acknowledgementsIn(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) => {
    const entries = c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    const merged: Record<string, string> = Object.assign({}, ...entries.map((m) => m.data));
    return Object.entries(merged).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason }));
  });
}

test.each([
  ['two lookups', 0],
  ['lookups of 300 distinct repositories (grants in managed policies)', 300],
])('GIVEN a stack with %s WHEN both packs check it THEN no finding is open', (_case, repositories) => {
  const stack = stackWithLookups(new App(), repositories);

  expect(openFindings(stack)).toEqual([]);
});

test('GIVEN a stack whose lookups hold their images WHEN both packs check it THEN no finding is open', () => {
  const stack = stackWithLookups(new App());
  new ImageDigestLookup(stack, 'Held', { repository: ecr.Repository.fromRepositoryName(stack, 'HeldRepo', 'held'), holdImage: true });
  new ImageDigestLookup(stack, 'HeldElsewhere', {
    repository: ecr.Repository.fromRepositoryArn(stack, 'HeldShared', 'arn:aws:ecr:us-west-2:222222222222:repository/platform/held'),
    holdImage: true,
    failOnLifecycleRisk: true,
  });

  expect(openFindings(stack)).toEqual([]);
});

test('GIVEN an environment-agnostic stack WHEN both packs check it THEN no finding is open', () => {
  const stack = new Stack(new App(), 'Agnostic');
  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

  expect(openFindings(stack)).toEqual([]);
});

test.each([
  ['a fixed role name', (stack: Stack) => ImageDigestLookup.configureProvider(stack, { roleName: 'image-digest-lookup' })],
  ['an existing role (grants in managed policies attached to it)', (stack: Stack) =>
    ImageDigestLookup.configureProvider(stack, { role: iam.Role.fromRoleName(stack, 'Existing', 'image-digest-lookup') })],
])('GIVEN a stack whose lookup role has %s WHEN both packs check it THEN no finding is open', (_case, configure) => {
  const stack = new Stack(new App(), 'Lookups', { env: ENV });
  configure(stack);
  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), platform: 'linux/arm64' });

  expect(openFindings(stack)).toEqual([]);
});

test('GIVEN an existing lookup role WHEN the acknowledgements are listed THEN none sits on the user\'s role', () => {
  const stack = new Stack(new App(), 'Lookups', { env: ENV });
  ImageDigestLookup.configureProvider(stack, { role: iam.Role.fromRoleName(stack, 'Existing', 'image-digest-lookup') });
  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

  const acknowledgements = acknowledgementsIn(stack);

  expect(acknowledgements.length).toBeGreaterThan(0);
  expect(acknowledgements.filter((a) => !PROVIDER_PATH.test(a.path))).toEqual([]);
});

test('GIVEN the construct\'s acknowledgements WHEN listed THEN each sits on the provider\'s own resources and gives a reason', () => {
  const stack = stackWithLookups(new App());

  const acknowledgements = acknowledgementsIn(stack);

  expect(acknowledgements.map((a) => a.id).sort()).toEqual([
    'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
    'NIST.800.53.R5-IAMNoInlinePolicy',
    'NIST.800.53.R5-LambdaConcurrency',
    'NIST.800.53.R5-LambdaDLQ',
    'NIST.800.53.R5-LambdaInsideVPC',
  ]);
  for (const acknowledgement of acknowledgements) {
    expect(acknowledgement.path).toMatch(PROVIDER_PATH);
    expect(acknowledgement.reason.length).toBeGreaterThan(60);
  }
});

test('GIVEN a user\'s own function beside the lookups WHEN both packs check the stack THEN its findings are still reported', () => {
  const stack = stackWithLookups(new App());
  new lambda.Function(stack, 'UserFunction', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });

  const findings = openFindings(stack);

  expect(findings).toContain('NIST.800.53.R5-LambdaDLQ on Lookups/UserFunction/Resource');
  expect(findings.filter((f) => /ImageDigestLookupProvider/.test(f))).toEqual([]);
});

test('GIVEN the synthesized template WHEN read by cdk-nag 2 THEN each provider resource with accepted findings carries them as cdk_nag metadata with reasons', () => {
  const stack = stackWithLookups(new App());
  const acknowledged = acknowledgementsIn(stack);

  const template = Template.fromStack(stack).toJSON();

  const paths = new Set(acknowledged.map((a) => a.path));
  expect(paths.size).toBe(3);
  for (const path of paths) {
    const resource = stack.node.findAll().find((c) => c.node.path === path)!.node.defaultChild as CfnResource;
    const metadata = template.Resources[stack.getLogicalId(resource)].Metadata.cdk_nag;
    expect(metadata.rules_to_suppress).toEqual(acknowledged.filter((a) => a.path === path).map(({ id, reason }) => ({ id, reason })));
  }
});

test('GIVEN a lookup that requires a signature WHEN both packs check it THEN no finding is open', () => {
  const stack = new Stack(new App(), 'Lookups', { env: ENV });
  new ImageDigestLookup(stack, 'Api', {
    repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'),
    requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY], notationRootCertificates: [TEST_ROOT] },
  });

  expect(openFindings(stack)).toEqual([]);
});

test('GIVEN an existing role and a lookup that trusts Notation roots WHEN both packs check it THEN no finding is open', () => {
  const stack = new Stack(new App(), 'Lookups', { env: ENV });
  ImageDigestLookup.configureProvider(stack, { role: iam.Role.fromRoleName(stack, 'Existing', 'image-digest-lookup') });
  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), requireSignature: { notationRootCertificates: [TEST_ROOT] } });

  expect(openFindings(stack)).toEqual([]);
});
