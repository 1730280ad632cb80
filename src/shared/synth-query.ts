/**
 * What the construct asks the package's CDK CLI plugin at synth
 * (`Refresh.whenDigestChanges()`) and what the plugin answers: the context
 * provider query both sides compile.
 */
import type { LookupProperties } from './contract';

/** The name the plugin registers its context provider under; the CLI addresses it as `plugin`. */
export const PLUGIN_PROVIDER_NAME = 'cdk-image-digest-lookup';

/**
 * Set by the plugin in the CLI's process when the CLI loads it, so the app
 * (a child process that inherits the environment) knows whether it may ask:
 * the CLI fails synth on a query for a plugin it has not loaded.
 */
export const PLUGIN_LOADED_ENV = 'CDK_IMAGE_DIGEST_LOOKUP_PLUGIN';

/** The value of PLUGIN_LOADED_ENV when the CLI runs with `--no-lookups`: loaded, but the app must not ask. */
export const LOOKUPS_DISABLED = 'lookups-disabled';

/** The properties that select the image, as the lookup writes them (the plugin reads them with `fromProperties`). */
export type QueriedProperties = Omit<LookupProperties, 'ServiceToken' | 'RefreshToken' | 'WaitForSeconds' | 'ScanGate' | 'ExpectedImage' | 'OnMovedImage'
| 'HoldImage' | 'FailOnLifecycleRisk' | 'RestoreArchived' | 'SignatureRequirement'>;

/** The context query's props, besides the `pluginName` the CLI routes on. */
export interface SynthQuery {
  /** The repository's account: the CLI resolves the lookup role of this account into `lookupRoleArn`. */
  readonly account: string;
  /** The repository's region. */
  readonly region: string;
  readonly properties: QueriedProperties;
  /** Keep the answer in cdk.context.json instead of asking again at every synth. */
  readonly pin?: boolean;
}

/** The plugin's answer: the image, or why the lookup falls back without failing synth. */
export type SynthAnswer =
  /** `<repository>:<tag>@sha256:<hex>`, as the `ExpectedImage` property carries it. */
  | { readonly ExpectedImage: string }
  /**
   * Why the image could not be resolved at synth: no credentials at all on
   * the CLI's machine (as in a pipeline's build step), credentials that cannot
   * read the lookup's account, or, with PerLookup, what ECR answered for this
   * lookup (a tag not pushed yet, a denial). The lookup refreshes on every
   * deployment, where it is resolved and judged, and synth warns with this
   * reason: once per app, or per lookup with PerLookup.
   */
  | { readonly Unresolved: string; readonly PerLookup?: true };

/** The CLI's marker of a context value it must not write to cdk.context.json. */
export const TRANSIENT_CONTEXT_KEY = '$dontSaveContext';

/** The CLI's marker of a context provider's error (aws-cdk-lib's cx-api PROVIDER_ERROR_KEY). */
export const PROVIDER_ERROR_KEY = '$providerError';
