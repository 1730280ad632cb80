import { Annotations, CfnResource, Fn, Lazy, Names, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ImageDigestLookupProps, LookupImageCodeOptions } from './image-digest-lookup-props';
import { ImageSelector } from './image-selector';
import { LookupProviderOptions } from './lookup-provider-options';
import { isContextPlaceholder } from './private/context-placeholders';
import { deploymentStack, StackLocalContainerImage, StackLocalImageCode, warnAboutMovingExports } from './private/cross-stack';
import { HOLD_ACTIONS, holdAttribute } from './private/image-hold';
import { LookupProvider } from './private/lookup-provider';
import { publishValue } from './private/publish-value';
import { lookupRequest, totalWaitSeconds } from './private/synth-request';
import { resolveAtSynth } from './private/synth-resolution';
import { DigestPinnedImageCode } from './private/version-pinning';
import { PublishedImage, PublishedValue, PublishOptions } from './publish';
import { Refresh } from './refresh';
import { ScanRequirement, ScanSeverity } from './scan-requirement';
import { Attribute, HoldAttribute, RESOURCE_TYPE, ScanRequirementProperties, SEVERITY_ATTRIBUTES, SignatureAttribute, TAG_SEPARATOR } from './shared/contract';
import { toProperties } from './shared/lookup-request';
import { samePlatform } from './shared/platforms';
import { valueIf } from './shared/selectors';

/**
 * Resolves an ECR image tag to the image's immutable digest at deploy time.
 *
 * A custom resource calls ECR `DescribeImages` during the deployment and
 * exposes the digest and the image's metadata as attributes. Referencing
 * `imageUri`, `containerImage()` or `dockerImageCode()` pins a task definition
 * or function to the exact image the tag pointed to, so every deployment of a
 * template runs the same code, the diff shows when the image changes, and a
 * moved tag reaches Lambda functions too.
 *
 * All lookups of a stack share one Lambda function and one role.
 *
 * `containerImage()` and `dockerImageCode()` may be used in other stacks: there
 * they look the image up again, at that stack's deployment, so that no value
 * that moves with the tag is exported between stacks.
 *
 * @example
 * const repository = ecr.Repository.fromRepositoryName(this, 'Repo', 'api');
 * const api = new ImageDigestLookup(this, 'Api', { repository, tag: 'main' });
 * taskDefinition.addContainer('api', { image: api.containerImage(), memoryLimitMiB: 512 });
 */
export class ImageDigestLookup extends Construct {
  /**
   * Sets up the lookup function of `scope`'s stack: a fixed role name, or an
   * existing role. Call it before the stack's first lookup or `lookupRole()`;
   * calling it again with other options fails.
   *
   * @example
   * ImageDigestLookup.configureProvider(this, { roleName: 'image-digest-lookup-app' });
   */
  public static configureProvider(scope: Construct, options: LookupProviderOptions): void {
    LookupProvider.configure(scope, options);
  }

  /**
   * The role that the lookups of `scope`'s stack run as, for example to grant
   * it `ecr:DescribeImages` in another account's repository policy. Calling it
   * before the first lookup sets up the stack's lookup function with default
   * options.
   */
  public static lookupRole(scope: Construct): iam.IRole {
    return LookupProvider.of(scope).role;
  }

  /** The repository the image was looked up in. */
  public readonly repository: ecr.IRepository;

  /**
   * The tag that was looked up. With `ImageSelector.digest()` or
   * `ImageSelector.newest()`, the first of the resolved image's tags at deploy
   * time (the matching tag for `newest`), empty when it has none.
   */
  public readonly tag: string;

  /**
   * The image's digest, `sha256:<64 hex>`, resolved at deploy time; with a
   * `platform`, the digest of that platform's manifest.
   *
   * The `sha256:` prefix is a literal in the template, so aws-cdk-lib's own
   * `ContainerImage.fromEcrRepository(repo, digest)` and
   * `DockerImageCode.fromEcr(repo, { tagOrDigest: digest })` also build the
   * URI with the `@` separator a digest needs.
   */
  public readonly digest: string;

  /**
   * With a `platform`, the digest of the image index the platform's manifest
   * was picked from; empty when the image is a plain manifest or no platform
   * was asked for.
   */
  public readonly indexDigest: string;

  /** `<account>.dkr.ecr.<region>.<url suffix>/<repository>@sha256:<64 hex>`. */
  public readonly imageUri: string;

  /** The image's size in bytes as ECR reports it, 0 where ECR reports none. */
  public readonly sizeInBytes: number;

  /** When the image was pushed, in ISO-8601 (UTC). */
  public readonly pushedAt: string;

  /** The media type of the image's manifest, such as `application/vnd.oci.image.manifest.v1+json`. */
  public readonly manifestMediaType: string;

  /**
   * The tags of the resolved image. An image with so many tags that they do
   * not fit CloudFormation's 4 KiB response carries only as many as fit;
   * `imageTagCount` tells how many there are.
   */
  public readonly imageTags: string[];

  /** How many tags the resolved image has, including any left out of `imageTags`. */
  public readonly imageTagCount: number;

  /** With `holdImage`: the tag that holds the image while this lookup exists. */
  public get holdTag(): string {
    return holdAttribute(this, this.props, 'holdTag', HoldAttribute.HOLD_TAG);
  }

  /** With `holdImage`: the lifecycle rules that could still expire or archive the held image, one sentence each; empty when none. */
  public get lifecycleRisk(): string {
    return holdAttribute(this, this.props, 'lifecycleRisk', HoldAttribute.LIFECYCLE_RISK);
  }

  /** The platform the lookup resolves to, if any. */
  public readonly platform?: string;

  /** The custom resource that performs the lookup. */
  public readonly resource: CfnResource;

  private readonly props: ImageDigestLookupProps;
  private readonly requireScan?: ScanRequirement;
  /** Whether anything reads this lookup's own scan, which an index does not have. */
  private ownScanRead = false;
  /** Whether `dockerImageCode({ architecture })` pins a platform lookup's manifest, in this stack or another. */
  private platformPinned = false;

  public constructor(scope: Construct, id: string, props: ImageDigestLookupProps) {
    super(scope, id);
    this.props = props;

    const checked = lookupRequest(this, props);
    const refresh = props.refresh ?? Refresh.everyDeployment();
    const onMovedImage = refresh._onMovedImage();
    const repository = props.repository;

    const provider = LookupProvider.of(this);
    provider.allow(repository, [
      // BatchGetImage for every lookup: only the index tells whether an image index ECR reports holds a runnable image.
      'ecr:DescribeImages', 'ecr:BatchGetImage',
      ...(props.requireScan !== undefined ? ['ecr:DescribeImageScanFindings' as const] : []),
      ...(checked.hold ? HOLD_ACTIONS : []),
      ...(checked.restoreArchived ? ['ecr:UpdateImageStorageClass' as const] : []),
      ...(props.requireSignature !== undefined ? ['ecr:GetDownloadUrlForLayer' as const] : []),
    ]);
    if (props.requireSignature?.notationRootCertificates !== undefined) {
      provider.allowRevocationCheck();
    }
    const perSynth = () => refresh._refreshToken(this, () => provider.perSynthToken);
    const { request, refreshToken } = onMovedImage === undefined
      ? { request: checked, refreshToken: perSynth() }
      : resolveAtSynth(this, checked, onMovedImage, perSynth);
    provider.coverWait(totalWaitSeconds(request));

    const properties = toProperties(request, {
      serviceToken: provider.serviceToken,
      refreshToken,
      // String() of a number token would write its encoding, not a reference.
      writeNumber: Tokenization.stringifyNumber,
      writeScanRequirement: (written) => this.deferScanRequirement(written),
    });
    // The service token references the function, which references its role
    // and all of the role's policies: the first invocation cannot race the grant.
    this.resource = new CfnResource(this, 'Resource', { type: RESOURCE_TYPE, properties: { ...properties } }); // a copy: CfnResource wants an index signature

    this.requireScan = props.requireScan;
    this.repository = repository;
    this.platform = props.platform;
    this.digest = `sha256:${this.attribute(Attribute.DIGEST_HEX)}`;
    this.indexDigest = this.attribute(Attribute.INDEX_DIGEST);
    this.imageUri = repository.repositoryUriForDigest(this.digest);
    this.sizeInBytes = Token.asNumber(this.resource.getAtt(Attribute.SIZE_IN_BYTES));
    this.pushedAt = this.attribute(Attribute.PUSHED_AT);
    this.manifestMediaType = this.attribute(Attribute.MANIFEST_MEDIA_TYPE);
    this.imageTags = Fn.split(TAG_SEPARATOR, this.attribute(Attribute.IMAGE_TAGS));
    this.imageTagCount = Token.asNumber(this.resource.getAtt(Attribute.IMAGE_TAG_COUNT));
    this.tag = valueIf(request.selector, 'tag') ?? Fn.select(0, this.imageTags);
    warnAboutMovingExports(this, this.resource,
      [...Object.values(Attribute), ...Object.values(SEVERITY_ATTRIBUTES), ...Object.values(SignatureAttribute)]);
  }

  /**
   * The image as an ECS container image, pinned by digest. Adding it to a
   * container grants the task's execution role permission to pull it.
   *
   * In another stack, the image comes from a twin of this lookup created
   * there (once per stack), resolved at that stack's deployment: only the
   * repository crosses the stacks, never the digest, which moves with the tag.
   */
  public containerImage(): ecs.ContainerImage {
    return new StackLocalContainerImage((stack) => {
      const lookup = this.inStack(stack);
      lookup.ownScanRead = true;
      return ecs.ContainerImage.fromEcrRepository(lookup.repository, lookup.digest);
    });
  }

  /**
   * The image as Lambda function code, pinned by digest. Like
   * `DockerImageCode.fromEcr`, it allows the Lambda service to pull from the
   * repository. Pass the function's `architecture` to pin the manifest of
   * that architecture when the image is a multi-architecture index.
   *
   * In another stack, like `containerImage()`, a twin lookup in that stack
   * resolves the image at that stack's deployment.
   *
   * Versions of the function follow the digest: each `AWS::Lambda::Version`
   * of it (`currentVersion`, or one created with `lambda.Version`) gets the
   * digest as its `CodeSha256`, unless it sets its own, so a new digest
   * publishes a new version and moves the aliases that point to it.
   */
  public dockerImageCode(options: LookupImageCodeOptions = {}): lambda.DockerImageCode {
    if (options.architecture) {
      this.checkPlatform(options.architecture.dockerPlatform);
    }
    return new StackLocalImageCode((stack) => {
      this.platformPinned ||= options.architecture !== undefined;
      return this.inStack(stack).localImageCode(options);
    });
  }

  private localImageCode(options: LookupImageCodeOptions): lambda.DockerImageCode {
    const { architecture, ...imageOptions } = options;
    const lookup = architecture ? this.forPlatform(architecture.dockerPlatform) : this;
    this.platformPinned ||= lookup !== this;
    lookup.ownScanRead = true;
    const digestHex = Token.asString(lookup.resource.getAtt(Attribute.DIGEST_HEX));
    return new DigestPinnedImageCode(this.repository, { ...imageOptions, tagOrDigest: lookup.digest }, digestHex);
  }

  /**
   * This lookup in its own stack; in any other, its twin there: a lookup of
   * the same repository with the same props, created once per stack and
   * served by that stack's provider.
   */
  private inStack(stack: Stack): ImageDigestLookup {
    if (stack === deploymentStack(this)) {
      return this;
    }
    const id = `ImageDigestLookup${Names.uniqueId(this)}`;
    const existing = stack.node.tryFindChild(id);
    return existing instanceof ImageDigestLookup ? existing : new ImageDigestLookup(stack, id, this.props);
  }

  /**
   * The scan requirement, left out while only platform lookups created by
   * `dockerImageCode({ architecture })` (here or in a twin in another stack)
   * use the image: ECR scans each platform's manifest and never an index,
   * and those lookups gate the manifests that run.
   */
  private deferScanRequirement(written: ScanRequirementProperties): ScanRequirementProperties {
    return Lazy.any({ produce: () => (this.platformPinned && !this.ownScanRead ? undefined : written) }) as unknown as ScanRequirementProperties;
  }

  /**
   * This lookup when it already resolves `platform`; otherwise a second
   * lookup, created once, that resolves this lookup's digest to the platform.
   * Selecting by this lookup's digest keeps both on the same image.
   */
  private forPlatform(platform: string): ImageDigestLookup {
    if (this.platform !== undefined) {
      this.checkPlatform(platform);
      return this;
    }
    const id = `Platform-${platform.replace(/\//g, '-')}`;
    const existing = this.node.tryFindChild(id);
    if (existing instanceof ImageDigestLookup) {
      return existing;
    }
    return new ImageDigestLookup(this, id, {
      repository: this.repository,
      image: ImageSelector.digest(this.digest),
      platform,
      // ECR scans each platform's manifest, not the index.
      requireScan: this.requireScan,
      // The index's signature covers the platform's manifest, which it names by digest.
      requireSignature: this.props.requireSignature,
      // The digest property changes whenever this lookup's digest does.
      refresh: Refresh.onPropertyChange(),
      // The platform's manifest is what the function runs: it is held too.
      holdImage: this.props.holdImage,
      failOnLifecycleRisk: this.props.failOnLifecycleRisk,
      restoreArchived: this.props.restoreArchived,
    });
  }

  /** Throws unless a lookup with a platform resolves `platform`; a token or a context placeholder is the user's word. */
  private checkPlatform(platform: string): void {
    const known = this.platform !== undefined && !Token.isUnresolved(this.platform) && !isContextPlaceholder(this, this.platform);
    if (known && !samePlatform(this.platform!, platform)) {
      throw new Error(`ImageDigestLookup ${this.node.path}: dockerImageCode() was asked for a function on ${platform}, but the lookup resolves platform ${this.platform}: give the function the architecture of ${this.platform}, or look the image up again for ${platform}.`);
    }
  }

  /**
   * How many findings of `severity` the image's scan reported at deploy
   * time. Only lookups with `requireScan` read the scan.
   */
  public findingCount(severity: ScanSeverity): number {
    this.ownScanRead = true;
    if (this.requireScan === undefined) {
      throw new Error(`ImageDigestLookup ${this.node.path}: findingCount(${severity}) needs the image's scan, which only a lookup with requireScan reads: set requireScan, with thresholds as high as you accept.`);
    }
    return Token.asNumber(this.resource.getAtt(SEVERITY_ATTRIBUTES[severity]));
  }

  /**
   * Who signed the image, as `requireSignature` verified it: the Notation
   * signing certificate's subject, or `cosign key sha256:<fingerprint of the public key>`.
   */
  public get signedBy(): string {
    return this.signatureAttribute(SignatureAttribute.SIGNED_BY, 'signedBy');
  }

  /** When the image was signed (ISO-8601), as the verified Notation signature asserts; empty for cosign, whose signatures assert no time. */
  public get signedAt(): string {
    return this.signatureAttribute(SignatureAttribute.SIGNED_AT, 'signedAt');
  }

  /** The digest the verified signature signs: the image's own or, with a platform, possibly its index's. */
  public get signedDigest(): string {
    return this.signatureAttribute(SignatureAttribute.SIGNED_DIGEST, 'signedDigest');
  }

  /**
   * Publishes the resolved image URI (or digest) for consumers outside the
   * stack: as a stack output, optionally exported, and/or an SSM parameter.
   *
   * @example
   * /// fixture=with-lookup
   * api.publish({ parameterName: '/services/api/image', exportName: 'ApiImage' });
   */
  public publish(options: PublishOptions = {}): PublishedImage {
    if (options.exportName !== undefined) {
      Annotations.of(this).addWarningV2('cdk-image-digest-lookup:movingExport',
        `ImageDigestLookup ${this.node.path} exports its resolved value as ${String(options.exportName)}, which changes whenever the tag moves; CloudFormation refuses to update an export that another stack imports, so importing it with Fn.importValue breaks the next deployment after a push. Read an SSM parameter (parameterName) instead, or use containerImage()/dockerImageCode() in the other stack; acknowledge this warning when nothing imports the export.`);
    }
    const values = { [PublishedValue.IMAGE_URI]: this.imageUri, [PublishedValue.DIGEST]: this.digest };
    const what = options.value === PublishedValue.DIGEST ? 'digest' : 'image URI';
    return publishValue(this, values, `The ${what} of the image resolved by ${this.node.path}`, options);
  }

  private signatureAttribute(name: string, property: string): string {
    if (this.props.requireSignature === undefined) {
      throw new Error(`ImageDigestLookup ${this.node.path}: ${property} is known only to a lookup that verifies the image's signature: set requireSignature.`);
    }
    return this.attribute(name);
  }

  private attribute(name: string): string {
    return Token.asString(this.resource.getAtt(name));
  }
}
