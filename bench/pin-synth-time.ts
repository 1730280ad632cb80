/**
 * What the one line costs at synth: the typical existing service synthesized
 * with and without PinImageDigests, each synth in a fresh process, the two
 * alternating so that load on the machine falls on both alike; the ratio of
 * the medians comes from the same run.
 *
 * `npx ts-node --project bench/tsconfig.json bench/pin-synth-time.ts [runs]`
 * prints the section alone.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { median, num, ratio } from './stats';

/** The medians of one side. */
export interface PinSynthSide {
  readonly runs: number;
  readonly medianMs: number;
  readonly medianCpuMs: number;
  readonly lookups: number;
}

export interface PinSynthTime {
  readonly without: PinSynthSide;
  readonly with: PinSynthSide;
}

interface Sample {
  readonly synthMs: number;
  readonly cpuMs: number;
  readonly lookups: number;
}

function synthInFreshProcess(side: 'with' | 'without'): Sample {
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'pin-synth-once.ts'), side], {
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), CDK_VALIDATION: 'false' },
  });
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Synthesizes the app `runs` times on each side, alternating, and returns the medians. */
export function measurePinSynthTime(runs: number): PinSynthTime {
  const samples: Record<'with' | 'without', Sample[]> = { with: [], without: [] };
  for (let run = 0; run < runs; run++) {
    // Alternate which side goes first, so that neither always follows the other.
    const order = run % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const);
    for (const side of order) {
      samples[side].push(synthInFreshProcess(side));
    }
  }
  const summarise = (list: Sample[]): PinSynthSide => ({
    runs: list.length,
    medianMs: median(list.map((s) => s.synthMs)),
    medianCpuMs: median(list.map((s) => s.cpuMs)),
    lookups: list[0].lookups,
  });
  return { without: summarise(samples.without), with: summarise(samples.with) };
}

/** The report's section. */
export function renderPinSynthTime(result: PinSynthTime): string {
  const row = (name: string, side: PinSynthSide) => `| ${name} | ${side.lookups} | ${side.runs} | ${num(side.medianMs, 1)} | ${num(side.medianCpuMs, 1)} |`;
  return `
## Synth time of a typical existing service with and without \`PinImageDigests\`

The app of \`examples/existing-service.ts\` (an \`ecs_patterns\` service with a Docker Hub sidecar, two Lambda image
functions, a Batch job, an App Runner service and an asset-built image; built-in template validation off),
each synth in a fresh process, alternating. Wall time and CPU time of constructing the app and \`app.synth()\`.

| app | lookups | runs | median synth ms | median CPU ms |
| --- | --- | --- | --- | --- |
${row('without the one line', result.without)}
${row('with `PinImageDigests`', result.with)}

Ratio with / without: ${ratio(result.with.medianMs, result.without.medianMs)} wall, ${ratio(result.with.medianCpuMs, result.without.medianCpuMs)} CPU.
`;
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 11);
  console.log(renderPinSynthTime(measurePinSynthTime(runs)));
}
