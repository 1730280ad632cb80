import { BatchGetImageCommand, type BatchGetImageCommandOutput, DescribeImagesCommand, type DescribeImagesCommandOutput, type ImageDetail } from '@aws-sdk/client-ecr';
import { EcrSender } from './ecr-client';
import { explainFailure } from './ecr-errors';
import { LookupError } from './lookup-error';
import { Candidate, candidatesIn, newestFirst, tagMatcher } from './newest';
import { ACCEPTED_MEDIA_TYPES, entryFor, INDEX_MEDIA_TYPES, IndexEntry, indexEntries, platformsIn } from './platform';
import { describeTarget, ImageTarget } from './target';

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
export { explainFailure };

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
  const { detail, selectedTag, indexChecked } = await selectImage(ecr, target, abortSignal);
  const facts: ImageFacts = {
    digest: detail.imageDigest!,
    sizeInBytes: detail.imageSizeInBytes,
    pushedAt: detail.imagePushedAt,
    manifestMediaType: detail.imageManifestMediaType,
    tags: detail.imageTags ?? [],
    selectedTag,
  };
  if (target.platform !== undefined) {
    return toPlatform(ecr, target, target.platform, facts, abortSignal);
  }
  if (!indexChecked && isIndex(facts.manifestMediaType)) {
    const entries = await readIndex(ecr, target, facts.digest, abortSignal);
    if (entries !== undefined && platformsIn(entries).length === 0) {
      throw new LookupError(`Image index ${facts.digest} (${describeTarget(target)}) lists ${entries.length === 0 ? 'no manifests' : `only attestations (${entries.length} manifest${entries.length === 1 ? '' : 's'})`} and no image for any platform, so nothing can run it: push the image with its platforms (docker buildx build --platform ... --push), or point the ${target.selector.kind} at a runnable image.`);
    }
  }
  return facts;
}

/** Whether ECR reports an index of manifests, which only its entries tell what it holds. */
function isIndex(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType);
}

interface Selected {
  readonly detail: ImageDetail;
  readonly selectedTag?: string;
  /** The image, if an index, is known to hold a runnable image. */
  readonly indexChecked?: boolean;
}

async function selectImage(ecr: EcrSender, target: ImageTarget, abortSignal?: AbortSignal): Promise<Selected> {
  const selector = target.selector;
  if (selector.kind === 'newest') {
    const newest = await findNewest(ecr, target, selector.tagPattern, abortSignal);
    return { detail: checkActive(newest.detail, target), selectedTag: newest.matchingTag, indexChecked: true };
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

/**
 * Pages through the whole repository, then takes the newest candidate that
 * can run: an index that lists only attestations is skipped, as signatures
 * are, which takes reading the index of each newer one.
 */
async function findNewest(ecr: EcrSender, target: ImageTarget, tagPattern: string, abortSignal?: AbortSignal): Promise<Candidate> {
  const matches = tagMatcher(tagPattern);
  const candidates: Candidate[] = [];
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
    candidates.push(...candidatesIn(page, matches));
    nextToken = response.nextToken;
  } while (nextToken);
  let attestationOnly = 0;
  for (const candidate of candidates.sort(newestFirst)) {
    if (!isIndex(candidate.detail.imageManifestMediaType)) {
      return candidate;
    }
    const entries = await readIndex(ecr, target, candidate.detail.imageDigest!, abortSignal);
    if (entries === undefined || platformsIn(entries).length > 0) {
      return candidate;
    }
    attestationOnly++;
    console.log(`Skipped image index ${candidate.detail.imageDigest} (tag "${candidate.matchingTag}"): it lists only attestations.`);
  }
  const skipped = attestationOnly > 0 ? `, and ${attestationOnly} that match${attestationOnly === 1 ? 'es' : ''} are image indexes that list only attestations` : '';
  throw new LookupError(`No image was found for ${describeTarget(target)}: none of its ${seen} tagged images is an ACTIVE, runnable image (not a signature, attestation or SOCI index) with a tag that matches "${tagPattern}"${skipped}. Push one, or change tagPattern.`, true);
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
  const entries = await readIndex(ecr, target, image.digest, abortSignal);
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

/** The entries of the index `digest`, or undefined when the manifest is a single image. */
async function readIndex(ecr: EcrSender, target: ImageTarget, digest: string, abortSignal?: AbortSignal): Promise<IndexEntry[] | undefined> {
  const response: BatchGetImageCommandOutput = await send(ecr, target, new BatchGetImageCommand({
    registryId: target.registryId,
    repositoryName: target.repositoryName,
    imageIds: [{ imageDigest: digest }],
    acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
  }), abortSignal, 'BatchGetImage');
  // Only the manifest asked for may answer, as with DescribeImages.
  const manifest = response.images?.find((i) => i.imageId?.imageDigest === digest);
  if (!manifest?.imageManifest) {
    const failure = response.failures?.[0];
    throw new LookupError(`ECR returned no manifest for image ${digest} (${describeTarget(target)})${failure ? `: ${failure.failureCode} ${failure.failureReason}` : ''}; push the image again, or select another.`);
  }
  return indexEntries(manifest.imageManifest, manifest.imageManifestMediaType);
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
