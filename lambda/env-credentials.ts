/**
 * Stands in for `@aws-sdk/credential-provider-node` in the bundle (see the
 * esbuild alias in `.projenrc.ts`). Lambda hands a function its role's
 * credentials in the environment, so the SDK's chain of file, SSO, process,
 * web-identity and instance-metadata providers is never used there; leaving
 * it out shrinks the handler and its cold start.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = () => fromEnv();
