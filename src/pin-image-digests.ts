import { Aspects, Duration, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ImageSources } from './private/ecr-image-reference';
import { pinStack } from './private/stack-pinning';
import { Refresh } from './refresh';
import { ScanRequirement } from './scan-requirement';
import { SignatureRequirement } from './signature-requirement';

/**
 * What every lookup that `PinImageDigests` creates does besides resolving
 * the digest: the same options, with the same meaning and grants, as
 * `ImageDigestLookupProps`.
 *
 * The lookup of an image asset (its repository is the bootstrap repository
 * that `cdk deploy` publishes to) neither holds its image nor requires a
 * signature: CDK builds the asset from the app's source and keeps it for as
 * long as a template names its hash, and it signs nothing, so a hold would
 * only give the lookup role write access to the bootstrap repository and a
 * signature requirement would fail every deployment. It does get
 * `requireScan`, `waitFor` and `restoreArchived`, and a note at synth on
 * the resource says what it leaves out.
 */
export interface PinnedLookupOptions {
  /**
   * Hold each pinned image for as long as its lookup exists, with a tag of
   * its own (see `ImageDigestLookupProps.holdImage`). The lookup role may
   * then also call `ecr:PutImage`, `ecr:BatchDeleteImage` and
   * `ecr:GetLifecyclePolicy` on the pinned repositories. Image assets are
   * not held.
   *
   * @default false
   */
  readonly holdImage?: boolean;

  /**
   * With `holdImage`: fail the deployment when a rule of a repository's
   * lifecycle policy could still expire or archive a held image.
   *
   * @default false
   */
  readonly failOnLifecycleRisk?: boolean;

  /**
   * Restore a pinned image that is in ECR's archive (see
   * `ImageDigestLookupProps.restoreArchived`).
   *
   * @default false
   */
  readonly restoreArchived?: boolean;

  /**
   * Fail the deployment unless each pinned image carries a valid signature
   * by a signer the requirement trusts (see
   * `ImageDigestLookupProps.requireSignature`). The lookup role may then
   * also call `ecr:GetDownloadUrlForLayer` on the pinned repositories.
   * Image assets are not verified.
   *
   * @default - no signature requirement
   */
  readonly requireSignature?: SignatureRequirement;

  /**
   * Fail the deployment when a pinned image's ECR scan reports too many
   * findings (see `ImageDigestLookupProps.requireScan`).
   *
   * @default - no scan requirement
   */
  readonly requireScan?: ScanRequirement;

  /**
   * How long each lookup waits for its image to be pushed (see
   * `ImageDigestLookupProps.waitFor`).
   *
   * @default - no wait
   */
  readonly waitFor?: Duration;
}

/**
 * Options of `PinImageDigests`.
 */
export interface PinImageDigestsProps {
  /**
   * Pin only the references of resources whose construct path matches one of
   * these patterns (`*` matches any run of characters, `/` included), such as
   * `Prod/Api/*`. References left out are listed in the summary as skipped.
   *
   * @default - every resource
   */
  readonly includePaths?: string[];

  /**
   * Leave out the references of resources whose construct path matches one
   * of these patterns (`*` matches any run of characters).
   *
   * @default - none
   */
  readonly excludePaths?: string[];

  /**
   * Pin only images of repositories whose name matches one of these patterns
   * (`*` matches any run of characters), such as `team-a/*`. A repository
   * whose name synth cannot know (a generated name, the bootstrap
   * repository of image assets) is matched by its construct path.
   *
   * @default - every repository
   */
  readonly includeRepositories?: string[];

  /**
   * Leave out images of repositories whose name (or, when synth cannot know
   * it, construct path) matches one of these patterns.
   *
   * @default - none
   */
  readonly excludeRepositories?: string[];

  /**
   * When the lookups created to pin the references run again.
   *
   * @default Refresh.everyDeployment() for tags; Refresh.onPropertyChange()
   * for image assets, whose tag is the hash of their source and is published once
   */
  readonly refresh?: Refresh;

  /**
   * Whether to pin images that CDK builds and publishes itself
   * (`ContainerImage.fromAsset`, `DockerImageCode.fromImageAsset`,
   * `DockerImageAsset`). Their tag is the asset's hash, which names one
   * build; pinning them makes the digest visible in the template and the
   * change set.
   *
   * @default true
   */
  readonly pinAssets?: boolean;

  /**
   * What each lookup the aspect creates does besides resolving the digest:
   * hold the image, require a signature or a scan, wait for the push. The
   * options are checked like the props of an `ImageDigestLookup`: a bad
   * combination fails synth, naming the lookup and the resource it pins.
   *
   * @default - the lookups only resolve digests
   */
  readonly lookupOptions?: PinnedLookupOptions;
}

/**
 * Pins every ECR image reference by tag in the scope it is applied to:
 * each becomes `repo@sha256:...` through an `ImageDigestLookup` in the same
 * stack, one per repository, tag and platform, all served by the stack's
 * lookup function.
 *
 * It rewrites the image properties of ECS task definitions, Lambda
 * functions (the manifest of the function's architecture), Batch job
 * definitions, App Runner services, SageMaker models and CodeBuild projects,
 * whichever construct wrote them. References it cannot pin (another
 * registry, a repository synth cannot know) get a warning
 * (`cdk-image-digest-lookup:imageNotPinned`); one already pinned by digest
 * gets a note; and the cloud assembly holds `image-digest-pins.json`, a
 * summary of every reference, pinned or skipped and why.
 *
 * Applying it twice, or to a stack that already uses lookups, changes
 * nothing more.
 *
 * Aspects do not cross into a `Stage`: aws-cdk-lib synthesizes each stage
 * with its own aspects. `PinImageDigests.applyTo(app)` adds the aspect to
 * the app and to every stage in it.
 *
 * @example
 * /// fixture=with-app
 * Aspects.of(app).add(new PinImageDigests());
 */
export class PinImageDigests implements IAspect {
  /**
   * Adds one `PinImageDigests` to `scope` and to every `Stage` under it (a
   * CDK Pipelines stage included), which aspects of the app do not reach.
   * Call it once the stages exist, such as just before `app.synth()`.
   *
   * @example
   * /// fixture=with-app
   * PinImageDigests.applyTo(app);
   */
  public static applyTo(scope: IConstruct, props: PinImageDigestsProps = {}): PinImageDigests {
    const aspect = new PinImageDigests(props);
    for (const construct of [scope, ...scope.node.findAll().filter((c) => c !== scope && Stage.isStage(c))]) {
      Aspects.of(construct).add(aspect);
    }
    return aspect;
  }

  private readonly sources = new WeakMap<IConstruct, ImageSources>();

  public constructor(private readonly props: PinImageDigestsProps = {}) {}

  /** Pins the references of each stack (nested stacks included) it visits. */
  public visit(node: IConstruct): void {
    if (!Stack.isStack(node)) {
      return;
    }
    const root = node.node.root;
    let sources = this.sources.get(root);
    if (sources === undefined) {
      sources = new ImageSources(root);
      this.sources.set(root, sources);
    }
    pinStack(node, sources, this.props);
  }
}
