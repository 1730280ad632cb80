/**
 * Upper bounds of policy sizes for values that are still tokens at synth, in
 * characters of JSON without whitespace, as IAM counts them.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * Room for partitions and regions that AWS adds after this aws-cdk-lib was
 * released. Region names have grown from 9 (`us-east-1`) to 15 characters
 * (`us-isof-south-1`) and partition names to 10 (`aws-us-gov`); the headroom
 * assumes neither grows by more than this much again. A stack whose
 * partition and region are unknown at synth is sized for the longest of
 * each, in any combination, so its policies fit wherever it is deployed.
 */
export const REGION_HEADROOM = 5;
export const PARTITION_HEADROOM = 2;

/**
 * The longest names known when this was written, a floor for older
 * aws-cdk-lib versions whose RegionInfo lacks the newest regions.
 */
const KNOWN_REGION_MAX = 15;
const KNOWN_PARTITION_MAX = 10;
const KNOWN_URL_SUFFIX_MAX = 16;

const longest = (floor: number, names: string[]): number => Math.max(floor, ...names.map((name) => name.length));

/** The longest region name that IAM policies are sized for: the longest aws-cdk-lib knows, plus headroom. */
export const REGION_MAX = longest(KNOWN_REGION_MAX, RegionInfo.regions.map((region) => region.name)) + REGION_HEADROOM;
/** The longest partition name that IAM policies are sized for. */
export const PARTITION_MAX = longest(KNOWN_PARTITION_MAX, RegionInfo.regions.map((region) => region.partition ?? '')) + PARTITION_HEADROOM;
const URL_SUFFIX_MAX = longest(KNOWN_URL_SUFFIX_MAX, RegionInfo.regions.map((region) => region.domainSuffix ?? '')) + REGION_HEADROOM;

/**
 * The longest value a CloudFormation pseudo parameter can take, for sizing
 * ARNs that are still tokens at synth.
 */
const PSEUDO_PARAMETER_MAX: Record<string, number> = {
  'AWS::Partition': PARTITION_MAX,
  'AWS::Region': REGION_MAX,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': URL_SUFFIX_MAX,
  // `arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>`: a
  // stack name has at most 128 characters, the id is a 36-character UUID.
  'AWS::StackId': `arn::cloudformation:::${'0'.repeat(12)}:stack//`.length + PARTITION_MAX + REGION_MAX + 128 + 36,
};
/** The longest ECR repository name. */
const REPOSITORY_NAME_MAX = 256;
/**
 * A value known only at deploy time, such as an imported ARN: the longest an
 * ECR repository ARN can be, `arn:<partition>:ecr:<region>:<account>:repository/<name>`.
 */
const UNKNOWN_VALUE_MAX = `arn::ecr:::${'0'.repeat(12)}:repository/`.length + PARTITION_MAX + REGION_MAX + REPOSITORY_NAME_MAX;

/**
 * An upper bound of the length of a resolved CloudFormation string value once
 * deployed: pseudo parameters at their longest, anything else unknown at the
 * longest an ECR repository ARN can be.
 */
export function maxResolvedLength(value: unknown): number {
  if (typeof value === 'string') {
    return value.length;
  }
  const [fn, args] = Object.entries(value ?? {})[0] ?? [];
  if (fn === 'Ref' && typeof args === 'string' && args in PSEUDO_PARAMETER_MAX) {
    return PSEUDO_PARAMETER_MAX[args];
  }
  if (fn === 'Fn::Join' && Array.isArray(args) && Array.isArray(args[1])) {
    const parts = args[1] as unknown[];
    return parts.reduce((sum: number, part) => sum + maxResolvedLength(part), 0) + String(args[0]).length * Math.max(0, parts.length - 1);
  }
  return UNKNOWN_VALUE_MAX;
}

/** An upper bound of the length of a resolved JSON structure, without whitespace. */
export function maxJsonLength(value: unknown): number {
  if (Array.isArray(value)) {
    return 2 + value.reduce((sum: number, v) => sum + maxJsonLength(v) + 1, 0);
  }
  if (value && typeof value === 'object' && !isIntrinsic(value)) {
    return 2 + Object.entries(value).reduce((sum, [k, v]) => sum + k.length + 3 + maxJsonLength(v) + 1, 0);
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value).length : maxResolvedLength(value) + 2;
}

function isIntrinsic(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}
