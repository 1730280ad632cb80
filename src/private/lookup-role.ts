import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, DependencyGroup, IDependable } from 'constructs';
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

/**
 * The context key that `iam.Role.customizeRoles` sets; aws-cdk-lib reads the
 * same key to decide whether roles go to its policy report.
 */
const CUSTOMIZE_ROLES_CONTEXT_KEY = '@aws-cdk/iam:customizeRoles';

/** The name of the role's inline policy. */
const INLINE_POLICY_NAME = 'LookUpImages';

/**
 * The actions the lookup function may be granted, each only where a lookup
 * needs it. A new grant adds its action here and calls `allow` with the ARN
 * it applies to.
 */
export type LookupAction = 'ecr:DescribeImages' | 'ecr:BatchGetImage' | 'ecr:DescribeImageScanFindings'
| 'ecr:PutImage' | 'ecr:BatchDeleteImage' | 'ecr:GetLifecyclePolicy' | 'ecr:UpdateImageStorageClass'
// Signature envelopes and payloads are layers of the signature's manifest.
| 'ecr:GetDownloadUrlForLayer'
// AWS Signer's revocation check names no resource IAM can scope it to.
| 'signer:GetRevocationStatus';

/** Who the lookup function runs as. */
export interface LookupRoleProps {
  /** The function's log group, which the role may write to. */
  readonly logGroup: logs.ILogGroup;
  /** A fixed name for a role created here. */
  readonly roleName?: string;
  /** An existing role to use instead of creating one. */
  readonly role?: iam.IRole;
}

/** A policy document being filled: one statement per set of actions, and an upper bound of its size. */
interface Layout {
  readonly statements: Map<string, iam.PolicyStatement>;
  readonly addStatement: (statement: iam.PolicyStatement) => void;
  readonly limit: number;
  size: number;
}

/**
 * The role of the stack's lookup function. It may write to the function's log
 * group and call each action on exactly the resources whose lookups need it,
 * laid out so that IAM accepts them at any scale CloudFormation allows.
 * Resources that need the same actions share a statement, so an ARN is listed
 * once, not once per action.
 *
 * aws-cdk-lib's own split sizes every token ARN at 150 characters and cannot
 * split one long statement, so the layout is done here with an upper bound of
 * each ARN's resolved length: first the role's own inline policy, then managed
 * policies of up to 6,144 characters each. All of them are part of a role
 * created here or referenced by it, so the function, and through its ARN every
 * lookup, waits for every grant: no lookup needs a `DependsOn` of its own.
 *
 * An existing role gets every grant in managed policies attached to it (its
 * inline policies may already use IAM's inline budget); the function then
 * depends on those policies (`grants`).
 */
export class LookupRole extends Construct {
  public readonly role: iam.IRole;

  /** What the function must wait for besides the role: the policies attached to an existing role. */
  public readonly grants: IDependable;

  private readonly inline?: Layout;
  private readonly managed: Layout[] = [];
  private readonly managedPolicies: iam.ManagedPolicy[] = [];
  /** Statements added to the inline document after the role was built, which aws-cdk-lib's policy report has not seen. */
  private readonly unreported: iam.PolicyStatement[] = [];
  private readonly granted = new Set<string>();
  private readonly resources = new Set<string>();
  private readonly dependencies = new DependencyGroup();
  private reported = false;

  public constructor(scope: Construct, id: string, props: LookupRoleProps) {
    super(scope, id);
    this.grants = this.dependencies;
    // Written out instead of AWSLambdaBasicExecutionRole, whose log
    // permissions cover every log group in the account.
    const writeLogs = new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [props.logGroup.logGroupArn],
    });
    const writeLogsSize = STATEMENT_OVERHEAD + maxJsonLength(Stack.of(this).resolve(writeLogs.toStatementJson()));
    if (props.role !== undefined) {
      this.role = props.role;
      const first = this.newManagedPolicy();
      first.addStatement(writeLogs);
      first.size += writeLogsSize;
    } else {
      const document = new iam.PolicyDocument({ statements: [writeLogs] });
      this.role = new iam.Role(this, 'Resource', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        roleName: props.roleName,
        description: 'Resolves ECR image tags to digests for the ImageDigestLookup resources of this stack',
        inlinePolicies: { [INLINE_POLICY_NAME]: document },
      });
      this.inline = {
        statements: new Map(),
        addStatement: (statement) => {
          document.addStatements(statement);
          this.unreported.push(statement);
        },
        limit: ROLE_INLINE_LIMIT,
        size: DOCUMENT_OVERHEAD + writeLogsSize,
      };
    }
    this.node.addValidation({ validate: () => this.completeReport() });
    if (props.role !== undefined) {
      this.node.addValidation({ validate: () => this.checkAttached() });
    }
  }

  /** Allows `actions` on a resource, each once however many lookups need it. */
  public allow(actions: readonly LookupAction[], resourceArn: string): void {
    const stack = Stack.of(this);
    // Two imports of one repository are different tokens for the same ARN.
    const arn = JSON.stringify(stack.resolve(resourceArn));
    const missing = [...new Set(actions)].filter((action) => !this.granted.has(`${action} ${arn}`)).sort();
    if (missing.length === 0) {
      return;
    }
    missing.forEach((action) => this.granted.add(`${action} ${arn}`));
    this.resources.add(arn);
    const key = missing.join(',');
    const size = maxResolvedLength(stack.resolve(resourceArn)) + 3;
    const statementSize = STATEMENT_OVERHEAD + missing.reduce((sum, action) => sum + action.length + 3, 0);
    const fits = (layout: Layout): boolean => layout.size + size + (layout.statements.has(key) ? 0 : statementSize) <= layout.limit;
    const last = this.managed[this.managed.length - 1];
    const layout = last === undefined && this.inline !== undefined && fits(this.inline) ? this.inline
      : last !== undefined && fits(last) ? last : this.newManagedPolicy();
    let statement = layout.statements.get(key);
    if (!statement) {
      statement = new iam.PolicyStatement({ actions: missing });
      layout.statements.set(key, statement);
      layout.addStatement(statement);
      layout.size += statementSize;
    }
    statement.addResources(resourceArn);
    layout.size += size;
  }

  /**
   * Adds a statement that names no repository beside the log statement: in
   * the role's own inline policy, or in the first managed policy of an
   * existing role, counted against that document's size. Call it before any
   * `allow`, so that it never lands in an overflow policy.
   */
  public addFixedStatement(statement: iam.PolicyStatement): void {
    const layout = this.inline ?? this.managed[0];
    layout.addStatement(statement);
    layout.size += STATEMENT_OVERHEAD + maxJsonLength(Stack.of(this).resolve(statement.toStatementJson()));
  }

  private newManagedPolicy(): Layout {
    const count = this.managed.length + 1;
    if (count > MANAGED_POLICIES_PER_ROLE_MAX) {
      throw new Error(`ImageDigestLookup: the lookups of stack ${Stack.of(this).node.path} name more repositories (${this.resources.size}) than one role's IAM policies can list, even with ${MANAGED_POLICIES_PER_ROLE_MAX} managed policies: split the lookups over several stacks.`);
    }
    if (count === MANAGED_POLICIES_PER_ROLE_DEFAULT + 1) {
      Annotations.of(this).addWarningV2('cdk-image-digest-lookup:managedPolicyQuota',
        `The lookups of this stack need more than ${MANAGED_POLICIES_PER_ROLE_DEFAULT} managed policies on one role to list their repositories: raise the account's "Managed policies per role" IAM quota (up to ${MANAGED_POLICIES_PER_ROLE_MAX}) or split the lookups over several stacks.`);
    }
    const policy = new iam.ManagedPolicy(this, `Repositories${count}`, {
      description: 'ECR read actions on repositories named by ImageDigestLookup resources',
    });
    // A role created here lists the policy in its ManagedPolicyArns; an
    // existing, mutable role gets it through the policy's Roles instead.
    this.role.addManagedPolicy(policy);
    this.managedPolicies.push(policy);
    this.dependencies.add(policy);
    const layout: Layout = {
      statements: new Map(),
      addStatement: (statement) => policy.addStatements(statement),
      limit: MANAGED_POLICY_LIMIT,
      size: DOCUMENT_OVERHEAD,
    };
    this.managed.push(layout);
    return layout;
  }

  private get customized(): boolean {
    return this.node.tryGetContext(CUSTOMIZE_ROLES_CONTEXT_KEY) !== undefined;
  }

  /**
   * Under `iam.Role.customizeRoles`, aws-cdk-lib copies a role's inline
   * policies into its policy report when the role is built, before any lookup
   * was granted anything; managed policies are read at validation. Handing
   * the inline statements to the report here, once all lookups exist, lists
   * every grant with its final resources, in the same layout as the template.
   */
  private completeReport(): string[] {
    if (this.customized && !this.reported && iam.Role.isRole(this.role)) {
      this.reported = true;
      // Under customizeRoles a created role sends these to the report only,
      // never to a policy resource of its own.
      this.unreported.forEach((statement) => this.role.addToPrincipalPolicy(statement));
    }
    return [];
  }

  /**
   * A role imported with `mutable: false` ignores `addManagedPolicy`, which
   * would leave the function without its grants and the policies attached to
   * nothing. Under customizeRoles, aws-cdk-lib reports the grants of an
   * imported role instead of attaching them, as it does for its own grants.
   */
  private checkAttached(): string[] {
    if (this.customized) {
      return [];
    }
    const stack = Stack.of(this);
    const unattached = this.managedPolicies.some((policy) => {
      const resource = policy.node.defaultChild as iam.CfnManagedPolicy | undefined;
      return resource !== undefined && (stack.resolve(resource.roles) ?? []).length === 0;
    });
    return unattached
      ? [`ImageDigestLookup: the lookup role ${this.role.node.path} given to configureProvider does not accept policies (imported with mutable: false?), so the lookup function would have none of its grants: import the role as mutable, or leave out the role and let the stack create one (with roleName for a fixed name).`]
      : [];
  }
}
