/**
 * Waiting for a push that happens while the shipped handler waits, against
 * moto and a real response endpoint.
 */
import { createEvent } from '../../local/events';
import { MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { invokeShippedHandler } from '../../local/shipped-handler';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();

function createWithWait(repositoryName: string, selector: Record<string, string>, waitForSeconds: number) {
  return createEvent(local.cloudFormation.url(), {
    RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, ...selector, WaitForSeconds: String(waitForSeconds),
  });
}

test('GIVEN a tag pushed 3 seconds into the wait WHEN the lookup waits up to 30s THEN SUCCESS carries the pushed digest', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const started = Date.now();
  const pushing = new Promise<string>((resolve, reject) => setTimeout(() => local.ecr.push(repo, 'main').then(resolve, reject), 3000));

  const invocation = invokeShippedHandler(createWithWait(repo, { Tag: 'main' }, 30), { env: motoEnvironment(), timeoutMs: 45_000 });
  const [digest, result] = await Promise.all([pushing, invocation]);

  expect(result.exitCode).toBe(0);
  expect(local.cloudFormation.received[0].body.Status).toBe('SUCCESS');
  expect(local.cloudFormation.received[0].body.Data.Digest).toBe(digest);
  expect(local.cloudFormation.received[0].receivedAt - started).toBeGreaterThanOrEqual(3000);
});

test('GIVEN the newest image pushed during the wait WHEN the lookup waits THEN it resolves to it', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const pushing = new Promise<string>((resolve, reject) => setTimeout(() => local.ecr.push(repo, 'release-1').then(resolve, reject), 2000));

  const [digest] = await Promise.all([pushing, invokeShippedHandler(createWithWait(repo, { NewestTagPattern: 'release-*' }, 30), { env: motoEnvironment(), timeoutMs: 45_000 })]);

  expect(local.cloudFormation.received[0].body.Data?.Digest).toBe(digest);
});

test('GIVEN a tag that is never pushed WHEN the lookup waits up to 3s THEN FAILED says how long it waited', async () => {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);

  const invocation = await invokeShippedHandler(createWithWait(repo, { Tag: 'main' }, 3), { env: motoEnvironment() });

  expect(invocation.exitCode).toBe(0);
  expect(local.cloudFormation.received[0].body.Status).toBe('FAILED');
  expect(local.cloudFormation.received[0].body.Reason).toMatch(/^Tag "main" was not found in repository .*: push an image with that tag, or fix the tag\. \(still so after waiting [34]s over [23] attempts, of the 3s waitFor allows\)$/);
});

test('GIVEN a missing repository WHEN the lookup waits THEN it fails at once, as no push can fix it', async () => {
  const started = Date.now();

  await invokeShippedHandler(createWithWait(uniqueRepositoryName('missing'), { Tag: 'main' }, 30), { env: motoEnvironment() });

  expect(local.cloudFormation.received[0].body.Reason).toMatch(/^Repository ".*" was not found/);
  expect(Date.now() - started).toBeLessThan(10_000);
});
