/**
 * The construct's checks of a signature requirement's keys and certificates:
 * a PEM that Node.js cannot read is named at synth, not at the first
 * deployment. Tokens pass; the handler reads them at deploy time.
 */
import { createPublicKey, X509Certificate } from 'crypto';
import { Token } from 'aws-cdk-lib';
import { SignatureTrust, signatureTrustProblem } from '../shared/signature-trust';
import type { SignatureRequirement } from '../signature-requirement';

/** The trust `requirement` describes, and every problem of its literal values. */
export function signatureTrust(requirement: SignatureRequirement): { trust: SignatureTrust; problems: string[] } {
  const trust: SignatureTrust = {
    cosignPublicKeys: requirement.cosignPublicKeys ?? [],
    notationRootCertificates: requirement.notationRootCertificates ?? [],
    notationTrustedIdentities: requirement.notationTrustedIdentities ?? [],
  };
  const lists = [trust.cosignPublicKeys, trust.notationRootCertificates, trust.notationTrustedIdentities];
  // A list from a parameter is one token: its length is not known at synth.
  const problems = lists.some((list) => Token.isUnresolved(list)) ? [] : [signatureTrustProblem(trust)];
  problems.push(...literals(trust.cosignPublicKeys).map(([index, pem]) => publicKeyProblem(index, pem)));
  problems.push(...literals(trust.notationRootCertificates).map(([index, pem]) => rootProblem(index, pem)));
  return { trust, problems: problems.filter((problem): problem is string => problem !== undefined) };
}

function literals(list: string[]): Array<[number, string]> {
  return Token.isUnresolved(list) ? [] : list.map((item, index) => [index, item] as [number, string]).filter(([, item]) => !Token.isUnresolved(item));
}

function publicKeyProblem(index: number, pem: string): string | undefined {
  try {
    createPublicKey(pem);
    return undefined;
  } catch (error) {
    return `requireSignature.cosignPublicKeys[${index}] (${preview(pem)}) is not a PEM public key (${(error as Error).message}): pass the contents of the cosign.pub that \`cosign generate-key-pair\` wrote.`;
  }
}

function rootProblem(index: number, pem: string): string | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (error) {
    return `requireSignature.notationRootCertificates[${index}] (${preview(pem)}) is not a PEM certificate (${(error as Error).message}): pass the root certificate's PEM text.`;
  }
  if (!certificate.ca) {
    return `requireSignature.notationRootCertificates[${index}] (subject ${certificate.subject.replace(/\n/g, ', ')}) is not a CA certificate, so no chain can end at it: pass the root certificate of the signing certificates, not the signing certificate itself.`;
  }
  return undefined;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}
