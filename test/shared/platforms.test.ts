import { canonicalPlatform, samePlatform } from '../../src/shared/platforms';

test.each([
  ['linux/arm64', 'linux/arm64/v8'],
  ['linux/arm64/v8', 'linux/arm64/v8'],
  ['linux/arm', 'linux/arm/v7'],
  ['linux/arm/v6', 'linux/arm/v6'],
  ['linux/amd64', 'linux/amd64'],
  ['windows/amd64', 'windows/amd64'],
])('GIVEN %s WHEN made canonical THEN it is %s', (platform, canonical) => {
  expect(canonicalPlatform(platform)).toBe(canonical);
});

test.each([
  ['linux/arm64', 'linux/arm64/v8', true],
  ['linux/arm', 'linux/arm/v7', true],
  ['linux/arm', 'linux/arm/v6', false],
  ['linux/arm64', 'linux/amd64', false],
  ['linux/amd64', 'windows/amd64', false],
  ['linux/amd64', 'linux/amd64/v2', false],
])('GIVEN %s and %s WHEN compared THEN they are the same platform: %s', (a, b, same) => {
  expect(samePlatform(a, b)).toBe(same);
  expect(samePlatform(b, a)).toBe(same);
});
