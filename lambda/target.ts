import { LookupError } from './lookup-error';
import { fromProperties, LookupRequest, ReceivedProperties } from '../src/shared/lookup-request';
import { describeSelector } from '../src/shared/selectors';

/** The request as the handler's modules knew it before the shared contract; removed once they all say `LookupRequest`. */
export type ImageTarget = LookupRequest;

export { LookupError };

/**
 * Reads the custom resource's properties with the shared reader, reporting
 * a bad value as a lookup failure.
 */
export function readTarget(properties: ReceivedProperties | undefined): LookupRequest {
  return fromProperties(properties, (message) => new LookupError(message));
}

/** How stack events name the image: every part a reader needs to find it. */
export function describeTarget(target: LookupRequest): string {
  return `${describeSelector(target.selector)} in repository "${target.repositoryName}" (registry ${target.registryId}, region ${target.region})`;
}
