/**
 * Plays the CDK CLI's part of a context query in tests: synthesizes an app
 * with the plugin marked as loaded, reads the queries the app reported
 * missing, and synthesizes again with the answers, as the CLI does.
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { PLUGIN_LOADED_ENV, TRANSIENT_CONTEXT_KEY } from '../../src/shared/synth-query';

/** A missing context query as the cloud assembly reports it. */
export interface MissingQuery {
  readonly key: string;
  readonly provider: string;
  readonly props: Record<string, any>;
}

/** Runs `body` with the plugin marked as loaded in this process's environment. */
export function withPluginLoaded<T>(body: () => T): T {
  const before = process.env[PLUGIN_LOADED_ENV];
  process.env[PLUGIN_LOADED_ENV] = '1';
  try {
    return body();
  } finally {
    if (before === undefined) {
      delete process.env[PLUGIN_LOADED_ENV];
    } else {
      process.env[PLUGIN_LOADED_ENV] = before;
    }
  }
}

/** The queries `build(app)` leaves unanswered, with the plugin loaded. */
export function missingQueries(build: (app: App) => void, context: Record<string, unknown> = {}): MissingQuery[] {
  return withPluginLoaded(() => {
    const app = new App({ context });
    build(app);
    return (app.synth().manifest.missing ?? []) as MissingQuery[];
  });
}

/**
 * The context in which every query of `build` is answered by `answer`
 * (an ExpectedImage reference, or an object such as a provider error), marked
 * transient as the plugin marks it.
 */
export function answeredContext(build: (app: App) => void, answer: (query: MissingQuery) => string | object): Record<string, unknown> {
  return Object.fromEntries(missingQueries(build).map((query) => {
    const value = answer(query);
    return [query.key, typeof value === 'string' ? { ExpectedImage: value, [TRANSIENT_CONTEXT_KEY]: true } : value];
  }));
}

/** A context provider as the CLI holds it. */
export interface ContextProviderPlugin {
  getValue(args: Record<string, unknown>): Promise<any>;
}

/**
 * The plugin the package ships (plugin.js and its bundle), loaded as the CLI
 * loads one: required, its version read, then `init` called with a host that
 * records the context providers it registers.
 */
export function loadShippedPlugin(): { readonly version: unknown; readonly providers: Record<string, ContextProviderPlugin> } {
  // The CLI loads plugins with require(), and so does this.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plugin = require(path.join(__dirname, '..', '..', 'plugin.js'));
  const providers: Record<string, ContextProviderPlugin> = {};
  plugin.init({ registerContextProviderAlpha: (name: string, provider: ContextProviderPlugin) => { providers[name] = provider; } });
  return { version: plugin.version, providers };
}

/** The context in which the shipped plugin answered every query of `build`, as the CLI would pass it to the next synth. */
export async function pluginContext(build: (app: App) => void): Promise<Record<string, unknown>> {
  const provider = loadShippedPlugin().providers['cdk-image-digest-lookup'];
  const context: Record<string, unknown> = {};
  for (const query of missingQueries(build)) {
    context[query.key] = await provider.getValue(asTheCliHandsIt(query.props));
  }
  return context;
}

/**
 * A query's props as the CLI hands them to getValue: the lookup role's
 * placeholders replaced for the query's account and region (the partition
 * is `aws` for moto's credentials).
 */
export function asTheCliHandsIt(props: Record<string, any>): Record<string, any> {
  if (typeof props.lookupRoleArn !== 'string') {
    return props;
  }
  const lookupRoleArn = props.lookupRoleArn
    .replace(/\$\{AWS::Partition\}/g, 'aws')
    .replace(/\$\{AWS::AccountId\}/g, props.account)
    .replace(/\$\{AWS::Region\}/g, props.region);
  return { ...props, lookupRoleArn };
}
