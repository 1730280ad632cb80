/**
 * The construct's side of holdImage: the write actions go to exactly the
 * repositories whose lookups hold their images, the hold's attributes exist
 * only on such lookups, and its options are checked at synth.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageDigestLookup } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const HOLD_ACTIONS = ['ecr:BatchDeleteImage', 'ecr:GetLifecyclePolicy', 'ecr:PutImage'];

function stack(): Stack {
  return new Stack(new App(), 'Lookups', { env: ENV });
}

function repository(scope: Stack, name: string): ecr.IRepository {
  return ecr.Repository.fromRepositoryName(scope, `Repo-${name}`, name);
}

/** Each action of the role's policies, with the repository names it may be used on. */
function grants(scope: Stack): Map<string, string[]> {
  const template = Template.fromStack(scope);
  const documents = [
    ...Object.values<any>(template.findResources('AWS::IAM::Role')).flatMap((role) => (role.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)),
    ...Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).map((policy) => policy.Properties.PolicyDocument),
  ];
  const result = new Map<string, string[]>();
  for (const statement of documents.flatMap((document) => document.Statement)) {
    for (const action of [statement.Action].flat()) {
      const names = [statement.Resource].flat().map((resource: any) => JSON.stringify(resource).match(/repository\/([a-z0-9/-]+)/)?.[1] ?? '');
      result.set(action, [...(result.get(action) ?? []), ...names].sort());
    }
  }
  return result;
}

test('GIVEN one held lookup among others WHEN synthesized THEN the write actions name only its repository', () => {
  const scope = stack();
  new ImageDigestLookup(scope, 'Api', { repository: repository(scope, 'api') });
  new ImageDigestLookup(scope, 'Held', { repository: repository(scope, 'held'), holdImage: true });
  new ImageDigestLookup(scope, 'Off', { repository: repository(scope, 'off'), holdImage: false });

  const granted = grants(scope);

  for (const action of HOLD_ACTIONS) {
    expect([action, granted.get(action)]).toEqual([action, ['held']]);
  }
  expect(granted.get('ecr:DescribeImages')).toEqual(['api', 'held', 'off']);
});

test('GIVEN no held lookup WHEN synthesized THEN the role has no write action at all', () => {
  const scope = stack();
  new ImageDigestLookup(scope, 'Api', { repository: repository(scope, 'api') });

  const granted = grants(scope);

  expect(HOLD_ACTIONS.filter((action) => granted.has(action))).toEqual([]);
});

test('GIVEN a held lookup WHEN synthesized THEN its properties ask the handler to hold, and holdTag and lifecycleRisk read its attributes', () => {
  const scope = stack();
  const held = new ImageDigestLookup(scope, 'Held', { repository: repository(scope, 'held'), holdImage: true, failOnLifecycleRisk: true });

  Template.fromStack(scope).hasResourceProperties('Custom::ImageDigestLookup', { HoldImage: 'true', FailOnLifecycleRisk: 'true' });
  expect(scope.resolve(held.holdTag)).toEqual({ 'Fn::GetAtt': [scope.getLogicalId(held.resource), 'HoldTag'] });
  expect(scope.resolve(held.lifecycleRisk)).toEqual({ 'Fn::GetAtt': [scope.getLogicalId(held.resource), 'LifecycleRisk'] });
});

test.each(['holdTag', 'lifecycleRisk'] as const)('GIVEN a lookup without holdImage WHEN %s is read THEN synth fails naming the lookup and the option to set', (property) => {
  const scope = stack();
  const lookup = new ImageDigestLookup(scope, 'Api', { repository: repository(scope, 'api') });

  expect(() => lookup[property]).toThrow(`ImageDigestLookup Lookups/Api: ${property} is only known for a lookup that holds its image: set holdImage: true.`);
});

test('GIVEN failOnLifecycleRisk without holdImage WHEN synthesized THEN synth fails before any resource exists', () => {
  const scope = stack();

  expect(() => new ImageDigestLookup(scope, 'Api', { repository: repository(scope, 'api'), failOnLifecycleRisk: true }))
    .toThrow('ImageDigestLookup Lookups/Api: failOnLifecycleRisk is set without holdImage, but only a held image is checked against the lifecycle policy: set holdImage: true, or leave failOnLifecycleRisk unset.');
  expect(Template.fromStack(scope).findResources('Custom::ImageDigestLookup')).toEqual({});
});

test('GIVEN a held lookup WHEN dockerImageCode pins a platform THEN the platform lookup holds the manifest the function runs', () => {
  const scope = stack();
  const held = new ImageDigestLookup(scope, 'Held', { repository: repository(scope, 'held'), holdImage: true, failOnLifecycleRisk: true });
  new lambda.DockerImageFunction(scope, 'Fn', { code: held.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }), architecture: lambda.Architecture.ARM_64 });

  const lookups = Object.values<any>(Template.fromStack(scope).findResources('Custom::ImageDigestLookup')).map((r) => r.Properties);

  expect(lookups).toHaveLength(2);
  expect(lookups.map((p) => [p.Platform, p.HoldImage, p.FailOnLifecycleRisk])).toEqual([[undefined, 'true', 'true'], ['linux/arm64', 'true', 'true']]);
});

test('GIVEN one lookup with restoreArchived among others WHEN synthesized THEN ecr:UpdateImageStorageClass names only its repository', () => {
  const scope = stack();
  new ImageDigestLookup(scope, 'Api', { repository: repository(scope, 'api'), holdImage: true });
  new ImageDigestLookup(scope, 'Restored', { repository: repository(scope, 'restored'), restoreArchived: true });

  expect(grants(scope).get('ecr:UpdateImageStorageClass')).toEqual(['restored']);
});
