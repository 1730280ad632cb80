/**
 * HeldImages.protect: the rules it writes into a repository's lifecycle
 * policy, judged by the same code the handler uses at deploy time.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { holdTagOf, releasedTagOf } from '../lambda/hold-tag';
import { lifecycleRisks } from '../lambda/lifecycle-risk';
import { HeldImages } from '../src';

const HOLD = 'cdk-hold-0123456789abcdef-0123456789ab';

function policyOf(configure: (repository: ecr.Repository) => void): string {
  const stack = new Stack(new App(), 'Images');
  const repository = new ecr.Repository(stack, 'Repo');
  configure(repository);
  const [resource] = Object.values<any>(Template.fromStack(stack).findResources('AWS::ECR::Repository'));
  return resource.Properties.LifecyclePolicy.LifecyclePolicyText;
}

test('GIVEN a repository WHEN protected THEN its policy keeps held images first and expires released ones after 14 days', () => {
  const rules = JSON.parse(policyOf((repository) => HeldImages.protect(repository))).rules;

  expect(rules).toEqual([
    expect.objectContaining({ rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['cdk-hold-'], countType: 'imageCountMoreThan', countNumber: 9999 }, action: { type: 'expire' } }),
    expect.objectContaining({ rulePriority: 2, selection: { tagStatus: 'tagged', tagPrefixList: ['cdk-released-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 } }),
  ]);
});

test.each([
  ['a count of any image', { maxImageCount: 5 }],
  ['an age of any image', { maxImageAge: Duration.days(30) }],
  ['a count of images tagged main', { tagPrefixList: ['main'], maxImageCount: 3 }],
  ['untagged expiry', { tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1) }],
] as Array<[string, ecr.LifecycleRule]>)('GIVEN the user\'s rule of %s WHEN protected THEN the deploy-time check finds no risk for a held image that also carries main', (_name, rule) => {
  const policy = policyOf((repository) => {
    repository.addLifecycleRule(rule);
    HeldImages.protect(repository);
  });

  expect(lifecycleRisks(policy, ['main', HOLD])).toEqual([]);
});

test('GIVEN the user\'s count of any image without the protection WHEN checked THEN it is a risk, so the test above can fail', () => {
  const policy = policyOf((repository) => repository.addLifecycleRule({ maxImageCount: 5 }));

  expect(lifecycleRisks(policy, ['main', HOLD])).toHaveLength(1);
});

test('GIVEN rulePriority and releasedImageAge WHEN protected THEN the rules take that priority and the next, and that age', () => {
  const rules = JSON.parse(policyOf((repository) => HeldImages.protect(repository, { rulePriority: 10, releasedImageAge: Duration.days(3) }))).rules;

  expect(rules.map((r: any) => [r.rulePriority, r.selection.countNumber])).toEqual([[10, 9999], [11, 3]]);
});

test('GIVEN the prefixes WHEN read from the class THEN they are the ones the handler writes', () => {
  expect([HeldImages.HOLD_TAG_PREFIX, HeldImages.RELEASED_TAG_PREFIX]).toEqual(['cdk-hold-', 'cdk-released-']);
  expect(holdTagOf({ stackId: 'stack', logicalResourceId: 'Api' }, `sha256:${'a'.repeat(64)}`).startsWith(HeldImages.HOLD_TAG_PREFIX)).toBe(true);
  expect(releasedTagOf(`sha256:${'a'.repeat(64)}`).startsWith(HeldImages.RELEASED_TAG_PREFIX)).toBe(true);
});
