/**
 * Deploy-time latency inside the real Lambda runtime: the Runtime Interface
 * Emulator starts the official Node.js runtime interface client on Node.js 24
 * for each fresh function instance, and the time runs from the invoke sent to
 * it until the response PUT arrives at a local CloudFormation endpoint. The
 * first invoke of an instance is its cold start; later ones are warm.
 *
 * Side by side in one run, alternating start by start so that the load of a
 * shared machine hits all alike: this library's handler; the same handler as
 * built before the current changes, when `.bench/before/index.js` holds it;
 * `AwsCustomResource` with the SDK found on NODE_PATH, as Lambda's Node.js
 * runtime provides it; and an empty handler that only answers, the floor.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CountingProxy } from './counting-proxy';
import { AWS_CUSTOM_RESOURCE_HANDLER } from './handlers';
import { synthesizedLookup } from './lookup-latency';
import { lookupTarget } from './stacks';
import { median, quantile } from './stats';
import { createEvent, untyped } from '../local/events';
import { LambdaRuntime, missingLambdaRuntimeTools } from '../local/lambda-runtime';
import { LocalEcr, motoEnvironment } from '../local/local-ecr';
import { ResponseEndpoint } from '../local/response-endpoint';
import { SHIPPED_HANDLER } from '../local/shipped-handler';

/**
 * The handlers the runtime section compares, in the order its tables print
 * them; other names are variants of this library's handler given by path.
 */
export type RuntimeSubject = 'ImageDigestLookup' | 'ImageDigestLookup (before)' | 'AwsCustomResource' | 'empty handler' | string;

/** The handler as built before the current changes, copied there by hand to compare against. */
export const BEFORE_HANDLER = path.join(__dirname, '..', '.bench', 'before', 'index.js');

/** The runtime figures of one handler. */
export interface RuntimeLatency {
  readonly subject: RuntimeSubject;
  readonly artifactBytes: number;
  /** Fresh function instances, each giving one cold sample. */
  readonly starts: number;
  readonly cold: Spread;
  readonly warm: Spread;
  /** ECR calls of a cold and of a warm lookup, the same in every sample (otherwise the run fails). */
  readonly ecrCallsCold: number;
  readonly ecrCallsWarm: number;
  readonly ecrOperations: string;
  /** Medians of where a cold invoke's time goes, from the phase pass; absent without one. */
  readonly phases?: ColdPhases;
}

/**
 * A cold invoke split at the moments the phase probe records, in ms: the
 * emulator starting the process; Node.js and the runtime interface client
 * starting up; loading the handler's module; the client fetching the event;
 * and the handler's first call up to the response PUT arriving.
 */
export interface ColdPhases {
  readonly spawn: number;
  readonly boot: number;
  readonly load: number;
  readonly handover: number;
  readonly firstCall: number;
}

/** Options of a runtime measurement. */
export interface RuntimeLatencyOptions {
  /** Fresh starts per handler for the cold and warm figures. */
  readonly starts: number;
  /** Further fresh starts per handler run through the phase probe, to split the cold invoke; 0 for none. */
  readonly phaseStarts?: number;
  /** Builds of this library's handler to measure beside the others. */
  readonly variants?: readonly HandlerVariant[];
  readonly log?: (line: string) => void;
}

/** The median of samples, with their quartiles and extremes. */
export interface Spread {
  readonly samples: number;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
}

/** Warm invokes after each cold one. */
const WARM_INVOKES = 3;

interface Subject {
  readonly name: RuntimeSubject;
  readonly artifact: string;
  readonly lookup?: ReturnType<typeof synthesizedLookup>;
}

/** A build of this library's handler to measure beside the others, by name. */
export interface HandlerVariant {
  readonly name: string;
  readonly artifact: string;
}

function subjects(variants: readonly HandlerVariant[]): Subject[] {
  const ours = synthesizedLookup('ImageDigestLookup');
  return [
    { name: 'ImageDigestLookup', artifact: SHIPPED_HANDLER, lookup: ours },
    ...fs.existsSync(BEFORE_HANDLER) ? [{ name: 'ImageDigestLookup (before)', artifact: BEFORE_HANDLER, lookup: ours }] : [],
    ...variants.map((variant) => ({ ...variant, lookup: ours })),
    { name: 'AwsCustomResource', artifact: AWS_CUSTOM_RESOURCE_HANDLER, lookup: synthesizedLookup('AwsCustomResource') },
    { name: 'empty handler', artifact: path.join(__dirname, 'empty-handler.js') },
  ];
}

function spread(values: number[]): Spread {
  return {
    samples: values.length,
    median: median(values),
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

const PHASE_PROBE = path.join(__dirname, 'phase-probe.js');

/**
 * Runs `starts` fresh function instances per handler against moto at
 * `motoEndpoint`: one cold invoke and a few warm ones each; then
 * `phaseStarts` more through the phase probe, one cold invoke each. Fails,
 * saying how to install it, when the Lambda runtime is not installed.
 */
export async function measureRuntimeLatency(motoEndpoint: string, options: RuntimeLatencyOptions): Promise<RuntimeLatency[]> {
  const { starts, phaseStarts = 0, variants = [], log = () => undefined } = options;
  const missing = missingLambdaRuntimeTools();
  if (missing.length > 0) {
    throw new Error(`The Lambda runtime is not installed (${missing.join(', ')} missing): run \`bash test/runtime/install.sh\` (\`npm run bench\` does).`);
  }
  const { repositoryName, tag } = lookupTarget('one repository', 0);
  const ecr = new LocalEcr(motoEndpoint);
  // The in-process section may have created it in the same moto already.
  await ecr.createRepository(repositoryName).catch((error) => {
    if (error?.name !== 'RepositoryAlreadyExistsException') {
      throw error;
    }
  });
  const digest = await ecr.push(repositoryName, tag);

  const proxy = await CountingProxy.start(motoEndpoint);
  const cloudFormation = await ResponseEndpoint.start();
  const environment = {
    ...motoEnvironment(proxy.endpoint),
    // aws-cdk-lib's handler answers over https; loopback is sent over plain HTTP (see the file).
    NODE_OPTIONS: `--require ${path.join(__dirname, 'plain-http-response.js')}`,
    BENCH_RESPONSE_PORT: new URL(cloudFormation.url()).port,
    // Lambda's Node.js runtime finds its own SDK, unbundled, through NODE_PATH.
    NODE_PATH: path.dirname(path.dirname(path.dirname(require.resolve('@aws-sdk/client-ecr/package.json')))),
  };
  const list = subjects(variants);
  const samples = new Map(list.map((s) => [s.name, {
    cold: [] as number[],
    warm: [] as number[],
    callsCold: new Set<number>(),
    callsWarm: new Set<number>(),
    operations: '',
    phases: [] as ColdPhases[],
  }]));

  const invoke = async (runtime: LambdaRuntime, subject: Subject) => {
    cloudFormation.clear();
    proxy.reset();
    const event = {
      ...createEvent(cloudFormation.url(), untyped({})),
      ...subject.lookup && {
        LogicalResourceId: subject.lookup.logicalId,
        ResourceType: subject.lookup.resourceType,
        ResourceProperties: subject.lookup.properties,
      },
    };
    const invocation = await runtime.invoke(event);
    const answer = cloudFormation.received[0];
    const resolved = answer?.body?.Data?.Digest ?? answer?.body?.Data?.['imageDetails.0.imageDigest'];
    if (invocation.status !== 200 || answer?.body?.Status !== 'SUCCESS' || (subject.lookup && resolved !== digest)) {
      throw new Error(`${subject.name} did not resolve ${repositoryName}:${tag} to ${digest} in the Lambda runtime: the invoke answered ${invocation.status} ${invocation.body}; CloudFormation received ${answer?.rawBody ?? 'nothing'}; logs: ${runtime.logs}`);
    }
    const operations = [...proxy.calls.entries()].map(([name, count]) => `${name} x${count}`).join(', ');
    const { startedAt } = invocation;
    return { ms: answer.receivedAt - startedAt, calls: proxy.total, operations, startedAt, answeredAt: answer.receivedAt };
  };

  try {
    for (let start = 0; start < starts + phaseStarts; start++) {
      const phasePass = start >= starts;
      // Each start rotates the order, so that no handler always follows the same one.
      const order = list.map((_, i) => list[(i + start) % list.length]);
      for (const subject of order) {
        const runtime = phasePass
          ? await LambdaRuntime.start({ ...environment, BENCH_PHASE_TARGET: subject.artifact }, 30, PHASE_PROBE)
          : await LambdaRuntime.start(environment, 30, subject.artifact);
        try {
          const figures = samples.get(subject.name)!;
          const cold = await invoke(runtime, subject);
          if (phasePass) {
            figures.phases.push(phasesOf(runtime.logs, cold.startedAt, cold.answeredAt, subject.name));
            continue;
          }
          figures.cold.push(cold.ms);
          figures.callsCold.add(cold.calls);
          figures.operations = cold.operations;
          for (let i = 0; i < WARM_INVOKES; i++) {
            const warm = await invoke(runtime, subject);
            figures.warm.push(warm.ms);
            figures.callsWarm.add(warm.calls);
          }
        } finally {
          await runtime.stop();
        }
      }
      log(`${phasePass ? 'phase ' : ''}start ${start + 1}/${starts + phaseStarts}: ${list.map((s) => `${s.name} ${
        phasePass ? `${Math.round(sum(samples.get(s.name)!.phases.at(-1)!))} ms` : `${samples.get(s.name)!.cold.at(-1)} ms`}`).join(', ')}`);
    }
  } finally {
    await cloudFormation.close();
    await proxy.close();
  }

  return list.map((subject) => {
    const figures = samples.get(subject.name)!;
    for (const [when, counts] of [['cold', figures.callsCold], ['warm', figures.callsWarm]] as const) {
      if (counts.size !== 1) {
        throw new Error(`${subject.name} made a varying number of ECR calls per ${when} lookup in the Lambda runtime (${[...counts].join(', ')}); the count must be the same in every sample.`);
      }
    }
    return {
      subject: subject.name,
      artifactBytes: fs.statSync(subject.artifact).size,
      starts: figures.cold.length,
      cold: spread(figures.cold),
      warm: spread(figures.warm),
      ecrCallsCold: [...figures.callsCold][0],
      ecrCallsWarm: [...figures.callsWarm][0],
      ecrOperations: figures.operations || 'none',
      phases: figures.phases.length === 0 ? undefined : {
        spawn: median(figures.phases.map((p) => p.spawn)),
        boot: median(figures.phases.map((p) => p.boot)),
        load: median(figures.phases.map((p) => p.load)),
        handover: median(figures.phases.map((p) => p.handover)),
        firstCall: median(figures.phases.map((p) => p.firstCall)),
      },
    };
  });
}

function sum(phases: ColdPhases): number {
  return phases.spawn + phases.boot + phases.load + phases.handover + phases.firstCall;
}

/** Splits one cold invoke at the moments the phase probe printed to the function's log. */
function phasesOf(logs: string, invokedAt: number, answeredAt: number, name: string): ColdPhases {
  const printed = /@@phases (\{.*\})/.exec(logs)?.[1];
  if (!printed) {
    throw new Error(`The phase probe printed nothing for ${name}; logs: ${logs}`);
  }
  const at = JSON.parse(printed) as { processStart: number; loadStart: number; loadEnd: number; handlerStart: number };
  return {
    spawn: at.processStart - invokedAt,
    boot: at.loadStart - at.processStart,
    load: at.loadEnd - at.loadStart,
    handover: at.handlerStart - at.loadEnd,
    firstCall: answeredAt - at.handlerStart,
  };
}
