/**
 * The X.509 rules of Notation signatures, with Node.js's own
 * X509Certificate: each certificate issued and signed by the next, every
 * issuer a CA, the chain ending at (or under) a trusted root, every
 * certificate valid at the time the signing scheme names, and a leaf that may
 * sign code.
 */
import { X509Certificate } from 'crypto';

const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

/** Reads PEM roots (one certificate a string), naming the one Node.js cannot read. */
export function readRoots(pems: readonly string[]): X509Certificate[] {
  return pems.map((pem, index) => {
    try {
      return new X509Certificate(pem);
    } catch (error) {
      throw new Error(`requireSignature.notationRootCertificates[${index}] is not a PEM certificate: ${(error as Error).message}`);
    }
  });
}

/** The subject of a certificate as one line, `C=US, O=Example, CN=Signer`. */
export function subjectOf(certificate: X509Certificate): string {
  return certificate.subject.split('\n').join(', ');
}

/**
 * Why `chain` (leaf first) does not lead to a trusted root at time `at`, or
 * undefined when it does.
 */
export function chainProblem(chain: readonly X509Certificate[], roots: readonly X509Certificate[], at: Date): string | undefined {
  if (chain.length === 0) {
    return 'it carries no certificate';
  }
  const leaf = chain[0];
  if (leaf.ca) {
    return `its signing certificate (${subjectOf(leaf)}) is a CA certificate, which Notation does not accept as a signer`;
  }
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(CODE_SIGNING)) {
    return `its signing certificate (${subjectOf(leaf)}) is not for code signing (extended key usages ${leaf.keyUsage.join(', ')})`;
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    const [certificate, issuer] = [chain[i], chain[i + 1]];
    if (!issuer.ca || !certificate.checkIssued(issuer) || !certificate.verify(issuer.publicKey)) {
      return `certificate ${subjectOf(certificate)} is not issued and signed by the next one in its chain, CA ${subjectOf(issuer)}`;
    }
  }
  const last = chain[chain.length - 1];
  const root = roots.find((r) => r.fingerprint256 === last.fingerprint256)
    ?? roots.find((r) => last.checkIssued(r) && last.verify(r.publicKey));
  if (root === undefined) {
    return `its chain ends at ${subjectOf(last)}, which is not and is not signed by any of the ${roots.length} trusted root${roots.length === 1 ? '' : 's'}`;
  }
  for (const certificate of root === last ? chain : [...chain, root]) {
    if (at < new Date(certificate.validFrom) || at > new Date(certificate.validTo)) {
      return `certificate ${subjectOf(certificate)} is valid from ${new Date(certificate.validFrom).toISOString()} to ${new Date(certificate.validTo).toISOString()}, not at ${at.toISOString()}`;
    }
  }
  return undefined;
}

/**
 * Whether `subject` matches a trusted identity written as in a Notation
 * trust policy (`C=US,O=Example,CN=Signer`): each attribute it names must be
 * in the subject with that value, in any order.
 */
export function matchesIdentity(certificate: X509Certificate, identity: string): boolean {
  const subject = new Set(certificate.subject.split('\n').map((part) => part.trim()));
  const wanted = identity.replace(/^x509\.subject:\s*/, '').split(',').map((part) => part.trim()).filter((part) => part !== '');
  return wanted.length > 0 && wanted.every((part) => subject.has(part.replace(/\s*=\s*/, '=')));
}
