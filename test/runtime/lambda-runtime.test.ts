/**
 * The shipped handler inside the real Lambda runtime: the Runtime Interface
 * Emulator runs the official Node.js runtime interface client on Node.js 24
 * (Lambda's nodejs24.x), which loads the artifact from its task root and
 * takes each event from the emulator's invoke API. ECR is moto behind a fault
 * proxy; CloudFormation's ResponseURL is a real HTTP endpoint.
 *
 * The runtime is installed by `test/runtime/install.sh`; `npx projen
 * test:lambda-runtime` installs it and runs this file with
 * LAMBDA_RUNTIME_TESTS=required, which fails when anything is missing. In other
 * runs, this file is skipped when the runtime is not installed, or when
 * LAMBDA_RUNTIME_TESTS=skip (CI runs it once, in its own check).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { createEvent, deleteEvent, updateEvent } from '../../local/events';
import { LAMBDA_RUNTIME_TOOLS, LambdaRuntime, missingLambdaRuntimeTools, RuntimeInvocation } from '../../local/lambda-runtime';
import { LocalEcr, MOTO_ACCOUNT, motoEndpoint, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { ResponseEndpoint } from '../../local/response-endpoint';
import { FAILURE_BEHAVIOUR, reasonPattern } from '../faults/failure-behaviour';
import { FaultProxy } from '../support/fault-proxy';

const mode = process.env.LAMBDA_RUNTIME_TESTS ?? 'when-installed';
if (!['required', 'skip', 'when-installed'].includes(mode)) {
  throw new Error(`LAMBDA_RUNTIME_TESTS is "${mode}": use required (fail when the runtime is missing), skip, or leave it unset (run when installed).`);
}
const missing = missingLambdaRuntimeTools();
const skipReason = mode === 'skip' ? 'LAMBDA_RUNTIME_TESTS=skip'
  : mode === 'when-installed' && missing.length > 0 ? `not installed (${missing.join(', ')})`
    : undefined;
const describeRuntime = skipReason ? describe.skip : describe;
if (skipReason) {
  // eslint-disable-next-line no-console
  console.warn(`Skipping the Lambda runtime tests: ${skipReason}. \`npx projen test:lambda-runtime\` installs the runtime and runs them.`);
}

/** Cold invoke-to-PUT times, printed once at the end: figures, not assertions. */
const coldStarts: string[] = [];

describeRuntime('the shipped handler in the Lambda runtime (aws-lambda-rie, aws-lambda-ric, Node.js 24)', () => {
  let ecr: LocalEcr;
  let ecrProxy: FaultProxy;
  let cloudFormation: ResponseEndpoint;
  const running: LambdaRuntime[] = [];

  beforeAll(async () => {
    expect(missing).toEqual([]);
    expect(execFileSync(LAMBDA_RUNTIME_TOOLS.node, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
    ecr = new LocalEcr();
    cloudFormation = await ResponseEndpoint.start();
    ecrProxy = await FaultProxy.start(motoEndpoint());
    // An Update asks for its stack's status; moto loads its CloudFormation
    // backend on the first such call, which takes seconds on a busy machine
    // and would be counted as the handler's time.
    const cfn = new CloudFormationClient({ region: REGION, endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await cfn.send(new DescribeStacksCommand({})).catch(() => undefined);
    cfn.destroy();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((runtime) => runtime.stop()));
    cloudFormation.clear();
    ecrProxy.clear();
  });
  afterAll(async () => {
    await Promise.all([cloudFormation?.close(), ecrProxy?.close()]);
    // eslint-disable-next-line no-console
    console.log(`Cold invoke-to-PUT in the Lambda runtime:\n${coldStarts.join('\n')}`);
  });

  /** A fresh function instance: its first invoke is a cold start. */
  async function startRuntime(timeoutSeconds = 30): Promise<LambdaRuntime> {
    const runtime = await LambdaRuntime.start(motoEnvironment(ecrProxy.endpoint), timeoutSeconds);
    running.push(runtime);
    return runtime;
  }

  function lookupProps(repositoryName: string, tag: string) {
    return { RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: tag };
  }

  /**
   * Invokes and returns the one answer CloudFormation received. The function
   * must return normally: a timeout or an error would leave the stack waiting.
   */
  async function invoke(runtime: LambdaRuntime, event: object, label: string) {
    const before = cloudFormation.received.length;
    const invocation: RuntimeInvocation = await runtime.invoke(event);
    expect({ status: invocation.status, body: invocation.body }).toEqual({ status: 200, body: 'null' });
    const answers = cloudFormation.received.slice(before);
    expect(answers).toHaveLength(1);
    // The emulator reports the runtime's init (Node.js, the client, the artifact) on a cold start.
    const init = /INIT REPORT\(durationMs: ([0-9.]+)\)/.exec(runtime.logs)?.[1];
    const initNote = label.includes('(cold)') && init ? `, init ${Math.round(Number(init))} ms` : '';
    coldStarts.push(`  ${label}: PUT after ${answers[0].receivedAt - invocation.startedAt} ms (invoke answered after ${invocation.answeredAt - invocation.startedAt} ms${initNote})`);
    return { ...answers[0], invocation };
  }

  /** The SDK names the Node.js version it runs on in each request's user agent. */
  function nodeVersionsSeenByEcr(): string[] {
    const agents = ecrProxy.received.map((request) => `${request.headers['user-agent'] ?? ''} ${request.headers['x-amz-user-agent'] ?? ''}`);
    return [...new Set(agents.map((agent) => /md\/nodejs#(\d+)\./.exec(agent)?.[1] ?? `none in "${agent}"`))];
  }

  test('GIVEN a pushed tag WHEN created THEN SUCCESS carries its digest, resolved by the handler running on Node.js 24', async () => {
    const repo = uniqueRepositoryName();
    await ecr.createRepository(repo);
    const digest = await ecr.push(repo, 'main');
    const runtime = await startRuntime();

    const response = await invoke(runtime, createEvent(cloudFormation.url(), lookupProps(repo, 'main')), 'Create (cold)');

    expect(response.body.Status).toBe('SUCCESS');
    expect(response.body.Data.Digest).toBe(digest);
    expect(response.body.PhysicalResourceId).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repo}@${digest}`);
    expect(nodeVersionsSeenByEcr()).toEqual(['24']);
  });

  test('GIVEN the tag moved since Create WHEN updated in the same warm function THEN SUCCESS carries the new digest and a new physical id', async () => {
    const repo = uniqueRepositoryName();
    await ecr.createRepository(repo);
    const first = await ecr.push(repo, 'main');
    const runtime = await startRuntime();
    const created = await invoke(runtime, createEvent(cloudFormation.url(), lookupProps(repo, 'main')), 'Create before Update (cold)');
    const second = await ecr.push(repo, 'main');

    const updated = await invoke(runtime, updateEvent(cloudFormation.url(), created.body.PhysicalResourceId,
      { ...lookupProps(repo, 'main'), RefreshToken: 'b' }, { ...lookupProps(repo, 'main'), RefreshToken: 'a' }), 'Update (warm)');

    expect(created.body.Data.Digest).toBe(first);
    expect(second).not.toBe(first);
    expect(updated.body.Status).toBe('SUCCESS');
    expect(updated.body.Data.Digest).toBe(second);
    expect(updated.body.PhysicalResourceId).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repo}@${second}`);
  });

  test('GIVEN a lookup WHEN deleted THEN SUCCESS keeps the physical id, without calling ECR', async () => {
    const physicalId = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/gone@sha256:${'b'.repeat(64)}`;
    const runtime = await startRuntime();

    const deleted = await invoke(runtime, deleteEvent(cloudFormation.url(), physicalId, lookupProps('gone', 'main')), 'Delete (cold)');

    expect(deleted.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
    expect(ecrProxy.received).toEqual([]);
  });

  test('GIVEN a missing tag WHEN created THEN FAILED names the tag, repository, registry and region', async () => {
    const repo = uniqueRepositoryName();
    await ecr.createRepository(repo);
    await ecr.push(repo, 'main');
    const runtime = await startRuntime();

    const response = await invoke(runtime, createEvent(cloudFormation.url(), lookupProps(repo, 'release-9')), 'Create of a missing tag (cold)');

    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toBe(`Tag "release-9" was not found in repository "${repo}" (registry ${MOTO_ACCOUNT}, region ${REGION}): push an image with that tag, or fix the tag.`);
  });

  test('GIVEN an Update whose tag is missing WHEN it fails THEN FAILED keeps the physical id, so nothing is replaced', async () => {
    const repo = uniqueRepositoryName();
    await ecr.createRepository(repo);
    await ecr.push(repo, 'main');
    const physicalId = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repo}@sha256:${'a'.repeat(64)}`;
    const runtime = await startRuntime();

    const updated = await invoke(runtime, updateEvent(cloudFormation.url(), physicalId, lookupProps(repo, 'gone'), lookupProps(repo, 'main')),
      'Update to a missing tag (cold)');

    expect(updated.body.Status).toBe('FAILED');
    expect(updated.body.Reason).toMatch(/^Tag "gone" was not found in repository /);
    expect(updated.body.PhysicalResourceId).toBe(physicalId);
  });

  test('GIVEN a handler that never answers WHEN invoked THEN the runtime ends it at the function timeout and no answer reaches CloudFormation', async () => {
    // The control for the test below: the emulator, not the test, enforces the timeout.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'never-answers-'));
    const artifact = path.join(dir, 'index.js');
    fs.writeFileSync(artifact, 'exports.handler = () => new Promise(() => { setInterval(() => {}, 1000); });\n');
    const runtime = await LambdaRuntime.start(motoEnvironment(ecrProxy.endpoint), 2, artifact);
    running.push(runtime);

    const invocation = await runtime.invoke(createEvent(cloudFormation.url(), lookupProps(uniqueRepositoryName(), 'main')));

    fs.rmSync(dir, { recursive: true, force: true });
    expect(invocation.body).toBe('Task timed out after 2.00 seconds');
    expect(invocation.answeredAt - invocation.startedAt).toBeGreaterThanOrEqual(2_000);
    expect(cloudFormation.received).toEqual([]);
  });

  test('GIVEN ECR hangs past the function\'s 10 s timeout WHEN created THEN FAILED reaches CloudFormation before the runtime ends the invoke', async () => {
    const row = FAILURE_BEHAVIOUR.ecrHangAlways;
    const repo = uniqueRepositoryName();
    await ecr.createRepository(repo);
    await ecr.push(repo, 'main');
    ecrProxy.injectAlways({ kind: 'hang' });
    const runtime = await startRuntime(10);
    const event = createEvent(cloudFormation.url(), lookupProps(repo, 'main'));

    // The deadline comes from the runtime API (Lambda-Runtime-Deadline-Ms),
    // not from anything the test hands the handler.
    const response = await invoke(runtime, event, 'Create while ECR hangs, 10 s timeout (cold)');

    expect(response.body.Status).toBe(row.status);
    expect(response.body.Reason).toMatch(reasonPattern(row));
    expect(response.receivedAt - response.invocation.startedAt).toBeLessThan(10_000);
    expect(response.invocation.answeredAt - response.invocation.startedAt).toBeLessThan(10_000);
    expect(ecrProxy.received.length).toBeGreaterThan(0);
    expect(ecrProxy.received.every((request) => request.fault === 'hang')).toBe(true);
  });
});
