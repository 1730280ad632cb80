/**
 * Every template the construct synthesizes passes cfn-lint (installed by the
 * ensure-python-tools task) with no errors.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ExampleStack } from '../examples/app';
import { ImageDigestLookup, ImageSelector, PublishedValue, Refresh } from '../src';

interface Finding {
  readonly Level: string;
  readonly Rule: { readonly Id: string };
  readonly Message: string;
}

function lint(stack: Stack): Finding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  const file = path.join(dir, 'template.json');
  fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
  try {
    execFileSync('cfn-lint', ['--format', 'json', file], { encoding: 'utf8' });
    return [];
  } catch (error) {
    // cfn-lint exits non-zero whenever it has findings, warnings included.
    return JSON.parse((error as { stdout: string }).stdout) as Finding[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const errorsOf = (findings: Finding[]) => findings.filter((f) => f.Level === 'Error').map((f) => `${f.Rule.Id} ${f.Message}`);

const ENV = { account: '111111111111', region: 'eu-west-1' };

test('GIVEN the example app WHEN linted THEN cfn-lint reports no errors', () => {
  const stack = new ExampleStack(new App(), 'Example', { env: ENV });

  expect(errorsOf(lint(stack))).toEqual([]);
});

test('GIVEN every refresh mode and a cross-account repository WHEN linted THEN cfn-lint reports no errors', () => {
  const stack = new Stack(new App(), 'Modes', { env: ENV });
  const local = new ecr.Repository(stack, 'Local');
  const shared = ecr.Repository.fromRepositoryArn(stack, 'Shared', 'arn:aws:ecr:us-west-2:222222222222:repository/platform/base');
  new ImageDigestLookup(stack, 'Default', { repository: local });
  new ImageDigestLookup(stack, 'OnChange', { repository: shared, tag: 'v1', refresh: Refresh.onPropertyChange() });
  new ImageDigestLookup(stack, 'Build', { repository: shared, tag: 'v2', refresh: Refresh.whenChanged('build-7') });

  expect(errorsOf(lint(stack))).toEqual([]);
});

test('GIVEN every selection mode, a platform, a wait, a scan gate and publishing WHEN linted THEN cfn-lint reports no errors', () => {
  const stack = new Stack(new App(), 'Modes', { env: ENV });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
  const gated = new ImageDigestLookup(stack, 'Gated', {
    repository,
    tag: 'main',
    platform: 'linux/amd64',
    waitFor: Duration.minutes(5),
    requireScan: { maxCritical: 0, maxHigh: 3, waitForScan: Duration.minutes(2) },
  });
  new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', { image: gated.containerImage() });
  const newest = new ImageDigestLookup(stack, 'Newest', { repository, image: ImageSelector.newest({ tagPattern: 'release-*' }) });
  new lambda.DockerImageFunction(stack, 'Fn', {
    architecture: lambda.Architecture.ARM_64,
    code: newest.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }),
  });
  const pinned = new ImageDigestLookup(stack, 'Pinned', { repository, image: ImageSelector.digest(`sha256:${'a'.repeat(64)}`) });
  pinned.publish({ parameterName: '/services/api/image', exportName: 'ApiImage' });
  gated.publish({ value: PublishedValue.DIGEST });

  expect(errorsOf(lint(stack))).toEqual([]);
});

test('GIVEN an environment-agnostic stack with 489 lookups of distinct repositories WHEN linted THEN cfn-lint reports no errors', () => {
  const stack = new Stack(new App(), 'Large');
  for (let i = 0; i < 489; i++) {
    new ImageDigestLookup(stack, `Lookup${i}`, { repository: ecr.Repository.fromRepositoryName(stack, `Repo${i}`, `platform-team/payments-service-${i}`) });
  }

  expect(errorsOf(lint(stack))).toEqual([]);
});
