/**
 * A rollback restores the image deployed before without applying the
 * signature requirement again, but still answers the signature attributes
 * that the restored template may read.
 */
import { randomUUID } from 'crypto';
import { SignedEcr } from './signed-ecr';
import { copyToEcr, cosignKeyPair, cosignSign, LocalRegistry } from './signing-lab';
import { signingTestsOrSkip } from './tools';
import { createEvent, updateEvent } from '../../local/events';
import { MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { invokeShippedHandler } from '../../local/shipped-handler';
import { StackStatusEndpoint } from '../../local/stack-status-endpoint';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();
const lab = signingTestsOrSkip();

let registry: LocalRegistry;
let stacks: StackStatusEndpoint;
beforeAll(async () => {
  if (!lab.ready) return;
  registry = await LocalRegistry.start();
  stacks = await StackStatusEndpoint.start();
}, 60_000);
afterAll(async () => {
  registry?.stop();
  await stacks?.close();
});

lab.test('GIVEN a deployed signed image WHEN the tag moves to an unsigned one THEN the Update fails, and the rollback answers the deployed image with its signer', async () => {
  const key = await cosignKeyPair();
  const repository = uniqueRepositoryName('signed');
  const deployed = await registry.pushImage(repository, 'v1');
  await cosignSign(registry.reference(repository, deployed), key.privateKey);
  const unsigned = await registry.pushImage(repository, 'v2');
  await local.ecr.createRepository(repository);
  // v1 keeps the deployed image in ECR once main moves.
  const artifacts = await copyToEcr(registry, repository, local.ecr, repository, [deployed], 'v1');
  await local.ecr.addTag(repository, 'v1', 'main');
  const ecr = await SignedEcr.start(process.env.MOTO_ENDPOINT!, artifacts);
  const stackId = `arn:aws:cloudformation:${REGION}:${MOTO_ACCOUNT}:stack/app-${randomUUID().slice(0, 8)}/${randomUUID()}`;
  const env = { ...motoEnvironment(ecr.endpoint), AWS_ENDPOINT_URL_CLOUDFORMATION: stacks.url };
  const props = { RepositoryName: repository, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: 'main', SignatureRequirement: { CosignPublicKeys: [key.pem] } };
  const answer = async (event: object) => {
    local.cloudFormation.clear();
    expect((await invokeShippedHandler({ ...event, StackId: stackId }, { env, timeoutMs: 45_000 })).exitCode).toBe(0);
    return local.cloudFormation.received[0].body;
  };
  try {
    const created = await answer(createEvent(local.cloudFormation.url(), props));
    await copyToEcr(registry, repository, local.ecr, repository, [unsigned], 'main', artifacts);
    const [before, after] = [{ ...props, RefreshToken: '1' }, { ...props, RefreshToken: '2' }];
    stacks.setStatus(stackId, 'UPDATE_IN_PROGRESS');
    const forward = await answer(updateEvent(local.cloudFormation.url(), created.PhysicalResourceId, after, before));
    stacks.setStatus(stackId, 'UPDATE_ROLLBACK_IN_PROGRESS');
    const rollback = await answer(updateEvent(local.cloudFormation.url(), created.PhysicalResourceId, before, after));

    expect(created).toMatchObject({ Status: 'SUCCESS', Data: { Digest: deployed } });
    expect(forward.Status).toBe('FAILED');
    expect(forward.Reason).toContain(`Image ${unsigned} (tag "main"`);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
    expect(rollback.Data).toMatchObject({ Digest: deployed, SignedBy: created.Data.SignedBy, SignedDigest: deployed });
  } finally {
    await ecr.close();
  }
});
