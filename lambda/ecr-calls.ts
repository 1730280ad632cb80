/**
 * Every ECR call the handler makes, one typed function per action, in the
 * SDK's own input and output types. Each call names the request's registry
 * and repository, and whatever the SDK throws leaves here as a `LookupError`
 * worded by `explainFailure`: callers never see an SDK error.
 */
import {
  BatchDeleteImageCommand, type BatchDeleteImageCommandInput, type BatchDeleteImageCommandOutput,
  BatchGetImageCommand, type BatchGetImageCommandInput, type BatchGetImageCommandOutput,
  DescribeImagesCommand, type DescribeImagesCommandInput, type DescribeImagesCommandOutput,
  DescribeImageScanFindingsCommand, type DescribeImageScanFindingsCommandInput, type DescribeImageScanFindingsCommandOutput,
  GetLifecyclePolicyCommand, PutImageCommand, type PutImageCommandInput,
  UpdateImageStorageClassCommand, type UpdateImageStorageClassCommandOutput,
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

/**
 * Images of the request's repository by id, or undefined when ECR has none of
 * them (or no such repository): for a release, which has nothing to do then.
 */
export async function describeImagesIfPresent(
  ecr: EcrSender, request: LookupRequest, input: InRepository<DescribeImagesCommandInput>, abortSignal?: AbortSignal,
): Promise<DescribeImagesCommandOutput | undefined> {
  const command = new DescribeImagesCommand({ ...inRepository(request), ...input });
  return callOr(ecr, request, 'DescribeImages', command, abortSignal, ['ImageNotFoundException', 'RepositoryNotFoundException']);
}

/**
 * Puts a manifest under a tag; `'exists'` when ECR already has that tag (on
 * this image: ImageAlreadyExistsException; on an immutable repository, maybe
 * on another: ImageTagAlreadyExistsException), which the caller must tell apart.
 */
export async function putImage(
  ecr: EcrSender, request: LookupRequest, input: InRepository<PutImageCommandInput>, abortSignal?: AbortSignal,
): Promise<'put' | 'exists'> {
  const command = new PutImageCommand({ ...inRepository(request), ...input });
  const put = await callOr(ecr, request, 'PutImage', command, abortSignal, ['ImageAlreadyExistsException', 'ImageTagAlreadyExistsException']);
  return put === undefined ? 'exists' : 'put';
}

/** Removes tags (or images) of the request's repository; what ECR could not remove is in `failures`. */
export function batchDeleteImage(
  ecr: EcrSender, request: LookupRequest, input: InRepository<BatchDeleteImageCommandInput>, abortSignal?: AbortSignal,
): Promise<BatchDeleteImageCommandOutput> {
  return call(ecr, request, 'BatchDeleteImage', new BatchDeleteImageCommand({ ...inRepository(request), ...input }), abortSignal);
}

/** The repository's lifecycle policy text; undefined when it has none. */
export async function getLifecyclePolicy(ecr: EcrSender, request: LookupRequest, abortSignal?: AbortSignal): Promise<string | undefined> {
  const command = new GetLifecyclePolicyCommand(inRepository(request));
  const found = await callOr(ecr, request, 'GetLifecyclePolicy', command, abortSignal, ['LifecyclePolicyNotFoundException']);
  return found?.lifecyclePolicyText;
}

/** Asks ECR to move an archived image back to standard storage; it is ACTIVATING until it is restored. */
export function restoreImage(
  ecr: EcrSender, request: LookupRequest, digest: string, abortSignal?: AbortSignal,
): Promise<UpdateImageStorageClassCommandOutput> {
  const command = new UpdateImageStorageClassCommand({ ...inRepository(request), imageId: { imageDigest: digest }, targetStorageClass: 'STANDARD' });
  return call(ecr, request, 'UpdateImageStorageClass', command, abortSignal, digest);
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

/** `call`, answering undefined when ECR refuses with one of `absentOn`. */
async function callOr<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  ecr: EcrSender, request: LookupRequest, action: EcrAction, command: EcrCommand<I, O>, abortSignal: AbortSignal | undefined, absentOn: string[],
): Promise<O | undefined> {
  try {
    return await ecr.send(command, { abortSignal });
  } catch (error) {
    if (absentOn.includes((error as { name?: string }).name ?? '')) {
      return undefined;
    }
    throw explainFailure(error, { request, action });
  }
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
