import { BatchGetImageCommand, type BatchGetImageCommandOutput, DescribeImagesCommand, type DescribeImagesCommandOutput, type ImageDetail } from '@aws-sdk/client-ecr';
import { adviceFor } from './access-denied';
import { EcrSender, RefusedTooLong } from './ecr-client';
import { LookupError } from './lookup-error';
import { Candidate, newestOf, tagMatcher } from './newest';
import { ACCEPTED_MEDIA_TYPES, entryFor, indexEntries, platformsIn } from './platform';
import { describeSelector, describeTarget, ImageTarget } from './target';

/** What ECR knows of the resolved image. */
export interface ImageFacts {
  readonly digest: string;
  /** The index the platform's manifest was picked from, when one was. */
  readonly indexDigest?: string;
  readonly sizeInBytes?: number;
  readonly pushedAt?: Date;
  readonly manifestMediaType?: string;
  readonly tags: string[];
  /** The tag that selected the image, listed first among its tags. */
  readonly selectedTag?: string;
}

export type { EcrSender };

/** DescribeImages returns at most this many images a page. */
const PAGE_SIZE = 1000;

/**
 * Resolves the target to one image: selects it (by tag, digest or newest),
 * checks that it can be pulled, and with a platform picks that platform's
 * manifest out of an index. Retries of throttling and server errors are the
 * client's (its retry strategy); everything that still fails becomes a
 * `LookupError` that says what is missing or refused, marked `waitable` when
 * a push can still end it.
 */
export async function resolveImage(ecr: EcrSender, target: ImageTarget, abortSignal?: AbortSignal): Promise<ImageFacts> {
  const { detail, selectedTag } = await selectImage(ecr, target, abortSignal);
  const facts: ImageFacts = {
    digest: detail.imageDigest!,
    sizeInBytes: detail.imageSizeInBytes,
    pushedAt: detail.imagePushedAt,
    manifestMediaType: detail.imageManifestMediaType,
    tags: detail.imageTags ?? [],
    selectedTag,
  };
  return target.platform === undefined ? facts : toPlatform(ecr, target, target.platform, facts, abortSignal);
}

async function selectImage(ecr: EcrSender, target: ImageTarget, abortSignal?: AbortSignal): Promise<{ detail: ImageDetail; selectedTag?: string }> {
  const selector = target.selector;
  if (selector.kind === 'newest') {
    const newest = await findNewest(ecr, target, selector.tagPattern, abortSignal);
    return { detail: checkActive(newest.detail, target), selectedTag: newest.matchingTag };
  }
  const imageId = selector.kind === 'tag' ? { imageTag: selector.tag } : { imageDigest: selector.digest };
  const details = await describe(ecr, target, { imageIds: [imageId] }, abortSignal);
  // Only an image that carries the tag (or digest) asked for may answer: any
  // other image in the response would pin the wrong code.
  const detail = selector.kind === 'tag'
    ? details.find((d) => d.imageTags?.includes(selector.tag))
    : details.find((d) => d.imageDigest === selector.digest);
  if (!detail?.imageDigest) {
    throw new LookupError(`Image ${describeTarget(target)} was not found: ECR returned no image for it. Push the image, or fix the ${selector.kind}.`, true);
  }
  return { detail: checkActive(detail, target), selectedTag: selector.kind === 'tag' ? selector.tag : undefined };
}

/** Pages through the whole repository, keeping only the best candidate so far. */
async function findNewest(ecr: EcrSender, target: ImageTarget, tagPattern: string, abortSignal?: AbortSignal): Promise<Candidate> {
  const matches = tagMatcher(tagPattern);
  let best: Candidate | undefined;
  let seen = 0;
  let nextToken: string | undefined;
  do {
    const response = await send(ecr, target, new DescribeImagesCommand({
      registryId: target.registryId,
      repositoryName: target.repositoryName,
      filter: { tagStatus: 'TAGGED' },
      maxResults: PAGE_SIZE,
      nextToken,
    }), abortSignal) as DescribeImagesCommandOutput;
    const page = response.imageDetails ?? [];
    seen += page.length;
    best = newestOf(best, page, matches);
    nextToken = response.nextToken;
  } while (nextToken);
  if (!best) {
    throw new LookupError(`No image was found for ${describeTarget(target)}: none of its ${seen} tagged images is an ACTIVE, runnable image (not a signature, attestation or SOCI index) with a tag that matches "${tagPattern}". Push one, or change tagPattern.`, true);
  }
  return best;
}

/** Archived images stay listed but cannot be pulled until restored. */
function checkActive(detail: ImageDetail, target: ImageTarget): ImageDetail {
  if (detail.imageStatus !== undefined && detail.imageStatus !== 'ACTIVE') {
    // A restore in progress ends by itself; an archived image needs someone to restore it.
    throw new LookupError(`Image ${detail.imageDigest} for ${describeTarget(target)} is ${detail.imageStatus}, not ACTIVE, so it cannot be pulled: restore it in ECR, or ${target.selector.kind === 'tag' ? 'point the tag at' : 'select'} an active image.`, detail.imageStatus === 'ACTIVATING');
  }
  return detail;
}

/**
 * Reads the image's manifest; an index is resolved to the platform's
 * manifest, a single image passes through as it is (ECR tells a manifest's
 * platform only in its config blob, which the lookup does not download).
 */
async function toPlatform(ecr: EcrSender, target: ImageTarget, platform: string, image: ImageFacts, abortSignal?: AbortSignal): Promise<ImageFacts> {
  const response: BatchGetImageCommandOutput = await send(ecr, target, new BatchGetImageCommand({
    registryId: target.registryId,
    repositoryName: target.repositoryName,
    imageIds: [{ imageDigest: image.digest }],
    acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
  }), abortSignal, 'BatchGetImage');
  const manifest = response.images?.find((i) => i.imageId?.imageDigest === image.digest) ?? response.images?.[0];
  if (!manifest?.imageManifest) {
    const failure = response.failures?.[0];
    throw new LookupError(`ECR returned no manifest for image ${image.digest} (${describeTarget(target)})${failure ? `: ${failure.failureCode} ${failure.failureReason}` : ''}; push the image again, or select another.`);
  }
  const entries = indexEntries(manifest.imageManifest, manifest.imageManifestMediaType);
  if (entries === undefined) {
    return image;
  }
  const entry = entryFor(entries, platform);
  if (!entry) {
    const offered = platformsIn(entries);
    throw new LookupError(`Platform ${platform} is not in image index ${image.digest} (${describeTarget(target)}), which holds ${offered.length > 0 ? offered.join(', ') : 'no platform images'}: build the image for ${platform} (docker buildx build --platform ${platform}), or set platform to one of those.`);
  }
  const child = await describeChild(ecr, target, entry.digest, abortSignal).catch((error) => {
    throw error instanceof LookupError && error.waitable
      ? new LookupError(`Image index ${image.digest} (${describeTarget(target)}) lists manifest ${entry.digest} for ${platform}, but the repository does not hold that manifest: push the whole image again.`)
      : error;
  });
  return {
    ...image,
    digest: entry.digest,
    indexDigest: image.digest,
    sizeInBytes: child?.imageSizeInBytes,
    manifestMediaType: child?.imageManifestMediaType ?? entry.mediaType,
  };
}

async function describeChild(ecr: EcrSender, target: ImageTarget, digest: string, abortSignal?: AbortSignal): Promise<ImageDetail | undefined> {
  const details = await describe(ecr, target, { imageIds: [{ imageDigest: digest }] }, abortSignal);
  return details.find((d) => d.imageDigest === digest);
}

type ImageIds = { imageIds: Array<{ imageTag?: string; imageDigest?: string }> };

async function describe(ecr: EcrSender, target: ImageTarget, input: ImageIds, abortSignal?: AbortSignal): Promise<ImageDetail[]> {
  const response = await send(ecr, target, new DescribeImagesCommand({
    registryId: target.registryId,
    repositoryName: target.repositoryName,
    ...input,
  }), abortSignal) as DescribeImagesCommandOutput;
  return response.imageDetails ?? [];
}

async function send<T>(ecr: EcrSender, target: ImageTarget, command: T, abortSignal?: AbortSignal, action = 'DescribeImages'): Promise<any> {
  try {
    return await ecr.send(command as any, { abortSignal });
  } catch (error) {
    throw explainFailure(error, target, action);
  }
}

/** Turns what the SDK threw into one sentence naming the image and the cause. */
export function explainFailure(error: unknown, target: ImageTarget, action = 'DescribeImages'): LookupError {
  // A refusal that outlasted the retries is explained by ECR's last answer.
  const refused = error instanceof RefusedTooLong ? error : undefined;
  const e = (refused?.refusal ?? error) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const tried = refused ? `${refused.attempts} attempt${refused.attempts === 1 ? '' : 's'} over ${(refused.elapsedMs / 1000).toFixed(0)}s` : '1 attempt';
  const image = describeTarget(target);
  const where = `in repository "${target.repositoryName}" (registry ${target.registryId}, region ${target.region})`;
  switch (e.name) {
    case 'ImageNotFoundException':
      return new LookupError(target.selector.kind === 'tag'
        ? `Tag "${target.selector.tag}" was not found ${where}: push an image with that tag, or fix the tag.`
        : `Image ${describeSelector(target.selector)} was not found ${where}: push the image, or fix the ${target.selector.kind === 'digest' ? 'digest' : 'tag pattern'}.`, true);
    case 'RepositoryNotFoundException':
      return new LookupError(`Repository "${target.repositoryName}" was not found in registry ${target.registryId}, region ${target.region}, while looking up ${describeSelector(target.selector)}: create it, or fix the repository's name, account or region.`);
    case 'AccessDeniedException':
    case 'AccessDenied': {
      // ECR's message names the role and the kind of policy that denied the call: keep it whole.
      const message = firstLine(e.message) || 'no message';
      return new LookupError(`ECR denied ecr:${action} for ${image} on ${tried}: ${message.replace(/\.?$/, '.')} ${adviceFor(message, { action: `ecr:${action}`, registryId: target.registryId })}`);
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
