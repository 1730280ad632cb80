/**
 * Answers the app's query for one lookup: the image its selector points to
 * now, resolved by the handler's own code (`lambda/resolve.ts`) with the
 * credentials of the CLI's machine, so synth and deploy select alike.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { cliProfile } from './cli-arguments';
import { LookupError } from '../lambda/lookup-error';
import { describeRequest, readRequest } from '../lambda/lookup-request';
import { resolveImage } from '../lambda/resolve';
import { imageReference } from '../src/shared/expected-image';
import { LookupRequest } from '../src/shared/lookup-request';
import { valueIf } from '../src/shared/selectors';
import { SynthAnswer, TRANSIENT_CONTEXT_KEY } from '../src/shared/synth-query';

/**
 * The CLI calls getValue with the query's props (and the lookup role it
 * resolved, which the plugin does not assume: see the README). The client
 * takes the SDK's default credential chain and endpoint settings, with the
 * CLI's `--profile` when it was given one.
 */
export async function answerQuery(
  args: Record<string, unknown>, clientFor: (region: string) => ECRClient = (region) => new ECRClient({ region, profile: cliProfile() }),
): Promise<unknown> {
  const request = readRequest(args.properties as Record<string, unknown> | undefined);
  const ecr = clientFor(request.region);
  try {
    const missing = await missingCredentials(ecr, request);
    if (missing !== undefined) {
      const unresolved: SynthAnswer = { Unresolved: missing };
      return { ...unresolved, [TRANSIENT_CONTEXT_KEY]: true };
    }
    const facts = await resolveImage(ecr, request);
    const tag = valueIf(request.selector, 'tag') ?? facts.selectedTag;
    const answer: SynthAnswer = { ExpectedImage: imageReference(request.repositoryName, tag, facts.digest) };
    // Transient: each synth asks again, so the diff follows the tag; a pinned answer stays in cdk.context.json.
    return args.pin === true ? answer : { ...answer, [TRANSIENT_CONTEXT_KEY]: true };
  } catch (error) {
    // ECR's denial says what was denied; at synth, the credentials to change are the CLI's.
    if (error instanceof LookupError && /denied/i.test(error.message)) {
      throw new LookupError(`${error.message} ${FIX_CREDENTIALS(request)}`);
    }
    throw error;
  } finally {
    ecr.destroy();
  }
}

/**
 * Why no credentials could be found, or undefined when they were. A machine
 * with none at all is a pipeline's build step (the same cdk.json loads the
 * plugin there), where synth must not fail: the app falls back and warns.
 */
async function missingCredentials(ecr: ECRClient, request: LookupRequest): Promise<string | undefined> {
  try {
    await ecr.config.credentials();
    return undefined;
  } catch (error) {
    return `No AWS credentials to read ${describeRequest(request)} at synth (${(error as Error).message.split('\n')[0]}). ${FIX_CREDENTIALS(request)}`;
  }
}

const FIX_CREDENTIALS = (request: LookupRequest) =>
  `Run the CLI with credentials that may call ecr:DescribeImages and ecr:BatchGetImage on the repository of account ${request.registryId} in ${request.region} (--profile, AWS_PROFILE or environment variables), or leave the lookup to refresh on every deployment, as it does without the plugin.`;
