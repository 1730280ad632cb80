/**
 * The upper bounds that the lookup role lays its policies out by: each must
 * hold for every partition and region aws-cdk-lib knows, with room for the
 * ones AWS adds later, and must not be so loose that the layout wastes IAM's
 * budget.
 */
import { Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { evaluate, pseudoParameters } from '../../local/intrinsics';
import { maxJsonLength, maxResolvedLength, PARTITION_HEADROOM, PARTITION_MAX, REGION_HEADROOM, REGION_MAX } from '../../src/private/policy-size';

const ACCOUNT = '123456789012';
const REGIONS = RegionInfo.regions;
const UUID = '5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f';
/** The longest repository name ECR allows. */
const LONGEST_REPOSITORY_NAME = 'r'.repeat(256);
/** The longest stack name CloudFormation allows. */
const LONGEST_STACK_NAME = 's'.repeat(128);

/** The values CloudFormation gives the pseudo parameters of a stack in `region`, with the longest stack name. */
function deployedIn(region: RegionInfo) {
  const partition = region.partition ?? 'aws';
  const refs = {
    ...pseudoParameters(ACCOUNT, region.name, partition, region.domainSuffix ?? 'amazonaws.com'),
    'AWS::StackId': `arn:${partition}:cloudformation:${region.name}:${ACCOUNT}:stack/${LONGEST_STACK_NAME}/${UUID}`,
  };
  return { refs };
}

/** The ARN of a repository as an environment-agnostic stack writes it: pseudo parameters in a Fn::Join. */
function agnosticRepositoryArn(name: string): unknown {
  const stack = new Stack();
  return stack.resolve(ecr.Repository.fromRepositoryName(stack, 'Repository', name).repositoryArn);
}

describe('the longest names', () => {
  test('GIVEN every region aws-cdk-lib knows THEN REGION_MAX is its name plus the headroom, or more', () => {
    expect(REGIONS.length).toBeGreaterThan(20);
    for (const region of REGIONS) {
      expect(REGION_MAX).toBeGreaterThanOrEqual(region.name.length + REGION_HEADROOM);
    }
    expect(REGION_MAX).toBe(Math.max(15, ...REGIONS.map((r) => r.name.length)) + REGION_HEADROOM);
  });

  test('GIVEN every partition aws-cdk-lib knows THEN PARTITION_MAX is its name plus the headroom, or more', () => {
    for (const region of REGIONS) {
      expect(PARTITION_MAX).toBeGreaterThanOrEqual((region.partition ?? '').length + PARTITION_HEADROOM);
    }
    expect(PARTITION_MAX).toBe(Math.max(10, ...REGIONS.map((r) => (r.partition ?? '').length)) + PARTITION_HEADROOM);
  });

  test('GIVEN the headroom THEN it is room to grow, not zero', () => {
    expect(REGION_HEADROOM).toBeGreaterThan(0);
    expect(PARTITION_HEADROOM).toBeGreaterThan(0);
  });
});

describe('maxResolvedLength', () => {
  test('GIVEN a literal string THEN its own length', () => {
    expect(maxResolvedLength('arn:aws:ecr:eu-west-1:123456789012:repository/api')).toBe(49);
    expect(maxResolvedLength('')).toBe(0);
  });

  test.each([
    ['AWS::Region', REGION_MAX],
    ['AWS::Partition', PARTITION_MAX],
    ['AWS::AccountId', 12],
  ])('GIVEN Ref %s THEN the longest value it can take', (pseudo, expected) => {
    expect(maxResolvedLength({ Ref: pseudo })).toBe(expected);
  });

  test('GIVEN Ref AWS::URLSuffix THEN at least the longest domain suffix aws-cdk-lib knows, plus headroom', () => {
    for (const region of REGIONS) {
      expect(maxResolvedLength({ Ref: 'AWS::URLSuffix' })).toBeGreaterThanOrEqual((region.domainSuffix ?? '').length + REGION_HEADROOM);
    }
  });

  // The fixed parts of the two ARN bounds below count one colon more than
  // an ARN has: one character of slack, on the safe side.
  test('GIVEN Ref AWS::StackId THEN a stack ARN with the longest partition, region and stack name, within one character', () => {
    const longest = `arn:${'p'.repeat(PARTITION_MAX)}:cloudformation:${'r'.repeat(REGION_MAX)}:${ACCOUNT}:stack/${LONGEST_STACK_NAME}/${UUID}`;
    expect(maxResolvedLength({ Ref: 'AWS::StackId' }) - longest.length).toBeGreaterThanOrEqual(0);
    expect(maxResolvedLength({ Ref: 'AWS::StackId' }) - longest.length).toBeLessThanOrEqual(1);
  });

  test.each(REGIONS.map((region) => [region.name, region]))('GIVEN a stack deployed in %s THEN its StackId is within the bound', (_name, region) => {
    const stackId = evaluate({ Ref: 'AWS::StackId' }, deployedIn(region)) as string;
    expect(stackId.length).toBeLessThanOrEqual(maxResolvedLength({ Ref: 'AWS::StackId' }));
  });

  test('GIVEN a value known only at deploy time THEN the longest repository ARN, within one character', () => {
    const longestArn = `arn:${'p'.repeat(PARTITION_MAX)}:ecr:${'r'.repeat(REGION_MAX)}:${ACCOUNT}:repository/${LONGEST_REPOSITORY_NAME}`;
    for (const unknown of [{ 'Fn::GetAtt': ['Repo', 'Arn'] }, { 'Fn::ImportValue': 'shared-repository-arn' }, { Ref: 'RepositoryArnParameter' }, undefined]) {
      expect(maxResolvedLength(unknown) - longestArn.length).toBeGreaterThanOrEqual(0);
      expect(maxResolvedLength(unknown) - longestArn.length).toBeLessThanOrEqual(1);
    }
  });

  test('GIVEN Fn::Join THEN the sum of its parts\' bounds and of the separators between them', () => {
    expect(maxResolvedLength({ 'Fn::Join': [':', ['a', { Ref: 'AWS::Region' }, 'bc']] })).toBe(1 + REGION_MAX + 2 + 2);
    expect(maxResolvedLength({ 'Fn::Join': ['--', []] })).toBe(0);
  });

  test.each(REGIONS.map((region) => [region.name, region]))('GIVEN an environment-agnostic repository ARN deployed in %s THEN it is within the bound', (_name, region) => {
    const arn = agnosticRepositoryArn(LONGEST_REPOSITORY_NAME);
    expect((evaluate(arn, deployedIn(region)) as string).length).toBeLessThanOrEqual(maxResolvedLength(arn));
  });

  test('GIVEN an agnostic ARN THEN its bound is exactly the ARN in the longest partition and region sized for, not looser', () => {
    const arn = agnosticRepositoryArn('api');
    const longest = { refs: pseudoParameters(ACCOUNT, 'r'.repeat(REGION_MAX), 'p'.repeat(PARTITION_MAX)) };
    expect(maxResolvedLength(arn)).toBe((evaluate(arn, longest) as string).length);
  });
});

describe('maxJsonLength', () => {
  test.each([
    ['an empty object', {}],
    ['an empty list', []],
    ['a statement', { Effect: 'Allow', Action: ['ecr:DescribeImages', 'ecr:BatchGetImage'], Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/api' }],
    ['numbers and booleans', { Version: 1, Enabled: true, Nested: [{ A: false }, 12345] }],
  ])('GIVEN %s of literals THEN at least its JSON length, and at most one character more per element', (_kind, value) => {
    const json = JSON.stringify(value).length;
    const elements = JSON.stringify(value).split(/[,\]}]/).length;
    expect(maxJsonLength(value)).toBeGreaterThanOrEqual(json);
    expect(maxJsonLength(value)).toBeLessThanOrEqual(json + elements);
  });

  test.each(REGIONS.map((region) => [region.name, region]))('GIVEN a statement on agnostic ARNs and the stack id deployed in %s THEN its JSON is within the bound', (_name, region) => {
    const statement = {
      Effect: 'Allow',
      Action: ['ecr:DescribeImages', 'cloudformation:DescribeStacks'],
      Resource: [agnosticRepositoryArn(LONGEST_REPOSITORY_NAME), agnosticRepositoryArn('api'), { Ref: 'AWS::StackId' }],
    };
    expect(JSON.stringify(evaluate(statement, deployedIn(region))).length).toBeLessThanOrEqual(maxJsonLength(statement));
  });

  test('GIVEN an intrinsic THEN it is sized as the string it resolves to, quotes included, not as an object', () => {
    expect(maxJsonLength({ Ref: 'AWS::Region' })).toBe(REGION_MAX + 2);
    expect(maxJsonLength({ 'Fn::Join': ['', ['a', 'b']] })).toBe(4);
  });
});
