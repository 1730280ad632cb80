import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CACHED_NODE24, handlerNode, nodeVersionOf } from '../../local/handler-node';
import { invokeShippedHandler } from '../../local/shipped-handler';

describe('handlerNode', () => {
  test('GIVEN HANDLER_NODE names a file THEN that file runs the handler', () => {
    expect(handlerNode({ HANDLER_NODE: process.execPath })).toBe(process.execPath);
  });

  test.each([
    ['a missing file', path.join(os.tmpdir(), 'no-such-node-binary')],
    ['a directory', os.tmpdir()],
  ])('GIVEN HANDLER_NODE names %s THEN the error names the value and the rule', (_kind, value) => {
    expect(() => handlerNode({ HANDLER_NODE: value })).toThrow(`HANDLER_NODE is ${JSON.stringify(value)}, which is not a file`);
  });

  test.each([
    ['unset', {}],
    ['empty', { HANDLER_NODE: '' }],
  ])('GIVEN HANDLER_NODE is %s THEN the cached Node.js 24 runs the handler when it is installed, else the running Node.js', (_kind, env) => {
    expect(handlerNode(env)).toBe(fs.existsSync(CACHED_NODE24) ? CACHED_NODE24 : process.execPath);
  });
});

describe('invokeShippedHandler', () => {
  let directory: string;
  let artifact: string;
  const saved = process.env.HANDLER_NODE;

  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-node-'));
    artifact = path.join(directory, 'index.js');
    fs.writeFileSync(artifact, 'exports.handler = async () => {};\n');
  });
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));
  afterEach(() => {
    if (saved === undefined) delete process.env.HANDLER_NODE;
    else process.env.HANDLER_NODE = saved;
  });

  // Every binary this machine offers, so that a spawn that ignored the choice
  // (and ran jest's own Node.js) fails for at least one of them.
  const binaries = [...new Set([process.execPath, CACHED_NODE24, saved ?? ''].filter((binary) => binary && fs.existsSync(binary)))];

  test.each(binaries.map((binary) => [nodeVersionOf(binary), binary]))('GIVEN HANDLER_NODE names Node.js %s WHEN the artifact runs THEN that Node.js ran it', async (version, binary) => {
    process.env.HANDLER_NODE = binary;
    const invocation = await invokeShippedHandler({}, { env: {}, artifact });
    expect(invocation.exitCode).toBe(0);
    expect(invocation.nodeVersion).toBe(version);
  });
});
