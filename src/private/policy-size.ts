/**
 * Upper bounds of policy sizes for values that are still tokens at synth, in
 * characters of JSON without whitespace, as IAM counts them.
 */

/**
 * The longest value a CloudFormation pseudo parameter can take, for sizing
 * ARNs that are still tokens at synth.
 */
const PSEUDO_PARAMETER_MAX: Record<string, number> = {
  'AWS::Partition': 10,
  // The longest region names today have 14 characters (ap-southeast-5, eusc-de-east-1).
  'AWS::Region': 15,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': 20,
};
/** A value known only at deploy time: an ECR ARN's prefix plus the longest repository name. */
const UNKNOWN_VALUE_MAX = 60 + 256;

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
