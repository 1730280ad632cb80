import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { maxJsonLength, maxResolvedLength } from './policy-size';

/** IAM's limits, in characters of policy JSON without whitespace. */
const ROLE_INLINE_LIMIT = 10_240;
const MANAGED_POLICY_LIMIT = 6_144;
const MANAGED_POLICIES_PER_ROLE_DEFAULT = 10;
const MANAGED_POLICIES_PER_ROLE_MAX = 20;

/** Room for a document's skeleton (version, statement, effect, action) and the policy's name. */
const DOCUMENT_OVERHEAD = 120;

/**
 * The role of the stack's lookup function. It may write to the function's log
 * group and call `ecr:DescribeImages` on exactly the repositories that lookups
 * name, one ARN per distinct repository, laid out so that IAM accepts them at
 * any scale CloudFormation allows.
 *
 * aws-cdk-lib's own split sizes every token ARN at 150 characters and cannot
 * split one long statement, so the layout is done here with an upper bound of
 * each ARN's resolved length: first the role's own inline policy, then managed
 * policies of up to 6,144 characters each. All of them are part of the role
 * resource or referenced by it, so the function, and through its ARN every
 * lookup, waits for every grant: no lookup needs a `DependsOn` of its own.
 */
export class LookupRole extends Construct {
  public readonly role: iam.Role;

  private readonly inlineDescribeImages = new iam.PolicyStatement({ actions: ['ecr:DescribeImages'] });
  private inlineSize: number;
  private readonly managed: Array<{ statement: iam.PolicyStatement; size: number }> = [];
  private readonly granted = new Set<string>();

  public constructor(scope: Construct, id: string, logGroup: logs.ILogGroup) {
    super(scope, id);
    // Written out instead of AWSLambdaBasicExecutionRole, whose log
    // permissions cover every log group in the account.
    const writeLogs = new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    });
    this.role = new iam.Role(this, 'Resource', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Resolves ECR image tags to digests for the ImageDigestLookup resources of this stack',
      inlinePolicies: {
        LookUpImages: new iam.PolicyDocument({ statements: [writeLogs, this.inlineDescribeImages] }),
      },
    });
    this.inlineSize = DOCUMENT_OVERHEAD + maxJsonLength(Stack.of(this).resolve(writeLogs.toStatementJson()));
  }

  /** Allows `ecr:DescribeImages` on a repository, once however many lookups name it. */
  public allowDescribeImages(repositoryArn: string): void {
    const stack = Stack.of(this);
    // Two imports of one repository are different tokens for the same ARN.
    const key = JSON.stringify(stack.resolve(repositoryArn));
    if (this.granted.has(key)) {
      return;
    }
    this.granted.add(key);
    const size = maxResolvedLength(stack.resolve(repositoryArn)) + 3;
    if (this.managed.length === 0 && this.inlineSize + size <= ROLE_INLINE_LIMIT) {
      this.inlineDescribeImages.addResources(repositoryArn);
      this.inlineSize += size;
      return;
    }
    let current = this.managed[this.managed.length - 1];
    if (!current || current.size + size > MANAGED_POLICY_LIMIT) {
      current = { statement: this.newManagedPolicy(), size: DOCUMENT_OVERHEAD };
      this.managed.push(current);
    }
    current.statement.addResources(repositoryArn);
    current.size += size;
  }

  private newManagedPolicy(): iam.PolicyStatement {
    const count = this.managed.length + 1;
    if (count > MANAGED_POLICIES_PER_ROLE_MAX) {
      throw new Error(`ImageDigestLookup: the lookups of this stack name more repositories (${this.granted.size}) than one role's IAM policies can list, even with ${MANAGED_POLICIES_PER_ROLE_MAX} managed policies: split the lookups over several stacks.`);
    }
    if (count === MANAGED_POLICIES_PER_ROLE_DEFAULT + 1) {
      Annotations.of(this).addWarningV2('cdk-image-digest-lookup:managedPolicyQuota',
        `The lookups of this stack need more than ${MANAGED_POLICIES_PER_ROLE_DEFAULT} managed policies on one role to list their repositories: raise the account's "Managed policies per role" IAM quota (up to ${MANAGED_POLICIES_PER_ROLE_MAX}) or split the lookups over several stacks.`);
    }
    const statement = new iam.PolicyStatement({ actions: ['ecr:DescribeImages'] });
    this.role.addManagedPolicy(new iam.ManagedPolicy(this, `Repositories${count}`, {
      description: 'ecr:DescribeImages on repositories named by ImageDigestLookup resources',
      statements: [statement],
    }));
    return statement;
  }
}
