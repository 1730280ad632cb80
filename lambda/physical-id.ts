/**
 * The lookup's physical id names the image it resolved:
 * `<registry>.dkr.ecr.<region>/<repository>@sha256:<64 hex>`. A new digest is
 * a new physical id, so CloudFormation treats a moved tag as a replacement,
 * and a rollback can tell from the id alone which image was deployed.
 */

/** The image a physical id names. */
export interface DeployedImage {
  readonly registryId: string;
  readonly region: string;
  readonly repositoryName: string;
  readonly digest: string;
}

const PHYSICAL_ID = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\/([a-z0-9][a-z0-9._\/-]*)@(sha256:[0-9a-f]{64})$/;

/** The physical id of a resolved image. */
export function physicalIdOf(image: DeployedImage): string {
  return `${image.registryId}.dkr.ecr.${image.region}/${image.repositoryName}@${image.digest}`;
}

/**
 * The image a physical id names; undefined for ids this handler did not
 * write as a success (the marker of a failed Create, or an id of another
 * provider).
 */
export function deployedImageOf(physicalResourceId: string | undefined): DeployedImage | undefined {
  const match = PHYSICAL_ID.exec(physicalResourceId ?? '');
  return match ? { registryId: match[1], region: match[2], repositoryName: match[3], digest: match[4] } : undefined;
}
