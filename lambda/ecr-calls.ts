/**
 * Every ECR call the handler makes, one typed function per action, in the
 * SDK's own input and output types. Each call names the request's registry
 * and repository, and whatever the SDK throws leaves here as a `LookupError`
 * worded by `explainFailure`: callers never see an SDK error.
 */
import {
  BatchGetImageCommand, type BatchGetImageCommandInput, type BatchGetImageCommandOutput,
  DescribeImagesCommand, type DescribeImagesCommandInput, type DescribeImagesCommandOutput,
  DescribeImageScanFindingsCommand, type DescribeImageScanFindingsCommandInput, type DescribeImageScanFindingsCommandOutput,
  GetDownloadUrlForLayerCommand, type GetDownloadUrlForLayerCommandInput, type GetDownloadUrlForLayerCommandOutput,
  type ServiceInputTypes, type ServiceOutputTypes,
} from '@aws-sdk/client-ecr';
import type { EcrCommand, EcrSender } from './ecr-client';
import { EcrAction, explainFailure } from './ecr-errors';
import type { LookupRequest } from './lookup-request';

/** An action's input without the repository's coordinates, which the request gives. */
type InRepository<T> = Omit<T, 'registryId' | 'repositoryName'>;

/** Images of the request's repository: by id, or a page of the whole repository. */
export function describeImages(
  ecr: EcrSender, request: LookupRequest, input: InRepository<DescribeImagesCommandInput>, abortSignal?: AbortSignal,
): Promise<DescribeImagesCommandOutput> {
  return call(ecr, request, 'DescribeImages', new DescribeImagesCommand({ ...inRepository(request), ...input }), abortSignal);
}

/** Manifests of the request's repository, as they were pushed. */
export function batchGetImage(
  ecr: EcrSender, request: LookupRequest, input: InRepository<BatchGetImageCommandInput>, abortSignal?: AbortSignal,
): Promise<BatchGetImageCommandOutput> {
  return call(ecr, request, 'BatchGetImage', new BatchGetImageCommand({ ...inRepository(request), ...input }), abortSignal);
}

/** The scan status and findings of one image of the request's repository. */
export function describeImageScanFindings(
  ecr: EcrSender, request: LookupRequest, input: InRepository<DescribeImageScanFindingsCommandInput>, abortSignal?: AbortSignal,
): Promise<DescribeImageScanFindingsCommandOutput> {
  const command = new DescribeImageScanFindingsCommand({ ...inRepository(request), ...input });
  return call(ecr, request, 'DescribeImageScanFindings', command, abortSignal, input.imageId?.imageDigest);
}

/** A short-lived URL of one layer blob (a signature's envelope or payload) of the request's repository. */
export function getDownloadUrlForLayer(
  ecr: EcrSender, request: LookupRequest, input: InRepository<GetDownloadUrlForLayerCommandInput>, abortSignal?: AbortSignal,
): Promise<GetDownloadUrlForLayerCommandOutput> {
  return call(ecr, request, 'GetDownloadUrlForLayer', new GetDownloadUrlForLayerCommand({ ...inRepository(request), ...input }), abortSignal);
}

function inRepository(request: LookupRequest): { registryId: string; repositoryName: string } {
  return { registryId: request.registryId, repositoryName: request.repositoryName };
}

async function call<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  ecr: EcrSender, request: LookupRequest, action: EcrAction, command: EcrCommand<I, O>, abortSignal: AbortSignal | undefined, digest?: string,
): Promise<O> {
  try {
    return await ecr.send(command, { abortSignal });
  } catch (error) {
    throw explainFailure(error, { request, action, digest });
  }
}
