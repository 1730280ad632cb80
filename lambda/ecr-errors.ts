/**
 * What the SDK threw at an ECR call, as one sentence for the stack events:
 * the image, the cause and what to do.
 */
import { adviceFor } from './access-denied';
import { RefusedTooLong } from './ecr-client';
import { LookupError } from './lookup-error';
import { describeRequest, LookupRequest } from './lookup-request';
import { describeSelector } from '../src/shared/selectors';

/** The ECR actions the handler calls. */
export type EcrAction = 'DescribeImages' | 'BatchGetImage' | 'DescribeImageScanFindings' | 'GetDownloadUrlForLayer'
| 'PutImage' | 'BatchDeleteImage' | 'GetLifecyclePolicy' | 'UpdateImageStorageClass';

/** The call that failed. */
export interface FailedCall {
  readonly request: LookupRequest;
  readonly action: EcrAction;
  /** The image the call was about, when it names one digest (the scan of a resolved image). */
  readonly digest?: string;
}

/** Turns what the SDK threw into one sentence naming the image and the cause. */
export function explainFailure(error: unknown, { request, action, digest }: FailedCall): LookupError {
  // A refusal that outlasted the retries is explained by ECR's last answer.
  const refused = error instanceof RefusedTooLong ? error : undefined;
  const e = (refused?.refusal ?? error) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const tried = refused ? `${refused.attempts} attempt${refused.attempts === 1 ? '' : 's'} over ${(refused.elapsedMs / 1000).toFixed(0)}s` : '1 attempt';
  const image = describeRequest(request);
  const where = `in repository "${request.repositoryName}" (registry ${request.registryId}, region ${request.region})`;
  switch (e.name) {
    case 'ImageNotFoundException':
      return new LookupError(request.selector.kind === 'tag'
        ? `Tag "${request.selector.tag}" was not found ${where}: push an image with that tag, or fix the tag.`
        : `Image ${describeSelector(request.selector)} was not found ${where}: push the image, or fix the ${request.selector.kind === 'digest' ? 'digest' : 'tag pattern'}.`, true);
    case 'RepositoryNotFoundException':
      return new LookupError(`Repository "${request.repositoryName}" was not found in registry ${request.registryId}, region ${request.region}, while looking up ${describeSelector(request.selector)}: create it, or fix the repository's name, account or region.`);
    case 'AccessDeniedException':
    case 'AccessDenied': {
      // ECR's message names the role and the kind of policy that denied the call: keep it whole.
      const message = firstLine(e.message) || 'no message';
      return new LookupError(`ECR denied ecr:${action} for ${image} on ${tried}: ${message.replace(/\.?$/, '.')} ${adviceFor(message, { action: `ecr:${action}`, registryId: request.registryId })}`);
    }
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return new LookupError(`ECR kept throttling ${action} for ${image} on ${tried}, until the handler had to answer before its timeout: deploy again, or spread the lookups over fewer concurrent deployments.`);
    case 'AbortError':
      return new LookupError(`ECR did not answer ${action} for ${image} before the handler's deadline.`);
    case 'TimeoutError': {
      // The SDK gives this name to reset connections and to attempts that timed out alike.
      const code = (error as { code?: string }).code;
      return new LookupError(`The connection to ECR failed on every attempt at ${action} for ${image} (${code ?? firstLine(e.message)}): deploy again once ECR is reachable.`);
    }
    case 'ScanNotFoundException':
      // A scan may still start (on push, or by hand): worth waiting for.
      return new LookupError(`Image ${digest ? `${digest} (${image})` : image} has no scan, so requireScan cannot judge it: turn on scan on push or enhanced scanning for the repository, or start a scan; a multi-architecture image is scanned per platform, so set platform.`, true);
    case 'InvalidParameterException':
      return new LookupError(`ECR rejected the lookup of ${image}: ${e.message ?? 'invalid parameter'}`);
    default: {
      const status = e.$metadata?.httpStatusCode;
      const cause = status ? `HTTP ${status} ${e.name ?? 'error'}` : (e.name ?? 'Error');
      return new LookupError(`ECR ${action} failed for ${image}: ${cause}: ${firstLine(e.message ?? String(error))}`);
    }
  }
}

/** The SDK appends advice for SDK users on later lines; stack events need only the cause. */
function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0].trim();
}
