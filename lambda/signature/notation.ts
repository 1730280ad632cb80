/**
 * Notation signatures (the notation CLI, AWS Signer, ECR managed signing),
 * judged by the rules of the Notation signature specification: the payload
 * names the digest, the content type and signing scheme are Notation's, every
 * critical attribute is understood, the signature verifies with the signing
 * certificate, the chain leads to a trusted root at the time the scheme
 * names, the signature has not expired, and the signer is a trusted identity.
 */
import type { X509Certificate } from 'crypto';
import { readBlob } from './blobs';
import { chainProblem, matchesIdentity, subjectOf } from './certificate-chain';
import type { FoundSignature } from './discover';
import { KNOWN_CRITICAL, NotationEnvelope, PAYLOAD_CONTENT_TYPE, readEnvelope } from './notation-envelope';
import { isSignerSignature, revocationProblem } from './revocation';
import type { SignatureSources } from './sources';
import { rejected, Verdict } from './verdict';

/** The trust a Notation signature is judged against. */
export interface NotationTrust {
  readonly roots: readonly X509Certificate[];
  /** Certificate subjects, or AWS Signer signing profile ARNs; empty for any signer under a root. */
  readonly identities: readonly string[];
  readonly now: Date;
  readonly abortSignal?: AbortSignal;
}

/** A Notation signature that passed every rule, with what a revocation check needs. */
export interface NotationSigner {
  readonly envelope: NotationEnvelope;
  readonly signedBy: string;
  readonly signedAt?: Date;
}

export async function verifyNotation(
  sources: SignatureSources, found: FoundSignature, trust: NotationTrust,
): Promise<{ verdict: Verdict; signer?: NotationSigner }> {
  const layers = found.manifest.layers ?? [];
  if (layers.length !== 1) {
    return { verdict: rejected(`it has ${layers.length} layers, not the one envelope of a Notation signature`) };
  }
  let envelope: NotationEnvelope;
  try {
    envelope = await readEnvelope(layers[0].mediaType, await readBlob(sources, layers[0]));
  } catch (error) {
    return { verdict: rejected(`its envelope could not be read: ${(error as Error).message}`) };
  }
  const leaf = envelope.certificates[0];
  const signedBy = leaf === undefined ? undefined : subjectOf(leaf);
  const problem = await envelopeProblem(envelope, found.subject, trust);
  if (problem !== undefined) {
    return { verdict: rejected(`${envelope.format} envelope: ${problem}`, signedBy) };
  }
  const signedAt = envelope.authenticSigningTime ?? envelope.signingTime;
  return { verdict: { valid: true, signedBy: signedBy!, signedAt }, signer: { envelope, signedBy: signedBy!, signedAt } };
}

async function envelopeProblem(envelope: NotationEnvelope, subject: string, trust: NotationTrust): Promise<string | undefined> {
  if (envelope.contentType !== PAYLOAD_CONTENT_TYPE) {
    return `its content type is ${JSON.stringify(envelope.contentType)}, not ${PAYLOAD_CONTENT_TYPE}`;
  }
  const scheme = envelope.signingScheme;
  if (scheme !== 'notary.x509' && scheme !== 'notary.x509.signingAuthority') {
    return `its signing scheme is ${JSON.stringify(scheme)}, not notary.x509 or notary.x509.signingAuthority`;
  }
  const unknown = envelope.critical.filter((name) => !KNOWN_CRITICAL.includes(name));
  if (unknown.length > 0 || !envelope.critical.includes('io.cncf.notary.signingScheme')) {
    return unknown.length > 0 ? `it has critical attributes no verifier here understands: ${unknown.join(', ')}` : 'its signing scheme is not marked critical';
  }
  const leaf = envelope.certificates[0];
  if (leaf === undefined) {
    return 'it carries no certificate chain';
  }
  if (!await envelope.verify(leaf.publicKey)) {
    return `the signature does not verify with the key of its signing certificate (${subjectOf(leaf)})`;
  }
  let target: { targetArtifact?: { digest?: string } };
  try {
    target = JSON.parse(envelope.payload.toString('utf8'));
  } catch {
    return 'its payload is not JSON';
  }
  if (target.targetArtifact?.digest !== subject) {
    return `its payload signs ${target.targetArtifact?.digest ?? 'no digest'}, not ${subject}`;
  }
  // A signing authority vouches for its signing time, so the chain is judged
  // then; a plain notary.x509 signing time is the signer's own word, so the
  // chain must be valid now.
  const authentic = scheme === 'notary.x509.signingAuthority';
  if (authentic && envelope.authenticSigningTime === undefined) {
    return 'its signing scheme is notary.x509.signingAuthority, but it has no authentic signing time';
  }
  const chain = chainProblem(envelope.certificates, trust.roots, authentic ? envelope.authenticSigningTime! : trust.now);
  if (chain !== undefined) {
    return chain;
  }
  if (envelope.expiry !== undefined && trust.now > envelope.expiry) {
    return `the signature expired at ${envelope.expiry.toISOString()}`;
  }
  // Every AWS account's Signer profiles chain to the same AWS Signer root, so
  // that root alone would accept anyone's signature (Signer's own plugin
  // refuses a wildcard identity for the same reason).
  if (trust.identities.length === 0 && signingProfileOf(envelope) !== undefined) {
    return `it is AWS Signer's (signing profile ${signingProfileOf(envelope)}), whose root every AWS account's signing profiles share, and requireSignature names no trusted identity: set notationTrustedIdentities to your signing profile ARNs`;
  }
  if (trust.identities.length > 0 && !trust.identities.some((identity) => matchesIdentity(leaf, identity) || profileMatches(envelope, identity))) {
    return `its signer ${subjectOf(leaf)}${signingProfileOf(envelope) ? ` (signing profile ${signingProfileOf(envelope)})` : ''} is none of the trusted identities ${trust.identities.map((i) => JSON.stringify(i)).join(', ')}`;
  }
  // Last: the only check that calls out, and only for AWS Signer's signatures.
  return isSignerSignature(envelope) ? revocationProblem(envelope, trust.abortSignal) : undefined;
}

/** AWS Signer's signing profile version ARN, which it writes into every signature it makes. */
export function signingProfileOf(envelope: NotationEnvelope): string | undefined {
  const value = envelope.attributes['com.amazonaws.signer.signingProfileVersion'];
  return typeof value === 'string' ? value : undefined;
}

/** A trusted identity that is a signing profile ARN matches each version of that profile. */
function profileMatches(envelope: NotationEnvelope, identity: string): boolean {
  const profile = signingProfileOf(envelope);
  return identity.startsWith('arn:') && profile !== undefined && (profile === identity || profile.startsWith(`${identity}/`));
}
