/**
 * Deploys the lookups of a synthesized template the way CloudFormation would,
 * without CloudFormation: each `Custom::ImageDigestLookup` is created in
 * dependency order, its properties resolved from the intrinsics they use
 * (Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split, Fn::ImportValue) and
 * from the attributes the lookups created before it returned.
 */
import { createEvent, LookupProps } from './events';
import { ResponseEndpoint } from './response-endpoint';
import { invokeShippedHandler } from './shipped-handler';
import { RESOURCE_TYPE } from '../../src/shared/contract';

/** Values the template refers to that no lookup of it produces. */
export interface Environment {
  /** `Ref` values: pseudo parameters, parameters, resources. */
  readonly refs?: Record<string, string>;
  /** `Fn::GetAtt` values of resources other than lookups, by logical id and attribute. */
  readonly attributes?: Record<string, Record<string, string>>;
  /** `Fn::ImportValue` values by export name. */
  readonly imports?: Record<string, string>;
}

/** Evaluates the intrinsics in `value`; throws naming any reference it cannot resolve. */
export function evaluate(value: unknown, env: Environment): any {
  if (Array.isArray(value)) {
    return value.map((v) => evaluate(v, env));
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, arg] = entries[0] as [string, any];
    switch (key) {
      case 'Ref': return known(env.refs?.[arg], `Ref ${arg}`);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof arg === 'string' ? arg.split('.') : arg;
        return known(env.attributes?.[logicalId]?.[attribute], `Fn::GetAtt ${logicalId}.${attribute}`);
      }
      case 'Fn::ImportValue': {
        const name = evaluate(arg, env);
        return known(env.imports?.[name], `Fn::ImportValue ${name}`);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg;
        return (evaluate(parts, env) as string[]).join(separator);
      }
      case 'Fn::Split': {
        const [separator, source] = arg;
        return String(evaluate(source, env)).split(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg;
        return (evaluate(list, env) as unknown[])[Number(evaluate(index, env))];
      }
      default:
        if (key.startsWith('Fn::')) {
          throw new Error(`${key} is not supported by the template evaluator`);
        }
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v, env)]));
}

function known<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`The template refers to ${what}, which the test environment does not provide`);
  }
  return value;
}

/** The logical ids a value refers to through Ref and Fn::GetAtt. */
export function referencedIds(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, arg] of Object.entries(v)) {
        if (key === 'Ref' && typeof arg === 'string') {
          found.add(arg);
        } else if (key === 'Fn::GetAtt') {
          found.add(typeof arg === 'string' ? arg.split('.')[0] : (arg as string[])[0]);
        } else {
          visit(arg);
        }
      }
    }
  };
  visit(value);
  return found;
}

/** One lookup as CloudFormation would have created it. */
export interface DeployedLookup {
  readonly logicalId: string;
  /** The properties the handler received, intrinsics resolved, `ServiceToken` left out. */
  readonly properties: Record<string, unknown>;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly reason?: string;
  readonly data: Record<string, string>;
}

/** Creates one lookup from its resolved properties, as the handler answers CloudFormation. */
export type CreateLookup = (logicalId: string, properties: Record<string, unknown>) =>
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
    const event = { ...createEvent(cloudFormation.url(), properties as LookupProps), LogicalResourceId: logicalId };
    const invocation = await invokeShippedHandler(event, { env });
    const answer = cloudFormation.received[0]?.body;
    if (invocation.exitCode !== 0 || answer === undefined) {
      throw new Error(`The handler did not answer ${logicalId} (exit ${invocation.exitCode}): ${invocation.logs}`);
    }
    return answer;
  };
}
