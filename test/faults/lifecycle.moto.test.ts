/**
 * CloudFormation lifecycle edge cases against the shipped handler and moto.
 * (Create, a plain Update, a moved tag and Delete are covered in
 * test/lambda/shipped-handler.moto.test.ts.)
 */
import { FAILURE_BEHAVIOUR, reasonPattern } from './failure-behaviour';
import { expectOneTimelyResponse, FaultHarness, lookupProps } from './harness';
import { createEvent, deleteEvent, untyped, updateEvent } from '../../local/events';
import { MOTO_ACCOUNT, REGION, uniqueRepositoryName } from '../../local/local-ecr';

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start();
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

async function answer(event: object) {
  return expectOneTimelyResponse(await harness.invoke(event)).body;
}

describe('Update', () => {
  test('GIVEN an Update that names another repository WHEN it runs THEN SUCCESS carries that repository\'s digest and a physical id naming it', async () => {
    const before = await harness.repositoryWithImage('main');
    const after = await harness.repositoryWithImage('main');
    const created = await answer(createEvent(harness.responseUrl, lookupProps(before.repositoryName)));

    const updated = await answer(updateEvent(harness.responseUrl, created.PhysicalResourceId,
      lookupProps(after.repositoryName), lookupProps(before.repositoryName)));

    expect(updated.Status).toBe('SUCCESS');
    expect(updated.Data.Digest).toBe(after.digest);
    expect(updated.PhysicalResourceId).toBe(`${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${after.repositoryName}@${after.digest}`);
  });

  test('GIVEN an Update that names another tag WHEN it runs THEN SUCCESS carries that tag\'s digest', async () => {
    const { repositoryName, digest: mainDigest } = await harness.repositoryWithImage('main');
    const releaseDigest = await harness.ecr.push(repositoryName, 'release');
    const created = await answer(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));

    const updated = await answer(updateEvent(harness.responseUrl, created.PhysicalResourceId, lookupProps(repositoryName, 'release'), lookupProps(repositoryName, 'main')));

    expect(created.Data.Digest).toBe(mainDigest);
    expect(updated.Data.Digest).toBe(releaseDigest);
    expect(updated.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
  });

  test('GIVEN a resource whose Create failed WHEN an Update with a pushed tag runs THEN SUCCESS replaces the failed physical id', async () => {
    const repositoryName = uniqueRepositoryName();
    await harness.ecr.createRepository(repositoryName);
    const failed = await answer(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));
    const digest = await harness.ecr.push(repositoryName, 'main');

    const updated = await answer(updateEvent(harness.responseUrl, failed.PhysicalResourceId, lookupProps(repositoryName, 'main'), lookupProps(repositoryName, 'main')));

    expect(failed.Status).toBe('FAILED');
    expect(failed.PhysicalResourceId).toMatch(/^failed-create:/);
    expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repositoryName}@${digest}` });
  });

  test('GIVEN a resource whose Create failed WHEN its Update fails too THEN the failed physical id is kept', async () => {
    const repositoryName = uniqueRepositoryName();
    await harness.ecr.createRepository(repositoryName);
    const failed = await answer(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));

    const updated = await answer(updateEvent(harness.responseUrl, failed.PhysicalResourceId, lookupProps(repositoryName, 'main'), lookupProps(repositoryName, 'main')));

    expect(updated).toMatchObject({ Status: 'FAILED', PhysicalResourceId: failed.PhysicalResourceId });
  });

  test('GIVEN the tag moved and the old image was deleted with it WHEN updated THEN SUCCESS carries the new digest, never the old one', async () => {
    const { repositoryName, digest: first } = await harness.repositoryWithImage('main');
    const created = await answer(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));
    // moto, like a lifecycle policy, removes the image the tag left untagged.
    const second = await harness.ecr.push(repositoryName, 'main');

    const updated = await answer(updateEvent(harness.responseUrl, created.PhysicalResourceId,
      { ...lookupProps(repositoryName, 'main'), RefreshToken: 'b' }, { ...lookupProps(repositoryName, 'main'), RefreshToken: 'a' }));

    expect(updated.Data.Digest).toBe(second);
    expect(updated.Data.Digest).not.toBe(first);
  });
});

describe('Delete', () => {
  test('GIVEN a Create that failed WHEN CloudFormation deletes it THEN SUCCESS without calling ECR', async () => {
    const failed = await answer(createEvent(harness.responseUrl, lookupProps(uniqueRepositoryName('missing'))));
    harness.ecrProxy.clear();

    const deleted = await answer(deleteEvent(harness.responseUrl, failed.PhysicalResourceId, lookupProps('missing')));

    expect(deleted).toMatchObject({ Status: FAILURE_BEHAVIOUR.deleteAfterFailedCreate.status, PhysicalResourceId: failed.PhysicalResourceId });
    expect(harness.ecrProxy.received).toHaveLength(0);
  });

  test('GIVEN a Delete with malformed properties WHEN it runs THEN SUCCESS, so a stack can always be deleted', async () => {
    const physicalId = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/api@sha256:${'e'.repeat(64)}`;

    const deleted = await answer(deleteEvent(harness.responseUrl, physicalId, untyped({ Tag: 'not a tag' })));

    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });
});

describe('duplicate delivery', () => {
  test.each(['Create', 'Update', 'Delete'])('GIVEN the same %s request delivered twice WHEN both run THEN both answers are identical', async (requestType) => {
    const { repositoryName, digest } = await harness.repositoryWithImage('main');
    const physicalId = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repositoryName}@${digest}`;
    const props = lookupProps(repositoryName, 'main');
    const event = requestType === 'Create' ? createEvent(harness.responseUrl, props)
      : requestType === 'Update' ? updateEvent(harness.responseUrl, physicalId, { ...props, RefreshToken: 'b' }, { ...props, RefreshToken: 'a' })
        : deleteEvent(harness.responseUrl, physicalId, props);

    const first = expectOneTimelyResponse(await harness.invoke(event));
    const second = expectOneTimelyResponse(await harness.invoke(event));

    expect(second.rawBody).toBe(first.rawBody);
    expect(first.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });
});

describe('an image pushed after the lookup ran', () => {
  test('GIVEN the tag is pushed a second after the first attempt WHEN the lookup ran before it THEN FAILED at once: the lookup does not wait', async () => {
    const row = FAILURE_BEHAVIOUR.tagPushedLater;
    const repositoryName = uniqueRepositoryName();
    await harness.ecr.createRepository(repositoryName);

    const outcome = await harness.invoke(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await harness.ecr.push(repositoryName, 'main');

    const response = expectOneTimelyResponse(outcome);
    expect(response.body.Status).toBe(row.status);
    expect(response.body.Reason).toMatch(reasonPattern(row));
    // One DescribeImages call: no polling.
    expect(harness.ecrProxy.received).toHaveLength(1);
  });

  test('GIVEN the tag was pushed after a failed Create WHEN CloudFormation creates the lookup again THEN SUCCESS with the pushed digest', async () => {
    const repositoryName = uniqueRepositoryName();
    await harness.ecr.createRepository(repositoryName);
    await answer(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));
    const digest = await harness.ecr.push(repositoryName, 'main');

    const retried = await answer(createEvent(harness.responseUrl, lookupProps(repositoryName, 'main')));

    expect(retried).toMatchObject({ Status: 'SUCCESS', Data: expect.objectContaining({ Digest: digest }) });
  });
});

test('GIVEN a missing repository WHEN created THEN FAILED says the repository was not found', async () => {
  const row = FAILURE_BEHAVIOUR.repositoryMissing;

  const response = await answer(createEvent(harness.responseUrl, lookupProps(uniqueRepositoryName('missing'))));

  expect(response.Status).toBe(row.status);
  expect(response.Reason).toMatch(reasonPattern(row));
});
