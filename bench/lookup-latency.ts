/**
 * Deploy-time latency of one lookup: from spawning a fresh Node.js process
 * (a cold Lambda) to the response PUT arriving at the local response
 * endpoint, for both handlers driven with the same CloudFormation Create
 * event shape against the same image in a local ECR (moto). A counting proxy
 * in front of moto counts the ECR calls each lookup makes.
 */
import * as path from 'path';
import { CountingProxy } from './counting-proxy';
import { handlerArtifact } from './handlers';
import { IMPLEMENTATIONS, Implementation, lookupApp, lookupTarget } from './stacks';
import { median } from './stats';
import { createEvent, untyped } from '../local/events';
import { LocalEcr, motoEnvironment } from '../local/local-ecr';
import { ResponseEndpoint } from '../local/response-endpoint';
import { invokeShippedHandler } from '../local/shipped-handler';

/** The latency figures of one implementation. */
export interface LookupLatency {
  readonly implementation: Implementation;
  readonly runs: number;
  readonly medianMs: number;
  /** ECR calls per lookup, the same in every run (otherwise the run fails). */
  readonly ecrCallsPerLookup: number;
  readonly ecrOperations: string;
}

const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:Lookups-Handler';

/**
 * The custom resource's properties exactly as the implementation synthesizes
 * them for one lookup, as CloudFormation hands them to the handler: every
 * scalar a string, the service token an ARN.
 */
export function synthesizedLookup(implementation: Implementation): { logicalId: string; resourceType: string; properties: Record<string, unknown> } {
  const { app, stack } = lookupApp({ implementation, lookups: 1, layout: 'one repository' });
  const template = app.synth().getStackByName(stack.stackName).template;
  const [logicalId, resource] = Object.entries<any>(template.Resources)
    .find(([, r]) => r.Type === 'Custom::ImageDigestLookup' || r.Type === 'Custom::AWS')!;
  const properties = Object.fromEntries(Object.entries<unknown>(resource.Properties)
    .map(([key, value]) => [key, key === 'ServiceToken' ? SERVICE_TOKEN : asCloudFormationSends(value)]));
  return { logicalId, resourceType: resource.Type, properties };
}

function asCloudFormationSends(value: unknown): unknown {
  if (typeof value === 'boolean' || typeof value === 'number') {
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new Error(`The benchmark's lookup property ${JSON.stringify(value)} is not a literal: synthesize the benchmark stack with an explicit environment.`);
  }
  return value;
}

/** Runs `runs` cold lookups per implementation against moto at `motoEndpoint`. */
export async function measureLookupLatency(motoEndpoint: string, runs: number): Promise<LookupLatency[]> {
  const { repositoryName, tag } = lookupTarget('one repository', 0);
  const ecr = new LocalEcr(motoEndpoint);
  await ecr.createRepository(repositoryName);
  const digest = await ecr.push(repositoryName, tag);

  const proxy = await CountingProxy.start(motoEndpoint);
  const cloudFormation = await ResponseEndpoint.start();
  const env = {
    ...motoEnvironment(proxy.endpoint),
    NODE_OPTIONS: `--require ${path.join(__dirname, 'plain-http-response.js')}`,
    BENCH_RESPONSE_PORT: new URL(cloudFormation.url()).port,
  };
  const lookups = new Map(IMPLEMENTATIONS.map((implementation) => [implementation, synthesizedLookup(implementation)]));
  const samples = new Map<Implementation, Array<{ ms: number; calls: number; operations: string }>>();
  try {
    for (let run = 0; run < runs; run++) {
      for (const implementation of IMPLEMENTATIONS) {
        const lookup = lookups.get(implementation)!;
        const event = {
          ...createEvent(cloudFormation.url(), untyped({})),
          LogicalResourceId: lookup.logicalId,
          ResourceType: lookup.resourceType,
          ResourceProperties: lookup.properties,
        };
        cloudFormation.clear();
        proxy.reset();
        const spawnedAt = Date.now();
        const invocation = await invokeShippedHandler(event, { env, artifact: handlerArtifact(implementation) });
        const answer = cloudFormation.received[0];
        const resolved = answer?.body?.Data?.Digest ?? answer?.body?.Data?.['imageDetails.0.imageDigest'];
        if (answer?.body?.Status !== 'SUCCESS' || resolved !== digest) {
          throw new Error(`${implementation} did not resolve ${repositoryName}:${tag} to ${digest}: it answered ${answer?.rawBody ?? 'nothing'}; logs: ${invocation.logs}`);
        }
        const operations = [...proxy.calls.entries()].map(([name, count]) => `${name} x${count}`).join(', ');
        samples.set(implementation, [...samples.get(implementation) ?? [], { ms: answer.receivedAt - spawnedAt, calls: proxy.total, operations }]);
      }
    }
  } finally {
    await cloudFormation.close();
    await proxy.close();
  }
  return IMPLEMENTATIONS.map((implementation) => {
    const list = samples.get(implementation) ?? [];
    const counts = new Set(list.map((s) => s.calls));
    if (counts.size !== 1) {
      throw new Error(`${implementation} made a varying number of ECR calls per lookup (${[...counts].join(', ')}); the count must be the same in every run.`);
    }
    return {
      implementation,
      runs: list.length,
      medianMs: median(list.map((s) => s.ms)),
      ecrCallsPerLookup: list[0].calls,
      ecrOperations: list[0].operations,
    };
  });
}
