import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { perRegion } from './regional';

/** One client per region, reused across warm invocations. */
const cloudFormationIn = perRegion((region) => new CloudFormationClient({
  region,
  // Every lookup of a stack asks at once when the stack rolls back, and a
  // status that cannot be read turns a rollback into a forward lookup:
  // throttling gets more backed-off attempts than ECR calls do. These are the
  // SDK's retries, not ECR's patient ones: reading the status is optional, so
  // a denial is not waited out, and throttling is bounded by attempts, not by
  // the deadline.
  retryMode: 'standard',
  maxAttempts: 6,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
}));

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
