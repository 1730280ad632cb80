import { ECRClient } from '@aws-sdk/client-ecr';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { toAttributes } from './attributes';
import { answerCloudFormation, Success } from './cfn-response';
import { resolveTag } from './resolve';
import { ImageTarget, LookupError, readTarget } from './target';

/** One client per region, reused across warm invocations. */
const clients = new Map<string, ECRClient>();

function ecrIn(region: string): ECRClient {
  let client = clients.get(region);
  if (!client) {
    client = new ECRClient({
      region,
      // The SDK's standard strategy retries throttling and 5xx with jittered backoff.
      retryMode: 'standard',
      maxAttempts: 5,
      // Without throwOnRequestTimeout the SDK only logs a warning when
      // requestTimeout passes, so one hung connection would use up the whole
      // invocation instead of being retried.
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
    clients.set(region, client);
  }
  return client;
}

/** The entry point: routes each CloudFormation request; the protocol lives in cfn-response. */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  // The ResponseURL is a credential: log the event without it.
  console.log(JSON.stringify({ ...event, ResponseURL: '[redacted]' }));
  if (typeof event?.ResponseURL !== 'string') {
    console.error('The event has no ResponseURL, so CloudFormation cannot be answered; it is not a CloudFormation custom resource request.');
    return;
  }
  await answerCloudFormation(event, context, async (signal, dataBudget) => {
    switch (event.RequestType) {
      case 'Create':
      case 'Update':
        return lookUp(readTarget(event.ResourceProperties), signal, dataBudget);
      case 'Delete':
        // Nothing was created, so there is nothing to remove; this also covers
        // the Delete that follows a failed Create.
        return { physicalResourceId: event.PhysicalResourceId };
      default:
        throw new LookupError(`Unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}: expected Create, Update or Delete.`);
    }
  });
}

async function lookUp(target: ImageTarget, signal: AbortSignal, dataBudget: (physicalResourceId: string) => number): Promise<Success> {
  const facts = await resolveTag(ecrIn(target.region), target, signal);
  // A new digest is a new physical id: CloudFormation treats the change as a
  // replacement, so a rollback returns to the previous digest instead of
  // looking the tag up again.
  const physicalResourceId = `${target.registryId}.dkr.ecr.${target.region}/${target.repositoryName}@${facts.digest}`;
  return { physicalResourceId, data: toAttributes(facts, target.tag, dataBudget(physicalResourceId)) };
}
