/**
 * The signature verifier: bundled as its own file next to the handler and
 * loaded only by lookups that require a signature, so that a plain lookup's
 * cold start loads none of its libraries. It finds the signatures of the
 * subjects, judges each against the trust, and says which one passed, or
 * what was found and why each was rejected. It throws nothing of its own:
 * the handler words the failure (errors of the ECR calls pass through).
 */
import { readRoots } from './certificate-chain';
import { cosignKeys, verifyCosign } from './cosign';
import { findSignatures, FoundSignature } from './discover';
import { verifyNotation } from './notation';
import type { SignatureSources } from './sources';
import type { Verdict } from './verdict';
import type { SignatureTrust } from '../../src/shared/signature-trust';

export type { SignatureSources };

/** The outcome: the accepted signature, or why none was. */
export type SignatureOutcome =
  | { readonly valid: true; readonly signedBy: string; readonly signedAt?: string; readonly signedDigest: string; readonly found: number }
  | { readonly valid: false; readonly reason: string };

/**
 * Judges the signatures attached to any of `subjects` (the image's digest,
 * and with a platform its index's): the first valid one by a trusted signer
 * passes.
 */
export async function verifySignatures(
  sources: SignatureSources, subjects: readonly string[], trust: SignatureTrust, now: Date,
): Promise<SignatureOutcome> {
  let keys;
  let roots;
  try {
    keys = cosignKeys(trust.cosignPublicKeys);
    roots = readRoots(trust.notationRootCertificates);
  } catch (error) {
    return { valid: false, reason: (error as Error).message };
  }
  const notationTrust = { roots, identities: trust.notationTrustedIdentities, now, abortSignal: sources.abortSignal };
  const { signatures, otherReferrers } = await findSignatures(sources, subjects);
  const judged: Array<[FoundSignature, Verdict]> = [];
  for (const found of signatures) {
    const verdict = found.format === 'cosign'
      ? (keys.length === 0 ? { valid: false as const, reason: 'requireSignature trusts no cosign key' } : await verifyCosign(sources, found, keys))
      : (roots.length === 0 ? { valid: false as const, reason: 'requireSignature trusts no Notation root' }
        : (await verifyNotation(sources, found, notationTrust)).verdict);
    if (verdict.valid) {
      const signedAt = verdict.signedAt?.toISOString();
      return { valid: true, signedBy: verdict.signedBy, signedAt, signedDigest: found.subject, found: signatures.length };
    }
    judged.push([found, verdict]);
  }
  const others = otherReferrers === 0 ? '' : otherReferrers === 1 ? ' (besides 1 referrer that is no signature)' : ` (besides ${otherReferrers} referrers that are no signature)`;
  if (judged.length === 0) {
    return { valid: false, reason: `no signature is attached to ${subjects.join(' or ')}${others}` };
  }
  const lines = judged.map(([found, verdict], index) =>
    `(${index + 1}) ${describe(found)}${verdict.valid ? '' : `${verdict.signedBy ? ` by ${verdict.signedBy}` : ''}: ${verdict.reason}`}`);
  return { valid: false, reason: `${judged.length} signature${judged.length === 1 ? ' was' : 's were'} found${others}, none valid: ${lines.join('; ')}` };
}

function describe(found: FoundSignature): string {
  const via = found.via === 'tag' ? `tag ${found.subject.replace(':', '-')}.sig` : 'referrer';
  return `${found.format} signature ${found.digest} of ${found.subject} (${via})`;
}
