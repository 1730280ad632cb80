import type { LookupProperties } from '../src/private/contract';
import { checkRegion, checkRegistryId, checkRepositoryName, checkTag } from '../src/private/rules';

/** The image a lookup asks for, with every name checked. */
export interface ImageTarget {
  readonly registryId: string;
  readonly region: string;
  readonly repositoryName: string;
  readonly tag: string;
}

/** A failure whose message is fit to show in CloudFormation's stack events. */
export class LookupError extends Error {
  public readonly name = 'LookupError';
}

/**
 * Reads the custom resource's properties. Values that were tokens at synth
 * arrive here unchecked, so the construct's rules run again.
 */
export function readTarget(properties: Partial<Record<keyof LookupProperties, unknown>> | undefined): ImageTarget {
  const props = properties ?? {};
  const text = (key: keyof LookupProperties): string => {
    const value = props[key];
    // An empty string is left to the naming rules, whose message says what the value must be.
    if (typeof value !== 'string') {
      throw new LookupError(`The lookup's property ${key} is ${value === undefined ? 'missing' : `${JSON.stringify(value)}, not a string`}: deploy the resource with the ImageDigestLookup construct, which always sets it.`);
    }
    return value;
  };
  const target: ImageTarget = {
    repositoryName: text('RepositoryName'),
    registryId: text('RegistryId'),
    region: text('Region'),
    tag: text('Tag'),
  };
  const problem = checkTag('Tag', target.tag)
    ?? checkRepositoryName('RepositoryName', target.repositoryName)
    ?? checkRegistryId('RegistryId', target.registryId)
    ?? checkRegion('Region', target.region);
  if (problem) {
    throw new LookupError(problem);
  }
  return target;
}

/** How stack events name the image: every part a reader needs to find it. */
export function describeTarget(target: ImageTarget): string {
  return `tag "${target.tag}" in repository "${target.repositoryName}" (registry ${target.registryId}, region ${target.region})`;
}
