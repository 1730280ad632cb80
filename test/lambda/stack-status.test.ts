/**
 * Reading the requesting stack's status, with the CloudFormation client
 * replaced by aws-sdk-client-mock.
 */
import { CloudFormationClient, DescribeStacksCommand, StackStatus } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { stackStatus } from '../../lambda/stack-status';

const cloudFormation = mockClient(CloudFormationClient);
beforeEach(() => cloudFormation.reset());

const stackIn = (region: string, name = 'app') => `arn:aws:cloudformation:${region}:111111111111:stack/${name}/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f`;
const stack = (stackId: string, status: StackStatus) => ({ StackId: stackId, StackName: 'app', CreationTime: new Date(), StackStatus: status });

test('GIVEN a stack in another region than the function WHEN its status is read THEN the call goes to the stack\'s region, by its id', async () => {
  const stackId = stackIn('ap-southeast-2');
  cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack(stackId, 'UPDATE_ROLLBACK_IN_PROGRESS')] });

  await expect(stackStatus(stackId)).resolves.toBe('UPDATE_ROLLBACK_IN_PROGRESS');

  expect(cloudFormation.call(0).args[0].input).toEqual({ StackName: stackId });
  expect(await (cloudFormation.call(0).thisValue as CloudFormationClient).config.region()).toBe('ap-southeast-2');
});

test('GIVEN two reads in one region and one in another WHEN sent THEN the region\'s client is reused and the other region gets its own', async () => {
  cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });

  await stackStatus(stackIn('eu-central-1'));
  await stackStatus(stackIn('eu-central-1', 'other'));
  await stackStatus(stackIn('eu-north-1'));

  const clients = cloudFormation.calls().map((c) => c.thisValue);
  expect(clients[1]).toBe(clients[0]);
  expect(clients[2]).not.toBe(clients[0]);
});

test('GIVEN DescribeStacks lists another stack first WHEN the status is read THEN the requesting stack\'s status answers', async () => {
  const stackId = stackIn('eu-west-3');
  cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack(stackIn('eu-west-3', 'other'), 'UPDATE_IN_PROGRESS'), stack(stackId, 'UPDATE_ROLLBACK_IN_PROGRESS')] });

  await expect(stackStatus(stackId)).resolves.toBe('UPDATE_ROLLBACK_IN_PROGRESS');
});
