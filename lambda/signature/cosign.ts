/**
 * cosign signatures made with a key pair: each layer of the signature
 * manifest is a simple-signing payload, and its annotation holds the
 * signature over the payload's bytes. The payload must name the digest the
 * signature is attached to, and the signature must verify with a trusted key.
 */
import { createHash, createPublicKey, KeyObject, verify } from 'crypto';
import { readBlob } from './blobs';
import type { FoundSignature } from './discover';
import type { Descriptor, SignatureSources } from './sources';
import { rejected, Verdict } from './verdict';

const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
const SIGNATURE_TYPE = 'cosign container image signature';

/** A trusted key and the name attributes and messages give it. */
export interface CosignKey {
  readonly key: KeyObject;
  readonly name: string;
}

/** Reads the trusted PEM keys; a key Node.js cannot read fails the lookup, naming it. */
export function cosignKeys(pems: readonly string[]): CosignKey[] {
  return pems.map((pem, index) => {
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch (error) {
      throw new Error(`requireSignature.cosignPublicKeys[${index}] is not a PEM public key: ${(error as Error).message}`);
    }
    const fingerprint = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
    return { key, name: `cosign key sha256:${fingerprint}` };
  });
}

/**
 * Judges one cosign signature manifest. cosign adds a layer per signing, so
 * one valid layer is enough.
 */
export async function verifyCosign(sources: SignatureSources, found: FoundSignature, keys: readonly CosignKey[]): Promise<Verdict> {
  const layers = (found.manifest.layers ?? []).filter((layer) => layer.mediaType === SIMPLE_SIGNING);
  if (layers.length === 0) {
    return rejected('it has no simple-signing layer');
  }
  const reasons: string[] = [];
  let signedBy: string | undefined;
  for (const layer of layers) {
    const verdict = await verifyLayer(sources, found.subject, layer, keys);
    if (verdict.valid) {
      return verdict;
    }
    reasons.push(verdict.reason);
    signedBy ??= verdict.signedBy;
  }
  return rejected(reasons.join('; '), signedBy);
}

async function verifyLayer(sources: SignatureSources, subject: string, layer: Descriptor, keys: readonly CosignKey[]): Promise<Verdict> {
  const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
  if (!signature) {
    return rejected(`layer ${layer.digest} has no ${SIGNATURE_ANNOTATION} annotation`);
  }
  let payload: Buffer;
  try {
    payload = await readBlob(sources, layer);
  } catch (error) {
    return rejected(`its payload could not be read: ${(error as Error).message}`);
  }
  const signer = keys.find(({ key }) => verifies(key, payload, Buffer.from(signature, 'base64')));
  if (!signer) {
    return rejected(`the signature over payload ${layer.digest} verifies with none of the ${keys.length} trusted cosign key${keys.length === 1 ? '' : 's'}`);
  }
  let signed: { critical?: { type?: string; image?: { 'docker-manifest-digest'?: string } } };
  try {
    signed = JSON.parse(payload.toString('utf8'));
  } catch {
    return rejected('its payload is not JSON', signer.name);
  }
  if (signed.critical?.type !== SIGNATURE_TYPE) {
    return rejected(`its payload's critical.type is ${JSON.stringify(signed.critical?.type)}, not "${SIGNATURE_TYPE}"`, signer.name);
  }
  const named = signed.critical.image?.['docker-manifest-digest'];
  if (named !== subject) {
    return rejected(`its payload signs ${named ?? 'no digest'}, not ${subject}`, signer.name);
  }
  return { valid: true, signedBy: signer.name };
}

/** cosign signs the SHA-256 of the payload (ECDSA in DER, RSA PKCS #1 v1.5), or the payload itself with Ed25519. */
function verifies(key: KeyObject, payload: Buffer, signature: Buffer): boolean {
  try {
    return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', payload, key, signature);
  } catch {
    return false;
  }
}
