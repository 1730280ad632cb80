/**
 * The typical existing service, pinned by the one line, deployed: every
 * lookup the aspect created is run by the shipped handler against moto, in
 * dependency order, and each pinned image property then names the image its
 * tag pointed to, the arm64 function the arm64 manifest of its
 * multi-architecture tag, and the asset image its tag in a repository named
 * like the bootstrap repository. With `lookupOptions: { holdImage: true }`,
 * each ECR image then carries its lookup's hold tag, and the asset none.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DescribeImagesCommand, RepositoryAlreadyExistsException } from '@aws-sdk/client-ecr';
import { App, Aspects, CfnParameter, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DOCKER_HUB_IMAGE, ExistingServiceStack, SERVICE_REPOSITORIES } from '../examples/existing-service';
import { evaluate, pseudoParameters } from '../local/intrinsics';
import { LocalEcr, MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../local/local-ecr';
import { pushIndex } from '../local/multi-arch';
import { ResponseEndpoint } from '../local/response-endpoint';
import { deployLookups, viaShippedHandler } from '../local/template-deployment';
import { PinImageDigests } from '../src';
import { RESOURCE_TYPE } from '../src/shared/contract';

const PSEUDO = pseudoParameters(MOTO_ACCOUNT, REGION);
/** The repository `cdk deploy` publishes image assets to, with the default synthesizer's qualifier. */
const ASSET_REPOSITORY = `cdk-hnb659fds-container-assets-${MOTO_ACCOUNT}-${REGION}`;

let registry: LocalEcr;
let cloudFormation: ResponseEndpoint;
beforeAll(async () => {
  registry = new LocalEcr();
  cloudFormation = await ResponseEndpoint.start();
});
afterAll(() => cloudFormation.close());

/** Publishes the app's image asset under its hash, as `cdk deploy` does before the stack. */
async function publishAsset(tag: string): Promise<string> {
  await registry.createRepository(ASSET_REPOSITORY).catch((error) => {
    if (!(error instanceof RepositoryAlreadyExistsException)) {
      throw error;
    }
  });
  return registry.push(ASSET_REPOSITORY, tag);
}

/** The tags of each image of a repository, by digest. */
async function tagsByDigest(repositoryName: string): Promise<Map<string, string[]>> {
  const { imageDetails } = await registry.client.send(new DescribeImagesCommand({ repositoryName }));
  return new Map((imageDetails ?? []).map((detail) => [detail.imageDigest!, [...(detail.imageTags ?? [])].sort()]));
}

/** Every image property of the template, by logical id and property. */
function imageProperties(template: any): Array<{ at: string; value: unknown }> {
  const found: Array<{ at: string; value: unknown }> = [];
  const visit = (value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${at}.${i}`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (['Image', 'ImageUri', 'ImageIdentifier'].includes(key)) {
          found.push({ at: `${at}.${key}`, value: inner });
        } else {
          visit(inner, `${at}.${key}`);
        }
      }
    }
  };
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    visit(resource.Properties, id);
  }
  return found;
}

test('GIVEN the typical service pinned by PinImageDigests WHEN its lookups are deployed with the shipped handler THEN each succeeds and every ECR reference runs the digest its tag points to', async () => {
  const namespace = uniqueRepositoryName('shop');
  const app = new App({ context: { 'cdk-image-digest-lookup:refreshToken': 'deploy' } });
  const stack = new ExistingServiceStack(app, 'Shop', { namespace });
  Aspects.of(app).add(new PinImageDigests());
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  const assetTags = Object.keys(JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8')).dockerImages);

  // What the pipeline pushed: a plain image per tag, a multi-architecture index for the arm64 function;
  // what `cdk deploy` published before the stack: the asset under its hash.
  for (const name of SERVICE_REPOSITORIES) {
    await registry.createRepository(`${namespace}/${name}`);
  }
  const pushed = {
    api: await registry.push(`${namespace}/api`, 'main'),
    worker: await registry.push(`${namespace}/worker`, 'latest'),
    reports: await registry.push(`${namespace}/reports`, 'nightly'),
    web: await registry.push(`${namespace}/web`, 'main'),
    thumbnails: await pushIndex(registry, `${namespace}/thumbnails`, 'main', ['linux/amd64', 'linux/arm64'], 'oci'),
    asset: await publishAsset(assetTags[0]),
  };

  const deployed = await deployLookups(template, { refs: PSEUDO }, viaShippedHandler(cloudFormation, motoEnvironment()));

  expect(assetTags).toHaveLength(1);
  expect(deployed.map((d) => [d.properties.RepositoryName, d.status, d.reason]).sort()).toEqual([
    [ASSET_REPOSITORY, 'SUCCESS', undefined],
    ...['api', 'reports', 'thumbnails', 'web', 'worker'].map((name) => [`${namespace}/${name}`, 'SUCCESS', undefined]),
  ]);
  expect(deployed).toHaveLength(Object.values<any>(template.Resources).filter((r) => r.Type === RESOURCE_TYPE).length);
  const attributes = Object.fromEntries(deployed.map((d) => [d.logicalId, d.data]));
  const host = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
  const images = imageProperties(template).map(({ value }) => evaluate(value, { refs: PSEUDO, attributes }));
  expect(images.sort()).toEqual([
    `${host}/${ASSET_REPOSITORY}@${pushed.asset}`,
    `${host}/${namespace}/api@${pushed.api}`,
    `${host}/${namespace}/reports@${pushed.reports}`,
    `${host}/${namespace}/thumbnails@${pushed.thumbnails.platforms['linux/arm64']}`,
    `${host}/${namespace}/web@${pushed.web}`,
    `${host}/${namespace}/worker@${pushed.worker}`,
    DOCKER_HUB_IMAGE,
  ].sort());
});

test('GIVEN a nested stack whose function takes its tag from a stack parameter WHEN the nested stack\'s lookups are deployed with the parameter\'s value THEN the function runs the image of that tag', async () => {
  const repositoryName = uniqueRepositoryName('worker');
  const app = new App({ context: { 'cdk-image-digest-lookup:refreshToken': 'deploy' } });
  const nested = new NestedStack(new Stack(app, 'Parent'), 'Workers');
  const tag = new CfnParameter(nested, 'ImageTag').valueAsString;
  new lambda.DockerImageFunction(nested, 'Fn', {
    code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(nested, 'Repo', repositoryName), { tagOrDigest: tag }),
  });
  Aspects.of(app).add(new PinImageDigests());
  const template = Template.fromStack(nested).toJSON();
  await registry.createRepository(repositoryName);
  await registry.push(repositoryName, 'v6');
  const v7 = await registry.push(repositoryName, 'v7');

  const refs = { ...PSEUDO, ImageTag: 'v7' };
  const deployed = await deployLookups(template, { refs }, viaShippedHandler(cloudFormation, motoEnvironment()));

  expect(deployed.map((d) => [d.properties.Tag, d.properties.Platform, d.status])).toEqual([['v7', 'linux/amd64', 'SUCCESS']]);
  const attributes = Object.fromEntries(deployed.map((d) => [d.logicalId, d.data]));
  const [image] = imageProperties(template).map(({ value }) => evaluate(value, { refs, attributes }));
  expect(image).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${repositoryName}@${v7}`);
});

test('GIVEN an L1 task definition whose ECR URI is spelled out with Fn::Sub over the pseudo parameters WHEN its lookup is deployed THEN the container runs the tag\'s image', async () => {
  const repositoryName = uniqueRepositoryName('legacy');
  const app = new App({ context: { 'cdk-image-digest-lookup:refreshToken': 'deploy' } });
  const stack = new Stack(app, 'Legacy');
  new ecs.CfnTaskDefinition(stack, 'Task', {
    containerDefinitions: [{ name: 'app', image: Fn.sub(`\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/${repositoryName}:stable`) }],
  });
  Aspects.of(app).add(new PinImageDigests());
  const template = Template.fromStack(stack).toJSON();
  await registry.createRepository(repositoryName);
  const stable = await registry.push(repositoryName, 'stable');

  const deployed = await deployLookups(template, { refs: PSEUDO }, viaShippedHandler(cloudFormation, motoEnvironment()));

  expect(deployed.map((d) => [d.properties.RegistryId, d.properties.Region, d.properties.Tag, d.status])).toEqual([[MOTO_ACCOUNT, REGION, 'stable', 'SUCCESS']]);
  const attributes = Object.fromEntries(deployed.map((d) => [d.logicalId, d.data]));
  const [image] = imageProperties(template).map(({ value }) => evaluate(value, { refs: PSEUDO, attributes }));
  expect(image).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${repositoryName}@${stable}`);
});

test('GIVEN the typical service pinned with lookupOptions holdImage WHEN its lookups are deployed with the shipped handler THEN each pinned ECR image carries its lookup\'s hold tag, the arm64 function\'s platform manifest included, and the asset none', async () => {
  const namespace = uniqueRepositoryName('held');
  const app = new App({ context: { 'cdk-image-digest-lookup:refreshToken': 'deploy' } });
  const stack = new ExistingServiceStack(app, 'Held', { namespace });
  Aspects.of(app).add(new PinImageDigests({ lookupOptions: { holdImage: true } }));
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  const [assetTag] = Object.keys(JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8')).dockerImages);
  for (const name of SERVICE_REPOSITORIES) {
    await registry.createRepository(`${namespace}/${name}`);
  }
  const pushed: Record<string, string> = {
    api: await registry.push(`${namespace}/api`, 'main'),
    worker: await registry.push(`${namespace}/worker`, 'latest'),
    reports: await registry.push(`${namespace}/reports`, 'nightly'),
    web: await registry.push(`${namespace}/web`, 'main'),
    thumbnails: (await pushIndex(registry, `${namespace}/thumbnails`, 'main', ['linux/amd64', 'linux/arm64'], 'oci')).platforms['linux/arm64'],
  };
  const asset = await publishAsset(assetTag);

  const deployed = await deployLookups(template, { refs: PSEUDO }, viaShippedHandler(cloudFormation, motoEnvironment()));

  expect(deployed.map((d) => d.status)).toEqual(deployed.map(() => 'SUCCESS'));
  for (const [name, digest] of Object.entries(pushed)) {
    const repositoryName = `${namespace}/${name}`;
    const lookup = deployed.find((d) => d.properties.RepositoryName === repositoryName)!;
    expect(lookup.data).toMatchObject({ Digest: digest, HoldTag: expect.stringMatching(/^cdk-hold-[0-9a-f]{16}-[0-9a-f]{12}$/) });
    expect((await tagsByDigest(repositoryName)).get(digest)).toContain(lookup.data.HoldTag);
  }
  const assetLookup = deployed.find((d) => d.properties.RepositoryName === ASSET_REPOSITORY)!;
  expect(assetLookup.data.HoldTag).toBeUndefined();
  expect((await tagsByDigest(ASSET_REPOSITORY)).get(asset)).toEqual([assetTag]);
});
