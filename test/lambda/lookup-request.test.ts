import { readRequest } from '../../lambda/lookup-request';

const VALID = { RepositoryName: 'api', RegistryId: '123456789012', Region: 'us-east-1' };

describe('readRequest: selectors', () => {
  test.each([
    ['no selector', {}, /^The lookup's property Tag is missing: deploy the resource with the ImageDigestLookup construct/],
    ['tag and digest', { Tag: 'main', Digest: `sha256:${'a'.repeat(64)}` }, /set Tag and Digest of Tag, Digest and NewestTagPattern/],
    ['tag and pattern', { Tag: 'main', NewestTagPattern: '*' }, /set Tag and NewestTagPattern/],
    ['a bad tag', { Tag: 'feature/x' }, /^Tag "feature\/x" is not a valid image tag/],
    ['a short digest', { Digest: 'sha256:abc' }, /^Digest "sha256:abc" is not a valid image digest: expected 'sha256:' followed by 64/],
    ['an upper-case digest', { Digest: `sha256:${'A'.repeat(64)}` }, /^Digest "sha256:A{64}" is not a valid image digest/],
    ['a sha512 digest', { Digest: `sha512:${'a'.repeat(128)}` }, /is not a valid image digest/],
    ['a pattern with a slash', { NewestTagPattern: 'release/*' }, /^NewestTagPattern "release\/\*" is not a valid tag pattern/],
    ['a pattern with a regex', { NewestTagPattern: 'v[0-9]+' }, /^NewestTagPattern "v\[0-9\]\+" is not a valid tag pattern/],
    ['an empty pattern', { NewestTagPattern: '' }, /^NewestTagPattern "" is not a valid tag pattern/],
  ])('GIVEN %s WHEN read THEN it fails naming the input and the rule', (_name, selector, message) => {
    expect(() => readRequest({ ...VALID, ...selector })).toThrow(message);
  });

  test.each([
    ['a tag', { Tag: 'main' }, { kind: 'tag', tag: 'main' }],
    ['a digest', { Digest: `sha256:${'a'.repeat(64)}` }, { kind: 'digest', digest: `sha256:${'a'.repeat(64)}` }],
    ['a pattern', { NewestTagPattern: 'v1.*' }, { kind: 'newest', tagPattern: 'v1.*' }],
  ])('GIVEN %s WHEN read THEN it selects by it', (_name, selector, expected) => {
    expect(readRequest({ ...VALID, ...selector }).selector).toEqual(expected);
  });
});

describe('readRequest: platform and wait', () => {
  test.each([
    ['a platform without architecture', { Platform: 'linux' }, /^Platform "linux" is not a valid platform: write it as os\/architecture/],
    ['an upper-case platform', { Platform: 'Linux/ARM64' }, /^Platform "Linux\/ARM64" is not a valid platform/],
    ['a platform with four parts', { Platform: 'linux/arm/v7/x' }, /^Platform "linux\/arm\/v7\/x" is not a valid platform/],
    ['an empty platform', { Platform: '' }, /^Platform "" is not a valid platform/],
    ['a negative wait', { WaitForSeconds: '-5' }, /property WaitForSeconds is "-5", not a whole number of seconds from 0 to 840/],
    ['a fractional wait', { WaitForSeconds: '1.5' }, /property WaitForSeconds is "1.5", not a whole number/],
    ['a wait past 14 minutes', { WaitForSeconds: '841' }, /property WaitForSeconds is "841", not a whole number of seconds from 0 to 840/],
    ['an empty wait', { WaitForSeconds: '' }, /property WaitForSeconds is "", not a whole number/],
    ['a wait in words', { WaitForSeconds: 'five minutes' }, /property WaitForSeconds is "five minutes"/],
  ])('GIVEN %s WHEN read THEN it fails naming the input and the rule', (_name, extra, message) => {
    expect(() => readRequest({ ...VALID, Tag: 'main', ...extra })).toThrow(message);
  });

  test('GIVEN a platform and a wait as CloudFormation passes them WHEN read THEN both are kept', () => {
    expect(readRequest({ ...VALID, Tag: 'main', Platform: 'linux/arm/v7', WaitForSeconds: '300' })).toMatchObject({ platform: 'linux/arm/v7', waitForSeconds: 300 });
  });
});
