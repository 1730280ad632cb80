/**
 * Where CloudFormation resources name a container image: one table, read by
 * `PinImageDigests` for every resource type it pins.
 *
 * Working on the L1 resources covers every L2 built on them at once
 * (`ecs_patterns`, Batch's `EcsJobDefinition`, `DockerImageFunction`, App
 * Runner, SageMaker and CodeBuild constructs), and L1s written by hand.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';

/** One place in a resource's properties that names an image. */
interface ImageLocation {
  /** The path through the L1's typed (camelCase) properties; `*` steps through every element of a list. */
  readonly typed: readonly string[];
  /** The same path as CloudFormation writes it (PascalCase), for the property override. */
  readonly template: readonly string[];
}

const at = (typed: string, template: string): ImageLocation => ({ typed: typed.split('.'), template: template.split('.') });

/** The image locations of each resource type that runs an image. */
const IMAGE_LOCATIONS: Readonly<Record<string, readonly ImageLocation[]>> = {
  'AWS::ECS::TaskDefinition': [at('containerDefinitions.*.image', 'ContainerDefinitions.*.Image')],
  'AWS::Lambda::Function': [at('code.imageUri', 'Code.ImageUri')],
  'AWS::Batch::JobDefinition': [
    at('containerProperties.image', 'ContainerProperties.Image'),
    at('ecsProperties.taskProperties.*.containers.*.image', 'EcsProperties.TaskProperties.*.Containers.*.Image'),
    at('nodeProperties.nodeRangeProperties.*.container.image', 'NodeProperties.NodeRangeProperties.*.Container.Image'),
    at('eksProperties.podProperties.containers.*.image', 'EksProperties.PodProperties.Containers.*.Image'),
    at('eksProperties.podProperties.initContainers.*.image', 'EksProperties.PodProperties.InitContainers.*.Image'),
  ],
  'AWS::AppRunner::Service': [at('sourceConfiguration.imageRepository.imageIdentifier', 'SourceConfiguration.ImageRepository.ImageIdentifier')],
  'AWS::SageMaker::Model': [at('primaryContainer.image', 'PrimaryContainer.Image'), at('containers.*.image', 'Containers.*.Image')],
  'AWS::CodeBuild::Project': [at('environment.image', 'Environment.Image')],
};

/** An image reference found in a resource. */
export interface FoundImage {
  readonly resource: CfnResource;
  /** The property path as CloudFormation writes it, with list indexes: `ContainerDefinitions.1.Image`. */
  readonly propertyPath: string;
  /** The reference, resolved in the resource's stack: a string or a CloudFormation intrinsic. */
  readonly resolved: unknown;
}

/** Whether the resource's type names images (so that other resources are never resolved). */
export function namesImages(resource: CfnResource): boolean {
  return IMAGE_LOCATIONS[resource.cfnResourceType] !== undefined;
}

/**
 * Every image reference of `resource`, in the order of its properties.
 *
 * The typed properties are read, not the rendered template: they are public
 * API, and they hold what the L2s wrote before any override, so a second
 * application of the aspect sees the same tag references as the first.
 */
export function imagesOf(resource: CfnResource): FoundImage[] {
  const stack = Stack.of(resource);
  const typed = resource as unknown as Record<string, unknown>;
  return (IMAGE_LOCATIONS[resource.cfnResourceType] ?? []).flatMap((location) => {
    const [property, ...rest] = location.typed;
    const root = stack.resolve(typed[property]);
    return walk(root, rest, location.template.slice(1), [location.template[0]])
      .map(({ value, path }) => ({ resource, propertyPath: path.join('.'), resolved: value }));
  });
}

function walk(value: unknown, typed: readonly string[], template: readonly string[], path: string[]): Array<{ value: unknown; path: string[] }> {
  if (value === undefined || value === null) {
    return [];
  }
  if (typed.length === 0) {
    return [{ value, path }];
  }
  const [step, ...rest] = typed;
  const [templateStep, ...templateRest] = template;
  if (step === '*') {
    return Array.isArray(value) ? value.flatMap((element, i) => walk(element, rest, templateRest, [...path, String(i)])) : [];
  }
  return typeof value === 'object' ? walk((value as Record<string, unknown>)[step], rest, templateRest, [...path, templateStep]) : [];
}
