/**
 * Refresh.whenDigestChanges() at deploy time: a template synthesized with
 * the plugin's answer, deployed with the shipped handler against moto, when
 * the tag stayed and when it moved between synth and deploy.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { createEvent, updateEvent } from '../../local/events';
import { MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { invokeShippedHandler } from '../../local/shipped-handler';
import { deployLookups, DeployedLookup } from '../../local/template-deployment';
import { ImageDigestLookup, MovedImage, Refresh } from '../../src';
import { FAILURE_BEHAVIOUR, reasonPattern } from '../faults/failure-behaviour';
import { useLocalDeployment } from '../support/local-deployment';
import { answeredContext, withPluginLoaded } from '../support/synth-context';

const local = useLocalDeployment();
const PSEUDO = { 'AWS::AccountId': MOTO_ACCOUNT, 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

/** The app's template when the plugin resolved `main` to `synthDigest`. */
function synthesize(repositoryName: string, synthDigest: string, refresh: Refresh): any {
  const build = (app: App) => {
    const stack = new Stack(app, 'Service', { env: { account: MOTO_ACCOUNT, region: REGION } });
    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', repositoryName), tag: 'main', refresh });
    return stack;
  };
  const context = answeredContext(build, () => `${repositoryName}:main@${synthDigest}`);
  return Template.fromStack(withPluginLoaded(() => build(new App({ context })))).toJSON();
}

/** Deploys the template's lookups with the shipped handler; the logs of each invocation are kept. */
async function deploy(template: any): Promise<{ lookup: DeployedLookup; logs: string }> {
  let logs = '';
  const [lookup] = await deployLookups(template, { refs: PSEUDO }, async (logicalId, properties) => {
    local.cloudFormation.clear();
    const event = { ...createEvent(local.cloudFormation.url(), properties), LogicalResourceId: logicalId };
    const invocation = await invokeShippedHandler(event, { env: motoEnvironment() });
    logs += invocation.logs;
    return local.cloudFormation.received[0].body;
  });
  return { lookup, logs };
}

test('GIVEN the tag has not moved since synth WHEN deployed THEN the lookup succeeds with the synth-time digest', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const digest = await local.ecr.push(repo, 'main');

  const { lookup } = await deploy(synthesize(repo, digest, Refresh.whenDigestChanges()));

  expect(lookup.status).toBe('SUCCESS');
  expect(lookup.data.Digest).toBe(digest);
});

test('GIVEN the tag moved between synth and deploy WHEN deployed with the default THEN it fails naming the tag and both digests', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const synthDigest = await local.ecr.push(repo, 'main');
  const template = synthesize(repo, synthDigest, Refresh.whenDigestChanges());
  const deployDigest = await local.ecr.push(repo, 'main');

  const { lookup } = await deploy(template);

  expect(deployDigest).not.toBe(synthDigest);
  expect(lookup.status).toBe(FAILURE_BEHAVIOUR.movedImageFail.status);
  expect(lookup.reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.movedImageFail));
  expect(lookup.reason).toContain(`The image moved between synth and deploy: tag "main" in repository "${repo}" (registry ${MOTO_ACCOUNT}, region ${REGION}) was ${synthDigest} at synth (ExpectedImage ${repo}:main@${synthDigest}) and is ${deployDigest} now.`);
  expect(lookup.reason).toContain('MovedImage.FOLLOW');
});

test('GIVEN the tag moved between synth and deploy WHEN deployed with MovedImage.FOLLOW THEN it succeeds with the current digest and the log says so', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const synthDigest = await local.ecr.push(repo, 'main');
  const template = synthesize(repo, synthDigest, Refresh.whenDigestChanges({ onMovedImage: MovedImage.FOLLOW }));
  const deployDigest = await local.ecr.push(repo, 'main');

  const { lookup, logs } = await deploy(template);

  expect(lookup.status).toBe(FAILURE_BEHAVIOUR.movedImageFollow.status);
  expect(lookup.data.Digest).toBe(deployDigest);
  expect(logs).toContain(`was ${synthDigest} at synth`);
  expect(logs).toContain(`deploying ${deployDigest} (onMovedImage: MovedImage.FOLLOW)`);
});

test('GIVEN a forward Update whose image moved since synth WHEN the handler runs THEN it fails as a Create does and keeps the physical id', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const first = await local.ecr.push(repo, 'main');
  const second = await local.ecr.push(repo, 'main');
  const props = (digest: string) => ({ RepositoryName: repo, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: 'main', ExpectedImage: `${repo}:main@${digest}`, OnMovedImage: 'fail' });
  const physicalId = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repo}@${first}`;
  // The template reviewed at synth expected an image that is no longer tagged main.
  const staleSynth = `sha256:${'e'.repeat(64)}`;

  const event = updateEvent(local.cloudFormation.url(), physicalId, props(staleSynth), props(first));
  const invocation = await invokeShippedHandler(event, { env: motoEnvironment() });

  expect(invocation.exitCode).toBe(0);
  const answer = local.cloudFormation.received[0].body;
  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toContain(`was ${staleSynth} at synth`);
  expect(answer.Reason).toContain(`is ${second} now`);
  expect(answer.PhysicalResourceId).toBe(physicalId);
});
