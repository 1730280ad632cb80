import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageDigestLookup } from '../src';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** The resources each ECR action is granted on, across the role's policies. */
function grants(template: Template): Record<string, string[]> {
  const documents = [
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r: any) => (r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((p: any) => p.Properties.PolicyDocument),
  ];
  const result: Record<string, string[]> = {};
  for (const statement of documents.flatMap((d) => d.Statement)) {
    for (const action of [statement.Action].flat().filter((a: string) => a.startsWith('ecr:'))) {
      result[action] = [...(result[action] ?? []), ...[statement.Resource].flat().map((r: unknown) => JSON.stringify(r))];
    }
  }
  return result;
}

test('GIVEN a platform WHEN synthesized THEN the lookup asks for it', () => {
  const stack = newStack();

  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), platform: 'linux/arm64' });

  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { Platform: 'linux/arm64' });
});

test('GIVEN a platform lookup and a plain one on two repositories WHEN synthesized THEN both may DescribeImages and BatchGetImage', () => {
  const stack = newStack();
  new ImageDigestLookup(stack, 'ApiLookup', { repository: ecr.Repository.fromRepositoryName(stack, 'Api', 'api'), platform: 'linux/arm64' });
  new ImageDigestLookup(stack, 'WorkerLookup', { repository: ecr.Repository.fromRepositoryName(stack, 'Worker', 'worker') });

  const granted = grants(Template.fromStack(stack));

  expect(granted['ecr:DescribeImages']).toHaveLength(2);
  // Without a platform, an index is still read, to tell one that lists only attestations.
  expect(granted['ecr:BatchGetImage']).toHaveLength(2);
  expect(granted['ecr:BatchGetImage'].sort()).toEqual(granted['ecr:DescribeImages'].sort());
});

test.each([
  'linux',
  'Linux/amd64',
  'linux/arm/v7/extra',
  'linux amd64',
  'linux/',
])('GIVEN platform %j WHEN constructed THEN it throws naming the platform and the form', (platform) => {
  const stack = newStack();

  expect(() => new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), platform }))
    .toThrow(`platform ${JSON.stringify(platform)} is not a valid platform: write it as os/architecture or os/architecture/variant in lower case`);
});

describe('dockerImageCode({ architecture })', () => {
  test('GIVEN a lookup without platform WHEN code for an arm64 function is asked for THEN a second lookup resolves the first one\'s digest for linux/arm64', () => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

    new lambda.DockerImageFunction(stack, 'Fn', { code: lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }), architecture: lambda.Architecture.ARM_64 });

    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::ImageDigestLookup', 2);
    const parentId = stack.getLogicalId(lookup.resource);
    template.hasResourceProperties('Custom::ImageDigestLookup', {
      Platform: 'linux/arm64',
      Digest: { 'Fn::Join': ['', ['sha256:', { 'Fn::GetAtt': [parentId, 'DigestHex'] }]] },
    });
    const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }))[0] as any;
    const childId = Object.keys(template.findResources('Custom::ImageDigestLookup', { Properties: { Platform: 'linux/arm64' } }))[0];
    expect(JSON.stringify(fn.Properties.Code.ImageUri)).toContain(`"${childId}","DigestHex"`);
  });

  test('GIVEN code for the same architecture asked for twice WHEN synthesized THEN one platform lookup serves both', () => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

    for (const id of ['First', 'Second']) {
      const architecture = lambda.Architecture.X86_64;
      new lambda.DockerImageFunction(stack, id, { code: lookup.dockerImageCode({ architecture }), architecture });
    }

    Template.fromStack(stack).resourceCountIs('Custom::ImageDigestLookup', 2);
  });

  test('GIVEN a lookup with the function\'s platform WHEN code is asked for THEN the lookup itself is used', () => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), platform: 'linux/arm64' });

    lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 });

    Template.fromStack(stack).resourceCountIs('Custom::ImageDigestLookup', 1);
  });

  test('GIVEN a lookup for linux/amd64 WHEN code for an arm64 function is asked for THEN it throws naming both platforms', () => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), platform: 'linux/amd64' });

    expect(() => lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }))
      .toThrow('dockerImageCode() was asked for a function on linux/arm64, but the lookup resolves platform linux/amd64');
  });
});

describe('one platform, two spellings', () => {
  test.each([
    ['linux/arm64/v8', lambda.Architecture.ARM_64],
    ['linux/arm64', lambda.Architecture.ARM_64],
    ['linux/amd64', lambda.Architecture.X86_64],
  ])('GIVEN a lookup for %s WHEN code for a function of the same platform is bound THEN the lookup itself pins it', (platform, architecture) => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), platform });

    new lambda.DockerImageFunction(stack, 'Fn', { code: lookup.dockerImageCode({ architecture }), architecture });

    Template.fromStack(stack).resourceCountIs('Custom::ImageDigestLookup', 1);
  });

  test.each([
    ['linux/arm/v7', lambda.Architecture.ARM_64],
    ['linux/arm64/v9', lambda.Architecture.ARM_64],
    ['linux/amd64/v2', lambda.Architecture.X86_64],
  ])('GIVEN a lookup for %s WHEN code for a %s function is asked for THEN it throws, as the platforms differ', (platform, architecture) => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), platform });

    expect(() => lookup.dockerImageCode({ architecture })).toThrow(`but the lookup resolves platform ${platform}`);
  });
});
