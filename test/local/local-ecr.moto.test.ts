/**
 * The kit pushes images the way `docker push` leaves them, each digest the
 * sha256 of the manifest's bytes (moto invents a digest otherwise): what the
 * lookups resolve is only as real as this.
 */
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DOCKER_MANIFEST, LocalEcr, sha256Digest, uniqueRepositoryName } from '../../local/local-ecr';

let ecr: LocalEcr;
beforeAll(() => { ecr = new LocalEcr(); });

test('GIVEN a pushed image THEN ECR holds it under the sha256 of its manifest bytes, with the tag', async () => {
  const repo = uniqueRepositoryName();
  await ecr.createRepository(repo);

  const digest = await ecr.push(repo, 'main');

  const image = await ecr.storedManifest(repo, digest);
  expect(sha256Digest(image.manifest)).toBe(digest);
  expect(image.mediaType).toBe(DOCKER_MANIFEST);
  const { imageDetails } = await ecr.client.send(new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageTag: 'main' }] }));
  expect(imageDetails?.[0].imageDigest).toBe(digest);
});

test('GIVEN a second tag added THEN both tags name the same digest, as docker tag and push leave them', async () => {
  const repo = uniqueRepositoryName();
  await ecr.createRepository(repo);
  const digest = await ecr.push(repo, 'main');

  await ecr.addTag(repo, 'main', 'v1');

  const { imageDetails } = await ecr.client.send(new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageTag: 'v1' }] }));
  expect(imageDetails?.[0].imageDigest).toBe(digest);
  expect(imageDetails?.[0].imageTags?.sort()).toEqual(['main', 'v1']);
});

test('GIVEN addTag of a tag no image has THEN the error names the tag and the repository', async () => {
  const repo = uniqueRepositoryName();
  await ecr.createRepository(repo);

  await expect(ecr.addTag(repo, 'missing', 'v1')).rejects.toThrow(`No image is tagged missing in ${repo}`);
});

test('GIVEN uniqueRepositoryName THEN each call gives another name, under the prefix', () => {
  const names = new Set(Array.from({ length: 50 }, () => uniqueRepositoryName('svc')));
  expect(names.size).toBe(50);
  for (const name of names) {
    expect(name).toMatch(/^svc-[0-9a-f]{8}$/);
  }
});
