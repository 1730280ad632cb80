/**
 * Synth and deploy select alike: the shipped plugin answers the app's query,
 * the app is synthesized with that answer, and the shipped handler deploys
 * the template against the same moto. A lookup whose image did not move must
 * succeed with the digest the diff showed, whatever selects the image.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { LocalEcr, MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { pushIndex } from '../../local/multi-arch';
import { deployLookups, viaShippedHandler } from '../../local/template-deployment';
import { ImageDigestLookup, ImageDigestLookupProps, ImageSelector, Refresh } from '../../src';
import { PLUGIN_LOADED_ENV } from '../../src/shared/synth-query';
import { useLocalDeployment } from '../support/local-deployment';
import { pluginContext, withPluginLoaded } from '../support/synth-context';

const local = useLocalDeployment();
const PSEUDO = { 'AWS::AccountId': MOTO_ACCOUNT, 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

const saved = { ...process.env };
beforeEach(() => Object.assign(process.env, motoEnvironment()));
afterEach(() => {
  for (const key of Object.keys(process.env)) {
    if (!(key in saved)) delete process.env[key];
  }
  Object.assign(process.env, saved);
  delete process.env[PLUGIN_LOADED_ENV];
});

type Setup = (ecrClient: LocalEcr, repositoryName: string) => Promise<{ props: Omit<ImageDigestLookupProps, 'repository'>; digest: string; tag: string }>;

const CASES: Array<[string, Setup]> = [
  ['a tag', async (ecrClient, repo) => ({ props: { tag: 'main' }, digest: await ecrClient.push(repo, 'main'), tag: 'main' })],
  ['ImageSelector.newest', async (ecrClient, repo) => {
    await ecrClient.push(repo, 'v1');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // moto's push times are whole seconds
    return { props: { image: ImageSelector.newest({ tagPattern: 'v*' }) }, digest: await ecrClient.push(repo, 'v2'), tag: 'v2' };
  }],
  ['a platform of a multi-architecture index', async (ecrClient, repo) => {
    const image = await pushIndex(ecrClient, repo, 'main', ['linux/amd64', 'linux/arm64'], 'oci');
    return { props: { tag: 'main', platform: 'linux/arm64' }, digest: image.platforms['linux/arm64'], tag: 'main' };
  }],
];

test.each(CASES)('GIVEN %s WHEN the plugin resolves it at synth and the shipped handler deploys the template THEN both name the same digest', async (_name, setup) => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const { props, digest, tag } = await setup(local.ecr, repo);
  const build = (app: App) => {
    const stack = new Stack(app, 'Service', { env: { account: MOTO_ACCOUNT, region: REGION } });
    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', repo), refresh: Refresh.whenDigestChanges(), ...props });
    return stack;
  };

  const context = await pluginContext(build);
  const template = Template.fromStack(withPluginLoaded(() => build(new App({ context })))).toJSON();
  const [lookup] = await deployLookups(template, { refs: PSEUDO }, viaShippedHandler(local.cloudFormation, motoEnvironment()));

  expect(lookup.properties.ExpectedImage).toBe(`${repo}:${tag}@${digest}`);
  expect(lookup.status).toBe('SUCCESS');
  expect(lookup.data.Digest).toBe(digest);
});
