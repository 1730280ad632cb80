/**
 * Bad input at synth: literal values break no naming rule silently. Extends
 * the synth tables in image-digest-lookup.test.ts with the cases they lack.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageDigestLookup } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function construct(repository: (stack: Stack) => ecr.IRepository, tag?: string): () => void {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  return () => new ImageDigestLookup(stack, 'Lookup', { repository: repository(stack), tag });
}

const named = (name: string) => (stack: Stack) => ecr.Repository.fromRepositoryName(stack, 'Repo', name);
const byArn = (arn: string) => (stack: Stack) => ecr.Repository.fromRepositoryArn(stack, 'Repo', arn);

test.each([
  ['a repository:tag reference', 'api:v1', 'tag "api:v1" is not a valid image tag: a tag is 1 to 128 characters of letters, digits, \'_\', \'.\' and \'-\''],
  ['a colon', 'v1:2', 'tag "v1:2" is not a valid image tag'],
  ['a tab', 'v1\t2', 'tag "v1\\t2" is not a valid image tag'],
  ['non-ASCII letters', 'grün', 'tag "grün" is not a valid image tag'],
  ['a digest with @', `@sha256:${'a'.repeat(64)}`, `tag "@sha256:${'a'.repeat(64)}" is a digest, not a tag`],
])('GIVEN a tag with %s WHEN constructed THEN it throws naming the tag and the rule', (_case, tag, message) => {
  expect(construct(named('api'), tag)).toThrow(message);
});

test.each([
  ['empty', '', 'repository name "" is not a valid ECR repository name: it must be 2 to 256 lower-case letters'],
  ['257 characters', `a${'b'.repeat(256)}`, 'is not a valid ECR repository name'],
  ['a space', 'my api', 'repository name "my api" is not a valid ECR repository name'],
  ['a colon', 'api:v1', 'repository name "api:v1" is not a valid ECR repository name'],
])('GIVEN a repository name that is %s WHEN constructed THEN it throws naming it and ECR\'s rule', (_case, name, message) => {
  expect(construct(named(name))).toThrow(message);
});

test.each([
  ['11 digits', 'arn:aws:ecr:us-west-2:12345678901:repository/api', 'repository account "12345678901" is not a valid ECR registry id: it must be the 12-digit AWS account id'],
  ['13 digits', 'arn:aws:ecr:us-west-2:1234567890123:repository/api', 'repository account "1234567890123" is not a valid ECR registry id'],
  ['a letter', 'arn:aws:ecr:us-west-2:12345678901a:repository/api', 'repository account "12345678901a" is not a valid ECR registry id'],
])('GIVEN a repository ARN whose account has %s WHEN constructed THEN it throws naming the account and the rule', (_case, arn, message) => {
  expect(construct(byArn(arn))).toThrow(message);
});

test('GIVEN a cross-region repository ARN without a region WHEN constructed THEN it throws saying the ARN must name the region', () => {
  expect(construct(byArn('arn:aws:ecr::222222222222:repository/api'))).toThrow(
    'repository region "" is not a valid AWS region: expected a name such as \'us-east-1\' (a repository imported by ARN is looked up in the ARN\'s region, so the ARN must name one).');
});

test('GIVEN a repository ARN with a malformed region WHEN constructed THEN it throws naming the region', () => {
  expect(construct(byArn('arn:aws:ecr:EU_WEST:222222222222:repository/api'))).toThrow('repository region "EU_WEST" is not a valid AWS region');
});
