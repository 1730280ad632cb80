/**
 * The naming rules that ECR and Docker enforce, checked once at synth time by
 * the construct (for literal values) and again at deploy time by the handler
 * (for values that were tokens at synth). Each check returns one sentence that
 * names the input, the bad value and the rule, or undefined when it passes.
 */

const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// OCI's digest grammar, with the hex length of a real hash: 'api:v1' is a
// misplaced repository:tag, not a digest.
const DIGEST_PATTERN = /^@?[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REGISTRY_ID_PATTERN = /^[0-9]{12}$/;
const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-[0-9]+$/;

/** Checks an image tag against Docker's grammar, which ECR enforces. */
export function checkTag(input: string, tag: string): string | undefined {
  if (DIGEST_PATTERN.test(tag)) {
    return `${input} ${JSON.stringify(tag)} is a digest, not a tag: a digest is already immutable, so reference it with repository.repositoryUriForDigest() instead of looking it up.`;
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
