import { Duration } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageSelector } from './image-selector';
import { Refresh } from './refresh';
import { ScanRequirement } from './scan-requirement';
import { SignatureRequirement } from './signature-requirement';

/**
 * Properties of an `ImageDigestLookup`.
 */
export interface ImageDigestLookupProps {
  /**
   * The repository that holds the image.
   *
   * Any `IRepository` works: one defined in this or another stack,
   * `Repository.fromRepositoryName`, `fromRepositoryArn`,
   * `fromRepositoryAttributes` or `fromLookup`. The lookup calls ECR in the
   * region of the repository's ARN, with the ARN's account as the registry id
   * (an ARN that is a token is split at deploy time), so the lookup, its grant
   * and `imageUri` name the same repository. A repository in another account
   * must allow `ecr:DescribeImages` and `ecr:BatchGetImage` to the stack's
   * lookup role.
   */
  readonly repository: ecr.IRepository;

  /**
   * The tag to resolve. A literal tag is checked against Docker's tag grammar
   * at synth; a token is checked at deploy time. Shorthand for
   * `image: ImageSelector.tag(tag)`; set `tag` or `image`, not both.
   *
   * @default 'latest', unless `image` is set
   */
  readonly tag?: string;

  /**
   * Which image to resolve: `ImageSelector.tag()`, `ImageSelector.digest()`
   * (verify that a known digest exists and is ACTIVE) or
   * `ImageSelector.newest()` (the most recently pushed runnable image).
   * Set `tag` or `image`, not both.
   *
   * @default ImageSelector.tag('latest')
   */
  readonly image?: ImageSelector;

  /**
   * The platform to resolve a multi-architecture image to, as
   * `os/architecture[/variant]`: `linux/arm64`, `linux/amd64`, `linux/arm/v7`.
   *
   * When the selected image is an image index (an OCI index or a Docker
   * manifest list, which `docker buildx` also writes for one platform when it
   * adds provenance), `digest` becomes the digest of that platform's manifest,
   * which Lambda requires, and `indexDigest` the index's. A plain image
   * manifest passes through unchanged. A platform the index lacks fails the
   * deployment with the platforms it has. The lookup role may call
   * `ecr:BatchGetImage` on the repository (as for every lookup), to read the index.
   *
   * @default - no platform: an index resolves to the index's own digest
   */
  readonly platform?: string;

  /**
   * How long to wait for the image to be pushed (and, for a tag, to be moved
   * there) when it is missing or not yet ACTIVE: the lookup polls ECR with
   * backoff, and fails saying how long it waited. Use it when the pipeline
   * deploys while the image is still being pushed.
   *
   * At most 14 minutes, together with the scan requirement's wait: the stack's lookup
   * function gets a timeout that covers the longest wait plus one minute. A
   * token (`Duration.seconds(param.valueAsNumber)`) is checked at deploy
   * time, and gives the function Lambda's full 15 minutes.
   *
   * @default - no wait: a missing image fails the deployment at once
   */
  readonly waitFor?: Duration;

  /**
   * Fail the deployment when the image's ECR scan reports too many findings
   * (by default: any CRITICAL one), and expose the counts through
   * `findingCount()`. The image must have been scanned (scan on push, a manual
   * scan, or enhanced scanning); `waitForScan` waits for a scan that is still
   * running. The lookup role then may also call
   * `ecr:DescribeImageScanFindings` on the repository. With a `platform`, the
   * platform's manifest is judged, which is what ECR scans.
   *
   * @default - no scan requirement
   */
  readonly requireScan?: ScanRequirement;

  /**
   * Fail the deployment unless the resolved image carries a valid signature
   * by a signer the requirement trusts (cosign public keys, Notation root
   * certificates and identities), and expose the signer through `signedBy`.
   * The lookup role then may also call `ecr:GetDownloadUrlForLayer` on the
   * repository, to read the signature envelopes.
   *
   * @default - no signature requirement
   */
  readonly requireSignature?: SignatureRequirement;

  /**
   * When the lookup runs again.
   *
   * @default Refresh.everyDeployment()
   */
  readonly refresh?: Refresh;

  /**
   * Hold the resolved image for as long as this lookup's resource exists, so
   * that no ECR lifecycle rule that spares tagged images deletes an image a
   * stack still runs, or may roll back to.
   *
   * The image gets a tag of its own, `cdk-hold-<stack and lookup>-<digest>`
   * (put with the image's own manifest: the image does not change). When the
   * tag moves on, the lookup is replaced: the new image is held at once, and
   * the old one until CloudFormation deletes the old resource, after the
   * update succeeded; a rollback releases the new one instead. Releasing
   * never deletes an image: when the hold is the image's last tag, the image
   * keeps `cdk-released-<digest>` instead, for a lifecycle rule to expire
   * (`HeldImages.protect()` adds both rules to a repository of the app).
   *
   * The lookup role may then also call `ecr:PutImage`, `ecr:BatchDeleteImage`
   * and `ecr:GetLifecyclePolicy` on the repository. At deploy time the
   * lookup reads the repository's lifecycle policy and reports rules that
   * could still expire or archive the held image (`lifecycleRisk`).
   *
   * @default false
   */
  readonly holdImage?: boolean;

  /**
   * With `holdImage`: fail the deployment, instead of only reporting it in
   * `lifecycleRisk` and the function's log, when a rule of the repository's
   * lifecycle policy could still expire or archive the held image.
   *
   * @default false
   */
  readonly failOnLifecycleRisk?: boolean;

  /**
   * When the selected image is in ECR's archive (ARCHIVED, which cannot be
   * pulled), ask ECR to restore it (`UpdateImageStorageClass` to standard
   * storage) and, within `waitFor`, wait until it is ACTIVE. Without
   * `waitFor` the deployment fails once the restore is asked for, and the
   * next deployment finds the image restored. The lookup role may then also
   * call `ecr:UpdateImageStorageClass` on the repository.
   *
   * @default false - an archived image fails the deployment, naming the command that restores it
   */
  readonly restoreArchived?: boolean;
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

  /**
   * The architecture of the function that runs the code. The code is pinned
   * to the digest of the manifest for that architecture's platform
   * (`linux/arm64` or `linux/amd64`), which Lambda needs when the image is a
   * multi-architecture index. On a lookup without `platform`, a second lookup
   * resolves the platform from the first one's digest; on a lookup with a
   * `platform`, the two must name the same platform (`linux/arm64` and
   * `linux/arm64/v8` do).
   *
   * @default - the lookup's own digest
   */
  readonly architecture?: lambda.Architecture;
}
