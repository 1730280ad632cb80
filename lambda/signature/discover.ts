/**
 * Finding the signatures of a digest through the ECR API: OCI referrers
 * (images whose `subjectManifestDigest` is the digest, as ECR describes them;
 * Notation always, cosign in its OCI 1.1 mode) and cosign's tag convention
 * (`sha256-<hex>.sig`). Each manifest is read with BatchGetImage and kept
 * only if its bytes hash to its digest.
 */
import { createHash } from 'crypto';
import type { OciManifest, SignatureSources } from './sources';

export const NOTATION_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';
export const COSIGN_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** A signature manifest attached to one of the digests asked about. */
export interface FoundSignature {
  readonly format: 'cosign' | 'notation';
  /** The digest of the signature's own manifest. */
  readonly digest: string;
  /** The digest the signature is attached to. */
  readonly subject: string;
  readonly via: 'referrer' | 'tag';
  readonly manifest: OciManifest;
}

/** What was found: signatures, and referrers that are no signature (SBOMs, attestations), by count. */
export interface Discovery {
  readonly signatures: FoundSignature[];
  readonly otherReferrers: number;
}

/** ECR returns at most 100 images per BatchGetImage. */
const BATCH = 100;

export async function findSignatures(sources: SignatureSources, subjects: readonly string[]): Promise<Discovery> {
  const referrers = await referrersOf(sources, subjects);
  const signatures: FoundSignature[] = [];
  let otherReferrers = 0;
  for (let start = 0; start < referrers.length; start += BATCH) {
    const batch = referrers.slice(start, start + BATCH);
    for (const [digest, manifest] of await manifests(sources, batch.map((r) => ({ imageDigest: r.digest })))) {
      const referrer = batch.find((r) => r.digest === digest)!;
      const format = formatOf(manifest);
      // The manifest itself must name the subject: ECR's description alone is not signed.
      if (format === undefined || manifest.subject?.digest !== referrer.subject) {
        otherReferrers++;
        continue;
      }
      signatures.push({ format, digest, subject: referrer.subject, via: 'referrer', manifest });
    }
  }
  for (const subject of subjects) {
    const tag = `${subject.replace(':', '-')}.sig`;
    for (const [digest, manifest] of await manifests(sources, [{ imageTag: tag }])) {
      signatures.push({ format: 'cosign', digest, subject, via: 'tag', manifest });
    }
  }
  return { signatures, otherReferrers };
}

function formatOf(manifest: OciManifest): FoundSignature['format'] | undefined {
  const type = manifest.artifactType ?? manifest.config?.mediaType;
  return type === NOTATION_ARTIFACT_TYPE ? 'notation' : type === COSIGN_ARTIFACT_TYPE ? 'cosign' : undefined;
}

async function referrersOf(sources: SignatureSources, subjects: readonly string[]): Promise<Array<{ digest: string; subject: string }>> {
  const found: Array<{ digest: string; subject: string }> = [];
  let nextToken: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await sources.describeImages({ maxResults: 1000, nextToken });
    for (const detail of page.imageDetails ?? []) {
      if (detail.imageDigest && detail.subjectManifestDigest && subjects.includes(detail.subjectManifestDigest) && !seen.has(detail.imageDigest)) {
        seen.add(detail.imageDigest);
        found.push({ digest: detail.imageDigest, subject: detail.subjectManifestDigest });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return found;
}

async function manifests(
  sources: SignatureSources, imageIds: Array<{ imageDigest?: string; imageTag?: string }>,
): Promise<Array<[string, OciManifest]>> {
  const response = await sources.batchGetImage({ imageIds, acceptedMediaTypes: [OCI_MANIFEST, DOCKER_MANIFEST] });
  const read: Array<[string, OciManifest]> = [];
  for (const image of response.images ?? []) {
    const digest = image.imageId?.imageDigest;
    const text = image.imageManifest;
    if (digest === undefined || text === undefined || `sha256:${createHash('sha256').update(text).digest('hex')}` !== digest) {
      continue;
    }
    try {
      read.push([digest, JSON.parse(text) as OciManifest]);
    } catch {
      // Not JSON: not a signature manifest.
    }
  }
  return read;
}
