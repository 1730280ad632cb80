/**
 * AWS Signer's revocation check. The signatures have AWS Signer's shape (the
 * notary.x509.signingAuthority scheme, the signing profile version and job as
 * critical signed attributes), made by notation-core-go with a test CA; a
 * loopback endpoint answers Signer's GetRevocationStatus.
 */
import { signedLookup } from './signed-lookup';
import { SignerRevocationEndpoint } from './signer-revocation-endpoint';
import { AwsSignerJob, LocalRegistry, notationSign, revocationHashes, TestCa } from './signing-lab';
import { signingTestsOrSkip } from './tools';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();
const lab = signingTestsOrSkip();

const PROFILE = 'arn:aws:signer:us-west-2:111122223333:/signing-profiles/release';
const JOB: AwsSignerJob = { profileVersionArn: `${PROFILE}/v1a2b3c4d5`, jobArn: 'arn:aws:signer:us-west-2:111122223333:/signing-jobs/0a1b2c3d-4e5f' };

let registry: LocalRegistry;
let ca: TestCa;
let signer: { key: string; chain: string };
let revocations: SignerRevocationEndpoint;
beforeAll(async () => {
  if (!lab.ready) return;
  registry = await LocalRegistry.start();
  ca = await TestCa.create('C=US,O=Example,CN=Test Signer Root');
  signer = await ca.leaf('C=US,O=Example,CN=AWS Signer test');
  revocations = await SignerRevocationEndpoint.start();
}, 60_000);
afterAll(async () => {
  registry?.stop();
  await revocations?.close();
});
beforeEach(() => revocations?.clear());

function lookUp(identities: string[] = [PROFILE], envelope: 'jws' | 'cose' = 'jws') {
  return signedLookup(local, registry, {
    requirement: { NotationRootCertificates: [ca.rootPem], NotationTrustedIdentities: identities.length > 0 ? identities : undefined },
    sign: (reference, { digest }) => notationSign(reference(digest), signer, { envelope, awsSigner: JOB }),
    env: { AWS_ENDPOINT_URL_SIGNER: revocations.url },
  });
}

lab.test.each(['jws', 'cose'] as const)('GIVEN a %s signature by AWS Signer WHEN nothing is revoked THEN SUCCESS, after asking Signer with the job, profile, time and certificate hashes', async (envelope) => {
  const { body } = await lookUp([PROFILE], envelope);

  expect(body.Status).toBe('SUCCESS');
  expect(revocations.queries).toEqual([{
    signatureTimestamp: expect.any(String),
    platformId: 'Notation-OCI-SHA384-ECDSA',
    profileVersionArn: JOB.profileVersionArn,
    jobArn: JOB.jobArn,
    certificateHashes: await revocationHashes(signer.chain),
  }]);
  expect(new Date(revocations.queries[0].signatureTimestamp!).toISOString()).toBe(body.Data.SignedAt);
});

lab.test('GIVEN a revoked signing job WHEN verified THEN FAILED says Signer revoked it', async () => {
  revocations.revoked = [JOB.jobArn];

  const { body } = await lookUp();

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toContain(`AWS Signer has revoked ${JOB.jobArn}`);
});

lab.test('GIVEN a revoked signing certificate WHEN verified THEN FAILED says how many of its certificates are revoked', async () => {
  revocations.revoked = [(await revocationHashes(signer.chain))[0]];

  const { body } = await lookUp();

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toContain('AWS Signer has revoked 1 of its certificates');
});

lab.test('GIVEN Signer answering an error WHEN verified THEN FAILED: an unknown revocation status is no proof', async () => {
  revocations.failure = { status: 403, type: 'AccessDeniedException' };

  const { body } = await lookUp();

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toMatch(/AWS Signer's revocation status could not be read \(signer:GetRevocationStatus in us-west-2: AccessDeniedException: injected failure\)/);
});

lab.test('GIVEN the signing profile as trusted identity WHEN a version of it signed THEN SUCCESS', async () => {
  const { body } = await lookUp([PROFILE]);

  expect(body.Status).toBe('SUCCESS');
});

lab.test('GIVEN another signing profile as trusted identity WHEN verified THEN FAILED naming the signature\'s profile', async () => {
  const { body } = await lookUp(['arn:aws:signer:us-west-2:111122223333:/signing-profiles/other']);

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toContain(`(signing profile ${JOB.profileVersionArn}) is none of the trusted identities`);
});

lab.test('GIVEN a critical signed attribute no verifier here understands WHEN verified THEN FAILED names it, as the Notation specification requires', async () => {
  const { body } = await signedLookup(local, registry, {
    requirement: { NotationRootCertificates: [ca.rootPem], NotationTrustedIdentities: [PROFILE] },
    sign: (reference, { digest }) => notationSign(reference(digest), signer, { awsSigner: { ...JOB, critical: 'com.example.policy=strict' } }),
    env: { AWS_ENDPOINT_URL_SIGNER: revocations.url },
  });

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toContain('JWS envelope: it has critical attributes no verifier here understands: com.example.policy');
  expect(revocations.queries).toEqual([]);
});

lab.test('GIVEN an AWS Signer signature WHEN no trusted identity is set THEN FAILED: the shared root alone would accept any account\'s signing profile', async () => {
  const { body } = await lookUp([]);

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toContain(`it is AWS Signer's (signing profile ${JOB.profileVersionArn}), whose root every AWS account's signing profiles share, and requireSignature names no trusted identity: set notationTrustedIdentities to your signing profile ARNs`);
  expect(revocations.queries).toEqual([]);
});
