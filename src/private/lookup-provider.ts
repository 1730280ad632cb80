import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IDependable } from 'constructs';

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
 * The role's only ECR permission is `ecr:DescribeImages`, on exactly the
 * repositories that lookups in the stack name, gathered into one statement so
 * that a policy grows by one ARN per distinct repository and not by a
 * statement per lookup.
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

  /**
   * What a lookup must wait for before its first invocation: the role and
   * every policy attached to it, including the overflow policies that
   * aws-cdk-lib splits off when the role's inline policy grows too large.
   */
  public readonly permissions: IDependable;

  /** One value per synth, shared by the stack's `Refresh.everyDeployment()` lookups. */
  public readonly perSynthToken: string;

  private readonly role: iam.Role;
  private describeImages?: iam.PolicyStatement;
  private readonly repositoryKeys = new Set<string>();

  private constructor(scope: Stack, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Resolves ECR image tags to digests for the ImageDigestLookup custom resources of this stack',
    });
    // Written by hand instead of AWSLambdaBasicExecutionRole, whose log
    // permissions cover every log group in the account.
    logGroup.grantWrite(this.role);

    const handler = new lambda.Function(this, 'Handler', {
      description: 'Resolves ECR image tags to immutable digests (cdk-image-digest-lookup)',
      code: lambda.Code.fromAsset(HANDLER_ASSET),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // Well under CloudFormation's one hour; the handler answers before it.
      timeout: Duration.minutes(2),
      role: this.role,
      logGroup,
    });

    this.serviceToken = handler.functionArn;
    this.permissions = this.role;
    this.perSynthToken = new Date().toISOString();
  }

  /** Allows the handler `ecr:DescribeImages` on one more repository. */
  public allowDescribeImages(repository: ecr.IRepository): void {
    // Two imports of one repository are different tokens for the same ARN.
    const key = JSON.stringify(Stack.of(this).resolve(repository.repositoryArn));
    if (this.repositoryKeys.has(key)) {
      return;
    }
    this.repositoryKeys.add(key);
    if (this.describeImages) {
      this.describeImages.addResources(repository.repositoryArn);
      return;
    }
    this.describeImages = new iam.PolicyStatement({
      actions: ['ecr:DescribeImages'],
      resources: [repository.repositoryArn],
    });
    this.role.addToPrincipalPolicy(this.describeImages);
  }
}
