/**
 * Archived images: ECR keeps them listed (DescribeImages reports ARCHIVED)
 * but refuses to serve them until they are restored, which
 * UpdateImageStorageClass starts; the image is ACTIVATING until it is ACTIVE.
 * With restoreArchived the lookup starts the restore and, within waitFor,
 * polls until the image can be pulled.
 */
import { restoreImage } from './ecr-calls';
import type { EcrSender } from './ecr-client';
import { ArchivedImage, LookupError } from './lookup-error';
import { describeRequest, LookupRequest } from './lookup-request';
import { ImageFacts, resolveImage } from './resolve';

/**
 * An attempt at `resolveImage` that restores an archived image when the
 * request asks for it: the restore is asked for once per lookup (ECR may
 * still report ARCHIVED for a moment after), and the failure that follows is
 * waitable, so that `untilReady` polls through ACTIVATING until ACTIVE.
 */
export function restoringResolver(ecr: EcrSender, request: LookupRequest, abortSignal?: AbortSignal): () => Promise<ImageFacts> {
  const asked = new Set<string>();
  return async () => {
    try {
      return await resolveImage(ecr, request, abortSignal);
    } catch (error) {
      if (!(error instanceof ArchivedImage) || !request.restoreArchived) {
        throw error;
      }
      if (!asked.has(error.digest)) {
        asked.add(error.digest);
        await restoreImage(ecr, request, error.digest, abortSignal);
        console.log(`Image ${error.digest} (${describeRequest(request)}) was ARCHIVED: asked ECR to restore it to standard storage.`);
      }
      throw new LookupError(`Image ${error.digest} for ${describeRequest(request)} was ARCHIVED; the lookup asked ECR to restore it (restoreArchived), and it is not ACTIVE yet: deploy again once it is, or set waitFor to wait for the restore.`, true);
    }
  };
}
