/**
 * Picking the most recently pushed runnable image: pure functions of what
 * DescribeImages returns.
 */
import type { ImageDetail } from '@aws-sdk/client-ecr';

/** Manifest media types a container runtime can run: an image, or an index of images. */
const RUNNABLE_MANIFESTS = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]);

/**
 * Artifact (config) media types of runnable images. SOCI indexes, cosign and
 * Notation signatures, in-toto attestations and other OCI artifacts use OCI
 * manifests too, and differ only here.
 */
const RUNNABLE_ARTIFACTS = new Set([
  'application/vnd.docker.container.image.v1+json',
  'application/vnd.oci.image.config.v1+json',
]);

/**
 * Whether an image can run in a container: its manifest is an image or an
 * index, and its artifact type, when ECR reports one, is an image config.
 * ECR reports no artifact type for indexes.
 */
export function isRunnableImage(detail: Pick<ImageDetail, 'imageManifestMediaType' | 'artifactMediaType'>): boolean {
  const manifest = detail.imageManifestMediaType;
  const artifact = detail.artifactMediaType;
  return (manifest === undefined || RUNNABLE_MANIFESTS.has(manifest)) && (artifact === undefined || RUNNABLE_ARTIFACTS.has(artifact));
}

/** A tag pattern's matcher: `*` matches any run of characters, everything else itself. */
export function tagMatcher(pattern: string): (tag: string) => boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.]/g, '\\.')).join('.*');
  const regex = new RegExp(`^${escaped}$`);
  return (tag) => regex.test(tag);
}

/** One candidate: an image and its first tag that matches the pattern. */
export interface Candidate {
  readonly detail: ImageDetail;
  readonly matchingTag: string;
}

/**
 * The newer of the best candidate so far and the images of one more page:
 * ACTIVE (or of unreported status), runnable, with a matching tag, pushed
 * last. Equal push times, which ECR reports to the second, go to the greater
 * digest so that the choice never depends on ECR's order.
 */
export function newestOf(best: Candidate | undefined, page: ImageDetail[], matches: (tag: string) => boolean): Candidate | undefined {
  return [...(best ? [best] : []), ...candidatesIn(page, matches)].sort(newestFirst)[0];
}

/** The images of a page that may answer: ACTIVE (or of unreported status), runnable, with a matching tag. */
export function candidatesIn(page: ImageDetail[], matches: (tag: string) => boolean): Candidate[] {
  return page.flatMap((detail) => {
    const matchingTag = detail.imageTags?.find(matches);
    const active = detail.imageStatus === undefined || detail.imageStatus === 'ACTIVE';
    return matchingTag && active && detail.imageDigest && isRunnableImage(detail) ? [{ detail, matchingTag }] : [];
  });
}

/** Orders candidates newest first, as `newestOf` ranks them. */
export function newestFirst(a: Candidate, b: Candidate): number {
  return isNewer(a.detail, b.detail) ? -1 : isNewer(b.detail, a.detail) ? 1 : 0;
}

function isNewer(a: ImageDetail, b: ImageDetail): boolean {
  const at = a.imagePushedAt?.getTime() ?? 0;
  const bt = b.imagePushedAt?.getTime() ?? 0;
  return at !== bt ? at > bt : (a.imageDigest ?? '') > (b.imageDigest ?? '');
}
