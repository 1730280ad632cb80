/**
 * Releasing a hold without deleting the image, call by call (the ECR client
 * is replaced by aws-sdk-client-mock; image-hold.moto.test.ts runs the same
 * against moto through the shipped handler).
 */
import { BatchDeleteImageCommand, BatchGetImageCommand, DescribeImagesCommand, ECRClient, ECRServiceException, PutImageCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { tagImage } from '../../lambda/hold';
import { releaseHold } from '../../lambda/release';
import { DOCKER_MANIFEST, sha256Digest } from '../../local/local-ecr';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'eu-west-1' });
beforeEach(() => ecrMock.reset());

const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, layers: [] });
const DIGEST = sha256Digest(MANIFEST);
const IMAGE = { registryId: '111111111111', region: 'eu-west-1', repositoryName: 'api', digest: DIGEST };
const TAG = 'cdk-hold-0123456789abcdef-0123456789ab';

function tagged(tags: string[]): void {
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: tags }] });
  const stored = { imageId: { imageDigest: DIGEST }, imageManifest: MANIFEST, imageManifestMediaType: DOCKER_MANIFEST };
  ecrMock.on(BatchGetImageCommand).resolves({ images: [stored] });
  ecrMock.on(PutImageCommand).resolves({});
  ecrMock.on(BatchDeleteImageCommand).resolves({ imageIds: [{ imageTag: TAG }], failures: [] });
}

const calls = () => ecrMock.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''));

test('GIVEN the hold among other tags WHEN released THEN only the hold tag is removed', async () => {
  tagged(['main', TAG]);

  await expect(releaseHold(ecr, IMAGE, TAG)).resolves.toBe('released');

  expect(calls()).toEqual(['DescribeImages', 'BatchDeleteImage']);
  expect(ecrMock.commandCalls(BatchDeleteImageCommand)[0].args[0].input.imageIds).toEqual([{ imageTag: TAG }]);
});

test('GIVEN the hold as the last tag WHEN released THEN the released tag is put with the image\'s own manifest before the hold is removed', async () => {
  tagged([TAG]);

  await expect(releaseHold(ecr, IMAGE, TAG)).resolves.toBe('released-kept-as-released-tag');

  expect(calls()).toEqual(['DescribeImages', 'BatchGetImage', 'PutImage', 'BatchDeleteImage']);
  expect(ecrMock.commandCalls(PutImageCommand)[0].args[0].input).toMatchObject({
    imageTag: `cdk-released-${DIGEST.slice(7, 19)}`, imageManifest: MANIFEST, imageDigest: DIGEST, imageManifestMediaType: DOCKER_MANIFEST,
  });
});

test('GIVEN the hold as the last tag and the released tag cannot be put WHEN released THEN it throws and the hold stays', async () => {
  tagged([TAG]);
  ecrMock.on(PutImageCommand).rejects(new ECRServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'denied' }));

  await expect(releaseHold(ecr, IMAGE, TAG)).rejects.toThrow(/denied/);

  expect(ecrMock.commandCalls(BatchDeleteImageCommand)).toHaveLength(0);
});

test.each([
  ['the image no longer carries the hold', () => tagged(['main'])],
  ['the image is gone', () => ecrMock.on(DescribeImagesCommand).rejects(new ECRServiceException({ name: 'ImageNotFoundException', $fault: 'client', $metadata: {}, message: 'gone' }))],
  ['the repository is gone', () => ecrMock.on(DescribeImagesCommand).rejects(new ECRServiceException({ name: 'RepositoryNotFoundException', $fault: 'client', $metadata: {}, message: 'gone' }))],
])('GIVEN %s WHEN released THEN nothing is removed', async (_name, given) => {
  given();

  await expect(releaseHold(ecr, IMAGE, TAG)).resolves.toBe('not-held');

  expect(calls()).toEqual(['DescribeImages']);
});

test('GIVEN ECR reports a failure other than a missing tag WHEN the hold is removed THEN it throws naming the failure', async () => {
  tagged(['main', TAG]);
  ecrMock.on(BatchDeleteImageCommand).resolves({ failures: [{ imageId: { imageTag: TAG }, failureCode: 'KmsError', failureReason: 'key disabled' }] });

  await expect(releaseHold(ecr, IMAGE, TAG)).rejects.toThrow(`ECR did not remove tag ${TAG}: KmsError key disabled`);
});

test('GIVEN ECR returns a manifest that does not hash to the digest WHEN an image is tagged THEN it fails and puts nothing, so no other image is created', async () => {
  ecrMock.on(BatchGetImageCommand).resolves({ images: [{ imageId: { imageDigest: DIGEST }, imageManifest: `${MANIFEST} `, imageManifestMediaType: DOCKER_MANIFEST }] });

  await expect(tagImage(ecr, IMAGE, TAG)).rejects.toThrow(`ECR did not return the manifest of image ${DIGEST} in repository "api" (registry 111111111111, region eu-west-1) as it was pushed`);

  expect(ecrMock.commandCalls(PutImageCommand)).toHaveLength(0);
});
