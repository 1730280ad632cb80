/**
 * A lookup of a repository in another account and region, synthesized in an
 * app and created by the shipped handler against moto: ECR is called in the
 * ARN's region with the ARN's registry id, and the repository is found there.
 */
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { DOCKER_MANIFEST, motoEndpoint, motoEnvironment, newManifest, uniqueRepositoryName } from '../../local/local-ecr';
import { ResponseEndpoint } from '../../local/response-endpoint';
import { deployLookups, viaShippedHandler } from '../../local/template-deployment';
import { ImageDigestLookup } from '../../src';
import { FaultProxy } from '../support/fault-proxy';

const REPOSITORY_ACCOUNT = '222222222222';
const REPOSITORY_REGION = 'eu-west-1';

let cloudFormation: ResponseEndpoint;
let proxy: FaultProxy;
beforeAll(async () => {
  cloudFormation = await ResponseEndpoint.start();
  proxy = await FaultProxy.start(motoEndpoint());
});
afterAll(async () => {
  await cloudFormation.close();
  await proxy.close();
});

/** A repository that moto holds for registry 222222222222 in eu-west-1 only, with an image under `main`. */
async function sharedRepository(): Promise<{ name: string; digest: string }> {
  const client = new ECRClient({ region: REPOSITORY_REGION, endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const name = uniqueRepositoryName('shared');
  await client.send(new CreateRepositoryCommand({ repositoryName: name, registryId: REPOSITORY_ACCOUNT }));
  const manifest = newManifest();
  await client.send(new PutImageCommand({
    repositoryName: name, imageTag: 'main', imageManifest: manifest.manifest, imageManifestMediaType: DOCKER_MANIFEST, imageDigest: manifest.digest,
  }));
  return { name, digest: manifest.digest };
}

/** The template of a service stack in 111111111111/us-east-1 that looks the image up by the repository's ARN. */
function serviceTemplate(repositoryName: string): any {
  const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region: 'us-east-1' } });
  const repository = ecr.Repository.fromRepositoryAttributes(stack, 'R', {
    repositoryArn: `arn:aws:ecr:${REPOSITORY_REGION}:${REPOSITORY_ACCOUNT}:repository/${repositoryName}`,
    repositoryName,
  });
  new ImageDigestLookup(stack, 'Api', { repository, tag: 'main' });
  return Template.fromStack(stack).toJSON();
}

test('GIVEN a repository in another account and region WHEN the synthesized lookup is created THEN ECR is called in that region with that registry id, and resolves the image', async () => {
  const shared = await sharedRepository();
  const template = serviceTemplate(shared.name);
  proxy.received.length = 0;

  // The function runs in the stack's region, like the stack's lookup function.
  const [created] = await deployLookups(template, {}, viaShippedHandler(cloudFormation, { ...motoEnvironment(proxy.endpoint), AWS_REGION: 'us-east-1' }));

  expect(created.status).toBe('SUCCESS');
  expect(created.data.Digest).toBe(shared.digest);
  const describeImages = proxy.received.filter((r) => r.headers['x-amz-target'] === 'AmazonEC2ContainerRegistry_V20150921.DescribeImages');
  expect(describeImages.length).toBeGreaterThan(0);
  for (const request of describeImages) {
    expect(JSON.parse(request.body).registryId).toBe(REPOSITORY_ACCOUNT);
    expect(request.headers.authorization).toContain(`/${REPOSITORY_REGION}/ecr/aws4_request`);
  }
});

test('GIVEN the same repository WHEN asked for with the stack\'s account and region THEN moto does not find it, so the lookup above found it only where the ARN points', async () => {
  const shared = await sharedRepository();
  const template = serviceTemplate(shared.name);
  const lookup = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::ImageDigestLookup');
  lookup.Properties.RegistryId = '111111111111';
  lookup.Properties.Region = 'us-east-1';

  const [created] = await deployLookups(template, {}, viaShippedHandler(cloudFormation, { ...motoEnvironment(), AWS_REGION: 'us-east-1' }));

  expect(created.status).toBe('FAILED');
  expect(created.reason).toContain(`Repository "${shared.name}" was not found in registry 111111111111, region us-east-1`);
});

test('GIVEN the repository ARN in an SSM parameter WHEN the synthesized lookup is created THEN CloudFormation\'s split of the ARN sends ECR to its region and registry', async () => {
  const shared = await sharedRepository();
  const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region: 'us-east-1' } });
  const repositoryArn = ssm.StringParameter.valueForStringParameter(stack, '/shared/api/repository-arn');
  const repository = ecr.Repository.fromRepositoryAttributes(stack, 'R', { repositoryArn, repositoryName: shared.name });
  new ImageDigestLookup(stack, 'Api', { repository, tag: 'main' });
  const template = Template.fromStack(stack).toJSON();
  const parameter = Object.keys(template.Parameters).find((p) => template.Parameters[p].Default === '/shared/api/repository-arn')!;
  proxy.received.length = 0;

  const [created] = await deployLookups(template, { refs: { [parameter]: `arn:aws:ecr:${REPOSITORY_REGION}:${REPOSITORY_ACCOUNT}:repository/${shared.name}` } },
    viaShippedHandler(cloudFormation, { ...motoEnvironment(proxy.endpoint), AWS_REGION: 'us-east-1' }));

  expect(created.properties).toMatchObject({ RegistryId: REPOSITORY_ACCOUNT, Region: REPOSITORY_REGION });
  expect(created.status).toBe('SUCCESS');
  expect(created.data.Digest).toBe(shared.digest);
  expect(proxy.received.every((r) => String(r.headers.authorization).includes(`/${REPOSITORY_REGION}/ecr/aws4_request`))).toBe(true);
});

test('GIVEN an SSM parameter that holds a repository ARN without a region WHEN the lookup is created THEN the handler fails naming the region it got', async () => {
  const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region: 'us-east-1' } });
  const repositoryArn = ssm.StringParameter.valueForStringParameter(stack, '/shared/api/repository-arn');
  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryAttributes(stack, 'R', { repositoryArn, repositoryName: 'api' }) });
  const template = Template.fromStack(stack).toJSON();
  const parameter = Object.keys(template.Parameters).find((p) => template.Parameters[p].Default === '/shared/api/repository-arn')!;

  const [created] = await deployLookups(template, { refs: { [parameter]: 'arn:aws:ecr::222222222222:repository/api' } },
    viaShippedHandler(cloudFormation, { ...motoEnvironment(), AWS_REGION: 'us-east-1' }));

  expect(created.status).toBe('FAILED');
  expect(created.reason).toContain('Region "" is not a valid AWS region');
});
