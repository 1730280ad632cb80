/**
 * Holding the resolved image: the tags a held lookup puts on its image and
 * the lifecycle-policy rule that keeps such images, shared by the handler
 * (which puts and releases the tags) and the construct (whose helper writes
 * the protecting rules).
 */

/**
 * Every hold tag starts with this prefix: `cdk-hold-<16 hex of the stack and
 * lookup>-<12 hex of the digest>`. The stack and lookup part keeps two stacks
 * (and two lookups of one stack) from releasing each other's holds; the
 * digest part keeps a replacement's new image and the old one apart.
 */
export const HOLD_TAG_PREFIX = 'cdk-hold-';

/**
 * The tag left on an image whose last tag was a released hold:
 * `cdk-released-<12 hex of the digest>`. Removing an image's last tag deletes
 * the image in ECR, so the release moves the image here instead, and a
 * lifecycle rule (see `HeldImages.protect`) expires it later.
 */
export const RELEASED_TAG_PREFIX = 'cdk-released-';

/**
 * A count rule that keeps at least this many images is not reported as a
 * risk: it can expire a held image only once that many newer images match.
 */
export const SAFE_IMAGE_COUNT = 1000;

/** The count the protecting rule keeps: far more held images than any repository has. */
export const PROTECTING_IMAGE_COUNT = 9999;
