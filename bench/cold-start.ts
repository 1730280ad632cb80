/**
 * Cold module load of both handlers: each sample is a fresh Node.js process
 * that loads what a cold start loads, timed in-process around the loading
 * alone. Samples alternate between the implementations.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { artifactBytes, coldStartModules } from './handlers';
import { IMPLEMENTATIONS, Implementation } from './stacks';
import { median } from './stats';

/** The cold-start figures of one implementation. */
export interface ColdStart {
  readonly implementation: Implementation;
  readonly artifactBytes: number;
  readonly processes: number;
  readonly medianLoadMs: number;
  readonly loadedFiles: number;
  readonly loadedBytes: number;
  /** The most network connections any sample opened while loading. */
  readonly connectionsWhileLoading: number;
}

/** Measures `processes` fresh processes per implementation. */
export function measureColdStarts(processes: number): ColdStart[] {
  const samples = new Map<Implementation, Array<{ loadMs: number; files: number; bytes: number; connections: number }>>();
  for (let i = 0; i < processes; i++) {
    for (const implementation of IMPLEMENTATIONS) {
      const output = execFileSync(process.execPath, [path.join(__dirname, 'cold-load-probe.js'), ...coldStartModules(implementation)], {
        encoding: 'utf8',
        // What Lambda sets, and nothing of this machine's AWS configuration.
        env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
      });
      samples.set(implementation, [...samples.get(implementation) ?? [], JSON.parse(output)]);
    }
  }
  return IMPLEMENTATIONS.map((implementation) => {
    const list = samples.get(implementation) ?? [];
    return {
      implementation,
      artifactBytes: artifactBytes(implementation),
      processes: list.length,
      medianLoadMs: median(list.map((s) => s.loadMs)),
      loadedFiles: median(list.map((s) => s.files)),
      loadedBytes: median(list.map((s) => s.bytes)),
      connectionsWhileLoading: Math.max(...list.map((s) => s.connections)),
    };
  });
}
