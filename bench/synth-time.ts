/**
 * Synth time and peak memory of both implementations, each synth in its own
 * fresh process so that no run warms the next. Runs alternate between the
 * implementations so that load on the machine falls on both alike.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { IMPLEMENTATIONS, Implementation } from './stacks';
import { median } from './stats';

/** Whether aws-cdk-lib's built-in CloudFormation template validation ran. */
export type Validation = 'on' | 'off';

/** Which aws-cdk-lib a synth runs against, and with which validation. */
export interface SynthVariant {
  /** A directory whose node_modules hold another aws-cdk-lib; the project's own when absent. */
  readonly awsCdkLibDir?: string;
  readonly validation: Validation;
}

/** The medians of one implementation at one size in one variant. */
export interface SynthTime {
  readonly implementation: Implementation;
  readonly lookups: number;
  readonly validation: Validation;
  /** The aws-cdk-lib version that ran the synth. */
  readonly awsCdkLib: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly medianCpuMs: number;
  readonly medianPeakRssMiB: number;
}

interface Sample {
  readonly synthMs: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly awsCdkLib: string;
}

/**
 * Whether an aws-cdk-lib has the built-in template validation: its `App`
 * then takes `builtinCloudFormationValidation`.
 */
export function builtinValidationAvailable(awsCdkLibDir?: string): boolean {
  const pkg = require.resolve('aws-cdk-lib/package.json', awsCdkLibDir ? { paths: [awsCdkLibDir] } : undefined);
  const appTypes = path.join(path.dirname(pkg), 'core', 'lib', 'app.d.ts');
  return fs.readFileSync(appTypes, 'utf8').includes('builtinCloudFormationValidation');
}

/** Measures every combination `runs` times and returns the medians. */
export function measureSynthTimes(sizes: readonly number[], variants: readonly SynthVariant[], runs: number): SynthTime[] {
  const samples = new Map<string, Sample[]>();
  const key = (i: Implementation, n: number, v: SynthVariant) => `${i}/${n}/${v.awsCdkLibDir ?? ''}/${v.validation}`;
  for (let run = 0; run < runs; run++) {
    for (const variant of variants) {
      for (const lookups of sizes) {
        for (const implementation of IMPLEMENTATIONS) {
          const k = key(implementation, lookups, variant);
          samples.set(k, [...samples.get(k) ?? [], synthInFreshProcess(implementation, lookups, variant)]);
        }
      }
    }
  }
  return variants.flatMap((variant) => sizes.flatMap((lookups) => IMPLEMENTATIONS.map((implementation) => {
    const list = samples.get(key(implementation, lookups, variant)) ?? [];
    return {
      implementation,
      lookups,
      validation: variant.validation,
      awsCdkLib: list[0].awsCdkLib,
      runs: list.length,
      medianMs: median(list.map((s) => s.synthMs)),
      medianCpuMs: median(list.map((s) => s.cpuMs)),
      medianPeakRssMiB: median(list.map((s) => s.peakRssMiB)),
    };
  })));
}

function synthInFreshProcess(implementation: Implementation, lookups: number, variant: SynthVariant): Sample {
  const script = path.join(__dirname, 'synth-once.ts');
  const preload = path.join(__dirname, 'aws-cdk-lib-override.js');
  const output = execFileSync(process.execPath, ['-r', preload, '-r', 'ts-node/register/transpile-only', script, implementation, String(lookups), variant.validation], {
    encoding: 'utf8',
    env: {
      ...process.env,
      TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'),
      BENCH_AWS_CDK_LIB_DIR: variant.awsCdkLibDir ?? '',
    },
  });
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
