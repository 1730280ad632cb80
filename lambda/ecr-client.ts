/**
 * How ECR calls travel (the calls themselves are in `ecr-calls.ts`): a
 * client per region whose SDK retries cover a single call's transport faults,
 * and a wrapper that keeps asking, within the handler's deadline, while ECR
 * refuses in a way that ends by itself.
 */
import { ECRClient, type ECRClientConfig, type ECRClientResolvedConfig, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-ecr';
import type { Command, RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { nextDelay, Refusal, refusalOf } from './backoff';
import { perRegion } from './regional';
import { Clock, realClock } from './wait';

/** An ECR command whose input is `I` and whose output is `O`, such as `DescribeImagesCommand`. */
export type EcrCommand<I extends ServiceInputTypes, O extends ServiceOutputTypes> =
  Command<ServiceInputTypes, I, ServiceOutputTypes, O, ECRClientResolvedConfig>;

/**
 * Anything that can send an ECR command: the real client, `patient`'s
 * wrapper, or a test's mock. The output type follows the command's.
 */
export interface EcrSender {
  send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(command: EcrCommand<I, O>, options?: { abortSignal?: AbortSignal }): Promise<O>;
}

/** Attempts per call for network faults, timeouts and 5xx, as the SDK's standard mode makes. */
export const TRANSPORT_ATTEMPTS = 5;

/**
 * The SDK's retries, minus throttling: a throttled call is handed back at
 * once so that `patient` retries it against the deadline, instead of the SDK
 * giving up after its fifth attempt whatever time is left.
 */
export function transportRetries(maxAttempts = TRANSPORT_ATTEMPTS, random: () => number = Math.random): RetryStrategyV2 {
  const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
      const count = previous.getRetryCount() + 1;
      if (info.errorType !== 'TRANSIENT' || count >= maxAttempts) {
        throw info.error;
      }
      // Full jitter from 100 ms, doubling, at most 20 s: the SDK's own figures.
      const delay = Math.floor(random() * Math.min(20_000, 100 * 2 ** count));
      const error = info.error as { name?: string; code?: string; message?: string } | undefined;
      console.warn(`ECR call failed (${error?.name ?? 'Error'}${error?.code ? ` ${error.code}` : ''}: ${error?.message?.split('\n')[0]}); attempt ${count + 1} in ${delay} ms`);
      return token(count, delay);
    },
    recordSuccess: () => undefined,
  };
}

/** One client per region, reused across warm invocations. */
const clients = perRegion((region) => new ECRClient({
  region,
  ...settingsFromEnvironment(),
  retryStrategy: transportRetries(),
  // What the request header `amz-sdk-request: attempt=n; max=m` reports;
  // the strategy above decides the attempts whatever AWS_MAX_ATTEMPTS says.
  maxAttempts: TRANSPORT_ATTEMPTS,
  // Without throwOnRequestTimeout the SDK only logs a warning when
  // requestTimeout passes, so one hung connection would use up the whole
  // invocation instead of being retried.
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
}));

/**
 * The client settings the SDK would otherwise resolve at the first call, each
 * through a chain of the environment, then the shared config and credentials
 * files (an asynchronous read of ~/.aws/config), then a default. Lambda has no
 * such files, so a setting whose variable is absent from the environment takes
 * the SDK's default here, once, at load; a variable that is set is left to the
 * SDK to read and check as always.
 */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Partial<ECRClientConfig> {
  const unset = (...names: string[]) => names.every((name) => env[name] === undefined);
  return {
    // The SDK's own order: AWS_ENDPOINT_URL_ECR, else AWS_ENDPOINT_URL, unless
    // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS says to ignore both. The endpoint
    // rules still run, with the endpoint as their Endpoint parameter.
    ...unset('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS') && {
      ignoreConfiguredEndpointUrls: true,
      endpoint: env.AWS_ENDPOINT_URL_ECR || env.AWS_ENDPOINT_URL || undefined,
    },
    ...unset('AWS_USE_FIPS_ENDPOINT') && { useFipsEndpoint: false },
    ...unset('AWS_USE_DUALSTACK_ENDPOINT') && { useDualstackEndpoint: false },
    ...unset('AWS_SDK_UA_APP_ID') && { userAgentAppId: () => Promise.resolve(undefined) },
    ...unset('AWS_DISABLE_CLOCK_SKEW_CORRECTION') && { disableClockSkewCorrection: false },
    // A bearer token for the service's signing name would switch the SDK to bearer auth.
    ...unset('AWS_AUTH_SCHEME_PREFERENCE', 'AWS_BEARER_TOKEN_ECR') && { authSchemePreference: [] },
  };
}

/** The client for `region`, created on first use. */
export function ecrIn(region: string): ECRClient {
  return clients(region);
}

/** ECR still refused when no further attempt fitted: the last refusal, and how long it lasted. */
export class RefusedTooLong extends Error {
  public readonly name = 'RefusedTooLong';

  public constructor(
    /** What ECR answered last, as the SDK threw it. */
    public readonly refusal: unknown,
    public readonly kind: Refusal,
    public readonly attempts: number,
    public readonly elapsedMs: number,
  ) {
    super(`ECR refused ${attempts} attempts over ${(elapsedMs / 1000).toFixed(0)}s: ${(refusal as Error)?.message}`);
  }
}

/**
 * Wraps a sender so that each call is tried again, with jittered backoff,
 * while ECR throttles or denies it, until the refusal's bound or until no
 * attempt can finish before `answerBy` (when the handler must answer).
 * Other errors, and any error after the signal aborted, pass at once.
 */
export function patient(ecr: EcrSender, answerBy: number, clock: Clock = realClock, random: () => number = Math.random): EcrSender {
  return {
    send: async (command, options) => {
      let firstRefusalAt: number | undefined;
      for (let retries = 0; ; retries++) {
        try {
          return await ecr.send(command, options);
        } catch (error) {
          const kind = refusalOf(error);
          if (kind === undefined || options?.abortSignal?.aborted) {
            throw error;
          }
          const now = clock.now();
          firstRefusalAt ??= now;
          const delay = nextDelay(kind, { retries, elapsedMs: now - firstRefusalAt, leftMs: answerBy - now }, random);
          if (delay === undefined) {
            throw new RefusedTooLong(error, kind, retries + 1, now - firstRefusalAt);
          }
          console.warn(`ECR refused ${commandName(command)} (${(error as Error).name}); attempt ${retries + 2} in ${delay} ms`);
          await clock.sleep(delay, options?.abortSignal);
        }
      }
    },
  };
}

function commandName(command: object): string {
  return command.constructor.name.replace(/Command$/, '') || 'a call';
}
