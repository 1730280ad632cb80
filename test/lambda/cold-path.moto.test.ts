/**
 * What the shipped handler's cold path loads of Node.js itself: a fresh
 * process loads the artifact and answers one Create against moto over
 * http:, as the local kit and the tests reach ECR. A dynamic import() left in
 * the bundle starts Node's ESM loader at the first call, which loads the
 * modules below and took about 25 ms of every cold lookup.
 */
import { spawn } from 'child_process';
import { createEvent } from '../../local/events';
import { handlerNode } from '../../local/handler-node';
import { LocalEcr, MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { ResponseEndpoint } from '../../local/response-endpoint';
import { SHIPPED_HANDLER } from '../../local/shipped-handler';

/** Loads the artifact, runs one event, and prints the Node.js modules the run added, as JSON. */
const PROBE = `
const [artifact, eventJson] = process.argv.slice(1);
const { handler } = require(artifact);
const loaded = new Set(process.moduleLoadList);
handler(JSON.parse(eventJson), { getRemainingTimeInMillis: () => 30000 }).then(() => {
  process.stderr.write('@@added ' + JSON.stringify(process.moduleLoadList.filter((m) => !loaded.has(m))) + '\\n');
});
`;

let cloudFormation: ResponseEndpoint;
beforeAll(async () => {
  cloudFormation = await ResponseEndpoint.start();
});
afterAll(() => cloudFormation.close());

test('GIVEN the shipped handler WHEN its first lookup calls ECR over http: THEN it starts no ESM loader (no undici, http2, worker_threads or assert)', async () => {
  const ecr = new LocalEcr();
  const repositoryName = uniqueRepositoryName('cold-path');
  await ecr.createRepository(repositoryName);
  const digest = await ecr.push(repositoryName, 'v1');
  const event = createEvent(cloudFormation.url(), { RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: 'v1' });

  // Asynchronously: the response endpoint answers from this process.
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(handlerNode(), ['-e', PROBE, SHIPPED_HANDLER, JSON.stringify(event)], {
      env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...motoEnvironment() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', () => resolve(output));
  });

  expect(cloudFormation.received[0]?.body).toMatchObject({ Status: 'SUCCESS', Data: { Digest: digest } });
  const added: string[] = JSON.parse(/@@added (.*)/.exec(stderr)?.[1] ?? 'null');
  expect(added).toEqual(expect.any(Array));
  const loaderModules = added.filter((m) => /internal\/deps\/undici|NativeModule http2|NativeModule worker_threads|NativeModule assert$|modules\/esm\//.test(m));
  expect(loaderModules).toEqual([]);
});
