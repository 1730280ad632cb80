import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageDigestLookup, Refresh } from '../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function newStack(context: Record<string, string> = {}): Stack {
  const app = new App({ context });
  return new Stack(app, 'Stack', { env: ENV });
}

function lookups(stack: Stack, count: number, repositoryFor: (i: number) => ecr.IRepository): ImageDigestLookup[] {
  return Array.from({ length: count }, (_, i) => new ImageDigestLookup(stack, `Lookup${i}`, { repository: repositoryFor(i), tag: 'main' }));
}

/** Every policy document in the template: roles' inline policies, policies and managed policies. */
function policyDocuments(template: Template): any[] {
  return [
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r: any) => (r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)),
    ...Object.values(template.findResources('AWS::IAM::Policy')).map((p: any) => p.Properties.PolicyDocument),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((p: any) => p.Properties.PolicyDocument),
  ];
}

function describeImagesResources(template: Template): unknown[] {
  return policyDocuments(template).flatMap((d) => d.Statement)
    .filter((s: any) => [s.Action].flat().includes('ecr:DescribeImages'))
    .flatMap((s: any) => [s.Resource].flat());
}

describe('resources', () => {
  test.each([1, 2, 100])('GIVEN %i lookups WHEN synthesized THEN one function and one role serve them all', (count) => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');

    lookups(stack, count, () => repository);

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('Custom::ImageDigestLookup', count);
  });

  test('GIVEN a lookup WHEN synthesized THEN it asks for the repository, registry, region and tag', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');

    new ImageDigestLookup(stack, 'Api', { repository, tag: 'v1.2.3' });

    Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImageDigestLookupProviderHandler'), 'Arn'] },
      RepositoryName: 'api',
      RegistryId: '111111111111',
      Region: 'eu-west-1',
      Tag: 'v1.2.3',
    });
  });

  test('GIVEN no tag WHEN synthesized THEN the tag is latest', () => {
    const stack = newStack();
    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

    Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { Tag: 'latest' });
  });

  test('GIVEN the provider WHEN synthesized THEN it runs Node.js 24 on arm64 with a bounded timeout and finite log retention', () => {
    const stack = newStack();
    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 120,
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('GIVEN two stacks in one app WHEN synthesized THEN each has its own provider', () => {
    const app = new App();
    const first = new Stack(app, 'First', { env: ENV });
    const second = new Stack(app, 'Second', { env: ENV });

    new ImageDigestLookup(first, 'Api', { repository: ecr.Repository.fromRepositoryName(first, 'Repo', 'api') });
    new ImageDigestLookup(second, 'Api', { repository: ecr.Repository.fromRepositoryName(second, 'Repo', 'api') });

    Template.fromStack(first).resourceCountIs('AWS::Lambda::Function', 1);
    Template.fromStack(second).resourceCountIs('AWS::Lambda::Function', 1);
  });
});

describe('IAM', () => {
  test('GIVEN lookups of two repositories WHEN synthesized THEN the role may DescribeImages on exactly those two ARNs', () => {
    const stack = newStack();
    const api = ecr.Repository.fromRepositoryName(stack, 'Api', 'api');
    const worker = ecr.Repository.fromRepositoryName(stack, 'Worker', 'worker');

    new ImageDigestLookup(stack, 'A', { repository: api });
    new ImageDigestLookup(stack, 'B', { repository: worker, tag: 'v1' });
    new ImageDigestLookup(stack, 'C', { repository: api, tag: 'v2' });

    const template = Template.fromStack(stack);
    const resources = describeImagesResources(template);
    expect(resources).toHaveLength(2);
    expect(JSON.stringify(resources)).toContain(':ecr:eu-west-1:111111111111:repository/api');
    expect(JSON.stringify(resources)).toContain(':ecr:eu-west-1:111111111111:repository/worker');
  });

  test('GIVEN a lookup WHEN synthesized THEN no ECR action but DescribeImages and BatchGetImage is granted, and nothing on *', () => {
    const stack = newStack();
    new ImageDigestLookup(stack, 'A', { repository: ecr.Repository.fromRepositoryName(stack, 'Api', 'api') });

    const template = Template.fromStack(stack);
    const statements = policyDocuments(template).flatMap((d) => d.Statement);
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('ecr:')).sort()).toEqual(['ecr:BatchGetImage', 'ecr:DescribeImages']);
    expect(statements.flatMap((s: any) => [s.Resource].flat())).not.toContain('*');
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('GIVEN a plain lookup and a platform lookup of one repository WHEN synthesized THEN each action is granted on it once', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Api', 'api');
    new ImageDigestLookup(stack, 'Plain', { repository });
    new ImageDigestLookup(stack, 'Arm', { repository, platform: 'linux/arm64' });

    const statements = policyDocuments(Template.fromStack(stack)).flatMap((d) => d.Statement);
    const grantsOf = (action: string) => statements
      .filter((st: any) => [st.Action].flat().includes(action))
      .flatMap((st: any) => [st.Resource].flat());
    expect(grantsOf('ecr:DescribeImages')).toHaveLength(1);
    expect(grantsOf('ecr:BatchGetImage')).toHaveLength(1);
    expect(JSON.stringify(grantsOf('ecr:BatchGetImage'))).toContain(':repository/api');
  });

  test('GIVEN two imports of the same repository WHEN synthesized THEN its ARN is granted once', () => {
    const stack = newStack();
    new ImageDigestLookup(stack, 'A', { repository: ecr.Repository.fromRepositoryName(stack, 'Api1', 'api') });
    new ImageDigestLookup(stack, 'B', { repository: ecr.Repository.fromRepositoryName(stack, 'Api2', 'api') });

    expect(describeImagesResources(Template.fromStack(stack))).toHaveLength(1);
  });

  test('GIVEN a lookup WHEN synthesized THEN its permissions live in the role itself, which the function references', () => {
    const stack = newStack();
    new ImageDigestLookup(stack, 'A', { repository: ecr.Repository.fromRepositoryName(stack, 'Api', 'api') });

    const template = Template.fromStack(stack);
    const roleId = Object.keys(template.findResources('AWS::IAM::Role'))[0];
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    template.hasResource('Custom::ImageDigestLookup', { DependsOn: Match.absent() });
  });

  test('GIVEN the log group WHEN synthesized THEN the role may write only to it', () => {
    const stack = newStack();
    new ImageDigestLookup(stack, 'A', { repository: ecr.Repository.fromRepositoryName(stack, 'Api', 'api') });

    const template = Template.fromStack(stack);
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0];
    expect(policyDocuments(template)[0].Statement).toContainEqual({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
    });
  });
});

describe('image URIs', () => {
  test('GIVEN containerImage() in a task definition WHEN synthesized THEN the image is repository@sha256:digest and the execution role may pull', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
    const lookup = new ImageDigestLookup(stack, 'Api', { repository, tag: 'main' });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');

    task.addContainer('api', { image: lookup.containerImage() });

    const template = Template.fromStack(stack);
    const joined = JSON.stringify(template.findResources('AWS::ECS::TaskDefinition'));
    expect(joined).toContain('.dkr.ecr.eu-west-1.');
    expect(joined).toContain('/api@sha256:');
    expect(joined).not.toContain('/api:sha256');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ecr:BatchGetImage']) })]) },
      Roles: [{ Ref: Match.stringLikeRegexp('TaskExecutionRole') }],
    });
  });

  test('GIVEN dockerImageCode() in a function WHEN synthesized THEN ImageUri is repository@sha256:digest', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    new lambda.DockerImageFunction(stack, 'Fn', { code: lookup.dockerImageCode({ cmd: ['app.handler'] }) });

    const template = Template.fromStack(stack);
    const lookupId = stack.getLogicalId(lookup.resource);
    template.hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      Code: {
        ImageUri: {
          'Fn::Join': ['', Match.arrayWith([
            Match.stringLikeRegexp('/api@sha256:$'),
            { 'Fn::GetAtt': [lookupId, 'DigestHex'] },
          ])],
        },
      },
      ImageConfig: { Command: ['app.handler'] },
    });
  });

  test('GIVEN the digest passed to aws-cdk-lib\'s own ContainerImage.fromEcrRepository WHEN synthesized THEN the separator is still @', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    const image = ecs.ContainerImage.fromEcrRepository(repository, lookup.digest);
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('api', { image });

    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('/api@sha256:');
  });

  test('GIVEN a lookup WHEN its attributes are resolved THEN each reads the matching custom resource attribute', () => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });
    const id = stack.getLogicalId(lookup.resource);

    expect(stack.resolve(lookup.digest)).toEqual({ 'Fn::Join': ['', ['sha256:', { 'Fn::GetAtt': [id, 'DigestHex'] }]] });
    expect(stack.resolve(lookup.sizeInBytes)).toEqual({ 'Fn::GetAtt': [id, 'SizeInBytes'] });
    expect(stack.resolve(lookup.pushedAt)).toEqual({ 'Fn::GetAtt': [id, 'PushedAt'] });
    expect(stack.resolve(lookup.manifestMediaType)).toEqual({ 'Fn::GetAtt': [id, 'ManifestMediaType'] });
    expect(stack.resolve(lookup.imageTags)).toEqual({ 'Fn::Split': [',', { 'Fn::GetAtt': [id, 'ImageTags'] }] });
    expect(stack.resolve(lookup.imageTagCount)).toEqual({ 'Fn::GetAtt': [id, 'ImageTagCount'] });
  });
});

describe('repositories in other accounts and regions', () => {
  test('GIVEN a repository ARN in another account and region WHEN synthesized THEN ECR is called there with that registry id', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryArn(stack, 'Shared', 'arn:aws:ecr:us-west-2:222222222222:repository/platform/base');

    const lookup = new ImageDigestLookup(stack, 'Base', { repository });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::ImageDigestLookup', {
      RepositoryName: 'platform/base',
      RegistryId: '222222222222',
      Region: 'us-west-2',
    });
    expect(describeImagesResources(template)).toEqual(['arn:aws:ecr:us-west-2:222222222222:repository/platform/base']);
    expect(JSON.stringify(stack.resolve(lookup.imageUri))).toContain('222222222222.dkr.ecr.us-west-2.');
  });

  test('GIVEN an environment-agnostic stack WHEN synthesized THEN account and region resolve at deploy time', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

    Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', {
      RegistryId: { Ref: 'AWS::AccountId' },
      Region: { Ref: 'AWS::Region' },
    });
  });

  test('GIVEN a repository defined in the stack WHEN synthesized THEN its name and ARN are references', () => {
    const stack = newStack();
    const repository = new ecr.Repository(stack, 'Repo');

    new ImageDigestLookup(stack, 'Api', { repository });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::ImageDigestLookup', { RepositoryName: { Ref: Match.stringLikeRegexp('^Repo') } });
    expect(describeImagesResources(template)).toEqual([{ 'Fn::GetAtt': [stack.getLogicalId(repository.node.defaultChild as ecr.CfnRepository), 'Arn'] }]);
  });
});

describe('validation at synth', () => {
  test.each([
    ['feature/login', /tag "feature\/login" is not a valid image tag/],
    ['with space', /tag "with space" is not a valid image tag/],
    ['.hidden', /tag ".hidden" is not a valid image tag/],
    ['-dash', /tag "-dash" is not a valid image tag/],
    ['', /tag "" is not a valid image tag/],
    ['a'.repeat(129), /is not a valid image tag: a tag is 1 to 128 characters/],
    [`sha256:${'0'.repeat(64)}`, /tag "sha256:0{64}" is a digest, not a tag/],
  ])('GIVEN tag %j WHEN constructed THEN it throws naming the tag and the rule', (tag, message) => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');

    expect(() => new ImageDigestLookup(stack, 'Api', { repository, tag })).toThrow(message);
  });

  test.each(['Api', 'a', 'api//x', 'api-', '_api', `a${'b'.repeat(256)}`])('GIVEN repository name %j WHEN constructed THEN it throws naming it and ECR\'s rule', (name) => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', name);

    expect(() => new ImageDigestLookup(stack, 'Api', { repository })).toThrow(`repository name ${JSON.stringify(name)} is not a valid ECR repository name`);
  });

  test('GIVEN a repository ARN with a malformed account WHEN constructed THEN it throws naming the account', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryArn(stack, 'Repo', 'arn:aws:ecr:us-west-2:12345:repository/api');

    expect(() => new ImageDigestLookup(stack, 'Api', { repository })).toThrow('repository account "12345" is not a valid ECR registry id');
  });

  test('GIVEN a valid 128-character tag WHEN constructed THEN it is accepted', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');

    expect(() => new ImageDigestLookup(stack, 'Api', { repository, tag: `_${'a'.repeat(127)}` })).not.toThrow();
  });

  test('GIVEN tokens for the tag and repository name WHEN constructed THEN they are accepted and checked at deploy time', () => {
    const stack = newStack();
    const repository = new ecr.Repository(stack, 'Repo');
    const tag = new CfnParameter(stack, 'Tag').valueAsString;

    new ImageDigestLookup(stack, 'Api', { repository, tag });

    Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { Tag: { Ref: 'Tag' } });
  });

  test('GIVEN an invalid tag WHEN constructed THEN no resource was added to the stack', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');

    expect(() => new ImageDigestLookup(stack, 'Api', { repository, tag: 'bad tag' })).toThrow();
    expect(stack.node.tryFindChild('ImageDigestLookupProvider')).toBeUndefined();
  });
});

describe('refresh', () => {
  function refreshTokenOf(stack: Stack): unknown {
    const resources = Template.fromStack(stack).findResources('Custom::ImageDigestLookup');
    return (Object.values(resources)[0] as any).Properties.RefreshToken;
  }

  function synthWith(refresh: Refresh | undefined, context: Record<string, string> = {}): Stack {
    const stack = newStack(context);
    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), refresh });
    return stack;
  }

  test('GIVEN the default WHEN synthesized twice THEN the refresh token differs, so every deployment looks again', async () => {
    const first = refreshTokenOf(synthWith(undefined));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = refreshTokenOf(synthWith(undefined));

    expect(typeof first).toBe('string');
    expect(second).not.toEqual(first);
  });

  test('GIVEN the default and a pinned context value WHEN synthesized twice THEN the templates are byte-identical', () => {
    const context = { [Refresh.CONTEXT_KEY]: 'snapshot' };

    const first = JSON.stringify(Template.fromStack(synthWith(undefined, context)).toJSON());
    const second = JSON.stringify(Template.fromStack(synthWith(undefined, context)).toJSON());

    expect(second).toBe(first);
    expect(first).toContain('"RefreshToken":"snapshot"');
  });

  test('GIVEN onPropertyChange WHEN synthesized THEN there is no refresh token', () => {
    expect(refreshTokenOf(synthWith(Refresh.onPropertyChange()))).toBeUndefined();
  });

  test('GIVEN whenChanged(buildId) WHEN synthesized THEN the refresh token is the build id', () => {
    expect(refreshTokenOf(synthWith(Refresh.whenChanged('build-42')))).toBe('build-42');
  });

  test('GIVEN whenChanged with an empty key WHEN called THEN it throws naming the key', () => {
    expect(() => Refresh.whenChanged('')).toThrow('Refresh.whenChanged(key): key "" is empty');
  });

  test('GIVEN several default lookups in a stack WHEN synthesized THEN they share one refresh token', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
    lookups(stack, 3, () => repository);

    const tokens = Object.values(Template.fromStack(stack).findResources('Custom::ImageDigestLookup')).map((r: any) => r.Properties.RefreshToken);
    expect(new Set(tokens).size).toBe(1);
  });
});
