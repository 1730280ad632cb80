/**
 * What the verifier reads, and how: the ECR calls of the handler's own seam,
 * handed over by the main bundle (so the verifier bundles no second ECR
 * client and every failure is already one worded sentence), and the types of
 * the manifests it reads.
 */
import type {
  BatchGetImageCommandInput, BatchGetImageCommandOutput, DescribeImagesCommandInput, DescribeImagesCommandOutput,
  GetDownloadUrlForLayerCommandInput, GetDownloadUrlForLayerCommandOutput,
} from '@aws-sdk/client-ecr';

type InRepository<T> = Omit<T, 'registryId' | 'repositoryName'>;

/** The ECR calls on the lookup's repository, bound to its request and deadline. */
export interface SignatureSources {
  readonly describeImages: (input: InRepository<DescribeImagesCommandInput>) => Promise<DescribeImagesCommandOutput>;
  readonly batchGetImage: (input: InRepository<BatchGetImageCommandInput>) => Promise<BatchGetImageCommandOutput>;
  readonly getDownloadUrlForLayer: (input: InRepository<GetDownloadUrlForLayerCommandInput>) => Promise<GetDownloadUrlForLayerCommandOutput>;
  /** Ends the downloads of blobs when the handler must answer. */
  readonly abortSignal?: AbortSignal;
}

/** An OCI content descriptor. */
export interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Record<string, string>;
}

/** The parts of an OCI image manifest that signatures use. */
export interface OciManifest {
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly config?: Descriptor;
  readonly layers?: Descriptor[];
  readonly subject?: Descriptor;
}
