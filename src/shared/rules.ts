/**
 * The rules both sides apply: checked once at synth time by the construct
 * (for literal values) and again at deploy time by the handler (for values
 * that were tokens at synth). Each check returns one sentence that names the
 * input, the bad value and the rule, or undefined when it passes.
 */

const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// OCI's digest grammar, with the hex length of a real hash: 'api:v1' is a
// misplaced repository:tag, not a digest.
const DIGEST_PATTERN = /^@?[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REGISTRY_ID_PATTERN = /^[0-9]{12}$/;
// Every partition's names: 'us-east-1', 'cn-north-1', 'us-gov-west-1',
// 'us-isob-east-1', 'eu-isoe-west-1', 'eusc-de-east-1'. The first part is not
// always two letters, and names that regions get later must pass as well.
const REGION_PATTERN = /^[a-z]{2,10}(?:-[a-z]{1,16}){1,3}-[0-9]{1,2}$/;

/** Checks an image tag against Docker's grammar, which ECR enforces. */
export function checkTag(input: string, tag: string): string | undefined {
  if (DIGEST_PATTERN.test(tag)) {
    return `${input} ${JSON.stringify(tag)} is a digest, not a tag: select the image by digest with image: ImageSelector.digest(...), which checks that it exists and is ACTIVE.`;
  }
  if (!TAG_PATTERN.test(tag)) {
    return `${input} ${JSON.stringify(tag)} is not a valid image tag: a tag is 1 to 128 characters of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`;
  }
  return undefined;
}

/** Checks a repository name against ECR's rule. */
export function checkRepositoryName(input: string, name: string): string | undefined {
  if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME_PATTERN.test(name)) {
    return `${input} ${JSON.stringify(name)} is not a valid ECR repository name: it must be 2 to 256 lower-case letters, digits and '/', with '.', '_' or '-' only between letters or digits.`;
  }
  return undefined;
}

/** Checks that a registry id is an AWS account id. */
export function checkRegistryId(input: string, registryId: string): string | undefined {
  if (!REGISTRY_ID_PATTERN.test(registryId)) {
    return `${input} ${JSON.stringify(registryId)} is not a valid ECR registry id: it must be the 12-digit AWS account id that owns the repository.`;
  }
  return undefined;
}

/** Checks that a region looks like an AWS region name. */
export function checkRegion(input: string, region: string): string | undefined {
  if (!REGION_PATTERN.test(region)) {
    const hint = region === '' ? ' (a repository imported by ARN is looked up in the ARN\'s region, so the ARN must name one)' : '';
    return `${input} ${JSON.stringify(region)} is not a valid AWS region: expected a name such as 'us-east-1'${hint}.`;
  }
  return undefined;
}

const SHA256_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const TAG_GLOB_PATTERN = /^[A-Za-z0-9_.*-]{1,128}$/;
const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/** Checks that a digest is a sha256 digest, the only kind that pins an image URI. */
export function checkDigest(input: string, digest: string): string | undefined {
  if (!SHA256_DIGEST_PATTERN.test(digest)) {
    return `${input} ${JSON.stringify(digest)} is not a valid image digest: expected 'sha256:' followed by 64 lower-case hex characters, as \`docker buildx imagetools inspect\` or ECR show it.`;
  }
  return undefined;
}

/** Checks a tag pattern: the characters of a tag, and `*` for any run of them, as in ECR lifecycle rules. */
export function checkTagPattern(input: string, pattern: string): string | undefined {
  if (!TAG_GLOB_PATTERN.test(pattern)) {
    return `${input} ${JSON.stringify(pattern)} is not a valid tag pattern: use 1 to 128 characters of letters, digits, '_', '.', '-', and '*' for any run of them, such as 'release-*'.`;
  }
  return undefined;
}

/** Checks a platform written as containers name it: `os/architecture`, or `os/architecture/variant`. */
export function checkPlatform(input: string, platform: string): string | undefined {
  if (!PLATFORM_PATTERN.test(platform)) {
    return `${input} ${JSON.stringify(platform)} is not a valid platform: write it as os/architecture or os/architecture/variant in lower case, such as 'linux/arm64', 'linux/amd64' or 'linux/arm/v7'.`;
  }
  return undefined;
}

/** Checks that a threshold of findings is a whole number of zero or more. */
export function checkFindingThreshold(input: string, value: number): string | undefined {
  if (!Number.isInteger(value) || value < 0) {
    return `${input} ${String(value)} is not a valid threshold: it must be a whole number of findings, 0 or more (0 allows none).`;
  }
  return undefined;
}

/** The longest a lookup may wait in all (for the push and for the scan), in seconds. */
export const MAX_WAIT_SECONDS = 14 * 60;

/**
 * Reads a whole number that CloudFormation carries as a string (every scalar
 * property arrives as one), or undefined when it is not a whole number from
 * `min` to `max`. An empty or blank string is rejected like any other
 * non-number, although `Number('')` is 0.
 */
export function readWholeNumber(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if ((typeof value !== 'string' && typeof value !== 'number') || (typeof value === 'string' && value.trim() === '')) {
    return undefined;
  }
  const number = Number(value);
  return Number.isInteger(number) && number >= min && number <= max ? number : undefined;
}
