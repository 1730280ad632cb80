import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { invokeShippedHandler, SHIPPED_HANDLER } from '../../local/shipped-handler';

let directory: string;
/** Writes a stand-in artifact whose handler runs `body`. */
function artifact(name: string, body: string): string {
  const file = path.join(directory, `${name}.js`);
  fs.writeFileSync(file, `exports.handler = async (event, context) => { ${body} };\n`);
  return file;
}

beforeAll(() => { directory = fs.mkdtempSync(path.join(os.tmpdir(), 'shipped-handler-')); });
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

test('GIVEN the package layout THEN the shipped handler is the bundle under assets/, where the construct finds it', () => {
  expect(path.relative(path.join(__dirname, '..', '..'), SHIPPED_HANDLER)).toBe(path.join('assets', 'lambda', 'index', 'index.js'));
  expect(fs.existsSync(SHIPPED_HANDLER)).toBe(true);
});

test('GIVEN a handler WHEN invoked THEN it gets the event and a Lambda context, and its output is the logs', async () => {
  const file = artifact('echo', 'console.log(JSON.stringify({ event, name: context.functionName, remaining: context.getRemainingTimeInMillis() }));');

  const invocation = await invokeShippedHandler({ RequestType: 'Create' }, { env: {}, artifact: file, timeoutMs: 10_000 });

  expect(invocation.exitCode).toBe(0);
  const printed = JSON.parse(invocation.stdout.trim());
  expect(printed).toMatchObject({ event: { RequestType: 'Create' }, name: 'ImageDigestLookupHandler' });
  expect(printed.remaining).toBeGreaterThan(5_000);
  expect(printed.remaining).toBeLessThanOrEqual(10_000);
  expect(invocation.logs).toContain(invocation.stdout);
  expect(invocation.moduleLoadMs).toBeGreaterThanOrEqual(0);
  expect(invocation.nodeVersion).toMatch(/^v\d+\./);
});

test('GIVEN only the environment passed THEN the handler sees none of this machine\'s credentials or settings', async () => {
  process.env.KIT_TEST_SECRET = 'leaked';
  try {
    const file = artifact('env', 'console.log(JSON.stringify(Object.keys(process.env).sort()));');
    const invocation = await invokeShippedHandler({}, { env: { AWS_REGION: 'eu-west-1' }, artifact: file });
    expect(JSON.parse(invocation.stdout.trim())).toEqual(expect.arrayContaining(['AWS_EC2_METADATA_DISABLED', 'AWS_REGION', 'PATH']));
    expect(invocation.stdout).not.toContain('KIT_TEST_SECRET');
  } finally {
    delete process.env.KIT_TEST_SECRET;
  }
});

test('GIVEN a handler that outlives the timeout THEN the process is ended, as Lambda ends a function', async () => {
  const file = artifact('slow', 'await new Promise((resolve) => setTimeout(resolve, 60_000));');

  const started = Date.now();
  const invocation = await invokeShippedHandler({}, { env: {}, artifact: file, timeoutMs: 500 });

  expect(invocation.exitCode).toBe(124);
  expect(invocation.stderr).toContain('Task timed out');
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('GIVEN a handler that rejects THEN a distinct exit code and the error in the logs', async () => {
  const file = artifact('rejects', 'throw new Error("boom");');

  const invocation = await invokeShippedHandler({}, { env: {}, artifact: file });

  expect(invocation.exitCode).toBe(3);
  expect(invocation.logs).toContain('Handler rejected: Error: boom');
});

test('GIVEN onModuleLoaded THEN it is called once the module is loaded, before the handler ends', async () => {
  const file = artifact('waits', 'await new Promise((resolve) => setTimeout(resolve, 300));');
  const calls: number[] = [];

  await invokeShippedHandler({}, { env: {}, artifact: file, onModuleLoaded: () => calls.push(Date.now()) });

  expect(calls).toHaveLength(1);
});
