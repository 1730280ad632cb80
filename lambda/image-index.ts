/**
 * Reading an image index from ECR: picking one platform's manifest out of it,
 * and telling whether it holds any runnable image at all. The index's content
 * is judged by the pure functions of `platform.ts`.
 */
import { batchGetImage, describeImages } from './ecr-calls';
import type { EcrSender } from './ecr-client';
import { LookupError } from './lookup-error';
import { describeRequest, LookupRequest } from './lookup-request';
import { ACCEPTED_MEDIA_TYPES, entryFor, INDEX_MEDIA_TYPES, IndexEntry, indexEntries, platformsIn } from './platform';

/** One platform's manifest, as an index lists it and ECR describes it. */
export interface PlatformManifest {
  readonly digest: string;
  readonly sizeInBytes?: number;
  readonly mediaType?: string;
}

/** Whether ECR reports an index of manifests, which only its entries tell what it holds. */
export function isIndex(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType);
}

/**
 * The manifest for `platform` in the image `digest`, or undefined when that
 * image is a single manifest, which passes as it is (ECR tells a manifest's
 * platform only in its config blob, which the lookup does not download).
 */
export async function platformManifest(
  ecr: EcrSender, request: LookupRequest, digest: string, platform: string, abortSignal?: AbortSignal,
): Promise<PlatformManifest | undefined> {
  const entries = await readIndex(ecr, request, digest, abortSignal);
  if (entries === undefined) {
    return undefined;
  }
  const entry = entryFor(entries, platform);
  if (!entry) {
    const offered = platformsIn(entries);
    throw new LookupError(`Platform ${platform} is not in image index ${digest} (${describeRequest(request)}), which holds ${offered.length > 0 ? offered.join(', ') : 'no platform images'}: build the image for ${platform} (docker buildx build --platform ${platform}), or set platform to one of those.`);
  }
  const child = await describeChild(ecr, request, entry.digest, abortSignal).catch((error) => {
    throw error instanceof LookupError && error.waitable
      ? new LookupError(`Image index ${digest} (${describeRequest(request)}) lists manifest ${entry.digest} for ${platform}, but the repository does not hold that manifest: push the whole image again.`)
      : error;
  });
  return { digest: entry.digest, sizeInBytes: child?.imageSizeInBytes, mediaType: child?.imageManifestMediaType ?? entry.mediaType };
}

/**
 * Fails when the index `digest` lists no image for any platform (only
 * attestations, or nothing), which nothing can run.
 */
export async function checkRunnableIndex(ecr: EcrSender, request: LookupRequest, digest: string, abortSignal?: AbortSignal): Promise<void> {
  const entries = await readIndex(ecr, request, digest, abortSignal);
  if (entries !== undefined && platformsIn(entries).length === 0) {
    throw new LookupError(`Image index ${digest} (${describeRequest(request)}) lists ${entries.length === 0 ? 'no manifests' : `only attestations (${entries.length} manifest${entries.length === 1 ? '' : 's'})`} and no image for any platform, so nothing can run it: push the image with its platforms (docker buildx build --platform ... --push), or point the ${request.selector.kind} at a runnable image.`);
  }
}

/** The entries of the index `digest`, or undefined when the manifest is a single image. */
export async function readIndex(
  ecr: EcrSender, request: LookupRequest, digest: string, abortSignal?: AbortSignal,
): Promise<IndexEntry[] | undefined> {
  const response = await batchGetImage(ecr, request, {
    imageIds: [{ imageDigest: digest }],
    acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
  }, abortSignal);
  // Only the manifest asked for may answer, as with DescribeImages.
  const manifest = response.images?.find((i) => i.imageId?.imageDigest === digest);
  if (!manifest?.imageManifest) {
    const failure = response.failures?.[0];
    throw new LookupError(`ECR returned no manifest for image ${digest} (${describeRequest(request)})${failure ? `: ${failure.failureCode} ${failure.failureReason}` : ''}; push the image again, or select another.`);
  }
  return indexEntries(manifest.imageManifest, manifest.imageManifestMediaType);
}

async function describeChild(ecr: EcrSender, request: LookupRequest, digest: string, abortSignal?: AbortSignal) {
  const response = await describeImages(ecr, request, { imageIds: [{ imageDigest: digest }] }, abortSignal);
  return response.imageDetails?.find((d) => d.imageDigest === digest);
}
