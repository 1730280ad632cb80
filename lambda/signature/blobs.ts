import { createHash } from 'crypto';
import type { Descriptor, SignatureSources } from './sources';

/**
 * Envelopes and payloads are a few kilobytes; anything much larger is not a
 * signature, and reading it would only spend the handler's deadline.
 */
const MAX_BLOB_BYTES = 256 * 1024;

/**
 * Downloads one blob through ECR (GetDownloadUrlForLayer, then the URL it
 * gives), without a registry login, and returns it only if its bytes hash to
 * the digest the signed manifest names.
 */
export async function readBlob(sources: SignatureSources, descriptor: Descriptor): Promise<Buffer> {
  if (descriptor.size > MAX_BLOB_BYTES) {
    throw new Error(`blob ${descriptor.digest} is ${descriptor.size} bytes, more than the ${MAX_BLOB_BYTES} a signature blob may have`);
  }
  const { downloadUrl } = await sources.getDownloadUrlForLayer({ layerDigest: descriptor.digest });
  if (!downloadUrl) {
    throw new Error(`ECR gave no download URL for blob ${descriptor.digest}`);
  }
  const response = await fetch(downloadUrl, { signal: sources.abortSignal });
  if (!response.ok) {
    throw new Error(`downloading blob ${descriptor.digest} answered HTTP ${response.status}`);
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (digest !== descriptor.digest || bytes.length !== descriptor.size) {
    throw new Error(`blob ${descriptor.digest} downloaded as ${bytes.length} bytes with digest ${digest}, not the ${descriptor.size} bytes its manifest names`);
  }
  return bytes;
}
