/**
 * CloudFormation rejects a response over 4,096 bytes. An image can carry
 * 1,000 tags of 128 characters (ECR's limits), far more than fit: the
 * response stays within the limit, keeps the digest whole and says how many
 * tags the list left out.
 */
import { PutImageCommand } from '@aws-sdk/client-ecr';
import { FAILURE_BEHAVIOUR } from './failure-behaviour';
import { expectOneTimelyResponse, FaultHarness, lookupProps } from './harness';
import { createEvent } from '../../local/events';
import { DOCKER_MANIFEST, newManifest, uniqueRepositoryName } from '../../local/local-ecr';

const TAG_COUNT = 1_000;
const tagNumber = (i: number) => `${String(i).padStart(4, '0')}-${'t'.repeat(123)}`;

let harness: FaultHarness;
let repositoryName: string;
let digest: string;
let tags: string[];

beforeAll(async () => {
  harness = await FaultHarness.start();
  repositoryName = uniqueRepositoryName();
  await harness.ecr.createRepository(repositoryName);
  const manifest = newManifest();
  digest = manifest.digest;
  tags = Array.from({ length: TAG_COUNT }, (_, i) => tagNumber(i));
  // Ten pushes at a time: the same manifest under each tag, as `docker tag` and push would leave it.
  for (let i = 0; i < TAG_COUNT; i += 10) {
    await Promise.all(tags.slice(i, i + 10).map((imageTag) => harness.ecr.client.send(new PutImageCommand({
      repositoryName, imageTag, imageManifest: manifest.manifest, imageManifestMediaType: DOCKER_MANIFEST, imageDigest: digest,
    }))));
  }
}, 120_000);
afterAll(() => harness.close());

describe('GIVEN an image with 1,000 tags of 128 characters', () => {
  const lookedUp = tagNumber(737);
  let response: ReturnType<typeof expectOneTimelyResponse>;

  beforeAll(async () => {
    response = expectOneTimelyResponse(await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, lookedUp))));
  });

  test('WHEN looked up THEN the response is SUCCESS within 4,096 bytes', () => {
    expect(response.body.Status).toBe(FAILURE_BEHAVIOUR.manyTags.status);
    expect(Buffer.byteLength(response.rawBody)).toBeLessThanOrEqual(4096);
    expect(Number(response.headers['content-length'])).toBeLessThanOrEqual(4096);
  });

  test('WHEN looked up THEN the digest is whole', () => {
    expect(response.body.Data.Digest).toBe(digest);
    expect(response.body.Data.DigestHex).toBe(digest.slice('sha256:'.length));
  });

  test('WHEN looked up THEN ImageTagCount says 1000 while ImageTags lists fewer, the looked-up tag first, each a real tag', () => {
    const listed: string[] = response.body.Data.ImageTags.split(',');

    expect(response.body.Data.ImageTagCount).toBe(String(TAG_COUNT));
    expect(listed.length).toBeLessThan(TAG_COUNT);
    expect(listed[0]).toBe(lookedUp);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.every((tag) => tags.includes(tag))).toBe(true);
  });
});
