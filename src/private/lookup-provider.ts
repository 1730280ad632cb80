import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IDependable } from 'constructs';
import { DescribeImagesGrants } from './describe-images-grants';

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

  private readonly grants: DescribeImagesGrants;

  private constructor(scope: Stack, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Resolves ECR image tags to digests for the ImageDigestLookup custom resources of this stack',
    });
    // Written out instead of AWSLambdaBasicExecutionRole, whose log
    // permissions cover every log group in the account.
    const writeLogs = new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    });
    this.grants = new DescribeImagesGrants(this, 'Permissions', role, writeLogs);

    const handler = new lambda.Function(this, 'Handler', {
      description: 'Resolves ECR image tags to immutable digests (cdk-image-digest-lookup)',
      code: lambda.Code.fromAsset(HANDLER_ASSET),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // Well under CloudFormation's one hour; the handler answers before it.
      timeout: Duration.minutes(2),
      role,
      logGroup,
    });
    // Every lookup reaches the function through its ARN, so this makes every
    // lookup wait for the log permissions and the first repositories' grants.
    handler.node.addDependency(this.grants.inlinePolicy);

    this.serviceToken = handler.functionArn;
    this.perSynthToken = new Date().toISOString();
  }

  /**
   * Allows the handler `ecr:DescribeImages` on a repository and returns what a
   * lookup of it must wait for, so that its first invocation cannot race the
   * grant.
   */
  public allowDescribeImages(repository: ecr.IRepository): IDependable {
    return this.grants.grant(repository.repositoryArn);
  }
}
