import type { ImageDetail } from '@aws-sdk/client-ecr';
import { isRunnableImage, newestOf, tagMatcher } from '../../lambda/newest';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

function image(digestChar: string, pushedAt: string, tags: string[], extra: Partial<ImageDetail> = {}): ImageDetail {
  return {
    imageDigest: `sha256:${digestChar.repeat(64)}`,
    imagePushedAt: new Date(pushedAt),
    imageTags: tags,
    imageManifestMediaType: DOCKER_MANIFEST,
    ...extra,
  };
}

describe('isRunnableImage', () => {
  test.each([
    ['a Docker image', DOCKER_MANIFEST, 'application/vnd.docker.container.image.v1+json', true],
    ['an OCI image', OCI_MANIFEST, 'application/vnd.oci.image.config.v1+json', true],
    ['an OCI index (no artifact type)', OCI_INDEX, undefined, true],
    ['a Docker manifest list', 'application/vnd.docker.distribution.manifest.list.v2+json', undefined, true],
    ['a SOCI index', OCI_MANIFEST, 'application/vnd.amazon.soci.index.v1+json', false],
    ['a cosign signature', OCI_MANIFEST, 'application/vnd.dev.cosign.simplesigning.v1+json', false],
    ['a Notation signature', OCI_MANIFEST, 'application/vnd.cncf.notary.signature', false],
    ['an in-toto attestation', OCI_MANIFEST, 'application/vnd.in-toto+json', false],
    ['an OCI artifact manifest', 'application/vnd.oci.artifact.manifest.v1+json', undefined, false],
  ])('GIVEN %s WHEN judged THEN runnable is %s', (_name, manifest, artifact, runnable) => {
    expect(isRunnableImage({ imageManifestMediaType: manifest, artifactMediaType: artifact })).toBe(runnable);
  });
});

describe('tagMatcher', () => {
  test.each([
    ['*', 'anything', true],
    ['release-*', 'release-1.2', true],
    ['release-*', 'prerelease-1.2', false],
    ['*-arm64', 'v1-arm64', true],
    ['v1.*', 'v1x2', false],
    ['v1.*', 'v1.2', true],
    ['main', 'main', true],
    ['main', 'main-1', false],
  ])('GIVEN pattern %j WHEN matching tag %j THEN it is %s', (pattern, tag, matches) => {
    expect(tagMatcher(pattern)(tag)).toBe(matches);
  });
});

describe('newestOf', () => {
  const any = tagMatcher('*');

  test('GIVEN images pushed at different times WHEN picked THEN the last pushed wins, with its first matching tag', () => {
    const page = [image('a', '2026-01-01T00:00:00Z', ['old']), image('b', '2026-03-01T00:00:00Z', ['x', 'release-3']), image('c', '2026-02-01T00:00:00Z', ['mid'])];

    const picked = newestOf(undefined, page, tagMatcher('release-*'));

    expect(picked?.detail.imageDigest).toBe(`sha256:${'b'.repeat(64)}`);
    expect(picked?.matchingTag).toBe('release-3');
  });

  test('GIVEN the newest push is a signature WHEN picked THEN the newest image is chosen instead', () => {
    const page = [
      image('a', '2026-01-01T00:00:00Z', ['v1']),
      image('b', '2026-01-02T00:00:00Z', ['sha256-aaaa.sig'], { imageManifestMediaType: OCI_MANIFEST, artifactMediaType: 'application/vnd.dev.cosign.simplesigning.v1+json' }),
    ];

    expect(newestOf(undefined, page, any)?.detail.imageDigest).toBe(`sha256:${'a'.repeat(64)}`);
  });

  test('GIVEN the newest image is archived WHEN picked THEN the newest ACTIVE one is chosen', () => {
    const page = [image('a', '2026-01-01T00:00:00Z', ['v1'], { imageStatus: 'ACTIVE' }), image('b', '2026-01-02T00:00:00Z', ['v2'], { imageStatus: 'ARCHIVED' })];

    expect(newestOf(undefined, page, any)?.detail.imageDigest).toBe(`sha256:${'a'.repeat(64)}`);
  });

  test('GIVEN untagged images WHEN picked THEN they never count', () => {
    expect(newestOf(undefined, [image('a', '2026-01-01T00:00:00Z', [])], any)).toBeUndefined();
  });

  test('GIVEN a best candidate from an earlier page WHEN a page holds only older images THEN the candidate stays', () => {
    const best = newestOf(undefined, [image('b', '2026-05-01T00:00:00Z', ['v5'])], any);

    expect(newestOf(best, [image('a', '2026-01-01T00:00:00Z', ['v1'])], any)).toBe(best);
  });

  test('GIVEN two images pushed in the same second WHEN picked in either order THEN the same one wins', () => {
    const a = image('a', '2026-01-01T00:00:00Z', ['v1']);
    const b = image('b', '2026-01-01T00:00:00Z', ['v2']);

    expect(newestOf(undefined, [a, b], any)?.detail).toBe(b);
    expect(newestOf(undefined, [b, a], any)?.detail).toBe(b);
  });
});
