/**
 * Resolving a request to one image: select it, then with a platform pick that
 * platform's manifest out of an index. Knows nothing of CloudFormation.
 */
import type { EcrSender } from './ecr-client';
import { checkRunnableIndex, isIndex, platformManifest } from './image-index';
import type { LookupRequest } from './lookup-request';
import { selectImage } from './select';

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

/**
 * Resolves the request to one image: selects it (by tag, digest or newest),
 * checks that it can be pulled, and with a platform picks that platform's
 * manifest out of an index. Retries of throttling and server errors are the
 * client's (its retry strategy); everything that still fails becomes a
 * `LookupError` that says what is missing or refused, marked `waitable` when
 * a push can still end it.
 */
export async function resolveImage(ecr: EcrSender, request: LookupRequest, abortSignal?: AbortSignal): Promise<ImageFacts> {
  const { detail, selectedTag, indexChecked } = await selectImage(ecr, request, abortSignal);
  const facts: ImageFacts = {
    digest: detail.imageDigest!,
    sizeInBytes: detail.imageSizeInBytes,
    pushedAt: detail.imagePushedAt,
    manifestMediaType: detail.imageManifestMediaType,
    tags: detail.imageTags ?? [],
    selectedTag,
  };
  if (request.platform !== undefined) {
    const manifest = await platformManifest(ecr, request, facts.digest, request.platform, abortSignal);
    return manifest === undefined ? facts : {
      ...facts,
      digest: manifest.digest,
      indexDigest: facts.digest,
      sizeInBytes: manifest.sizeInBytes,
      manifestMediaType: manifest.mediaType,
    };
  }
  if (!indexChecked && isIndex(facts.manifestMediaType)) {
    await checkRunnableIndex(ecr, request, facts.digest, abortSignal);
  }
  return facts;
}
