/**
 * Every way aws-cdk-lib hands out an IRepository, in an app shaped like the
 * one that met it: the lookup's RegistryId and Region, the lookup role's grant
 * and the image URI must name the same account, region and repository.
 */
import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Environment, evaluate } from '../../local/intrinsics';
import { ImageDigestLookup } from '../../src';
import { RESOURCE_TYPE } from '../../src/shared/contract';

const STACK_ENV = { account: '111111111111', region: 'us-east-1' };
const OTHER_ARN = 'arn:aws:ecr:eu-west-1:222222222222:repository/api';
const DIGEST_HEX = 'ab'.repeat(32);

interface Where {
  readonly account: string;
  readonly region: string;
  readonly repository: string;
}

/** What the three places name, once CloudFormation has resolved them with `env`. */
function namedBy(stack: Stack, lookup: ImageDigestLookup, env: Environment): { properties: Where; grant: Where[]; imageUri: Where } {
  const template = Template.fromStack(stack).toJSON();
  const logicalId = stack.getLogicalId(lookup.resource);
  const base: Environment = {
    ...env,
    refs: { 'AWS::AccountId': STACK_ENV.account, 'AWS::Region': STACK_ENV.region, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com', ...env.refs },
    attributes: { ...env.attributes, [logicalId]: { DigestHex: DIGEST_HEX } },
  };
  const { ServiceToken: _serviceToken, ...lookupProperties } = template.Resources[logicalId].Properties;
  const props = evaluate(lookupProperties, base);
  const statements = Object.values<any>(template.Resources).flatMap((resource) => policyStatements(resource.Properties));
  const grantArns = statements.filter((s) => [s.Action].flat().includes('ecr:DescribeImages')).flatMap((s) => [s.Resource].flat());
  const uri = evaluate(stack.resolve(lookup.imageUri), base) as string;
  const uriParts = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/(.+)@sha256:([0-9a-f]{64})$/.exec(uri);
  expect(uriParts?.[4]).toBe(DIGEST_HEX);
  return {
    properties: { account: props.RegistryId, region: props.Region, repository: props.RepositoryName },
    grant: grantArns.map((arn) => {
      const [, , , region, account, resource] = String(evaluate(arn, base)).split(':');
      return { account, region, repository: resource.replace(/^repository\//, '') };
    }),
    imageUri: { account: uriParts![1], region: uriParts![2], repository: uriParts![3] },
  };
}

function policyStatements(properties: any): any[] {
  const documents = [properties?.PolicyDocument, ...(properties?.Policies ?? []).map((p: any) => p.PolicyDocument)].filter(Boolean);
  return documents.flatMap((d: any) => d.Statement);
}

function expectAllNameOne(stack: Stack, lookup: ImageDigestLookup, expected: Where, env: Environment = {}): void {
  const named = namedBy(stack, lookup, env);
  expect(named.properties).toEqual(expected);
  expect(named.grant).toEqual([expected]);
  expect(named.imageUri).toEqual(expected);
}

function newStack(app = new App(), id = 'Service', props = {}): Stack {
  return new Stack(app, id, { env: STACK_ENV, ...props });
}

describe('one repository, named alike by the lookup, its grant and its image URI', () => {
  test('GIVEN new Repository in the stack WHEN synthesized THEN all three name the stack\'s account and region', () => {
    const stack = newStack();
    const repository = new ecr.Repository(stack, 'Repo');
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    const repoId = stack.getLogicalId(repository.node.defaultChild as ecr.CfnRepository);
    expectAllNameOne(stack, lookup, { account: '111111111111', region: 'us-east-1', repository: 'owned' }, {
      refs: { [repoId]: 'owned' },
      attributes: { [repoId]: { Arn: 'arn:aws:ecr:us-east-1:111111111111:repository/owned' } },
    });
  });

  test('GIVEN fromRepositoryName WHEN synthesized THEN all three name the stack\'s account and region', () => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

    expectAllNameOne(stack, lookup, { account: '111111111111', region: 'us-east-1', repository: 'api' });
  });

  test('GIVEN fromRepositoryArn in another account and region WHEN synthesized THEN all three name the ARN\'s', () => {
    const stack = newStack();
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryArn(stack, 'Repo', OTHER_ARN) });

    expectAllNameOne(stack, lookup, { account: '222222222222', region: 'eu-west-1', repository: 'api' });
  });

  test('GIVEN fromRepositoryAttributes with a literal ARN of another account and region WHEN synthesized THEN the lookup is literal and names the ARN\'s', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryAttributes(stack, 'R', { repositoryArn: OTHER_ARN, repositoryName: 'api' });
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { RegistryId: '222222222222', Region: 'eu-west-1' });
    expectAllNameOne(stack, lookup, { account: '222222222222', region: 'eu-west-1', repository: 'api' });
  });

  test('GIVEN fromRepositoryAttributes with an ARN from an SSM parameter WHEN deployed THEN all three name the parameter\'s ARN', () => {
    const stack = newStack();
    const arn = ssm.StringParameter.valueForStringParameter(stack, '/shared/repository-arn');
    const repository = ecr.Repository.fromRepositoryAttributes(stack, 'R', { repositoryArn: arn, repositoryName: 'api' });
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    const template = Template.fromStack(stack).toJSON();
    const parameter = Object.keys(template.Parameters).find((p) => template.Parameters[p].Default === '/shared/repository-arn')!;
    expectAllNameOne(stack, lookup, { account: '222222222222', region: 'eu-west-1', repository: 'api' }, { refs: { [parameter]: OTHER_ARN } });
    // And not what the stack would have said.
    expectAllNameOne(stack, lookup, { account: '333333333333', region: 'ap-south-2', repository: 'api' },
      { refs: { [parameter]: 'arn:aws:ecr:ap-south-2:333333333333:repository/api' } });
  });

  test('GIVEN fromRepositoryAttributes with an imported ARN WHEN deployed THEN all three name the import\'s ARN', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryAttributes(stack, 'R', {
      repositoryArn: Fn.importValue('SharedRepositoryArn'),
      repositoryName: Fn.select(1, Fn.split('/', Fn.importValue('SharedRepositoryArn'))),
    });
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    expectAllNameOne(stack, lookup, { account: '222222222222', region: 'eu-west-1', repository: 'api' }, { imports: { SharedRepositoryArn: OTHER_ARN } });
  });

  test('GIVEN fromLookup with its context present WHEN synthesized THEN all three name the looked-up ARN\'s account and region', () => {
    const first = newStack();
    ecr.Repository.fromLookup(first, 'Repo', { repositoryName: 'api' });
    const missing = first.node.root as App;
    const key = missing.synth().manifest.missing![0].key;

    const stack = newStack(new App({ context: { [key]: [{ Arn: OTHER_ARN }] } }));
    const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromLookup(stack, 'Repo', { repositoryName: 'api' }) });

    expectAllNameOne(stack, lookup, { account: '222222222222', region: 'eu-west-1', repository: 'api' });
  });

  test('GIVEN a repository of another stack in the same region WHEN synthesized THEN all three name the owning stack\'s account and region', () => {
    const app = new App();
    const shared = newStack(app, 'Shared', { env: { account: '222222222222', region: 'us-east-1' } });
    const repository = new ecr.Repository(shared, 'Repo', { repositoryName: 'api' });
    const stack = newStack(app);
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    expectAllNameOne(stack, lookup, { account: '222222222222', region: 'us-east-1', repository: 'api' }, {
      imports: importsOf(shared, 'arn:aws:ecr:us-east-1:222222222222:repository/api'),
    });
  });

  test('GIVEN a repository of another stack of the same environment WHEN synthesized THEN all three name it through stable exports', () => {
    const app = new App();
    const shared = newStack(app, 'Shared');
    const repository = new ecr.Repository(shared, 'Repo');
    const stack = newStack(app);
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    expectAllNameOne(stack, lookup, { account: '111111111111', region: 'us-east-1', repository: 'generated-name' }, {
      imports: importsOf(shared, 'arn:aws:ecr:us-east-1:111111111111:repository/generated-name', 'generated-name'),
    });
  });

  test('GIVEN a repository of a stack in another region, with crossRegionReferences WHEN synthesized THEN all three name that region', () => {
    const app = new App();
    const shared = newStack(app, 'Shared', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    const repository = new ecr.Repository(shared, 'Repo', { repositoryName: 'api' });
    const stack = newStack(app, 'Service', { crossRegionReferences: true });
    const lookup = new ImageDigestLookup(stack, 'Api', { repository });

    // The importing stack reads the ARN through a reader custom resource.
    const template = Template.fromStack(stack).toJSON();
    const reader = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'Custom::CrossRegionExportReader')!;
    const readerAttributes = new Proxy({}, {
      get: (_target, name) => (String(name).includes('Arn') ? 'arn:aws:ecr:eu-west-1:111111111111:repository/api' : 'api'),
    }) as Record<string, string>;
    expectAllNameOne(stack, lookup, { account: '111111111111', region: 'eu-west-1', repository: 'api' }, { attributes: { [reader]: readerAttributes } });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { RegistryId: '111111111111', Region: 'eu-west-1' });
  });
});

/** What the exports of `stack` hold once deployed: the repository's ARN for its Arn, its name for its Ref. */
function importsOf(stack: Stack, arn: string, name = 'api'): Record<string, string> {
  const outputs = Template.fromStack(stack).toJSON().Outputs ?? {};
  return Object.fromEntries(Object.values<any>(outputs).filter((o) => o.Export)
    .map((o) => [o.Export.Name, o.Value['Fn::GetAtt'] ? arn : name]));
}

describe('ARNs that name no repository', () => {
  test('GIVEN fromRepositoryAttributes with a literal ARN of another service WHEN constructed THEN it throws naming the ARN and the form', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryAttributes(stack, 'R', { repositoryArn: 'arn:aws:s3:::bucket/api', repositoryName: 'api' });

    expect(() => new ImageDigestLookup(stack, 'Api', { repository }))
      .toThrow('repository ARN "arn:aws:s3:::bucket/api" is not an ECR repository ARN: expected arn:<partition>:ecr:<region>:<account>:repository/<name>');
  });

  test('GIVEN an ARN without a region WHEN constructed THEN it throws naming the empty region', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryAttributes(stack, 'R', { repositoryArn: 'arn:aws:ecr::222222222222:repository/api', repositoryName: 'api' });

    expect(() => new ImageDigestLookup(stack, 'Api', { repository })).toThrow('repository region "" is not a valid AWS region');
  });
});
