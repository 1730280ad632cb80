/**
 * Notation's two envelope formats, JWS (`application/jose+json`) and
 * COSE_Sign1 (`application/cose`), read into one shape: the signed
 * attributes, the payload, the certificate chain, and a check of the
 * signature with the signing certificate's key. jose verifies JWS; for COSE,
 * cbor-x decodes the message and encodes the Sig_structure of RFC 9052, which
 * Node.js's crypto verifies.
 */
import { constants, KeyObject, verify as verifySignature, X509Certificate } from 'crypto';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type Cbor = typeof import('cbor-x', { with: { 'resolution-mode': 'import' } });

export const JWS_MEDIA_TYPE = 'application/jose+json';
export const COSE_MEDIA_TYPE = 'application/cose';
export const PAYLOAD_CONTENT_TYPE = 'application/vnd.cncf.notary.payload.v1+json';

/**
 * The critical attributes a verifier understands: Notation's own, and AWS
 * Signer's, which name the signing profile and job (the revocation check's
 * inputs). Any other critical attribute rejects the signature, as the
 * Notation specification requires.
 */
export const KNOWN_CRITICAL = [
  'io.cncf.notary.signingScheme', 'io.cncf.notary.expiry', 'io.cncf.notary.authenticSigningTime',
  'com.amazonaws.signer.signingProfileVersion', 'com.amazonaws.signer.signingJob', 'com.amazonaws.signer.signingProfileAlias',
];

/** A Notation envelope, read but not yet verified. */
export interface NotationEnvelope {
  readonly format: 'JWS' | 'COSE';
  readonly contentType?: unknown;
  readonly signingScheme?: unknown;
  readonly signingTime?: Date;
  readonly authenticSigningTime?: Date;
  readonly expiry?: Date;
  readonly critical: readonly string[];
  /** Signed attributes outside Notation's own, such as AWS Signer's. */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly payload: Buffer;
  /** Leaf first. */
  readonly certificates: X509Certificate[];
  /** Whether the signature verifies with the signing certificate's key. */
  readonly verify: (key: KeyObject) => Promise<boolean>;
}

/** Reads an envelope of either format; jose and cbor-x are ES modules, imported when first needed. */
export async function readEnvelope(mediaType: string | undefined, bytes: Buffer): Promise<NotationEnvelope> {
  if (mediaType === JWS_MEDIA_TYPE) {
    return readJws(bytes, await import('jose'));
  }
  if (mediaType === COSE_MEDIA_TYPE) {
    return readCose(bytes, await import('cbor-x'));
  }
  throw new Error(`its envelope's media type ${JSON.stringify(mediaType)} is neither ${JWS_MEDIA_TYPE} nor ${COSE_MEDIA_TYPE}`);
}

function readJws(bytes: Buffer, { flattenedVerify }: Jose): NotationEnvelope {
  const jws = JSON.parse(bytes.toString('utf8')) as { protected?: string; payload?: string; signature?: string; header?: { x5c?: string[] } };
  if (typeof jws.protected !== 'string' || typeof jws.payload !== 'string' || typeof jws.signature !== 'string') {
    throw new Error('its JWS envelope lacks the protected header, the payload or the signature');
  }
  const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')) as Record<string, unknown>;
  const time = (name: string) => (typeof header[name] === 'string' ? new Date(header[name] as string) : undefined);
  const crit = Array.isArray(header.crit) ? header.crit.map(String) : [];
  return {
    format: 'JWS',
    contentType: header.cty,
    signingScheme: header['io.cncf.notary.signingScheme'],
    signingTime: time('io.cncf.notary.signingTime'),
    authenticSigningTime: time('io.cncf.notary.authenticSigningTime'),
    expiry: time('io.cncf.notary.expiry'),
    critical: crit,
    attributes: header,
    payload: Buffer.from(jws.payload, 'base64url'),
    certificates: (jws.header?.x5c ?? []).map((der) => new X509Certificate(Buffer.from(der, 'base64'))),
    verify: async (key) => {
      try {
        // jose refuses critical parameters missing from this list, and any
        // listed one that is not in the protected header.
        await flattenedVerify({ protected: jws.protected!, payload: jws.payload!, signature: jws.signature! }, key, {
          crit: Object.fromEntries(KNOWN_CRITICAL.map((name) => [name, true])),
          algorithms: ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
        });
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** COSE algorithm identifiers Notation allows (RFC 9053), as Node.js's verify takes them. */
const COSE_ALGORITHMS: Record<number, { hash: string; pss: boolean }> = {
  [-7]: { hash: 'sha256', pss: false },
  [-35]: { hash: 'sha384', pss: false },
  [-36]: { hash: 'sha512', pss: false },
  [-37]: { hash: 'sha256', pss: true },
  [-38]: { hash: 'sha384', pss: true },
  [-39]: { hash: 'sha512', pss: true },
};
const COSE_SIGN1_TAG = 18;
const HEADER_ALG = 1;
const HEADER_CRIT = 2;
const HEADER_CONTENT_TYPE = 3;
const HEADER_X5CHAIN = 33;

function readCose(bytes: Buffer, { Decoder, Encoder, Tag }: Cbor): NotationEnvelope {
  // Maps keep their integer labels, which objects would turn into strings.
  const decoder = new Decoder({ mapsAsObjects: false });
  const message = decoder.decode(bytes) as unknown;
  const parts = message instanceof Tag && message.tag === COSE_SIGN1_TAG ? message.value : message;
  if (!Array.isArray(parts) || parts.length !== 4) {
    throw new Error('its COSE envelope is not a COSE_Sign1 message');
  }
  const [protectedBytes, unprotected, payload, signature] = parts as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
  const header = decoder.decode(Buffer.from(protectedBytes)) as Map<unknown, unknown>;
  const time = (name: string) => {
    const value = header.get(name);
    return value instanceof Date ? value : value instanceof Tag && value.tag === 1 ? new Date(Number(value.value) * 1000) : undefined;
  };
  const chain = unprotected.get(HEADER_X5CHAIN);
  const ders = Array.isArray(chain) ? chain : chain === undefined ? [] : [chain];
  const crit = header.get(HEADER_CRIT);
  return {
    format: 'COSE',
    contentType: header.get(HEADER_CONTENT_TYPE),
    signingScheme: header.get('io.cncf.notary.signingScheme'),
    signingTime: time('io.cncf.notary.signingTime'),
    authenticSigningTime: time('io.cncf.notary.authenticSigningTime'),
    expiry: time('io.cncf.notary.expiry'),
    critical: Array.isArray(crit) ? crit.map(String) : [],
    attributes: Object.fromEntries([...header].filter(([label]) => typeof label === 'string')) as Record<string, unknown>,
    payload: Buffer.from(payload),
    certificates: ders.map((der: Uint8Array) => new X509Certificate(Buffer.from(der))),
    verify: async (key) => {
      const algorithm = COSE_ALGORITHMS[header.get(HEADER_ALG) as number];
      if (algorithm === undefined || (Array.isArray(crit) && crit.some((name) => !KNOWN_CRITICAL.includes(String(name))))) {
        return false;
      }
      // RFC 9052 section 4.4: the bytes that were signed.
      const signed = new Encoder({ useRecords: false }).encode(['Signature1', Buffer.from(protectedBytes), Buffer.alloc(0), Buffer.from(payload)]);
      const options = algorithm.pss
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : { key, dsaEncoding: 'ieee-p1363' as const };
      try {
        return verifySignature(algorithm.hash, signed, options, Buffer.from(signature));
      } catch {
        return false;
      }
    },
  };
}
