import { CfnOutput, Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { checkParameterName } from './rules';
import { PublishedImage, PublishedValue, PublishOptions } from '../publish';

/**
 * Adds the output and the parameter under `scope`. Their ids carry the value
 * published, so a lookup can publish its URI and its digest side by side.
 */
export function publishValue(
  scope: Construct, values: Record<PublishedValue, string>, defaultDescription: string, options: PublishOptions,
): PublishedImage {
  const which = options.value ?? PublishedValue.IMAGE_URI;
  const value = values[which];
  const suffix = which === PublishedValue.IMAGE_URI ? 'ImageUri' : 'Digest';
  const description = options.description ?? defaultDescription;
  const wantsOutput = options.output ?? true;
  const parameterName = options.parameterName;
  const problem = parameterName !== undefined && !Token.isUnresolved(parameterName) ? checkParameterName('parameterName', parameterName) : undefined;
  if (problem) {
    throw new Error(`ImageDigestLookup.publish(): ${problem}`);
  }
  if (!wantsOutput && options.exportName !== undefined) {
    throw new Error(`ImageDigestLookup.publish(): exportName ${JSON.stringify(options.exportName)} is set but output is false, and only an output can be exported: drop exportName, or let output default to true.`);
  }
  return {
    output: wantsOutput ? new CfnOutput(scope, `Published${suffix}`, { value, description, exportName: options.exportName }) : undefined,
    parameter: options.parameterName === undefined ? undefined
      : new ssm.StringParameter(scope, `Published${suffix}Parameter`, { parameterName: options.parameterName, stringValue: value, description }),
  };
}
