/**
 * The package's CDK CLI plugin, loaded by the CLI from cdk.json
 * (`"plugin": ["cdk-image-digest-lookup/plugin"]`) or `--plugin`: registers
 * the context provider that resolves `Refresh.whenDigestChanges()` lookups at
 * synth, and tells the app (through its environment) that it may ask.
 */
import { lookupsDisabled } from './cli-arguments';
import { answerQuery } from './synth-lookup';
import { LOOKUPS_DISABLED, PLUGIN_LOADED_ENV, PLUGIN_PROVIDER_NAME } from '../src/shared/synth-query';

/** What the CLI hands `init`: the plugin contract's host, with the experimental context-provider registration. */
interface ContextProviderHost {
  registerContextProviderAlpha?(name: string, provider: { getValue(args: Record<string, unknown>): Promise<unknown> }): void;
}

/** The plugin interface version the CLI checks. */
export const version = '1';

/** Called by the CLI right after loading the plugin, before it runs the app. */
export function init(host: ContextProviderHost): void {
  if (typeof host.registerContextProviderAlpha !== 'function') {
    // Without the registration the app must not ask: a query for an unknown
    // plugin provider fails synth, and falling back never does.
    console.warn('cdk-image-digest-lookup plugin: this CDK CLI cannot register context providers (registerContextProviderAlpha); lookups with Refresh.whenDigestChanges() refresh on every deployment instead. Upgrade aws-cdk to use the plugin.');
    return;
  }
  host.registerContextProviderAlpha(PLUGIN_PROVIDER_NAME, { getValue: answerQuery });
  // The app runs as a child process of the CLI and inherits this environment.
  // With lookups off the CLI fails synth on any query, so the app must not ask.
  process.env[PLUGIN_LOADED_ENV] = lookupsDisabled() ? LOOKUPS_DISABLED : '1';
}
