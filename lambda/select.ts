/**
 * Selecting the one image a lookup asks for: by tag, by digest, or the
 * newest whose tag matches a pattern, and only if it can be pulled. This is
 * where the selector kinds truly differ.
 */
import type { ImageDetail } from '@aws-sdk/client-ecr';
import { describeImages } from './ecr-calls';
import type { EcrSender } from './ecr-client';
import { isIndex, readIndex } from './image-index';
import { ArchivedImage, LookupError } from './lookup-error';
import { describeRequest, LookupRequest } from './lookup-request';
import { Candidate, candidatesIn, newestFirst, tagMatcher } from './newest';
import { platformsIn } from './platform';

/** DescribeImages returns at most this many images a page. */
const PAGE_SIZE = 1000;

/** The image a selector picked. */
export interface Selected {
  /** ECR's description of the image; its digest is always set. */
  readonly detail: ImageDetail;
  /** The tag that selected the image, if a tag did. */
  readonly selectedTag?: string;
  /** The image, if an index, is known to hold a runnable image. */
  readonly indexChecked?: boolean;
}

/** Selects the request's image and checks that it is ACTIVE. */
export async function selectImage(ecr: EcrSender, request: LookupRequest, abortSignal?: AbortSignal): Promise<Selected> {
  const selector = request.selector;
  if (selector.kind === 'newest') {
    const newest = await findNewest(ecr, request, selector.tagPattern, abortSignal);
    return { detail: checkActive(newest.detail, request), selectedTag: newest.matchingTag, indexChecked: true };
  }
  const imageId = selector.kind === 'tag' ? { imageTag: selector.tag } : { imageDigest: selector.digest };
  const response = await describeImages(ecr, request, { imageIds: [imageId] }, abortSignal);
  const details = response.imageDetails ?? [];
  // Only an image that carries the tag (or digest) asked for may answer: any
  // other image in the response would pin the wrong code.
  const detail = selector.kind === 'tag'
    ? details.find((d) => d.imageTags?.includes(selector.tag))
    : details.find((d) => d.imageDigest === selector.digest);
  if (!detail?.imageDigest) {
    throw new LookupError(`Image ${describeRequest(request)} was not found: ECR returned no image for it. Push the image, or fix the ${selector.kind}.`, true);
  }
  return { detail: checkActive(detail, request), selectedTag: selector.kind === 'tag' ? selector.tag : undefined };
}

/**
 * Pages through the whole repository, then takes the newest candidate that
 * can run: an index that lists only attestations is skipped, as signatures
 * are, which takes reading the index of each newer one.
 */
async function findNewest(ecr: EcrSender, request: LookupRequest, tagPattern: string, abortSignal?: AbortSignal): Promise<Candidate> {
  const matches = tagMatcher(tagPattern);
  const candidates: Candidate[] = [];
  let seen = 0;
  let nextToken: string | undefined;
  do {
    const response = await describeImages(ecr, request, {
      filter: { tagStatus: 'TAGGED' },
      maxResults: PAGE_SIZE,
      nextToken,
    }, abortSignal);
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
    const entries = await readIndex(ecr, request, candidate.detail.imageDigest!, abortSignal);
    if (entries === undefined || platformsIn(entries).length > 0) {
      return candidate;
    }
    attestationOnly++;
    console.log(`Skipped image index ${candidate.detail.imageDigest} (tag "${candidate.matchingTag}"): it lists only attestations.`);
  }
  const skipped = attestationOnly > 0 ? `, and ${attestationOnly} that match${attestationOnly === 1 ? 'es' : ''} are image indexes that list only attestations` : '';
  throw new LookupError(`No image was found for ${describeRequest(request)}: none of its ${seen} tagged images is an ACTIVE, runnable image (not a signature, attestation or SOCI index) with a tag that matches "${tagPattern}"${skipped}. Push one, or change tagPattern.`, true);
}

/** Archived images stay listed but cannot be pulled until restored. */
function checkActive(detail: ImageDetail, request: LookupRequest): ImageDetail {
  if (detail.imageStatus === 'ARCHIVED') {
    const { registryId, region, repositoryName } = request;
    const restore = `aws ecr update-image-storage-class --registry-id ${registryId} --region ${region} --repository-name ${repositoryName} --image-id imageDigest=${detail.imageDigest} --target-storage-class STANDARD`;
    throw new ArchivedImage(`Image ${detail.imageDigest} for ${describeRequest(request)} is ARCHIVED, not ACTIVE, so it cannot be pulled: restore it in ECR (${restore}, or set restoreArchived to let the lookup ask), or ${request.selector.kind === 'tag' ? 'point the tag at' : 'select'} an active image.`, detail.imageDigest!);
  }
  if (detail.imageStatus !== undefined && detail.imageStatus !== 'ACTIVE') {
    // A restore in progress ends by itself; an archived image needs someone to restore it.
    throw new LookupError(`Image ${detail.imageDigest} for ${describeRequest(request)} is ${detail.imageStatus}, not ACTIVE, so it cannot be pulled: restore it in ECR, or ${request.selector.kind === 'tag' ? 'point the tag at' : 'select'} an active image.`, detail.imageStatus === 'ACTIVATING');
  }
  return detail;
}
