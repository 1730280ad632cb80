/**
 * The kit pushes multi-platform images the way `docker buildx` leaves them,
 * with each digest the sha256 of the manifest's bytes (moto invents a digest
 * otherwise): what the lookups resolve is only as real as this.
 */
import { DOCKER_MANIFEST, LocalEcr, sha256Digest, uniqueRepositoryName } from '../../local/local-ecr';
import { DOCKER_LIST, OCI_INDEX, OCI_MANIFEST, pushAttestationOnlyIndex, pushIndex } from '../../local/multi-arch';

let ecr: LocalEcr;
beforeAll(() => { ecr = new LocalEcr(); });

test.each([
  ['oci', OCI_INDEX, OCI_MANIFEST],
  ['docker', DOCKER_LIST, DOCKER_MANIFEST],
] as const)('GIVEN a %s index pushed for two platforms THEN it lists each platform\'s stored manifest by its real digest', async (flavour, indexType, manifestType) => {
  const repo = uniqueRepositoryName();
  await ecr.createRepository(repo);

  const pushed = await pushIndex(ecr, repo, 'main', ['linux/amd64', 'linux/arm64/v8'], flavour);

  const index = await ecr.storedManifest(repo, pushed.indexDigest);
  expect(sha256Digest(index.manifest)).toBe(pushed.indexDigest);
  expect(index.mediaType).toBe(indexType);
  const entries = JSON.parse(index.manifest).manifests;
  for (const [platform, digest] of Object.entries(pushed.platforms)) {
    const manifest = await ecr.storedManifest(repo, digest);
    expect(sha256Digest(manifest.manifest)).toBe(digest);
    const [os, architecture, variant] = platform.split('/');
    expect(entries).toContainEqual({
      mediaType: manifestType,
      digest,
      size: Buffer.byteLength(manifest.manifest),
      platform: { os, architecture, ...(variant ? { variant } : {}) },
    });
  }
  // buildx attaches a provenance attestation per platform to OCI indexes only.
  expect(pushed.attestations).toHaveLength(flavour === 'oci' ? 2 : 0);
  for (const attestation of pushed.attestations) {
    const entry = entries.find((e: any) => e.digest === attestation);
    expect(entry.platform).toEqual({ architecture: 'unknown', os: 'unknown' });
    expect(Object.values(pushed.platforms)).toContain(entry.annotations['vnd.docker.reference.digest']);
  }
});

test('GIVEN an attestation-only index THEN every entry is an attestation and none is a platform\'s image', async () => {
  const repo = uniqueRepositoryName();
  await ecr.createRepository(repo);

  const digest = await pushAttestationOnlyIndex(ecr, repo, 'main', 3);

  const entries = JSON.parse((await ecr.storedManifest(repo, digest)).manifest).manifests;
  expect(entries).toHaveLength(3);
  for (const entry of entries) {
    expect(entry.annotations['vnd.docker.reference.type']).toBe('attestation-manifest');
    expect(entry.platform).toEqual({ architecture: 'unknown', os: 'unknown' });
  }
});
