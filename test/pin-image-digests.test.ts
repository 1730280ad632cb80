/**
 * PinImageDigests over real synthesized templates: every kind of image
 * reference it covers, what it leaves alone and says so, its options, and
 * that applying it again changes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Aws, CfnParameter, Duration, NestedStack, Size, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DOCKER_HUB_IMAGE, ExistingServiceStack } from '../examples/existing-service';
import { ImageDigestLookup, PinImageDigests, PinImageDigestsProps, Refresh } from '../src';
import { RESOURCE_TYPE } from '../src/shared/contract';
import { COSIGN_TEST_KEY } from './signing/fixtures/keys';

const ASSET_DIR = path.join(__dirname, '..', 'examples', 'images', 'migrations');
const NOT_PINNED = 'cdk-image-digest-lookup:imageNotPinned';

function newApp(): App {
  return new App({ context: { [Refresh.CONTEXT_KEY]: 'test' } });
}

/** A stack built by `build`, pinned by the aspect, and its template. */
function pinned(build: (stack: Stack) => void, props?: PinImageDigestsProps): { stack: Stack; template: Template; app: App } {
  const app = newApp();
  const stack = new Stack(app, 'Service');
  build(stack);
  Aspects.of(app).add(new PinImageDigests(props));
  return { stack, template: Template.fromStack(stack), app };
}

/** The lookups of a template, by logical id. */
function lookups(template: Template): Record<string, any> {
  return template.findResources(RESOURCE_TYPE);
}

/** The `Fn::Join` an image property was rewritten to, and the lookup whose digest it names. */
function pinnedTo(image: any): { uri: string; lookup: string } {
  const parts: any[] = image['Fn::Join'][1];
  const getAtt = parts.find((p) => p['Fn::GetAtt'] !== undefined);
  expect(getAtt?.['Fn::GetAtt'][1]).toBe('DigestHex');
  return { uri: parts.map((p) => (typeof p === 'string' ? p : '{}')).join(''), lookup: getAtt['Fn::GetAtt'][0] };
}

/** The policies of the lookup provider's role, inline or managed. */
function providerGrants(template: Template): unknown[] {
  const role = Object.entries<any>(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('ImageDigestLookupProvider'))!;
  const managed = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(role[0]));
  const inline = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(role[0]));
  return [role[1].Properties.Policies, ...managed, ...inline];
}

function onlyResource(template: Template, type: string, properties?: object): any {
  const found = Object.values(template.findResources(type, properties ? { Properties: properties } : undefined));
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

describe('the typical existing service', () => {
  const app = newApp();
  const stack = new ExistingServiceStack(app, 'Shop');
  Aspects.of(app).add(new PinImageDigests());
  const template = Template.fromStack(stack);
  const json = template.toJSON();

  test('GIVEN the app WHEN pinned THEN every ECR image is pinned: one lookup per repository and tag, the asset\'s included, all on one provider', () => {
    const found = Object.values(lookups(template)).map((l) => [l.Properties.RepositoryName, l.Properties.Tag, l.Properties.Platform]);

    expect(found.filter(([name]) => typeof name === 'string').sort()).toEqual([
      ['shop/api', 'main', undefined],
      ['shop/reports', 'nightly', undefined],
      ['shop/thumbnails', 'main', 'linux/arm64'],
      ['shop/web', 'main', undefined],
      ['shop/worker', 'latest', 'linux/amd64'],
    ]);
    expect(found.filter(([name]) => typeof name !== 'string')).toEqual([
      [{ 'Fn::Sub': 'cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}' }, expect.stringMatching(/^[0-9a-f]{64}$/), undefined],
    ]);
    template.resourceCountIs('AWS::Lambda::Function', 3); // two functions of the app, one lookup provider
  });

  test('GIVEN the app WHEN pinned THEN no image property of the template names an ECR tag any more', () => {
    const images: string[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) {
        value.forEach(collect);
      } else if (typeof value === 'object' && value !== null) {
        for (const [key, inner] of Object.entries(value)) {
          if (['Image', 'ImageUri', 'ImageIdentifier'].includes(key)) {
            images.push(JSON.stringify(inner));
          } else {
            collect(inner);
          }
        }
      }
    };
    collect(json.Resources);

    expect(images.filter((image) => image.includes('.dkr.ecr.'))).toEqual(Array(6).fill(expect.stringContaining('@sha256:')));
    expect(images.filter((image) => !image.includes('.dkr.ecr.'))).toEqual([JSON.stringify(DOCKER_HUB_IMAGE)]);
  });

  test('GIVEN the Docker Hub sidecar THEN it is left as it is, with a warning that names the container\'s resource and the reason', () => {
    const task = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition')).find((t) => t.Properties.ContainerDefinitions.length === 2);

    expect(task.Properties.ContainerDefinitions[1].Image).toBe(DOCKER_HUB_IMAGE);
    Annotations.fromStack(stack).hasWarning('/Shop/Api/TaskDef/Resource',
      Match.stringLikeRegexp(`names image ${DOCKER_HUB_IMAGE} in ContainerDefinitions.1.Image, which is not pinned: its registry is not ECR`));
  });

  test('GIVEN the app WHEN synthesized THEN the cloud assembly holds a summary of every image reference, pinned or skipped and why', () => {
    const assembly = app.synth();
    const summary = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'image-digest-pins.json'), 'utf8'));

    expect(summary.references.map((r: any) => [r.path, r.property, r.status])).toEqual([
      ['Shop/Api/TaskDef/Resource', 'ContainerDefinitions.0.Image', 'pinned'],
      ['Shop/Api/TaskDef/Resource', 'ContainerDefinitions.1.Image', 'skipped'],
      ['Shop/Migrations/Resource', 'ContainerDefinitions.0.Image', 'pinned'],
      ['Shop/Reports/Resource', 'ContainerProperties.Image', 'pinned'],
      ['Shop/Thumbnails/Resource', 'Code.ImageUri', 'pinned'],
      ['Shop/Web', 'SourceConfiguration.ImageRepository.ImageIdentifier', 'pinned'],
      ['Shop/Worker/Resource', 'Code.ImageUri', 'pinned'],
    ]);
    expect(summary.references[1]).toMatchObject({ image: DOCKER_HUB_IMAGE, reason: expect.stringContaining('registry is not ECR') });
    expect(summary.references[4]).toMatchObject({ tag: 'main', platform: 'linux/arm64', lookup: expect.stringMatching(/^Shop\/ImageDigestPins\//) });
  });
});

describe('ECS task definitions', () => {
  test.each([
    ['an imported repository', (stack: Stack) => ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), 'main')],
    ['a repository of the stack', (stack: Stack) => ecs.ContainerImage.fromEcrRepository(new ecr.Repository(stack, 'Repo'), 'main')],
    ['a repository imported by ARN from another region', (stack: Stack) =>
      ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryArn(stack, 'Repo', 'arn:aws:ecr:us-west-2:222222222222:repository/api'), 'main')],
    ['fromRegistry with an ECR URI', () => ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:main')],
  ])('GIVEN a container image from %s WHEN pinned THEN the container runs the lookup\'s digest of tag main', (_case, image) => {
    const { template } = pinned((stack) => new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', { image: image(stack) }));

    const [lookupId, lookup] = Object.entries(lookups(template))[0];
    expect(lookup.Properties.Tag).toBe('main');
    const container = onlyResource(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions[0];
    expect(pinnedTo(container.Image)).toEqual({ uri: expect.stringMatching(/\/api@sha256:\{\}$|@sha256:\{\}$/), lookup: lookupId });
  });

  test('GIVEN fromRegistry with a literal ECR URI WHEN pinned THEN the lookup names its account, region and repository, and its grant that repository', () => {
    const { template } = pinned((stack) => new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', {
      image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1'),
    }));

    expect(Object.values(lookups(template))[0].Properties).toMatchObject({ RegistryId: '123456789012', Region: 'eu-west-1', RepositoryName: 'team/api', Tag: 'v1' });
    const container = onlyResource(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions[0];
    expect(pinnedTo(container.Image).uri).toBe('123456789012.dkr.ecr.eu-west-1.{}/team/api@sha256:{}');
    expect(JSON.stringify(providerGrants(template))).toContain(':ecr:eu-west-1:123456789012:repository/team/api');
  });

  test('GIVEN an ECR URI without a tag THEN the lookup resolves latest, as a registry does', () => {
    const { template } = pinned((stack) => new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', {
      image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api'),
    }));

    expect(Object.values(lookups(template))[0].Properties.Tag).toBe('latest');
  });

  test('GIVEN an L1 CfnTaskDefinition with literal ECR URIs THEN each container is pinned', () => {
    const { template } = pinned((stack) => new ecs.CfnTaskDefinition(stack, 'Task', {
      containerDefinitions: [
        { name: 'a', image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/app-a:v1' },
        { name: 'b', image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/app-b:v2' },
      ],
    }));

    const containers = onlyResource(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions;
    expect(containers.map((c: any) => pinnedTo(c.Image).uri)).toEqual([
      '111111111111.dkr.ecr.us-east-1.{}/app-a@sha256:{}',
      '111111111111.dkr.ecr.us-east-1.{}/app-b@sha256:{}',
    ]);
  });

  test('GIVEN a tag from a parameter, as pipelines pass the build\'s tag THEN the lookup resolves that parameter at deploy time, and synth and ids stay the same', () => {
    const build = (stack: Stack) => {
      const tag = new CfnParameter(stack, 'ImageTag').valueAsString;
      new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), tag) });
    };
    const { template } = pinned(build);

    const [lookupId, lookup] = Object.entries(lookups(template))[0];
    expect(lookup.Properties.Tag).toEqual({ Ref: 'ImageTag' });
    expect(pinnedTo(onlyResource(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions[0].Image).lookup).toBe(lookupId);
    expect(Object.keys(lookups(pinned(build).template))).toEqual([lookupId]);
  });

  test('GIVEN a tag from a parameter THEN the summary names the parameter, the same at each synth', () => {
    const summary = () => {
      const { app } = pinned((stack) => {
        const tag = new CfnParameter(stack, 'ImageTag').valueAsString;
        new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), tag) });
      });
      return JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'image-digest-pins.json'), 'utf8')).references;
    };

    expect(summary()[0].tag).toBe('{"Ref":"ImageTag"}');
    expect(summary()).toEqual(summary());
  });

  test('GIVEN two containers of one repository and tag, through two imports of it THEN they share one lookup', () => {
    const { template } = pinned((stack) => {
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('a', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'A', 'api'), 'main') });
      task.addContainer('b', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'B', 'api'), 'main') });
    });

    template.resourceCountIs(RESOURCE_TYPE, 1);
  });
});

describe('Lambda image functions', () => {
  test.each([
    ['DockerImageCode.fromEcr', (repository: ecr.IRepository, architecture: lambda.Architecture) =>
      new lambda.DockerImageFunction(repository.stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repository, { tagOrDigest: 'main' }), architecture })],
    ['Code.fromEcrImage', (repository: ecr.IRepository, architecture: lambda.Architecture) => new lambda.Function(repository.stack, 'Fn', {
      code: lambda.Code.fromEcrImage(repository, { tagOrDigest: 'main' }), handler: lambda.Handler.FROM_IMAGE, runtime: lambda.Runtime.FROM_IMAGE, architecture,
    })],
  ])('GIVEN a function from %s THEN it is pinned to the manifest of its architecture', (_case, build) => {
    for (const [architecture, platform] of [[lambda.Architecture.ARM_64, 'linux/arm64'], [lambda.Architecture.X86_64, 'linux/amd64']] as const) {
      const { template } = pinned((stack) => build(ecr.Repository.fromRepositoryName(stack, 'Repo', 'worker'), architecture));

      const [lookupId, lookup] = Object.entries(lookups(template))[0];
      expect(lookup.Properties).toMatchObject({ RepositoryName: 'worker', Tag: 'main', Platform: platform });
      const fn = Object.values<any>(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.PackageType === 'Image');
      expect(pinnedTo(fn.Properties.Code.ImageUri)).toEqual({ uri: expect.stringMatching(/\/worker@sha256:\{\}$/), lookup: lookupId });
    }
  });

  test('GIVEN a function\'s currentVersion THEN the version\'s CodeSha256 is the pinned digest, so a new digest publishes a version', () => {
    const { template } = pinned((stack) => {
      const fn = new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'worker')) });
      new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    });

    const lookupId = Object.keys(lookups(template))[0];
    expect(onlyResource(template, 'AWS::Lambda::Version').CodeSha256).toEqual({ 'Fn::GetAtt': [lookupId, 'DigestHex'] });
  });

  test('GIVEN an L1 CfnFunction whose ECR URI is spelled out with the pseudo parameters THEN it is pinned, in the stack\'s own account and region', () => {
    const { template } = pinned((stack) => new lambda.CfnFunction(stack, 'Fn', {
      packageType: 'Image', role: 'arn:aws:iam::111111111111:role/fn', code: { imageUri: `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/worker:v1` },
    }));

    const [lookupId, lookup] = Object.entries(lookups(template))[0];
    expect(lookup.Properties).toMatchObject({ RegistryId: { Ref: 'AWS::AccountId' }, Region: { Ref: 'AWS::Region' }, RepositoryName: 'worker', Tag: 'v1' });
    expect(pinnedTo(onlyResource(template, 'AWS::Lambda::Function', { PackageType: 'Image' }).Code.ImageUri)).toEqual({ uri: '{}.dkr.ecr.{}.{}/worker@sha256:{}', lookup: lookupId });
  });

  test('GIVEN an L1 CfnFunction with a literal ECR URI THEN it is pinned for x86_64, the default architecture', () => {
    const { template } = pinned((stack) => new lambda.CfnFunction(stack, 'Fn', {
      packageType: 'Image', role: 'arn:aws:iam::111111111111:role/fn', code: { imageUri: '111111111111.dkr.ecr.us-east-1.amazonaws.com/worker:v1' },
    }));

    expect(Object.values(lookups(template))[0].Properties).toMatchObject({ RepositoryName: 'worker', Tag: 'v1', Platform: 'linux/amd64' });
  });
});

describe('Batch, App Runner, SageMaker and CodeBuild', () => {
  test('GIVEN a Batch EcsJobDefinition (L2) THEN its container image is pinned', () => {
    const { template } = pinned((stack) => new batch.EcsJobDefinition(stack, 'Job', {
      container: new batch.EcsEc2ContainerDefinition(stack, 'Container', {
        image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'reports'), 'nightly'), cpu: 1, memory: Size.mebibytes(512),
      }),
    }));

    expect(pinnedTo(onlyResource(template, 'AWS::Batch::JobDefinition').ContainerProperties.Image).uri).toMatch(/\/reports@sha256:\{\}$/);
  });

  test('GIVEN a Batch CfnJobDefinition with ecsProperties (L1) THEN every container of every task is pinned', () => {
    const { template } = pinned((stack) => new batch.CfnJobDefinition(stack, 'Job', {
      type: 'container',
      ecsProperties: {
        taskProperties: [{
          containers: [
            { name: 'main', image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/jobs:v3' },
            { name: 'side', image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/side:v1' },
          ],
        }],
      },
    }));

    const containers = onlyResource(template, 'AWS::Batch::JobDefinition').EcsProperties.TaskProperties[0].Containers;
    expect(containers.map((c: any) => pinnedTo(c.Image).uri)).toEqual(['111111111111.dkr.ecr.us-east-1.{}/jobs@sha256:{}', '111111111111.dkr.ecr.us-east-1.{}/side@sha256:{}']);
  });

  test.each([
    ['multi-node', (image: string) => ({ type: 'multinode', nodeProperties: { mainNode: 0, numNodes: 1, nodeRangeProperties: [{ targetNodes: '0:', container: { image } }] } }),
      (p: any) => p.NodeProperties.NodeRangeProperties[0].Container.Image],
    ['EKS', (image: string) => ({ type: 'container', eksProperties: { podProperties: { containers: [{ image }], initContainers: [{ image }] } } }),
      (p: any) => [p.EksProperties.PodProperties.Containers[0].Image, p.EksProperties.PodProperties.InitContainers[0].Image]],
  ])('GIVEN a Batch %s CfnJobDefinition THEN its containers are pinned', (_case, props, images) => {
    const { template } = pinned((stack) => new batch.CfnJobDefinition(stack, 'Job', props('111111111111.dkr.ecr.us-east-1.amazonaws.com/jobs:v3') as batch.CfnJobDefinitionProps));

    const found = [images(onlyResource(template, 'AWS::Batch::JobDefinition'))].flat();
    expect(found.map((image) => pinnedTo(image).uri)).toEqual(found.map(() => '111111111111.dkr.ecr.us-east-1.{}/jobs@sha256:{}'));
  });

  test('GIVEN an App Runner CfnService (aws-cdk-lib has no L2) THEN its image identifier is pinned', () => {
    const { template } = pinned((stack) => new apprunner.CfnService(stack, 'Web', {
      sourceConfiguration: { imageRepository: { imageIdentifier: ecr.Repository.fromRepositoryName(stack, 'Repo', 'web').repositoryUriForTag('main'), imageRepositoryType: 'ECR' } },
    }));

    expect(pinnedTo(onlyResource(template, 'AWS::AppRunner::Service').SourceConfiguration.ImageRepository.ImageIdentifier).uri).toMatch(/\/web@sha256:\{\}$/);
  });

  test('GIVEN a SageMaker CfnModel (no L2) with a primary container and a container list THEN each image is pinned', () => {
    const { template } = pinned((stack) => {
      const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'model');
      new sagemaker.CfnModel(stack, 'Model', {
        executionRoleArn: 'arn:aws:iam::111111111111:role/model',
        primaryContainer: { image: repository.repositoryUriForTag('v2') },
      });
      new sagemaker.CfnModel(stack, 'Pipeline', {
        executionRoleArn: 'arn:aws:iam::111111111111:role/model',
        containers: [{ image: repository.repositoryUriForTag('v2') }, { image: repository.repositoryUriForTag('post') }],
      });
    });

    const models = Object.values<any>(template.findResources('AWS::SageMaker::Model')).map((m) => m.Properties);
    const images = [models[0].PrimaryContainer.Image, ...models[1].Containers.map((c: any) => c.Image)];
    expect(images.map((image) => pinnedTo(image).uri)).toEqual(Array(3).fill(expect.stringMatching(/\/model@sha256:\{\}$/)));
    template.resourceCountIs(RESOURCE_TYPE, 2); // v2 shared, post
  });

  test('GIVEN a CodeBuild Project on an ECR build image (L2) THEN the build image is pinned', () => {
    const { template } = pinned((stack) => new codebuild.Project(stack, 'Build', {
      buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2' }),
      environment: { buildImage: codebuild.LinuxBuildImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'builder'), 'jammy') },
    }));

    expect(Object.values(lookups(template))[0].Properties).toMatchObject({ RepositoryName: 'builder', Tag: 'jammy' });
    expect(pinnedTo(onlyResource(template, 'AWS::CodeBuild::Project').Environment.Image).uri).toMatch(/\/builder@sha256:\{\}$/);
  });
});

describe('image assets', () => {
  test.each([
    ['ContainerImage.fromAsset', (stack: Stack) => new ecs.FargateTaskDefinition(stack, 'Task').addContainer('c', { image: ecs.ContainerImage.fromAsset(ASSET_DIR) })],
    ['DockerImageCode.fromImageAsset', (stack: Stack) => new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromImageAsset(ASSET_DIR) })],
  ])('GIVEN an image built from %s THEN the lookup resolves the asset\'s tag in the bootstrap repository, which its grant covers', (_case, build) => {
    const { template, app } = pinned(build);

    const lookup = Object.values(lookups(template))[0].Properties;
    const assetRepository = { 'Fn::Sub': 'cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}' };
    expect(lookup.RepositoryName).toEqual(assetRepository);
    const manifest = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'Service.assets.json'), 'utf8'));
    expect(Object.keys(manifest.dockerImages)).toEqual([lookup.Tag]);
    const grant = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':repository/', assetRepository]] };
    expect(JSON.stringify(providerGrants(template))).toContain(JSON.stringify(grant));
  });

  test('GIVEN pinAssets false THEN the asset image keeps its tag, noted as skipped, while ECR tags are still pinned', () => {
    const { template, stack } = pinned((s) => {
      const task = new ecs.FargateTaskDefinition(s, 'Task');
      task.addContainer('built', { image: ecs.ContainerImage.fromAsset(ASSET_DIR) });
      task.addContainer('pulled', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(s, 'Repo', 'api'), 'main') });
    }, { pinAssets: false });

    template.resourceCountIs(RESOURCE_TYPE, 1);
    const containers = onlyResource(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions;
    expect(JSON.stringify(containers[0].Image)).not.toContain('@sha256:');
    Annotations.fromStack(stack).hasInfo('/Service/Task/Resource', Match.stringLikeRegexp('it is an image asset, and pinAssets is false'));
  });
});

describe('references it cannot pin', () => {
  test.each([
    ['Docker Hub', 'nginx:1.27', 'its registry is not ECR'],
    ['Amazon ECR Public', 'public.ecr.aws/nginx/nginx:1.27', 'its registry is not ECR'],
    ['another registry', 'ghcr.io/org/app:v1', 'its registry is not ECR'],
  ])('GIVEN an image from %s THEN it is left alone with a warning that names the construct and the reason', (_case, image, reason) => {
    const { template, stack } = pinned((s) => new ecs.FargateTaskDefinition(s, 'Task').addContainer('c', { image: ecs.ContainerImage.fromRegistry(image) }));

    template.resourceCountIs(RESOURCE_TYPE, 0);
    expect(onlyResource(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions[0].Image).toBe(image);
    Annotations.fromStack(stack).hasWarning('/Service/Task/Resource', Match.stringLikeRegexp(`Service/Task/Resource names image ${image.replace(/\./g, '\\.')} .*${reason}`));
  });

  test('GIVEN an ECR URI built from a parameter THEN synth cannot know the repository: a warning says so', () => {
    const { template, stack } = pinned((s) => {
      const name = new CfnParameter(s, 'RepoName').valueAsString;
      new ecs.FargateTaskDefinition(s, 'Task').addContainer('c', { image: ecs.ContainerImage.fromRegistry(`111111111111.dkr.ecr.us-east-1.amazonaws.com/${name}:main`) });
    });

    template.resourceCountIs(RESOURCE_TYPE, 0);
    const warnings = Annotations.fromStack(stack).findWarning('/Service/Task/Resource', Match.stringLikeRegexp('repository and tag cannot be known at synth'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toContain(NOT_PINNED);
  });

  test('GIVEN images already pinned by digest, literal or through an ImageDigestLookup THEN nothing changes and a note says so', () => {
    const build = (s: Stack) => {
      const repository = ecr.Repository.fromRepositoryName(s, 'Repo', 'api');
      const task = new ecs.FargateTaskDefinition(s, 'Task');
      task.addContainer('looked-up', { image: new ImageDigestLookup(s, 'Api', { repository, tag: 'main' }).containerImage() });
      task.addContainer('literal', { image: ecs.ContainerImage.fromRegistry(`111111111111.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${'a'.repeat(64)}`) });
    };
    const plain = new Stack(newApp(), 'Service');
    build(plain);
    const { template, stack } = pinned(build);

    expect(template.toJSON()).toEqual(Template.fromStack(plain).toJSON());
    expect(Annotations.fromStack(stack).findInfo('/Service/Task/Resource', Match.stringLikeRegexp('it is already pinned by digest'))).toHaveLength(2);
  });
});

describe('options', () => {
  const service = (stack: Stack) => {
    new ecs.FargateTaskDefinition(stack, 'Api').addContainer('c', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'A', 'team-a/api'), 'main') });
    new ecs.FargateTaskDefinition(stack, 'Jobs').addContainer('c', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'B', 'team-b/jobs'), 'main') });
  };
  const repositoriesOf = (template: Template) => Object.values(lookups(template)).map((l) => l.Properties.RepositoryName).sort();

  test.each<[string, PinImageDigestsProps, string[]]>([
    ['includePaths', { includePaths: ['Service/Api/*'] }, ['team-a/api']],
    ['excludePaths', { excludePaths: ['*/Api/*'] }, ['team-b/jobs']],
    ['includeRepositories', { includeRepositories: ['team-b/*'] }, ['team-b/jobs']],
    ['excludeRepositories', { excludeRepositories: ['team-b/*'] }, ['team-a/api']],
    ['no option', {}, ['team-a/api', 'team-b/jobs']],
  ])('GIVEN %s THEN only the chosen references are pinned, and the others are noted as excluded', (_case, props, expected) => {
    const { template, stack } = pinned(service, props);

    expect(repositoriesOf(template)).toEqual(expected);
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('excluded by the'))).toHaveLength(2 - expected.length);
  });

  test('GIVEN refresh onPropertyChange THEN the lookups it creates carry no refresh token; by default tags re-run at every deployment', () => {
    const quiet = pinned(service, { refresh: Refresh.onPropertyChange() }).template;
    const every = pinned(service).template;

    expect(Object.values(lookups(quiet)).map((l) => l.Properties.RefreshToken)).toEqual([undefined, undefined]);
    expect(Object.values(lookups(every)).map((l) => l.Properties.RefreshToken)).toEqual(['test', 'test']);
  });

  test('GIVEN an image asset THEN by default its lookup runs when its tag (the source\'s hash) changes, and an explicit refresh applies to it too', () => {
    const withAsset = (stack: Stack) => {
      service(stack);
      new ecs.FargateTaskDefinition(stack, 'Built').addContainer('c', { image: ecs.ContainerImage.fromAsset(ASSET_DIR) });
    };
    const tokens = (props?: PinImageDigestsProps) => Object.values(lookups(pinned(withAsset, props).template))
      .map((l) => [typeof l.Properties.RepositoryName === 'string' ? 'ecr' : 'asset', l.Properties.RefreshToken]).sort();

    expect(tokens()).toEqual([['asset', undefined], ['ecr', 'test'], ['ecr', 'test']]);
    expect(tokens({ refresh: Refresh.whenChanged('build-7') })).toEqual([['asset', 'build-7'], ['ecr', 'build-7'], ['ecr', 'build-7']]);
  });
});

describe('lookupOptions', () => {
  /** Two ECR repositories (one behind an arm64 function), and an image asset in the bootstrap repository. */
  const app = (stack: Stack) => {
    new ecs.FargateTaskDefinition(stack, 'Api').addContainer('c', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'A', 'team-a/api'), 'main') });
    new lambda.DockerImageFunction(stack, 'Thumbnails', {
      architecture: lambda.Architecture.ARM_64,
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'T', 'team-b/thumbnails'), { tagOrDigest: 'v3' }),
    });
    new ecs.FargateTaskDefinition(stack, 'Built').addContainer('c', { image: ecs.ContainerImage.fromAsset(ASSET_DIR) });
  };
  /** Each lookup by what it looks up: `asset` for the bootstrap repository, otherwise the repository's name. */
  const byRepository = (template: Template): Record<string, any> => Object.fromEntries(Object.values(lookups(template))
    .map((l) => [typeof l.Properties.RepositoryName === 'string' ? l.Properties.RepositoryName : 'asset', l.Properties]));
  /** The repositories the provider's role may call `action` on: `asset` for the bootstrap repository. */
  const grantedOn = (template: Template, action: string): string[] => providerGrants(template)
    .flatMap((p: any) => [p].flat())
    .flatMap((p: any) => p?.PolicyDocument?.Statement ?? p?.Properties?.PolicyDocument?.Statement ?? [])
    .filter((s: any) => [s.Action].flat().includes(action))
    .flatMap((s: any) => [s.Resource].flat())
    .map((r: unknown) => {
      const text = JSON.stringify(r);
      return text.includes('container-assets') ? 'asset' : /repository\/([^"]+)"/.exec(text)?.[1] ?? text;
    })
    .sort();

  test('GIVEN no lookupOptions, or empty ones THEN the template is the one the aspect gave before: lookups that only resolve', () => {
    const before = pinned(app).template.toJSON();

    expect(pinned(app, { lookupOptions: {} }).template.toJSON()).toEqual(before);
    expect(JSON.stringify(before)).not.toMatch(/HoldImage|SignatureRequirement|ScanGate|WaitForSeconds|RestoreArchived/);
  });

  test('GIVEN holdImage THEN every ECR lookup holds its image, the Lambda platform lookup included, and only the pinned repositories get the hold\'s grants', () => {
    const { template } = pinned(app, { lookupOptions: { holdImage: true, failOnLifecycleRisk: true } });
    const found = byRepository(template);

    expect(found['team-a/api']).toMatchObject({ HoldImage: 'true', FailOnLifecycleRisk: 'true' });
    expect(found['team-b/thumbnails']).toMatchObject({ HoldImage: 'true', FailOnLifecycleRisk: 'true', Platform: 'linux/arm64' });
    for (const action of ['ecr:PutImage', 'ecr:BatchDeleteImage', 'ecr:GetLifecyclePolicy']) {
      expect(grantedOn(template, action)).toEqual(['team-a/api', 'team-b/thumbnails']);
    }
  });

  test('GIVEN requireSignature THEN every ECR lookup verifies it, and only the pinned repositories get GetDownloadUrlForLayer', () => {
    const { template } = pinned(app, { lookupOptions: { requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY] } } });
    const found = byRepository(template);

    expect(found['team-a/api'].SignatureRequirement).toEqual({ CosignPublicKeys: [COSIGN_TEST_KEY] });
    expect(found['team-b/thumbnails'].SignatureRequirement).toEqual({ CosignPublicKeys: [COSIGN_TEST_KEY] });
    expect(grantedOn(template, 'ecr:GetDownloadUrlForLayer')).toEqual(['team-a/api', 'team-b/thumbnails']);
  });

  test('GIVEN holdImage and requireSignature THEN the asset\'s lookup neither holds nor verifies: CDK keeps the asset for its hash and signs nothing, and the bootstrap repository gets no write grant', () => {
    const { template } = pinned(app, {
      lookupOptions: { holdImage: true, failOnLifecycleRisk: true, requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY] } },
    });
    const asset = byRepository(template).asset;

    expect(asset).toBeDefined();
    expect(asset.HoldImage).toBeUndefined();
    expect(asset.FailOnLifecycleRisk).toBeUndefined();
    expect(asset.SignatureRequirement).toBeUndefined();
    expect(grantedOn(template, 'ecr:PutImage')).not.toContain('asset');
    expect(grantedOn(template, 'ecr:GetDownloadUrlForLayer')).not.toContain('asset');
  });

  test('GIVEN holdImage and requireSignature THEN a note on the asset\'s resource says what its lookup leaves out, and no other resource gets one', () => {
    const { stack } = pinned(app, {
      lookupOptions: { holdImage: true, requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY] }, waitFor: Duration.minutes(1) },
    });
    const notes = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('leaves out'));

    expect(notes.map((n) => [n.id, n.entry.data])).toEqual([[
      '/Service/Built/Resource',
      'PinImageDigests: the lookup of the image asset in ContainerDefinitions.0.Image of Service/Built/Resource leaves out holdImage, requireSignature: CDK keeps an asset in the bootstrap repository for as long as a template names its hash, and signs no asset.',
    ]]);
    expect(Annotations.fromStack(pinned(app, { lookupOptions: { waitFor: Duration.minutes(1) } }).stack).findInfo('*', Match.stringLikeRegexp('leaves out'))).toEqual([]);
  });

  test('GIVEN requireScan, waitFor and restoreArchived THEN every lookup carries them, the asset\'s and the Lambda platform lookup\'s included', () => {
    const { template } = pinned(app, {
      lookupOptions: { requireScan: { maxHigh: 0 }, waitFor: Duration.minutes(5), restoreArchived: true },
    });
    const found = byRepository(template);

    expect(Object.keys(found).sort()).toEqual(['asset', 'team-a/api', 'team-b/thumbnails']);
    for (const properties of Object.values(found)) {
      expect(properties).toMatchObject({ WaitForSeconds: '300', RestoreArchived: 'true', ScanGate: expect.objectContaining({ MaxHigh: '0' }) });
    }
    expect(grantedOn(template, 'ecr:DescribeImageScanFindings')).toEqual(['asset', 'team-a/api', 'team-b/thumbnails']);
    expect(grantedOn(template, 'ecr:UpdateImageStorageClass')).toEqual(['asset', 'team-a/api', 'team-b/thumbnails']);
  });

  test('GIVEN options THEN two references to one repository and tag still share one lookup, and applying the aspect twice changes nothing', () => {
    const shared = (stack: Stack) => {
      app(stack);
      new ecs.FargateTaskDefinition(stack, 'Api2').addContainer('c', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'A2', 'team-a/api'), 'main') });
    };
    const props: PinImageDigestsProps = {
      lookupOptions: { holdImage: true, requireScan: { maxCritical: 0, maxHigh: 2 }, waitFor: Duration.minutes(2) },
    };
    const once = pinned(shared, props).template;
    const twice = newApp();
    const stack = new Stack(twice, 'Service');
    shared(stack);
    Aspects.of(twice).add(new PinImageDigests(props));
    Aspects.of(twice).add(new PinImageDigests({ lookupOptions: { ...props.lookupOptions, waitFor: Duration.seconds(120) } }));

    expect(Object.keys(lookups(once))).toHaveLength(3);
    expect(Template.fromStack(stack).toJSON()).toEqual(once.toJSON());
  });

  test('GIVEN two aspects with different lookupOptions on one stack THEN synth fails naming the lookup they would share and the rule', () => {
    const twice = newApp();
    const stack = new Stack(twice, 'Service');
    app(stack);
    Aspects.of(twice).add(new PinImageDigests({ lookupOptions: { holdImage: true } }));
    Aspects.of(twice).add(new PinImageDigests({ lookupOptions: { requireScan: {} } }));

    expect(() => twice.synth()).toThrow(/PinImageDigests: Service\/Api\/Resource would be pinned by Service\/ImageDigestPins\/api-main-[0-9a-f]{8}, which another PinImageDigests created with other lookupOptions .*give the aspects applied to one stack the same lookupOptions/);
  });

  test.each<[string, PinImageDigestsProps['lookupOptions'], string]>([
    ['failOnLifecycleRisk without holdImage', { failOnLifecycleRisk: true }, 'failOnLifecycleRisk is set without holdImage'],
    ['a wait longer than the lookup function can run', { waitFor: Duration.minutes(20) }, 'waitFor'],
    ['a scan threshold below zero', { requireScan: { maxCritical: -1 } }, 'requireScan.maxCritical'],
  ])('GIVEN %s THEN synth fails naming the pinned resource, the lookup and the lookup\'s rule', (_case, lookupOptions, rule) => {
    const bad = newApp();
    app(new Stack(bad, 'Service'));
    Aspects.of(bad).add(new PinImageDigests({ lookupOptions }));

    expect(() => bad.synth()).toThrow(/^PinImageDigests cannot pin the image of Service\/Api\/Resource: ImageDigestLookup Service\/ImageDigestPins\/api-main-[0-9a-f]{8}: /);
    expect(() => {
      const again = newApp();
      app(new Stack(again, 'Service'));
      Aspects.of(again).add(new PinImageDigests({ lookupOptions }));
      again.synth();
    }).toThrow(rule);
  });

  test('GIVEN waitFor from a parameter THEN it is not rejected at synth, and each lookup waits for the parameter\'s value', () => {
    const stack = new Stack(newApp(), 'Service');
    app(stack);
    const seconds = new CfnParameter(stack, 'WaitSeconds', { type: 'Number' }).valueAsNumber;
    Aspects.of(stack).add(new PinImageDigests({ lookupOptions: { waitFor: Duration.seconds(seconds) } }));
    const template = Template.fromStack(stack);

    for (const properties of Object.values(byRepository(template))) {
      expect(JSON.stringify(properties.WaitForSeconds)).toContain('WaitSeconds');
    }
  });
});

describe('idempotent, deterministic, across nested stacks and stages', () => {
  const build = (stack: Stack) => new ExistingServiceStackParts(stack);

  test('GIVEN the aspect applied twice THEN the template is the one it gives applied once', () => {
    const once = pinned(build).template.toJSON();
    const app = newApp();
    const stack = new Stack(app, 'Service');
    build(stack);
    Aspects.of(app).add(new PinImageDigests());
    Aspects.of(stack).add(new PinImageDigests());

    expect(Template.fromStack(stack).toJSON()).toEqual(once);
  });

  test.each([true, false])('GIVEN aws-cdk-lib\'s aspect stabilization %s THEN the same template, with no warning about aspects', (stabilization) => {
    const withFlag = (flag: boolean) => {
      const app = new App({ context: { [Refresh.CONTEXT_KEY]: 'test', '@aws-cdk/core:aspectStabilization': flag } });
      const stack = new ExistingServiceStack(app, 'Shop');
      Aspects.of(app).add(new PinImageDigests());
      return { template: Template.fromStack(stack).toJSON(), warnings: Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('[Aa]spect')) };
    };
    const other = withFlag(!stabilization);
    const tried = withFlag(stabilization);

    expect(Object.keys(tried.template.Resources).filter((id) => tried.template.Resources[id].Type === RESOURCE_TYPE)).toHaveLength(6);
    expect(tried.template).toEqual(other.template);
    expect(tried.warnings).toEqual([]);
  });

  test('GIVEN two synths of the same app THEN the templates are identical', () => {
    expect(pinned(build).template.toJSON()).toEqual(pinned(build).template.toJSON());
  });

  test('GIVEN a nested stack THEN its references are pinned by lookups of its own, served by its own provider', () => {
    const { template: parent, app } = pinned((stack) => {
      const nested = new NestedStack(stack, 'Workers');
      new lambda.DockerImageFunction(nested, 'Fn', { code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(nested, 'Repo', 'worker')) });
    });
    const nested = app.node.findAll().find((c): c is NestedStack => c instanceof NestedStack)!;
    const child = Template.fromStack(nested);

    parent.resourceCountIs(RESOURCE_TYPE, 0);
    child.resourceCountIs(RESOURCE_TYPE, 1);
    const fn = Object.values<any>(child.findResources('AWS::Lambda::Function')).find((f) => f.Properties.PackageType === 'Image');
    expect(pinnedTo(fn.Properties.Code.ImageUri).uri).toMatch(/\/worker@sha256:\{\}$/);
  });

  test('GIVEN applyTo(app) and stacks inside a Stage and a Stage in it THEN those stacks are pinned too, which aspects of the app alone do not reach', () => {
    const withStages = (apply: (app: App) => void) => {
      const app = newApp();
      const outer = new Stage(app, 'Prod');
      const stacks = [new Stack(outer, 'Service'), new Stack(new Stage(outer, 'Inner'), 'Service')];
      stacks.forEach(build);
      apply(app);
      return stacks.map((stack) => Object.keys(lookups(Template.fromStack(stack))).length);
    };

    expect(withStages((app) => PinImageDigests.applyTo(app))).toEqual([2, 2]);
    expect(withStages((app) => Aspects.of(app).add(new PinImageDigests()))).toEqual([0, 0]);
  });

  test('GIVEN stacks in stages THEN the app\'s one summary, in the root of the cloud assembly, lists their references too', () => {
    const app = newApp();
    build(new Stack(new Stage(app, 'Prod'), 'Service'));
    build(new Stack(app, 'Tools'));
    PinImageDigests.applyTo(app);

    const summary = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'image-digest-pins.json'), 'utf8'));

    expect(summary.references.map((r: any) => `${r.path} ${r.status}`)).toEqual([
      'Prod/Service/Fn/Resource pinned', 'Prod/Service/Task/Resource pinned', 'Tools/Fn/Resource pinned', 'Tools/Task/Resource pinned',
    ]);
  });
});

describe('cdk-nag', () => {
  const findings = (pin: boolean) => {
    const app = newApp();
    const stack = new Stack(app, 'Service', { env: { account: '111111111111', region: 'eu-west-1' } });
    new ExistingServiceStackParts(stack);
    if (pin) {
      Aspects.of(app).add(new PinImageDigests());
    }
    app.synth();
    return [new AwsSolutionsChecks(), new NIST80053R5Checks()]
      .flatMap((pack) => pack.validateScope(stack).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} on ${r.constructPath}`))
      .sort();
  };

  test('GIVEN an app WHEN pinned THEN both packs find nothing that the unpinned app did not have', () => {
    expect(findings(true)).toEqual(findings(false));
  });
});

/** A small service: a task and a function, each on its own tag. */
class ExistingServiceStackParts {
  constructor(stack: Stack) {
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', { image: ecs.ContainerImage.fromEcrRepository(repository, 'main') });
    new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repository, { tagOrDigest: 'worker' }), architecture: lambda.Architecture.ARM_64 });
  }
}
