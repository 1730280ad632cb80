/**
 * One synth in a fresh process, for the synth-time section: argv holds the
 * implementation, the count of lookups and whether aws-cdk-lib's built-in
 * template validation runs. Prints one JSON line with the synth's wall and
 * CPU time (constructing the app and `app.synth()`, after the entry modules
 * are loaded), the process's peak resident memory and the aws-cdk-lib that ran.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Implementation, lookupApp } from './stacks';

const [implementation, lookups, validation] = process.argv.slice(2);
if (validation === 'off') {
  // Read by aws-cdk-lib releases that have the built-in validation.
  process.env.CDK_VALIDATION = 'false';
}
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
const cpuBefore = process.cpuUsage();
const start = process.hrtime.bigint();
const { app } = lookupApp({
  implementation: implementation as Implementation,
  lookups: Number(lookups),
  layout: 'one repository',
  outdir,
  appProps: { builtinCloudFormationValidation: validation === 'on' },
});
app.synth();
const synthMs = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuBefore);
fs.rmSync(outdir, { recursive: true, force: true });
// Which aws-cdk-lib ran: the project's, or the one BENCH_AWS_CDK_LIB_DIR names.
const awsCdkLib: string = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version;
console.log(JSON.stringify({ synthMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024, awsCdkLib }));
