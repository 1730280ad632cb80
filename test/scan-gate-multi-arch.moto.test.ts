/**
 * The README's pattern for a multi-architecture image with a scan gate: a
 * lookup with `requireScan` and no platform, pinned for an arm64 function
 * with `dockerImageCode({ architecture })`. The app is synthesized and both
 * lookups of its template are created in dependency order by the shipped
 * handler against moto, with a real OCI index and per-platform scan results.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { evaluate } from '../local/intrinsics';
import { LocalEcr, MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../local/local-ecr';
import { pushIndex, PushedIndex } from '../local/multi-arch';
import { ResponseEndpoint } from '../local/response-endpoint';
import { scanImage } from '../local/scan-findings';
import { deployLookups, DeployedLookup, viaShippedHandler } from '../local/template-deployment';
import { ImageDigestLookup, ScanRequirement, ScanSeverity } from '../src';

const PSEUDO = { 'AWS::AccountId': MOTO_ACCOUNT, 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

let ecrClient: LocalEcr;
let cloudFormation: ResponseEndpoint;
beforeAll(async () => {
  ecrClient = new LocalEcr();
  cloudFormation = await ResponseEndpoint.start();
});
afterAll(() => cloudFormation.close());

/** A repository whose `main` tag points to an OCI index for linux/amd64 and linux/arm64, as buildx pushes it. */
async function multiArchImage(): Promise<{ repositoryName: string; image: PushedIndex }> {
  const repositoryName = uniqueRepositoryName('multi');
  await ecrClient.createRepository(repositoryName);
  const image = await pushIndex(ecrClient, repositoryName, 'main', ['linux/amd64', 'linux/arm64'], 'oci');
  return { repositoryName, image };
}

interface Synthesized {
  readonly template: any;
  readonly lookup: ImageDigestLookup;
  readonly stack: Stack;
}

/** The README's app: one gated lookup, an arm64 function pinned through dockerImageCode. */
function synthesize(repositoryName: string, requireScan: ScanRequirement, readOwnScan = false): Synthesized {
  const stack = new Stack(new App(), 'Service', { env: { account: MOTO_ACCOUNT, region: REGION } });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', repositoryName);
  const lookup = new ImageDigestLookup(stack, 'Worker', { repository, tag: 'main', requireScan });
  new lambda.DockerImageFunction(stack, 'WorkerFn', {
    architecture: lambda.Architecture.ARM_64,
    code: lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }),
  });
  if (readOwnScan) {
    lookup.findingCount(ScanSeverity.HIGH);
  }
  return { template: Template.fromStack(stack).toJSON(), lookup, stack };
}

async function deploy(template: any): Promise<DeployedLookup[]> {
  return deployLookups(template, { refs: PSEUDO }, viaShippedHandler(cloudFormation, motoEnvironment()));
}

/** The image URI the function's code resolves to, once the lookups answered. */
function functionImageUri(template: any, deployed: DeployedLookup[]): string {
  const fn = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.PackageType === 'Image');
  const attributes = Object.fromEntries(deployed.map((d) => [d.logicalId, d.data]));
  return evaluate(fn.Properties.Code.ImageUri, { refs: PSEUDO, attributes });
}

test('GIVEN each platform scanned within the thresholds WHEN the app is deployed THEN both lookups succeed and the function runs the gated arm64 manifest', async () => {
  const { repositoryName, image } = await multiArchImage();
  await scanImage(ecrClient, repositoryName, image.platforms['linux/arm64'], { status: 'COMPLETE', counts: { HIGH: 2, LOW: 7 } });
  await scanImage(ecrClient, repositoryName, image.platforms['linux/amd64'], { status: 'COMPLETE', counts: { HIGH: 1 } });
  const { template, stack, lookup } = synthesize(repositoryName, { maxCritical: 0, maxHigh: 5 });

  const deployed = await deploy(template);

  expect(deployed.map((d) => [d.status, d.reason])).toEqual([['SUCCESS', undefined], ['SUCCESS', undefined]]);
  const [index, platform] = deployed;
  expect(index.logicalId).toBe(stack.getLogicalId(lookup.resource));
  expect(index.data.Digest).toBe(image.indexDigest);
  expect(index.properties.ScanGate).toBeUndefined();
  expect(platform.properties).toMatchObject({ Platform: 'linux/arm64', Digest: image.indexDigest, ScanGate: { MaxCritical: '0', MaxHigh: '5' } });
  expect(platform.data).toMatchObject({ Digest: image.platforms['linux/arm64'], IndexDigest: image.indexDigest, FindingsHigh: '2', FindingsLow: '7' });
  expect(functionImageUri(template, deployed)).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${repositoryName}@${image.platforms['linux/arm64']}`);
});

test('GIVEN the arm64 manifest over a threshold WHEN the app is deployed THEN the platform lookup fails the deployment naming the findings', async () => {
  const { repositoryName, image } = await multiArchImage();
  await scanImage(ecrClient, repositoryName, image.platforms['linux/arm64'], { status: 'COMPLETE', counts: { CRITICAL: 1 } });
  const { template } = synthesize(repositoryName, { maxCritical: 0 });

  const deployed = await deploy(template);

  expect(deployed.map((d) => d.status)).toEqual(['SUCCESS', 'FAILED']);
  expect(deployed[1].reason).toContain(`Image ${image.platforms['linux/arm64']}`);
  expect(deployed[1].reason).toContain('failed requireScan: its basic scan found 1 CRITICAL (at most 0 allowed)');
});

test('GIVEN the arm64 manifest never scanned WHEN the app is deployed THEN the platform lookup fails saying the image has no scan', async () => {
  const { repositoryName, image } = await multiArchImage();
  await scanImage(ecrClient, repositoryName, image.platforms['linux/amd64'], { status: 'COMPLETE' });
  const { template } = synthesize(repositoryName, { maxCritical: 0 });

  const deployed = await deploy(template);

  expect(deployed.map((d) => d.status)).toEqual(['SUCCESS', 'FAILED']);
  expect(deployed[1].reason).toContain(`Image ${image.platforms['linux/arm64']}`);
  expect(deployed[1].reason).toContain('has no scan, so requireScan cannot judge it');
});

test('GIVEN the index lookup\'s own finding counts are read WHEN the app is deployed THEN it keeps its gate, and an index, which ECR never scans, fails it', async () => {
  const { repositoryName, image } = await multiArchImage();
  await scanImage(ecrClient, repositoryName, image.platforms['linux/arm64'], { status: 'COMPLETE' });
  const { template } = synthesize(repositoryName, { maxCritical: 0 }, true);

  const deployed = await deploy(template);

  expect(deployed[0].properties.ScanGate).toEqual({ MaxCritical: '0' });
  expect(deployed[0].status).toBe('FAILED');
  expect(deployed[0].reason).toContain(`Image ${image.indexDigest}`);
  expect(deployed[0].reason).toContain('has no scan');
});
