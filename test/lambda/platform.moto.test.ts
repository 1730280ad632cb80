/**
 * Platform digests: real-looking OCI indexes (with buildx attestations) and
 * Docker manifest lists pushed into moto, resolved by the shipped handler.
 */
import { createEvent } from '../../local/events';
import { DOCKER_MANIFEST, MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { OCI_MANIFEST, pushIndex } from '../../local/multi-arch';
import { invokeShippedHandler } from '../../local/shipped-handler';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();

async function invoke(repositoryName: string, tag: string, platform: string) {
  const props = { RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: tag, Platform: platform };
  const invocation = await invokeShippedHandler(createEvent(local.cloudFormation.url(), props), { env: motoEnvironment() });
  expect(invocation.exitCode).toBe(0);
  expect(local.cloudFormation.received).toHaveLength(1);
  return local.cloudFormation.received[0].body;
}

async function newRepository(): Promise<string> {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  return repo;
}

test('GIVEN an OCI index for amd64 and arm64 with attestations WHEN linux/arm64 is asked for THEN digest is the arm64 manifest and indexDigest the index', async () => {
  const repo = await newRepository();
  const pushed = await pushIndex(local.ecr, repo, 'main', ['linux/amd64', 'linux/arm64'], 'oci');

  const body = await invoke(repo, 'main', 'linux/arm64');

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data.Digest).toBe(pushed.platforms['linux/arm64']);
  expect(body.Data.IndexDigest).toBe(pushed.indexDigest);
  expect(body.Data.ManifestMediaType).toBe(OCI_MANIFEST);
  expect(body.Data.ImageTags).toBe('main');
  expect(body.PhysicalResourceId).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repo}@${pushed.platforms['linux/arm64']}`);
});

test('GIVEN a Docker manifest list with linux/arm/v7 WHEN linux/arm/v7 is asked for THEN digest is that variant\'s manifest', async () => {
  const repo = await newRepository();
  const pushed = await pushIndex(local.ecr, repo, 'v2', ['linux/amd64', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm64/v8'], 'docker');

  const body = await invoke(repo, 'v2', 'linux/arm/v7');

  expect(body.Data.Digest).toBe(pushed.platforms['linux/arm/v7']);
  expect(body.Data.ManifestMediaType).toBe(DOCKER_MANIFEST);
});

test('GIVEN a manifest list entry linux/arm64/v8 WHEN linux/arm64 is asked for THEN the v8 entry matches, as runtimes normalise it', async () => {
  const repo = await newRepository();
  const pushed = await pushIndex(local.ecr, repo, 'v2', ['linux/amd64', 'linux/arm64/v8'], 'docker');

  const body = await invoke(repo, 'v2', 'linux/arm64');

  expect(body.Data.Digest).toBe(pushed.platforms['linux/arm64/v8']);
});

test('GIVEN buildx\'s single-platform index with a provenance attestation WHEN its platform is asked for THEN digest is the image, never the attestation', async () => {
  const repo = await newRepository();
  const pushed = await pushIndex(local.ecr, repo, 'main', ['linux/amd64'], 'oci');

  const body = await invoke(repo, 'main', 'linux/amd64');

  expect(body.Data.Digest).toBe(pushed.platforms['linux/amd64']);
  expect(pushed.attestations).not.toContain(body.Data.Digest);
});

test('GIVEN an index without the platform WHEN it is asked for THEN FAILED lists the platforms the index holds, not its attestations', async () => {
  const repo = await newRepository();
  const pushed = await pushIndex(local.ecr, repo, 'main', ['linux/amd64', 'linux/arm/v7'], 'oci');

  const body = await invoke(repo, 'main', 'linux/arm64');

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toBe(`Platform linux/arm64 is not in image index ${pushed.indexDigest} (tag "main" in repository "${repo}" (registry ${MOTO_ACCOUNT}, region ${REGION})), which holds linux/amd64, linux/arm/v7: build the image for linux/arm64 (docker buildx build --platform linux/arm64), or set platform to one of those.`);
});

test('GIVEN an index with attestations WHEN unknown/unknown is asked for THEN no attestation matches', async () => {
  const repo = await newRepository();
  await pushIndex(local.ecr, repo, 'main', ['linux/amd64'], 'oci');

  const body = await invoke(repo, 'main', 'unknown/unknown');

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toMatch(/^Platform unknown\/unknown is not in image index .* which holds linux\/amd64:/);
});

test('GIVEN a single-platform image manifest WHEN a platform is asked for THEN it passes through with no index digest', async () => {
  const repo = await newRepository();
  const digest = await local.ecr.push(repo, 'main');

  const body = await invoke(repo, 'main', 'linux/amd64');

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data.Digest).toBe(digest);
  expect(body.Data.IndexDigest).toBe('');
});
