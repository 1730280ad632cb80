import { toAttributes } from '../../lambda/attributes';
import { Attribute, SEVERITY_ATTRIBUTES, TAG_SEPARATOR } from '../../src/shared/contract';

type Facts = Parameters<typeof toAttributes>[0];

const HEX = 'a'.repeat(64);
const FACTS: Facts = {
  digest: `sha256:${HEX}`,
  sizeInBytes: 1234,
  pushedAt: new Date('2026-11-29T10:00:00Z'),
  manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
  tags: ['main', 'v1.2.3'],
  selectedTag: 'v1.2.3',
};

describe('toAttributes', () => {
  test('GIVEN an image THEN every attribute is a string, the digest split so that a literal sha256: prefix can be written', () => {
    expect(toAttributes(FACTS, 4096)).toEqual({
      [Attribute.DIGEST]: `sha256:${HEX}`,
      [Attribute.DIGEST_HEX]: HEX,
      [Attribute.INDEX_DIGEST]: '',
      [Attribute.SIZE_IN_BYTES]: '1234',
      [Attribute.PUSHED_AT]: '2026-11-29T10:00:00.000Z',
      [Attribute.MANIFEST_MEDIA_TYPE]: 'application/vnd.oci.image.manifest.v1+json',
      [Attribute.IMAGE_TAGS]: `v1.2.3${TAG_SEPARATOR}main`,
      [Attribute.IMAGE_TAG_COUNT]: '2',
    });
  });

  test('GIVEN an image picked from an index with no size or push time THEN the index digest is set and the others are empty or zero', () => {
    const data = toAttributes({ digest: `sha256:${HEX}`, indexDigest: `sha256:${'b'.repeat(64)}`, tags: [] }, 4096);
    expect(data).toMatchObject({ IndexDigest: `sha256:${'b'.repeat(64)}`, SizeInBytes: '0', PushedAt: '', ManifestMediaType: '', ImageTags: '', ImageTagCount: '0' });
  });

  test.each([
    ['a sha512 digest', `sha512:${'a'.repeat(128)}`],
    ['upper-case hex', `sha256:${'A'.repeat(64)}`],
    ['a short digest', `sha256:${'a'.repeat(63)}`],
    ['no algorithm', HEX],
  ])('GIVEN %s THEN the lookup fails naming the digest, as only sha256 can pin an image URI', (_kind, digest) => {
    expect(() => toAttributes({ ...FACTS, digest }, 4096)).toThrow(`ECR returned digest ${JSON.stringify(digest)}, which is not a sha256 digest`);
  });

  test('GIVEN scan counts THEN one attribute per severity, zero where ECR reported none', () => {
    const data = toAttributes(FACTS, 4096, { CRITICAL: 2, LOW: 7 });
    expect(Object.fromEntries(Object.values(SEVERITY_ATTRIBUTES).map((name) => [name, (data as Record<string, string>)[name]]))).toEqual({
      FindingsCritical: '2', FindingsHigh: '0', FindingsMedium: '0', FindingsLow: '7', FindingsInformational: '0', FindingsUndefined: '0',
    });
  });

  test('GIVEN no scan THEN no severity attribute at all', () => {
    const data = toAttributes(FACTS, 4096) as Record<string, string>;
    for (const name of Object.values(SEVERITY_ATTRIBUTES)) {
      expect(data).not.toHaveProperty(name);
    }
  });

  describe('GIVEN more tags than fit', () => {
    const tags = Array.from({ length: 1000 }, (_, i) => `release-${String(i).padStart(4, '0')}-${'x'.repeat(110)}`);
    const facts: Facts = { ...FACTS, tags, selectedTag: tags[500] };

    test.each([1024, 2048, 4000])('WHEN the budget is %d bytes THEN the JSON fits it, the selected tag first, then whole tags in ECR\'s order', (budget) => {
      const data = toAttributes(facts, budget);
      const listed = data.ImageTags.split(TAG_SEPARATOR);

      expect(Buffer.byteLength(JSON.stringify(data))).toBeLessThanOrEqual(budget);
      expect(listed[0]).toBe(tags[500]);
      expect(listed.slice(1)).toEqual(tags.filter((t) => t !== tags[500]).slice(0, listed.length - 1));
      expect(data.ImageTagCount).toBe('1000');
    });

    test('WHEN the budget leaves room for one more tag THEN it is listed: the cut is as late as possible', () => {
      const tight = toAttributes(facts, 2048);
      const size = Buffer.byteLength(JSON.stringify(tight));
      const nextTag = tags.filter((t) => t !== tags[500])[tight.ImageTags.split(TAG_SEPARATOR).length - 1];
      expect(size + TAG_SEPARATOR.length + nextTag.length).toBeGreaterThan(2048);
    });

    test('WHEN the budget has no room for any tag THEN the list is empty and the count still says how many there are', () => {
      const data = toAttributes(facts, 200);
      expect(data.ImageTags).toBe('');
      expect(data.ImageTagCount).toBe('1000');
    });
  });

  test('GIVEN a selected tag the image no longer carries THEN the tags keep ECR\'s order', () => {
    expect(toAttributes({ ...FACTS, selectedTag: 'gone' }, 4096).ImageTags).toBe(`main${TAG_SEPARATOR}v1.2.3`);
  });

  test('GIVEN an image whose tags begin with hold and released tags WHEN no tag selected it THEN those come last, so the lookup\'s tag is the image\'s own first tag', () => {
    const tags = ['cdk-hold-0123456789abcdef-aaaaaaaaaaaa', 'cdk-released-aaaaaaaaaaaa', 'main', 'v1'];

    const attributes = toAttributes({ ...FACTS, tags, selectedTag: undefined }, 4096);

    expect(attributes[Attribute.IMAGE_TAGS]).toBe('main,v1,cdk-hold-0123456789abcdef-aaaaaaaaaaaa,cdk-released-aaaaaaaaaaaa');
  });
});
