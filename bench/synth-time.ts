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

/** The medians of one implementation at one size and validation mode. */
export interface SynthTime {
  readonly implementation: Implementation;
  readonly lookups: number;
  readonly validation: Validation;
  readonly runs: number;
  readonly medianMs: number;
  readonly medianPeakRssMiB: number;
}

/**
 * Whether the installed aws-cdk-lib has the built-in template validation:
 * its `App` then takes `builtinCloudFormationValidation`.
 */
export function builtinValidationAvailable(): boolean {
  const appTypes = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'core', 'lib', 'app.d.ts');
  return fs.readFileSync(appTypes, 'utf8').includes('builtinCloudFormationValidation');
}

/** Measures every combination `runs` times and returns the medians. */
export function measureSynthTimes(sizes: readonly number[], validations: readonly Validation[], runs: number): SynthTime[] {
  const samples = new Map<string, Array<{ synthMs: number; peakRssMiB: number }>>();
  const key = (i: Implementation, n: number, v: Validation) => `${i}/${n}/${v}`;
  for (let run = 0; run < runs; run++) {
    for (const validation of validations) {
      for (const lookups of sizes) {
        for (const implementation of IMPLEMENTATIONS) {
          const sample = synthInFreshProcess(implementation, lookups, validation);
          samples.set(key(implementation, lookups, validation), [...samples.get(key(implementation, lookups, validation)) ?? [], sample]);
        }
      }
    }
  }
  return validations.flatMap((validation) => sizes.flatMap((lookups) => IMPLEMENTATIONS.map((implementation) => {
    const list = samples.get(key(implementation, lookups, validation)) ?? [];
    return {
      implementation,
      lookups,
      validation,
      runs: list.length,
      medianMs: median(list.map((s) => s.synthMs)),
      medianPeakRssMiB: median(list.map((s) => s.peakRssMiB)),
    };
  })));
}

function synthInFreshProcess(implementation: Implementation, lookups: number, validation: Validation): { synthMs: number; peakRssMiB: number } {
  const script = path.join(__dirname, 'synth-once.ts');
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, implementation, String(lookups), validation], {
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json') },
  });
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
