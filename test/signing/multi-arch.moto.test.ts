/**
 * Which digest of a multi-architecture image must be signed. cosign and
 * Notation sign the digest a reference resolves to, which for a
 * multi-architecture tag is the index (cosign signs each platform's manifest
 * too only with --recursive). A lookup with a platform resolves to the
 * platform's manifest, which the index names by digest, so a signature of
 * either passes; a lookup without one resolves to the index, whose own
 * signature it needs.
 */
import { signedLookup } from './signed-lookup';
import { cosignKeyPair, cosignSign, LocalRegistry, notationSign, TestCa } from './signing-lab';
import { signingTestsOrSkip } from './tools';
import { useLocalDeployment } from '../support/local-deployment';

const local = useLocalDeployment();
const lab = signingTestsOrSkip();
const PLATFORMS = ['linux/amd64', 'linux/arm64'];

let registry: LocalRegistry;
let key: { privateKey: string; pem: string };
let ca: TestCa;
let signer: { key: string; chain: string };
beforeAll(async () => {
  if (!lab.ready) return;
  registry = await LocalRegistry.start();
  [key, ca] = await Promise.all([cosignKeyPair(), TestCa.create()]);
  signer = await ca.leaf();
}, 60_000);
afterAll(() => registry?.stop());

lab.test('GIVEN a signed index WHEN a lookup resolves linux/arm64 THEN SUCCESS: the index\'s signature covers the manifest', async () => {
  const { body, digest, manifests } = await signedLookup(local, registry, {
    requirement: { CosignPublicKeys: [key.pem] },
    platforms: PLATFORMS,
    platform: 'linux/arm64',
    sign: (reference, { digest: index }) => cosignSign(reference(index), key.privateKey),
  });

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data).toMatchObject({ Digest: manifests['linux/arm64'], IndexDigest: digest, SignedDigest: digest });
});

lab.test('GIVEN only the arm64 manifest signed (Notation) WHEN a lookup resolves linux/arm64 THEN SUCCESS names the manifest as signed', async () => {
  const { body, manifests } = await signedLookup(local, registry, {
    requirement: { NotationRootCertificates: [ca.rootPem] },
    platforms: PLATFORMS,
    platform: 'linux/arm64',
    sign: (reference, { manifests: m }) => notationSign(reference(m['linux/arm64']), signer),
  });

  expect(body.Status).toBe('SUCCESS');
  expect(body.Data).toMatchObject({ Digest: manifests['linux/arm64'], SignedDigest: manifests['linux/arm64'] });
});

lab.test('GIVEN only the amd64 manifest signed WHEN a lookup resolves linux/arm64 THEN FAILED: the other platform\'s signature does not count', async () => {
  const { body, digest, manifests } = await signedLookup(local, registry, {
    requirement: { CosignPublicKeys: [key.pem] },
    platforms: PLATFORMS,
    platform: 'linux/arm64',
    sign: (reference, { manifests: m }) => cosignSign(reference(m['linux/amd64']), key.privateKey),
  });

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toContain(`failed requireSignature: no signature is attached to ${manifests['linux/arm64']} or ${digest}.`);
});

lab.test('GIVEN only the platforms\' manifests signed WHEN a lookup without platform resolves the index THEN FAILED: the index itself must be signed', async () => {
  const { body, digest } = await signedLookup(local, registry, {
    requirement: { CosignPublicKeys: [key.pem] },
    platforms: PLATFORMS,
    sign: async (reference, { manifests: m }) => {
      for (const platform of PLATFORMS) {
        await cosignSign(reference(m[platform]), key.privateKey);
      }
    },
  });

  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toContain(`failed requireSignature: no signature is attached to ${digest}.`);
});
