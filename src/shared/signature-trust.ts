/**
 * What a signature requirement trusts, as both sides hold it, and its wire
 * form: the one writer and the one reader of the `SignatureRequirement`
 * property, called by `toProperties` and `fromProperties`.
 */
import type { SignatureRequirementProperties } from './contract';

/** The signers a lookup trusts. An empty list trusts nothing of its kind. */
export interface SignatureTrust {
  /** PEM public keys that may sign with cosign. */
  readonly cosignPublicKeys: string[];
  /** PEM root certificates that Notation signing certificates must chain to. */
  readonly notationRootCertificates: string[];
  /** Notation signing certificate subjects accepted; empty for any under a trusted root. */
  readonly notationTrustedIdentities: string[];
}

/** The property for `trust`; each list is left out when empty, so a template names only what is set. */
export function signatureTrustProperties(trust: SignatureTrust): SignatureRequirementProperties {
  const listed = (list: string[]) => (list.length === 0 ? undefined : list);
  return {
    CosignPublicKeys: listed(trust.cosignPublicKeys),
    NotationRootCertificates: listed(trust.notationRootCertificates),
    NotationTrustedIdentities: listed(trust.notationTrustedIdentities),
  };
}

/** Reads the property as the handler receives it; `fail` makes the error. */
export function readSignatureTrust(value: unknown, fail: (message: string) => Error): SignatureTrust {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(`The lookup's property SignatureRequirement is ${JSON.stringify(value)}, not an object: deploy the resource with the ImageDigestLookup construct.`);
  }
  const received = value as Record<string, unknown>;
  const list = (key: keyof SignatureRequirementProperties): string[] => {
    const items = received[key] ?? [];
    if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) {
      throw fail(`The lookup's property SignatureRequirement.${key} is ${JSON.stringify(items).slice(0, 200)}, not a list of strings: set requireSignature.${optionOf(key)} to a list of PEM strings.`);
    }
    return items as string[];
  };
  const trust: SignatureTrust = {
    cosignPublicKeys: list('CosignPublicKeys'),
    notationRootCertificates: list('NotationRootCertificates'),
    notationTrustedIdentities: list('NotationTrustedIdentities'),
  };
  const problem = signatureTrustProblem(trust);
  if (problem !== undefined) {
    throw fail(problem);
  }
  return trust;
}

function optionOf(key: keyof SignatureRequirementProperties): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

/**
 * The rule both sides apply: a requirement must trust some signer, or it
 * could never pass; identities narrow Notation roots, so they need one.
 * Lists that are tokens at synth are skipped by the caller.
 */
export function signatureTrustProblem(trust: SignatureTrust): string | undefined {
  if (trust.cosignPublicKeys.length === 0 && trust.notationRootCertificates.length === 0) {
    return 'requireSignature trusts no signer, so no image could pass it: set cosignPublicKeys (cosign) or notationRootCertificates (Notation, AWS Signer), or remove requireSignature.';
  }
  if (trust.notationTrustedIdentities.length > 0 && trust.notationRootCertificates.length === 0) {
    return 'requireSignature.notationTrustedIdentities is set without notationRootCertificates, but Notation identities are trusted only under a trusted root: set notationRootCertificates as well.';
  }
  return undefined;
}
