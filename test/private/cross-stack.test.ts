/**
 * Apps that look an image up in one stack and run it in another. Nothing
 * that moves with the tag may cross the stacks: CloudFormation refuses to
 * update an export that another stack imports.
 */
import { App, CfnOutput, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageDigestLookup, Refresh } from '../../src';
import { RESOURCE_TYPE } from '../../src/shared/contract';

const ENV = { account: '111111111111', region: 'us-east-1' };

function newApp(repositoryOf: (stack: Stack) => ecr.IRepository = (s) => ecr.Repository.fromRepositoryName(s, 'Repo', 'api')) {
  const app = new App();
  const imageStack = new Stack(app, 'Images', { env: ENV });
  const lookup = new ImageDigestLookup(imageStack, 'Api', { repository: repositoryOf(imageStack), tag: 'main', refresh: Refresh.whenChanged('build-42') });
  const service = new Stack(app, 'Service', { env: ENV });
  return { app, images: imageStack, service, lookup };
}

function addTask(stack: Stack, id: string, image: ecs.ContainerImage): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, id);
  task.addContainer('app', { image, memoryLimitMiB: 512 });
  return task;
}

/** Every export whose value carries one of a lookup's attributes. */
function movingExports(stack: Stack): string[] {
  const outputs = Template.fromStack(stack).toJSON().Outputs ?? {};
  return Object.values<any>(outputs).filter((o) => o.Export && /DigestHex|ImageTags|PushedAt|Digest"/.test(JSON.stringify(o.Value))).map((o) => o.Export.Name);
}

function lookupsIn(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).findResources(RESOURCE_TYPE);
}

describe('containerImage() in another stack', () => {
  test('GIVEN a task in another stack WHEN synthesized THEN that stack looks the image up itself and the lookup\'s stack exports nothing that moves', () => {
    const { images, service, lookup } = newApp();
    const task = addTask(service, 'Task', lookup.containerImage());

    const twins = lookupsIn(service);
    expect(Object.keys(twins)).toHaveLength(1);
    const [twinId] = Object.keys(twins);
    expect(twins[twinId].Properties).toMatchObject({ RepositoryName: 'api', RegistryId: '111111111111', Region: 'us-east-1', Tag: 'main', RefreshToken: 'build-42' });
    const container = (service.resolve((task.node.defaultChild as ecs.CfnTaskDefinition).containerDefinitions) as any[])[0];
    expect(JSON.stringify(container.image)).toContain(`"${twinId}","DigestHex"`);
    expect(movingExports(images)).toEqual([]);
    Template.fromStack(service).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('GIVEN tasks in two stacks, two each WHEN synthesized THEN each stack has one twin', () => {
    const { app, images, lookup } = newApp();
    const stacks = ['One', 'Two'].map((id) => new Stack(app, id, { env: ENV }));
    for (const stack of stacks) {
      addTask(stack, 'A', lookup.containerImage());
      addTask(stack, 'B', lookup.containerImage());
    }

    for (const stack of stacks) {
      expect(Object.keys(lookupsIn(stack))).toHaveLength(1);
    }
    expect(movingExports(images)).toEqual([]);
  });

  test('GIVEN a task in the lookup\'s own stack WHEN synthesized THEN the lookup itself pins it', () => {
    const { images, lookup } = newApp();
    const task = addTask(images, 'Task', lookup.containerImage());

    expect(Object.keys(lookupsIn(images))).toHaveLength(1);
    const container = (images.resolve((task.node.defaultChild as ecs.CfnTaskDefinition).containerDefinitions) as any[])[0];
    expect(JSON.stringify(container.image)).toContain(`"${images.getLogicalId(lookup.resource)}","DigestHex"`);
  });

  test('GIVEN a repository defined in the lookup\'s stack WHEN a task of another stack uses the image THEN only the repository\'s ARN and name are exported', () => {
    const { images, service, lookup } = newApp((s) => new ecr.Repository(s, 'Repo'));
    addTask(service, 'Task', lookup.containerImage());

    const outputs = Object.values<any>(Template.fromStack(images).toJSON().Outputs ?? {});
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const value = JSON.stringify(output.Value);
      expect(value).toMatch(/Repo/);
      expect(value).not.toMatch(/DigestHex/);
    }
    expect(Object.keys(lookupsIn(service))).toHaveLength(1);
  });
});

describe('nested stacks', () => {
  test('GIVEN a task in a nested stack of the lookup\'s stack WHEN synthesized THEN the lookup itself pins it through a parameter, without a twin or a warning', () => {
    const { images, lookup } = newApp();
    const nested = new NestedStack(images, 'Tasks');
    addTask(nested, 'Task', lookup.containerImage());

    expect(Object.keys(lookupsIn(nested))).toHaveLength(0);
    expect(Object.keys(lookupsIn(images))).toHaveLength(1);
    expect(Annotations.fromStack(images).findWarning('*', Match.stringLikeRegexp('crossStackAttribute'))).toEqual([]);
  });
});

describe('dockerImageCode() in another stack', () => {
  test('GIVEN an arm64 function in another stack WHEN synthesized THEN that stack resolves the image and its platform itself', () => {
    const { images, service, lookup } = newApp();

    new lambda.DockerImageFunction(service, 'Fn', { code: lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }), architecture: lambda.Architecture.ARM_64 });

    const twins = lookupsIn(service);
    const platformTwin = Object.keys(twins).find((id) => twins[id].Properties.Platform === 'linux/arm64')!;
    expect(Object.keys(twins)).toHaveLength(2);
    const fn = Object.values<any>(Template.fromStack(service).findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }))[0];
    expect(JSON.stringify(fn.Properties.Code.ImageUri)).toContain(`"${platformTwin}","DigestHex"`);
    expect(Object.keys(lookupsIn(images))).toHaveLength(1);
    expect(movingExports(images)).toEqual([]);
  });

  test('GIVEN a function in another stack WHEN synthesized THEN the lambda service may pull from the repository', () => {
    const { images, service, lookup } = newApp((s) => new ecr.Repository(s, 'Repo'));

    new lambda.DockerImageFunction(service, 'Fn', { code: lookup.dockerImageCode() });

    Template.fromStack(images).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })]) },
    });
  });
});

describe('raw attributes in another stack', () => {
  test.each([
    ['imageUri', (l: ImageDigestLookup) => l.imageUri],
    ['digest', (l: ImageDigestLookup) => l.digest],
    ['pushedAt', (l: ImageDigestLookup) => l.pushedAt],
  ])('GIVEN %s referenced from another stack WHEN synthesized THEN synth warns naming both stacks and what to use instead', (_name, attribute) => {
    const { images, service, lookup } = newApp();
    new CfnOutput(service, 'Image', { value: attribute(lookup) });

    Annotations.fromStack(images).hasWarning('/Images/Api', Match.stringLikeRegexp(
      'in stack Images is referenced from stack Service: .* Use containerImage\\(\\) or dockerImageCode\\(\\) in Service .*cdk-image-digest-lookup:crossStackAttribute'));
  });

  test('GIVEN only containerImage() in another stack and raw attributes in the lookup\'s own WHEN synthesized THEN synth does not warn', () => {
    const { images, service, lookup } = newApp();
    addTask(service, 'Task', lookup.containerImage());
    new CfnOutput(images, 'Image', { value: lookup.imageUri });

    expect(Annotations.fromStack(images).findWarning('*', Match.stringLikeRegexp('crossStackAttribute'))).toEqual([]);
  });
});

describe('a scan gate across stacks', () => {
  test('GIVEN a gated lookup WHEN only an arm64 function of another stack uses it THEN the platform lookup there is gated and no lookup gates the index', () => {
    const app = new App();
    const images = new Stack(app, 'Images', { env: ENV });
    const lookup = new ImageDigestLookup(images, 'Api', { repository: ecr.Repository.fromRepositoryName(images, 'Repo', 'api'), requireScan: { maxHigh: 3 } });
    const service = new Stack(app, 'Service', { env: ENV });

    new lambda.DockerImageFunction(service, 'Fn', { code: lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }), architecture: lambda.Architecture.ARM_64 });

    const gates = (stack: Stack) => Object.values(lookupsIn(stack)).map((r) => [r.Properties.Platform, r.Properties.ScanGate]);
    expect(gates(images)).toEqual([[undefined, undefined]]);
    expect(gates(service)).toEqual(expect.arrayContaining([[undefined, undefined], ['linux/arm64', { MaxCritical: '0', MaxHigh: '3' }]]));
    expect(gates(service)).toHaveLength(2);
  });

  test('GIVEN a gated lookup WHEN a task of its own stack also uses it THEN it keeps its gate', () => {
    const app = new App();
    const images = new Stack(app, 'Images', { env: ENV });
    const lookup = new ImageDigestLookup(images, 'Api', { repository: ecr.Repository.fromRepositoryName(images, 'Repo', 'api'), requireScan: { maxHigh: 3 } });
    addTask(images, 'Task', lookup.containerImage());

    new lambda.DockerImageFunction(images, 'Fn', { code: lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }), architecture: lambda.Architecture.ARM_64 });

    expect(lookupsIn(images)[images.getLogicalId(lookup.resource)].Properties.ScanGate).toEqual({ MaxCritical: '0', MaxHigh: '3' });
  });
});
