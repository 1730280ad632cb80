/**
 * The cross-account example (examples/cross-account.ts): the repository's
 * policy in the tools account lets exactly the service stack's lookup role read it.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REGION, RepositoryStack, ServiceStack, SERVICE_ACCOUNT, TOOLS_ACCOUNT } from '../examples/cross-account';
import { ImageDigestLookup } from '../src';

/** Resolves the intrinsics of these templates as deployed in the aws partition. */
function deployed(value: any): any {
  if (Array.isArray(value)) {
    return value.map(deployed);
  }
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) {
      return deployed(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
    }
    if (value.Ref === 'AWS::Partition') {
      return 'aws';
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployed(v)]));
  }
  return value;
}

function synthExample() {
  const app = new App();
  const repositoryStack = new RepositoryStack(app, 'ApiRepository', { env: { account: TOOLS_ACCOUNT, region: REGION } });
  const serviceStack = new ServiceStack(app, 'ApiService', { env: { account: SERVICE_ACCOUNT, region: REGION } });
  return { serviceStack, service: Template.fromStack(serviceStack), repository: Template.fromStack(repositoryStack) };
}

/** The ARN IAM gives the service stack's lookup role: its account, path and fixed name. */
function lookupRoleArn(service: Template): string {
  const roles = Object.values<any>(service.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  const { RoleName, Path } = roles[0].Properties;
  expect(typeof RoleName).toBe('string');
  return `arn:aws:iam::${SERVICE_ACCOUNT}:role${Path ?? '/'}${RoleName}`;
}

function repositoryStatements(repository: Template): any[] {
  const repositories = Object.values<any>(repository.findResources('AWS::ECR::Repository'));
  expect(repositories).toHaveLength(1);
  return deployed(repositories[0].Properties.RepositoryPolicyText.Statement);
}

test.each([0, 1])('GIVEN the example WHEN synthesized THEN the repository policy\'s statement %i allows exactly the lookup role\'s ARN, from the service account', (index) => {
  const { service, repository } = synthExample();

  const statements = repositoryStatements(repository);
  const statement = statements[index];

  expect(statements).toHaveLength(2);
  expect(statement.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': lookupRoleArn(service) } });
  expect(statement.Principal).toEqual({ AWS: `arn:aws:iam::${SERVICE_ACCOUNT}:root` });
  expect(statement.Effect).toBe('Allow');
});

test('GIVEN the example WHEN synthesized THEN the repository policy allows every ECR action the lookup role is granted on it, and no other', () => {
  const { service, repository } = synthExample();
  const repositoryArn = `arn:aws:ecr:${REGION}:${TOOLS_ACCOUNT}:repository/platform/api`;

  const role = Object.values<any>(service.findResources('AWS::IAM::Role'))[0];
  const granted = deployed(role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement))
    .filter((s: any) => [s.Resource].flat().includes(repositoryArn))
    .flatMap((s: any) => [s.Action].flat());

  expect(repositoryStatements(repository).flatMap((statement) => [statement.Action].flat()).sort()).toEqual(granted.sort());
  // The lookup holds its image: the write actions besides the read ones.
  expect(granted.sort()).toEqual(['ecr:BatchDeleteImage', 'ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:GetLifecyclePolicy', 'ecr:PutImage']);
});

test('GIVEN the example WHEN synthesized THEN the lookup runs as the role that lookupRole() returns, and calls the tools account\'s registry', () => {
  const { serviceStack, service } = synthExample();

  const role = ImageDigestLookup.lookupRole(serviceStack);
  const fn = Object.values<any>(service.findResources('AWS::Lambda::Function'))[0];
  expect(fn.Properties.Role).toEqual(serviceStack.resolve(role.roleArn));
  service.hasResourceProperties('Custom::ImageDigestLookup', { RegistryId: TOOLS_ACCOUNT, Region: REGION, RepositoryName: 'platform/api' });
});
