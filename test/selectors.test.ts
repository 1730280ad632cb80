import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageDigestLookup, ImageSelector } from '../src';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function newStack(): { stack: Stack; repository: ecr.IRepository } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { stack, repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') };
}

function lookupProperties(stack: Stack): any {
  return (Object.values(Template.fromStack(stack).findResources('Custom::ImageDigestLookup'))[0] as any).Properties;
}

describe('selectors', () => {
  test('GIVEN ImageSelector.digest WHEN synthesized THEN the lookup asks for that digest and no tag', () => {
    const { stack, repository } = newStack();

    new ImageDigestLookup(stack, 'Api', { repository, image: ImageSelector.digest(DIGEST) });

    const properties = lookupProperties(stack);
    expect(properties.Digest).toBe(DIGEST);
    expect(properties.Tag).toBeUndefined();
  });

  test('GIVEN ImageSelector.newest without a pattern WHEN synthesized THEN any tag matches', () => {
    const { stack, repository } = newStack();

    new ImageDigestLookup(stack, 'Api', { repository, image: ImageSelector.newest() });

    expect(lookupProperties(stack)).toMatchObject({ NewestTagPattern: '*' });
  });

  test('GIVEN ImageSelector.newest with a pattern WHEN synthesized THEN the pattern is passed on', () => {
    const { stack, repository } = newStack();

    new ImageDigestLookup(stack, 'Api', { repository, image: ImageSelector.newest({ tagPattern: 'release-*' }) });

    expect(lookupProperties(stack)).toMatchObject({ NewestTagPattern: 'release-*' });
  });

  test('GIVEN ImageSelector.tag WHEN synthesized THEN it writes the same properties as the tag shorthand', () => {
    const viaSelector = newStack();
    const viaTag = newStack();

    new ImageDigestLookup(viaSelector.stack, 'Api', { repository: viaSelector.repository, image: ImageSelector.tag('main') });
    new ImageDigestLookup(viaTag.stack, 'Api', { repository: viaTag.repository, tag: 'main' });

    const { RefreshToken: _a, ...selected } = lookupProperties(viaSelector.stack);
    const { RefreshToken: _b, ...shorthand } = lookupProperties(viaTag.stack);
    expect(selected).toEqual(shorthand);
  });

  test('GIVEN a selector other than a tag WHEN tag is read THEN it is the first of the resolved image\'s tags', () => {
    const { stack, repository } = newStack();

    const lookup = new ImageDigestLookup(stack, 'Api', { repository, image: ImageSelector.newest() });

    const id = stack.getLogicalId(lookup.resource);
    expect(stack.resolve(lookup.tag)).toEqual({ 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::GetAtt': [id, 'ImageTags'] }] }] });
  });

  test('GIVEN a digest token WHEN constructed THEN it is accepted and checked at deploy time', () => {
    const { stack, repository } = newStack();
    const digest = new CfnParameter(stack, 'Digest').valueAsString;

    new ImageDigestLookup(stack, 'Api', { repository, image: ImageSelector.digest(digest) });

    expect(lookupProperties(stack).Digest).toEqual({ Ref: 'Digest' });
  });
});

describe('selector validation at synth', () => {
  test.each([
    ['a short digest', () => ImageSelector.digest('sha256:abc'), /digest "sha256:abc" is not a valid image digest: expected 'sha256:' followed by 64 lower-case hex characters/],
    ['a digest without its algorithm', () => ImageSelector.digest('0'.repeat(64)), /digest "0{64}" is not a valid image digest/],
    ['an upper-case digest', () => ImageSelector.digest(`sha256:${'A'.repeat(64)}`), /is not a valid image digest/],
    ['a tag pattern with a slash', () => ImageSelector.newest({ tagPattern: 'team/*' }), /tagPattern "team\/\*" is not a valid tag pattern: use 1 to 128 characters/],
    ['a regular expression as pattern', () => ImageSelector.newest({ tagPattern: '^v[0-9]+$' }), /tagPattern "\^v\[0-9\]\+\$" is not a valid tag pattern/],
    ['an empty pattern', () => ImageSelector.newest({ tagPattern: '' }), /tagPattern "" is not a valid tag pattern/],
    ['a bad tag', () => ImageSelector.tag('feature/x'), /tag "feature\/x" is not a valid image tag/],
  ])('GIVEN %s WHEN constructed THEN it throws naming the value and the rule', (_name, selector, message) => {
    const { stack, repository } = newStack();

    expect(() => new ImageDigestLookup(stack, 'Api', { repository, image: selector() })).toThrow(message);
  });

  test('GIVEN both tag and image WHEN constructed THEN it throws naming both', () => {
    const { stack, repository } = newStack();

    expect(() => new ImageDigestLookup(stack, 'Api', { repository, tag: 'main', image: ImageSelector.digest(DIGEST) }))
      .toThrow(`ImageDigestLookup ${stack.node.path}/Api: both tag "main" and image (digest ${DIGEST}) are set, but a lookup selects one image: keep one of them.`);
  });
});
