import { Annotations, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';

/**
 * The stack that deploys a construct on its own: nested stacks deploy with
 * their parent and receive values as parameters, which may change freely.
 */
export function deploymentStack(scope: IConstruct): Stack {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent !== undefined && NestedStack.isNestedStack(stack)) {
    stack = stack.nestedStackParent;
  }
  return stack;
}

/**
 * A container image that binds to `forStack(stack of the container)`:
 * the lookup's own image in its stack, a twin lookup's in any other.
 */
export class StackLocalContainerImage extends ecs.ContainerImage {
  public constructor(private readonly forStack: (stack: Stack) => ecs.ContainerImage) {
    super();
  }

  public bind(scope: Construct, containerDefinition: ecs.ContainerDefinition): ecs.ContainerImageConfig {
    return this.forStack(deploymentStack(scope)).bind(scope, containerDefinition);
  }
}

/** Lambda image code that binds to `forStack(stack of the function)`, like `StackLocalContainerImage`. */
export class StackLocalImageCode extends lambda.DockerImageCode {
  public constructor(private readonly forStack: (stack: Stack) => lambda.DockerImageCode) {
    super();
  }

  /** @internal */
  public _bind(architecture?: lambda.Architecture): lambda.Code {
    return new StackLocalCode((stack) => this.forStack(stack)._bind(architecture));
  }
}

class StackLocalCode extends lambda.Code {
  public readonly isInline = false;
  private bound?: lambda.Code;

  public constructor(private readonly forStack: (stack: Stack) => lambda.Code) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    this.bound = this.forStack(deploymentStack(scope));
    return this.bound.bind(scope);
  }

  public bindToResource(resource: CfnResource, options?: lambda.ResourceBindOptions): void {
    this.bound?.bindToResource(resource, options);
  }
}

/**
 * Warns, once references have been resolved into exports (app.synth's
 * prepare phase runs before validation), about every stack that imports one
 * of the resource's attributes. Such an export changes whenever the tag
 * moves, and CloudFormation refuses to change an export that a stack imports.
 */
export function warnAboutMovingExports(lookup: IConstruct, resource: CfnResource, attributes: readonly string[]): void {
  lookup.node.addValidation({
    validate: () => {
      const home = deploymentStack(lookup);
      const importers = [...new Set(attributes.flatMap((name) => stacksReferencing(resource.getAtt(name), lookup)))]
        .filter((stack) => deploymentStack(stack) !== home);
      if (importers.length > 0) {
        const names = importers.map((stack) => stack.stackName).join(', ');
        Annotations.of(lookup).addWarningV2('cdk-image-digest-lookup:crossStackAttribute',
          `ImageDigestLookup ${lookup.node.path} in stack ${home.stackName} is referenced from stack ${names}: CDK exports the resolved digest, which changes whenever the tag moves, and CloudFormation refuses to update an export that another stack imports, so the next deployment after a push fails. Use containerImage() or dockerImageCode() in ${names} (they look the image up again there), or create an ImageDigestLookup in ${names}; pass only the repository across stacks.`);
      }
      return [];
    },
  });
}

/**
 * The stacks a reference was resolved into. getAtt hands out one reference
 * per attribute, and aws-cdk-lib records on it the value (an import) it
 * takes in each other stack. Reading that record directly keeps this linear
 * in the number of lookups; where it is absent, every stack of the app is
 * asked through the reference's public method.
 */
function stacksReferencing(reference: unknown, scope: IConstruct): Stack[] {
  const recorded = (reference as { replacementTokens?: unknown }).replacementTokens;
  if (recorded instanceof Map) {
    return [...recorded.keys()].filter((key): key is Stack => Stack.isStack(key));
  }
  const asked = reference as { hasValueForStack?: (stack: Stack) => boolean };
  if (typeof asked.hasValueForStack !== 'function') {
    return [];
  }
  return scope.node.root.node.findAll().filter((c): c is Stack => Stack.isStack(c) && asked.hasValueForStack!(c));
}
