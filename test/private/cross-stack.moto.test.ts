/**
 * A two-stack app as the README shows it: stack Images holds the lookup,
 * stack Service runs its image in an ECS task and a Lambda function. The
 * Service template must take nothing from Images that moves with the tag
 * (CloudFormation refuses to update an export that another stack imports),
 * so Service deploys on its own: its lookups are created, then updated after
 * the tag moved, by the shipped handler against moto, in dependency order,
 * and each deployment's task and function images are evaluated from the
 * lookups' answers.
 */
import { randomUUID } from 'crypto';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { createEvent, EventProperties, updateEvent } from '../../local/events';
import { evaluate } from '../../local/intrinsics';
import { LocalEcr, MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { ResponseEndpoint } from '../../local/response-endpoint';
import { invokeShippedHandler } from '../../local/shipped-handler';
import { StackStatusEndpoint } from '../../local/stack-status-endpoint';
import { CreateLookup, deployLookups, DeployedLookup } from '../../local/template-deployment';
import { ImageDigestLookup } from '../../src';
import { RESOURCE_TYPE } from '../../src/shared/contract';

const PSEUDO = { 'AWS::AccountId': MOTO_ACCOUNT, 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

let ecrClient: LocalEcr;
let cloudFormation: ResponseEndpoint;
let cloudFormationApi: StackStatusEndpoint;
beforeAll(async () => {
  ecrClient = new LocalEcr();
  cloudFormation = await ResponseEndpoint.start();
  cloudFormationApi = await StackStatusEndpoint.start();
});
afterAll(async () => {
  await cloudFormation.close();
  await cloudFormationApi.close();
});

/** Where the app's repository comes from: only this may cross the stacks, and it never moves. */
type RepositoryShape = 'imported by name' | 'defined in stack Images';

interface Synthesized {
  readonly images: any;
  readonly service: any;
}

/**
 * The app, synthesized as `cdk deploy` would for one deployment: the lookup
 * keeps its default refresh, a new token at each synth.
 */
function synthesize(repositoryName: string, shape: RepositoryShape = 'imported by name'): Synthesized {
  const app = new App();
  const env = { account: MOTO_ACCOUNT, region: REGION };
  const images = new Stack(app, 'Images', { env });
  const repository = shape === 'imported by name'
    ? ecr.Repository.fromRepositoryName(images, 'Repo', repositoryName)
    : new ecr.Repository(images, 'Repo', { repositoryName });
  const api = new ImageDigestLookup(images, 'Api', { repository, tag: 'main' });

  const service = new Stack(app, 'Service', { env });
  const task = new ecs.FargateTaskDefinition(service, 'Task');
  task.addContainer('api', { image: api.containerImage(), memoryLimitMiB: 512 });
  new lambda.DockerImageFunction(service, 'Worker', { code: api.dockerImageCode() });

  return { images: Template.fromStack(images).toJSON(), service: Template.fromStack(service).toJSON() };
}

/** The export names a template imports with Fn::ImportValue. */
function importsOf(template: any): string[] {
  const names: string[] = [];
  found(template.Resources, (key, arg) => {
    if (key === 'Fn::ImportValue') {
      names.push(String(arg));
    }
    return false;
  });
  return names;
}

/** The export names `importer` imports that `exporter` does not export, or exports carrying an attribute of one of its lookups. */
function importedLookupAttributes(exporter: any, importer: any): string[] {
  const lookups = new Set(Object.keys(exporter.Resources).filter((id) => exporter.Resources[id].Type === RESOURCE_TYPE));
  const exported = new Map<string, unknown>(Object.values<any>(exporter.Outputs ?? {})
    .filter((output) => output.Export)
    .map((output) => [output.Export.Name, output.Value]));
  const readsLookup = (value: unknown): boolean => found(value, (key, arg) =>
    key === 'Fn::GetAtt' && lookups.has(typeof arg === 'string' ? arg.split('.')[0] : (arg as string[])[0]));
  return importsOf(importer).filter((name) => !exported.has(name) || readsLookup(exported.get(name)));
}

/** Whether `match` holds for some key and value of an object in `value`, at any depth. */
function found(value: unknown, match: (key: string, arg: unknown) => boolean): boolean {
  if (Array.isArray(value)) {
    return value.some((v) => found(v, match));
  }
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  return Object.entries(value).map(([key, arg]) => match(key, arg) || found(arg, match)).some(Boolean);
}

/**
 * What stack Images exports once deployed, by export name: its repository,
 * when it defines one, is the moto repository `repositoryName`.
 */
function exportsOf(images: any, repositoryName: string): Record<string, string> {
  const repositories = Object.keys(images.Resources).filter((id) => images.Resources[id].Type === 'AWS::ECR::Repository');
  const refs = { ...PSEUDO, ...Object.fromEntries(repositories.map((id) => [id, repositoryName])) };
  const arn = `arn:aws:ecr:${REGION}:${MOTO_ACCOUNT}:repository/${repositoryName}`;
  const attributes = Object.fromEntries(repositories.map((id) => [id, { Arn: arn }]));
  return Object.fromEntries(Object.values<any>(images.Outputs ?? {})
    .filter((output) => output.Export)
    .map((output) => [output.Export.Name, evaluate(output.Value, { refs, attributes })]));
}

/**
 * One stack's lookups across deployments, as CloudFormation drives them: a
 * lookup new to the template is created, one whose properties changed is
 * updated with its physical id and old properties, one unchanged is not
 * invoked and keeps its attributes. Each request goes to the shipped handler
 * in a fresh process, while the stack reports the status of the operation.
 */
class StackDeployment {
  /** The request type each lookup received in the last deployment, or 'None'. */
  public requests: Record<string, string> = {};
  private readonly stackId = `arn:aws:cloudformation:${REGION}:${MOTO_ACCOUNT}:stack/Service/${randomUUID()}`;
  private readonly live = new Map<string, { physicalId: string; properties: EventProperties; data: Record<string, string> }>();

  public async deploy(template: any, imports: Record<string, string>): Promise<DeployedLookup[]> {
    this.requests = {};
    cloudFormationApi.setStatus(this.stackId, this.live.size === 0 ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS');
    return deployLookups(template, { refs: PSEUDO, imports }, this.createOrUpdate);
  }

  private readonly createOrUpdate: CreateLookup = async (logicalId, properties) => {
    const previous = this.live.get(logicalId);
    if (previous && JSON.stringify(previous.properties) === JSON.stringify(properties)) {
      this.requests[logicalId] = 'None';
      return { Status: 'SUCCESS', Data: previous.data };
    }
    const url = cloudFormation.url();
    const event = previous
      ? updateEvent(url, previous.physicalId, properties, previous.properties)
      : createEvent(url, properties);
    this.requests[logicalId] = event.RequestType;
    cloudFormation.clear();
    const invocation = await invokeShippedHandler({ ...event, StackId: this.stackId, LogicalResourceId: logicalId }, {
      env: { ...motoEnvironment(), AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormationApi.url },
    });
    const answer = cloudFormation.received[0]?.body;
    if (invocation.exitCode !== 0 || answer === undefined) {
      throw new Error(`The handler did not answer ${logicalId} (exit ${invocation.exitCode}): ${invocation.logs}`);
    }
    if (answer.Status === 'SUCCESS') {
      this.live.set(logicalId, { physicalId: answer.PhysicalResourceId, properties, data: answer.Data ?? {} });
    }
    return answer;
  };
}

/** The images the Service stack's task and function run, evaluated from its lookups' answers. */
function imagesRun(template: any, imports: Record<string, string>, deployed: DeployedLookup[]): { task: string; function: string } {
  const resources = Object.values<any>(template.Resources);
  const task = resources.find((r) => r.Type === 'AWS::ECS::TaskDefinition');
  const fn = resources.find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.PackageType === 'Image');
  const env = { refs: PSEUDO, imports, attributes: Object.fromEntries(deployed.map((d) => [d.logicalId, d.data])) };
  return {
    task: evaluate(task.Properties.ContainerDefinitions[0].Image, env),
    function: evaluate(fn.Properties.Code.ImageUri, env),
  };
}

const SHAPES: RepositoryShape[] = ['imported by name', 'defined in stack Images'];

test.each(SHAPES)('GIVEN a repository %s, a task and a function in stack Service using the lookup of stack Images WHEN synthesized THEN Service imports no attribute of a lookup and has a lookup of its own', (shape) => {
  const { images, service } = synthesize('api', shape);

  expect(importedLookupAttributes(images, service)).toEqual([]);
  expect(Object.values<any>(service.Resources).filter((r) => r.Type === RESOURCE_TYPE)).toHaveLength(1);
  // The repository itself may cross, and does when Images defines it.
  expect(importsOf(service).length > 0).toBe(shape === 'defined in stack Images');
});

test.each(SHAPES)('GIVEN a repository %s and main pushed WHEN stack Service is deployed, main moves and Service is deployed again THEN its task and function run the pushed digest, then the new one', async (shape) => {
  const repositoryName = uniqueRepositoryName('xstack');
  await ecrClient.createRepository(repositoryName);
  const uriOf = (digest: string) => `${MOTO_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${repositoryName}@${digest}`;
  const service = new StackDeployment();

  const first = await ecrClient.push(repositoryName, 'main');
  const before = synthesize(repositoryName, shape);
  expect(importedLookupAttributes(before.images, before.service)).toEqual([]);
  const imports = exportsOf(before.images, repositoryName);
  const created = await service.deploy(before.service, imports);

  expect(created.map((d) => [d.status, d.reason])).toEqual([['SUCCESS', undefined]]);
  expect(Object.values(service.requests)).toEqual(['Create']);
  expect(imagesRun(before.service, imports, created)).toEqual({ task: uriOf(first), function: uriOf(first) });

  // The tag moves; stack Images is not deployed again, so its exports stay as they were.
  const second = await ecrClient.push(repositoryName, 'main');
  const after = synthesize(repositoryName, shape);
  expect(importedLookupAttributes(after.images, after.service)).toEqual([]);
  const updated = await service.deploy(after.service, imports);

  expect(second).not.toBe(first);
  expect(updated.map((d) => [d.status, d.reason])).toEqual([['SUCCESS', undefined]]);
  expect(updated[0].properties.RefreshToken).not.toEqual(created[0].properties.RefreshToken);
  expect(service.requests).toEqual({ [updated[0].logicalId]: 'Update' });
  expect(imagesRun(after.service, imports, updated)).toEqual({ task: uriOf(second), function: uriOf(second) });
});
