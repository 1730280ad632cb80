import { DescribeImageScanFindingsCommand } from '@aws-sdk/client-ecr';
import { LocalEcr, uniqueRepositoryName } from '../../local/local-ecr';
import { scanImage } from '../../local/scan-findings';

let ecr: LocalEcr;
beforeAll(() => { ecr = new LocalEcr(); });

async function pushed() {
  const repo = uniqueRepositoryName();
  await ecr.createRepository(repo);
  return { repo, digest: await ecr.push(repo, 'main') };
}

test('GIVEN a completed basic scan set THEN DescribeImageScanFindings returns its status and counts for that image', async () => {
  const { repo, digest } = await pushed();

  await scanImage(ecr, repo, digest, { status: 'COMPLETE', counts: { CRITICAL: 2, HIGH: 1 } });

  const found = await ecr.client.send(new DescribeImageScanFindingsCommand({ repositoryName: repo, imageId: { imageDigest: digest } }));
  expect(found.imageScanStatus?.status).toBe('COMPLETE');
  expect(found.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 1 });
  expect(found.imageScanFindings?.findings).toEqual([]);
  expect(found.imageScanFindings?.enhancedFindings).toBeUndefined();
});

test('GIVEN an enhanced scan still running THEN its status is returned, with enhanced findings and no counts', async () => {
  const { repo, digest } = await pushed();

  await scanImage(ecr, repo, digest, { status: 'IN_PROGRESS', enhanced: true });

  const found = await ecr.client.send(new DescribeImageScanFindingsCommand({ repositoryName: repo, imageId: { imageDigest: digest } }));
  expect(found.imageScanStatus?.status).toBe('IN_PROGRESS');
  expect(found.imageScanFindings?.enhancedFindings).toEqual([]);
  expect(found.imageScanFindings?.findingSeverityCounts ?? {}).toEqual({});
});
