import { CfnOutput, Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { checkParameterName } from './parameter-name';
import { PublishedImage, PublishedValue, PublishOptions } from '../publish';

/** The parameter names each lookup has published, to refuse a second parameter of the same name. */
const PUBLISHED_PARAMETERS = new WeakMap<Construct, Set<string>>();

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
    throw new Error(`ImageDigestLookup ${scope.node.path}: publish(): ${problem}`);
  }
  const parameterNames = PUBLISHED_PARAMETERS.get(scope) ?? new Set<string>();
  if (parameterName !== undefined && !Token.isUnresolved(parameterName) && parameterNames.has(parameterName)) {
    throw new Error(`ImageDigestLookup ${scope.node.path}: publish(): parameterName ${JSON.stringify(parameterName)} is already published by ${scope.node.path}, and SSM holds one parameter per name: give each publish() call its own parameterName.`);
  }
  if (!wantsOutput && options.exportName !== undefined) {
    throw new Error(`ImageDigestLookup ${scope.node.path}: publish(): exportName ${JSON.stringify(options.exportName)} is set but output is false, and only an output can be exported: drop exportName, or let output default to true.`);
  }
  if (parameterName !== undefined) {
    PUBLISHED_PARAMETERS.set(scope, parameterNames.add(parameterName));
  }
  return {
    output: wantsOutput ? new CfnOutput(scope, freeId(scope, `Published${suffix}`), { value, description, exportName: options.exportName }) : undefined,
    parameter: options.parameterName === undefined ? undefined
      : new ssm.StringParameter(scope, freeId(scope, `Published${suffix}Parameter`), { parameterName: options.parameterName, stringValue: value, description }),
  };
}

/**
 * `base` for the first output or parameter of a kind, which keeps the logical
 * ids of lookups that publish once; `base2`, `base3`... for later calls.
 */
function freeId(scope: Construct, base: string): string {
  let n = 1;
  while (scope.node.tryFindChild(n === 1 ? base : `${base}${n}`) !== undefined) {
    n++;
  }
  return n === 1 ? base : `${base}${n}`;
}
