/**
 * Selecting the image, where moto cannot serve it: pages of DescribeImages,
 * imageStatus and artifactMediaType. The ECR client is replaced by
 * aws-sdk-client-mock.
 */
import { DescribeImagesCommand, ECRClient, ImageDetail } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { LookupError } from '../../lambda/lookup-error';
import { LookupRequest } from '../../lambda/lookup-request';
import { selectImage } from '../../lambda/select';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'us-east-1' });
beforeEach(() => ecrMock.reset());

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

function target(selector: LookupRequest['selector']): LookupRequest {
  return { registryId: '123456789012', region: 'us-east-1', repositoryName: 'api', selector, waitForSeconds: 0 };
}

function image(n: number, tags: string[], extra: Partial<ImageDetail> = {}): ImageDetail {
  return {
    imageDigest: `sha256:${n.toString(16).padStart(64, '0')}`,
    imagePushedAt: new Date(Date.UTC(2026, 0, 1) + n * 1000),
    imageTags: tags,
    imageManifestMediaType: DOCKER_MANIFEST,
    ...extra,
  };
}

describe('newest', () => {
  test('GIVEN a repository of 2,500 images over three pages WHEN resolving the newest THEN every page is read with 1,000 a page and the newest wins', async () => {
    const images = Array.from({ length: 2500 }, (_, i) => image(i + 1, [`build-${i + 1}`]));
    // The newest image sits on the middle page.
    images[1200] = image(99_999, ['build-newest']);
    ecrMock.on(DescribeImagesCommand, { nextToken: undefined }).resolves({ imageDetails: images.slice(0, 1000), nextToken: 'p2' })
      .on(DescribeImagesCommand, { nextToken: 'p2' }).resolves({ imageDetails: images.slice(1000, 2000), nextToken: 'p3' })
      .on(DescribeImagesCommand, { nextToken: 'p3' }).resolves({ imageDetails: images.slice(2000) });

    const selected = await selectImage(ecr, target({ kind: 'newest', tagPattern: 'build-*' }));

    expect(selected.detail.imageDigest).toBe(images[1200].imageDigest);
    expect(selected.selectedTag).toBe('build-newest');
    const calls = ecrMock.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(3);
    expect(calls.every((input) => input.maxResults === 1000 && input.filter?.tagStatus === 'TAGGED')).toBe(true);
  });

  test('GIVEN the newest push is a SOCI index WHEN resolving the newest THEN the image before it wins', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({
      imageDetails: [
        image(1, ['v1']),
        image(2, ['v1-soci'], { imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json', artifactMediaType: 'application/vnd.amazon.soci.index.v1+json' }),
      ],
    });

    const selected = await selectImage(ecr, target({ kind: 'newest', tagPattern: '*' }));

    expect(selected.detail.imageDigest).toBe(image(1, []).imageDigest);
  });

  test('GIVEN no image matches the pattern WHEN resolving the newest THEN a waitable LookupError counts the images seen', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [image(1, ['main']), image(2, ['dev'])] });

    const failure = await selectImage(ecr, target({ kind: 'newest', tagPattern: 'release-*' })).catch((e) => e);

    expect(failure).toBeInstanceOf(LookupError);
    expect(failure.waitable).toBe(true);
    expect(failure.message).toMatch(/none of its 2 tagged images is an ACTIVE, runnable image .* that matches "release-\*"/);
  });
});

describe('imageStatus', () => {
  test.each([
    ['tag', { kind: 'tag', tag: 'main' }],
    ['digest', { kind: 'digest', digest: image(7, []).imageDigest! }],
  ] as const)('GIVEN an ARCHIVED image selected by %s WHEN resolved THEN it fails saying it cannot be pulled', async (_kind, selector) => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [image(7, ['main'], { imageStatus: 'ARCHIVED' })] });

    const failure = await selectImage(ecr, target(selector)).catch((e) => e);

    expect(failure.message).toMatch(/is ARCHIVED, not ACTIVE, so it cannot be pulled: restore it in ECR/);
    expect(failure.waitable).toBe(false);
  });

  test('GIVEN an image being restored WHEN resolved THEN the failure is waitable', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [image(7, ['main'], { imageStatus: 'ACTIVATING' })] });

    const failure = await selectImage(ecr, target({ kind: 'tag', tag: 'main' })).catch((e) => e);

    expect(failure.waitable).toBe(true);
  });
});

describe('only the image asked for answers', () => {
  const wanted = image(2, ['v2']);
  const other = image(1, ['main']);

  test.each([
    ['a digest', { kind: 'digest', digest: wanted.imageDigest! }],
    ['a tag', { kind: 'tag', tag: 'v2' }],
  ] as const)('GIVEN ECR lists another image before the one asked for by %s WHEN resolved THEN the one asked for wins', async (_name, selector) => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [other, wanted] });

    const selected = await selectImage(ecr, target(selector));

    expect(selected.detail.imageDigest).toBe(wanted.imageDigest);
  });

  test.each([
    ['a digest', { kind: 'digest', digest: wanted.imageDigest! }],
    ['a tag', { kind: 'tag', tag: 'v2' }],
  ] as const)('GIVEN ECR lists only another image than the one asked for by %s WHEN resolved THEN it is not found', async (_name, selector) => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [other] });

    const failure = await selectImage(ecr, target(selector)).catch((e) => e);

    expect(failure).toBeInstanceOf(LookupError);
    expect(failure.message).toMatch(/was not found: ECR returned no image for it/);
  });
});
