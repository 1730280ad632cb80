import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { evaluate } from '../../local/intrinsics';
import { ImageDigestLookup, ImageDigestLookupProps, ImageSelector, MovedImage, Refresh } from '../../src';
import { RESOURCE_TYPE } from '../../src/shared/contract';
import { fromProperties, LookupRequest } from '../../src/shared/lookup-request';
import { COSIGN_TEST_KEY, TEST_ROOT } from '../signing/fixtures/keys';
import { answeredContext, withPluginLoaded } from '../support/synth-context';

/**
 * Every construct option goes through the construct's writer, the template,
 * CloudFormation's resolution of its intrinsics and the handler's reader,
 * and must come out as the request the option describes.
 */
const DIGEST = `sha256:${'c'.repeat(64)}`;
const BASE = { registryId: '111111111111', region: 'eu-west-1', repositoryName: 'api', waitForSeconds: 0 } as const;

/** What CloudFormation passes for each parameter: every value a string, numbers too. */
const PARAMETERS: Record<string, string> = {
  Tag: 'v2',
  Digest: DIGEST,
  Pattern: 'release-*',
  Platform: 'linux/arm64',
  Wait: '45',
  MaxCritical: '1',
  MaxHigh: '2',
  MaxMedium: '3',
  MaxLow: '4',
  ScanWait: '60',
  Repository: 'team/api',
  BuildId: 'build-7',
};

type Case = [string, (stack: Stack) => Omit<ImageDigestLookupProps, 'repository'>, LookupRequest];

const text = (stack: Stack, name: string) => new CfnParameter(stack, name).valueAsString;
const number = (stack: Stack, name: string) => Token.asNumber(new CfnParameter(stack, name, { type: 'Number' }).valueAsNumber);

const CASES: Case[] = [
  ['no selector (tag latest)', () => ({}), { ...BASE, selector: { kind: 'tag', tag: 'latest' } }],
  ['tag', () => ({ tag: 'main' }), { ...BASE, selector: { kind: 'tag', tag: 'main' } }],
  ['ImageSelector.tag', () => ({ image: ImageSelector.tag('v1.2') }), { ...BASE, selector: { kind: 'tag', tag: 'v1.2' } }],
  ['ImageSelector.digest', () => ({ image: ImageSelector.digest(DIGEST) }), { ...BASE, selector: { kind: 'digest', digest: DIGEST } }],
  ['ImageSelector.newest()', () => ({ image: ImageSelector.newest() }), { ...BASE, selector: { kind: 'newest', tagPattern: '*' } }],
  ['ImageSelector.newest(pattern)', () => ({ image: ImageSelector.newest({ tagPattern: 'v1.*' }) }), { ...BASE, selector: { kind: 'newest', tagPattern: 'v1.*' } }],
  ['platform', () => ({ platform: 'linux/arm/v7' }), { ...BASE, selector: { kind: 'tag', tag: 'latest' }, platform: 'linux/arm/v7' }],
  ['waitFor', () => ({ waitFor: Duration.minutes(2) }), { ...BASE, selector: { kind: 'tag', tag: 'latest' }, waitForSeconds: 120 }],
  ['requireScan with no thresholds', () => ({ requireScan: {} }),
    { ...BASE, selector: { kind: 'tag', tag: 'latest' }, scanRequirement: { max: { CRITICAL: 0 }, waitForSeconds: 0 } }],
  ['requireScan with every threshold and waitForScan',
    () => ({ requireScan: { maxCritical: 1, maxHigh: 5, maxMedium: 20, maxLow: 100, waitForScan: Duration.minutes(3) } }),
    { ...BASE, selector: { kind: 'tag', tag: 'latest' }, scanRequirement: { max: { CRITICAL: 1, HIGH: 5, MEDIUM: 20, LOW: 100 }, waitForSeconds: 180 } }],
  ['requireSignature with cosign keys', () => ({ requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY] } }),
    { ...BASE, selector: { kind: 'tag', tag: 'latest' }, signatureRequirement: { cosignPublicKeys: [COSIGN_TEST_KEY], notationRootCertificates: [], notationTrustedIdentities: [] } }],
  ['requireSignature with Notation roots and identities',
    () => ({ requireSignature: { notationRootCertificates: [TEST_ROOT], notationTrustedIdentities: ['O=Example,CN=Release'] } }),
    { ...BASE, selector: { kind: 'tag', tag: 'latest' }, signatureRequirement: { cosignPublicKeys: [], notationRootCertificates: [TEST_ROOT], notationTrustedIdentities: ['O=Example,CN=Release'] } }],
  ['refresh everyDeployment', () => ({ refresh: Refresh.everyDeployment() }), { ...BASE, selector: { kind: 'tag', tag: 'latest' } }],
  ['refresh onPropertyChange', () => ({ refresh: Refresh.onPropertyChange() }), { ...BASE, selector: { kind: 'tag', tag: 'latest' } }],
  ['refresh whenChanged', () => ({ refresh: Refresh.whenChanged('build-1') }), { ...BASE, selector: { kind: 'tag', tag: 'latest' } }],
  // Tokens: CloudFormation resolves them before the handler reads them.
  ['a token tag', (stack) => ({ tag: text(stack, 'Tag') }), { ...BASE, selector: { kind: 'tag', tag: 'v2' } }],
  ['a token digest', (stack) => ({ image: ImageSelector.digest(text(stack, 'Digest')) }), { ...BASE, selector: { kind: 'digest', digest: DIGEST } }],
  ['a token pattern', (stack) => ({ image: ImageSelector.newest({ tagPattern: text(stack, 'Pattern') }) }),
    { ...BASE, selector: { kind: 'newest', tagPattern: 'release-*' } }],
  ['a token platform', (stack) => ({ platform: text(stack, 'Platform') }), { ...BASE, selector: { kind: 'tag', tag: 'latest' }, platform: 'linux/arm64' }],
  ['a token waitFor', (stack) => ({ waitFor: Duration.seconds(number(stack, 'Wait')) }), { ...BASE, selector: { kind: 'tag', tag: 'latest' }, waitForSeconds: 45 }],
  ['token thresholds and waitForScan', (stack) => ({
    requireScan: {
      maxCritical: number(stack, 'MaxCritical'),
      maxHigh: number(stack, 'MaxHigh'),
      maxMedium: number(stack, 'MaxMedium'),
      maxLow: number(stack, 'MaxLow'),
      waitForScan: Duration.seconds(number(stack, 'ScanWait')),
    },
  }), { ...BASE, selector: { kind: 'tag', tag: 'latest' }, scanRequirement: { max: { CRITICAL: 1, HIGH: 2, MEDIUM: 3, LOW: 4 }, waitForSeconds: 60 } }],
  ['holdImage', () => ({ holdImage: true }), { ...BASE, selector: { kind: 'tag', tag: 'latest' }, hold: { failOnLifecycleRisk: false } }],
  ['holdImage with failOnLifecycleRisk', () => ({ holdImage: true, failOnLifecycleRisk: true }),
    { ...BASE, selector: { kind: 'tag', tag: 'latest' }, hold: { failOnLifecycleRisk: true } }],
  ['holdImage false', () => ({ holdImage: false }), { ...BASE, selector: { kind: 'tag', tag: 'latest' } }],
  ['restoreArchived', () => ({ restoreArchived: true }), { ...BASE, selector: { kind: 'tag', tag: 'latest' }, restoreArchived: true }],
  ['restoreArchived false', () => ({ restoreArchived: false }), { ...BASE, selector: { kind: 'tag', tag: 'latest' } }],
  ['a token refresh key', (stack) => ({ refresh: Refresh.whenChanged(text(stack, 'BuildId')) }), { ...BASE, selector: { kind: 'tag', tag: 'latest' } }],
];

function deployedProperties(options: (stack: Stack) => Omit<ImageDigestLookupProps, 'repository'>, repositoryName = 'api'): Record<string, unknown> {
  const stack = new Stack(new App({ context: { [Refresh.CONTEXT_KEY]: 'pinned' } }), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const name = repositoryName === 'token' ? text(stack, 'Repository') : repositoryName;
  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', name), ...options(stack) });
  const [resource] = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE)) as Array<{ Properties: Record<string, unknown> }>;
  const refs = { ...PARAMETERS, 'AWS::AccountId': '111111111111', 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
  const { ServiceToken: _serviceToken, ...properties } = resource.Properties;
  return evaluate(properties, { refs });
}

const read = (properties: Record<string, unknown>) => fromProperties(properties, (message) => new Error(message));

test.each(CASES)('GIVEN %s WHEN synthesized, resolved and read by the handler THEN it is the request the options describe', (_name, options, expected) => {
  expect(read(deployedProperties(options))).toEqual(expected);
});

test('GIVEN a token repository name WHEN synthesized, resolved and read THEN the handler looks in that repository', () => {
  expect(read(deployedProperties(() => ({}), 'token'))).toEqual({ ...BASE, repositoryName: 'team/api', selector: { kind: 'tag', tag: 'latest' } });
});

test.each([
  ['everyDeployment', 'pinned', () => ({})],
  ['onPropertyChange', undefined, () => ({ refresh: Refresh.onPropertyChange() })],
  ['whenChanged', 'build-1', () => ({ refresh: Refresh.whenChanged('build-1') })],
  ['whenChanged with a token', 'build-7', (stack: Stack) => ({ refresh: Refresh.whenChanged(text(stack, 'BuildId')) })],
])('GIVEN refresh %s WHEN deployed THEN the refresh token is %j, which the handler does not read', (_name, token, options) => {
  expect(deployedProperties(options).RefreshToken).toEqual(token);
});

test('GIVEN holdImage and restoreArchived off WHEN synthesized THEN the properties carry none of their keys, so templates without them do not change', () => {
  const properties = deployedProperties(() => ({ holdImage: false, restoreArchived: false }));

  expect(Object.keys(properties).filter((key) => /Hold|Lifecycle|Restore/.test(key))).toEqual([]);
});

test.each(['yes', 'TRUE', '1'])('GIVEN HoldImage %j WHEN read by the handler THEN it fails naming the property and the values it takes', (value) => {
  expect(() => read({ ...deployedProperties(() => ({})), HoldImage: value })).toThrow(`The lookup's property HoldImage is ${JSON.stringify(value)}, not "true" or "false"`);
});

test('GIVEN every case above THEN each selector kind, each threshold and each wait is covered', () => {
  // The class of the case: a new kind or threshold without a round trip fails here.
  const requests = CASES.map(([, , request]) => request);
  expect(new Set(requests.map((request) => request.selector.kind))).toEqual(new Set(['tag', 'digest', 'newest']));
  expect(requests.some((request) => Object.keys(request.scanRequirement?.max ?? {}).length === 4)).toBe(true);
  expect(requests.some((request) => request.signatureRequirement?.cosignPublicKeys.length)).toBe(true);
  expect(requests.some((request) => request.signatureRequirement?.notationTrustedIdentities.length)).toBe(true);
});

describe('Refresh.whenDigestChanges()', () => {
  const SYNTH_DIGEST = `sha256:${'d'.repeat(64)}`;
  function resolvedAtSynth(refresh: Refresh, options: Omit<ImageDigestLookupProps, 'repository' | 'refresh'>): Record<string, unknown> {
    const build = (app: App) => {
      const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
      new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), refresh, ...options });
      return stack;
    };
    const context = answeredContext(build, (query) => `api:${query.props.properties.Tag ?? 'v1'}@${SYNTH_DIGEST}`);
    const stack = withPluginLoaded(() => build(new App({ context })));
    const [resource] = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE)) as Array<{ Properties: Record<string, unknown> }>;
    const { ServiceToken: _serviceToken, ...properties } = resource.Properties;
    return evaluate(properties, { refs: { 'AWS::AccountId': '111111111111', 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws' } });
  }

  test.each([
    ['fail by default', Refresh.whenDigestChanges(), { tag: 'main' }, { kind: 'tag', tag: 'main' }, `api:main@${SYNTH_DIGEST}`, 'fail'],
    ['follow', Refresh.whenDigestChanges({ onMovedImage: MovedImage.FOLLOW }), { tag: 'main' }, { kind: 'tag', tag: 'main' }, `api:main@${SYNTH_DIGEST}`, 'follow'],
    ['newest', Refresh.whenDigestChanges(), { image: ImageSelector.newest({ tagPattern: 'v*' }) }, { kind: 'newest', tagPattern: 'v*' }, `api:v1@${SYNTH_DIGEST}`, 'fail'],
  ] as const)('GIVEN %s WHEN synthesized with the plugin, resolved and read THEN the handler gets the synth-time image and the choice', (_name, refresh, options, selector, reference, onMoved) => {
    const properties = resolvedAtSynth(refresh, options);
    expect(properties.RefreshToken).toBeUndefined();
    expect(read(properties)).toEqual({ ...BASE, selector, expectedImage: { reference, onMoved } });
  });

  test.each([
    ['a reference with no digest', { ExpectedImage: 'api:main', OnMovedImage: 'fail' }, /ExpectedImage is "api:main", which does not end with @sha256:<64 hex>/],
    ['an unknown choice', { ExpectedImage: `api:main@${SYNTH_DIGEST}`, OnMovedImage: 'ignore' }, /OnMovedImage is "ignore", not one of fail, follow/],
    ['no choice', { ExpectedImage: `api:main@${SYNTH_DIGEST}` }, /OnMovedImage is undefined/],
  ])('GIVEN %s WHEN read THEN the reader names the key, the value and the rule', (_name, extra, message) => {
    expect(() => read({ RepositoryName: 'api', RegistryId: '111111111111', Region: 'eu-west-1', Tag: 'main', ...extra })).toThrow(message);
  });
});
