/**
 * The signature requirement's hook: hands the verifier the ECR calls of this
 * lookup and turns its outcome into the lookup's verdict. The verifier is
 * loaded here, on first use: it ships as its own file (signature/verify.js
 * next to index.js), so lookups without the requirement never load it.
 */
import { batchGetImage, describeImages, getDownloadUrlForLayer } from './ecr-calls';
import type { EcrSender } from './ecr-client';
import { describeRequest, LookupError, LookupRequest } from './lookup-request';
import type { ImageFacts } from './resolve';
import type { SignatureSources } from './signature/verify.js';
import { readSignatureTrust } from '../src/shared/signature-trust';

/** The signature that passed, as the attributes expose it. */
export interface SignatureFacts {
  readonly signedBy: string;
  readonly signedAt?: string;
  readonly signedDigest: string;
}

/**
 * Fails unless the image carries a valid signature by a signer the request
 * trusts: on its own digest or, when a platform's manifest was picked out of
 * an index, on the index's.
 */
export async function checkSignature(ecr: EcrSender, request: LookupRequest, facts: ImageFacts, abortSignal?: AbortSignal): Promise<SignatureFacts> {
  const trust = request.signatureRequirement!;
  const { verifySignatures } = await import('./signature/verify.js');
  const sources: SignatureSources = {
    describeImages: (input) => describeImages(ecr, request, input, abortSignal),
    batchGetImage: (input) => batchGetImage(ecr, request, input, abortSignal),
    getDownloadUrlForLayer: (input) => getDownloadUrlForLayer(ecr, request, input, abortSignal),
    abortSignal,
  };
  const subjects = facts.indexDigest === undefined ? [facts.digest] : [facts.digest, facts.indexDigest];
  const outcome = await verifySignatures(sources, subjects, trust, new Date());
  if (!outcome.valid) {
    throw new LookupError(`Image ${facts.digest} (${describeRequest(request)}) failed requireSignature: ${outcome.reason}. Sign the image with a trusted key or certificate (see the README's "Only signed images"), or trust its signer.`);
  }
  return outcome;
}

/**
 * The signature attributes of the image a rollback restores. The template
 * being restored may read them with Fn::GetAtt, so they must be there; the
 * image passed the requirement when it was deployed, so a failure here (a
 * signature since deleted, a revoked job) is logged and answered with empty
 * values rather than leaving the stack in UPDATE_ROLLBACK_FAILED.
 */
export async function deployedSignature(
  ecr: EcrSender, request: LookupRequest, facts: ImageFacts, requirement: unknown, abortSignal?: AbortSignal,
): Promise<SignatureFacts> {
  try {
    const trust = readSignatureTrust(requirement, (message) => new LookupError(message));
    return await checkSignature(ecr, { ...request, signatureRequirement: trust }, facts, abortSignal);
  } catch (error) {
    console.warn(`The deployed image's signature no longer verifies (${(error as Error).message}); its signature attributes are answered empty.`);
    return { signedBy: '', signedAt: '', signedDigest: '' };
  }
}
