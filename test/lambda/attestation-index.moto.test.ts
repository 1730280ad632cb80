/**
 * An image index that lists only attestations has nothing a runtime can
 * pull: the shipped handler, against moto holding real indexes, never
 * answers SUCCESS with one, whether the tag or `newest` lands on it.
 */
import { MOTO_ACCOUNT, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { pushAttestationOnlyIndex, pushIndex } from '../../local/multi-arch';
import { createLookup, useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();

function invoke(repositoryName: string, selector: Record<string, string>) {
  return createLookup(local, repositoryName, selector);
}

async function newRepository(): Promise<string> {
  const repo = uniqueRepositoryName('attest');
  await local.ecr.createRepository(repo);
  return repo;
}

/** moto records push times to the second, so pushes meant to be ordered are a second apart. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

describe('tag', () => {
  test('GIVEN a tag on an index of attestations only WHEN looked up without a platform THEN FAILED names the index and why nothing can run it', async () => {
    const repo = await newRepository();
    const indexDigest = await pushAttestationOnlyIndex(local.ecr, repo, 'main');

    const body = await invoke(repo, { Tag: 'main' });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toBe(`Image index ${indexDigest} (tag "main" in repository "${repo}" (registry ${MOTO_ACCOUNT}, region ${REGION})) lists only attestations (2 manifests) and no image for any platform, so nothing can run it: push the image with its platforms (docker buildx build --platform ... --push), or point the tag at a runnable image.`);
  });

  test('GIVEN a digest of an index of attestations only WHEN looked up THEN FAILED as well', async () => {
    const repo = await newRepository();
    const indexDigest = await pushAttestationOnlyIndex(local.ecr, repo, 'main', 1);

    const body = await invoke(repo, { Digest: indexDigest });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(new RegExp(`^Image index ${indexDigest} .* lists only attestations \\(1 manifest\\) and no image for any platform`));
  });

  test.each(['oci', 'docker'] as const)('GIVEN a tag on a %s index with platform images WHEN looked up without a platform THEN SUCCESS with the index digest', async (flavour) => {
    const repo = await newRepository();
    const pushed = await pushIndex(local.ecr, repo, 'main', ['linux/amd64', 'linux/arm64'], flavour);

    const body = await invoke(repo, { Tag: 'main' });

    expect(body.Status).toBe('SUCCESS');
    expect(body.Data.Digest).toBe(pushed.indexDigest);
    expect(body.Data.IndexDigest).toBe('');
  });
});

describe('newest', () => {
  test('GIVEN an older runnable index and a newer index of attestations only WHEN the newest is looked up THEN the runnable one wins', async () => {
    const repo = await newRepository();
    const runnable = await pushIndex(local.ecr, repo, 'v1', ['linux/amd64'], 'oci');
    await nextSecond();
    await pushAttestationOnlyIndex(local.ecr, repo, 'v2');

    const body = await invoke(repo, { NewestTagPattern: 'v*' });

    expect(body.Status).toBe('SUCCESS');
    expect(body.Data.Digest).toBe(runnable.indexDigest);
    expect(body.Data.ImageTags).toBe('v1');
  });

  test('GIVEN an older runnable index and a newer index of attestations only WHEN the newest is looked up with a platform THEN the platform\'s image of the runnable one wins', async () => {
    const repo = await newRepository();
    const runnable = await pushIndex(local.ecr, repo, 'v1', ['linux/amd64', 'linux/arm64'], 'oci');
    await nextSecond();
    await pushAttestationOnlyIndex(local.ecr, repo, 'v2');

    const body = await invoke(repo, { NewestTagPattern: 'v*', Platform: 'linux/arm64' });

    expect(body.Status).toBe('SUCCESS');
    expect(body.Data.Digest).toBe(runnable.platforms['linux/arm64']);
    expect(body.Data.IndexDigest).toBe(runnable.indexDigest);
  });

  test('GIVEN only indexes of attestations match WHEN the newest is looked up THEN FAILED says they were skipped', async () => {
    const repo = await newRepository();
    await pushAttestationOnlyIndex(local.ecr, repo, 'v1');
    await nextSecond();
    await pushAttestationOnlyIndex(local.ecr, repo, 'v2');

    const body = await invoke(repo, { NewestTagPattern: 'v*' });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('and 2 that match are image indexes that list only attestations');
  });
});
