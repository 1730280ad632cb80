/**
 * AWS Signer's revocation check of the signatures it made: Signer can revoke
 * a signing profile, a signing job or a certificate after the fact, and only
 * its GetRevocationStatus API tells. The inputs are the ones Signer's own
 * Notation plugin sends: the profile version and job from the signature's
 * signed attributes, its authentic signing time, and each certificate as the
 * SHA-384 of its to-be-signed part joined with its issuer's.
 */
import { createHash, X509Certificate } from 'crypto';
import { GetRevocationStatusCommand, SignerClient } from '@aws-sdk/client-signer';
import type { NotationEnvelope } from './notation-envelope';

/** The platform of Notation signatures, as Signer names it. */
const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA';
const PROFILE_VERSION = 'com.amazonaws.signer.signingProfileVersion';
const JOB = 'com.amazonaws.signer.signingJob';

/** Whether the envelope is AWS Signer's, which has revocation status to check. */
export function isSignerSignature(envelope: NotationEnvelope): boolean {
  return typeof envelope.attributes[PROFILE_VERSION] === 'string';
}

/** Why Signer says the signature is revoked or cannot tell, or undefined when it is not revoked. */
export async function revocationProblem(envelope: NotationEnvelope, abortSignal?: AbortSignal): Promise<string | undefined> {
  const profileVersionArn = envelope.attributes[PROFILE_VERSION] as string;
  const jobArn = envelope.attributes[JOB];
  if (typeof jobArn !== 'string' || envelope.authenticSigningTime === undefined) {
    return `it names signing profile ${profileVersionArn} but no signing job or authentic signing time, so its revocation status cannot be checked`;
  }
  // arn:aws:signer:<region>:<account>:/signing-profiles/<name>/<version>
  const region = profileVersionArn.split(':')[3];
  // Signer serves the revocation API on the host prefixed "data-"; an
  // endpoint set in the environment (a proxy, a test) names its host whole.
  const signer = new SignerClient({ region, maxAttempts: 3, disableHostPrefix: process.env.AWS_ENDPOINT_URL_SIGNER !== undefined });
  try {
    const { revokedEntities } = await signer.send(new GetRevocationStatusCommand({
      signatureTimestamp: envelope.authenticSigningTime,
      platformId: NOTATION_PLATFORM,
      profileVersionArn,
      jobArn,
      certificateHashes: certificateHashes(envelope.certificates),
    }), { abortSignal });
    if (revokedEntities && revokedEntities.length > 0) {
      const certificates = revokedEntities.filter((entity) => !entity.startsWith('arn:')).length;
      const resources = revokedEntities.filter((entity) => entity.startsWith('arn:'));
      return `AWS Signer has revoked ${[...resources, ...(certificates > 0 ? [`${certificates} of its certificates`] : [])].join(', ')}`;
    }
    return undefined;
  } catch (error) {
    // Failing closed, as Signer's own plugin does: an unknown status is no proof.
    return `AWS Signer's revocation status could not be read (signer:GetRevocationStatus in ${region}: ${(error as Error).name}: ${(error as Error).message})`;
  } finally {
    signer.destroy();
  }
}

/** Each certificate's SHA-384 TBS hash joined with its issuer's; a root is its own issuer. */
export function certificateHashes(chain: readonly X509Certificate[]): string[] {
  const hashes = chain.map((certificate) => createHash('sha384').update(toBeSigned(certificate.raw)).digest('hex'));
  return hashes.map((hash, index) => hash + (hashes[index + 1] ?? hash));
}

/**
 * The DER of a certificate's tbsCertificate: the first element of the
 * Certificate SEQUENCE (RFC 5280), which Node.js does not expose.
 */
function toBeSigned(der: Buffer): Buffer {
  const outer = derHeader(der, 0);
  const inner = derHeader(der, outer.contentStart);
  return der.subarray(outer.contentStart, inner.contentStart + inner.length);
}

function derHeader(der: Buffer, offset: number): { contentStart: number; length: number } {
  const first = der[offset + 1];
  if (first < 0x80) {
    return { contentStart: offset + 2, length: first };
  }
  const octets = first - 0x80;
  let length = 0;
  for (let i = 0; i < octets; i++) {
    length = length * 256 + der[offset + 2 + i];
  }
  return { contentStart: offset + 2 + octets, length };
}
