import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageDigestLookup, ImageSelector, MovedImage, Refresh } from '../../src';
import { PIN_CONTEXT_KEY } from '../../src/private/synth-resolution';
import { RESOURCE_TYPE } from '../../src/shared/contract';
import { LOOKUPS_DISABLED, PLUGIN_LOADED_ENV, PROVIDER_ERROR_KEY, TRANSIENT_CONTEXT_KEY } from '../../src/shared/synth-query';
import { answeredContext, missingQueries, withPluginLoaded } from '../support/synth-context';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const ENV = { account: '111111111111', region: 'eu-west-1' };

/** Two lookups that resolve at synth (api:main, worker:v1), and one that does not. */
function build(app: App, refresh = Refresh.whenDigestChanges()): Stack {
  const stack = new Stack(app, 'Service', { env: ENV });
  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'ApiRepo', 'api'), tag: 'main', refresh });
  new ImageDigestLookup(stack, 'Worker', { repository: ecr.Repository.fromRepositoryName(stack, 'WorkerRepo', 'worker'), tag: 'v1', refresh });
  new ImageDigestLookup(stack, 'Plain', { repository: ecr.Repository.fromRepositoryName(stack, 'PlainRepo', 'plain'), tag: 'main' });
  return stack;
}

function lookupProperties(stack: Stack): Record<string, Record<string, unknown>> {
  const resources = Template.fromStack(stack).findResources(RESOURCE_TYPE);
  return Object.fromEntries(Object.entries(resources).map(([id, resource]) => [id.replace(/[0-9A-F]{8}$/, ''), resource.Properties]));
}

beforeEach(() => {
  delete process.env[PLUGIN_LOADED_ENV];
});

describe('without the plugin', () => {
  test('GIVEN two lookups resolving at synth WHEN synthesized THEN each refreshes on every deployment and synth warns once', () => {
    const stack = build(new App());

    const properties = lookupProperties(stack);
    expect(properties.Api.RefreshToken).toEqual(expect.any(String));
    expect(properties.Api.ExpectedImage).toBeUndefined();
    expect(properties.Worker.RefreshToken).toBe(properties.Api.RefreshToken);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-image-digest-lookup:pluginNotLoaded'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/CLI plugin is not loaded.*"plugin": \["cdk-image-digest-lookup\/plugin"\]/);
    expect(stack.node.metadata.filter((m) => m.type === 'aws:cdk:error')).toEqual([]);
  });

  test('GIVEN no plugin WHEN synthesized THEN the app reports no context query, which the CLI would fail on', () => {
    const app = new App();
    build(app);
    expect(app.synth().manifest.missing ?? []).toEqual([]);
  });
});

describe('with the plugin loaded', () => {
  test('GIVEN no answer yet WHEN synthesized THEN each lookup asks the plugin for its repository account, region and selector', () => {
    const queries = missingQueries((app) => build(app));

    expect(queries.map((q) => q.props.properties.RepositoryName).sort()).toEqual(['api', 'worker']);
    expect(queries[0]).toMatchObject({
      provider: 'plugin',
      props: { pluginName: 'cdk-image-digest-lookup', account: '111111111111', region: 'eu-west-1' },
    });
    expect(queries.find((q) => q.props.properties.RepositoryName === 'api')!.props.properties)
      .toEqual({ RepositoryName: 'api', RegistryId: '111111111111', Region: 'eu-west-1', Tag: 'main' });
    expect(queries[0].props.pin).toBeUndefined();
  });

  test('GIVEN the plugin answered WHEN synthesized THEN the lookup carries the reference and no refresh token, and no warning', () => {
    const context = answeredContext((app) => build(app), (q) => `${q.props.properties.RepositoryName}:${q.props.properties.Tag}@${DIGEST}`);
    const stack = withPluginLoaded(() => build(new App({ context })));

    const properties = lookupProperties(stack);
    expect(properties.Api).toMatchObject({ Tag: 'main', ExpectedImage: `api:main@${DIGEST}`, OnMovedImage: 'fail' });
    expect(properties.Api.RefreshToken).toBeUndefined();
    expect(properties.Worker.ExpectedImage).toBe(`worker:v1@${DIGEST}`);
    expect(properties.Plain.ExpectedImage).toBeUndefined();
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('GIVEN the same answers WHEN synthesized twice THEN the templates are identical: an unchanged app gives an empty diff', () => {
    const onlyResolved = (app: App) => {
      const stack = new Stack(app, 'Service', { env: ENV });
      new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), tag: 'main', refresh: Refresh.whenDigestChanges() });
      return stack;
    };
    const context = answeredContext(onlyResolved, () => `api:main@${DIGEST}`);
    const first = withPluginLoaded(() => Template.fromStack(onlyResolved(new App({ context }))).toJSON());
    const second = withPluginLoaded(() => Template.fromStack(onlyResolved(new App({ context }))).toJSON());
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  test('GIVEN MovedImage.FOLLOW WHEN synthesized THEN the handler is told to follow', () => {
    const refresh = Refresh.whenDigestChanges({ onMovedImage: MovedImage.FOLLOW });
    const context = answeredContext((app) => build(app, refresh), () => `api:main@${DIGEST}`);
    const stack = withPluginLoaded(() => build(new App({ context }), refresh));
    expect(lookupProperties(stack).Api.OnMovedImage).toBe('follow');
  });

  test('GIVEN the plugin failed WHEN synthesized THEN synth reports its message as an error on the lookup', () => {
    const message = 'no AWS credentials for account 111111111111';
    const context = answeredContext((app) => build(app), () => ({ [PROVIDER_ERROR_KEY]: message, [TRANSIENT_CONTEXT_KEY]: true }));
    const stack = withPluginLoaded(() => build(new App({ context })));
    Annotations.fromStack(stack).hasError('/Service/Api', Match.stringLikeRegexp(`ImageDigestLookup Service/Api: the cdk-image-digest-lookup CLI plugin could not resolve the image at synth: ${message}`));
  });

  test('GIVEN the plugin found no credentials WHEN synthesized THEN the lookups refresh every deployment, synth warns once with the reason and never fails', () => {
    const reason = 'No AWS credentials to read tag "main" in repository "api" (registry 111111111111, region eu-west-1) at synth.';
    const context = answeredContext((app) => build(app), () => ({ Unresolved: reason, [TRANSIENT_CONTEXT_KEY]: true }));
    const stack = withPluginLoaded(() => build(new App({ context })));

    const properties = lookupProperties(stack);
    expect(properties.Api.RefreshToken).toEqual(expect.any(String));
    expect(properties.Api.ExpectedImage).toBeUndefined();
    expect(properties.Worker.ExpectedImage).toBeUndefined();
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-image-digest-lookup:noCredentials'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain(reason);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  test('GIVEN the CLI runs with --no-lookups WHEN synthesized THEN nothing is queried (the CLI would fail) and synth warns once', () => {
    process.env[PLUGIN_LOADED_ENV] = LOOKUPS_DISABLED;
    const app = new App();
    const stack = build(app);

    expect(app.synth().manifest.missing ?? []).toEqual([]);
    expect(lookupProperties(stack).Api.RefreshToken).toEqual(expect.any(String));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('--no-lookups.*cdk-image-digest-lookup:lookupsDisabled'))).toHaveLength(1);
  });

  test('GIVEN an answer that is no reference WHEN synthesized THEN synth reports it as an error', () => {
    const context = answeredContext((app) => build(app), () => 'api:main');
    const stack = withPluginLoaded(() => build(new App({ context })));
    Annotations.fromStack(stack).hasError('/Service/Api', Match.stringLikeRegexp('could not resolve the image at synth: it answered'));
  });

  test('GIVEN the pin context WHEN queried THEN the query asks the plugin to keep its answer', () => {
    const queries = missingQueries((app) => build(app), { [PIN_CONTEXT_KEY]: true });
    expect(queries.map((q) => q.props.pin)).toEqual([true, true]);
  });
});

describe('lookups the construct creates itself', () => {
  test('GIVEN containerImage() used in another stack WHEN synthesized with the plugin THEN the twin there carries the same synth-time image', () => {
    const twoStacks = (app: App) => {
      const service = new Stack(app, 'Service', { env: ENV });
      const api = new ImageDigestLookup(service, 'Api', { repository: ecr.Repository.fromRepositoryName(service, 'Repo', 'api'), tag: 'main', refresh: Refresh.whenDigestChanges() });
      const consumer = new Stack(app, 'Consumer', { env: ENV });
      new ecs.FargateTaskDefinition(consumer, 'Task').addContainer('api', { image: api.containerImage() });
      return [service, consumer];
    };
    const context = answeredContext(twoStacks, () => `api:main@${DIGEST}`);
    const [service, consumer] = withPluginLoaded(() => twoStacks(new App({ context })));

    expect(Object.values(lookupProperties(service)).map((p) => p.ExpectedImage)).toEqual([`api:main@${DIGEST}`]);
    expect(Object.values(lookupProperties(consumer)).map((p) => p.ExpectedImage)).toEqual([`api:main@${DIGEST}`]);
  });

  test('GIVEN dockerImageCode({ architecture }) WHEN synthesized with the plugin THEN only the lookup of the tag is queried; its platform lookup follows its digest', () => {
    const withFunction = (app: App) => {
      const stack = new Stack(app, 'Service', { env: ENV });
      const api = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), tag: 'main', refresh: Refresh.whenDigestChanges() });
      new lambda.DockerImageFunction(stack, 'Fn', { architecture: lambda.Architecture.ARM_64, code: api.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }) });
      return stack;
    };
    expect(missingQueries(withFunction).map((q) => q.props.properties)).toEqual([{ RepositoryName: 'api', RegistryId: '111111111111', Region: 'eu-west-1', Tag: 'main' }]);
  });
});

describe('what the plugin cannot resolve', () => {
  test.each([
    ['a token tag', (stack: Stack) => ({ repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), tag: new CfnParameter(stack, 'Tag').valueAsString })],
    ['a repository in an environment-agnostic stack', (stack: Stack) => ({ repository: new ecr.Repository(stack, 'Repo') })],
    ['a token digest', (stack: Stack) => ({ repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), image: ImageSelector.digest(new CfnParameter(stack, 'Digest').valueAsString) })],
  ])('GIVEN %s WHEN synthesized with the plugin THEN it is not queried, refreshes every deployment and warns, never failing', (_name, props) => {
    const app = new App();
    const stack = withPluginLoaded(() => {
      const s = new Stack(app, 'Service');
      new ImageDigestLookup(s, 'Api', { ...props(s), refresh: Refresh.whenDigestChanges() });
      return s;
    });
    expect(app.synth().manifest.missing ?? []).toEqual([]);
    expect(lookupProperties(stack).Api.RefreshToken).toEqual(expect.any(String));
    Annotations.fromStack(stack).hasWarning('/Service/Api', Match.stringLikeRegexp('is not known at synth.*cdk-image-digest-lookup:unresolvedAtSynth'));
  });
});
