import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LookupRole } from './lookup-role';
import { acceptFindings, FUNCTION_FINDINGS, LOG_GROUP_FINDINGS, ROLE_FINDINGS } from './security-findings';

/** The construct id of the singleton; part of every logical id it creates. */
const PROVIDER_ID = 'ImageDigestLookupProvider';

/**
 * Where the build puts the bundled handler (see `.projenrc.ts`); the same path
 * resolves from `src/private` under test and from `lib/private` when installed.
 */
const HANDLER_ASSET = path.join(__dirname, '..', '..', 'assets', 'lambda', 'index');

/**
 * The one function and role that serve every lookup in a stack.
 *
 * The role may write to its own log group and call `ecr:DescribeImages` on
 * exactly the repositories that lookups in the stack name; nothing else.
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
      timeout: Duration.minutes(2),
      role: this.role.role,
      logGroup,
    });

    // Accepted by design, each on its own resource only: users of the
    // construct need no suppressions of their own.
    acceptFindings(handler, FUNCTION_FINDINGS);
    acceptFindings(this.role.role, ROLE_FINDINGS);
    acceptFindings(logGroup, LOG_GROUP_FINDINGS);

    this.serviceToken = handler.functionArn;
    this.perSynthToken = new Date().toISOString();
  }

  /** Allows the handler `ecr:DescribeImages` on a repository. */
  public allowDescribeImages(repository: ecr.IRepository): void {
    this.role.allowDescribeImages(repository.repositoryArn);
  }
}
