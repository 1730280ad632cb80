import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { StackStatusEndpoint } from '../../local/stack-status-endpoint';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f';

let endpoint: StackStatusEndpoint;
let client: CloudFormationClient;
beforeAll(async () => {
  endpoint = await StackStatusEndpoint.start();
  // The SDK the handler uses, so that the endpoint is held to the real query protocol.
  client = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
});
afterAll(() => endpoint.close());
beforeEach(() => endpoint.clear());

test.each(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'IMPORT_ROLLBACK_IN_PROGRESS'])('GIVEN a stack set to %s THEN DescribeStacks reports it, by id and name', async (status) => {
  endpoint.setStatus(STACK_ID, status);

  const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: STACK_ID }));

  expect(Stacks).toEqual([expect.objectContaining({ StackId: STACK_ID, StackName: 'app', StackStatus: status })]);
});

test('GIVEN a request THEN it is recorded with its action, stack and a SigV4 authorization', async () => {
  endpoint.setStatus(STACK_ID, 'UPDATE_IN_PROGRESS');

  await client.send(new DescribeStacksCommand({ StackName: STACK_ID }));

  expect(endpoint.received).toEqual([{ action: 'DescribeStacks', stackName: STACK_ID, authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//) }]);
});

test('GIVEN a stack it was not told of THEN ValidationError, as CloudFormation answers for a missing stack', async () => {
  await expect(client.send(new DescribeStacksCommand({ StackName: STACK_ID }))).rejects.toMatchObject({
    name: 'ValidationError', message: `Stack with id ${STACK_ID} does not exist`,
  });
});

test('GIVEN failWith(403, AccessDenied) THEN every request fails with that code, naming the action', async () => {
  endpoint.setStatus(STACK_ID, 'UPDATE_IN_PROGRESS');
  endpoint.failWith(403, 'AccessDenied');

  await expect(client.send(new DescribeStacksCommand({ StackName: STACK_ID }))).rejects.toMatchObject({
    name: 'AccessDenied', message: 'User is not authorized to perform: cloudformation:DescribeStacks', $metadata: { httpStatusCode: 403 },
  });
});

test('GIVEN statuses and a failure WHEN cleared THEN both are forgotten', async () => {
  endpoint.setStatus(STACK_ID, 'UPDATE_IN_PROGRESS');
  endpoint.failWith(403, 'AccessDenied');
  endpoint.clear();

  await expect(client.send(new DescribeStacksCommand({ StackName: STACK_ID }))).rejects.toMatchObject({ name: 'ValidationError' });
});
