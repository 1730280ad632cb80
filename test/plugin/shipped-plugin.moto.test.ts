/**
 * The plugin as the package ships it (the bundle behind plugin.js), loaded as
 * the CDK CLI loads it and asked the queries a real app reports, against moto.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { ImageDigestLookup, ImageSelector, ImageDigestLookupProps, Refresh } from '../../src';
import { PLUGIN_LOADED_ENV } from '../../src/shared/synth-query';
import { useLocalDeployment } from '../support/local-deployment';
import { ContextProviderPlugin, loadShippedPlugin, missingQueries, MissingQuery } from '../support/synth-context';

const local = useLocalDeployment();

/** Loads the shipped plugin as the CLI does (require, version check, init). */
function loadPlugin(): ContextProviderPlugin {
  const plugin = loadShippedPlugin();
  expect(plugin.version).toBe('1');
  expect(Object.keys(plugin.providers)).toEqual(['cdk-image-digest-lookup']);
  return plugin.providers['cdk-image-digest-lookup'];
}

function query(repositoryName: string, props: Omit<ImageDigestLookupProps, 'repository'>, context = {}): MissingQuery {
  const [only] = missingQueries((app: App) => {
    const stack = new Stack(app, 'Service', { env: { account: MOTO_ACCOUNT, region: REGION } });
    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', repositoryName), refresh: Refresh.whenDigestChanges(), ...props });
  }, context);
  return only;
}

const saved = { ...process.env };
beforeEach(() => {
  Object.assign(process.env, motoEnvironment());
  delete process.env[PLUGIN_LOADED_ENV];
});
afterEach(() => {
  for (const key of Object.keys(process.env)) {
    if (!(key in saved)) delete process.env[key];
  }
  Object.assign(process.env, saved);
});

test('GIVEN the CLI loads the plugin THEN it registers its provider and marks the app environment', () => {
  loadPlugin();
  expect(process.env[PLUGIN_LOADED_ENV]).toBe('1');
});

test('GIVEN a tag WHEN the app queries THEN the answer is the tag\'s reference, marked transient so cdk.context.json never keeps it', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const digest = await local.ecr.push(repo, 'main');

  const answer = await loadPlugin().getValue(query(repo, { tag: 'main' }).props);

  expect(answer).toEqual({ ExpectedImage: `${repo}:main@${digest}`, $dontSaveContext: true });
});

test('GIVEN the pin context WHEN the app queries THEN the answer is kept in cdk.context.json', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const digest = await local.ecr.push(repo, 'main');

  const answer = await loadPlugin().getValue(query(repo, { tag: 'main' }, { 'cdk-image-digest-lookup:pinDigests': true }).props);

  expect(answer).toEqual({ ExpectedImage: `${repo}:main@${digest}` });
});

test('GIVEN ImageSelector.newest WHEN the app queries THEN the reference names the tag that selected the image, as the handler would', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  await local.ecr.push(repo, 'v1');
  await new Promise((resolve) => setTimeout(resolve, 1100)); // moto's push times are whole seconds
  const newest = await local.ecr.push(repo, 'v2');

  const answer = await loadPlugin().getValue(query(repo, { image: ImageSelector.newest({ tagPattern: 'v*' }) }).props);

  expect(answer.ExpectedImage).toBe(`${repo}:v2@${newest}`);
});

test('GIVEN a missing tag WHEN the app queries THEN the plugin answers unresolved for this lookup with the handler\'s message (the deployment judges, as waitFor may be waiting for the push)', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);

  const value = await loadPlugin().getValue(query(repo, { tag: 'gone' }).props) as { Unresolved?: string; PerLookup?: boolean };
  expect(value.PerLookup).toBe(true);
  expect(value.Unresolved).toContain(`Tag "gone" was not found in repository "${repo}" (registry ${MOTO_ACCOUNT}, region ${REGION})`);
});

test('GIVEN no credentials anywhere WHEN the app queries THEN the plugin answers why, naming the account and region and what to do, without failing', async () => {
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[name];
  Object.assign(process.env, { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' });

  const answer = await loadPlugin().getValue(query('api', { tag: 'main' }).props);

  expect(answer).toEqual({
    Unresolved: expect.stringMatching(new RegExp(`^No AWS credentials to read tag "main" in repository "api" \\(registry ${MOTO_ACCOUNT}, region ${REGION}\\) at synth .*Run the CLI with credentials`)),
    $dontSaveContext: true,
  });
});
