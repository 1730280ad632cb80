import { describeImageScanFindings } from './ecr-calls';
import type { EcrSender } from './ecr-client';
import { LookupError } from './lookup-error';
import { describeRequest, LookupRequest } from './lookup-request';
import { exceededThresholds, SeverityCounts } from './scan-thresholds';
import type { ScanThresholds } from '../src/shared/lookup-request';

/** What ECR's scan says of an image that passed the scan requirement. */
export interface ScanVerdict {
  readonly counts: SeverityCounts;
  readonly scanType: 'basic' | 'enhanced';
}

/** Scan states that end by themselves: worth waiting for when the scan requirement may wait. */
const RUNNING = new Set(['IN_PROGRESS', 'PENDING']);

/**
 * Reads the image's scan findings and applies the scan requirement's thresholds. Basic scanning
 * reports COMPLETE once per scan; enhanced scanning (Amazon Inspector)
 * reports ACTIVE while it keeps rescanning, and its findings so far are
 * gated the same way, with Inspector's UNTRIAGED counted as UNDEFINED.
 */
export async function checkScan(
  ecr: EcrSender, request: LookupRequest, digest: string, thresholds: ScanThresholds, abortSignal?: AbortSignal,
): Promise<ScanVerdict> {
  const image = `${digest} (${describeRequest(request)})`;
  const response = await describeImageScanFindings(ecr, request, {
    imageId: { imageDigest: digest },
    // Only the severity counts are read, and they cover every finding.
    maxResults: 1,
  }, abortSignal);
  const status = response.imageScanStatus?.status ?? 'UNKNOWN';
  const findings = response.imageScanFindings;
  const scanType = status === 'ACTIVE' || findings?.enhancedFindings !== undefined ? 'enhanced' : 'basic';
  if (status !== 'COMPLETE' && status !== 'ACTIVE') {
    const detail = response.imageScanStatus?.description ? ` (${response.imageScanStatus.description})` : '';
    throw new LookupError(`The ${scanType} scan of image ${image} is ${status}${detail}, not COMPLETE, so requireScan cannot judge it: ${RUNNING.has(status) ? 'set requireScan.waitForScan to wait for it' : 'scan the image again, or remove requireScan'}.`, RUNNING.has(status));
  }
  const counts = normalise(findings?.findingSeverityCounts ?? {});
  const exceeded = exceededThresholds(thresholds, counts);
  if (exceeded.length > 0) {
    throw new LookupError(`Image ${image} failed requireScan: its ${scanType} scan found ${exceeded.join(', ')}: fix the vulnerabilities and push again, or raise requireScan's thresholds.`);
  }
  return { counts, scanType };
}

/** Inspector says UNTRIAGED where basic scanning says UNDEFINED. */
function normalise(counts: Record<string, number>): SeverityCounts {
  const { UNTRIAGED, ...rest } = counts;
  return UNTRIAGED === undefined ? rest : { ...rest, UNDEFINED: (rest.UNDEFINED ?? 0) + UNTRIAGED };
}
