/**
 * Deploys the lookups of a synthesized template the way CloudFormation would,
 * without CloudFormation: each `Custom::ImageDigestLookup` is created in
 * dependency order, its properties resolved from the intrinsics they use
 * (`intrinsics.ts`) and from the attributes the lookups created before it
 * returned.
 */
import { createEvent, EventProperties } from './events';
import { Environment, evaluate, referencedIds } from './intrinsics';
import { ResponseEndpoint } from './response-endpoint';
import { invokeShippedHandler } from './shipped-handler';
import { RESOURCE_TYPE } from '../src/shared/contract';

/** One lookup as CloudFormation would have created it. */
export interface DeployedLookup {
  readonly logicalId: string;
  /** The properties the handler received, intrinsics resolved, `ServiceToken` left out. */
  readonly properties: EventProperties;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly reason?: string;
  readonly data: Record<string, string>;
}

/** Creates one lookup from its resolved properties, as the handler answers CloudFormation. */
export type CreateLookup = (logicalId: string, properties: EventProperties) =>
Promise<{ Status: 'SUCCESS' | 'FAILED'; Reason?: string; Data?: Record<string, string> }>;

/**
 * Creates every lookup of `template` in dependency order (a lookup after the
 * lookups its properties or DependsOn refer to), stopping at the first
 * failure as CloudFormation would. Returns the lookups created or failed.
 */
export async function deployLookups(template: any, env: Environment, create: CreateLookup): Promise<DeployedLookup[]> {
  const resources: Record<string, any> = template.Resources ?? {};
  const lookups = Object.keys(resources).filter((id) => resources[id].Type === RESOURCE_TYPE);
  const attributes: Record<string, Record<string, string>> = { ...env.attributes };
  const deployed: DeployedLookup[] = [];
  const pending = new Set(lookups);
  while (pending.size > 0) {
    const ready = [...pending].find((id) => {
      const { ServiceToken: _token, ...properties } = resources[id].Properties;
      const dependsOn = [resources[id].DependsOn ?? []].flat() as string[];
      return [...referencedIds(properties), ...dependsOn].every((ref) => !pending.has(ref));
    });
    if (ready === undefined) {
      throw new Error(`The lookups ${[...pending].join(', ')} depend on each other in a cycle`);
    }
    pending.delete(ready);
    const { ServiceToken: _token, ...raw } = resources[ready].Properties;
    const properties = evaluate(raw, { ...env, attributes });
    const answer = await create(ready, properties);
    const result: DeployedLookup = { logicalId: ready, properties, status: answer.Status, reason: answer.Reason, data: answer.Data ?? {} };
    deployed.push(result);
    if (answer.Status !== 'SUCCESS') {
      break;
    }
    attributes[ready] = result.data;
  }
  return deployed;
}

/**
 * Creates each lookup with the shipped handler in a fresh process, as the
 * stack's function would, answering `cloudFormation`.
 */
export function viaShippedHandler(cloudFormation: ResponseEndpoint, env: Record<string, string>): CreateLookup {
  return async (logicalId, properties) => {
    cloudFormation.clear();
    const event = { ...createEvent(cloudFormation.url(), properties), LogicalResourceId: logicalId };
    const invocation = await invokeShippedHandler(event, { env });
    const answer = cloudFormation.received[0]?.body;
    if (invocation.exitCode !== 0 || answer === undefined) {
      throw new Error(`The handler did not answer ${logicalId} (exit ${invocation.exitCode}): ${invocation.logs}`);
    }
    return answer;
  };
}
