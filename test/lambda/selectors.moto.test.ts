/**
 * Selecting the image by digest and by newest push, with the shipped handler
 * against moto and a real response endpoint.
 */
import { MOTO_ACCOUNT, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { createLookup, useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();

function invoke(repositoryName: string, selector: Record<string, string>) {
  return createLookup(local, repositoryName, selector);
}

/** moto records push times to the second, so pushes meant to be ordered are a second apart. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

describe('digest', () => {
  test('GIVEN a pushed image with two tags WHEN selected by its digest THEN SUCCESS carries the digest and both tags', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    const digest = await local.ecr.push(repo, 'v1');
    await local.ecr.addTag(repo, 'v1', 'main');

    const body = await invoke(repo, { Digest: digest });

    expect(body.Status).toBe('SUCCESS');
    expect(body.Data.Digest).toBe(digest);
    expect(body.Data.ImageTags.split(',').sort()).toEqual(['main', 'v1']);
    expect(body.PhysicalResourceId).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repo}@${digest}`);
  });

  test('GIVEN a digest the repository does not hold WHEN selected THEN FAILED names the digest and the repository', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    await local.ecr.push(repo, 'main');
    const missing = `sha256:${'e'.repeat(64)}`;

    const body = await invoke(repo, { Digest: missing });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toBe(`Image digest ${missing} was not found in repository "${repo}" (registry ${MOTO_ACCOUNT}, region ${REGION}): push the image, or fix the digest.`);
  });
});

describe('newest', () => {
  test('GIVEN images pushed one after another WHEN the newest is selected THEN the last push wins, its tag first', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    await local.ecr.push(repo, 'build-1');
    await nextSecond();
    const newest = await local.ecr.push(repo, 'build-2');

    const body = await invoke(repo, { NewestTagPattern: '*' });

    expect(body.Status).toBe('SUCCESS');
    expect(body.Data.Digest).toBe(newest);
    expect(body.Data.ImageTags).toBe('build-2');
  });

  test('GIVEN a newer push under a tag outside the pattern WHEN the newest matching is selected THEN the pattern decides', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    const release = await local.ecr.push(repo, 'release-1');
    await nextSecond();
    await local.ecr.push(repo, 'dev-2');

    const body = await invoke(repo, { NewestTagPattern: 'release-*' });

    expect(body.Data.Digest).toBe(release);
  });

  test('GIVEN no tag matches WHEN the newest is selected THEN FAILED says how many images were seen', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    await local.ecr.push(repo, 'dev-1');

    const body = await invoke(repo, { NewestTagPattern: 'release-*' });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/^No image was found for the newest image tagged "release-\*" in repository .*: none of its 1 tagged images/);
  });
});
