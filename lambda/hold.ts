/**
 * Holding an image: the image gets a tag of its own for as long as the
 * resource exists. The tag is added by putting the image's own manifest under
 * it (what `docker tag` and a push do), so the image is never changed.
 */
import { createHash } from 'crypto';
import { batchGetImage, describeImagesIfPresent, putImage } from './ecr-calls';
import type { EcrSender } from './ecr-client';
import { LookupError } from './lookup-error';
import type { LookupRequest } from './lookup-request';
import type { DeployedImage } from './physical-id';
import { ACCEPTED_MEDIA_TYPES } from './platform';

/** A request that names one image of the deployed repository by digest, for the ECR calls' messages. */
export function imageRequest(image: DeployedImage): LookupRequest {
  return { ...image, selector: { kind: 'digest', digest: image.digest }, waitForSeconds: 0 };
}

/**
 * Puts `tag` on the image: the hold tag, or the released tag. A tag that is already there (a duplicate delivery,
 * an Update with the same digest, or the same image held again) is success
 * when it names this image, and a clear error when it names another: on an
 * immutable repository ECR refuses to move it.
 */
export async function tagImage(ecr: EcrSender, image: DeployedImage, tag: string, abortSignal?: AbortSignal): Promise<void> {
  const request = imageRequest(image);
  const imageIds = [{ imageDigest: image.digest }];
  const found = await batchGetImage(ecr, request, { imageIds, acceptedMediaTypes: ACCEPTED_MEDIA_TYPES }, abortSignal);
  const stored = found.images?.find((i) => i.imageId?.imageDigest === image.digest);
  const manifest = stored?.imageManifest;
  // Only the exact bytes that hash to the digest put the tag on this image; anything else would create another one.
  if (manifest === undefined || sha256(manifest) !== image.digest) {
    throw new LookupError(`ECR did not return the manifest of image ${image.digest} in repository "${image.repositoryName}" (registry ${image.registryId}, region ${image.region}) as it was pushed, so the lookup cannot tag it ${tag} without changing it: push the image again, or turn holdImage off.`);
  }
  const outcome = await putImage(ecr, request, {
    imageTag: tag,
    imageManifest: manifest,
    imageManifestMediaType: stored?.imageManifestMediaType,
    imageDigest: image.digest,
  }, abortSignal);
  if (outcome === 'exists') {
    const holder = await describeImagesIfPresent(ecr, { ...request, selector: { kind: 'tag', tag } }, { imageIds: [{ imageTag: tag }] }, abortSignal);
    const digest = holder?.imageDetails?.[0]?.imageDigest;
    if (digest !== image.digest) {
      throw new LookupError(`Tag ${tag} already names image ${digest ?? '(none)'} in repository "${image.repositoryName}" (registry ${image.registryId}, region ${image.region}), and the repository's tags are immutable, so the lookup cannot put it on image ${image.digest}: remove that tag (batch-delete-image --image-ids imageTag=${tag}) and deploy again.`);
    }
  }
  console.log(`Image ${image.digest} in repository "${image.repositoryName}" carries tag ${tag}.`);
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
