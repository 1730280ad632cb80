/** Renders the Lambda runtime section of the benchmark: figures, ratios and targets. */
import { RuntimeLatency, RuntimeSubject } from './runtime-latency';
import { num } from './stats';

/** One target of the runtime section, judged from the same run's figures. */
export interface RuntimeTarget {
  readonly axis: string;
  readonly target: string;
  readonly figure: string;
  readonly met: boolean | undefined;
}

function find(results: readonly RuntimeLatency[], subject: RuntimeSubject): RuntimeLatency | undefined {
  return results.find((r) => r.subject === subject);
}

function share(ours: number | undefined, theirs: number | undefined): number | undefined {
  return ours !== undefined && theirs !== undefined && theirs > 0 ? ours / theirs : undefined;
}

/** The runtime targets: cold against AwsCustomResource and the floor, warm against before, one ECR call. */
export function runtimeTargets(results: readonly RuntimeLatency[]): RuntimeTarget[] {
  const ours = find(results, 'ImageDigestLookup');
  const before = find(results, 'ImageDigestLookup (before)');
  const awsCustomResource = find(results, 'AwsCustomResource');
  const floor = find(results, 'empty handler');
  const judged = (axis: string, target: string, value: number | undefined, limit: number): RuntimeTarget => ({
    axis, target, figure: value === undefined ? 'n/a' : `${value.toFixed(2)}x`, met: value === undefined ? undefined : value <= limit,
  });
  return [
    judged('cold invoke-to-PUT in the Lambda runtime, against AwsCustomResource (medians)', 'at most 0.50x',
      share(ours?.cold.median, awsCustomResource?.cold.median), 0.5),
    judged('cold invoke-to-PUT in the Lambda runtime, against the empty handler (medians)', 'at most 1.60x',
      share(ours?.cold.median, floor?.cold.median), 1.6),
    // Warm lookups take about 10 ms, where a millisecond of noise is 10 %: within one quartile step counts as no slower.
    judged('warm invoke-to-PUT in the Lambda runtime, against the handler before (medians)', 'at most 1.00x (+ noise)',
      share(ours?.warm.median, before?.warm.median), before ? 1 + (before.warm.p75 - before.warm.median) / before.warm.median : 1),
    {
      axis: 'ECR calls per tag lookup in the Lambda runtime (cold and warm, counted at the endpoint)',
      target: 'exactly 1',
      figure: ours ? `${ours.ecrCallsCold} cold, ${ours.ecrCallsWarm} warm` : 'n/a',
      met: ours ? ours.ecrCallsCold === 1 && ours.ecrCallsWarm === 1 : undefined,
    },
  ];
}

function range(low: number, high: number, decimals = 0): string {
  return `${num(low, decimals)} to ${num(high, decimals)}`;
}

/** The Markdown of the runtime section: what was measured, the figures, and the targets. */
export function renderRuntimeSection(results: readonly RuntimeLatency[], heading: string): string {
  const floor = find(results, 'empty handler');
  const awsCustomResource = find(results, 'AwsCustomResource');
  const rows = results.map((r) => [
    r.subject, num(r.artifactBytes), r.starts,
    num(r.cold.median), range(r.cold.p25, r.cold.p75), range(r.cold.min, r.cold.max),
    num(r.warm.median, 1), range(r.warm.p25, r.warm.p75, 1),
    share(r.cold.median, awsCustomResource?.cold.median)?.toFixed(2) ?? 'n/a',
    share(r.cold.median, floor?.cold.median)?.toFixed(2) ?? 'n/a',
    `${r.ecrCallsCold} / ${r.ecrCallsWarm}`, r.ecrOperations,
  ]);
  const table = (head: string[], body: Array<Array<string | number>>) =>
    [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...body.map((row) => `| ${row.join(' | ')} |`)].join('\n');
  const header = ['handler', 'artifact bytes', 'fresh starts', 'cold median ms', 'cold p25 to p75', 'cold min to max',
    'warm median ms', 'warm p25 to p75', 'cold vs AwsCustomResource', 'cold vs empty', 'ECR calls cold / warm', 'operations'];
  const phased = results.filter((r) => r.phases);
  const phaseRows = phased.map((r) => {
    const p = r.phases!;
    return [r.subject, num(p.spawn, 1), num(p.boot, 1), num(p.load, 1), num(p.handover, 1), num(p.firstCall, 1),
      num(p.spawn + p.boot + p.load + p.handover + p.firstCall, 1)];
  });
  const phaseSection = phased.length === 0 ? [] : [
    'Where a cold invoke\'s time goes (ms, medians of a further pass of fresh starts): each handler is loaded by a',
    'probe that records when the process started, when loading began and ended and when the event arrived. "spawn" is',
    'the emulator starting the process, "boot" Node.js and the runtime interface client starting, "load" the handler\'s',
    'module, "handover" the client fetching the event, "first call" the handler up to the response PUT arriving.',
    '',
    table(['handler', 'spawn', 'boot', 'load', 'handover', 'first call', 'total'], phaseRows),
    '',
  ];
  const targets = runtimeTargets(results).map((t) => [t.axis, t.target, t.figure, t.met === undefined ? '-' : t.met ? 'met' : 'missed']);
  return [
    heading,
    '',
    'The Runtime Interface Emulator (aws-lambda-rie) starts the official Node.js runtime interface client',
    '(aws-lambda-ric) on Node.js 24 for each fresh function instance, with the handler alone in its task root as',
    'Lambda unpacks it. The time runs from the invoke sent to the emulator until the response PUT arrives at a local',
    'endpoint: the first invoke of an instance is its cold start, the next ones are warm. ECR is moto on loopback',
    'behind a proxy that counts the calls. The handlers alternate start by start. `AwsCustomResource` finds',
    '`@aws-sdk/client-ecr` unbundled on NODE_PATH, as Lambda\'s runtime provides it; the empty handler only answers',
    'CloudFormation, the floor. "before" is an earlier build of the handler, measured when a copy of its',
    '`assets/lambda/index/index.js` is at `.bench/before/index.js`.',
    '',
    table(header, rows),
    '',
    ...phaseSection,
    table(['axis', 'target', 'figure', 'result'], targets),
    '',
  ].join('\n');
}
