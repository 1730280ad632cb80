import * as path from 'path';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LookupProviderOptions } from '../lookup-provider-options';
import { LookupAction, LookupRole } from './lookup-role';
import { acceptFindings, FUNCTION_FINDINGS, LOG_GROUP_FINDINGS, REVOCATION_FINDINGS, ROLE_FINDINGS } from './security-findings';

/** The construct id of the singleton; part of every logical id it creates. */
const PROVIDER_ID = 'ImageDigestLookupProvider';

/** The function's timeout for lookups that do not wait. */
const BASE_TIMEOUT_SECONDS = 120;
/** Time a waiting lookup keeps after its wait, to resolve the image and answer CloudFormation. */
const WAIT_MARGIN_SECONDS = 60;

/**
 * Where the build puts the bundled handler (see `.projenrc.ts`); the same path
 * resolves from `src/private` under test and from `lib/private` when installed.
 */
const HANDLER_ASSET = path.join(__dirname, '..', '..', 'assets', 'lambda', 'index');

/**
 * The one function and role that serve every lookup in a stack.
 *
 * The role may write to its own log group and call `ecr:DescribeImages` and
 * `ecr:BatchGetImage` on exactly the repositories that lookups in the stack
 * name, and `ecr:DescribeImageScanFindings` only on those whose lookups need
 * it; nothing else.
 */
export class LookupProvider extends Construct {
  /** The stack's provider, created on first use. */
  public static of(scope: Construct): LookupProvider {
    const stack = Stack.of(scope);
    const found = LookupProvider.find(stack);
    return found instanceof LookupProvider ? found : new LookupProvider(stack, found, {});
  }

  /**
   * Creates the stack's provider with `options`. The role is part of the
   * first lookup's grants, so options can only be set before the provider
   * exists, or again with the same values.
   */
  public static configure(scope: Construct, options: LookupProviderOptions): LookupProvider {
    const stack = Stack.of(scope);
    validateOptions(stack, options);
    const existing = LookupProvider.find(stack);
    if (!(existing instanceof LookupProvider)) {
      return new LookupProvider(stack, existing, options);
    }
    if (!existing.hasOptions(options)) {
      throw new Error(`ImageDigestLookup.configureProvider: the lookup function of stack ${stack.node.path} already exists with ${existing.describeOptions()}, but ${describeOptions(stack, options)} was asked for: call configureProvider once per stack, before its first ImageDigestLookup or lookupRole().`);
    }
    return existing;
  }

  /**
   * This copy's provider in the stack, or the id to create it under. Two
   * copies of this library in one app (two versions through dependencies)
   * each serve their own lookups: the other copy's handler may not read what
   * this copy writes. The first copy keeps the historic id, and with it its
   * logical ids; another copy takes the next free id.
   */
  private static find(stack: Stack): LookupProvider | string {
    for (let n = 1; ; n++) {
      const id = n === 1 ? PROVIDER_ID : `${PROVIDER_ID}${n}`;
      const existing = stack.node.tryFindChild(id);
      if (existing === undefined) {
        return id;
      }
      if (existing instanceof LookupProvider) {
        return existing;
      }
    }
  }

  /** The ARN that CloudFormation invokes for each lookup. */
  public readonly serviceToken: string;

  /** One value per synth, shared by the stack's `Refresh.everyDeployment()` lookups. */
  public readonly perSynthToken: string;

  /** The role the function runs as. */
  public readonly role: iam.IRole;

  private readonly lookupRole: LookupRole;
  private revocationAllowed = false;
  private readonly options: LookupProviderOptions;
  private readonly function: lambda.CfnFunction;
  private longestWaitSeconds = 0;

  private constructor(scope: Stack, id: string, options: LookupProviderOptions) {
    super(scope, id);
    this.options = options;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.lookupRole = new LookupRole(this, 'Role', { logGroup, roleName: options.roleName, role: options.role });
    this.role = this.lookupRole.role;

    const handler = new lambda.Function(this, 'Handler', {
      description: 'Resolves ECR image tags to immutable digests (cdk-image-digest-lookup)',
      code: lambda.Code.fromAsset(HANDLER_ASSET),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // Well under CloudFormation's one hour; the handler answers before it.
      // Lookups that wait for a push raise it (see coverWait).
      timeout: Duration.seconds(BASE_TIMEOUT_SECONDS),
      role: this.role,
      logGroup,
    });
    // An existing role gets its grants from separate policies, which the
    // function (and through its ARN every lookup) must wait for.
    handler.node.addDependency(this.lookupRole.grants);

    // Accepted by design, each on its own resource only: users of the
    // construct need no suppressions of their own.
    acceptFindings(handler, FUNCTION_FINDINGS);
    if (options.role === undefined) {
      // An existing role is the user's construct, and holds no inline policy of ours.
      acceptFindings(this.role, ROLE_FINDINGS);
    }
    acceptFindings(logGroup, LOG_GROUP_FINDINGS);

    // Rollbacks are told apart from forward updates by the stack's status
    // (see lambda/rollback.ts); only this stack may be described.
    this.lookupRole.addFixedStatement(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [scope.stackId] }));

    this.function = handler.node.defaultChild as lambda.CfnFunction;
    this.serviceToken = handler.functionArn;
    this.perSynthToken = new Date().toISOString();
  }

  /**
   * Allows the handler `actions` on a repository: `ecr:DescribeImages` for
   * every lookup, `ecr:BatchGetImage` to read image indexes,
   * `ecr:DescribeImageScanFindings` for a scan requirement.
   */
  public allow(repository: ecr.IRepository, actions: readonly LookupAction[]): void {
    this.lookupRole.allow(actions, repository.repositoryArn);
  }

  /**
   * Raises the function's timeout so that a lookup can wait `seconds` and
   * still resolve and answer CloudFormation. One function serves the stack,
   * so its timeout covers the longest wait of any lookup.
   */
  /**
   * Lets the function ask AWS Signer whether a Notation signature it made was
   * revoked: signer:GetRevocationStatus takes no resource, so it is granted
   * on `*`, once, and only in stacks with a lookup that trusts Notation roots.
   */
  public allowRevocationCheck(): void {
    if (this.revocationAllowed) {
      return;
    }
    this.revocationAllowed = true;
    this.lookupRole.allow(['signer:GetRevocationStatus'], '*');
    // On the role, where the statement lands unless the role's inline policy
    // is full, and then on the managed policy that holds it.
    const holder = this.lookupRole.node.children.find((child) => child instanceof iam.ManagedPolicy && JSON.stringify(Stack.of(this).resolve(child.document)).includes('signer:GetRevocationStatus'));
    acceptFindings(holder ?? this.role, REVOCATION_FINDINGS);
  }

  public coverWait(seconds: number): void {
    if (seconds > this.longestWaitSeconds) {
      this.longestWaitSeconds = seconds;
      this.function.timeout = Math.max(BASE_TIMEOUT_SECONDS, seconds + WAIT_MARGIN_SECONDS);
    }
  }

  private hasOptions(options: LookupProviderOptions): boolean {
    const stack = Stack.of(this);
    return this.options.role === options.role
      && JSON.stringify(stack.resolve(this.options.roleName)) === JSON.stringify(stack.resolve(options.roleName));
  }

  private describeOptions(): string {
    return describeOptions(Stack.of(this), this.options);
  }
}

function describeOptions(stack: Stack, options: LookupProviderOptions): string {
  if (options.role !== undefined) {
    return `the existing role ${options.role.node.path}`;
  }
  return options.roleName !== undefined ? `roleName ${JSON.stringify(stack.resolve(options.roleName))}` : 'a role with a generated name';
}

/** IAM's rule for role names, checked where the name is known at synth. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function validateOptions(stack: Stack, options: LookupProviderOptions): void {
  const { roleName, role } = options;
  if (roleName !== undefined && role !== undefined) {
    throw new Error(`ImageDigestLookup.configureProvider(${stack.node.path}): both roleName ${JSON.stringify(roleName)} and role (${role.node.path}) are set, but roleName names a role the stack creates: keep one of them.`);
  }
  if (roleName !== undefined && !Token.isUnresolved(roleName) && !ROLE_NAME.test(roleName)) {
    throw new Error(`ImageDigestLookup.configureProvider(${stack.node.path}): roleName ${JSON.stringify(roleName)} is not a valid IAM role name, which has 1 to 64 characters among letters, digits and _+=,.@-: choose another name.`);
  }
}
