/**
 * Notation's X.509 rules on certificates made by Go's crypto/x509 (through
 * notation-signer), so that each rule is tried on certificates notation-go
 * would refuse to sign with, which no signature in ECR could carry.
 */
import { X509Certificate } from 'crypto';
import { readFileSync } from 'fs';
import { chainProblem, matchesIdentity } from '../../../lambda/signature/certificate-chain';
import { TestCa } from '../../signing/signing-lab';
import { signingTestsOrSkip } from '../../signing/tools';

const lab = signingTestsOrSkip();

function chainOf(file: string): X509Certificate[] {
  return readFileSync(file, 'utf8').split(/(?=-----BEGIN CERTIFICATE-----)/).map((pem) => new X509Certificate(pem));
}

let ca: TestCa;
let root: X509Certificate;
beforeAll(async () => {
  if (!lab.ready) return;
  ca = await TestCa.create();
  root = new X509Certificate(ca.rootPem);
});

lab.test('GIVEN a code-signing leaf and its root WHEN judged now THEN the chain passes', async () => {
  const chain = chainOf((await ca.leaf()).chain);

  expect(chainProblem(chain, [root], new Date())).toBeUndefined();
  expect(chainProblem(chain.slice(0, 1), [root], new Date())).toBeUndefined();
});

lab.test('GIVEN a leaf for TLS servers WHEN judged THEN it is not for code signing', async () => {
  const chain = chainOf((await ca.leaf('C=US,O=Example,CN=web', { usage: 'server-auth' })).chain);

  expect(chainProblem(chain, [root], new Date())).toBe('its signing certificate (C=US, O=Example, CN=web) is not for code signing (extended key usages 1.3.6.1.5.5.7.3.1)');
});

lab.test('GIVEN the root itself as the signing certificate WHEN judged THEN a CA is refused as a signer', () => {
  expect(chainProblem([root], [root], new Date())).toMatch(/is a CA certificate, which Notation does not accept as a signer/);
});

lab.test('GIVEN a chain in the wrong order WHEN judged THEN the pair that does not chain is named', async () => {
  const [leaf, issuer] = chainOf((await ca.leaf()).chain);

  expect(chainProblem([leaf, leaf, issuer], [root], new Date())).toMatch(/is not issued and signed by the next one in its chain/);
});

lab.test('GIVEN a time before the leaf was issued WHEN judged THEN its validity period is named', async () => {
  const chain = chainOf((await ca.leaf()).chain);

  expect(chainProblem(chain, [root], new Date(Date.now() - 86_400_000))).toMatch(/^certificate C=US, O=Example, CN=Release Signer is valid from/);
});

lab.test('GIVEN trusted identities WHEN matched THEN every named attribute must be in the subject, in any order', async () => {
  const [leaf] = chainOf((await ca.leaf('C=US,O=Example,CN=Release Signer')).chain);

  expect(matchesIdentity(leaf, 'CN=Release Signer,O=Example')).toBe(true);
  expect(matchesIdentity(leaf, 'x509.subject: C=US, O=Example, CN=Release Signer')).toBe(true);
  expect(matchesIdentity(leaf, 'O=Example,CN=Release')).toBe(false);
  expect(matchesIdentity(leaf, 'O=Example,CN=Release Signer,OU=Build')).toBe(false);
  expect(matchesIdentity(leaf, '')).toBe(false);
});
