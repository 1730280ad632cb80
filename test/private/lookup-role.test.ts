/**
 * The lookup role as organisations that pre-create roles see it: under
 * `iam.Role.customizeRoles`, the policy report in the cloud assembly is what a
 * role is created from, so it must list every grant the template would hold.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ImageDigestLookup } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const ROLE_PATH = 'Lookups/ImageDigestLookupProvider/Role/Resource';
const ACTIONS = ['ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:DescribeImageScanFindings'];

interface ReportedRole {
  roleConstructPath: string;
  roleName: string;
  missing: boolean;
  managedPolicyStatements: any[];
  identityPolicyStatements: any[];
}

/** A consumer app: lookups that need each combination of actions, one of them in another account. */
function consumerApp(customize: (app: App) => void, repositories = 0): { app: App; stack: Stack } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'customize-roles-')) });
  customize(app);
  const stack = new Stack(app, 'Lookups', { env: ENV });
  const repo = (id: string, name: string) => ecr.Repository.fromRepositoryName(stack, `${id}Repository`, name);
  new ImageDigestLookup(stack, 'Api', { repository: repo('Api', 'api'), tag: 'main' });
  new ImageDigestLookup(stack, 'Worker', { repository: repo('Worker', 'worker'), platform: 'linux/arm64' });
  new ImageDigestLookup(stack, 'Web', { repository: repo('Web', 'web'), requireScan: {} });
  new ImageDigestLookup(stack, 'Base', {
    repository: ecr.Repository.fromRepositoryArn(stack, 'BaseRepository', 'arn:aws:ecr:us-west-2:222222222222:repository/platform/base'),
    platform: 'linux/amd64',
    requireScan: {},
  });
  for (let i = 0; i < repositories; i++) {
    new ImageDigestLookup(stack, `Lookup${i}`, { repository: repo(`Repo${i}`, `platform-team/payments-service-${i}`), platform: 'linux/arm64', requireScan: {} });
  }
  return { app, stack };
}

function reportedRole(app: App): ReportedRole {
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'iam-policy-report.json'), 'utf-8'));
  const role = report.roles.find((r: ReportedRole) => r.roleConstructPath === ROLE_PATH);
  expect(role).toBeDefined();
  return role;
}

/** Where the report lets `action` run, as written in the report, one entry per listing. */
function reportedResources(role: ReportedRole, action: string): string[] {
  return [...role.identityPolicyStatements, ...role.managedPolicyStatements]
    .filter((s) => [s.Action].flat().includes(action))
    .flatMap((s) => [s.Resource].flat());
}

const arn = (name: string) => `arn:(PARTITION):ecr:eu-west-1:111111111111:repository/${name}`;
const BASE = 'arn:aws:ecr:us-west-2:222222222222:repository/platform/base';

describe.each([
  ['a pre-created role for the lookup role\'s path', (app: App) => iam.Role.customizeRoles(app, { usePrecreatedRoles: { [ROLE_PATH]: 'image-digest-lookup' } })],
  ['no pre-created role yet (synth lists the role to create)', (app: App) => iam.Role.customizeRoles(app)],
  ['the report only (roles still synthesized)', (app: App) => iam.Role.customizeRoles(app, { preventSynthesis: false })],
])('GIVEN iam.Role.customizeRoles with %s', (_case, customize) => {
  const role = reportedRole(consumerApp(customize).app);

  test('THEN the report lists DescribeImages on exactly the repositories that lookups name', () => {
    expect(reportedResources(role, 'ecr:DescribeImages').sort()).toEqual([arn('api'), arn('web'), arn('worker'), BASE].sort());
  });

  test('THEN the report lists BatchGetImage, which reads image indexes, on exactly the repositories that lookups name', () => {
    expect(reportedResources(role, 'ecr:BatchGetImage').sort()).toEqual([arn('api'), arn('web'), arn('worker'), BASE].sort());
  });

  test('THEN the report lists DescribeStacks on the lookups\' own stack only', () => {
    expect(reportedResources(role, 'cloudformation:DescribeStacks')).toEqual(['(Lookups.AWS::StackId)']);
  });

  test('THEN the report lists DescribeImageScanFindings on exactly the repositories of lookups with a scan gate', () => {
    expect(reportedResources(role, 'ecr:DescribeImageScanFindings').sort()).toEqual([arn('web'), BASE].sort());
  });

  test('THEN the report still lists writing to the function\'s log group, once', () => {
    const logs = [...role.identityPolicyStatements, ...role.managedPolicyStatements].filter((s) => [s.Action].flat().includes('logs:PutLogEvents'));
    expect(logs).toEqual([expect.objectContaining({ Resource: '(Lookups/ImageDigestLookupProvider/Logs/Resource.Arn)' })]);
  });
});

test('GIVEN a pre-created role WHEN synthesized THEN the function runs as it and the stack creates no IAM resource', () => {
  const { app, stack } = consumerApp((a) => iam.Role.customizeRoles(a, { usePrecreatedRoles: { [ROLE_PATH]: 'image-digest-lookup' } }));
  app.synth();
  const template = Template.fromStack(stack);

  for (const type of ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    template.resourceCountIs(type, 0);
  }
  template.hasResourceProperties('AWS::Lambda::Function', {
    Role: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/image-digest-lookup']] },
  });
});

test('GIVEN the report only WHEN synthesized THEN the template\'s role holds the same grants, and no extra policy resource', () => {
  const { app, stack } = consumerApp((a) => iam.Role.customizeRoles(a, { preventSynthesis: false }));
  const role = reportedRole(app);
  const template = Template.fromStack(stack);

  template.resourceCountIs('AWS::IAM::Policy', 0);
  const inline = Object.values<any>(template.findResources('AWS::IAM::Role'))[0].Properties.Policies[0].PolicyDocument.Statement;
  expect(inline.filter((s: any) => [s.Action].flat().includes('ecr:DescribeImages'))).toHaveLength(role.identityPolicyStatements.filter((s) => [s.Action].flat().includes('ecr:DescribeImages')).length);
});

describe('GIVEN iam.Role.customizeRoles and lookups of 490 distinct repositories, each with a platform and a scan gate', () => {
  const role = reportedRole(consumerApp((app) => iam.Role.customizeRoles(app, { usePrecreatedRoles: { [ROLE_PATH]: 'image-digest-lookup' } }), 490).app);
  const expected = [arn('api'), arn('web'), arn('worker'), BASE, ...Array.from({ length: 490 }, (_, i) => arn(`platform-team/payments-service-${i}`))];

  test.each(ACTIONS)('THEN the report lists %s on every repository that needs it, each once', (action) => {
    // Every lookup may read an image index; only gated ones read scans.
    const needs = expected.filter((a) => action !== 'ecr:DescribeImageScanFindings' || (a !== arn('api') && a !== arn('worker')));
    expect(reportedResources(role, action).sort()).toEqual(needs.sort());
  });

  test('THEN the identity statements keep the layout of the role\'s inline policy, within IAM\'s 10,240 characters', () => {
    // The report names the account and partition with placeholders; the real values are no longer.
    const size = JSON.stringify({ Version: '2012-10-17', Statement: role.identityPolicyStatements }).replace(/\(PARTITION\)/g, 'aws-us-gov').length;
    expect(size).toBeLessThanOrEqual(10_240);
    expect(role.managedPolicyStatements.length).toBeGreaterThan(0);
  });
});

test.each([
  ['', {}],
  [' (report only)', { preventSynthesis: false }],
])('GIVEN iam.Role.customizeRoles%s and an existing role given to configureProvider WHEN synthesized THEN the report lists every grant for that role', (_case, options: iam.CustomizeRolesOptions) => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'customize-roles-')) });
  iam.Role.customizeRoles(app, options);
  const stack = new Stack(app, 'Lookups', { env: ENV });
  ImageDigestLookup.configureProvider(stack, { role: iam.Role.fromRoleName(stack, 'Existing', 'platform-lookup') });
  new ImageDigestLookup(stack, 'Worker', { repository: ecr.Repository.fromRepositoryName(stack, 'WorkerRepository', 'worker'), platform: 'linux/arm64' });

  const report = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'iam-policy-report.json'), 'utf-8'));

  const role = report.roles.find((r: ReportedRole) => r.roleConstructPath === 'Lookups/Existing');
  expect(role.roleName).toBe('platform-lookup');
  expect(reportedResources(role, 'ecr:DescribeImages')).toEqual([arn('worker')]);
  expect(reportedResources(role, 'ecr:BatchGetImage')).toEqual([arn('worker')]);
  expect(reportedResources(role, 'logs:PutLogEvents')).toEqual(['(Lookups/ImageDigestLookupProvider/Logs/Resource.Arn)']);
});

test('GIVEN iam.Role.customizeRoles without a pre-created role WHEN synthesized THEN synth reports the lookup role as one to create', () => {
  const { app, stack } = consumerApp((a) => iam.Role.customizeRoles(a));

  const role = reportedRole(app);

  expect(role.missing).toBe(true);
  const errors = app.synth().getStackByName(stack.stackName).messages.filter((m) => m.level === 'error').map((m) => String(m.entry.data));
  expect(errors).toEqual([expect.stringContaining(`IAM Role is being created at path "${ROLE_PATH}"`)]);
});
