import { deployedImageOf, physicalIdOf } from '../../lambda/physical-id';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

test.each([
  ['a plain repository', 'api'],
  ['a namespaced repository', 'platform-team/payments/api_v2.1'],
])('GIVEN %s WHEN its physical id is written and read back THEN the same image comes back', (_, repositoryName) => {
  const image = { registryId: '123456789012', region: 'eu-central-2', repositoryName, digest: DIGEST };

  expect(deployedImageOf(physicalIdOf(image))).toEqual(image);
});

test('GIVEN an image WHEN its physical id is written THEN it reads as the image URI without the URL suffix', () => {
  expect(physicalIdOf({ registryId: '123456789012', region: 'us-east-1', repositoryName: 'api', digest: DIGEST }))
    .toBe(`123456789012.dkr.ecr.us-east-1/api@${DIGEST}`);
});

test.each([
  ['the marker of a failed Create', 'failed-create:00000000-0000-4000-8000-000000000001'],
  ['a tag instead of a digest', '123456789012.dkr.ecr.us-east-1/api:main'],
  ['a short digest', '123456789012.dkr.ecr.us-east-1/api@sha256:abc'],
  ['an 11-digit account', '12345678901.dkr.ecr.us-east-1/api@' + DIGEST],
  ['nothing', undefined],
])('GIVEN %s WHEN read as a physical id THEN it names no deployed image', (_, physicalId) => {
  expect(deployedImageOf(physicalId)).toBeUndefined();
});
