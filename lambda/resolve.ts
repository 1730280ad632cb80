import { DescribeImagesCommand, type ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import { describeTarget, ImageTarget, LookupError } from './target';

/** What ECR knows of the image a tag points to. */
export interface ImageFacts {
  readonly digest: string;
  readonly sizeInBytes?: number;
  readonly pushedAt?: Date;
  readonly manifestMediaType?: string;
  readonly tags: string[];
}

/** Anything that can send an ECR command: the real client, or a test's mock. */
export type EcrSender = Pick<ECRClient, 'send'>;

/**
 * Resolves a tag to its image with one `DescribeImages` call. Retries of
 * throttling and server errors are the client's (its retry strategy);
 * everything that still fails becomes a `LookupError` that says what is
 * missing or refused.
 */
export async function resolveTag(ecr: EcrSender, target: ImageTarget, abortSignal?: AbortSignal): Promise<ImageFacts> {
  let details: ImageDetail[] | undefined;
  try {
    const response = await ecr.send(new DescribeImagesCommand({
      registryId: target.registryId,
      repositoryName: target.repositoryName,
      imageIds: [{ imageTag: target.tag }],
    }), { abortSignal });
    details = response.imageDetails;
  } catch (error) {
    throw explainFailure(error, target);
  }

  const detail = details?.find((d) => d.imageTags?.includes(target.tag)) ?? details?.[0];
  if (!detail?.imageDigest) {
    throw new LookupError(`Image ${describeTarget(target)} was not found: ECR returned no image for it. Push the image, or fix the tag.`);
  }
  // Archived images stay listed but cannot be pulled until restored.
  if (detail.imageStatus !== undefined && detail.imageStatus !== 'ACTIVE') {
    throw new LookupError(`Image ${detail.imageDigest} for ${describeTarget(target)} is ${detail.imageStatus}, not ACTIVE, so it cannot be pulled: restore it in ECR, or point the tag at an active image.`);
  }
  return {
    digest: detail.imageDigest,
    sizeInBytes: detail.imageSizeInBytes,
    pushedAt: detail.imagePushedAt,
    manifestMediaType: detail.imageManifestMediaType,
    tags: detail.imageTags ?? [],
  };
}

/** Turns what the SDK threw into one sentence naming the image and the cause. */
export function explainFailure(error: unknown, target: ImageTarget): LookupError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const image = describeTarget(target);
  switch (e.name) {
    case 'ImageNotFoundException':
      return new LookupError(`Tag "${target.tag}" was not found in repository "${target.repositoryName}" (registry ${target.registryId}, region ${target.region}): push an image with that tag, or fix the tag.`);
    case 'RepositoryNotFoundException':
      return new LookupError(`Repository "${target.repositoryName}" was not found in registry ${target.registryId}, region ${target.region}, while looking up tag "${target.tag}": create it, or fix the repository's name, account or region.`);
    case 'AccessDeniedException':
    case 'AccessDenied':
      return new LookupError(`Access denied to ecr:DescribeImages for ${image}: for a repository in another account, its repository policy must allow the stack's lookup role.`);
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return new LookupError(`ECR kept throttling DescribeImages for ${image} after the SDK's retries: deploy again, or spread the lookups over fewer concurrent deployments.`);
    case 'AbortError':
      return new LookupError(`ECR did not answer DescribeImages for ${image} before the handler's deadline.`);
    case 'TimeoutError': {
      // The SDK gives this name to reset connections and to attempts that timed out alike.
      const code = (error as { code?: string }).code;
      return new LookupError(`The connection to ECR failed on every attempt at DescribeImages for ${image} (${code ?? firstLine(e.message)}): deploy again once ECR is reachable.`);
    }
    case 'InvalidParameterException':
      return new LookupError(`ECR rejected the lookup of ${image}: ${e.message ?? 'invalid parameter'}`);
    default: {
      const status = e.$metadata?.httpStatusCode;
      const cause = status ? `HTTP ${status} ${e.name ?? 'error'}` : (e.name ?? 'Error');
      return new LookupError(`ECR DescribeImages failed for ${image}: ${cause}: ${firstLine(e.message ?? String(error))}`);
    }
  }
}

/** The SDK appends advice for SDK users on later lines; stack events need only the cause. */
function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0].trim();
}
