import { LookupError } from './lookup-error';
import { fromProperties, LookupRequest, ReceivedProperties } from '../src/shared/lookup-request';
import { describeSelector } from '../src/shared/selectors';

/** The shared request type, so that the handler's modules import the request from one place. */
export type { LookupRequest };

export { LookupError };

/**
 * Reads the custom resource's properties with the shared reader, reporting
 * a bad value as a lookup failure.
 */
export function readRequest(properties: ReceivedProperties | undefined): LookupRequest {
  return fromProperties(properties, (message) => new LookupError(message));
}

/** How stack events name the image: every part a reader needs to find it. */
export function describeRequest(request: LookupRequest): string {
  return `${describeSelector(request.selector)} in repository "${request.repositoryName}" (registry ${request.registryId}, region ${request.region})`;
}
