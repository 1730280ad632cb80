/**
 * The lookup role's IAM layout. First as organisations that pre-create roles
 * see it through the construct: under `iam.Role.customizeRoles`, the policy
 * report in the cloud assembly is what a role is created from, so it must list
 * every grant the template would hold. Then `LookupRole` on its own: where
 * each grant lands, and that every document fits IAM's limits wherever the
 * stack is deployed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Dependable } from 'constructs';
import { evaluate, pseudoParameters } from '../../local/intrinsics';
import { ImageDigestLookup } from '../../src';
import { LookupAction, LookupRole } from '../../src/private/lookup-role';
import { PARTITION_MAX, REGION_MAX } from '../../src/private/policy-size';

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
    const logStatements = [...role.identityPolicyStatements, ...role.managedPolicyStatements].filter((s) => [s.Action].flat().includes('logs:PutLogEvents'));
    expect(logStatements).toEqual([expect.objectContaining({ Resource: '(Lookups/ImageDigestLookupProvider/Logs/Resource.Arn)' })]);
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

describe('LookupRole', () => {
  const LOG_GROUP = 'lookup-logs';
  const ALL_ACTIONS: LookupAction[] = ['ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:DescribeImageScanFindings'];
  const INLINE_LIMIT = 10_240;
  const MANAGED_LIMIT = 6_144;

  /** An environment-agnostic stack, so that every ARN is sized for any partition and region. */
  function roleIn(props: { role?: iam.IRole; customizeRoles?: iam.CustomizeRolesOptions } = {}) {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lookup-role-')) });
    if (props.customizeRoles) {
      iam.Role.customizeRoles(app, props.customizeRoles);
    }
    const stack = new Stack(app, 'Lookups');
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Logs', LOG_GROUP);
    const lookupRole = new LookupRole(stack, 'LookupRole', { logGroup, role: props.role });
    const repository = (name: string) => ecr.Repository.fromRepositoryName(stack, `Repo${stack.node.children.length}`, name).repositoryArn;
    return { app, stack, lookupRole, repository };
  }

  /** The deployed form at the longest partition and region the layout is sized for. */
  const LONGEST_STACK_ID = `arn:${'p'.repeat(PARTITION_MAX)}:cloudformation:${'r'.repeat(REGION_MAX)}:123456789012:stack/${'s'.repeat(128)}/${'0'.repeat(36)}`;
  const LONGEST = { refs: { ...pseudoParameters('123456789012', 'r'.repeat(REGION_MAX), 'p'.repeat(PARTITION_MAX)), 'AWS::StackId': LONGEST_STACK_ID } };
  const deployedArn = (name: string) => `arn:${'p'.repeat(PARTITION_MAX)}:ecr:${'r'.repeat(REGION_MAX)}:123456789012:repository/${name}`;

  /** The role's inline document and each managed policy's, deployed, in the order of their logical ids. */
  function documents(stack: Stack) {
    const template = Template.fromStack(stack);
    const roles = Object.values<any>(template.findResources('AWS::IAM::Role'));
    const inline = roles.flatMap((role) => role.Properties.Policies ?? []).map((policy: any) => ({
      name: policy.PolicyName as string,
      document: evaluate(policy.PolicyDocument, LONGEST),
    }));
    const managed = Object.entries<any>(template.findResources('AWS::IAM::ManagedPolicy'))
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([logicalId, policy]) => ({ logicalId, roles: policy.Properties.Roles, document: evaluate(policy.Properties.PolicyDocument, LONGEST) }));
    return { template, roles, inline, managed };
  }

  /** Each (action, resource) pair the documents allow, once per listing. */
  function grants(...docs: any[]): string[] {
    return docs.flatMap((doc) => doc.Statement.flatMap((s: any) =>
      [s.Action].flat().flatMap((action: string) => [s.Resource].flat().map((resource: string) => `${action} ${resource}`))));
  }

  describe('GIVEN a role created here', () => {
    test('WHEN nothing is allowed yet THEN its one inline policy lets it write to its log group only', () => {
      const { stack } = roleIn();
      const { roles, inline, managed } = documents(stack);

      expect(roles).toHaveLength(1);
      expect(roles[0].Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
      ]);
      expect(roles[0].Properties.ManagedPolicyArns).toBeUndefined();
      expect(inline.map((p) => p.name)).toEqual(['LookUpImages']);
      expect(inline[0].document.Statement).toEqual([{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:${'p'.repeat(PARTITION_MAX)}:logs:${'r'.repeat(REGION_MAX)}:123456789012:log-group:${LOG_GROUP}:*`,
      }]);
      expect(managed).toHaveLength(0);
    });

    test('WHEN resources need the same actions THEN they share one statement, actions in any order, each ARN once', () => {
      const { stack, lookupRole, repository } = roleIn();
      lookupRole.allow(['ecr:DescribeImages', 'ecr:BatchGetImage'], repository('api'));
      lookupRole.allow(['ecr:BatchGetImage', 'ecr:DescribeImages'], repository('web'));
      lookupRole.allow(['ecr:DescribeImages', 'ecr:DescribeImages'], repository('api'));
      // Two imports of one repository are different tokens for the same ARN.
      lookupRole.allow(['ecr:DescribeImages', 'ecr:BatchGetImage'], repository('api'));

      const statements = documents(stack).inline[0].document.Statement;

      expect(statements.slice(1)).toEqual([{
        Effect: 'Allow',
        Action: ['ecr:BatchGetImage', 'ecr:DescribeImages'],
        Resource: [deployedArn('api'), deployedArn('web')],
      }]);
    });

    test('WHEN a resource needs another action later THEN only the missing action is added, in a statement of its own', () => {
      const { stack, lookupRole, repository } = roleIn();
      lookupRole.allow(['ecr:DescribeImages', 'ecr:BatchGetImage'], repository('api'));
      lookupRole.allow(ALL_ACTIONS, repository('api'));

      const statements = documents(stack).inline[0].document.Statement;

      expect(statements.slice(1).map((s: any) => [s.Action, s.Resource])).toEqual([
        [['ecr:BatchGetImage', 'ecr:DescribeImages'], deployedArn('api')],
        ['ecr:DescribeImageScanFindings', deployedArn('api')],
      ]);
    });

    test('WHEN the fixed DescribeStacks statement is added THEN it sits in the inline policy on the stack\'s own id', () => {
      const { stack, lookupRole, repository } = roleIn();
      lookupRole.addFixedStatement(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }));
      lookupRole.allow(['ecr:DescribeImages'], repository('api'));

      const raw = Template.fromStack(stack).findResources('AWS::IAM::Role');
      const statements = Object.values<any>(raw)[0].Properties.Policies[0].PolicyDocument.Statement;

      expect(statements[1]).toEqual({ Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } });
      expect(statements).toHaveLength(3);
      Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    });
  });

  describe('GIVEN more repositories than the inline policy can list', () => {
    const count = 160;
    const name = (i: number) => `platform-team/payments-service-with-a-long-name-${i}`;
    const { stack, lookupRole, repository } = roleIn();
    lookupRole.addFixedStatement(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }));
    for (let i = 0; i < count; i++) {
      lookupRole.allow(i % 2 === 0 ? ALL_ACTIONS : ['ecr:DescribeImages', 'ecr:BatchGetImage'], repository(name(i)));
    }
    const { roles, inline, managed } = documents(stack);
    const size = (doc: any) => JSON.stringify(doc).length;

    test('THEN the inline policy is filled first, then managed policies in order, each attached to the role', () => {
      expect(managed.length).toBeGreaterThanOrEqual(2);
      expect(managed.map((p) => p.logicalId)).toEqual(managed.map((_, i) => expect.stringMatching(new RegExp(`^LookupRoleRepositories${i + 1}[0-9A-F]{8}$`))));
      expect(roles[0].Properties.ManagedPolicyArns).toEqual(managed.map((p) => ({ Ref: p.logicalId })));
      // The first repository is in the inline policy, the last in the last managed policy.
      expect(grants(inline[0].document)).toContain(`ecr:DescribeImages ${deployedArn(name(0))}`);
      expect(grants(managed[managed.length - 1].document)).toContain(`ecr:DescribeImages ${deployedArn(name(count - 1))}`);
    });

    test('THEN every action is granted on exactly the repositories that need it, each once across all documents', () => {
      const all = grants(inline[0].document, ...managed.map((p) => p.document)).filter((g) => g.startsWith('ecr:'));
      const expected = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? ALL_ACTIONS : ['ecr:DescribeImages', 'ecr:BatchGetImage'])
        .map((action) => `${action} ${deployedArn(name(i))}`)).flat();
      expect(all.sort()).toEqual(expected.sort());
    });

    test('THEN the log and DescribeStacks statements stay in the inline policy, never in an overflow policy', () => {
      const overflow = grants(...managed.map((p) => p.document));
      expect(overflow.filter((g) => !g.startsWith('ecr:'))).toEqual([]);
      expect(grants(inline[0].document).filter((g) => g.startsWith('logs:') || g.startsWith('cloudformation:'))).toHaveLength(3);
    });

    test('THEN at the longest partition, region and stack name, the inline policy fits IAM\'s 10,240 characters and each managed policy 6,144', () => {
      expect(size(inline[0].document)).toBeLessThanOrEqual(INLINE_LIMIT);
      for (const policy of managed) {
        expect(JSON.stringify(policy.document).length).toBeLessThanOrEqual(MANAGED_LIMIT);
      }
    });

    test('THEN the documents are packed: each full one has no room for another repository', () => {
      const oneMore = deployedArn(name(count)).length + 3;
      expect(size(inline[0].document) + oneMore).toBeGreaterThan(INLINE_LIMIT - 250);
      for (const policy of managed.slice(0, -1)) {
        expect(JSON.stringify(policy.document).length + oneMore).toBeGreaterThan(MANAGED_LIMIT - 250);
      }
    });
  });

  describe('GIVEN more managed policies than IAM allows a role by default', () => {
    /** How many 256-character repository names it takes to need `policies` managed policies. */
    function withRepositories(count: number) {
      const { stack, lookupRole, repository } = roleIn();
      for (let i = 0; i < count; i++) {
        lookupRole.allow(['ecr:DescribeImages'], repository(`${i}-`.padEnd(256, 'r')));
      }
      return { stack, lookupRole };
    }

    test('WHEN 11 are needed THEN a warning names the quota to raise, and synth goes on', () => {
      const { stack } = withRepositories(220);
      const { managed } = documents(stack);
      expect(managed.length).toBeGreaterThan(10);
      expect(managed.length).toBeLessThanOrEqual(20);
      Annotations.fromStack(stack).hasWarning('/Lookups/LookupRole', Match.stringLikeRegexp('more than 10 managed policies on one role.*"Managed policies per role" IAM quota \\(up to 20\\)'));
    });

    test('WHEN more than 20 would be needed THEN the error says how many repositories and to split the stack', () => {
      expect(() => withRepositories(420)).toThrow(/ImageDigestLookup: the lookups of stack Lookups name more repositories \(\d+\) than one role's IAM policies can list, even with 20 managed policies: split the lookups over several stacks\./);
    });

    test('WHEN 10 suffice THEN no warning', () => {
      const { stack } = withRepositories(150);
      expect(documents(stack).managed.length).toBeLessThanOrEqual(10);
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('GIVEN an existing role', () => {
    test('THEN the stack creates no role, and every grant, the log statement first, goes into managed policies attached to it', () => {
      const { stack, lookupRole, repository } = roleIn({ role: iam.Role.fromRoleName(new Stack(), 'Existing', 'platform-lookup') });
      lookupRole.addFixedStatement(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }));
      lookupRole.allow(['ecr:DescribeImages'], repository('api'));
      const { roles, managed } = documents(stack);

      expect(roles).toHaveLength(0);
      expect(managed).toHaveLength(1);
      expect(managed[0].roles).toEqual(['platform-lookup']);
      expect(managed[0].document.Statement.map((s: any) => s.Action)).toEqual([
        ['logs:CreateLogStream', 'logs:PutLogEvents'], 'cloudformation:DescribeStacks', 'ecr:DescribeImages',
      ]);
    });

    test('THEN the function can wait for every policy through grants', () => {
      const { stack, lookupRole, repository } = roleIn({ role: iam.Role.fromRoleName(new Stack(), 'Existing', 'platform-lookup') });
      for (let i = 0; i < 40; i++) {
        lookupRole.allow(['ecr:DescribeImages'], repository(`${i}-`.padEnd(256, 'r')));
      }
      const policies = Dependable.of(lookupRole.grants).dependencyRoots.map((root) => root.node.path);
      expect(policies.length).toBeGreaterThan(1);
      expect(policies).toEqual(documents(stack).managed.map((_, i) => `Lookups/LookupRole/Repositories${i + 1}`));
    });

    test('WHEN it was imported with mutable: false THEN synth fails naming the role and what to do', () => {
      const { app } = roleIn({ role: iam.Role.fromRoleName(new Stack(), 'Existing', 'platform-lookup', { mutable: false }) });
      expect(() => app.synth()).toThrow(/the lookup role Default\/Existing given to configureProvider does not accept policies \(imported with mutable: false\?\).*import the role as mutable/);
    });

    test('WHEN it was imported with mutable: false under customizeRoles THEN synth does not fail, as the report lists the grants', () => {
      const { app } = roleIn({
        role: iam.Role.fromRoleName(new Stack(), 'Existing', 'platform-lookup', { mutable: false }),
        customizeRoles: { preventSynthesis: false },
      });
      expect(() => app.synth()).not.toThrow();
    });
  });

  describe('GIVEN iam.Role.customizeRoles', () => {
    function reportedFor(app: App): ReportedRole {
      const report = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'iam-policy-report.json'), 'utf-8'));
      return report.roles.find((r: ReportedRole) => r.roleConstructPath === 'Lookups/LookupRole/Resource');
    }

    test('WHEN grants are added after the role was built THEN the report lists them with their final resources, each once', () => {
      const { app, lookupRole, repository, stack } = roleIn({ customizeRoles: { preventSynthesis: false } });
      lookupRole.allow(['ecr:DescribeImages'], repository('api'));
      lookupRole.allow(['ecr:DescribeImages'], repository('web'));
      lookupRole.addFixedStatement(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }));

      const role = reportedFor(app);

      const listings = role.identityPolicyStatements.flatMap((s) => [s.Action].flat().flatMap((a: string) => [s.Resource].flat().map((r: string) => `${a} ${r}`)));
      expect(listings.filter((l: string) => l.startsWith('ecr:')).sort()).toEqual([
        'ecr:DescribeImages arn:(PARTITION):ecr:(REGION):(ACCOUNT):repository/api',
        'ecr:DescribeImages arn:(PARTITION):ecr:(REGION):(ACCOUNT):repository/web',
      ]);
      expect(listings.filter((l: string) => l.startsWith('cloudformation:'))).toHaveLength(1);
      expect(listings.filter((l: string) => l.startsWith('logs:'))).toHaveLength(2);
    });

    test('WHEN synthesized twice THEN the statements are handed to the report once', () => {
      const { app, lookupRole, repository } = roleIn({ customizeRoles: { preventSynthesis: false } });
      lookupRole.allow(['ecr:DescribeImages'], repository('api'));
      app.synth();
      app.synth({ force: true });
      const role = reportedFor(app);
      expect(role.identityPolicyStatements.filter((s) => [s.Action].flat().includes('ecr:DescribeImages'))).toHaveLength(1);
    });

    test('WHEN not set THEN no statement is copied anywhere: the template holds only the inline policy', () => {
      const { stack, lookupRole, repository } = roleIn();
      lookupRole.allow(['ecr:DescribeImages'], repository('api'));
      const { template, inline } = documents(stack);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      expect(grants(inline[0].document).filter((g) => g.startsWith('ecr:'))).toEqual([`ecr:DescribeImages ${deployedArn('api')}`]);
    });
  });
});
