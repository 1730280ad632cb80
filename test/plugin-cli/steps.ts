/**
 * The CLI plugin as a user meets it: a new app outside the repository that
 * installed the npm package (test/plugin-cli/app.js), the real aws-cdk CLI,
 * fake credentials and moto as ECR. Runs the five steps of "cdk diff shows
 * which images will change", prints what the CLI printed for each, and exits
 * non-zero at the first step that does not hold.
 *
 * Usage (from the repository root, after `npx projen package:js`):
 *   ts-node --project local/tsconfig.json test/plugin-cli/steps.ts <app dir with the package installed>
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LocalEcr } from '../../local/local-ecr';
import { startMotoServer } from '../../local/moto-server';

const PLUGIN_CDK_JSON = { app: 'node app.js', plugin: ['cdk-image-digest-lookup/plugin'] };

interface Run {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

/** The environment of a CLI run: no credentials or endpoints of this machine, then `extra`. */
function cliEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_')));
  return {
    ...env,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    ...extra,
  };
}

function cdk(app: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const started = Date.now();
  const result = spawnSync('npx', ['cdk', ...args, '--no-notices'], { cwd: app, env, encoding: 'utf8', timeout: 300_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`cdk ${args.join(' ')}: exit ${result.status} in ${seconds.toFixed(1)} s`);
  return { status: result.status, output: `${result.stdout}${result.stderr}`, seconds };
}

function lookupProperties(templateFile: string): Record<string, Record<string, unknown>> {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  return Object.fromEntries(Object.entries<any>(template.Resources)
    .filter(([, resource]) => resource.Type === 'Custom::ImageDigestLookup')
    .map(([id, resource]) => [id.replace(/[0-9A-F]{8}$/, ''), resource.Properties]));
}

const problems: string[] = [];
function check(step: string, holds: boolean, what: string, run?: Run): void {
  console.log(`${holds ? 'ok' : 'FAILED'}: ${step}: ${what}`);
  if (!holds) {
    problems.push(`${step}: ${what}`);
    if (run) {
      console.log(`--- the CLI printed (exit ${run.status}):\n${run.output}\n---`);
    }
  }
}

function show(title: string, run: Run): void {
  console.log(`\n----- ${title} (exit ${run.status})\n${run.output.trim()}\n-----\n`);
}

async function main(app: string): Promise<void> {
  const moto = await startMotoServer();
  try {
    const ecr = new LocalEcr(moto.endpoint);
    await ecr.createRepository('api');
    await ecr.createRepository('worker');
    const apiFirst = await ecr.push('api', 'main');
    const worker = await ecr.push('worker', 'v1');
    const otherRegion = new LocalEcr(moto.endpoint, 'eu-west-1');
    await otherRegion.createRepository('edge');
    const edge = await otherRegion.push('edge', 'main');
    const otherAccount = await LocalEcr.ofAccount('111111111111', moto.endpoint);
    await otherAccount.createRepository('builder');
    const builder = await otherAccount.push('builder', 'main');
    const credentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
    const withCredentials = cliEnvironment({ ...credentials, AWS_ENDPOINT_URL: moto.endpoint });
    fs.writeFileSync(path.join(app, 'cdk.json'), JSON.stringify(PLUGIN_CDK_JSON, undefined, 2));
    const contextFile = path.join(app, 'cdk.context.json');

    // 1. Synth with the plugin: the template holds the tag's digest.
    const first = cdk(app, ['synth', '--quiet', '--output', 'synth-1'], withCredentials);
    const synthOne = first.status === 0 ? lookupProperties(path.join(app, 'synth-1', 'Service.template.json')) : {};
    check('1 synth with the plugin', first.status === 0, 'cdk synth succeeds', first);
    check('1 synth with the plugin', synthOne.Api?.ExpectedImage === `api:main@${apiFirst}` && synthOne.Worker?.ExpectedImage === `worker:v1@${worker}`,
      `the template holds api:main@${apiFirst} and worker:v1@${worker} (it holds ${synthOne.Api?.ExpectedImage}, ${synthOne.Worker?.ExpectedImage})`);
    check('1 synth with the plugin', synthOne.Edge?.ExpectedImage === `edge:main@${edge}`,
      `the lookup of a repository in eu-west-1 holds that region's edge:main@${edge} (it holds ${synthOne.Edge?.ExpectedImage})`);
    const synthTools = first.status === 0 ? lookupProperties(path.join(app, 'synth-1', 'Tools.template.json')) : {};
    check('1 synth with the plugin', synthTools.Builder?.ExpectedImage === `builder:main@${builder}`,
      `the lookup in a stack of account 111111111111 holds builder:main@${builder}, read through that account's lookup role (it holds ${synthTools.Builder?.ExpectedImage})`);
    check('1 synth with the plugin', synthOne.Api?.RefreshToken === undefined, 'no per-synth refresh token');
    check('1 synth with the plugin', !fs.existsSync(contextFile) || !fs.readFileSync(contextFile, 'utf8').includes('cdk-image-digest-lookup'),
      'cdk.context.json keeps no digest (transient context)');

    // 2. Move the tag: cdk diff against the previous template shows the move.
    const apiSecond = await ecr.push('api', 'main');
    const moved = cdk(app, ['diff', '--template', 'synth-1/Service.template.json', 'Service'], withCredentials);
    show('step 2: cdk diff --template synth-1/Service.template.json after api:main moved', moved);
    check('2 diff after a push', moved.status === 0, 'cdk diff succeeds', moved);
    check('2 diff after a push', moved.output.includes(`api:main@${apiFirst}`) && moved.output.includes(`api:main@${apiSecond}`),
      'the diff names the tag with the old and the new digest', moved);
    check('2 diff after a push', !moved.output.includes('worker:v1@') && !moved.output.includes('edge:main@') && !/RefreshToken/.test(moved.output),
      'the lookups whose image did not move are not in the diff', moved);
    check('2 diff after a push', /Number of stacks with differences: 1/.test(moved.output), 'one stack differs', moved);

    // 3. No push: a second synth's template and a new diff against it are equal.
    const second = cdk(app, ['synth', '--quiet', '--output', 'synth-2'], withCredentials);
    check('3 diff without a push', second.status === 0, 'cdk synth succeeds', second);
    const quiet = cdk(app, ['diff', '--template', 'synth-2/Service.template.json', 'Service'], withCredentials);
    show('step 3: cdk diff --template synth-2/Service.template.json with no push since', quiet);
    check('3 diff without a push', quiet.status === 0 && /There were no differences/.test(quiet.output) && /Number of stacks with differences: 0/.test(quiet.output),
      'the diff is empty', quiet);

    // 4. No plugin (and no credentials, as a pipeline's build step): the fallback, and one warning.
    fs.writeFileSync(path.join(app, 'cdk.json'), JSON.stringify({ app: PLUGIN_CDK_JSON.app }, undefined, 2));
    const noPlugin = cdk(app, ['synth', '--quiet', '--output', 'synth-3'], cliEnvironment({}));
    show('step 4: cdk synth without the plugin and without credentials', noPlugin);
    const fallback = noPlugin.status === 0 ? lookupProperties(path.join(app, 'synth-3', 'Service.template.json')) : {};
    check('4 synth without the plugin', noPlugin.status === 0, 'cdk synth succeeds', noPlugin);
    check('4 synth without the plugin', typeof fallback.Api?.RefreshToken === 'string' && fallback.Api?.ExpectedImage === undefined,
      'the lookups refresh on every deployment');
    check('4 synth without the plugin', (noPlugin.output.match(/CLI plugin is not loaded/g) ?? []).length === 1, 'synth warns once', noPlugin);

    // 5. The plugin, but no credentials for the lookup's account (a pipeline's build step with the
    // developers' cdk.json): a clear message, the fallback, and synth still succeeds.
    fs.writeFileSync(path.join(app, 'cdk.json'), JSON.stringify(PLUGIN_CDK_JSON, undefined, 2));
    const noCredentials = cdk(app, ['synth', '--quiet', '--output', 'synth-4'], cliEnvironment({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: moto.endpoint }));
    show('step 5: cdk synth with the plugin and no credentials', noCredentials);
    const uncredentialed = noCredentials.status === 0 ? lookupProperties(path.join(app, 'synth-4', 'Service.template.json')) : {};
    check('5 no credentials', noCredentials.status === 0, 'cdk synth succeeds', noCredentials);
    check('5 no credentials',
      (noCredentials.output.match(/No AWS credentials to read tag "main" in repository "api" \(registry 123456789012, region us-east-1\) at synth/g) ?? []).length === 1,
      'one warning names the image, the account and the region', noCredentials);
    check('5 no credentials', typeof uncredentialed.Api?.RefreshToken === 'string' && uncredentialed.Api?.ExpectedImage === undefined,
      'the lookups refresh on every deployment');

    // 5b. The credentials of the CLI's --profile, which the plugin reads from the CLI's own arguments.
    const credentialsFile = path.join(app, 'credentials');
    fs.writeFileSync(credentialsFile, '[ci]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    const profiled = cdk(app, ['synth', '--quiet', '--profile', 'ci', '--output', 'synth-5'],
      cliEnvironment({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: moto.endpoint, AWS_SHARED_CREDENTIALS_FILE: credentialsFile }));
    const withProfile = profiled.status === 0 ? lookupProperties(path.join(app, 'synth-5', 'Service.template.json')) : {};
    const toolsWithProfile = profiled.status === 0 ? lookupProperties(path.join(app, 'synth-5', 'Tools.template.json')) : {};
    check('5b --profile', profiled.status === 0 && withProfile.Api?.ExpectedImage === `api:main@${apiSecond}`,
      'with only a named profile\'s credentials, cdk synth --profile resolves the lookups', profiled);
    check('5b --profile', toolsWithProfile.Builder?.ExpectedImage === `builder:main@${builder}`,
      'the profile\'s credentials assume the other account\'s lookup role', profiled);

    // Beyond the five steps: --no-lookups with the plugin loaded must not fail synth either.
    const noLookups = cdk(app, ['synth', '--quiet', '--no-lookups', '--output', 'synth-6'], withCredentials);
    check('--no-lookups', noLookups.status === 0 && (noLookups.output.match(/the CLI runs with --no-lookups/g) ?? []).length === 1,
      'cdk synth --no-lookups succeeds and warns once', noLookups);

    // Pinning on request: the answers are kept in cdk.context.json, as built-in lookups' are.
    const pinned = cdk(app, ['synth', '--quiet', '-c', 'cdk-image-digest-lookup:pinDigests=true', '--output', 'synth-7'], withCredentials);
    const saved = fs.existsSync(contextFile) ? fs.readFileSync(contextFile, 'utf8') : '';
    check('pinDigests', pinned.status === 0 && saved.includes(`"ExpectedImage": "api:main@${apiSecond}"`) && !saved.includes('$dontSaveContext'),
      `with the pin context, cdk.context.json keeps api:main@${apiSecond}`, pinned);
  } finally {
    await moto.stop();
  }
  if (problems.length > 0) {
    console.error(`\n${problems.length} check(s) failed:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log('\nall five steps hold');
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
