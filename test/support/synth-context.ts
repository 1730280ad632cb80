/**
 * Plays the CDK CLI's part of a context query in tests: synthesizes an app
 * with the plugin marked as loaded, reads the queries the app reported
 * missing, and synthesizes again with the answers, as the CLI does.
 */
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
