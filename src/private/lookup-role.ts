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

/** Room for a document's skeleton (version, statement list) and the policy's name. */
const DOCUMENT_OVERHEAD = 120;
/** Room for one more statement besides its actions: `{"Effect":"Allow","Action":[],"Resource":[]},`. */
const STATEMENT_OVERHEAD = 50;

/** The ECR actions the lookup function may be granted, each only where a lookup needs it. */
export type LookupAction = 'ecr:DescribeImages' | 'ecr:BatchGetImage' | 'ecr:DescribeImageScanFindings';

/** A policy document being filled: one statement per set of actions, and an upper bound of its size. */
interface Layout {
  readonly statements: Map<string, iam.PolicyStatement>;
  readonly addStatement: (statement: iam.PolicyStatement) => void;
  readonly limit: number;
  size: number;
}

/**
 * The role of the stack's lookup function. It may write to the function's log
 * group and call each ECR action on exactly the repositories whose lookups
 * need it, laid out so that IAM accepts them at any scale CloudFormation
 * allows. Repositories that need the same actions share a statement, so a
 * repository's ARN is listed once, not once per action.
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

  private readonly inline: Layout;
  private readonly managed: Layout[] = [];
  private readonly granted = new Set<string>();
  private readonly repositories = new Set<string>();

  public constructor(scope: Construct, id: string, logGroup: logs.ILogGroup) {
    super(scope, id);
    // Written out instead of AWSLambdaBasicExecutionRole, whose log
    // permissions cover every log group in the account.
    const writeLogs = new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    });
    const document = new iam.PolicyDocument({ statements: [writeLogs] });
    this.role = new iam.Role(this, 'Resource', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Resolves ECR image tags to digests for the ImageDigestLookup resources of this stack',
      inlinePolicies: { LookUpImages: document },
    });
    this.inline = {
      statements: new Map(),
      addStatement: (statement) => document.addStatements(statement),
      limit: ROLE_INLINE_LIMIT,
      size: DOCUMENT_OVERHEAD + maxJsonLength(Stack.of(this).resolve(writeLogs.toStatementJson())),
    };
  }

  /** Allows `actions` on a repository, each once however many lookups need it. */
  public allow(actions: readonly LookupAction[], repositoryArn: string): void {
    const stack = Stack.of(this);
    // Two imports of one repository are different tokens for the same ARN.
    const arn = JSON.stringify(stack.resolve(repositoryArn));
    const missing = [...new Set(actions)].filter((action) => !this.granted.has(`${action} ${arn}`)).sort();
    if (missing.length === 0) {
      return;
    }
    missing.forEach((action) => this.granted.add(`${action} ${arn}`));
    this.repositories.add(arn);
    const key = missing.join(',');
    const size = maxResolvedLength(stack.resolve(repositoryArn)) + 3;
    const statementSize = STATEMENT_OVERHEAD + missing.reduce((sum, action) => sum + action.length + 3, 0);
    const fits = (layout: Layout): boolean => layout.size + size + (layout.statements.has(key) ? 0 : statementSize) <= layout.limit;
    const last = this.managed[this.managed.length - 1];
    const layout = last === undefined && fits(this.inline) ? this.inline
      : last !== undefined && fits(last) ? last : this.newManagedPolicy();
    let statement = layout.statements.get(key);
    if (!statement) {
      statement = new iam.PolicyStatement({ actions: missing });
      layout.statements.set(key, statement);
      layout.addStatement(statement);
      layout.size += statementSize;
    }
    statement.addResources(repositoryArn);
    layout.size += size;
  }

  /**
   * Adds a statement that names no repository to the role's own inline
   * policy, counted against its size. Call it before any `allow`.
   */
  public addToInlinePolicy(statement: iam.PolicyStatement): void {
    this.inline.addStatement(statement);
    this.inline.size += maxJsonLength(Stack.of(this).resolve(statement.toStatementJson())) + 1;
  }

  private newManagedPolicy(): Layout {
    const count = this.managed.length + 1;
    if (count > MANAGED_POLICIES_PER_ROLE_MAX) {
      throw new Error(`ImageDigestLookup: the lookups of this stack name more repositories (${this.repositories.size}) than one role's IAM policies can list, even with ${MANAGED_POLICIES_PER_ROLE_MAX} managed policies: split the lookups over several stacks.`);
    }
    if (count === MANAGED_POLICIES_PER_ROLE_DEFAULT + 1) {
      Annotations.of(this).addWarningV2('cdk-image-digest-lookup:managedPolicyQuota',
        `The lookups of this stack need more than ${MANAGED_POLICIES_PER_ROLE_DEFAULT} managed policies on one role to list their repositories: raise the account's "Managed policies per role" IAM quota (up to ${MANAGED_POLICIES_PER_ROLE_MAX}) or split the lookups over several stacks.`);
    }
    const policy = new iam.ManagedPolicy(this, `Repositories${count}`, {
      description: 'ECR read actions on repositories named by ImageDigestLookup resources',
    });
    this.role.addManagedPolicy(policy);
    const layout: Layout = {
      statements: new Map(),
      addStatement: (statement) => policy.addStatements(statement),
      limit: MANAGED_POLICY_LIMIT,
      size: DOCUMENT_OVERHEAD,
    };
    this.managed.push(layout);
    return layout;
  }
}
