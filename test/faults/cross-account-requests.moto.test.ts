/**
 * A repository in another account and region than the function's: every
 * ECR call the shipped handler sends must name the repository's registry and
 * be signed for the repository's region, or it reads the caller's own
 * registry. A loopback proxy records each request as sent (X-Amz-Target, the
 * body's registryId, the SigV4 credential scope), then hands moto, which
 * serves one account, the request with moto's account as registry.
 */
import { expectOneTimelyResponse, FaultHarness } from './harness';
import { createEvent } from '../../local/events';
import { MOTO_ACCOUNT, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { pushIndex } from '../../local/multi-arch';
import { scanImage } from '../../local/scan-findings';

/** The account that owns the repository, as `Repository.fromRepositoryArn` would name it. */
const REPOSITORY_ACCOUNT = '210987654321';
/** The function's own region, unlike the repository's. */
const FUNCTION_REGION = 'eu-west-3';

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start();
});
afterAll(() => harness.close());

/** The region a SigV4 Authorization header is scoped to. */
function signedRegion(authorization: string | string[] | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\/ecr\/aws4_request/.exec(String(authorization))?.[1];
}

test('GIVEN a cross-account lookup with newest, a platform, waitFor and a scan gate WHEN it runs THEN every ECR call names the repository\'s registry and region', async () => {
  const repositoryName = uniqueRepositoryName('xacct');
  await harness.ecr.createRepository(repositoryName);
  harness.ecrProxy.rewriteBodies((body) => body.split(`"registryId":"${REPOSITORY_ACCOUNT}"`).join(`"registryId":"${MOTO_ACCOUNT}"`));
  const properties = {
    RepositoryName: repositoryName,
    RegistryId: REPOSITORY_ACCOUNT,
    Region: REGION,
    NewestTagPattern: 'v*',
    Platform: 'linux/arm64',
    WaitForSeconds: '30',
    ScanGate: { MaxCritical: '0', WaitForSeconds: '30' },
  };

  // The image is pushed, then scanned, while the lookup already waits for it.
  const invocation = harness.invoke(createEvent(harness.responseUrl, properties as never), 60_000, { env: { AWS_REGION: FUNCTION_REGION } });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const pushed = await pushIndex(harness.ecr, repositoryName, 'v1', ['linux/amd64', 'linux/arm64'], 'oci');
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await scanImage(harness.ecr, repositoryName, pushed.platforms['linux/arm64'], { status: 'COMPLETE', counts: { HIGH: 1 } });
  const outcome = await invocation;

  const response = expectOneTimelyResponse(outcome);
  expect(response.body.Status).toBe('SUCCESS');
  expect(response.body.Data.Digest).toBe(pushed.platforms['linux/arm64']);
  const calls = harness.ecrProxy.received.map((r) => ({
    action: String(r.headers['x-amz-target']).replace(TARGET_PREFIX, ''),
    registryId: JSON.parse(r.body).registryId,
    region: signedRegion(r.headers.authorization),
  }));
  // Each kind of call was made, the waits repeated some, and not one left the repository's registry or region.
  expect(new Set(calls.map((c) => c.action))).toEqual(new Set(['DescribeImages', 'BatchGetImage', 'DescribeImageScanFindings']));
  expect(calls.filter((c) => c.action === 'DescribeImages').length).toBeGreaterThan(2);
  for (const call of calls) {
    expect(call).toEqual({ action: call.action, registryId: REPOSITORY_ACCOUNT, region: REGION });
  }
});
