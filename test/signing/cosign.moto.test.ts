/**
 * cosign signatures made by the real cosign (a key pair, no transparency
 * log) in a local registry, copied into moto, and judged by the shipped
 * handler with requireSignature.
 */
import { signedLookup, SignedLookupOptions } from './signed-lookup';
import { cosignKeyPair, cosignSign, LocalRegistry, OCI_INDEX, OCI_MANIFEST, sha256 } from './signing-lab';
import { signingTestsOrSkip } from './tools';
import { MOTO_ACCOUNT, REGION } from '../../local/local-ecr';
import { FAILURE_BEHAVIOUR, reasonPattern } from '../faults/failure-behaviour';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();
const lab = signingTestsOrSkip();

let registry: LocalRegistry;
let trusted: { privateKey: string; pem: string };
let other: { privateKey: string; pem: string };
beforeAll(async () => {
  if (!lab.ready) return;
  registry = await LocalRegistry.start();
  [trusted, other] = await Promise.all([cosignKeyPair(), cosignKeyPair()]);
}, 60_000);
afterAll(() => registry?.stop());

/** A lookup of a new image's tag, signed by `sign`, requiring `keys`. */
function lookUp(keys: string[], sign: (reference: string, digest: string) => Promise<void>, adjust?: SignedLookupOptions['adjust']) {
  const requirement = { CosignPublicKeys: keys };
  return signedLookup(local, registry, { requirement, sign: (reference, { digest }) => sign(reference(digest), digest), adjust });
}

const fingerprint = (pem: string) => `cosign key ${sha256(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'))}`;

lab.test('GIVEN an image signed by cosign under its .sig tag WHEN the key is trusted THEN SUCCESS names the key and the signed digest', async () => {
  const { body, digest } = await lookUp([trusted.pem], (reference) => cosignSign(reference, trusted.privateKey));

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data).toMatchObject({ Digest: digest, SignedBy: fingerprint(trusted.pem), SignedAt: '', SignedDigest: digest });
});

lab.test('GIVEN an image signed by cosign as an OCI 1.1 referrer WHEN the key is trusted THEN SUCCESS', async () => {
  const { body, digest, artifacts } = await lookUp([trusted.pem], (reference) => cosignSign(reference, trusted.privateKey, { referrers: true }));

  expect([...artifacts.referrers.values()]).toEqual([{ subject: digest, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' }]);
  expect(body.Status).toBe('SUCCESS');
  expect(body.Data.SignedBy).toBe(fingerprint(trusted.pem));
});

lab.test('GIVEN an unsigned image WHEN a signature is required THEN FAILED names the digest and says no signature is attached', async () => {
  const { body, digest, repository } = await lookUp([trusted.pem], async () => {});

  expect(body.Status).toBe(FAILURE_BEHAVIOUR.unsignedImage.status);
  expect(body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.unsignedImage));
  expect(body.Reason).toBe(`Image ${digest} (tag "main" in repository "${repository}" (registry ${MOTO_ACCOUNT}, region ${REGION})) failed requireSignature: no signature is attached to ${digest}. Sign the image with a trusted key or certificate (see the README's "Only signed images"), or trust its signer.`);
});

lab.test('GIVEN an image signed by another key WHEN only the trusted key is accepted THEN FAILED says the signature verifies with none of the trusted keys', async () => {
  const { body, digest } = await lookUp([trusted.pem], (reference) => cosignSign(reference, other.privateKey));

  expect(body.Status).toBe(FAILURE_BEHAVIOUR.untrustedCosignKey.status);
  expect(body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.untrustedCosignKey));
  expect(body.Reason).toMatch(new RegExp(`1 signature was found, none valid: \\(1\\) cosign signature sha256:[0-9a-f]{64} of ${digest} \\(tag sha256-[0-9a-f]{64}\\.sig\\): the signature over payload sha256:[0-9a-f]{64} verifies with none of the 1 trusted cosign key`));
});

lab.test('GIVEN two signatures, by another key and by the trusted one WHEN required THEN SUCCESS names the trusted key', async () => {
  const { body } = await lookUp([trusted.pem], async (reference) => {
    await cosignSign(reference, other.privateKey);
    await cosignSign(reference, trusted.privateKey);
  });

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data.SignedBy).toBe(fingerprint(trusted.pem));
});

lab.test('GIVEN a payload tampered with in the registry WHEN required THEN FAILED says its bytes do not match the digest the manifest names', async () => {
  const { body } = await lookUp([trusted.pem], (reference) => cosignSign(reference, trusted.privateKey), (ecr, artifacts) => {
    const [payloadDigest, payload] = [...artifacts.blobs.entries()].find(([, bytes]) => bytes.toString('utf8').includes('docker-manifest-digest'))!;
    ecr.tamper(payloadDigest, Buffer.from(payload.toString('utf8').replace(/sha256:[0-9a-f]{64}/, `sha256:${'0'.repeat(64)}`)));
  });

  expect(body.Status).toBe(FAILURE_BEHAVIOUR.tamperedSignature.status);
  expect(body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.tamperedSignature));
  expect(body.Reason).toMatch(/its payload could not be read: blob sha256:[0-9a-f]{64} downloaded as \d+ bytes with digest sha256:[0-9a-f]{64}, not the \d+ bytes its manifest names/);
});

lab.test('GIVEN a valid signature of another digest moved under this image\'s .sig tag WHEN required THEN FAILED says the payload signs the other digest', async () => {
  const { body, digest } = await lookUp([trusted.pem], async (reference, signedDigest) => {
    // Sign another image, then give its signature manifest this image's .sig tag.
    const repository = reference.split('@')[0].split('/').slice(1).join('/');
    const otherDigest = await registry.pushImage(repository, 'other');
    await cosignSign(registry.reference(repository, otherDigest), trusted.privateKey);
    const signature = (await registry.manifest(repository, `${otherDigest.replace(':', '-')}.sig`))!;
    await registry.pushManifest(repository, `${signedDigest.replace(':', '-')}.sig`, signature.mediaType, signature.bytes);
  });

  expect(body.Status).toBe(FAILURE_BEHAVIOUR.otherDigestSignature.status);
  expect(body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.otherDigestSignature));
  expect(body.Reason).toMatch(new RegExp(`by ${fingerprint(trusted.pem).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: its payload signs sha256:[0-9a-f]{64}, not ${digest}`));
});

lab.test('GIVEN a lookup with requireSignature WHEN the image is signed THEN the handler reads the envelope through GetDownloadUrlForLayer', async () => {
  const { actions } = await lookUp([trusted.pem], (reference) => cosignSign(reference, trusted.privateKey));

  expect(actions).toContain('GetDownloadUrlForLayer');
});

lab.test('GIVEN an unsigned image with an SBOM attached as a referrer WHEN required THEN FAILED counts the referrer that is no signature', async () => {
  const { body, digest } = await lookUp([trusted.pem], async (reference, target) => {
    const repository = reference.split('@')[0].split('/').slice(1).join('/');
    const sbom = await registry.pushBlob(repository, Buffer.from('{"spdxVersion":"SPDX-2.3"}'));
    const empty = await registry.pushBlob(repository, Buffer.from('{}'));
    const targetSize = Buffer.byteLength((await registry.manifest(repository, target))!.bytes);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/spdx+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', ...empty },
      layers: [{ mediaType: 'application/spdx+json', ...sbom }],
      subject: { mediaType: OCI_MANIFEST, digest: target, size: targetSize },
    });
    await registry.pushManifest(repository, sha256(manifest), OCI_MANIFEST, manifest);
    const entry = { mediaType: OCI_MANIFEST, digest: sha256(manifest), size: Buffer.byteLength(manifest), artifactType: 'application/spdx+json' };
    await registry.pushManifest(repository, target.replace(':', '-'), OCI_INDEX, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] }));
  });

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toContain(`failed requireSignature: no signature is attached to ${digest} (besides 1 referrer that is no signature).`);
});
