import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';

/** IAM's limits, in characters of policy JSON without whitespace. */
const ROLE_INLINE_LIMIT = 10_240;
const MANAGED_POLICY_LIMIT = 6_144;
const MANAGED_POLICIES_PER_ROLE_DEFAULT = 10;
const MANAGED_POLICIES_PER_ROLE_MAX = 20;

/** Room for the document's skeleton: version, statement, effect, action. */
const DOCUMENT_OVERHEAD = 120;

/**
 * The longest value a CloudFormation pseudo parameter can take, for sizing
 * ARNs that are still tokens at synth.
 */
const PSEUDO_PARAMETER_MAX: Record<string, number> = {
  'AWS::Partition': 10,
  'AWS::Region': 20,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': 20,
};
/** A value known only at deploy time: an ECR ARN's prefix plus the longest repository name. */
const UNKNOWN_VALUE_MAX = 60 + 256;

/**
 * The `ecr:DescribeImages` permissions of the provider's role, one ARN per
 * distinct repository, laid out so that IAM accepts them at any scale.
 *
 * aws-cdk-lib would size every token ARN at 150 characters and could not split
 * one long statement, so the layout is done here with an upper bound of each
 * ARN's resolved length: first the role's inline policy (which also holds the
 * log permissions), then managed policies of up to 6,144 characters each. Each
 * lookup waits only for the policy that holds its repository, which keeps a
 * lookup's template cost at one resource and one `DependsOn` entry.
 */
export class DescribeImagesGrants extends Construct {
  /** The inline policy: logs and the first repositories. The function waits for it. */
  public readonly inlinePolicy: iam.Policy;

  private readonly role: iam.IRole;
  private readonly describeImages: iam.PolicyStatement;
  private inlineSize: number;
  private readonly managed: Array<{ policy: iam.ManagedPolicy; statement: iam.PolicyStatement; size: number }> = [];
  private readonly granted = new Map<string, IDependable>();

  public constructor(scope: Construct, id: string, role: iam.IRole, logStatement: iam.PolicyStatement) {
    super(scope, id);
    this.role = role;
    this.describeImages = new iam.PolicyStatement({ actions: ['ecr:DescribeImages'] });
    this.inlinePolicy = new iam.Policy(this, 'Inline', {
      roles: [role],
      statements: [logStatement, this.describeImages],
    });
    this.inlineSize = DOCUMENT_OVERHEAD * 2 + estimateStatementSize(this, logStatement);
  }

  /**
   * Grants `ecr:DescribeImages` on a repository, once however many lookups use
   * it, and returns what a lookup of it must wait for.
   */
  public grant(repositoryArn: string): IDependable {
    const stack = Stack.of(this);
    // Two imports of one repository are different tokens for the same ARN.
    const key = JSON.stringify(stack.resolve(repositoryArn));
    const existing = this.granted.get(key);
    if (existing) {
      return existing;
    }
    const size = maxResolvedLength(stack.resolve(repositoryArn)) + 3;
    let holder: IDependable;
    if (this.managed.length === 0 && this.inlineSize + size <= ROLE_INLINE_LIMIT) {
      this.describeImages.addResources(repositoryArn);
      this.inlineSize += size;
      holder = this.inlinePolicy;
    } else {
      holder = this.addToManagedPolicy(repositoryArn, size);
    }
    this.granted.set(key, holder);
    return holder;
  }

  private addToManagedPolicy(repositoryArn: string, size: number): IDependable {
    let current = this.managed[this.managed.length - 1];
    if (!current || current.size + size > MANAGED_POLICY_LIMIT) {
      const count = this.managed.length + 1;
      if (count > MANAGED_POLICIES_PER_ROLE_MAX) {
        throw new Error(`ImageDigestLookup: the lookups of this stack name more repositories than one role's IAM policies can list (${this.granted.size} so far, needing more than ${MANAGED_POLICIES_PER_ROLE_MAX} managed policies): split the lookups over several stacks.`);
      }
      if (count === MANAGED_POLICIES_PER_ROLE_DEFAULT + 1) {
        Annotations.of(this).addWarningV2('cdk-image-digest-lookup:managedPolicyQuota',
          `The lookups of this stack need more than ${MANAGED_POLICIES_PER_ROLE_DEFAULT} managed policies on one role to list their repositories: raise the account's "Managed policies per role" IAM quota (up to ${MANAGED_POLICIES_PER_ROLE_MAX}) or split the lookups over several stacks.`);
      }
      const statement = new iam.PolicyStatement({ actions: ['ecr:DescribeImages'] });
      const policy = new iam.ManagedPolicy(this, `Repositories${count}`, {
        description: 'ecr:DescribeImages on repositories named by ImageDigestLookup resources',
        roles: [this.role],
        statements: [statement],
      });
      current = { policy, statement, size: DOCUMENT_OVERHEAD };
      this.managed.push(current);
    }
    current.statement.addResources(repositoryArn);
    current.size += size;
    return current.policy;
  }
}

function estimateStatementSize(scope: Construct, statement: iam.PolicyStatement): number {
  return maxJsonLength(Stack.of(scope).resolve(statement.toStatementJson()));
}

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
function maxJsonLength(value: unknown): number {
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
