/**
 * Rollbacks through the shipped handler: ECR is moto, the stack's status
 * comes over real HTTP from a CloudFormation query endpoint (a loopback
 * stand-in that can report UPDATE_ROLLBACK_IN_PROGRESS, and moto's own
 * CloudFormation for a real stack), and answers go to a real response URL.
 */
import { randomUUID } from 'crypto';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createEvent, EventProperties, updateEvent } from '../../local/events';
import { MOTO_ACCOUNT, motoEndpoint, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { pushIndex } from '../../local/multi-arch';
import { scanImage } from '../../local/scan-findings';
import { invokeShippedHandler } from '../../local/shipped-handler';
import { StackStatusEndpoint } from '../../local/stack-status-endpoint';
import { FAILURE_BEHAVIOUR, reasonPattern } from '../faults/failure-behaviour';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();
let cloudFormationApi: StackStatusEndpoint;

beforeAll(async () => {
  cloudFormationApi = await StackStatusEndpoint.start();
});
afterAll(() => cloudFormationApi.close());
beforeEach(() => cloudFormationApi.clear());

/** A stack of its own per test, so that statuses never leak between tests. */
function newStackId(): string {
  return `arn:aws:cloudformation:${REGION}:${MOTO_ACCOUNT}:stack/app-${randomUUID().slice(0, 8)}/${randomUUID()}`;
}

type Props = EventProperties;

function propsFor(repositoryName: string, extra: Partial<Props> = {}): Props {
  return { RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: 'main', ...extra };
}

async function answer(event: CloudFormationCustomResourceEvent, env: Record<string, string> = {}) {
  local.cloudFormation.clear();
  // An empty value leaves the variable unset.
  const merged = { ...motoEnvironment(), AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormationApi.url, ...env };
  const invocation = await invokeShippedHandler(event, {
    env: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== '')),
    timeoutMs: 45_000,
  });
  expect(invocation.exitCode).toBe(0);
  expect(local.cloudFormation.received).toHaveLength(1);
  return { body: local.cloudFormation.received[0].body, logs: invocation.logs };
}

/**
 * Create, then the forward Update (ResourceProperties new, OldResourceProperties
 * old) and the rollback's Update (the two swapped), each while the stack has
 * the status CloudFormation gives it then.
 */
class Deployment {
  public physicalId = '';

  public constructor(public readonly stackId: string, private readonly props: Props) {}

  public async create() {
    const result = await answer({ ...createEvent(local.cloudFormation.url(), this.props), StackId: this.stackId });
    this.physicalId = result.body.PhysicalResourceId;
    return result;
  }

  public async update(status: string, env: Record<string, string> = {}) {
    cloudFormationApi.setStatus(this.stackId, status);
    const next = { ...this.props, RefreshToken: '2026-11-29T12:00:00.000Z' };
    const previous = { ...this.props, RefreshToken: '2026-11-29T10:00:00.000Z' };
    const [resource, old] = status === 'UPDATE_ROLLBACK_IN_PROGRESS' ? [previous, next] : [next, previous];
    const event = updateEvent(local.cloudFormation.url(), this.physicalId, resource, old);
    const result = await answer({ ...event, StackId: this.stackId }, env);
    if (result.body.Status === 'SUCCESS') {
      this.physicalId = result.body.PhysicalResourceId;
    }
    return result;
  }
}

async function repositoryWith(tags: string[]): Promise<{ repo: string; digest: string }> {
  const repo = uniqueRepositoryName();
  await local.ecr.createRepository(repo);
  const digest = await local.ecr.push(repo, tags[0]);
  for (const tag of tags.slice(1)) {
    await local.ecr.addTag(repo, tags[0], tag);
  }
  return { repo, digest };
}

describe('the lookup\'s own update fails its gate, and the stack rolls back', () => {
  test('GIVEN a deployed image that passed requireScan WHEN the tag moves to an image with a CRITICAL finding THEN the Update fails, and the rollback\'s Update answers SUCCESS with the deployed digest', async () => {
    // v1 keeps the deployed image alive when main moves, as ECR keeps untagged images.
    const { repo, digest: deployed } = await repositoryWith(['main', 'v1']);
    await scanImage(local.ecr, repo, deployed, { status: 'COMPLETE', counts: { HIGH: 2 } });
    const deployment = new Deployment(newStackId(), propsFor(repo, { ScanGate: { MaxCritical: '0' } }));
    const created = await deployment.create();
    const refused = await local.ecr.push(repo, 'main');
    await scanImage(local.ecr, repo, refused, { status: 'COMPLETE', counts: { CRITICAL: 1 } });

    const forward = await deployment.update('UPDATE_IN_PROGRESS');
    const rollback = await deployment.update('UPDATE_ROLLBACK_IN_PROGRESS');

    expect(forward.body).toMatchObject({ Status: FAILURE_BEHAVIOUR.gateRefusesUpdate.status, PhysicalResourceId: created.body.PhysicalResourceId });
    expect(forward.body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.gateRefusesUpdate));
    expect(forward.body.Reason).toMatch(new RegExp(`^Image ${refused} .* failed requireScan: its basic scan found 1 CRITICAL`));
    expect(rollback.body).toMatchObject({
      Status: FAILURE_BEHAVIOUR.rollbackAfterRefusedUpdate.status, PhysicalResourceId: created.body.PhysicalResourceId,
    });
    expect(rollback.body.Data).toEqual({ ...created.body.Data, ImageTags: 'v1', ImageTagCount: '1' });
    expect(rollback.body.Data.FindingsHigh).toBe('2');
    expect(rollback.logs).toMatch(/The stack is rolling back: answering with the image deployed before/);
  });

  test('GIVEN a lookup of the newest release-* image that passed requireScan WHEN a newer release with a CRITICAL finding is pushed THEN the Update fails, and the rollback restores the deployed release', async () => {
    const { repo, digest: deployed } = await repositoryWith(['release-1']);
    await scanImage(local.ecr, repo, deployed, { status: 'COMPLETE' });
    const deployment = new Deployment(newStackId(), { RepositoryName: repo, RegistryId: MOTO_ACCOUNT, Region: REGION, NewestTagPattern: 'release-*', ScanGate: { MaxCritical: '0' } });
    const created = await deployment.create();
    // moto records push times in whole seconds: the newer release must be a second younger.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refused = await local.ecr.push(repo, 'release-2');
    await scanImage(local.ecr, repo, refused, { status: 'COMPLETE', counts: { CRITICAL: 1 } });

    const forward = await deployment.update('UPDATE_IN_PROGRESS');
    const rollback = await deployment.update('UPDATE_ROLLBACK_IN_PROGRESS');

    expect(forward.body.Reason).toMatch(new RegExp(`^Image ${refused} .* failed requireScan`));
    expect(rollback.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.body.PhysicalResourceId });
    expect(rollback.body.Data).toEqual(created.body.Data);
  });

  test('GIVEN a deployed arm64 image WHEN the tag moves to an index without linux/arm64 THEN the Update fails, and the rollback\'s Update answers SUCCESS with the deployed arm64 digest', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    const first = await pushIndex(local.ecr, repo, 'main', ['linux/amd64', 'linux/arm64'], 'oci');
    const deployment = new Deployment(newStackId(), propsFor(repo, { Platform: 'linux/arm64' }));
    const created = await deployment.create();
    await pushIndex(local.ecr, repo, 'main', ['linux/amd64'], 'oci');

    const forward = await deployment.update('UPDATE_IN_PROGRESS');
    const rollback = await deployment.update('UPDATE_ROLLBACK_IN_PROGRESS');

    expect(created.body.Data.Digest).toBe(first.platforms['linux/arm64']);
    expect(forward.body.Status).toBe('FAILED');
    expect(forward.body.Reason).toMatch(/^Platform linux\/arm64 is not in image index/);
    expect(rollback.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.body.PhysicalResourceId });
    // The tag has left the index, so the rollback cannot name it: the
    // manifest's own (empty) tags and push time answer instead.
    expect(rollback.body.Data).toEqual({ ...created.body.Data, IndexDigest: '', ImageTags: '', ImageTagCount: '0', PushedAt: expect.any(String) });
    expect(created.body.Data.IndexDigest).toBe(first.indexDigest);
  });

  test('GIVEN a platform lookup by digest, as dockerImageCode({ architecture }) creates WHEN rolled back THEN IndexDigest is the index its properties name', async () => {
    const repo = uniqueRepositoryName();
    await local.ecr.createRepository(repo);
    const index = await pushIndex(local.ecr, repo, 'main', ['linux/amd64', 'linux/arm64'], 'oci');
    const deployment = new Deployment(newStackId(), { RepositoryName: repo, RegistryId: MOTO_ACCOUNT, Region: REGION, Digest: index.indexDigest, Platform: 'linux/arm64' });
    const created = await deployment.create();

    const rollback = await deployment.update('UPDATE_ROLLBACK_IN_PROGRESS');

    expect(rollback.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.body.PhysicalResourceId });
    expect(rollback.body.Data).toEqual(created.body.Data);
  });

  test('GIVEN a rollback whose deployed image was deleted since WHEN its Update runs THEN SUCCESS still carries the deployed digest, so the rollback completes', async () => {
    const { repo, digest: deployed } = await repositoryWith(['main']);
    const deployment = new Deployment(newStackId(), propsFor(repo, { ScanGate: { MaxCritical: '0' } }));
    await scanImage(local.ecr, repo, deployed, { status: 'COMPLETE' });
    const created = await deployment.create();
    // moto deletes the image the tag left, as a lifecycle policy would.
    await local.ecr.push(repo, 'main');

    const rollback = await deployment.update('UPDATE_ROLLBACK_IN_PROGRESS');

    expect(rollback.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.body.PhysicalResourceId });
    expect(rollback.body.Data).toMatchObject({ Digest: deployed, DigestHex: deployed.slice('sha256:'.length), ImageTags: '', FindingsCritical: '0' });
    expect(rollback.logs).toMatch(/ECR did not describe the deployed image/);
  });
});

describe('another resource fails while the tag moves', () => {
  test('GIVEN an Update that kept the digest WHEN the tag moves before the rollback\'s Update THEN it answers the deployed digest, not the image the tag now names', async () => {
    const { repo, digest: deployed } = await repositoryWith(['main', 'v1']);
    const deployment = new Deployment(newStackId(), propsFor(repo));
    const created = await deployment.create();
    const forward = await deployment.update('UPDATE_IN_PROGRESS');
    const moved = await local.ecr.push(repo, 'main');

    const rollback = await deployment.update('UPDATE_ROLLBACK_IN_PROGRESS');

    expect(forward.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.body.PhysicalResourceId });
    expect(rollback.body).toMatchObject({
      Status: FAILURE_BEHAVIOUR.rollbackAfterFailureElsewhere.status, PhysicalResourceId: created.body.PhysicalResourceId,
    });
    expect(rollback.body.Data.Digest).toBe(deployed);
    expect(rollback.body.Data.Digest).not.toBe(moved);
  });

  test('GIVEN the same moved tag WHEN the Update is a forward one THEN it resolves the new image', async () => {
    const { repo } = await repositoryWith(['main', 'v1']);
    const deployment = new Deployment(newStackId(), propsFor(repo));
    await deployment.create();
    const moved = await local.ecr.push(repo, 'main');

    const forward = await deployment.update('UPDATE_IN_PROGRESS');

    expect(forward.body).toMatchObject({ Status: 'SUCCESS', Data: expect.objectContaining({ Digest: moved }) });
  });
});

describe('the stack\'s status', () => {
  test('GIVEN an Update WHEN the handler asks for the stack\'s status THEN it sends one signed DescribeStacks for its own stack id', async () => {
    const { repo } = await repositoryWith(['main']);
    const deployment = new Deployment(newStackId(), propsFor(repo));
    await deployment.create();

    await deployment.update('UPDATE_IN_PROGRESS');

    expect(cloudFormationApi.received).toEqual([{
      action: 'DescribeStacks',
      stackName: deployment.stackId,
      authorization: expect.stringMatching(new RegExp(`^AWS4-HMAC-SHA256 Credential=testing/\\d{8}/${REGION}/cloudformation/aws4_request`)),
    }]);
  });

  test('GIVEN a Create WHEN it runs THEN the stack\'s status is not read', async () => {
    const { repo } = await repositoryWith(['main']);

    await new Deployment(newStackId(), propsFor(repo)).create();

    expect(cloudFormationApi.received).toHaveLength(0);
  });

  test.each([
    [403, 'AccessDenied'],
    [400, 'Throttling'],
  ])('GIVEN DescribeStacks answers HTTP %i %s WHEN an Update whose tag moved to a refused image runs THEN it is treated as a forward update: FAILED by the gate, and the logs say why', async (status, code) => {
    const { repo, digest } = await repositoryWith(['main', 'v1']);
    await scanImage(local.ecr, repo, digest, { status: 'COMPLETE' });
    const deployment = new Deployment(newStackId(), propsFor(repo, { ScanGate: { MaxCritical: '0' } }));
    await deployment.create();
    const refused = await local.ecr.push(repo, 'main');
    await scanImage(local.ecr, repo, refused, { status: 'COMPLETE', counts: { CRITICAL: 3 } });
    cloudFormationApi.failWith(status, code);

    const result = await deployment.update('UPDATE_ROLLBACK_IN_PROGRESS');

    expect(result.body.Status).toBe('FAILED');
    expect(result.body.Reason).toMatch(/failed requireScan/);
    expect(result.logs).toMatch(new RegExp(`Could not read the status of stack ${deployment.stackId.replace(/[/]/g, '\\/')} \\(${code}`));
  });

  test('GIVEN a real stack in moto\'s CloudFormation, reached through AWS_ENDPOINT_URL WHEN an Update runs THEN its status (not a rollback) lets the lookup resolve the moved tag', async () => {
    const cloudFormation = new CloudFormationClient({ region: REGION, endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const stack = await cloudFormation.send(new CreateStackCommand({
      StackName: `app-${randomUUID().slice(0, 8)}`,
      TemplateBody: JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }),
    }));
    const { repo } = await repositoryWith(['main', 'v1']);
    const deployment = new Deployment(stack.StackId!, propsFor(repo));
    await deployment.create();
    const moved = await local.ecr.push(repo, 'main');

    // The stand-in is not consulted: the generic endpoint variable sends DescribeStacks to moto.
    const forward = await deployment.update('UPDATE_IN_PROGRESS', { AWS_ENDPOINT_URL_CLOUDFORMATION: '', AWS_ENDPOINT_URL: motoEndpoint() });

    expect(forward.body).toMatchObject({ Status: 'SUCCESS', Data: expect.objectContaining({ Digest: moved }) });
    expect(forward.logs).not.toMatch(/Could not read the status/);
    expect(cloudFormationApi.received).toHaveLength(0);
  });
});
