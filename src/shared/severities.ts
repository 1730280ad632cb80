/**
 * The severities ECR scans report: the one table that the construct (options,
 * wire keys, attributes) and the handler (verdict, counts) both read.
 * `ScanSeverity` and `ScanRequirement` in the public API are tied to it by
 * type, so a severity missing from either fails to compile.
 */

/** What a lookup knows of one severity. */
export interface SeverityEntry {
  /** The attribute that carries how many findings of this severity the scan reported. */
  readonly attribute: string;
  /** The threshold that bounds this severity, if `requireScan` can bound it. */
  readonly threshold?: {
    /** The key under `ScanGate` in the custom resource's properties. */
    readonly wireKey: string;
    /** The `ScanRequirement` option. */
    readonly option: string;
    /** The bound when the option is unset; unbounded when absent. */
    readonly defaultMax?: number;
  };
}

/** Every severity, most severe first: the order in which verdicts name them. */
export const SEVERITIES = {
  CRITICAL: { attribute: 'FindingsCritical', threshold: { wireKey: 'MaxCritical', option: 'maxCritical', defaultMax: 0 } },
  HIGH: { attribute: 'FindingsHigh', threshold: { wireKey: 'MaxHigh', option: 'maxHigh' } },
  MEDIUM: { attribute: 'FindingsMedium', threshold: { wireKey: 'MaxMedium', option: 'maxMedium' } },
  LOW: { attribute: 'FindingsLow', threshold: { wireKey: 'MaxLow', option: 'maxLow' } },
  INFORMATIONAL: { attribute: 'FindingsInformational' },
  // Inspector's UNTRIAGED is counted here (see lambda/scan.ts).
  UNDEFINED: { attribute: 'FindingsUndefined' },
} as const satisfies Record<string, SeverityEntry>;

type Table = typeof SEVERITIES;

/** A severity as ECR names it. */
export type Severity = keyof Table;

/** The severities a threshold can bound. */
export type BoundedSeverity = { [S in Severity]: Table[S] extends { threshold: object } ? S : never }[Severity];

/** The key under `ScanGate` of each bounded severity's threshold. */
export type ThresholdWireKey = Table[BoundedSeverity]['threshold']['wireKey'];

/** The `ScanRequirement` option of each bounded severity's threshold. */
export type ThresholdOption = Table[BoundedSeverity]['threshold']['option'];

/** The attribute of each severity's count. */
export type SeverityAttribute = Table[Severity]['attribute'];

/** Every severity, most severe first. */
export const ALL_SEVERITIES = Object.keys(SEVERITIES) as Severity[];

/** The severities a threshold can bound, most severe first. */
export const BOUNDED_SEVERITIES = ALL_SEVERITIES.filter((severity): severity is BoundedSeverity => 'threshold' in SEVERITIES[severity]);

/** The threshold of a bounded severity. */
export interface Threshold {
  readonly wireKey: ThresholdWireKey;
  readonly option: ThresholdOption;
  readonly defaultMax?: number;
}

/** The threshold entry of a bounded severity. */
export function thresholdOf(severity: BoundedSeverity): Threshold {
  return SEVERITIES[severity].threshold;
}
