/**
 * Resolving a lookup at synth (`Refresh.whenDigestChanges()`): asks the
 * package's CDK CLI plugin through a context query, and writes its answer
 * into the request; without an answer (no plugin, no credentials) the lookup
 * refreshes on every deployment, and synth warns once instead of failing.
 */
import { Annotations, ContextProvider, Stack, Token } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { IConstruct } from 'constructs';
import { isContextPlaceholder } from './context-placeholders';
import type { MovedImage } from '../refresh';
import { digestOfReference, MovedImageAction } from '../shared/expected-image';
import { LookupRequest, toProperties } from '../shared/lookup-request';
import { LOOKUPS_DISABLED, PLUGIN_LOADED_ENV, PLUGIN_PROVIDER_NAME, PROVIDER_ERROR_KEY, QueriedProperties, SynthQuery } from '../shared/synth-query';

// The public MovedImage enum must be literal for jsii; this line fails to
// compile when it and the table of MOVED_IMAGE_ACTIONS differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function sameTypes<A, B>(_same: Same<A, B>): void {}
sameTypes<`${MovedImage}`, MovedImageAction>(true);

/**
 * Set to `true` to keep the digests the plugin resolved in cdk.context.json
 * (as built-in lookups do) instead of asking ECR at every synth.
 */
export const PIN_CONTEXT_KEY = 'cdk-image-digest-lookup:pinDigests';

/** The line users add to cdk.json, which every message that asks for the plugin quotes. */
export const PLUGIN_SETTING = '"plugin": ["cdk-image-digest-lookup/plugin"]';

/** The warnings each app (its root) got already: each comes once per app. */
const warnedRoots = new WeakMap<IConstruct, Set<string>>();

/** The request, and the refresh token to write when the lookup was not resolved at synth. */
export interface SynthResolution {
  readonly request: LookupRequest;
  readonly refreshToken?: string;
}

/**
 * The request with the image the plugin resolved (its `expectedImage`), or
 * the request as it was and `fallbackToken()` as its refresh token.
 */
export function resolveAtSynth(
  scope: IConstruct, request: LookupRequest, onMoved: MovedImageAction, fallbackToken: () => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): SynthResolution {
  const fallback = { request, refreshToken: fallbackToken() };
  const query = synthQuery(scope, request);
  if (query === undefined) {
    Annotations.of(scope).addWarningV2('cdk-image-digest-lookup:unresolvedAtSynth',
      `ImageDigestLookup ${scope.node.path} uses Refresh.whenDigestChanges(), but its repository account, region or selector is not known at synth (a token), so the CLI plugin cannot resolve it: it refreshes on every deployment instead, as Refresh.everyDeployment() does. Give the stack an env and the lookup a literal tag to see the image in cdk diff.`);
    return fallback;
  }
  const props = { pluginName: PLUGIN_PROVIDER_NAME, ...query };
  const { key } = ContextProvider.getKey(scope, { provider: 'plugin', includeEnvironment: false, props: { ...props } });
  const answer: unknown = scope.node.tryGetContext(key);
  if (answer === undefined) {
    if (env[PLUGIN_LOADED_ENV] === LOOKUPS_DISABLED) {
      warnOnce(scope, 'cdk-image-digest-lookup:lookupsDisabled', `ImageDigestLookup ${scope.node.path} (and any other lookup with Refresh.whenDigestChanges() in this app) cannot resolve its image at synth: the CLI runs with --no-lookups, so these lookups refresh on every deployment, as Refresh.everyDeployment() does, and cdk diff cannot show their images. Run without --no-lookups, or pin the digests (context ${PIN_CONTEXT_KEY}) in cdk.context.json.`);
    } else if (env[PLUGIN_LOADED_ENV] !== undefined) {
      // The CLI answers the query and synthesizes again; this pass is discarded.
      Stack.of(scope).reportMissingContextKey({ key, provider: cxschema.ContextProvider.PLUGIN, props: { ...props } });
    } else {
      warnOnce(scope, 'cdk-image-digest-lookup:pluginNotLoaded', `ImageDigestLookup ${scope.node.path} (and any other lookup with Refresh.whenDigestChanges() in this app) cannot resolve its image at synth: the cdk-image-digest-lookup CLI plugin is not loaded. Until it is, these lookups refresh on every deployment, as Refresh.everyDeployment() does, and cdk diff cannot show their images. Add ${PLUGIN_SETTING} to cdk.json, or pass --plugin cdk-image-digest-lookup/plugin, with AWS credentials that can read the repositories.`);
    }
    return fallback;
  }
  const fields: Record<string, unknown> = typeof answer === 'object' && answer !== null ? answer as Record<string, unknown> : {};
  const error = fields[PROVIDER_ERROR_KEY];
  const reference = fields.ExpectedImage;
  if (typeof fields.Unresolved === 'string' && fields.PerLookup === true) {
    Annotations.of(scope).addWarningV2('cdk-image-digest-lookup:unresolvedAtSynth', `ImageDigestLookup ${scope.node.path} cannot resolve its image at synth, so it refreshes on every deployment, as Refresh.everyDeployment() does, and cdk diff cannot show its image: ${fields.Unresolved}`);
    return fallback;
  }
  if (typeof fields.Unresolved === 'string') {
    warnOnce(scope, 'cdk-image-digest-lookup:noCredentials', `ImageDigestLookup ${scope.node.path} (and any other lookup with Refresh.whenDigestChanges() in this app) cannot resolve its image at synth, so these lookups refresh on every deployment, as Refresh.everyDeployment() does, and cdk diff cannot show their images: ${fields.Unresolved}`);
    return fallback;
  }
  if (error !== undefined || typeof reference !== 'string' || digestOfReference(reference) === undefined) {
    Annotations.of(scope).addError(`ImageDigestLookup ${scope.node.path}: the cdk-image-digest-lookup CLI plugin could not resolve the image at synth: ${error !== undefined ? String(error) : `it answered ${JSON.stringify(answer)}`}`);
    return fallback;
  }
  return { request: { ...request, expectedImage: { reference, onMoved } } };
}

/** The query for `request`, or undefined when anything it needs is a token. */
function synthQuery(scope: IConstruct, request: LookupRequest): SynthQuery | undefined {
  // The image alone decides the digest: no wait, scan, signature or hold at synth.
  const imageOnly: LookupRequest = {
    ...request,
    waitForSeconds: 0,
    scanRequirement: undefined,
    expectedImage: undefined,
    hold: undefined,
    restoreArchived: undefined,
    signatureRequirement: undefined,
  };
  const { ServiceToken: _serviceToken, ...written } = toProperties(imageOnly, { serviceToken: '' });
  const properties: QueriedProperties = written;
  const values = Object.values(properties).filter((value): value is string => value !== undefined);
  if (values.some((value) => Token.isUnresolved(value) || isContextPlaceholder(scope, value))) {
    return undefined;
  }
  return {
    account: request.registryId,
    region: request.region,
    properties,
    ...scope.node.tryGetContext(PIN_CONTEXT_KEY) === true || scope.node.tryGetContext(PIN_CONTEXT_KEY) === 'true' ? { pin: true } : {},
  };
}

/** Warns on `scope` unless the app was already warned under `id`: one warning per app, not one per lookup. */
function warnOnce(scope: IConstruct, id: string, message: string): void {
  const root = scope.node.root;
  const warned = warnedRoots.get(root) ?? new Set<string>();
  if (warned.has(id)) {
    return;
  }
  warnedRoots.set(root, warned.add(id));
  Annotations.of(scope).addWarningV2(id, message);
}
