import { entryFor, indexEntries, IndexEntry, isAttestation, platformsIn } from '../../lambda/platform';

function entry(platform: string, digestChar: string): IndexEntry {
  const [os, architecture, variant] = platform.split('/');
  return { digest: `sha256:${digestChar.repeat(64)}`, platform: { os, architecture, ...(variant ? { variant } : {}) } };
}

const ATTESTATION: IndexEntry = {
  digest: `sha256:${'f'.repeat(64)}`,
  platform: { os: 'unknown', architecture: 'unknown' },
  annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': `sha256:${'a'.repeat(64)}` },
};

describe('entryFor', () => {
  const entries = [ATTESTATION, entry('linux/amd64', 'a'), entry('linux/arm64/v8', 'b'), entry('linux/arm/v6', 'c'), entry('linux/arm/v7', 'd'), entry('windows/amd64', 'e')];

  test.each([
    ['linux/amd64', 'a'],
    ['linux/arm64', 'b'],
    ['linux/arm64/v8', 'b'],
    ['linux/arm', 'd'],
    ['linux/arm/v7', 'd'],
    ['linux/arm/v6', 'c'],
    ['windows/amd64', 'e'],
  ])('GIVEN platform %s WHEN looked up THEN entry %s matches', (platform, digestChar) => {
    expect(entryFor(entries, platform)?.digest).toBe(`sha256:${digestChar.repeat(64)}`);
  });

  test.each(['linux/s390x', 'linux/arm/v5', 'linux/amd64/v3', 'unknown/unknown', 'darwin/arm64'])('GIVEN platform %s WHEN looked up THEN nothing matches', (platform) => {
    expect(entryFor(entries, platform)).toBeUndefined();
  });
});

describe('isAttestation', () => {
  test('GIVEN a buildx attestation entry WHEN judged THEN it is one', () => {
    expect(isAttestation(ATTESTATION)).toBe(true);
  });

  test('GIVEN an annotated entry with a real platform WHEN judged THEN the annotation decides', () => {
    expect(isAttestation({ ...entry('linux/amd64', 'a'), annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } })).toBe(true);
  });

  test('GIVEN a platform image WHEN judged THEN it is none', () => {
    expect(isAttestation(entry('linux/amd64', 'a'))).toBe(false);
  });
});

describe('indexEntries', () => {
  const manifests = [entry('linux/amd64', 'a')];

  test.each([
    ['an OCI index', { mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, undefined, true],
    ['a Docker manifest list', { mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', manifests }, undefined, true],
    ['an index without mediaType in its body but from ECR\'s media type', { manifests }, 'application/vnd.oci.image.index.v1+json', true],
    ['an index with neither, recognised by its manifests', { schemaVersion: 2, manifests }, undefined, true],
    ['an image manifest', { mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }, undefined, false],
  ])('GIVEN %s WHEN read THEN it is an index: %s', (_name, body, mediaType, isIndex) => {
    expect(indexEntries(JSON.stringify(body), mediaType) !== undefined).toBe(isIndex);
  });
});

test('GIVEN an index with attestations WHEN its platforms are listed THEN only the images are', () => {
  expect(platformsIn([entry('linux/amd64', 'a'), ATTESTATION, entry('linux/arm/v7', 'd')])).toEqual(['linux/amd64', 'linux/arm/v7']);
});
