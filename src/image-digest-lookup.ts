import { CfnResource, Fn, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Attribute, LookupProperties, RESOURCE_TYPE, TAG_SEPARATOR } from './private/contract';
import { LookupProvider } from './private/lookup-provider';
import { checkRegion, checkRegistryId, checkRepositoryName, checkTag } from './private/rules';
import { Refresh } from './refresh';

/**
 * Properties of an `ImageDigestLookup`.
 */
export interface ImageDigestLookupProps {
  /**
   * The repository that holds the image.
   *
   * Any `IRepository` works: one defined in the stack, `Repository.fromRepositoryName`
   * (same account and region as the stack) or `Repository.fromRepositoryArn`
   * (any account and region: the lookup calls ECR in the repository's region,
   * with its account as the registry id; that repository's policy must then
   * allow `ecr:DescribeImages` to the stack's lookup role).
   */
  readonly repository: ecr.IRepository;

  /**
   * The tag to resolve. A literal tag is checked against Docker's tag grammar
   * at synth; a token is checked at deploy time.
   *
   * @default 'latest'
   */
  readonly tag?: string;

  /**
   * When the lookup runs again.
   *
   * @default Refresh.everyDeployment()
   */
  readonly refresh?: Refresh;
}

/**
 * Options for the Lambda image code returned by `dockerImageCode()`.
 */
export interface LookupImageCodeOptions {
  /**
   * The command to run, overriding the image's CMD.
   *
   * @default - the image's CMD
   */
  readonly cmd?: string[];

  /**
   * The entry point, overriding the image's ENTRYPOINT.
   *
   * @default - the image's ENTRYPOINT
   */
  readonly entrypoint?: string[];

  /**
   * The working directory, overriding the image's WORKDIR.
   *
   * @default - the image's WORKDIR
   */
  readonly workingDirectory?: string;
}

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

  /** The tag that was looked up. */
  public readonly tag: string;

  /**
   * The image's digest, `sha256:<64 hex>`, resolved at deploy time.
   *
   * The `sha256:` prefix is a literal in the template, so aws-cdk-lib's own
   * `ContainerImage.fromEcrRepository(repo, digest)` and
   * `DockerImageCode.fromEcr(repo, { tagOrDigest: digest })` also build the
   * URI with the `@` separator a digest needs.
   */
  public readonly digest: string;

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

  /** The custom resource that performs the lookup. */
  public readonly resource: CfnResource;

  public constructor(scope: Construct, id: string, props: ImageDigestLookupProps) {
    super(scope, id);

    const tag = props.tag ?? 'latest';
    const repository = props.repository;
    validate(repository, tag);

    const provider = LookupProvider.of(this);
    provider.allowDescribeImages(repository);

    const properties: LookupProperties = {
      ServiceToken: provider.serviceToken,
      RepositoryName: repository.repositoryName,
      RegistryId: repository.env.account,
      Region: repository.env.region,
      Tag: tag,
      RefreshToken: (props.refresh ?? Refresh.everyDeployment())._refreshToken(this, () => provider.perSynthToken),
    };
    // The service token references the function, which references its role
    // and all of the role's policies: the first invocation cannot race the grant.
    this.resource = new CfnResource(this, 'Resource', { type: RESOURCE_TYPE, properties: { ...properties } });

    this.repository = repository;
    this.tag = tag;
    this.digest = `sha256:${this.attribute(Attribute.DIGEST_HEX)}`;
    this.imageUri = repository.repositoryUriForDigest(this.digest);
    this.sizeInBytes = Token.asNumber(this.resource.getAtt(Attribute.SIZE_IN_BYTES));
    this.pushedAt = this.attribute(Attribute.PUSHED_AT);
    this.manifestMediaType = this.attribute(Attribute.MANIFEST_MEDIA_TYPE);
    this.imageTags = Fn.split(TAG_SEPARATOR, this.attribute(Attribute.IMAGE_TAGS));
    this.imageTagCount = Token.asNumber(this.resource.getAtt(Attribute.IMAGE_TAG_COUNT));
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
   * repository.
   */
  public dockerImageCode(options: LookupImageCodeOptions = {}): lambda.DockerImageCode {
    return lambda.DockerImageCode.fromEcr(this.repository, { ...options, tagOrDigest: this.digest });
  }

  private attribute(name: string): string {
    return Token.asString(this.resource.getAtt(name));
  }
}

/** Rejects literal values that ECR would refuse, before any resource exists. */
function validate(repository: ecr.IRepository, tag: string): void {
  const problems = [
    Token.isUnresolved(tag) ? undefined : checkTag('tag', tag),
    Token.isUnresolved(repository.repositoryName) ? undefined : checkRepositoryName('repository name', repository.repositoryName),
    Token.isUnresolved(repository.env.account) ? undefined : checkRegistryId('repository account', repository.env.account),
    Token.isUnresolved(repository.env.region) ? undefined : checkRegion('repository region', repository.env.region),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new Error(`ImageDigestLookup: ${problems.join(' ')}`);
  }
}
