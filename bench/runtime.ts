/**
 * The Lambda runtime section of the benchmark on its own (`npx ts-node
 * --project bench/tsconfig.json bench/runtime.ts [starts] [name=bundle.js
 * ...]`): prints it without writing bench/RESULTS.md, for quick comparisons
 * of builds of the handler while working on its cold path. Expects the
 * handler bundled and the runtime installed.
 */
import * as path from 'path';
import { measureRuntimeLatency } from './runtime-latency';
import { renderRuntimeSection } from './runtime-report';
import { startMotoServer } from '../local/moto-server';

async function main(): Promise<void> {
  const starts = Number(process.argv[2] ?? 15);
  const variants = process.argv.slice(3).map((arg) => {
    const [name, artifact] = arg.split('=');
    return { name, artifact: path.resolve(artifact) };
  });
  const moto = await startMotoServer();
  try {
    const results = await measureRuntimeLatency(moto.endpoint, {
      starts, phaseStarts: Number(process.env.BENCH_PHASE_STARTS ?? 5), variants, log: (line) => console.error(`[bench] ${line}`),
    });
    console.log(renderRuntimeSection(results, '## Lambda runtime'));
  } finally {
    await moto.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
