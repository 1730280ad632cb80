/** Where the two handlers' code lives, and what each loads at a cold start. */
import * as fs from 'fs';
import * as path from 'path';
import { Implementation } from './stacks';
import { SHIPPED_HANDLER } from '../local/shipped-handler';

/** The handler that aws-cdk-lib ships for `AwsCustomResource`. */
export const AWS_CUSTOM_RESOURCE_HANDLER = path.join(
  path.dirname(require.resolve('aws-cdk-lib/package.json')),
  'custom-resource-handlers', 'dist', 'custom-resources', 'aws-custom-resource-handler', 'index.js',
);

/** The handler artifact each implementation deploys. */
export function handlerArtifact(implementation: Implementation): string {
  return implementation === 'ImageDigestLookup' ? SHIPPED_HANDLER : AWS_CUSTOM_RESOURCE_HANDLER;
}

/**
 * The modules a cold start loads before the first request is handled. The
 * `AwsCustomResource` handler requires the SDK client from the Lambda
 * runtime's own copy when its first request arrives; here that copy is the
 * installed `@aws-sdk/client-ecr`, the same release the bundle holds.
 */
export function coldStartModules(implementation: Implementation): string[] {
  return implementation === 'ImageDigestLookup'
    ? [SHIPPED_HANDLER]
    : [AWS_CUSTOM_RESOURCE_HANDLER, require.resolve('@aws-sdk/client-ecr')];
}

/** The size in bytes of the handler artifact itself. */
export function artifactBytes(implementation: Implementation): number {
  return fs.statSync(handlerArtifact(implementation)).size;
}
