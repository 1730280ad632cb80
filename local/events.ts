/**
 * The requests CloudFormation sends a lookup's function, with the properties
 * typed by the contract: a property the construct cannot write fails to
 * compile here too.
 */
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { LookupProperties, RESOURCE_TYPE } from '../src/shared/contract';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f';
const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:app-ImageDigestLookupProviderHandler';

/** A lookup's properties as an event carries them, less the `ServiceToken` that every event adds. */
export type EventProperties = Omit<LookupProperties, 'ServiceToken'>;

/**
 * Properties outside the contract's type: malformed on purpose (a number
 * where a string belongs, a key missing) to test the handler's own checks,
 * or another resource's, replaced before the event is sent. The one place
 * where the type is set aside, so that each such caller says so.
 */
export function untyped(properties: Record<string, unknown>): EventProperties {
  return properties as EventProperties;
}

/** What CloudFormation delivers: the properties with the function's ServiceToken. */
export type WireProperties = EventProperties & { readonly ServiceToken: string };

let requestCounter = 0;

function base(responseUrl: string) {
  requestCounter++;
  return {
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: responseUrl,
    StackId: STACK_ID,
    RequestId: `00000000-0000-4000-8000-${String(requestCounter).padStart(12, '0')}`,
    LogicalResourceId: 'ApiLookup1A2B3C4D',
    ResourceType: RESOURCE_TYPE,
  };
}

// CloudFormation adds the function's ServiceToken to the properties of every request.
function withToken(properties: EventProperties): WireProperties {
  return { ServiceToken: SERVICE_TOKEN, ...properties };
}

/** A Create request for a lookup with these properties, answered at `responseUrl`. */
export function createEvent(responseUrl: string, properties: EventProperties): CloudFormationCustomResourceCreateEvent<WireProperties> {
  return { ...base(responseUrl), RequestType: 'Create', ResourceProperties: withToken(properties) };
}

/** An Update request from `oldProperties` to `properties` of the lookup `physicalResourceId`. */
export function updateEvent(
  responseUrl: string, physicalResourceId: string, properties: EventProperties, oldProperties: EventProperties,
): CloudFormationCustomResourceUpdateEvent<WireProperties> {
  return {
    ...base(responseUrl),
    RequestType: 'Update',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: withToken(properties),
    OldResourceProperties: withToken(oldProperties),
  };
}

/** A Delete request for the lookup `physicalResourceId`. */
export function deleteEvent(
  responseUrl: string, physicalResourceId: string, properties: EventProperties,
): CloudFormationCustomResourceDeleteEvent<WireProperties> {
  return { ...base(responseUrl), RequestType: 'Delete', PhysicalResourceId: physicalResourceId, ResourceProperties: withToken(properties) };
}
