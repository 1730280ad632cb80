import { Duration } from 'aws-cdk-lib';

/**
 * The scan requirement of a lookup: the most findings of each severity the image's
 * ECR scan may report before the deployment fails.
 *
 * Works with basic scanning (scan on push, or a manual scan) and with
 * enhanced scanning (Amazon Inspector). Basic scans complete once; enhanced
 * scanning keeps rescanning, and the requirement judges the findings Inspector
 * reports at deploy time, counting its UNTRIAGED findings as UNDEFINED.
 */
export interface ScanRequirement {
  /**
   * The most CRITICAL findings allowed.
   *
   * @default 0
   */
  readonly maxCritical?: number;

  /**
   * The most HIGH findings allowed.
   *
   * @default - any number
   */
  readonly maxHigh?: number;

  /**
   * The most MEDIUM findings allowed.
   *
   * @default - any number
   */
  readonly maxMedium?: number;

  /**
   * The most LOW findings allowed.
   *
   * @default - any number
   */
  readonly maxLow?: number;

  /**
   * How long to wait for the scan when it has not started or not completed
   * yet, as right after a push with scan on push. Counts against the same
   * 14 minutes as `waitFor`.
   *
   * @default - no wait: a missing or running scan fails the deployment
   */
  readonly waitForScan?: Duration;
}

/** The severities ECR scans report, for `ImageDigestLookup.findingCount()`. */
export enum ScanSeverity {
  /** CRITICAL */
  CRITICAL = 'CRITICAL',
  /** HIGH */
  HIGH = 'HIGH',
  /** MEDIUM */
  MEDIUM = 'MEDIUM',
  /** LOW */
  LOW = 'LOW',
  /** INFORMATIONAL */
  INFORMATIONAL = 'INFORMATIONAL',
  /** UNDEFINED in basic scans, UNTRIAGED in enhanced ones. */
  UNDEFINED = 'UNDEFINED',
}
