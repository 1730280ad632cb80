import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f';

export interface LookupProps {
  readonly RepositoryName?: unknown;
  readonly RegistryId?: unknown;
  readonly Region?: unknown;
  readonly Tag?: unknown;
  readonly RefreshToken?: unknown;
}

let requestCounter = 0;

function base(responseUrl: string) {
  requestCounter++;
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:app-ImageDigestLookupProviderHandler',
    ResponseURL: responseUrl,
    StackId: STACK_ID,
    RequestId: `00000000-0000-4000-8000-${String(requestCounter).padStart(12, '0')}`,
    LogicalResourceId: 'ApiLookup1A2B3C4D',
    ResourceType: 'Custom::ImageDigestLookup',
  };
}

function withToken(props: LookupProps) {
  return { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:app-ImageDigestLookupProviderHandler', ...props } as any;
}

export function createEvent(responseUrl: string, props: LookupProps): CloudFormationCustomResourceEvent {
  return { ...base(responseUrl), RequestType: 'Create', ResourceProperties: withToken(props) };
}

export function updateEvent(
  responseUrl: string, physicalResourceId: string, props: LookupProps, oldProps: LookupProps,
): CloudFormationCustomResourceEvent {
  return { ...base(responseUrl), RequestType: 'Update', PhysicalResourceId: physicalResourceId, ResourceProperties: withToken(props), OldResourceProperties: withToken(oldProps) };
}

export function deleteEvent(responseUrl: string, physicalResourceId: string, props: LookupProps): CloudFormationCustomResourceEvent {
  return { ...base(responseUrl), RequestType: 'Delete', PhysicalResourceId: physicalResourceId, ResourceProperties: withToken(props) };
}
