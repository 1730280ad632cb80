/**
 * Reading an index from ECR and picking a platform's manifest out of it,
 * where moto cannot serve it: responses that list other manifests than the
 * one asked for. The ECR client is replaced by aws-sdk-client-mock.
 */
import { BatchGetImageCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { checkRunnableIndex, platformManifest } from '../../lambda/image-index';
import { LookupError } from '../../lambda/lookup-error';
import type { LookupRequest } from '../../lambda/lookup-request';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'us-east-1' });
beforeEach(() => ecrMock.reset());

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const TARGET: LookupRequest = { registryId: '123456789012', region: 'us-east-1', repositoryName: 'api', selector: { kind: 'tag', tag: 'v2' }, waitForSeconds: 0 };

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const INDEX = digest(2);
const ARM64 = digest(9);

function indexOf(...manifests: object[]): string {
  return JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
}
const arm64Entry = { mediaType: DOCKER_MANIFEST, digest: ARM64, size: 1, platform: { os: 'linux', architecture: 'arm64' } };
const attestation = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: digest(10),
  size: 1,
  platform: { os: 'unknown', architecture: 'unknown' },
  annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
};

/** BatchGetImage answers with `manifest` for the index. */
function givenManifest(imageManifest: string, imageManifestMediaType = OCI_INDEX) {
  ecrMock.on(BatchGetImageCommand).resolves({ images: [{ imageId: { imageDigest: INDEX }, imageManifest, imageManifestMediaType }] });
}

describe('platformManifest', () => {
  test('GIVEN BatchGetImage lists another manifest before the index asked for WHEN a platform is resolved THEN the index asked for is read', async () => {
    const decoy = indexOf({ ...arm64Entry, digest: digest(8) });
    ecrMock.on(DescribeImagesCommand, { imageIds: [{ imageDigest: ARM64 }] }).resolves({
      imageDetails: [
        { imageDigest: digest(8), imageSizeInBytes: 8 },
        { imageDigest: ARM64, imageSizeInBytes: 9, imageManifestMediaType: DOCKER_MANIFEST },
      ],
    });
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        { imageId: { imageDigest: digest(1) }, imageManifest: decoy, imageManifestMediaType: OCI_INDEX },
        { imageId: { imageDigest: INDEX }, imageManifest: indexOf(arm64Entry), imageManifestMediaType: OCI_INDEX },
      ],
    });

    const manifest = await platformManifest(ecr, TARGET, INDEX, 'linux/arm64');

    expect(manifest).toEqual({ digest: ARM64, sizeInBytes: 9, mediaType: DOCKER_MANIFEST });
  });

  test('GIVEN a single manifest WHEN a platform is resolved THEN there is no platform manifest, and nothing else is asked', async () => {
    givenManifest(JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST }), DOCKER_MANIFEST);

    await expect(platformManifest(ecr, TARGET, INDEX, 'linux/arm64')).resolves.toBeUndefined();
    expect(ecrMock.commandCalls(DescribeImagesCommand)).toHaveLength(0);
  });

  test('GIVEN an index without the platform WHEN resolved THEN the failure lists the platforms it holds, attestations left out', async () => {
    givenManifest(indexOf(arm64Entry, attestation));

    const failure = await platformManifest(ecr, TARGET, INDEX, 'linux/amd64').catch((e) => e);

    expect(failure).toBeInstanceOf(LookupError);
    expect(failure.message).toMatch(/^Platform linux\/amd64 is not in image index sha256:0+2 \(tag "v2" in repository "api" .*\), which holds linux\/arm64: /);
  });

  test('GIVEN an index that lists a manifest the repository lacks WHEN resolved THEN it fails for good: push the whole image again', async () => {
    givenManifest(indexOf(arm64Entry));
    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error('not found'), { name: 'ImageNotFoundException' }));

    const failure = await platformManifest(ecr, TARGET, INDEX, 'linux/arm64').catch((e) => e);

    expect(failure.message).toMatch(/lists manifest sha256:0+9 for linux\/arm64, but the repository does not hold that manifest: push the whole image again\.$/);
    expect(failure.waitable).toBe(false);
  });

  test('GIVEN BatchGetImage answers with a failure WHEN the index is read THEN the failure names its code and reason', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      failures: [{ imageId: { imageDigest: INDEX }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }],
    });

    const failure = await platformManifest(ecr, TARGET, INDEX, 'linux/arm64').catch((e) => e);

    expect(failure.message).toMatch(/^ECR returned no manifest for image sha256:0+2 \(.*\): ImageNotFound Requested image not found; push the image again/);
  });
});

describe('checkRunnableIndex', () => {
  test.each([
    ['only attestations', [attestation], /lists only attestations \(1 manifest\) and no image for any platform/],
    ['no manifests', [], /lists no manifests and no image for any platform/],
  ])('GIVEN an index that lists %s WHEN checked THEN it fails, pointing the selector at a runnable image', async (_name, manifests, reason) => {
    givenManifest(indexOf(...manifests));

    const failure = await checkRunnableIndex(ecr, TARGET, INDEX).catch((e) => e);

    expect(failure).toBeInstanceOf(LookupError);
    expect(failure.message).toMatch(reason);
    expect(failure.message).toMatch(/or point the tag at a runnable image\.$/);
  });

  test('GIVEN an index with a platform image WHEN checked THEN it passes', async () => {
    givenManifest(indexOf(arm64Entry, attestation));

    await expect(checkRunnableIndex(ecr, TARGET, INDEX)).resolves.toBeUndefined();
  });
});
