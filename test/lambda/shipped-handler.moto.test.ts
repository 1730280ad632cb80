/**
 * The handler artifact the package ships, run in a fresh process against a
 * real ECR-compatible endpoint (moto in server mode) and answering a real
 * HTTP endpoint in place of CloudFormation's pre-signed URL.
 */
import { createEvent, deleteEvent, updateEvent } from '../../local/events';
import { MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName, DOCKER_MANIFEST } from '../../local/local-ecr';
import { invokeShippedHandler } from '../../local/shipped-handler';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();

function lookupProps(repositoryName: string, tag: string) {
  return { RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: tag };
}

async function invoke(event: object) {
  const invocation = await invokeShippedHandler(event, { env: motoEnvironment() });
  expect(invocation.exitCode).toBe(0);
  expect(local.cloudFormation.received).toHaveLength(1);
  return { ...local.cloudFormation.received[0], logs: invocation.logs };
}

describe('Create', () => {
  test('GIVEN a pushed tag WHEN created THEN SUCCESS carries the digest and the image metadata', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    const digest = await local.ecr.push(repo, 'main');

    const response = await invoke(createEvent(local.cloudFormation.url(), lookupProps(repo, 'main')));

    expect(response.body.Status).toBe('SUCCESS');
    expect(response.body.Data).toEqual({
      Digest: digest,
      DigestHex: digest.slice('sha256:'.length),
      IndexDigest: '',
      SizeInBytes: '1469',
      PushedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      ManifestMediaType: DOCKER_MANIFEST,
      ImageTags: 'main',
      ImageTagCount: '1',
    });
    expect(response.body.PhysicalResourceId).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repo}@${digest}`);
  });

  test('GIVEN an image with several tags WHEN created THEN the looked-up tag comes first', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    const digest = await local.ecr.push(repo, 'v1');
    await local.ecr.addTag(repo, 'v1', 'main');

    const response = await invoke(createEvent(local.cloudFormation.url(), lookupProps(repo, 'main')));

    expect(response.body.Data.Digest).toBe(digest);
    expect(response.body.Data.ImageTags.split(',')[0]).toBe('main');
    expect(response.body.Data.ImageTags.split(',').sort()).toEqual(['main', 'v1']);
    expect(response.body.Data.ImageTagCount).toBe('2');
  });

  test('GIVEN any response WHEN PUT THEN it has an exact content length, no content type, and echoes the request ids', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    await local.ecr.push(repo, 'latest');
    const event = createEvent(local.cloudFormation.url(), lookupProps(repo, 'latest'));

    const response = await invoke(event);

    expect(response.method).toBe('PUT');
    expect(response.headers['content-type']).toBeUndefined();
    expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.rawBody));
    expect(response.path).toBe(new URL(event.ResponseURL).pathname + new URL(event.ResponseURL).search);
    expect(response.body).toMatchObject({ StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  });

  test('GIVEN a missing tag WHEN created THEN FAILED names the tag, repository, registry and region', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    await local.ecr.push(repo, 'main');

    const response = await invoke(createEvent(local.cloudFormation.url(), lookupProps(repo, 'release-9')));

    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toBe(`Tag "release-9" was not found in repository "${repo}" (registry ${MOTO_ACCOUNT}, region ${REGION}): push an image with that tag, or fix the tag.`);
  });

  test('GIVEN a missing repository WHEN created THEN FAILED says the repository was not found', async () => {
    const repo = uniqueRepositoryName('missing');

    const response = await invoke(createEvent(local.cloudFormation.url(), lookupProps(repo, 'main')));

    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toBe(`Repository "${repo}" was not found in registry ${MOTO_ACCOUNT}, region ${REGION}, while looking up tag "main": create it, or fix the repository's name, account or region.`);
  });

  test('GIVEN a tag that arrived as a token WHEN it breaks the tag grammar THEN FAILED names it and the rule, without calling ECR', async () => {
    const response = await invoke(createEvent(local.cloudFormation.url(), lookupProps(uniqueRepositoryName(), 'feature/login')));

    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toMatch(/^Tag "feature\/login" is not a valid image tag: /);
  });
});

describe('Update', () => {
  test('GIVEN the tag moved since Create WHEN updated THEN SUCCESS carries the new digest and a new physical id', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    const first = await local.ecr.push(repo, 'main');
    const created = await invoke(createEvent(local.cloudFormation.url(), lookupProps(repo, 'main')));
    local.cloudFormation.clear();
    const second = await local.ecr.push(repo, 'main');

    const updated = await invoke(updateEvent(local.cloudFormation.url(), created.body.PhysicalResourceId,
      { ...lookupProps(repo, 'main'), RefreshToken: 'b' }, { ...lookupProps(repo, 'main'), RefreshToken: 'a' }));

    expect(created.body.Data.Digest).toBe(first);
    expect(updated.body.Status).toBe('SUCCESS');
    expect(updated.body.Data.Digest).toBe(second);
    expect(second).not.toBe(first);
    expect(updated.body.PhysicalResourceId).not.toBe(created.body.PhysicalResourceId);
  });

  test('GIVEN the tag did not move WHEN updated THEN the physical id stays the same', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    await local.ecr.push(repo, 'main');
    const created = await invoke(createEvent(local.cloudFormation.url(), lookupProps(repo, 'main')));
    local.cloudFormation.clear();

    const updated = await invoke(updateEvent(local.cloudFormation.url(), created.body.PhysicalResourceId,
      { ...lookupProps(repo, 'main'), RefreshToken: 'b' }, { ...lookupProps(repo, 'main'), RefreshToken: 'a' }));

    expect(updated.body.PhysicalResourceId).toBe(created.body.PhysicalResourceId);
  });

  test('GIVEN an Update whose tag is missing WHEN it fails THEN the physical id is kept so nothing is replaced', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    await local.ecr.push(repo, 'main');
    const physicalId = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repo}@sha256:${'a'.repeat(64)}`;

    const updated = await invoke(updateEvent(local.cloudFormation.url(), physicalId, lookupProps(repo, 'gone'), lookupProps(repo, 'main')));

    expect(updated.body.Status).toBe('FAILED');
    expect(updated.body.PhysicalResourceId).toBe(physicalId);
  });
});

describe('Delete', () => {
  test('GIVEN a deleted repository WHEN the lookup is deleted THEN SUCCESS without calling ECR', async () => {
    const physicalId = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/gone@sha256:${'b'.repeat(64)}`;

    // An unreachable endpoint proves ECR is not called.
    const invocation = await invokeShippedHandler(deleteEvent(local.cloudFormation.url(), physicalId, lookupProps('gone', 'main')),
      { env: { ...motoEnvironment('http://127.0.0.1:9'), AWS_MAX_ATTEMPTS: '1' } });

    expect(invocation.exitCode).toBe(0);
    expect(local.cloudFormation.received).toHaveLength(1);
    expect(local.cloudFormation.received[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });

  test('GIVEN a Create that failed WHEN CloudFormation deletes it THEN SUCCESS with the failed physical id', async () => {
    const created = await invoke(createEvent(local.cloudFormation.url(), lookupProps(uniqueRepositoryName('missing'), 'main')));
    local.cloudFormation.clear();

    const deleted = await invoke(deleteEvent(local.cloudFormation.url(), created.body.PhysicalResourceId, lookupProps('missing', 'main')));

    expect(created.body.Status).toBe('FAILED');
    expect(deleted.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.body.PhysicalResourceId });
  });
});

describe('endpoint configuration', () => {
  test('GIVEN only the generic AWS_ENDPOINT_URL WHEN created THEN the artifact calls that endpoint', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    const digest = await local.ecr.push(repo, 'main');
    const { AWS_ENDPOINT_URL_ECR: endpoint, ...env } = motoEnvironment();

    const invocation = await invokeShippedHandler(createEvent(local.cloudFormation.url(), lookupProps(repo, 'main')), { env: { ...env, AWS_ENDPOINT_URL: endpoint } });

    expect(invocation.exitCode).toBe(0);
    expect(local.cloudFormation.received[0].body.Data.Digest).toBe(digest);
  });
});

describe('logs', () => {
  test('GIVEN a lookup WHEN it runs THEN the logs hold the request but never the ResponseURL or credentials', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    await local.ecr.push(repo, 'main');
    const secret = 'X-Amz-Signature=feedfacecafe0123';

    const invocation = await invokeShippedHandler(createEvent(local.cloudFormation.url(secret), lookupProps(repo, 'main')),
      { env: { ...motoEnvironment(), AWS_SECRET_ACCESS_KEY: 'secret-key-never-logged' } });

    expect(invocation.logs).toContain(repo);
    expect(invocation.logs).not.toContain('feedfacecafe0123');
    expect(invocation.logs).not.toContain('cloudformation-custom-resource-response');
    expect(invocation.logs).not.toContain('secret-key-never-logged');
  });
});
