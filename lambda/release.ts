/**
 * Releasing a hold when CloudFormation deletes the resource, without ever
 * deleting an image: in ECR, removing an image's last tag deletes the image.
 *
 * CloudFormation deletes a lookup when it leaves the template, when a new
 * digest replaced it (after the whole update succeeded), and when a rollback
 * discards the replacement it had just created. In each case only this
 * resource's own tag goes: the tag names the stack, the lookup and the digest.
 */
import { batchDeleteImage, describeImagesIfPresent } from './ecr-calls';
import type { EcrSender } from './ecr-client';
import { imageRequest, tagImage } from './hold';
import { releasedTagOf } from './hold-tag';
import type { DeployedImage } from './physical-id';

/** What a release did, for the function's log and the tests. */
export type Released = 'released' | 'released-kept-as-released-tag' | 'not-held';

/**
 * Removes `tag` from the image, if the image still carries it. When it is the
 * image's last tag, the image first gets its released tag
 * (`cdk-released-<digest>`), which a lifecycle rule expires later, so the
 * removal never leaves it untagged (ECR would delete it at once).
 *
 * ECR offers no conditional removal: the tags are read right before the
 * removal, and a client that removes the image's other tags in between could
 * still leave it with none. The window is one ECR call long.
 */
export async function releaseHold(ecr: EcrSender, image: DeployedImage, tag: string, abortSignal?: AbortSignal): Promise<Released> {
  const request = imageRequest(image);
  const described = await describeImagesIfPresent(ecr, request, { imageIds: [{ imageDigest: image.digest }] }, abortSignal);
  const tags = described?.imageDetails?.find((detail) => detail.imageDigest === image.digest)?.imageTags ?? [];
  if (!tags.includes(tag)) {
    // Released before (a duplicate delivery), removed by hand, or the image or repository is gone.
    return 'not-held';
  }
  let kept = false;
  if (tags.every((other) => other === tag)) {
    // Put first, then remove: at no moment is the image left without a tag.
    await tagImage(ecr, image, releasedTagOf(image.digest), abortSignal);
    kept = true;
  }
  const { failures } = await batchDeleteImage(ecr, request, { imageIds: [{ imageTag: tag }] }, abortSignal);
  const failure = failures?.find((f) => f.failureCode !== 'ImageNotFound' && f.failureCode !== 'ImageTagDoesNotMatchDigest');
  if (failure) {
    throw new Error(`ECR did not remove tag ${tag}: ${failure.failureCode} ${failure.failureReason ?? ''}`.trim());
  }
  return kept ? 'released-kept-as-released-tag' : 'released';
}
