import { StartImageScanCommand } from '@aws-sdk/client-ecr';
import { LocalEcr, MOTO_ACCOUNT, motoEndpoint, REGION } from './local-ecr';

export interface ScanResult {
  readonly status: string;
  readonly counts?: Record<string, number>;
  /** Enhanced scanning (Amazon Inspector) lists enhancedFindings instead of findings. */
  readonly enhanced?: boolean;
}

/**
 * Starts a scan of the image in moto and sets what DescribeImageScanFindings
 * returns for it, through moto's scan-finding-results endpoint.
 */
export async function scanImage(ecr: LocalEcr, repositoryName: string, digest: string, result: ScanResult): Promise<void> {
  await ecr.client.send(new StartImageScanCommand({ repositoryName, imageId: { imageDigest: digest } }));
  const response = {
    registryId: MOTO_ACCOUNT,
    repositoryName,
    imageId: { imageDigest: digest },
    imageScanStatus: { status: result.status, description: `The scan is ${result.status}.` },
    imageScanFindings: {
      findingSeverityCounts: result.counts ?? {},
      ...(result.enhanced ? { enhancedFindings: [] } : { findings: [] }),
    },
  };
  const posted = await fetch(`${motoEndpoint()}/moto-api/static/ecr/scan-finding-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ results: [response], region: REGION }),
  });
  if (posted.status !== 201) {
    throw new Error(`moto refused the scan findings: HTTP ${posted.status}`);
  }
}
