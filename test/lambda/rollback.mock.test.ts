/**
 * Which Updates count as a rollback, and what a rollback answers where moto
 * cannot go (archived images, an unreadable scan), through the handler's
 * modules with the SDK clients mocked.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, DescribeImageScanFindingsCommand, ECRClient, ECRServiceException } from '@aws-sdk/client-ecr';
import type { CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { restoreDeployed, RollbackServices, rollbackTarget } from '../../lambda/rollback';
import { stackStatus } from '../../lambda/stack-status';

const cloudFormation = mockClient(CloudFormationClient);
const ecr = mockClient(ECRClient);
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/app/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f';
const DIGEST = `sha256:${'d'.repeat(64)}`;
const PHYSICAL_ID = `111111111111.dkr.ecr.eu-west-1/api@${DIGEST}`;
const DEPLOYED = { registryId: '111111111111', region: 'eu-west-1', repositoryName: 'api', digest: DIGEST };

const services: RollbackServices = { stackStatus, ecrIn: () => new ECRClient({ region: 'eu-west-1' }) };

function updateEvent(physicalResourceId: string): CloudFormationCustomResourceUpdateEvent {
  return {
    RequestType: 'Update',
    ServiceToken: 'arn',
    ResponseURL: 'http://127.0.0.1/',
    StackId: STACK_ID,
    RequestId: 'r',
    LogicalResourceId: 'Api',
    ResourceType: 'Custom::ImageDigestLookup',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: { ServiceToken: 'arn' },
    OldResourceProperties: { ServiceToken: 'arn' },
  };
}

beforeEach(() => {
  cloudFormation.reset();
  ecr.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('rollbackTarget', () => {
  test('GIVEN the stack is in UPDATE_ROLLBACK_IN_PROGRESS WHEN an Update arrives THEN the image its physical id names is restored', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({ Stacks: [{ StackId: STACK_ID, StackName: 'app', CreationTime: new Date(), StackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS' }] });

    await expect(rollbackTarget(updateEvent(PHYSICAL_ID), services)).resolves.toEqual(DEPLOYED);
  });

  test.each([
    'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
    'UPDATE_ROLLBACK_FAILED', 'ROLLBACK_IN_PROGRESS', 'IMPORT_ROLLBACK_IN_PROGRESS',
  ])('GIVEN the stack is in %s WHEN an Update arrives THEN it is a forward update', async (status) => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackId: STACK_ID, StackName: 'app', CreationTime: new Date(), StackStatus: status as any }] });

    await expect(rollbackTarget(updateEvent(PHYSICAL_ID), services)).resolves.toBeUndefined();
  });

  test('GIVEN a physical id that names no image (a failed Create) WHEN an Update arrives THEN the status is not even read', async () => {
    await expect(rollbackTarget(updateEvent('failed-create:r'), services)).resolves.toBeUndefined();

    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  test('GIVEN DescribeStacks fails WHEN an Update arrives THEN it is a forward update, and a warning names the stack', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));

    await expect(rollbackTarget(updateEvent(PHYSICAL_ID), services)).resolves.toBeUndefined();
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining(`Could not read the status of stack ${STACK_ID} (AccessDenied: not authorized)`));
  });
});

describe('restoreDeployed', () => {
  const budget = () => 3_000;

  test('GIVEN the deployed image was archived since WHEN restored THEN SUCCESS with its digest, not a failed rollback', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['v1'], imageStatus: 'ARCHIVED' }] });

    const answer = await restoreDeployed(DEPLOYED, { Tag: 'main' }, services, undefined, budget);

    expect(answer.physicalResourceId).toBe(PHYSICAL_ID);
    expect(answer.data).toMatchObject({ Digest: DIGEST, DigestHex: 'd'.repeat(64), ImageTags: '' });
  });

  test('GIVEN a scan gate whose scan ECR no longer has WHEN restored THEN SUCCESS with every finding count present, as 0', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['main'] }] });
    ecr.on(DescribeImageScanFindingsCommand).rejects(new ECRServiceException({ name: 'ScanNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'no scan' }));

    const answer = await restoreDeployed(DEPLOYED, { Tag: 'main', ScanGate: { MaxCritical: '0' } }, services, undefined, budget);

    expect(answer.data).toMatchObject({ FindingsCritical: '0', FindingsHigh: '0', FindingsMedium: '0', FindingsLow: '0', FindingsInformational: '0', FindingsUndefined: '0' });
  });

  test('GIVEN a scan with more findings than the gate allows WHEN restored THEN SUCCESS reports them: a rollback applies no gate', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['main'] }] });
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findingSeverityCounts: { CRITICAL: 4 } } });

    const answer = await restoreDeployed(DEPLOYED, { Tag: 'main', ScanGate: { MaxCritical: '0' } }, services, undefined, budget);

    expect(answer.data).toMatchObject({ Digest: DIGEST, FindingsCritical: '4' });
    expect(ecr.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({ registryId: '111111111111', repositoryName: 'api', imageIds: [{ imageDigest: DIGEST }] });
  });
});
