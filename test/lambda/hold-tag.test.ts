/**
 * The hold and released tags: within ECR's tag grammar, deterministic, and
 * different wherever two holds must not release each other.
 */
import { holderOf, holdTagOf, releasedTagOf } from '../../lambda/hold-tag';
import { checkTag } from '../../src/shared/rules';

const STACK = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/app/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f';
const OTHER_STACK = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/app/6c6f5cb1-0000-11ef-8000-0a1b2c3d4e5f';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const NEXT = `sha256:${'cd'.repeat(32)}`;
const holder = { stackId: STACK, logicalResourceId: 'ApiLookup1A2B3C4D' };

test('GIVEN a holder and a digest WHEN tagged THEN the tag is cdk-hold-<16 hex>-<12 hex of the digest>, a valid tag', () => {
  const tag = holdTagOf(holder, DIGEST);

  expect(tag).toMatch(/^cdk-hold-[0-9a-f]{16}-abababababab$/);
  expect(checkTag('hold tag', tag)).toBeUndefined();
  expect(tag).toHaveLength(38);
});

test('GIVEN the same holder and digest twice WHEN tagged THEN the same tag: a Delete finds what the Create put', () => {
  expect(holdTagOf({ ...holder }, DIGEST)).toBe(holdTagOf(holder, DIGEST));
});

test.each([
  ['another stack (or the same stack name, created again)', { ...holder, stackId: OTHER_STACK }, DIGEST],
  ['another lookup of the stack', { ...holder, logicalResourceId: 'WorkerLookup5E6F7A8B' }, DIGEST],
  ['the same lookup\'s replacement, with a new digest', holder, NEXT],
])('GIVEN %s WHEN tagged THEN the tag differs', (_name, other, digest) => {
  expect(holdTagOf(other, digest)).not.toBe(holdTagOf(holder, DIGEST));
});

test('GIVEN a stack id and logical id that only differ in where they split WHEN tagged THEN the tags differ', () => {
  expect(holdTagOf({ stackId: 'ab', logicalResourceId: 'c' }, DIGEST)).not.toBe(holdTagOf({ stackId: 'a', logicalResourceId: 'bc' }, DIGEST));
});

test('GIVEN a digest WHEN released THEN the tag is cdk-released-<12 hex>, the same for every holder', () => {
  expect(releasedTagOf(DIGEST)).toBe('cdk-released-abababababab');
  expect(checkTag('released tag', releasedTagOf(DIGEST))).toBeUndefined();
});

test('GIVEN a CloudFormation request WHEN its holder is read THEN it is the stack id and logical id', () => {
  expect(holderOf({ StackId: STACK, LogicalResourceId: 'Api' })).toEqual({ stackId: STACK, logicalResourceId: 'Api' });
});
