import { createEvent, deleteEvent, EventProperties, untyped, updateEvent } from '../../local/events';
import { RESOURCE_TYPE } from '../../src/shared/contract';

const URL = 'http://127.0.0.1:1/response';
const PROPS: EventProperties = { RepositoryName: 'api', RegistryId: '123456789012', Region: 'us-east-1', Tag: 'main' };

test('GIVEN lookup properties WHEN a Create is built THEN it carries them with the ServiceToken CloudFormation adds', () => {
  const event = createEvent(URL, PROPS);

  expect(event).toMatchObject({ RequestType: 'Create', ResponseURL: URL, ResourceType: RESOURCE_TYPE });
  expect(event.ResourceProperties).toEqual({ ServiceToken: event.ServiceToken, ...PROPS });
});

test('GIVEN two sets of properties WHEN an Update is built THEN the new ones are ResourceProperties and the old ones OldResourceProperties', () => {
  const event = updateEvent(URL, 'physical-id', { ...PROPS, Tag: 'release' }, PROPS);

  expect(event).toMatchObject({ RequestType: 'Update', PhysicalResourceId: 'physical-id' });
  expect(event.ResourceProperties.Tag).toBe('release');
  expect(event.OldResourceProperties.Tag).toBe('main');
  expect(event.OldResourceProperties.ServiceToken).toBe(event.ServiceToken);
});

test('GIVEN a Delete THEN it names the physical id', () => {
  expect(deleteEvent(URL, 'physical-id', PROPS)).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'physical-id' });
});

test('GIVEN successive events THEN each has its own RequestId, as CloudFormation gives every request', () => {
  const ids = new Set([createEvent(URL, PROPS), createEvent(URL, PROPS), deleteEvent(URL, 'p', PROPS)].map((event) => event.RequestId));
  expect(ids.size).toBe(3);
});

test('GIVEN properties outside the contract on purpose WHEN passed through untyped() THEN they reach the event unchanged', () => {
  const event = createEvent(URL, untyped({ Tag: 42 }));
  expect(event.ResourceProperties).toEqual({ ServiceToken: event.ServiceToken, Tag: 42 });
});

// The type check of the test tree (`npx projen typecheck`) fails when these
// lines compile: the events take only what the contract defines.
export function rejectedAtCompileTime(): void {
  // @ts-expect-error: a misspelled selector is not a lookup property.
  createEvent(URL, { RepositoryName: 'api', RegistryId: '123456789012', Region: 'us-east-1', Tagg: 'main' });
  // @ts-expect-error: every scalar the construct writes is a string.
  createEvent(URL, { ...PROPS, WaitForSeconds: 30 });
  // @ts-expect-error: the repository is always named.
  createEvent(URL, { RegistryId: '123456789012', Region: 'us-east-1', Tag: 'main' });
}
