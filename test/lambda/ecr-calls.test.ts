/**
 * The one seam to ECR: each action is sent with the target's registry and
 * repository, and whatever the SDK throws comes out as a LookupError that
 * names the action. The ECR client is replaced by aws-sdk-client-mock.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BatchGetImageCommand, DescribeImagesCommand, DescribeImageScanFindingsCommand, ECRClient, ECRServiceException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import * as ts from 'typescript';
import { batchGetImage, describeImages, describeImageScanFindings } from '../../lambda/ecr-calls';
import { LookupError } from '../../lambda/lookup-error';
import type { LookupRequest } from '../../lambda/lookup-request';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'eu-west-1' });
beforeEach(() => ecrMock.reset());

const DIGEST = `sha256:${'a'.repeat(64)}`;
const TARGET: LookupRequest = { registryId: '111111111111', region: 'eu-west-1', repositoryName: 'team/api', selector: { kind: 'tag', tag: 'main' }, waitForSeconds: 0 };
const IMAGE = 'tag "main" in repository "team/api" (registry 111111111111, region eu-west-1)';

function serviceError(name: string, status = 400, message = `${name} from ECR`): ECRServiceException {
  return new ECRServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}

/**
 * Each action of the seam, called with an input that names one image, with
 * the mock's answers and calls bound to that action's command class.
 */
interface Action {
  readonly resolves: (answer: object) => void;
  readonly rejects: (error: Error) => void;
  readonly inputs: () => unknown[];
  readonly call: () => Promise<unknown>;
}
const ACTIONS: Array<[string, Action]> = [
  ['DescribeImages', {
    resolves: (answer) => ecrMock.on(DescribeImagesCommand).resolves(answer),
    rejects: (error) => ecrMock.on(DescribeImagesCommand).rejects(error),
    inputs: () => ecrMock.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input),
    call: () => describeImages(ecr, TARGET, { imageIds: [{ imageDigest: DIGEST }] }),
  }],
  ['BatchGetImage', {
    resolves: (answer) => ecrMock.on(BatchGetImageCommand).resolves(answer),
    rejects: (error) => ecrMock.on(BatchGetImageCommand).rejects(error),
    inputs: () => ecrMock.commandCalls(BatchGetImageCommand).map((c) => c.args[0].input),
    call: () => batchGetImage(ecr, TARGET, { imageIds: [{ imageDigest: DIGEST }] }),
  }],
  ['DescribeImageScanFindings', {
    resolves: (answer) => ecrMock.on(DescribeImageScanFindingsCommand).resolves(answer),
    rejects: (error) => ecrMock.on(DescribeImageScanFindingsCommand).rejects(error),
    inputs: () => ecrMock.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input),
    call: () => describeImageScanFindings(ecr, TARGET, { imageId: { imageDigest: DIGEST } }),
  }],
];

test.each(ACTIONS)('GIVEN %s WHEN called THEN the request\'s registry and repository go with the input', async (_action, action) => {
  action.resolves({});

  await action.call();

  const inputs = action.inputs();
  expect(inputs).toHaveLength(1);
  expect(inputs[0]).toMatchObject({ registryId: '111111111111', repositoryName: 'team/api' });
});

test.each(ACTIONS)('GIVEN ECR answers %s WHEN called THEN the answer comes back as the SDK gave it', async (_action, action) => {
  const answer = { nextToken: 'page-2', $metadata: {} };
  action.resolves(answer);

  await expect(action.call()).resolves.toEqual(answer);
});

test.each(ACTIONS)('GIVEN ECR denies %s WHEN called THEN a LookupError names the action, the image and ECR\'s message', async (name, action) => {
  action.rejects(serviceError('AccessDeniedException', 400, `User: arn:aws:sts::111111111111:assumed-role/r/f is not authorized to perform: ecr:${name}`));

  const failure = await action.call().catch((e: Error) => e) as Error;

  expect(failure).toBeInstanceOf(LookupError);
  expect(failure.message).toMatch(new RegExp(`^ECR denied ecr:${name} for tag "main" in repository "team/api" \\(registry 111111111111, region eu-west-1\\) on 1 attempt: User: .* is not authorized to perform: ecr:${name}\\. `));
});

test.each(ACTIONS)('GIVEN a 5xx on %s WHEN called THEN the LookupError names the action and the status', async (name, action) => {
  action.rejects(serviceError('ServerException', 503, 'Service Unavailable\nmore advice for SDK users'));

  const failure = await action.call().catch((e: Error) => e) as Error;

  expect(failure.message).toBe(`ECR ${name} failed for ${IMAGE}: HTTP 503 ServerException: Service Unavailable`);
});

test('GIVEN an abort signal WHEN a call is sent THEN the SDK receives it', async () => {
  ecrMock.on(DescribeImagesCommand).resolves({});
  const abort = new AbortController();

  await describeImages(ecr, TARGET, { imageIds: [{ imageTag: 'main' }] }, abort.signal);

  expect((ecrMock.commandCalls(DescribeImagesCommand)[0].args as unknown[])[1]).toEqual({ abortSignal: abort.signal });
});

test('GIVEN the image has no scan WHEN its findings are read THEN a waitable LookupError names the scanned digest and the image', async () => {
  ecrMock.on(DescribeImageScanFindingsCommand).rejects(serviceError('ScanNotFoundException'));

  const failure = await describeImageScanFindings(ecr, TARGET, { imageId: { imageDigest: DIGEST } }).catch((e) => e);

  expect(failure).toBeInstanceOf(LookupError);
  expect(failure.waitable).toBe(true);
  expect(failure.message).toBe(`Image ${DIGEST} (${IMAGE}) has no scan, so requireScan cannot judge it: turn on scan on push or enhanced scanning for the repository, or start a scan; a multi-architecture image is scanned per platform, so set platform.`);
});

/**
 * The seam's types, checked by the compiler itself: jest only transpiles, so
 * a probe file is compiled against the handler's tsconfig and each line
 * marked `// error` must fail to compile, and no other.
 */
describe('types', () => {
  const lambda = path.resolve(__dirname, '../../lambda');

  function linesThatFail(probe: string): number[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-calls-probe-'));
    try {
      const file = path.join(dir, 'probe.ts');
      fs.writeFileSync(file, probe);
      const config = ts.getParsedCommandLineOfConfigFile(path.join(lambda, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
      const program = ts.createProgram([file], { ...config.options, rootDir: undefined, noEmit: true });
      const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
      return [...new Set(diagnostics.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1))].sort((a, b) => a - b);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('GIVEN calls that misname an input or read a field the output lacks WHEN compiled THEN exactly those lines fail', () => {
    const probe = [
      `import { BatchGetImageCommand, DescribeImagesCommand, ECRClient } from '${lambda}/../node_modules/@aws-sdk/client-ecr';`,
      `import { batchGetImage, describeImages } from '${lambda}/ecr-calls';`,
      `import { patient } from '${lambda}/ecr-client';`,
      `import type { LookupRequest } from '${lambda}/lookup-request';`,
      'declare const target: LookupRequest;',
      'const ecr = patient(new ECRClient({}), 0);',
      'export async function probe() {',
      '  (await describeImages(ecr, target, { imageIds: [{ imageTag: "main" }] })).imageDetails;',
      '  (await describeImages(ecr, target, { imageIdz: [] })); // error',
      '  (await describeImages(ecr, target, { repositoryName: "other" })); // error',
      '  (await describeImages(ecr, target, {})).images; // error',
      '  (await batchGetImage(ecr, target, { imageIds: [] })).images;',
      '  (await ecr.send(new DescribeImagesCommand({ repositoryName: "api" }))).imageDetails;',
      '  (await ecr.send(new DescribeImagesCommand({ repositoryName: "api" }))).images; // error',
      '  (await ecr.send(new BatchGetImageCommand({ repositoryName: "api", imageIds: [] }))).failures;',
      '}',
    ];
    const expected = probe.flatMap((line, i) => (line.endsWith('// error') ? [i + 1] : []));

    expect(linesThatFail(probe.join('\n'))).toEqual(expected);
  });
});
