/**
 * The one evaluator of CloudFormation intrinsics in this repository: the
 * template deployer resolves a lookup's properties with it, and the benchmark
 * the policy documents whose deployed size IAM limits.
 */

/** A `Ref` or `Fn::GetAtt` that the environment's tables do not answer. */
export type Reference =
  | { readonly intrinsic: 'Ref'; readonly logicalId: string }
  | { readonly intrinsic: 'Fn::GetAtt'; readonly logicalId: string; readonly attribute: string };

/** Values the template refers to that it does not define itself. */
export interface Environment {
  /**
   * `Ref` values: pseudo parameters, parameters, resources.
   * @default - none
   */
  readonly refs?: Record<string, string>;
  /**
   * `Fn::GetAtt` values by logical id and attribute.
   * @default - none
   */
  readonly attributes?: Record<string, Record<string, string>>;
  /**
   * `Fn::ImportValue` values by export name.
   * @default - none
   */
  readonly imports?: Record<string, string>;
  /**
   * Answers a `Ref` or `Fn::GetAtt` that `refs` and `attributes` do not
   * hold, for callers that need a stand-in value (a physical name's longest
   * length, say) rather than the exact one.
   * @default - such a reference is an error
   */
  readonly otherwise?: (reference: Reference) => string | undefined;
}

/** The pseudo parameters CloudFormation gives every stack of an account and region. */
export function pseudoParameters(account: string, region: string, partition = 'aws', urlSuffix = 'amazonaws.com'): Record<string, string> {
  return { 'AWS::AccountId': account, 'AWS::Region': region, 'AWS::Partition': partition, 'AWS::URLSuffix': urlSuffix };
}

/**
 * The value CloudFormation would deploy for `value`: Ref, Fn::GetAtt,
 * Fn::ImportValue, Fn::Join, Fn::Select, Fn::Split and Fn::Sub resolved, everything
 * else kept. Throws naming any reference the environment cannot answer and
 * any other `Fn::` function, so that a template that outgrows the evaluator
 * fails loudly instead of being measured or deployed wrong.
 */
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
      case 'Ref':
        return known(env.refs?.[arg] ?? env.otherwise?.({ intrinsic: 'Ref', logicalId: arg }), `Ref ${arg}`);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof arg === 'string' ? arg.split('.') : arg;
        return known(
          env.attributes?.[logicalId]?.[attribute] ?? env.otherwise?.({ intrinsic: 'Fn::GetAtt', logicalId, attribute }),
          `Fn::GetAtt ${logicalId}.${attribute}`,
        );
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
      case 'Fn::Sub': {
        const [text, variables] = typeof arg === 'string' ? [arg, {}] : arg;
        return substitute(text, evaluate(variables, env), env);
      }
      default:
        if (key.startsWith('Fn::')) {
          throw new Error(`${key} is not supported by the template evaluator`);
        }
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v, env)]));
}

/**
 * `Fn::Sub`: `${Name}` is a variable of the call, else a Ref (or, with a dot,
 * a GetAtt); `${!Text}` is the literal `${Text}`. The synthesizer writes an
 * image asset's repository this way.
 */
function substitute(text: string, variables: Record<string, string>, env: Environment): string {
  return text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    if (name.startsWith('!')) {
      return `\${${name.slice(1)}}`;
    }
    if (variables[name] !== undefined) {
      return String(variables[name]);
    }
    const reference = name.includes('.') ? { 'Fn::GetAtt': name.split('.') } : { Ref: name };
    return String(evaluate(reference, env));
  });
}

/** The names `Fn::Sub` text refers to outside its own variables. */
function subReferences(text: string, variables: object): string[] {
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1]).filter((name) => !(name in variables));
}

function known<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`The template refers to ${what}, which the environment does not provide`);
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
        } else if (key === 'Fn::Sub') {
          const [text, variables] = typeof arg === 'string' ? [arg, {}] : (arg as [string, object]);
          subReferences(text, variables).forEach((name) => found.add(name.split('.')[0]));
          visit(variables);
        } else {
          visit(arg);
        }
      }
    }
  };
  visit(value);
  return found;
}
