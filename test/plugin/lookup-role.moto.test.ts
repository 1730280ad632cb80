/**
 * The shipped plugin reads ECR through the lookup role the CLI names in each
 * query, as the CLI's built-in lookups do, against moto's STS and ECR behind
 * a proxy that records every call (and refuses AssumeRole on demand). moto
 * keeps one registry per account and serves the account that issued the
 * access key, so a repository of another account is visible only through
 * that account's role.
 */
import * as os from 'os';
import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { LocalEcr, MOTO_ACCOUNT, motoEndpoint, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { ImageDigestLookup, Refresh } from '../../src';
import { PLUGIN_LOADED_ENV } from '../../src/shared/synth-query';
import { FaultProxy, ProxiedRequest } from '../support/fault-proxy';
import { asTheCliHandsIt, loadShippedPlugin, missingQueries } from '../support/synth-context';

const OTHER_ACCOUNT = '111111111111';
const lookupRole = (account: string) => `arn:aws:iam::${account}:role/cdk-hnb659fds-lookup-role-${account}-${REGION}`;

let proxy: FaultProxy;
const saved = { ...process.env };
beforeAll(async () => { proxy = await FaultProxy.start(motoEndpoint()); });
afterAll(() => proxy.close());
beforeEach(() => {
  proxy.clear();
  Object.assign(process.env, motoEnvironment(proxy.endpoint));
  delete process.env[PLUGIN_LOADED_ENV];
  delete process.env.CDK_ROLE_SESSION_NAME;
});
afterEach(() => {
  jest.restoreAllMocks();
  for (const key of Object.keys(process.env)) {
    if (!(key in saved)) delete process.env[key];
  }
  Object.assign(process.env, saved);
});

/** The props the CLI hands the plugin for a lookup of `repositoryName:main` in a stack of `account`. */
function queryProps(account: string, repositoryName: string, synthesizer?: DefaultStackSynthesizer): Record<string, any> {
  const [only] = missingQueries((app: App) => {
    const stack = new Stack(app, 'Service', { env: { account, region: REGION }, synthesizer });
    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', repositoryName), tag: 'main', refresh: Refresh.whenDigestChanges() });
  });
  return asTheCliHandsIt(only.props);
}

const answer = (props: Record<string, any>) => loadShippedPlugin().providers['cdk-image-digest-lookup'].getValue(props);
const stsCalls = () => proxy.received.filter((request) => request.body.startsWith('Action='));
const ecrCalls = () => proxy.received.filter((request) => String(request.headers['x-amz-target']).startsWith('AmazonEC2ContainerRegistry'));
/** The access key id that signed a request (SigV4's Credential=<key>/<date>/...). */
const signedBy = (request: ProxiedRequest) => /Credential=([^/]+)\//.exec(String(request.headers.authorization))?.[1];
const denyAssumeRole = (code = 'AccessDenied', status = 403) => proxy.injectBy((request) => request.body.startsWith('Action=AssumeRole&')
  ? { kind: 'query-error', status, code, message: `User: arn:aws:iam::${MOTO_ACCOUNT}:user/moto is not authorized to perform: sts:AssumeRole` }
  : undefined);

test('GIVEN a repository in another account WHEN the query names that account\'s lookup role THEN the plugin assumes it as the CLI does and reads ECR with the role\'s credentials', async () => {
  const repo = uniqueRepositoryName();
  const registry = await LocalEcr.ofAccount(OTHER_ACCOUNT);
  await registry.createRepository(repo);
  const digest = await registry.push(repo, 'main');

  const value = await answer(queryProps(OTHER_ACCOUNT, repo));

  expect(value).toEqual({ ExpectedImage: `${repo}:main@${digest}`, $dontSaveContext: true });
  const [assume] = stsCalls();
  const params = new URLSearchParams(assume.body);
  expect(params.get('Action')).toBe('AssumeRole');
  expect(params.get('RoleArn')).toBe(lookupRole(OTHER_ACCOUNT));
  expect(params.get('RoleSessionName')).toBe(`aws-cdk-${os.userInfo().username.replace(/[^\w+=,.@-]/g, '@')}`);
  expect(signedBy(assume)).toBe('testing');
  // Every ECR call comes after AssumeRole and is signed with the temporary key STS issued, not the base key.
  const keys = new Set(ecrCalls().map(signedBy));
  expect(ecrCalls().length).toBeGreaterThan(0);
  expect([...keys]).toEqual([expect.stringMatching(/^ASIA/)]);
  expect(ecrCalls()[0].receivedAt).toBeGreaterThanOrEqual(assume.receivedAt);
});

test('GIVEN the same repository WHEN the query names no lookup role (a synthesizer without one) THEN the base credentials read moto\'s default account, which does not have it', async () => {
  const repo = uniqueRepositoryName();
  const registry = await LocalEcr.ofAccount(OTHER_ACCOUNT);
  await registry.createRepository(repo);
  await registry.push(repo, 'main');
  const { lookupRoleArn: _role, ...props } = queryProps(OTHER_ACCOUNT, repo);

  const value = await answer(props) as { Unresolved?: string; PerLookup?: boolean };
  expect(value.PerLookup).toBe(true);
  expect(value.Unresolved).toMatch(/does not exist|not found/i);
  expect(stsCalls().filter((request) => request.body.startsWith('Action=AssumeRole&'))).toEqual([]);
  expect(new Set(ecrCalls().map(signedBy))).toEqual(new Set(['testing']));
});

test('GIVEN a synthesizer with an external id and session tags, and CDK_ROLE_SESSION_NAME WHEN the plugin assumes the role THEN STS receives them as the CLI sends them', async () => {
  const repo = uniqueRepositoryName();
  await new LocalEcr(motoEndpoint()).createRepository(repo);
  await new LocalEcr(motoEndpoint()).push(repo, 'main');
  process.env.CDK_ROLE_SESSION_NAME = 'pipeline-run-42';
  const synthesizer = new DefaultStackSynthesizer({ lookupRoleExternalId: 'ext-7', lookupRoleAdditionalOptions: { Tags: [{ Key: 'team', Value: 'web' }] } });

  await answer(queryProps(MOTO_ACCOUNT, repo, synthesizer));

  const params = new URLSearchParams(stsCalls()[0].body);
  expect(params.get('RoleArn')).toBe(lookupRole(MOTO_ACCOUNT));
  expect(params.get('ExternalId')).toBe('ext-7');
  expect(params.get('RoleSessionName')).toBe('pipeline-run-42');
  expect(params.get('Tags.member.1.Key')).toBe('team');
  expect(params.get('Tags.member.1.Value')).toBe('web');
  expect(params.get('TransitiveTagKeys.member.1')).toBe('team');
});

test('GIVEN AssumeRole is denied and the base credentials are for the repository\'s account THEN the plugin warns as the CLI does and reads with the base credentials', async () => {
  const repo = uniqueRepositoryName();
  const registry = new LocalEcr(motoEndpoint());
  await registry.createRepository(repo);
  const digest = await registry.push(repo, 'main');
  denyAssumeRole();
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});

  const value = await answer(queryProps(MOTO_ACCOUNT, repo));

  expect(value).toEqual({ ExpectedImage: `${repo}:main@${digest}`, $dontSaveContext: true });
  expect(new Set(ecrCalls().map(signedBy))).toEqual(new Set(['testing']));
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0][0]).toBe(`cdk-image-digest-lookup plugin: the CLI's credentials could not be used to assume '${lookupRole(MOTO_ACCOUNT)}', but are for the right account (${MOTO_ACCOUNT}). Proceeding anyway. (AccessDenied: User: arn:aws:iam::${MOTO_ACCOUNT}:user/moto is not authorized to perform: sts:AssumeRole)`);
});

test('GIVEN AssumeRole is denied and ECR then denies the base credentials THEN the error says why the role was not used', async () => {
  const repo = uniqueRepositoryName();
  proxy.injectBy((request) => request.body.startsWith('Action=AssumeRole&')
    ? { kind: 'query-error', status: 403, code: 'AccessDenied', message: 'not authorized to perform: sts:AssumeRole' }
    : String(request.headers['x-amz-target']).startsWith('AmazonEC2ContainerRegistry')
      ? { kind: 'deny', message: `User: arn:aws:iam::${MOTO_ACCOUNT}:user/moto is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:${REGION}:${MOTO_ACCOUNT}:repository/${repo} because no identity-based policy allows the ecr:DescribeImages action` }
      : undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => {});

  const value = await answer(queryProps(MOTO_ACCOUNT, repo)) as { Unresolved?: string; PerLookup?: boolean };
  expect(value.PerLookup).toBe(true);
  expect(value.Unresolved).toContain(
    `At synth, the lookup role ${lookupRole(MOTO_ACCOUNT)} could not be assumed (AccessDenied: not authorized to perform: sts:AssumeRole), so the CLI's credentials for account ${MOTO_ACCOUNT} were used. Run the CLI with credentials that may assume the lookup role`);
});

test('GIVEN AssumeRole is denied and the base credentials are for another account than the repository\'s and the role\'s THEN the plugin answers unresolved (the lookup falls back, synth warns) naming the role, the accounts and STS\'s reason', async () => {
  denyAssumeRole();

  const value = await answer(queryProps(OTHER_ACCOUNT, 'api'));

  // A pipeline's synth step holds the pipeline account's credentials: stacks of accounts that do not trust it still synthesize.
  expect(value).toEqual({ Unresolved: expect.any(String), $dontSaveContext: true });
  expect((value as { Unresolved: string }).Unresolved).toBe(
    `Could not assume the lookup role ${lookupRole(OTHER_ACCOUNT)} with the CLI's credentials (which are for account ${MOTO_ACCOUNT}): AccessDenied: User: arn:aws:iam::${MOTO_ACCOUNT}:user/moto is not authorized to perform: sts:AssumeRole. Make sure the role exists and trusts that account (bootstrap account ${OTHER_ACCOUNT} with --trust-for-lookup ${MOTO_ACCOUNT}), or run the CLI with credentials for account ${OTHER_ACCOUNT}.`);
  expect(ecrCalls()).toEqual([]);
});

test('GIVEN the base credentials have expired THEN the plugin answers unresolved with why, without falling back to the expired credentials', async () => {
  denyAssumeRole('ExpiredToken', 400);

  const value = await answer(queryProps(MOTO_ACCOUNT, 'api'));

  expect((value as { Unresolved?: string }).Unresolved).toContain(`Could not assume the lookup role ${lookupRole(MOTO_ACCOUNT)}: the CLI's credentials have expired`);
  expect(ecrCalls()).toEqual([]);
});

test('GIVEN a stack whose lookup role cannot be assumed, reading a repository of another account WHEN the base credentials are for the stack\'s account (where the deployment reads it from) THEN the plugin warns and reads with them', async () => {
  const repo = uniqueRepositoryName();
  denyAssumeRole();
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  const [only] = missingQueries((app: App) => {
    const stack = new Stack(app, 'Service', { env: { account: MOTO_ACCOUNT, region: REGION } });
    const repository = ecr.Repository.fromRepositoryArn(stack, 'Repo', `arn:aws:ecr:${REGION}:${OTHER_ACCOUNT}:repository/${repo}`);
    new ImageDigestLookup(stack, 'Api', { repository, tag: 'main', refresh: Refresh.whenDigestChanges() });
  });
  const props = asTheCliHandsIt(only.props);
  expect([props.account, props.lookupRoleArn]).toEqual([OTHER_ACCOUNT, lookupRole(MOTO_ACCOUNT)]);

  const outcome = await answer(props) as { Unresolved?: string };

  expect(warn).toHaveBeenCalledWith(expect.stringContaining(`could not be used to assume '${lookupRole(MOTO_ACCOUNT)}', but are for the right account (${MOTO_ACCOUNT}). Proceeding anyway.`));
  expect(ecrCalls().length).toBeGreaterThan(0);
  expect(new Set(ecrCalls().map(signedBy))).toEqual(new Set(['testing']));
  expect(JSON.parse(ecrCalls()[0].body).registryId).toBe(OTHER_ACCOUNT);
  // No repository was pushed: what matters is who signed the call and which registry it asked; ECR's answer comes through.
  expect(outcome.Unresolved).toMatch(/does not exist|not found/i);
});
