import { LookupError } from './lookup-request';
import type { ImageFacts } from './resolve';
import type { SignatureFacts } from './signatures';
import { Attribute, LookupAttributes, SEVERITY_ATTRIBUTES, SignatureAttribute, TAG_SEPARATOR } from '../src/shared/contract';
import { HOLD_TAG_PREFIX, RELEASED_TAG_PREFIX } from '../src/shared/hold';

const SHA256_DIGEST = /^sha256:([0-9a-f]{64})$/;

/**
 * The resource's attributes for an image, within `maxBytes` of JSON.
 *
 * Only the tag list can grow without bound (ECR allows 1,000 tags of 128
 * characters), so it alone is cut to fit: the tag that selected the image
 * first, then the others in ECR's order, as many as fit. The count tells
 * readers whether the list is whole. Every other value is bounded: digests,
 * a timestamp, a media type and a few counts.
 */
export function toAttributes(
  facts: ImageFacts, maxBytes: number, severityCounts?: Partial<Record<string, number>>, signature?: SignatureFacts,
): LookupAttributes {
  const hex = SHA256_DIGEST.exec(facts.digest)?.[1];
  if (!hex) {
    throw new LookupError(`ECR returned digest ${JSON.stringify(facts.digest)}, which is not a sha256 digest; only sha256 digests can pin an image URI.`);
  }
  const counts = severityCounts === undefined ? {} : Object.fromEntries(
    Object.entries(SEVERITY_ATTRIBUTES).map(([severity, name]) => [name, String(severityCounts[severity] ?? 0)]));
  const withoutTags: LookupAttributes = {
    [Attribute.DIGEST]: facts.digest,
    [Attribute.DIGEST_HEX]: hex,
    [Attribute.INDEX_DIGEST]: facts.indexDigest ?? '',
    [Attribute.SIZE_IN_BYTES]: String(facts.sizeInBytes ?? 0),
    [Attribute.PUSHED_AT]: facts.pushedAt?.toISOString() ?? '',
    [Attribute.MANIFEST_MEDIA_TYPE]: facts.manifestMediaType ?? '',
    [Attribute.IMAGE_TAGS]: '',
    [Attribute.IMAGE_TAG_COUNT]: String(facts.tags.length),
    ...counts,
    // A certificate subject is bounded by its issuer's rules, a few hundred bytes at most.
    ...(signature === undefined ? {} : {
      [SignatureAttribute.SIGNED_BY]: signature.signedBy,
      [SignatureAttribute.SIGNED_AT]: signature.signedAt ?? '',
      [SignatureAttribute.SIGNED_DIGEST]: signature.signedDigest,
    }),
  };
  const room = maxBytes - Buffer.byteLength(JSON.stringify(withoutTags));
  return { ...withoutTags, [Attribute.IMAGE_TAGS]: tagsThatFit(facts.tags, facts.selectedTag, room) };
}

function tagsThatFit(tags: string[], first: string | undefined, room: number): string {
  const chosen = first !== undefined && tags.includes(first) ? [first, ...tags.filter((t) => t !== first)] : tags;
  // The tags of held and released images (holdImage) come last: `tag` reads the first one.
  const ours = (tag: string) => tag !== first && (tag.startsWith(HOLD_TAG_PREFIX) || tag.startsWith(RELEASED_TAG_PREFIX));
  const ordered = [...chosen.filter((t) => !ours(t)), ...chosen.filter(ours)];
  let joined = '';
  for (const tag of ordered) {
    // Tags hold only [A-Za-z0-9_.-], which JSON never escapes: characters are bytes.
    const next = joined === '' ? tag : `${joined}${TAG_SEPARATOR}${tag}`;
    if (next.length > room) {
      break;
    }
    joined = next;
  }
  return joined;
}
