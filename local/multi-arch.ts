/**
 * Multi-platform images as `docker buildx` pushes them: the platforms'
 * manifests first (untagged), then the index that lists them under the tag,
 * each with the real sha256 of its bytes.
 */
import { randomBytes } from 'crypto';
import { PutImageCommand } from '@aws-sdk/client-ecr';
import { DOCKER_MANIFEST, LocalEcr, sha256Digest } from './local-ecr';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

const randomDigest = () => `sha256:${randomBytes(32).toString('hex')}`;

/** One platform's image manifest, OCI or Docker flavoured. */
function imageManifest(flavour: 'oci' | 'docker'): string {
  return JSON.stringify(flavour === 'oci'
    ? {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 1204, digest: randomDigest() },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 3_623_807, digest: randomDigest() }],
    }
    : {
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1472, digest: randomDigest() },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3_408_729, digest: randomDigest() }],
    });
}

/** The provenance attestation buildx attaches to a platform's image. */
function attestationManifest(): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 167, digest: randomDigest() },
    layers: [{
      mediaType: 'application/vnd.in-toto+json',
      size: 1387,
      digest: randomDigest(),
      annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
    }],
  });
}

export interface PushedIndex {
  readonly indexDigest: string;
  /** The digest of each platform's manifest, by `os/architecture[/variant]`. */
  readonly platforms: Record<string, string>;
  readonly attestations: string[];
}

/**
 * Pushes an image for `platforms` (`os/architecture[/variant]`) as an OCI
 * index with a provenance attestation per platform (what buildx writes by
 * default), or as a Docker manifest list without attestations.
 */
export async function pushIndex(ecr: LocalEcr, repositoryName: string, tag: string, platforms: string[], flavour: 'oci' | 'docker'): Promise<PushedIndex> {
  const entries: object[] = [];
  const pushed: Record<string, string> = {};
  const attestations: string[] = [];
  const manifestType = flavour === 'oci' ? OCI_MANIFEST : DOCKER_MANIFEST;
  for (const platform of platforms) {
    const [os, architecture, variant] = platform.split('/');
    const manifest = imageManifest(flavour);
    const digest = await putUntagged(ecr, repositoryName, manifest, manifestType);
    pushed[platform] = digest;
    const described = { architecture, os, ...(variant ? { variant } : {}) };
    entries.push({ mediaType: manifestType, digest, size: Buffer.byteLength(manifest), platform: described });
  }
  if (flavour === 'oci') {
    for (const platform of platforms) {
      const manifest = attestationManifest();
      const digest = await putUntagged(ecr, repositoryName, manifest, OCI_MANIFEST);
      attestations.push(digest);
      entries.push({
        mediaType: OCI_MANIFEST,
        digest,
        size: Buffer.byteLength(manifest),
        annotations: { 'vnd.docker.reference.digest': pushed[platform], 'vnd.docker.reference.type': 'attestation-manifest' },
        platform: { architecture: 'unknown', os: 'unknown' },
      });
    }
  }
  const index = JSON.stringify({ schemaVersion: 2, mediaType: flavour === 'oci' ? OCI_INDEX : DOCKER_LIST, manifests: entries });
  const indexDigest = sha256Digest(index);
  await ecr.client.send(new PutImageCommand({
    repositoryName, imageTag: tag, imageManifest: index, imageManifestMediaType: flavour === 'oci' ? OCI_INDEX : DOCKER_LIST, imageDigest: indexDigest,
  }));
  return { indexDigest, platforms: pushed, attestations };
}

async function putUntagged(ecr: LocalEcr, repositoryName: string, manifest: string, mediaType: string): Promise<string> {
  const digest = sha256Digest(manifest);
  await ecr.client.send(new PutImageCommand({ repositoryName, imageManifest: manifest, imageManifestMediaType: mediaType, imageDigest: digest }));
  return digest;
}

/**
 * Pushes an OCI index under `tag` that lists only provenance attestations,
 * no platform's image: what is left when a build pushes its attestations
 * but its images fail to push, or a tool re-tags the wrong manifest.
 */
export async function pushAttestationOnlyIndex(ecr: LocalEcr, repositoryName: string, tag: string, count = 2): Promise<string> {
  const entries: object[] = [];
  for (let i = 0; i < count; i++) {
    const manifest = attestationManifest();
    const digest = await putUntagged(ecr, repositoryName, manifest, OCI_MANIFEST);
    entries.push({
      mediaType: OCI_MANIFEST,
      digest,
      size: Buffer.byteLength(manifest),
      annotations: { 'vnd.docker.reference.digest': randomDigest(), 'vnd.docker.reference.type': 'attestation-manifest' },
      platform: { architecture: 'unknown', os: 'unknown' },
    });
  }
  const index = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries });
  const indexDigest = sha256Digest(index);
  await ecr.client.send(new PutImageCommand({
    repositoryName, imageTag: tag, imageManifest: index, imageManifestMediaType: OCI_INDEX, imageDigest: indexDigest,
  }));
  return indexDigest;
}
