/**
 * One synth of the typical existing service (examples/existing-service.ts)
 * in a fresh process, with (`with`) or without (`without`) PinImageDigests.
 * Prints one JSON line: the wall and CPU time of constructing the app and
 * `app.synth()`, after the modules are loaded, and how many lookups it made.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects } from 'aws-cdk-lib';
import { ExistingServiceStack } from '../examples/existing-service';
import { PinImageDigests } from '../src';
import { RESOURCE_TYPE } from '../src/shared/contract';

const pinned = process.argv[2] === 'with';
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pin-'));
const cpuBefore = process.cpuUsage();
const start = process.hrtime.bigint();
const app = new App({ outdir, context: { 'cdk-image-digest-lookup:refreshToken': 'bench' } });
new ExistingServiceStack(app, 'Shop');
if (pinned) {
  Aspects.of(app).add(new PinImageDigests());
}
const assembly = app.synth();
const synthMs = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuBefore);
const lookups = Object.values<any>(assembly.getStackByName('Shop').template.Resources).filter((r) => r.Type === RESOURCE_TYPE).length;
fs.rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({ synthMs, cpuMs: (cpu.user + cpu.system) / 1000, lookups }));
