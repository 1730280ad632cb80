/**
 * The verdict of a scan requirement: a pure function of its thresholds and
 * the severity counts that ECR reports. Reading the thresholds is the shared
 * reader's job.
 */
import type { ScanThresholds } from '../src/shared/lookup-request';
import { BOUNDED_SEVERITIES } from '../src/shared/severities';

/** Severity counts as ECR reports them: basic scanning's and Inspector's names alike. */
export type SeverityCounts = Partial<Record<string, number>>;

/**
 * The thresholds the counts exceed, as phrases such as `2 CRITICAL (at most
 * 0 allowed)`; empty when the image meets the requirement.
 */
export function exceededThresholds(thresholds: ScanThresholds, counts: SeverityCounts): string[] {
  return BOUNDED_SEVERITIES.flatMap((severity) => {
    const allowed = thresholds.max[severity];
    const found = counts[severity] ?? 0;
    return allowed !== undefined && found > allowed ? [`${found} ${severity} (at most ${allowed} allowed)`] : [];
  });
}
