import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LookupAction, LookupRole } from './lookup-role';
import { acceptFindings, FUNCTION_FINDINGS, LOG_GROUP_FINDINGS, ROLE_FINDINGS } from './security-findings';

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
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    return existing instanceof LookupProvider ? existing : new LookupProvider(stack, PROVIDER_ID);
  }

  /** The ARN that CloudFormation invokes for each lookup. */
  public readonly serviceToken: string;

  /** One value per synth, shared by the stack's `Refresh.everyDeployment()` lookups. */
  public readonly perSynthToken: string;

  private readonly role: LookupRole;
  private readonly function: lambda.CfnFunction;
  private longestWaitSeconds = 0;

  private constructor(scope: Stack, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.role = new LookupRole(this, 'Role', logGroup);

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
      role: this.role.role,
      logGroup,
    });

    // Accepted by design, each on its own resource only: users of the
    // construct need no suppressions of their own.
    acceptFindings(handler, FUNCTION_FINDINGS);
    acceptFindings(this.role.role, ROLE_FINDINGS);
    acceptFindings(logGroup, LOG_GROUP_FINDINGS);

    this.function = handler.node.defaultChild as lambda.CfnFunction;
    this.serviceToken = handler.functionArn;
    this.perSynthToken = new Date().toISOString();
  }

  /**
   * Allows the handler `actions` on a repository: `ecr:DescribeImages` for
   * every lookup, `ecr:BatchGetImage` to read image indexes,
   * `ecr:DescribeImageScanFindings` for a scan gate.
   */
  public allow(repository: ecr.IRepository, actions: readonly LookupAction[]): void {
    this.role.allow(actions, repository.repositoryArn);
  }

  /**
   * Raises the function's timeout so that a lookup can wait `seconds` and
   * still resolve and answer CloudFormation. One function serves the stack,
   * so its timeout covers the longest wait of any lookup.
   */
  public coverWait(seconds: number): void {
    if (seconds > this.longestWaitSeconds) {
      this.longestWaitSeconds = seconds;
      this.function.timeout = Math.max(BASE_TIMEOUT_SECONDS, seconds + WAIT_MARGIN_SECONDS);
    }
  }
}
