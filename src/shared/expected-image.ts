/**
 * The image a lookup resolved at synth (`Refresh.whenDigestChanges()`), as the
 * template carries it, and what the handler does when the image has moved by
 * the time CloudFormation deploys the template. One table of the choices,
 * read by the construct (writing), the reader (checking) and the handler.
 */

/** What the handler does with an image that moved between synth and deploy. */
export const MOVED_IMAGE_ACTIONS = {
  /** Fail the deployment, naming both digests: the diff that was reviewed is not what would be deployed. */
  fail: { describe: 'fails the deployment' },
  /** Deploy the image the selector points to now, and say so in the function's log. */
  follow: { describe: 'deploys the current image' },
} as const;

/** A choice of MOVED_IMAGE_ACTIONS. */
export type MovedImageAction = keyof typeof MOVED_IMAGE_ACTIONS;

/** The synth-time image and the choice for a moved one. */
export interface ExpectedImage {
  /**
   * `<repository>:<tag>@sha256:<hex>` (or `<repository>@sha256:<hex>` when
   * the image had no selecting tag): a reference a reviewer reads in the diff.
   */
  readonly reference: string;
  readonly onMoved: MovedImageAction;
}

// The digest closes the reference; only sha256 is what ECR computes.
const REFERENCE_DIGEST = /@(sha256:[0-9a-f]{64})$/;

/** The reference the template carries for an image resolved at synth. */
export function imageReference(repositoryName: string, tag: string | undefined, digest: string): string {
  return `${repositoryName}${tag ? `:${tag}` : ''}@${digest}`;
}

/** The digest a reference ends with, or undefined when it ends with none. */
export function digestOfReference(reference: string): string | undefined {
  return REFERENCE_DIGEST.exec(reference)?.[1];
}

/** Whether `value` names one of MOVED_IMAGE_ACTIONS. */
export function isMovedImageAction(value: unknown): value is MovedImageAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(MOVED_IMAGE_ACTIONS, value);
}

/**
 * The problem of an expected image, naming its wire keys: a reference that
 * ends with no digest, or an unknown action.
 */
export function expectedImageProblem(reference: string, onMoved: unknown): string | undefined {
  if (digestOfReference(reference) === undefined) {
    return `The lookup's property ExpectedImage is ${JSON.stringify(reference)}, which does not end with @sha256:<64 hex>: deploy a template synthesized by the ImageDigestLookup construct with Refresh.whenDigestChanges().`;
  }
  if (!isMovedImageAction(onMoved)) {
    return `The lookup's property OnMovedImage is ${JSON.stringify(onMoved)}, not one of ${Object.keys(MOVED_IMAGE_ACTIONS).join(', ')}: set onMovedImage with MovedImage.FAIL or MovedImage.FOLLOW.`;
  }
  return undefined;
}
