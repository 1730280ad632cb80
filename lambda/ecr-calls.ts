/**
 * Every ECR call the handler makes, one typed function per action, in the
 * SDK's own input and output types. Each call names the target's registry
 * and repository, and whatever the SDK throws leaves here as a `LookupError`
 * worded by `explainFailure`: callers never see an SDK error.
 */
import {
  BatchGetImageCommand, type BatchGetImageCommandInput, type BatchGetImageCommandOutput,
  DescribeImagesCommand, type DescribeImagesCommandInput, type DescribeImagesCommandOutput,
  DescribeImageScanFindingsCommand, type DescribeImageScanFindingsCommandInput, type DescribeImageScanFindingsCommandOutput,
  type ServiceInputTypes, type ServiceOutputTypes,
} from '@aws-sdk/client-ecr';
import type { EcrCommand, EcrSender } from './ecr-client';
import { EcrAction, explainFailure } from './ecr-errors';
import type { ImageTarget } from './target';

/** An action's input without the repository's coordinates, which the target gives. */
type InRepository<T> = Omit<T, 'registryId' | 'repositoryName'>;

/** Images of the target's repository: by id, or a page of the whole repository. */
export function describeImages(
  ecr: EcrSender, target: ImageTarget, input: InRepository<DescribeImagesCommandInput>, abortSignal?: AbortSignal,
): Promise<DescribeImagesCommandOutput> {
  return call(ecr, target, 'DescribeImages', new DescribeImagesCommand({ ...inRepository(target), ...input }), abortSignal);
}

/** Manifests of the target's repository, as they were pushed. */
export function batchGetImage(
  ecr: EcrSender, target: ImageTarget, input: InRepository<BatchGetImageCommandInput>, abortSignal?: AbortSignal,
): Promise<BatchGetImageCommandOutput> {
  return call(ecr, target, 'BatchGetImage', new BatchGetImageCommand({ ...inRepository(target), ...input }), abortSignal);
}

/** The scan status and findings of one image of the target's repository. */
export function describeImageScanFindings(
  ecr: EcrSender, target: ImageTarget, input: InRepository<DescribeImageScanFindingsCommandInput>, abortSignal?: AbortSignal,
): Promise<DescribeImageScanFindingsCommandOutput> {
  const command = new DescribeImageScanFindingsCommand({ ...inRepository(target), ...input });
  return call(ecr, target, 'DescribeImageScanFindings', command, abortSignal, input.imageId?.imageDigest);
}

function inRepository(target: ImageTarget): { registryId: string; repositoryName: string } {
  return { registryId: target.registryId, repositoryName: target.repositoryName };
}

async function call<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  ecr: EcrSender, target: ImageTarget, action: EcrAction, command: EcrCommand<I, O>, abortSignal: AbortSignal | undefined, digest?: string,
): Promise<O> {
  try {
    return await ecr.send(command, { abortSignal });
  } catch (error) {
    throw explainFailure(error, { target, action, digest });
  }
}
