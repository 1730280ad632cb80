/**
 * IAM and CloudFormation limits at the largest stacks: every policy's size is
 * computed from the synthesized template, with each ARN resolved as it would
 * be once deployed: in eu-west-1, and in each partition's longest region.
 */
import { App, Environment, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { ImageDigestLookup } from '../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const ROLE_INLINE_LIMIT = 10_240;
const MANAGED_POLICY_LIMIT = 6_144;
const MANAGED_POLICIES_PER_ROLE = 10;
const STACK_RESOURCE_LIMIT = 500;

/** The values of a stack's pseudo parameters where it is deployed. */
interface Deployment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly urlSuffix: string;
}

const EU_WEST_1: Deployment = { partition: 'aws', region: ENV.region, account: ENV.account, urlSuffix: 'amazonaws.com' };

/** Resolves the intrinsics these templates use into the values CloudFormation would give them. */
function deployed(value: any, template: any, where: Deployment = EU_WEST_1): any {
  if (Array.isArray(value)) {
    return value.map((v) => deployed(v, template, where));
  }
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) {
      return deployed(value['Fn::Join'][1], template, where).join(value['Fn::Join'][0]);
    }
    if ('Ref' in value) {
      const pseudo: Record<string, string> = {
        'AWS::Partition': where.partition,
        'AWS::Region': where.region,
        'AWS::AccountId': where.account,
        'AWS::URLSuffix': where.urlSuffix,
        // The longest a stack's ARN can be: a 128-character stack name.
        'AWS::StackId': `arn:${where.partition}:cloudformation:${where.region}:${where.account}:stack/${'s'.repeat(128)}/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f`,
      };
      if (pseudo[value.Ref]) {
        return pseudo[value.Ref];
      }
      throw new Error(`unexpected Ref ${value.Ref}`);
    }
    if ('Fn::GetAtt' in value) {
      const [id] = value['Fn::GetAtt'];
      expect(template.Resources[id].Type).toBe('AWS::Logs::LogGroup');
      // CloudFormation names the group after the stack (up to 128 characters) and the logical id.
      return `arn:${where.partition}:logs:${where.region}:${where.account}:log-group:${'x'.repeat(200)}:*`;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployed(v, template, where)]));
  }
  return value;
}

/** IAM counts policy characters without whitespace. */
const iamSize = (document: unknown) => JSON.stringify(document).length;

function synthLookups(count: number, repositoryName: (i: number) => string, context: Record<string, unknown> = {}) {
  const stack = new Stack(new App({ context }), 'Stack', { env: ENV });
  for (let i = 0; i < count; i++) {
    const repository = ecr.Repository.fromRepositoryName(stack, `Repo${i}`, repositoryName(i));
    new ImageDigestLookup(stack, `Lookup${i}`, { repository, tag: 'main' });
  }
  return Template.fromStack(stack).toJSON();
}

function describeImagesArns(document: any, template: any): string[] {
  return deployed(document, template).Statement
    .filter((s: any) => [s.Action].flat().includes('ecr:DescribeImages'))
    .flatMap((s: any) => [s.Resource].flat());
}

describe.each([
  ['short names', (i: number) => `service-${i}`],
  ['typical names', (i: number) => `platform-team/payments-service-${i}`],
  ['64-character names', (i: number) => `team-${String(i).padStart(3, '0')}/${'service-'.repeat(7)}x`],
])('500 lookups over 500 distinct repositories with %s', (_, repositoryName) => {
  // CloudFormation refuses more than 500 resources, so the IAM layout is
  // checked here with aws-cdk-lib's resource count check raised.
  const template = synthLookups(500, repositoryName, { '@aws-cdk/core:stackResourceLimit': 1000 });
  const resources = Object.values<any>(template.Resources);
  const role = resources.find((r) => r.Type === 'AWS::IAM::Role');
  const inline = (role.Properties.Policies ?? []).map((p: any) => p.PolicyDocument);
  const managedIds = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::IAM::ManagedPolicy');
  const managed = managedIds.map((id) => template.Resources[id].Properties.PolicyDocument);

  test('THEN there is one role, and no separate inline policy resource', () => {
    expect(resources.filter((r) => r.Type === 'AWS::IAM::Role')).toHaveLength(1);
    expect(resources.filter((r) => r.Type === 'AWS::IAM::Policy')).toHaveLength(0);
  });

  test('THEN the role\'s inline policies stay within 10,240 characters', () => {
    const total = inline.reduce((sum: number, d: any) => sum + iamSize(deployed(d, template)), 0);
    expect(total).toBeLessThanOrEqual(ROLE_INLINE_LIMIT);
  });

  test('THEN each managed policy stays within 6,144 characters, and the role has at most 10, all attached', () => {
    for (const document of managed) {
      expect(iamSize(deployed(document, template))).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    }
    expect(managed.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
    expect(role.Properties.ManagedPolicyArns ?? []).toEqual(managedIds.map((id) => ({ Ref: id })));
  });

  test('THEN every repository ARN is granted exactly once, and nothing else', () => {
    const arns = [...inline, ...managed].flatMap((d) => describeImagesArns(d, template));
    const expected = Array.from({ length: 500 }, (_unused, i) => `arn:aws:ecr:${ENV.region}:${ENV.account}:repository/${repositoryName(i)}`);
    expect(arns.sort()).toEqual(expected.sort());
  });

  test('THEN no lookup needs a DependsOn: the function references the role, which holds or references every grant', () => {
    const lookups = resources.filter((r) => r.Type === 'Custom::ImageDigestLookup');
    expect(lookups.filter((l) => l.DependsOn !== undefined)).toEqual([]);
  });
});

describe('the largest stack CloudFormation accepts', () => {
  test.each([
    ['one repository', () => 'api'],
    ['490 distinct repositories with typical names', (i: number) => `platform-team/payments-service-${i}`],
  ])('GIVEN 490 lookups of %s WHEN synthesized THEN the stack has at most 500 resources', (_, repositoryName) => {
    const template = synthLookups(490, repositoryName);

    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
  });

  test('GIVEN an environment-agnostic stack with 489 lookups of distinct repositories WHEN synthesized THEN it has at most 500 resources', () => {
    const stack = new Stack(new App(), 'Agnostic');
    for (let i = 0; i < 489; i++) {
      const repository = ecr.Repository.fromRepositoryName(stack, `Repo${i}`, `platform-team/payments-service-${i}`);
      new ImageDigestLookup(stack, `Lookup${i}`, { repository });
    }
    const template = Template.fromStack(stack).toJSON();

    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
  });
});

describe('490 lookups over 490 distinct repositories, each with a platform and a scan gate', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const repositoryName = (i: number) => `platform-team/payments-service-${i}`;
  for (let i = 0; i < 490; i++) {
    const repository = ecr.Repository.fromRepositoryName(stack, `Repo${i}`, repositoryName(i));
    new ImageDigestLookup(stack, `Lookup${i}`, { repository, platform: 'linux/arm64', requireScan: {} });
  }
  const template = Template.fromStack(stack).toJSON();
  const role = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::IAM::Role');
  const inline = (role.Properties.Policies ?? []).map((p: any) => deployed(p.PolicyDocument, template));
  const managed = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').map((r) => deployed(r.Properties.PolicyDocument, template));

  test('THEN the inline policy and each managed policy stay within IAM\'s limits, with at most 10 managed policies', () => {
    expect(inline.reduce((sum: number, d: any) => sum + iamSize(d), 0)).toBeLessThanOrEqual(ROLE_INLINE_LIMIT);
    for (const document of managed) {
      expect(iamSize(document)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    }
    expect(managed.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
  });

  test.each(['ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:DescribeImageScanFindings'])('THEN %s is granted on every repository exactly once', (action) => {
    const arns = [...inline, ...managed].flatMap((d: any) => d.Statement)
      .filter((s: any) => [s.Action].flat().includes(action))
      .flatMap((s: any) => [s.Resource].flat());
    const expected = Array.from({ length: 490 }, (_unused, i) => `arn:aws:ecr:${ENV.region}:${ENV.account}:repository/${repositoryName(i)}`);
    expect(arns.sort()).toEqual(expected.sort());
  });

  test('THEN each repository ARN is listed once, in a statement with all three actions', () => {
    const statements = [...inline, ...managed].flatMap((d: any) => d.Statement).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('ecr:')));
    expect(statements.flatMap((s: any) => [s.Resource].flat())).toHaveLength(490);
    for (const statement of statements) {
      expect([statement.Action].flat().sort()).toEqual(['ecr:BatchGetImage', 'ecr:DescribeImageScanFindings', 'ecr:DescribeImages']);
    }
  });

  test('THEN the stack stays within CloudFormation\'s 500 resources', () => {
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
  });
});

/**
 * The sizing assumption, stated here independently of the code: partitions
 * and regions that AWS adds later have names at most 2 (partition) and 5
 * (region) characters longer than the longest that aws-cdk-lib knows today.
 */
const ASSUMED_PARTITION_LENGTH = 12;
const ASSUMED_REGION_LENGTH = 20;

/** Each partition aws-cdk-lib knows, deployed in its region with the longest name. */
const LONGEST_REGIONS: Deployment[] = Object.values(RegionInfo.regions.reduce<Record<string, Deployment>>((acc, info) => {
  const partition = info.partition ?? 'aws';
  const current = acc[partition];
  if (current === undefined || info.name.length > current.region.length) {
    acc[partition] = { partition, region: info.name, account: ENV.account, urlSuffix: info.domainSuffix ?? 'amazonaws.com' };
  }
  return acc;
}, {}));

function platformAndScanLookups(env?: Environment, count = 490, existingRole = false) {
  const stack = new Stack(new App(), 'Stack', { env });
  if (existingRole) {
    ImageDigestLookup.configureProvider(stack, { role: iam.Role.fromRoleName(stack, 'Existing', 'image-digest-lookup') });
  }
  for (let i = 0; i < count; i++) {
    const repository = ecr.Repository.fromRepositoryName(stack, `Repo${i}`, `platform-team/payments-service-${i}`);
    new ImageDigestLookup(stack, `Lookup${i}`, { repository, platform: 'linux/arm64', requireScan: {} });
  }
  return Template.fromStack(stack).toJSON();
}

/** Each policy document of the template as IAM would count it once deployed `where`. */
function policySizes(template: any, where: Deployment): { inline: number; managed: number[] } {
  const resources = Object.values<any>(template.Resources);
  const role = resources.find((r) => r.Type === 'AWS::IAM::Role');
  const inline = (role?.Properties.Policies ?? []).reduce((sum: number, p: any) => sum + iamSize(deployed(p.PolicyDocument, template, where)), 0);
  const managed = resources.filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').map((r) => iamSize(deployed(r.Properties.PolicyDocument, template, where)));
  return { inline, managed };
}

describe('489 to 490 lookups of distinct repositories with a platform and a scan gate, in every partition', () => {
  test('GIVEN aws-cdk-lib\'s partitions and regions THEN the assumed names are longer than all of them, with headroom', () => {
    expect(LONGEST_REGIONS.length).toBeGreaterThanOrEqual(8);
    for (const { partition, region } of LONGEST_REGIONS) {
      expect(partition.length + 2).toBeLessThanOrEqual(ASSUMED_PARTITION_LENGTH);
      expect(region.length + 5).toBeLessThanOrEqual(ASSUMED_REGION_LENGTH);
    }
  });

  // The rollback grant (DescribeStacks on the stack, whose ARN is unknown at
  // synth) leaves room for one lookup less where nothing is known at synth.
  const agnostic = platformAndScanLookups(undefined, 489);
  const future: Deployment = { partition: 'p'.repeat(ASSUMED_PARTITION_LENGTH), region: 'r'.repeat(ASSUMED_REGION_LENGTH), account: ENV.account, urlSuffix: 'amazonaws.com' };
  const cases: [string, () => any, Deployment][] = [
    ...LONGEST_REGIONS.map((where): [string, () => any, Deployment] => [`an environment-agnostic stack deployed in ${where.region} (${where.partition})`, () => agnostic, where]),
    ['an environment-agnostic stack deployed in a future partition and region with the longest names assumed', () => agnostic, future],
    ...LONGEST_REGIONS.map((where): [string, () => any, Deployment] => [`a stack for ${where.region} (${where.partition})`, () => platformAndScanLookups({ account: ENV.account, region: where.region }), where]),
    ['a stack for eu-west-1 deployed in a future partition with the longest name assumed', () => platformAndScanLookups(ENV), { ...future, region: ENV.region }],
    // An existing role gets every grant in managed policies, which leaves room for one lookup less.
    ['an environment-agnostic stack of 488 lookups with an existing role, deployed in a future partition and region', () => platformAndScanLookups(undefined, 488, true), future],
  ];

  test.each(cases)('GIVEN %s THEN the inline policy and each managed policy stay within IAM\'s limits, and the stack within 500 resources', (_case, synth, where) => {
    const template = synth();
    const { inline, managed } = policySizes(template, where);

    expect(inline).toBeLessThanOrEqual(ROLE_INLINE_LIMIT);
    for (const size of managed) {
      expect(size).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    }
    expect(managed.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
  });
});
