import { CfnResource, Fn, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ImageDigestLookupProps, LookupImageCodeOptions } from './image-digest-lookup-props';
import { ImageSelector } from './image-selector';
import { Attribute, LookupProperties, RESOURCE_TYPE, SEVERITY_ATTRIBUTES, TAG_SEPARATOR } from './private/contract';
import { LookupProvider } from './private/lookup-provider';
import { publishValue } from './private/publish-value';
import { scanGateProperties, totalWaitSeconds, validateRequest } from './private/validate';
import { PublishedImage, PublishedValue, PublishOptions } from './publish';
import { Refresh } from './refresh';
import { ScanRequirement, ScanSeverity } from './scan-requirement';

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
 * @example
 * const repository = ecr.Repository.fromRepositoryName(this, 'Repo', 'api');
 * const api = new ImageDigestLookup(this, 'Api', { repository, tag: 'main' });
 * taskDefinition.addContainer('api', { image: api.containerImage(), memoryLimitMiB: 512 });
 */
export class ImageDigestLookup extends Construct {
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

  /** The platform the lookup resolves to, if any. */
  public readonly platform?: string;

  /** The custom resource that performs the lookup. */
  public readonly resource: CfnResource;

  private readonly requireScan?: ScanRequirement;

  public constructor(scope: Construct, id: string, props: ImageDigestLookupProps) {
    super(scope, id);

    if (props.tag !== undefined && props.image !== undefined) {
      throw new Error(`ImageDigestLookup: both tag ${JSON.stringify(props.tag)} and image (${props.image._describe()}) are set, but a lookup selects one image: keep one of them.`);
    }
    const selector = props.image ?? ImageSelector.tag(props.tag ?? 'latest');
    const repository = props.repository;
    const request = { repository, selector, platform: props.platform, waitFor: props.waitFor, requireScan: props.requireScan };
    validateRequest(request);

    const provider = LookupProvider.of(this);
    provider.allow(repository, [
      // BatchGetImage for every lookup: only the index tells whether an image index ECR reports holds a runnable image.
      'ecr:DescribeImages', 'ecr:BatchGetImage',
      ...(props.requireScan !== undefined ? ['ecr:DescribeImageScanFindings' as const] : []),
    ]);
    provider.coverWait(totalWaitSeconds(request));

    const properties: LookupProperties = {
      ServiceToken: provider.serviceToken,
      RepositoryName: repository.repositoryName,
      RegistryId: repository.env.account,
      Region: repository.env.region,
      ...selector._properties(),
      Platform: props.platform,
      WaitForSeconds: props.waitFor ? String(props.waitFor.toSeconds()) : undefined,
      ScanGate: scanGateProperties(props.requireScan),
      RefreshToken: (props.refresh ?? Refresh.everyDeployment())._refreshToken(this, () => provider.perSynthToken),
    };
    // The service token references the function, which references its role
    // and all of the role's policies: the first invocation cannot race the grant.
    this.resource = new CfnResource(this, 'Resource', { type: RESOURCE_TYPE, properties: { ...properties } });

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
    this.tag = selector._tag ?? Fn.select(0, this.imageTags);
  }

  /**
   * The image as an ECS container image, pinned by digest. Adding it to a
   * container grants the task's execution role permission to pull it.
   */
  public containerImage(): ecs.ContainerImage {
    return ecs.ContainerImage.fromEcrRepository(this.repository, this.digest);
  }

  /**
   * The image as Lambda function code, pinned by digest. Like
   * `DockerImageCode.fromEcr`, it allows the Lambda service to pull from the
   * repository. Pass the function's `architecture` to pin the manifest of
   * that architecture when the image is a multi-architecture index.
   */
  public dockerImageCode(options: LookupImageCodeOptions = {}): lambda.DockerImageCode {
    const { architecture, ...imageOptions } = options;
    const digest = architecture ? this.forPlatform(architecture.dockerPlatform).digest : this.digest;
    return lambda.DockerImageCode.fromEcr(this.repository, { ...imageOptions, tagOrDigest: digest });
  }

  /**
   * This lookup when it already resolves `platform`; otherwise a second
   * lookup, created once, that resolves this lookup's digest to the platform.
   * Selecting by this lookup's digest keeps both on the same image.
   */
  private forPlatform(platform: string): ImageDigestLookup {
    if (this.platform === platform) {
      return this;
    }
    if (this.platform !== undefined) {
      throw new Error(`ImageDigestLookup ${this.node.path}: dockerImageCode() was asked for a function on ${platform}, but the lookup resolves platform ${this.platform}: give the function the architecture of ${this.platform}, or look the image up again for ${platform}.`);
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
      // The digest property changes whenever this lookup's digest does.
      refresh: Refresh.onPropertyChange(),
    });
  }

  /**
   * How many findings of `severity` the image's scan reported at deploy
   * time. Only lookups with `requireScan` read the scan.
   */
  public findingCount(severity: ScanSeverity): number {
    if (this.requireScan === undefined) {
      throw new Error(`ImageDigestLookup ${this.node.path}: findingCount(${severity}) needs the image's scan, which only a lookup with requireScan reads: set requireScan, with thresholds as high as you accept.`);
    }
    return Token.asNumber(this.resource.getAtt(SEVERITY_ATTRIBUTES[severity]));
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
    const values = { [PublishedValue.IMAGE_URI]: this.imageUri, [PublishedValue.DIGEST]: this.digest };
    const what = options.value === PublishedValue.DIGEST ? 'digest' : 'image URI';
    return publishValue(this, values, `The ${what} of the image resolved by ${this.node.path}`, options);
  }

  private attribute(name: string): string {
    return Token.asString(this.resource.getAtt(name));
  }
}
