/**
 * One synth in a fresh process, for the synth-time section: argv holds the
 * implementation, the count of lookups and whether aws-cdk-lib's built-in
 * template validation runs. Prints one JSON line with the synth's wall time
 * (constructing the app and `app.synth()`, after every module is loaded) and
 * the process's peak resident memory.
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
fs.rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({ synthMs, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
