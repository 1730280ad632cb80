/**
 * Picking one platform's manifest out of an image index: pure functions of
 * the index as BatchGetImage returns it. Docker manifest lists and OCI image
 * indexes share this shape.
 */

import { samePlatform } from '../src/shared/platforms';

/** The media types of an index of manifests. */
export const INDEX_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

/** The media types BatchGetImage is asked to return: indexes as they are, and single manifests. */
export const ACCEPTED_MEDIA_TYPES = [
  ...INDEX_MEDIA_TYPES,
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** One manifest an index lists. */
export interface IndexEntry {
  readonly digest: string;
  readonly mediaType?: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
  readonly annotations?: Record<string, string>;
}

/**
 * The manifests of an index, or undefined when the manifest is a single
 * image. The media type decides; an index without one is recognised by its
 * `manifests` list, as the OCI spec allows.
 */
export function indexEntries(manifest: string, mediaType?: string): IndexEntry[] | undefined {
  const parsed = JSON.parse(manifest) as { mediaType?: string; manifests?: unknown };
  const type = mediaType ?? parsed.mediaType;
  const isIndex = type !== undefined ? INDEX_MEDIA_TYPES.includes(type) : Array.isArray(parsed.manifests);
  if (!isIndex) {
    return undefined;
  }
  return Array.isArray(parsed.manifests) ? parsed.manifests as IndexEntry[] : [];
}

/**
 * Whether an entry is something other than a platform's image: buildx lists
 * its provenance and SBOM attestations as `unknown/unknown` entries annotated
 * `vnd.docker.reference.type`.
 */
export function isAttestation(entry: IndexEntry): boolean {
  return entry.annotations?.['vnd.docker.reference.type'] !== undefined
    || (entry.platform?.os === 'unknown' && entry.platform?.architecture === 'unknown');
}

/** `os/architecture[/variant]` of an entry, as messages and users write it. */
export function platformOf(entry: IndexEntry): string {
  const p = entry.platform ?? {};
  return [p.os ?? 'unknown', p.architecture ?? 'unknown', ...(p.variant ? [p.variant] : [])].join('/');
}

/** The entry for `platform` (`os/architecture[/variant]`), never an attestation. */
export function entryFor(entries: IndexEntry[], platform: string): IndexEntry | undefined {
  return entries.find((entry) => !isAttestation(entry) && entry.platform !== undefined && samePlatform(platformOf(entry), platform));
}

/** The platforms an index offers, attestations left out, for messages. */
export function platformsIn(entries: IndexEntry[]): string[] {
  return entries.filter((entry) => !isAttestation(entry)).map(platformOf);
}
