/**
 * holdImage through the shipped handler, against moto's ECR over real HTTP,
 * through CloudFormation's lifecycle: Create, Update with the same digest, a
 * replacement and its cleanup, a rollback, a failed Create, duplicate
 * delivery, two stacks, and repositories with immutable tags.
 *
 * moto deletes an image as soon as a moved tag leaves it with none: a harsher
 * lifecycle than any rule, which shows what a hold keeps. Every invocation
 * goes through `run`, which fails the test if any image of the repository
 * disappeared during it.
 */
import { randomUUID } from 'crypto';
import { BatchDeleteImageCommand, CreateRepositoryCommand, DescribeImagesCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { holdTagOf, releasedTagOf } from '../../lambda/hold-tag';
import { createEvent, deleteEvent, EventProperties, updateEvent } from '../../local/events';
import { MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { pushIndex } from '../../local/multi-arch';
import { ResponseEndpoint } from '../../local/response-endpoint';
import { StackStatusEndpoint } from '../../local/stack-status-endpoint';
import { deployLookups, viaShippedHandler } from '../../local/template-deployment';
import { HeldImages, ImageDigestLookup } from '../../src';
import { FAILURE_BEHAVIOUR, reasonPattern } from '../faults/failure-behaviour';
import { expectOneTimelyResponse, FaultHarness } from '../faults/harness';

let harness: FaultHarness;
let cloudFormationApi: StackStatusEndpoint;

beforeAll(async () => {
  harness = await FaultHarness.start();
  cloudFormationApi = await StackStatusEndpoint.start();
});
afterAll(async () => {
  await harness.close();
  await cloudFormationApi.close();
});
beforeEach(() => {
  harness.reset();
  cloudFormationApi.clear();
});

const PUT_IMAGE = 'AmazonEC2ContainerRegistry_V20150921.PutImage';
const GET_LIFECYCLE_POLICY = 'AmazonEC2ContainerRegistry_V20150921.GetLifecyclePolicy';
const HOLD_TAG = /^cdk-hold-[0-9a-f]{16}-[0-9a-f]{12}$/;

/** The ECR actions the handler called through the proxy, in order. */
function ecrActions(): string[] {
  return harness.ecrProxy.received.map((r) => String(r.headers['x-amz-target']).split('.').pop()!);
}

function props(repositoryName: string, extra: Partial<EventProperties> = {}): EventProperties {
  return { RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: 'main', HoldImage: 'true', ...extra };
}

function physicalIdOf(repositoryName: string, digest: string): string {
  return `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/${repositoryName}@${digest}`;
}

/** A stack of its own: the events' default stack id, or a fresh one. */
function inStack<E extends CloudFormationCustomResourceEvent>(event: E, stackId?: string): E {
  return stackId === undefined ? event : { ...event, StackId: stackId };
}

function newStackId(): string {
  return `arn:aws:cloudformation:${REGION}:${MOTO_ACCOUNT}:stack/app-${randomUUID().slice(0, 8)}/${randomUUID()}`;
}

async function tagsByDigest(repositoryName: string): Promise<Map<string, string[]>> {
  const { imageDetails } = await harness.ecr.client.send(new DescribeImagesCommand({ repositoryName }))
    .catch((error) => (error.name === 'RepositoryNotFoundException' ? { imageDetails: [] } : Promise.reject(error)));
  return new Map((imageDetails ?? []).map((detail) => [detail.imageDigest!, [...(detail.imageTags ?? [])].sort()]));
}

async function tagsOf(repositoryName: string, digest: string): Promise<string[] | undefined> {
  return (await tagsByDigest(repositoryName)).get(digest);
}

/**
 * Invokes the shipped handler once and returns CloudFormation's one answer,
 * failing the test if any image of the repository was deleted meanwhile.
 */
async function run(event: CloudFormationCustomResourceEvent, env: Record<string, string> = {}, timeoutMs = 30_000) {
  const repositoryName = (event.ResourceProperties as unknown as { RepositoryName: string }).RepositoryName;
  const before = [...(await tagsByDigest(repositoryName)).keys()];
  const outcome = await harness.invoke(event, timeoutMs, { env });
  const after = await tagsByDigest(repositoryName);
  expect(before.filter((digest) => !after.has(digest))).toEqual([]);
  return { ...expectOneTimelyResponse(outcome).body, logs: outcome.invocation.logs };
}

async function repositoryWithImage(mutability?: 'IMMUTABLE' | 'IMMUTABLE_WITH_EXCLUSION') {
  const repositoryName = uniqueRepositoryName('held');
  await harness.ecr.client.send(new CreateRepositoryCommand({
    repositoryName,
    imageTagMutability: mutability,
    imageTagMutabilityExclusionFilters: mutability === 'IMMUTABLE_WITH_EXCLUSION' ? [{ filterType: 'WILDCARD', filter: 'main' }] : undefined,
  }));
  return { repositoryName, digest: await harness.ecr.push(repositoryName, 'main') };
}

const DEFAULT_HOLDER = (event: CloudFormationCustomResourceEvent) => ({ stackId: event.StackId, logicalResourceId: event.LogicalResourceId });

describe('Create', () => {
  test('GIVEN a held lookup WHEN created THEN the image carries the hold tag the answer names, and survives its tag moving on', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    const event = createEvent(harness.responseUrl, props(repositoryName));

    const created = await run(event);
    await harness.ecr.push(repositoryName, 'main');

    const tag = holdTagOf(DEFAULT_HOLDER(event), digest);
    expect(created).toMatchObject({ Status: 'SUCCESS', Data: { Digest: digest, HoldTag: tag, LifecycleRisk: '' } });
    expect(tag).toMatch(HOLD_TAG);
    // moto deletes an image left untagged; the held one keeps its hold.
    expect(await tagsOf(repositoryName, digest)).toEqual([tag]);
    expect(ecrActions()).toEqual(['DescribeImages', 'GetLifecyclePolicy', 'BatchGetImage', 'PutImage']);
  });

  test('GIVEN a lookup without holdImage WHEN created THEN the image gets no tag and ECR gets no write', async () => {
    const { repositoryName, digest } = await repositoryWithImage();

    const created = await run(createEvent(harness.responseUrl, props(repositoryName, { HoldImage: undefined })));

    expect(created.Status).toBe('SUCCESS');
    expect(created.Data.HoldTag).toBeUndefined();
    expect(await tagsOf(repositoryName, digest)).toEqual(['main']);
    expect(harness.ecrProxy.received.map((r) => r.headers['x-amz-target'])).not.toContain(PUT_IMAGE);
  });

  test('GIVEN a Create whose lookup fails WHEN CloudFormation deletes it THEN the Delete calls no ECR action and nothing is deleted', async () => {
    const repositoryName = uniqueRepositoryName('held');
    await harness.ecr.createRepository(repositoryName);
    const other = await harness.ecr.push(repositoryName, 'other');
    const failed = await run(createEvent(harness.responseUrl, props(repositoryName)));
    harness.ecrProxy.clear();

    const deleted = await run(deleteEvent(harness.responseUrl, failed.PhysicalResourceId, props(repositoryName)));

    expect(failed.Status).toBe('FAILED');
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: failed.PhysicalResourceId });
    expect(harness.ecrProxy.received).toHaveLength(0);
    expect(await tagsOf(repositoryName, other)).toEqual(['other']);
  });
});

describe('a platform\'s manifest', () => {
  test('GIVEN a held platform lookup of an OCI index WHEN created THEN the platform\'s manifest, which the function runs, carries the hold', async () => {
    const repositoryName = uniqueRepositoryName('held');
    await harness.ecr.createRepository(repositoryName);
    const pushed = await pushIndex(harness.ecr, repositoryName, 'main', ['linux/amd64', 'linux/arm64'], 'oci');
    const event = createEvent(harness.responseUrl, props(repositoryName, { Platform: 'linux/arm64' }));

    const created = await run(event);

    const manifest = pushed.platforms['linux/arm64'];
    expect(created).toMatchObject({ Status: 'SUCCESS', Data: { Digest: manifest, IndexDigest: pushed.indexDigest, HoldTag: holdTagOf(DEFAULT_HOLDER(event), manifest) } });
    expect(await tagsOf(repositoryName, manifest)).toEqual([created.Data.HoldTag]);
    expect(await tagsOf(repositoryName, pushed.indexDigest)).toEqual(['main']);
  });
});

describe('a synthesized template', () => {
  test('GIVEN a held lookup whose dockerImageCode pins arm64 WHEN the template\'s lookups are created with the shipped handler THEN the index and the arm64 manifest each carry their lookup\'s hold', async () => {
    const repositoryName = uniqueRepositoryName('held');
    await harness.ecr.createRepository(repositoryName);
    const pushed = await pushIndex(harness.ecr, repositoryName, 'main', ['linux/amd64', 'linux/arm64'], 'oci');
    const stack = new Stack(new App(), 'Service', { env: { account: MOTO_ACCOUNT, region: REGION } });
    const lookup = new ImageDigestLookup(stack, 'Worker', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', repositoryName), tag: 'main', holdImage: true });
    new lambda.DockerImageFunction(stack, 'Fn', { code: lookup.dockerImageCode({ architecture: lambda.Architecture.ARM_64 }), architecture: lambda.Architecture.ARM_64 });
    const responses = await ResponseEndpoint.start();
    const before = [...(await tagsByDigest(repositoryName)).keys()];

    const deployed = await deployLookups(Template.fromStack(stack).toJSON(), {}, viaShippedHandler(responses, motoEnvironment()))
      .finally(() => responses.close());

    const after = await tagsByDigest(repositoryName);
    expect(before.filter((digest) => !after.has(digest))).toEqual([]);
    expect(deployed.map((d) => [d.status, d.data.Digest])).toEqual([['SUCCESS', pushed.indexDigest], ['SUCCESS', pushed.platforms['linux/arm64']]]);
    const stackId = createEvent('http://unused', props(repositoryName)).StackId;
    for (const { logicalId, data } of deployed) {
      expect(data.HoldTag).toBe(holdTagOf({ stackId, logicalResourceId: logicalId }, data.Digest));
      expect(after.get(data.Digest)).toContain(data.HoldTag);
    }
  });
});

describe('Update', () => {
  test('GIVEN a held lookup WHEN an Update resolves the same digest THEN the physical id and the hold stay', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));

    const updated = await run(updateEvent(harness.responseUrl, created.PhysicalResourceId,
      props(repositoryName, { RefreshToken: 'b' }), props(repositoryName, { RefreshToken: 'a' })));

    expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId, Data: { HoldTag: created.Data.HoldTag } });
    expect(await tagsOf(repositoryName, digest)).toEqual([created.Data.HoldTag, 'main'].sort());
  });

  test('GIVEN the tag moved WHEN the replacement is created and CloudFormation then deletes the old resource THEN both are held until then, and the old image is kept under its released tag', async () => {
    const { repositoryName, digest: first } = await repositoryWithImage();
    const oldProps = props(repositoryName, { RefreshToken: 'a' });
    const created = await run(createEvent(harness.responseUrl, oldProps));
    const second = await harness.ecr.push(repositoryName, 'main');

    const replaced = await run(updateEvent(harness.responseUrl, created.PhysicalResourceId, props(repositoryName, { RefreshToken: 'b' }), oldProps));
    const bothHeld = [await tagsOf(repositoryName, first), await tagsOf(repositoryName, second)];
    // After the whole update succeeded: the Delete of the old resource, with its own properties.
    harness.ecrProxy.clear();
    const cleanup = await run(deleteEvent(harness.responseUrl, created.PhysicalResourceId, oldProps));
    const releaseActions = ecrActions();

    expect(replaced).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(repositoryName, second) });
    expect(replaced.Data.HoldTag).not.toBe(created.Data.HoldTag);
    expect(bothHeld).toEqual([[created.Data.HoldTag], [replaced.Data.HoldTag, 'main'].sort()]);
    expect(cleanup.Status).toBe('SUCCESS');
    // The hold was the old image's last tag: it keeps the released tag instead, and is not deleted.
    expect(await tagsOf(repositoryName, first)).toEqual([releasedTagOf(first)]);
    expect(await tagsOf(repositoryName, second)).toEqual([replaced.Data.HoldTag, 'main'].sort());
    // The released tag is put before the hold goes.
    expect(releaseActions).toEqual(['DescribeImages', 'BatchGetImage', 'PutImage', 'BatchDeleteImage']);
  });

  test('GIVEN a replacement that CloudFormation rolls back WHEN it deletes the new resource THEN only the new hold goes and the old image keeps its own', async () => {
    const { repositoryName, digest: first } = await repositoryWithImage();
    const oldProps = props(repositoryName, { RefreshToken: 'a' });
    const newProps = props(repositoryName, { RefreshToken: 'b' });
    const created = await run(createEvent(harness.responseUrl, oldProps));
    const second = await harness.ecr.push(repositoryName, 'main');
    const replaced = await run(updateEvent(harness.responseUrl, created.PhysicalResourceId, newProps, oldProps));

    // Another resource failed: CloudFormation goes back to the old resource and deletes the new one.
    const discarded = await run(deleteEvent(harness.responseUrl, replaced.PhysicalResourceId, newProps));

    expect(discarded.Status).toBe('SUCCESS');
    expect(await tagsOf(repositoryName, first)).toEqual([created.Data.HoldTag]);
    expect(await tagsOf(repositoryName, second)).toEqual(['main']);
  });

  test('GIVEN a held lookup WHEN an Update turns holdImage off THEN the hold is released, since no Delete follows; a rollback of that Update holds again', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    const held = props(repositoryName, { RefreshToken: 'a' });
    const unheld = props(repositoryName, { RefreshToken: 'b', HoldImage: undefined });
    const created = await run(createEvent(harness.responseUrl, held));

    const updated = await run(updateEvent(harness.responseUrl, created.PhysicalResourceId, unheld, held));
    const afterUpdate = await tagsOf(repositoryName, digest);
    const stackId = newStackId();
    cloudFormationApi.setStatus(stackId, 'UPDATE_ROLLBACK_IN_PROGRESS');
    const rollback = { ...updateEvent(harness.responseUrl, created.PhysicalResourceId, held, unheld), StackId: stackId };
    const rolledBack = await run(rollback, { AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormationApi.url });

    expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
    expect(afterUpdate).toEqual(['main']);
    const tag = holdTagOf(DEFAULT_HOLDER(rollback), digest);
    // The previous template may read the hold's attributes: the rollback answers them.
    expect(rolledBack).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId, Data: { HoldTag: tag, LifecycleRisk: '' } });
    expect(await tagsOf(repositoryName, digest)).toEqual([tag, 'main'].sort());
  });
});

describe('the 4 KiB response', () => {
  test('GIVEN an image whose tags fill the response WHEN a held lookup is created and rolled back THEN both answer SUCCESS with the hold\'s attributes, within 4,096 bytes', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    for (let i = 0; i < 40; i++) {
      await harness.ecr.addTag(repositoryName, 'main', `${String(i).padStart(3, '0')}-${'t'.repeat(124)}`);
    }
    const held = props(repositoryName);
    const created = await run(createEvent(harness.responseUrl, held));
    const stackId = newStackId();
    cloudFormationApi.setStatus(stackId, 'UPDATE_ROLLBACK_IN_PROGRESS');
    const rollback = { ...updateEvent(harness.responseUrl, created.PhysicalResourceId, held, props(repositoryName, { RefreshToken: 'b' })), StackId: stackId };
    const rolledBack = await run(rollback, { AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormationApi.url });

    for (const answer of [created, rolledBack]) {
      expect(answer).toMatchObject({ Status: 'SUCCESS', Data: { Digest: digest, HoldTag: expect.stringMatching(HOLD_TAG), ImageTagCount: '42' } });
      const { logs: _logs, ...body } = answer;
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(4096);
    }
  });
});

describe('Delete', () => {
  test('GIVEN a held image that has other tags WHEN the lookup is deleted THEN only its hold tag goes', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));
    harness.ecrProxy.clear();

    const deleted = await run(deleteEvent(harness.responseUrl, created.PhysicalResourceId, props(repositoryName)));

    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
    expect(await tagsOf(repositoryName, digest)).toEqual(['main']);
    expect(ecrActions()).toEqual(['DescribeImages', 'BatchDeleteImage']);
  });

  test('GIVEN the repository was deleted WHEN the held lookup is deleted THEN SUCCESS, so the stack deletes', async () => {
    const { repositoryName } = await repositoryWithImage();
    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));
    const gone = uniqueRepositoryName('gone');
    const physicalId = created.PhysicalResourceId.replace(repositoryName, gone);

    const deleted = await run(deleteEvent(harness.responseUrl, physicalId, props(gone)));

    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });

  test('GIVEN ECR denies the release until the deadline WHEN the held lookup is deleted THEN SUCCESS before the timeout, the tag stays and the log says how to remove it', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));
    harness.ecrProxy.injectAlways({ kind: 'deny', message: 'User: arn:aws:sts::123456789012:assumed-role/lookup/fn is not authorized to perform: ecr:DescribeImages with an explicit deny in an identity-based policy' });

    const deleted = await run(deleteEvent(harness.responseUrl, created.PhysicalResourceId, props(repositoryName)), {}, 15_000);

    expect(deleted.Status).toBe(FAILURE_BEHAVIOUR.releaseFails.status);
    expect(deleted.logs).toContain(`aws ecr batch-delete-image --registry-id ${MOTO_ACCOUNT} --region ${REGION} --repository-name ${repositoryName} --image-ids imageTag=${created.Data.HoldTag}`);
    harness.ecrProxy.clear();
    expect(await tagsOf(repositoryName, digest)).toEqual([created.Data.HoldTag, 'main'].sort());
  });
});

describe('duplicate delivery', () => {
  test('GIVEN the same Create delivered twice WHEN both run THEN both answers are identical and the image carries one hold', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    const event = createEvent(harness.responseUrl, props(repositoryName));

    const first = await run(event);
    const second = await run(event);

    expect(second.Status).toBe('SUCCESS');
    expect(second.Data).toEqual(first.Data);
    expect(await tagsOf(repositoryName, digest)).toEqual([first.Data.HoldTag, 'main'].sort());
  });

  test('GIVEN the same Delete delivered twice, of an image whose last tag was the hold WHEN both run THEN both succeed and the image is kept once under its released tag', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));
    await harness.ecr.push(repositoryName, 'main');
    const event = deleteEvent(harness.responseUrl, created.PhysicalResourceId, props(repositoryName));

    const first = await run(event);
    const second = await run(event);

    expect([first.Status, second.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(await tagsOf(repositoryName, digest)).toEqual([releasedTagOf(digest)]);
  });
});

describe('two stacks', () => {
  test('GIVEN two stacks that hold one image WHEN one deletes its lookup THEN the other\'s hold stays', async () => {
    const { repositoryName, digest } = await repositoryWithImage();
    const [stackA, stackB] = [newStackId(), newStackId()];
    const a = await run(inStack(createEvent(harness.responseUrl, props(repositoryName)), stackA));
    const b = await run(inStack(createEvent(harness.responseUrl, props(repositoryName)), stackB));
    await harness.ecr.push(repositoryName, 'main');

    const deleted = await run(inStack(deleteEvent(harness.responseUrl, a.PhysicalResourceId, props(repositoryName)), stackA));

    expect(a.Data.HoldTag).not.toBe(b.Data.HoldTag);
    expect(deleted.Status).toBe('SUCCESS');
    expect(await tagsOf(repositoryName, digest)).toEqual([b.Data.HoldTag]);
  });
});

describe('immutable tags', () => {
  test.each(['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'] as const)('GIVEN a %s repository WHEN a lookup holds, is delivered again and is deleted THEN the new tag is allowed, the repeat is idempotent and the release keeps the image', async (mutability) => {
    const { repositoryName, digest } = await repositoryWithImage(mutability);
    const event = createEvent(harness.responseUrl, props(repositoryName));

    const created = await run(event);
    const again = await run(event);
    const deleted = await run(deleteEvent(harness.responseUrl, created.PhysicalResourceId, props(repositoryName)));

    expect([created.Status, again.Status, deleted.Status]).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(await tagsOf(repositoryName, digest)).toEqual(['main']);
  });

  test('GIVEN an IMMUTABLE repository where the hold tag already names another image WHEN the lookup holds THEN FAILED names the tag, the image and how to fix it', async () => {
    const { repositoryName, digest } = await repositoryWithImage('IMMUTABLE');
    const event = createEvent(harness.responseUrl, props(repositoryName));
    const tag = holdTagOf(DEFAULT_HOLDER(event), digest);
    const squatter = await harness.ecr.push(repositoryName, tag);

    const created = await run(event);

    expect(created.Status).toBe(FAILURE_BEHAVIOUR.holdTagTaken.status);
    expect(created.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.holdTagTaken));
    expect(created.Reason).toBe(`Tag ${tag} already names image ${squatter} in repository "${repositoryName}" (registry ${MOTO_ACCOUNT}, region ${REGION}), and the repository's tags are immutable, so the lookup cannot put it on image ${digest}: remove that tag (batch-delete-image --image-ids imageTag=${tag}) and deploy again.`);
  });

  test('GIVEN ECR answers ImageTagAlreadyExistsException, as real ECR does for an immutable tag (moto answers ImageAlreadyExistsException) WHEN the tag names this image THEN SUCCESS', async () => {
    const { repositoryName, digest } = await repositoryWithImage('IMMUTABLE');
    const event = createEvent(harness.responseUrl, props(repositoryName));
    await run(event);
    harness.ecrProxy.injectBy((request) => request.headers['x-amz-target'] === PUT_IMAGE
      ? { kind: 'answer', status: 400, errorType: 'ImageTagAlreadyExistsException', body: { __type: 'ImageTagAlreadyExistsException', message: 'The image tag already exists' } }
      : undefined);

    const again = await run(event);

    expect(again).toMatchObject({ Status: 'SUCCESS', Data: { Digest: digest } });
    expect(harness.ecrProxy.received.filter((r) => r.fault === 'answer')).toHaveLength(1);
  });
});

test('GIVEN an image whose hold is removed by hand WHEN the lookup is deleted THEN nothing is removed', async () => {
  const { repositoryName, digest } = await repositoryWithImage();
  const created = await run(createEvent(harness.responseUrl, props(repositoryName)));
  await harness.ecr.client.send(new BatchDeleteImageCommand({ repositoryName, imageIds: [{ imageTag: created.Data.HoldTag }] }));

  const deleted = await run(deleteEvent(harness.responseUrl, created.PhysicalResourceId, props(repositoryName)));

  expect(deleted.Status).toBe('SUCCESS');
  expect(await tagsOf(repositoryName, digest)).toEqual(['main']);
});

describe('lifecycle policy', () => {
  const rule = (rulePriority: number, selection: object, action: object = { type: 'expire' }) => ({ rulePriority, selection, action });
  const RULES = {
    'untagged expiry': rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }),
    'a count of any image': rule(10, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 20 }),
    'a tag prefix the hold tag matches': rule(5, { tagStatus: 'tagged', tagPrefixList: ['cdk-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }),
  };

  async function withPolicy(rules: object[]) {
    const repository = await repositoryWithImage();
    const lifecyclePolicyText = JSON.stringify({ rules });
    await harness.ecr.client.send(new PutLifecyclePolicyCommand({ repositoryName: repository.repositoryName, lifecyclePolicyText }));
    return repository;
  }

  test.each([
    ['untagged expiry', false],
    ['a count of any image', true],
    ['a tag prefix the hold tag matches', true],
  ] as const)('GIVEN a policy with %s WHEN a held lookup is created THEN LifecycleRisk reports it: %s; the image is held either way', async (name, risky) => {
    const { repositoryName, digest } = await withPolicy([RULES[name]]);

    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));

    expect(created.Status).toBe('SUCCESS');
    expect(created.Data.LifecycleRisk === '').toBe(!risky);
    expect(created.logs.includes('Lifecycle risk for image')).toBe(risky);
    expect(await tagsOf(repositoryName, digest)).toContain(created.Data.HoldTag);
  });

  test('GIVEN an archive transition, which ECR answers in GetLifecyclePolicy (moto refuses to store one, so the proxy answers as ECR) WHEN a held lookup is created THEN LifecycleRisk reports it', async () => {
    const { repositoryName } = await repositoryWithImage();
    const archive = rule(7, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, { type: 'transition', targetStorageClass: 'archive' });
    harness.ecrProxy.injectBy((request) => (request.headers['x-amz-target'] === GET_LIFECYCLE_POLICY
      ? { kind: 'answer', status: 200, body: { registryId: MOTO_ACCOUNT, repositoryName, lifecyclePolicyText: JSON.stringify({ rules: [archive] }) } }
      : undefined));

    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));

    expect(created.Status).toBe('SUCCESS');
    expect(created.Data.LifecycleRisk).toMatch(/^Lifecycle rule 7 \(tagStatus any, sinceImagePulled 90 days, transition\) can move the held image to the archive/);
  });

  test('GIVEN the protecting rule before a count of any image WHEN a held lookup is created THEN no risk', async () => {
    const protecting = rule(1, { tagStatus: 'tagged', tagPrefixList: ['cdk-hold-'], countType: 'imageCountMoreThan', countNumber: 9999 });
    const { repositoryName } = await withPolicy([protecting, RULES['a count of any image']]);

    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));

    expect(created).toMatchObject({ Status: 'SUCCESS', Data: { LifecycleRisk: '' } });
  });

  test('GIVEN the policy HeldImages.protect writes before a count of any image, as synthesized WHEN a held lookup is created THEN no risk', async () => {
    const stack = new Stack(new App(), 'Images');
    const repository = new ecr.Repository(stack, 'Repo');
    repository.addLifecycleRule({ maxImageCount: 5 });
    HeldImages.protect(repository);
    const [synthesized] = Object.values<any>(Template.fromStack(stack).findResources('AWS::ECR::Repository'));
    const { repositoryName } = await repositoryWithImage();
    const lifecyclePolicyText = synthesized.Properties.LifecyclePolicy.LifecyclePolicyText;
    await harness.ecr.client.send(new PutLifecyclePolicyCommand({ repositoryName, lifecyclePolicyText }));

    const created = await run(createEvent(harness.responseUrl, props(repositoryName)));

    expect(JSON.parse(lifecyclePolicyText).rules).toHaveLength(3);
    expect(created).toMatchObject({ Status: 'SUCCESS', Data: { LifecycleRisk: '' } });
  });

  test('GIVEN failOnLifecycleRisk and a risky rule WHEN a held lookup is created THEN FAILED names the rule, and the image gets no hold that no Delete would release', async () => {
    const { repositoryName, digest } = await withPolicy([RULES['a count of any image']]);

    const created = await run(createEvent(harness.responseUrl, props(repositoryName, { FailOnLifecycleRisk: 'true' })));

    expect(created.Status).toBe(FAILURE_BEHAVIOUR.lifecycleRiskFail.status);
    expect(created.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.lifecycleRiskFail));
    expect(created.Reason).toContain(`The lifecycle policy of repository "${repositoryName}" (registry ${MOTO_ACCOUNT}, region ${REGION}) could still remove held image ${digest} (failOnLifecycleRisk): Lifecycle rule 10 `);
    expect(await tagsOf(repositoryName, digest)).toEqual(['main']);
  });
});
