import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** One client per region, reused across warm invocations. */
const clients = new Map<string, CloudFormationClient>();

function cloudFormationIn(region: string): CloudFormationClient {
  let client = clients.get(region);
  if (!client) {
    client = new CloudFormationClient({
      region,
      // Every lookup of a stack asks at once when the stack rolls back, and a
      // status that cannot be read turns a rollback into a forward lookup:
      // throttling gets more backed-off attempts than ECR calls do.
      retryMode: 'standard',
      maxAttempts: 6,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
    clients.set(region, client);
  }
  return client;
}

/**
 * The status of the stack that sent a request, read with DescribeStacks on
 * the stack's own id (the only stack the lookup role may describe). The
 * region is the stack's, taken from its ARN.
 */
export async function stackStatus(stackId: string, abortSignal?: AbortSignal): Promise<string | undefined> {
  const region = stackId.split(':')[3];
  const response = await cloudFormationIn(region || (process.env.AWS_REGION ?? '')).send(new DescribeStacksCommand({ StackName: stackId }), { abortSignal });
  return response.Stacks?.find((stack) => stack.StackId === stackId)?.StackStatus ?? response.Stacks?.[0]?.StackStatus;
}
