import { AspectPriority, Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';

/**
 * Image code pinned by digest whose function's versions follow the digest.
 *
 * aws-cdk-lib names and hashes a function's versions from the function's
 * properties at synth, where the digest is the same unresolved expression in
 * every synth: without help, `AWS::Lambda::Version` never changes when the tag
 * moves, and aliases (with their provisioned concurrency and CodeDeploy
 * traffic shifting) stay on the old image. Binding each version's
 * `CodeSha256` to the digest fixes that: CloudFormation replaces a version
 * whose `CodeSha256` changes, which publishes a new one, and Lambda refuses
 * to publish unless `$LATEST` runs exactly that image.
 */
export class DigestPinnedImageCode extends lambda.DockerImageCode {
  public constructor(
    private readonly repository: ecr.IRepository,
    private readonly props: lambda.EcrImageCodeProps,
    /** The 64 hex characters of the image manifest's digest: what Lambda reports as an image function's CodeSha256. */
    private readonly digestHex: string,
  ) {
    super();
  }

  public _bind(architecture?: lambda.Architecture): lambda.Code {
    return new VersionPinningCode(lambda.DockerImageCode.fromEcr(this.repository, this.props)._bind(architecture), this.digestHex);
  }
}

/** Delegates to the ECR image code and, once it knows its function, pins that function's versions. */
class VersionPinningCode extends lambda.Code {
  public readonly isInline = false;

  public constructor(private readonly inner: lambda.Code, private readonly digestHex: string) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    const config = this.inner.bind(scope);
    // The function passes itself. Versions may be created after it (its
    // currentVersion is lazy; users create lambda.Version by hand), so they
    // are found when the app is prepared for synthesis, once all exist.
    if (scope instanceof lambda.Function) {
      Aspects.of(Stack.of(scope)).add(new PinVersions(scope, this.digestHex), { priority: AspectPriority.MUTATING });
    }
    return config;
  }

  public bindToResource(resource: CfnResource, options?: lambda.ResourceBindOptions): void {
    this.inner.bindToResource(resource, options);
  }
}

/** Sets `CodeSha256` on every version of one function that does not set its own. */
class PinVersions implements IAspect {
  public constructor(private readonly fn: lambda.Function, private readonly digestHex: string) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof lambda.CfnVersion) || node.codeSha256 !== undefined) {
      return;
    }
    const stack = Stack.of(node);
    // Versions name their function by reference; comparing the resolved
    // references also finds versions declared with CfnVersion directly.
    if (stack === Stack.of(this.fn) && JSON.stringify(stack.resolve(node.functionName)) === JSON.stringify(stack.resolve(this.fn.functionName))) {
      node.codeSha256 = this.digestHex;
    }
  }
}
