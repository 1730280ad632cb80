import { Duration } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { HOLD_TAG_PREFIX, PROTECTING_IMAGE_COUNT, RELEASED_TAG_PREFIX } from './shared/hold';

/**
 * Options for `HeldImages.protect()`.
 */
export interface ProtectHeldImagesOptions {
  /**
   * The priority of the protecting rule; the rule for released images gets
   * the next one. It must come before every rule of the repository that could
   * select a held image (`tagStatus: any`, or tag prefixes and patterns that
   * match the image's tags), and no other rule may have either priority.
   *
   * @default 1
   */
  readonly rulePriority?: number;

  /**
   * How old (since its push, as ECR counts) an image must be for the rule on
   * released images to expire it. An image is released when the last lookup
   * that held it is deleted and no other tag was left on it; an image older
   * than this then goes at the next lifecycle evaluation.
   *
   * @default Duration.days(14)
   */
  readonly releasedImageAge?: Duration;
}

/**
 * Lifecycle rules for repositories whose images lookups hold (`holdImage`).
 *
 * @example
 * const repository = new ecr.Repository(this, 'Repo', {
 *   lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(14) }],
 * });
 * HeldImages.protect(repository);
 */
export class HeldImages {
  /** The prefix of every tag that holds an image: `cdk-hold-<stack and lookup>-<digest>`. */
  public static readonly HOLD_TAG_PREFIX = HOLD_TAG_PREFIX;

  /** The prefix of the tag a released image keeps when the hold was its last tag: `cdk-released-<digest>`. */
  public static readonly RELEASED_TAG_PREFIX = RELEASED_TAG_PREFIX;

  /**
   * Adds two rules to a repository the app defines:
   *
   * 1. Held images are selected first (`tagPrefixList: ['cdk-hold-']`) and
   *    kept, up to 9,999 of them. In ECR an image that an earlier rule
   *    selects cannot be expired by a later rule, so the repository's other
   *    expiry rules (a count of any image, an age of tagged images) no longer
   *    reach a held image.
   * 2. Released images (`cdk-released-`) expire once they are older than
   *    `releasedImageAge` since their push.
   *
   * What the rules do not cover: ECR's documentation states that precedence
   * for expiry, not for archive transitions, so keep those (`transition` actions) away from held
   * images with their own tag selection; the lookup reports them in
   * `lifecycleRisk`. A repository not defined in the app (imported, or in
   * another account) gets the same two rules by hand, first in its policy.
   */
  public static protect(repository: ecr.Repository, options: ProtectHeldImagesOptions = {}): void {
    const priority = options.rulePriority ?? 1;
    repository.addLifecycleRule({
      rulePriority: priority,
      description: 'Keep images that a deployed ImageDigestLookup holds (cdk-image-digest-lookup)',
      tagStatus: ecr.TagStatus.TAGGED,
      tagPrefixList: [HOLD_TAG_PREFIX],
      maxImageCount: PROTECTING_IMAGE_COUNT,
    });
    repository.addLifecycleRule({
      rulePriority: priority + 1,
      description: 'Expire images that no ImageDigestLookup holds any more (cdk-image-digest-lookup)',
      tagStatus: ecr.TagStatus.TAGGED,
      tagPrefixList: [RELEASED_TAG_PREFIX],
      maxImageAge: options.releasedImageAge ?? Duration.days(14),
    });
  }

  private constructor() {}
}
