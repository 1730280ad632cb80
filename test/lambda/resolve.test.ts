/**
 * The path of one resolution: select, then pick a platform's manifest or
 * check that an index can run. The ECR client is replaced by
 * aws-sdk-client-mock; selection and index reading have tests of their own.
 */
import { BatchGetImageCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import type { LookupRequest } from '../../lambda/lookup-request';
import { resolveImage } from '../../lambda/resolve';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'us-east-1' });
beforeEach(() => ecrMock.reset());

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const INDEX = digest(2);
const ARM64 = digest(9);
const PUSHED = new Date(Date.UTC(2026, 0, 1));

function target(selector: LookupRequest['selector'], platform?: string): LookupRequest {
  return { registryId: '123456789012', region: 'us-east-1', repositoryName: 'api', selector, platform, waitForSeconds: 0 };
}

function givenIndex(manifests: object[]) {
  const indexDetail = { imageDigest: INDEX, imageTags: ['v2', 'latest'], imagePushedAt: PUSHED, imageManifestMediaType: OCI_INDEX };
  const arm64Detail = { imageDigest: ARM64, imageSizeInBytes: 9, imageManifestMediaType: DOCKER_MANIFEST };
  ecrMock.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'v2' }] }).resolves({ imageDetails: [indexDetail] })
    .on(DescribeImagesCommand, { nextToken: undefined, filter: { tagStatus: 'TAGGED' } }).resolves({ imageDetails: [indexDetail] })
    .on(DescribeImagesCommand, { imageIds: [{ imageDigest: ARM64 }] }).resolves({ imageDetails: [arm64Detail] });
  givenManifest(INDEX, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }), OCI_INDEX);
}

function givenManifest(imageDigest: string, imageManifest: string, imageManifestMediaType: string) {
  ecrMock.on(BatchGetImageCommand).resolves({ images: [{ imageId: { imageDigest }, imageManifest, imageManifestMediaType }] });
}

const arm64Entry = { mediaType: DOCKER_MANIFEST, digest: ARM64, size: 1, platform: { os: 'linux', architecture: 'arm64' } };
const attestation = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(10), size: 1, platform: { os: 'unknown', architecture: 'unknown' } };

test('GIVEN an index and a platform WHEN resolved THEN the facts are the platform manifest\'s, with the index\'s digest, tags and push time', async () => {
  givenIndex([arm64Entry]);

  const facts = await resolveImage(ecr, target({ kind: 'tag', tag: 'v2' }, 'linux/arm64'));

  expect(facts).toEqual({
    digest: ARM64, indexDigest: INDEX, sizeInBytes: 9, manifestMediaType: DOCKER_MANIFEST, tags: ['v2', 'latest'], pushedAt: PUSHED, selectedTag: 'v2',
  });
});

test('GIVEN a single manifest and a platform WHEN resolved THEN the image passes as it is', async () => {
  const detail = { imageDigest: digest(3), imageTags: ['v2'], imageSizeInBytes: 3, imageManifestMediaType: DOCKER_MANIFEST };
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [detail] });
  givenManifest(digest(3), JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST }), DOCKER_MANIFEST);

  const facts = await resolveImage(ecr, target({ kind: 'tag', tag: 'v2' }, 'linux/arm64'));

  expect(facts).toEqual({ digest: digest(3), sizeInBytes: 3, manifestMediaType: DOCKER_MANIFEST, tags: ['v2'], pushedAt: undefined, selectedTag: 'v2' });
});

test('GIVEN a tag on an index of attestations only WHEN resolved without a platform THEN it fails', async () => {
  givenIndex([attestation]);

  await expect(resolveImage(ecr, target({ kind: 'tag', tag: 'v2' }))).rejects.toThrow(/lists only attestations \(1 manifest\) and no image for any platform/);
});

test('GIVEN the newest image is an index WHEN resolved without a platform THEN its index is read once, by the selection', async () => {
  givenIndex([arm64Entry]);

  const facts = await resolveImage(ecr, target({ kind: 'newest', tagPattern: 'v*' }));

  expect(facts.digest).toBe(INDEX);
  expect(ecrMock.commandCalls(BatchGetImageCommand)).toHaveLength(1);
});
