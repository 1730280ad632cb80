/**
 * The scan gate with the shipped handler: scan results set in moto after
 * StartImageScan, through its scan-finding-results endpoint.
 */
import { createEvent } from '../../local/events';
import { MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { scanImage } from '../../local/scan-findings';
import { invokeShippedHandler } from '../../local/shipped-handler';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();

async function pushed(): Promise<{ repo: string; digest: string }> {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  return { repo, digest: await local.ecr.push(repo, 'main') };
}

async function invoke(repo: string, scanGate: Record<string, string>) {
  const props = { RepositoryName: repo, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: 'main', ScanGate: scanGate };
  const event = createEvent(local.cloudFormation.url(), props);
  const invocation = await invokeShippedHandler(event, { env: motoEnvironment(), timeoutMs: 45_000 });
  expect(invocation.exitCode).toBe(0);
  return { body: local.cloudFormation.received[0].body, logs: invocation.logs };
}

test('GIVEN a completed scan with one CRITICAL finding WHEN the default gate applies THEN FAILED names the count and the threshold', async () => {
  const { repo, digest } = await pushed();
  await scanImage(local.ecr, repo, digest, { status: 'COMPLETE', counts: { CRITICAL: 1, HIGH: 4 } });

  const { body } = await invoke(repo, { MaxCritical: '0' });

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toBe(`Image ${digest} (tag "main" in repository "${repo}" (registry ${MOTO_ACCOUNT}, region ${REGION})) failed requireScan: its basic scan found 1 CRITICAL (at most 0 allowed): fix the vulnerabilities and push again, or raise requireScan's thresholds.`);
});

test('GIVEN more HIGH findings than allowed WHEN gated THEN FAILED names every threshold exceeded', async () => {
  const { repo, digest } = await pushed();
  await scanImage(local.ecr, repo, digest, { status: 'COMPLETE', counts: { CRITICAL: 2, HIGH: 6 } });

  const { body } = await invoke(repo, { MaxCritical: '0', MaxHigh: '5' });

  expect(body.Reason).toMatch(/found 2 CRITICAL \(at most 0 allowed\), 6 HIGH \(at most 5 allowed\):/);
});

test('GIVEN findings within the thresholds WHEN gated THEN SUCCESS exposes every severity count', async () => {
  const { repo, digest } = await pushed();
  await scanImage(local.ecr, repo, digest, { status: 'COMPLETE', counts: { HIGH: 3, MEDIUM: 7, INFORMATIONAL: 1 } });

  const { body } = await invoke(repo, { MaxCritical: '0', MaxHigh: '5' });

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data).toMatchObject({
    Digest: digest, FindingsCritical: '0', FindingsHigh: '3', FindingsMedium: '7', FindingsLow: '0', FindingsInformational: '1', FindingsUndefined: '0',
  });
});

test('GIVEN an image never scanned WHEN gated without a wait THEN FAILED says there is no scan and how to get one', async () => {
  const { repo } = await pushed();

  const { body } = await invoke(repo, { MaxCritical: '0' });

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toMatch(/has no scan, so requireScan cannot judge it: turn on scan on push or enhanced scanning/);
});

test('GIVEN a scan that completes 3 seconds into the wait WHEN the gate waits up to 30s THEN SUCCESS carries its counts', async () => {
  const { repo, digest } = await pushed();
  const scanning = new Promise<void>((resolve, reject) => setTimeout(() => scanImage(local.ecr, repo, digest, { status: 'COMPLETE', counts: { LOW: 2 } }).then(resolve, reject), 3000));

  const [, { body }] = await Promise.all([scanning, invoke(repo, { MaxCritical: '0', WaitForSeconds: '30' })]);

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data.FindingsLow).toBe('2');
});

test('GIVEN a failed scan WHEN gated THEN FAILED says the scan failed, without waiting', async () => {
  const { repo, digest } = await pushed();
  await scanImage(local.ecr, repo, digest, { status: 'FAILED' });

  const { body } = await invoke(repo, { MaxCritical: '0', WaitForSeconds: '30' });

  expect(body.Reason).toMatch(/^The basic scan of image .* is FAILED \(The scan is FAILED\.\), not COMPLETE, so requireScan cannot judge it: scan the image again, or remove requireScan\.$/);
});

test('GIVEN enhanced scanning reporting ACTIVE with UNTRIAGED findings WHEN gated THEN it is judged, counted as UNDEFINED and logged as enhanced', async () => {
  const { repo, digest } = await pushed();
  await scanImage(local.ecr, repo, digest, { status: 'ACTIVE', counts: { HIGH: 1, UNTRIAGED: 4 }, enhanced: true });

  const { body, logs } = await invoke(repo, { MaxCritical: '0' });

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data.FindingsUndefined).toBe('4');
  expect(logs).toContain(`Image ${digest} passed requireScan on its enhanced scan`);
});
