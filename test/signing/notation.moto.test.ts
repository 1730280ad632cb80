/**
 * Notation signatures made by notation-go (the library of the notation CLI
 * and of AWS Signer's plugin) with a test CA, in both envelope formats,
 * copied into moto and judged by the shipped handler with requireSignature.
 */
import { FAILURE_BEHAVIOUR, reasonPattern } from '../faults/failure-behaviour';
import { useLocalDeployment } from '../support/local-deployment';
import { COSIGN_TEST_KEY } from './fixtures/keys';
import { signedLookup, SignedLookupOptions } from './signed-lookup';
import { LocalRegistry, notationSign, OCI_INDEX, OCI_MANIFEST, sha256, TestCa } from './signing-lab';
import { signingTestsOrSkip } from './tools';

const local = useLocalDeployment();
const lab = signingTestsOrSkip();

const SIGNER = 'C=US,O=Example,CN=Release Signer';
/** How Node.js prints that subject, which SignedBy carries. */
const SIGNED_BY = 'C=US, O=Example, CN=Release Signer';

let registry: LocalRegistry;
let ca: TestCa;
let otherCa: TestCa;
let signer: { key: string; chain: string };
beforeAll(async () => {
  if (!lab.ready) return;
  registry = await LocalRegistry.start();
  [ca, otherCa] = await Promise.all([TestCa.create(), TestCa.create('C=US,O=Elsewhere,CN=Other Root')]);
  signer = await ca.leaf(SIGNER);
}, 60_000);
afterAll(() => registry?.stop());

function lookUp(sign: SignedLookupOptions['sign'], requirement: Partial<SignedLookupOptions['requirement']> = {}, adjust?: SignedLookupOptions['adjust']) {
  return signedLookup(local, registry, { requirement: { NotationRootCertificates: [ca.rootPem], ...requirement }, sign, adjust });
}

describe.each(['jws', 'cose'] as const)('%s envelope', (envelope) => {
  lab.test('GIVEN a signature under the trusted root WHEN required THEN SUCCESS names the signer and the signing time', async () => {
    const before = new Date(Date.now() - 1000);
    const { body, digest } = await lookUp((reference, { digest: d }) => notationSign(reference(d), signer, { envelope }));

    expect(body.Status).toBe('SUCCESS');
    expect(body.Data).toMatchObject({ Digest: digest, SignedBy: SIGNED_BY, SignedDigest: digest });
    const signedAt = new Date(body.Data.SignedAt);
    expect(signedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(signedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  lab.test('GIVEN a signature by a certificate of another CA WHEN only the test root is trusted THEN FAILED says its chain ends at an untrusted root', async () => {
    const stranger = await otherCa.leaf(SIGNER);
    const { body } = await lookUp((reference, { digest }) => notationSign(reference(digest), stranger, { envelope }));

    expect(body.Status).toBe(FAILURE_BEHAVIOUR.untrustedNotationRoot.status);
    expect(body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.untrustedNotationRoot));
    expect(body.Reason).toMatch(new RegExp(`notation signature sha256:[0-9a-f]{64} of sha256:[0-9a-f]{64} \\(referrer\\) by ${SIGNED_BY}: ${envelope.toUpperCase()} envelope: its chain ends at C=US, O=Elsewhere, CN=Other Root, which is not and is not signed by any of the 1 trusted root`));
  });

  lab.test('GIVEN a signer that is not a trusted identity WHEN identities are set THEN FAILED names the signer and the identities', async () => {
    const { body } = await lookUp((reference, { digest }) => notationSign(reference(digest), signer, { envelope }), { NotationTrustedIdentities: ['O=Example,CN=Someone Else'] });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain(`its signer ${SIGNED_BY} is none of the trusted identities "O=Example,CN=Someone Else"`);
  });

  lab.test('GIVEN a signer that is a trusted identity WHEN identities are set THEN SUCCESS', async () => {
    const { body } = await lookUp((reference, { digest }) => notationSign(reference(digest), signer, { envelope }), { NotationTrustedIdentities: ['CN=Release Signer, O=Example'] });

    expect(body.Status).toBe('SUCCESS');
  });

  lab.test('GIVEN a signing certificate that expired after signing WHEN required THEN FAILED says when it was valid', async () => {
    const shortLived = await ca.leaf(SIGNER, { valid: '4s' });
    const { body } = await lookUp(async (reference, { digest }) => {
      await notationSign(reference(digest), shortLived, { envelope });
      await new Promise((resolve) => setTimeout(resolve, 4500));
    });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/certificate C=US, O=Example, CN=Release Signer is valid from \S+ to \S+, not at \S+/);
  });

  lab.test('GIVEN a signature that expired WHEN required THEN FAILED says when it expired', async () => {
    const { body } = await lookUp(async (reference, { digest }) => {
      await notationSign(reference(digest), signer, { envelope, expiry: '2s' });
      await new Promise((resolve) => setTimeout(resolve, 3000));
    });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/the signature expired at \S+Z/);
  });

  lab.test('GIVEN an envelope tampered with in ECR\'s storage WHEN required THEN FAILED says its bytes do not match its digest', async () => {
    const { body } = await lookUp((reference, { digest }) => notationSign(reference(digest), signer, { envelope }), {}, (ecr, artifacts) => {
      const [envelopeDigest, bytes] = [...artifacts.blobs.entries()].find(([, b]) => b.length > 500)!;
      const altered = Buffer.from(bytes);
      altered[altered.length - 10] = altered[altered.length - 10] === 0x41 ? 0x42 : 0x41;
      ecr.tamper(envelopeDigest, altered);
    });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/its envelope could not be read: blob sha256:[0-9a-f]{64} downloaded as \d+ bytes with digest sha256:[0-9a-f]{64}, not the \d+ bytes its manifest names/);
  });
});

lab.test('GIVEN a signature by another CA and one under the trusted root WHEN required THEN SUCCESS, having judged both', async () => {
  const stranger = await otherCa.leaf(SIGNER);
  const { body } = await lookUp(async (reference, { digest }) => {
    await notationSign(reference(digest), stranger, { envelope: 'cose' });
    await notationSign(reference(digest), signer, { envelope: 'jws' });
  });

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data.SignedBy).toBe(SIGNED_BY);
});

lab.test('GIVEN a Notation signature WHEN only cosign keys are trusted THEN FAILED says no Notation root is trusted', async () => {
  const { body } = await signedLookup(local, registry, {
    requirement: { CosignPublicKeys: [COSIGN_TEST_KEY] },
    sign: (reference, { digest }) => notationSign(reference(digest), signer).then(() => undefined),
  });

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toMatch(/\(referrer\): requireSignature trusts no Notation root/);
});

lab.test('GIVEN a valid signature of another image re-attached to this one WHEN required THEN FAILED says its payload signs the other digest', async () => {
  const { body, digest } = await lookUp(async (reference, { digest: target, repository }) => {
    const other = await registry.pushImage(repository, 'other');
    await notationSign(reference(other), signer);
    const [signatureDigest] = await registry.referrers(repository, other);
    const signature = JSON.parse((await registry.manifest(repository, signatureDigest))!.bytes);
    // The same envelope, in a manifest that names this image as its subject.
    const targetSize = Buffer.byteLength((await registry.manifest(repository, target))!.bytes);
    const moved = JSON.stringify({ ...signature, subject: { mediaType: OCI_MANIFEST, digest: target, size: targetSize } });
    await registry.pushManifest(repository, sha256(moved), OCI_MANIFEST, moved);
    const entry = { mediaType: OCI_MANIFEST, digest: sha256(moved), size: Buffer.byteLength(moved), artifactType: signature.artifactType };
    const referrers = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] };
    await registry.pushManifest(repository, target.replace(':', '-'), OCI_INDEX, JSON.stringify(referrers));
  });

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toMatch(new RegExp(`by ${SIGNED_BY}: JWS envelope: its payload signs sha256:[0-9a-f]{64}, not ${digest}`));
});
