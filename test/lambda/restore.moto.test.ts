/**
 * restoreArchived through the shipped handler. moto 5.2 neither reports
 * imageStatus nor serves UpdateImageStorageClass, so the proxy between the
 * handler and moto plays ECR's archive: DescribeImages of the image answers
 * ARCHIVED until the handler asks for the restore, then ACTIVATING for two
 * answers, then ACTIVE; every other call reaches moto.
 */
import { createEvent } from '../../local/events';
import { MOTO_ACCOUNT, REGION } from '../../local/local-ecr';
import { FAILURE_BEHAVIOUR, reasonPattern } from '../faults/failure-behaviour';
import { expectOneTimelyResponse, FaultHarness, lookupProps } from '../faults/harness';
import { Fault, ProxiedRequest } from '../support/fault-proxy';

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start();
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

const TARGET = 'AmazonEC2ContainerRegistry_V20150921.';
const actionOf = (request: ProxiedRequest) => String(request.headers['x-amz-target']).replace(TARGET, '');

/** ECR's archive for one image, as the proxy answers for it. */
function archive(repositoryName: string, digest: string, activatingAnswers = 2): (request: ProxiedRequest) => Fault | undefined {
  let restoreAsked = false;
  let activating = activatingAnswers;
  return (request) => {
    const action = actionOf(request);
    if (action === 'UpdateImageStorageClass') {
      restoreAsked = true;
      return { kind: 'answer', status: 200, body: { registryId: MOTO_ACCOUNT, repositoryName, imageId: { imageDigest: digest }, imageStatus: 'ACTIVATING' } };
    }
    if (action !== 'DescribeImages') {
      return undefined;
    }
    const status = !restoreAsked ? 'ARCHIVED' : activating-- > 0 ? 'ACTIVATING' : 'ACTIVE';
    return {
      kind: 'answer',
      status: 200,
      body: { imageDetails: [{ registryId: MOTO_ACCOUNT, repositoryName, imageDigest: digest, imageTags: ['main'], imagePushedAt: 1767225600, imageStatus: status }] },
    };
  };
}

async function answer(event: object) {
  const outcome = await harness.invoke(event, 60_000);
  return { body: expectOneTimelyResponse(outcome).body, actions: harness.ecrProxy.received.map(actionOf) };
}

test('GIVEN an ARCHIVED image and no restoreArchived WHEN looked up THEN FAILED names the archive and the command that restores it, and nothing is restored', async () => {
  const { repositoryName, digest } = await harness.repositoryWithImage('main');
  harness.ecrProxy.injectBy(archive(repositoryName, digest));

  const { body, actions } = await answer(createEvent(harness.responseUrl, { ...lookupProps(repositoryName), Digest: digest, Tag: undefined }));

  expect(body.Status).toBe(FAILURE_BEHAVIOUR.archivedImage.status);
  expect(body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.archivedImage));
  expect(body.Reason).toContain(`is ARCHIVED, not ACTIVE, so it cannot be pulled: restore it in ECR (aws ecr update-image-storage-class --registry-id ${MOTO_ACCOUNT} --region ${REGION} --repository-name ${repositoryName} --image-id imageDigest=${digest} --target-storage-class STANDARD, or set restoreArchived`);
  expect(actions).not.toContain('UpdateImageStorageClass');
});

test('GIVEN an ARCHIVED image, restoreArchived and waitFor WHEN looked up THEN the lookup asks for the restore once, waits through ACTIVATING and answers SUCCESS', async () => {
  const { repositoryName, digest } = await harness.repositoryWithImage('main');
  harness.ecrProxy.injectBy(archive(repositoryName, digest));

  const { body, actions } = await answer(createEvent(harness.responseUrl, {
    ...lookupProps(repositoryName), Digest: digest, Tag: undefined, RestoreArchived: 'true', WaitForSeconds: '30',
  }));

  expect(body).toMatchObject({ Status: FAILURE_BEHAVIOUR.archivedRestored.status, Data: { Digest: digest } });
  expect(actions.filter((action) => action === 'UpdateImageStorageClass')).toHaveLength(1);
  expect(actions.filter((action) => action === 'DescribeImages')).toHaveLength(4);
  const restore = harness.ecrProxy.received.find((request) => actionOf(request) === 'UpdateImageStorageClass')!;
  expect(JSON.parse(restore.body)).toEqual({ registryId: MOTO_ACCOUNT, repositoryName, imageId: { imageDigest: digest }, targetStorageClass: 'STANDARD' });
});

test('GIVEN an ARCHIVED image, restoreArchived and no waitFor WHEN looked up THEN the restore is asked for and FAILED says to deploy again once it is ACTIVE', async () => {
  const { repositoryName, digest } = await harness.repositoryWithImage('main');
  harness.ecrProxy.injectBy(archive(repositoryName, digest));

  const { body, actions } = await answer(createEvent(harness.responseUrl, { ...lookupProps(repositoryName), RestoreArchived: 'true' }));

  expect(body.Status).toBe(FAILURE_BEHAVIOUR.archivedNoWait.status);
  expect(body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.archivedNoWait));
  expect(body.Reason).toBe(`Image ${digest} for tag "main" in repository "${repositoryName}" (registry ${MOTO_ACCOUNT}, region ${REGION}) was ARCHIVED; the lookup asked ECR to restore it (restoreArchived), and it is not ACTIVE yet: deploy again once it is, or set waitFor to wait for the restore.`);
  expect(actions).toContain('UpdateImageStorageClass');
});

test('GIVEN a restore that outlasts waitFor WHEN looked up THEN FAILED says the image is still ACTIVATING and how long the lookup waited', async () => {
  const { repositoryName, digest } = await harness.repositoryWithImage('main');
  harness.ecrProxy.injectBy(archive(repositoryName, digest, 1000));

  const { body } = await answer(createEvent(harness.responseUrl, { ...lookupProps(repositoryName), RestoreArchived: 'true', WaitForSeconds: '3' }));

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toMatch(/is ACTIVATING, not ACTIVE, so it cannot be pulled.* \(still so after waiting 3s over \d+ attempts, of the 3s waitFor allows\)$/);
});
