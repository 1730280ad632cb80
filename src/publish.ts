import { CfnOutput } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';

/** Which resolved value `ImageDigestLookup.publish()` hands on. */
export enum PublishedValue {
  /** `<registry>/<repository>@sha256:<64 hex>`, ready to pull or to put in a task definition. */
  IMAGE_URI = 'IMAGE_URI',
  /** `sha256:<64 hex>` alone. */
  DIGEST = 'DIGEST',
}

/**
 * Options of `ImageDigestLookup.publish()`: where consumers outside the stack
 * find the resolved image.
 */
export interface PublishOptions {
  /**
   * The value to publish.
   *
   * @default PublishedValue.IMAGE_URI
   */
  readonly value?: PublishedValue;

  /**
   * Add a stack output with the value.
   *
   * @default true
   */
  readonly output?: boolean;

  /**
   * Export the output under this name, for `Fn.importValue` in other stacks
   * of the account and region. Implies `output`.
   *
   * The value changes whenever the tag moves, and CloudFormation refuses to
   * update an export that another stack imports: once a stack imports it,
   * the next deployment after a push fails. Synth warns
   * (`cdk-image-digest-lookup:movingExport`); for other stacks prefer
   * `parameterName` or the lookup's `containerImage()`/`dockerImageCode()`.
   *
   * @default - the output is not exported
   */
  readonly exportName?: string;

  /**
   * Write the value into an SSM String parameter of this name, such as
   * `/services/api/image`, for pipelines, scripts and stacks in other regions
   * or accounts (through sharing). The parameter is updated whenever the
   * resolved value changes.
   *
   * @default - no parameter
   */
  readonly parameterName?: string;

  /**
   * The description of the output and the parameter.
   *
   * @default - names the repository and what was resolved
   */
  readonly description?: string;
}

/** The constructs `publish()` created. */
export interface PublishedImage {
  readonly output?: CfnOutput;
  readonly parameter?: ssm.StringParameter;
}
