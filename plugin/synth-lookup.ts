/**
 * Answers the app's query for one lookup: the image its selector points to
 * now, resolved by the handler's own code (`lambda/resolve.ts`) with the
 * credentials of the CLI's machine, so synth and deploy select alike.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { cliProfile } from './cli-arguments';
import { CredentialsUnusable, lookupCredentials } from './lookup-role';
import { LookupError } from '../lambda/lookup-error';
import { describeRequest, readRequest } from '../lambda/lookup-request';
import { resolveImage } from '../lambda/resolve';
import { imageReference } from '../src/shared/expected-image';
import { LookupRequest } from '../src/shared/lookup-request';
import { valueIf } from '../src/shared/selectors';
import { SynthAnswer, TRANSIENT_CONTEXT_KEY } from '../src/shared/synth-query';

/** Makes the ECR client of one query: the role's credentials when given, else the base credentials. */
export type EcrClientFactory = (region: string, credentials?: AwsCredentialIdentity) => ECRClient;

/**
 * The CLI calls getValue with the query's props and the lookup role it
 * resolved for the query's account and region. The base credentials are the
 * SDK's default chain with the CLI's `--profile` when it was given one; with
 * them the plugin assumes the lookup role, as the CLI's built-in lookups do
 * (`lookup-role.ts`), and reads ECR with the role's credentials. Endpoint
 * settings (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_ECR) apply to both clients.
 */
export async function answerQuery(
  args: Record<string, unknown>,
  clientFor: EcrClientFactory = (region, credentials) => new ECRClient({ region, ...credentials ? { credentials } : { profile: cliProfile() } }),
): Promise<unknown> {
  const request = readRequest(args.properties as Record<string, unknown> | undefined);
  const sts = new STSClient({ region: request.region, profile: cliProfile() });
  let ecr: ECRClient | undefined;
  let roleNotAssumed: string | undefined;
  try {
    const missing = await missingCredentials(sts, request);
    if (missing !== undefined) {
      return unresolved({ Unresolved: missing });
    }
    const role = await lookupCredentials(sts, args, request.registryId);
    roleNotAssumed = role.roleNotAssumed;
    ecr = clientFor(request.region, role.credentials);
    const facts = await resolveImage(ecr, request);
    const tag = valueIf(request.selector, 'tag') ?? facts.selectedTag;
    const answer: SynthAnswer = { ExpectedImage: imageReference(request.repositoryName, tag, facts.digest) };
    // Transient: each synth asks again, so the diff follows the tag; a pinned answer stays in cdk.context.json.
    return args.pin === true ? answer : { ...answer, [TRANSIENT_CONTEXT_KEY]: true };
  } catch (error) {
    if (error instanceof CredentialsUnusable) {
      return unresolved({ Unresolved: error.message });
    }
    if (error instanceof LookupError) {
      // ECR's denial says what was denied; at synth, the credentials to change are the CLI's.
      const why = /denied/i.test(error.message)
        ? `${error.message}${roleNotAssumed !== undefined ? ` At synth, ${roleNotAssumed}.` : ''} ${FIX_CREDENTIALS(request)}`
        : error.message;
      // The deployment resolves again and is the judge (a tag pushed after synth, waitFor): synth only warns.
      return unresolved({ Unresolved: why, PerLookup: true });
    }
    throw error;
  } finally {
    ecr?.destroy();
    sts.destroy();
  }
}

/**
 * Why no credentials could be found, or undefined when they were. A machine
 * with none at all is a pipeline's build step (the same cdk.json loads the
 * plugin there), where synth must not fail: the app falls back and warns.
 */
async function missingCredentials(sts: STSClient, request: LookupRequest): Promise<string | undefined> {
  try {
    await sts.config.credentials();
    return undefined;
  } catch (error) {
    return `No AWS credentials to read ${describeRequest(request)} at synth (${(error as Error).message.split('\n')[0]}). ${FIX_CREDENTIALS(request)}`;
  }
}

const FIX_CREDENTIALS = (request: LookupRequest) =>
  `Run the CLI with credentials that may assume the lookup role, or call ecr:DescribeImages and ecr:BatchGetImage on the repository of account ${request.registryId} in ${request.region} themselves (--profile, AWS_PROFILE or environment variables), or leave the lookup to refresh on every deployment, as it does without the plugin.`;

/** An answer that leaves the lookup to refresh on every deployment; never cached, so the next synth asks again. */
function unresolved(answer: SynthAnswer): Record<string, unknown> {
  return { ...answer, [TRANSIENT_CONTEXT_KEY]: true };
}
