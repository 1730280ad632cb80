/**
 * The benchmark: measures `ImageDigestLookup` and a hand-written
 * `AwsCustomResource` lookup in the same run, prints the report and writes it
 * to bench/RESULTS.md. Expects the handler to be bundled (`npm run bench` does).
 */
import * as fs from 'fs';
import * as path from 'path';
import { measureColdStarts } from './cold-start';
import { measureLookupLatency } from './lookup-latency';
import { measurePinSynthTime, renderPinSynthTime } from './pin-synth-time';
import { renderReport } from './report';
import { measureRuntimeLatency } from './runtime-latency';
import { IMPLEMENTATIONS, RepositoryLayout } from './stacks';
import { builtinValidationAvailable, measureSynthTimes, SynthVariant } from './synth-time';
import { largestAcceptedLookups, measureTemplate } from './template-cost';
import { startMotoServer } from '../local/moto-server';

const TEMPLATE_SIZES = [1, 10, 100, 250, 490];
const SYNTH_SIZES = [1, 100] as const;
// Synths with validation on vary by more than a hundred lookups cost: enough runs for stable medians.
const SYNTH_RUNS = 11;
const COLD_START_PROCESSES = 30;
const LOOKUP_RUNS = 15;
/** Fresh function instances per handler inside the Lambda runtime, and more for the phase split. */
const RUNTIME_STARTS = 21;
const RUNTIME_PHASE_STARTS = 9;
const LAYOUTS: RepositoryLayout[] = ['one repository', 'distinct repositories'];
/**
 * A newer aws-cdk-lib that has the built-in template validation, installed
 * here by the bench task, for the synth-time section only: the project's own
 * is its minimum supported release, which has none.
 */
const VALIDATING_AWS_CDK_LIB_DIR = path.join(__dirname, '..', '.bench', 'aws-cdk-lib');

function synthVariants(): SynthVariant[] {
  const variants: SynthVariant[] = [{ validation: 'off' }];
  if (builtinValidationAvailable()) {
    variants.push({ validation: 'on' });
  } else if (fs.existsSync(VALIDATING_AWS_CDK_LIB_DIR) && builtinValidationAvailable(VALIDATING_AWS_CDK_LIB_DIR)) {
    variants.push({ awsCdkLibDir: VALIDATING_AWS_CDK_LIB_DIR, validation: 'off' }, { awsCdkLibDir: VALIDATING_AWS_CDK_LIB_DIR, validation: 'on' });
  }
  return variants;
}

function versionOf(pkg: string): string {
  return JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
}

function step(title: string): void {
  console.error(`[bench] ${title}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  step('template cost');
  const templateCosts = [
    ...TEMPLATE_SIZES.flatMap((n) => IMPLEMENTATIONS.map((i) => measureTemplate(i, 'one repository', n))),
    ...IMPLEMENTATIONS.map((i) => measureTemplate(i, 'distinct repositories', 490)),
  ];
  step('largest accepted N');
  const largestAccepted = LAYOUTS.flatMap((layout) => IMPLEMENTATIONS.map((implementation) => ({
    implementation, layout, lookups: largestAcceptedLookups(implementation, layout),
  })));

  const variants = synthVariants();
  step(`synth time (${SYNTH_RUNS} runs of ${variants.length} variants)`);
  const synthTimes = measureSynthTimes(SYNTH_SIZES, variants, SYNTH_RUNS);

  step(`synth time of the typical service with and without PinImageDigests (${SYNTH_RUNS} runs each)`);
  const pinSynthTime = measurePinSynthTime(SYNTH_RUNS);

  step(`cold module load (${COLD_START_PROCESSES} processes each)`);
  const coldStarts = measureColdStarts(COLD_START_PROCESSES);

  step(`lookup latency (${LOOKUP_RUNS} runs each)`);
  const moto = await startMotoServer();
  let latencies;
  let runtime;
  try {
    latencies = await measureLookupLatency(moto.endpoint, LOOKUP_RUNS);
    step(`Lambda runtime (${RUNTIME_STARTS} fresh starts per handler, then ${RUNTIME_PHASE_STARTS} through the phase probe)`);
    runtime = await measureRuntimeLatency(moto.endpoint, { starts: RUNTIME_STARTS, phaseStarts: RUNTIME_PHASE_STARTS, log: step });
  } finally {
    await moto.stop();
  }

  const report = renderReport({
    versions: {
      'aws-cdk-lib': versionOf('aws-cdk-lib'),
      '@aws-sdk/client-ecr': versionOf('@aws-sdk/client-ecr'),
      'esbuild': versionOf('esbuild'),
      'Node.js': process.versions.node,
    },
    runCounts: { synthRuns: SYNTH_RUNS, coldStartProcesses: COLD_START_PROCESSES, lookupRuns: LOOKUP_RUNS },
    templateCosts,
    largestAccepted,
    synthTimes,
    synthSizes: SYNTH_SIZES,
    coldStarts,
    latencies,
    runtime,
    durationSeconds: (Date.now() - started) / 1000,
  });
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report + renderPinSynthTime(pinSynthTime));
  console.log(report + renderPinSynthTime(pinSynthTime));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
