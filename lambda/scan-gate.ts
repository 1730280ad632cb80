/**
 * The scan gate's thresholds and their verdict: pure functions of the gate
 * and the severity counts that ECR reports.
 */
import { LookupError } from './lookup-error';
import { MAX_WAIT_SECONDS } from '../src/private/rules';

/** The severities a gate can bound, most severe first. */
export const GATED_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type GatedSeverity = (typeof GATED_SEVERITIES)[number];

/** The most findings of each severity an image may have; an absent severity is not bounded. */
export interface ScanGate {
  readonly max: Partial<Record<GatedSeverity, number>>;
  /** How long to wait for a scan that is still running, in seconds. */
  readonly waitForSeconds: number;
}

/** Severity counts as ECR reports them: basic scanning's and Inspector's names alike. */
export type SeverityCounts = Partial<Record<string, number>>;

const PROPERTY_OF: Record<GatedSeverity, string> = { CRITICAL: 'MaxCritical', HIGH: 'MaxHigh', MEDIUM: 'MaxMedium', LOW: 'MaxLow' };

/** Reads the `ScanGate` property; CloudFormation hands numbers over as strings. */
export function readScanGate(value: unknown): ScanGate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LookupError(`The lookup's property ScanGate is ${JSON.stringify(value)}, not an object of thresholds: deploy the resource with the ImageDigestLookup construct.`);
  }
  const props = value as Record<string, unknown>;
  const max: Partial<Record<GatedSeverity, number>> = {};
  for (const severity of GATED_SEVERITIES) {
    const raw = props[PROPERTY_OF[severity]];
    if (raw === undefined) {
      continue;
    }
    const count = Number(raw);
    if ((typeof raw !== 'string' && typeof raw !== 'number') || raw === '' || !Number.isInteger(count) || count < 0) {
      throw new LookupError(`The lookup's property ScanGate.${PROPERTY_OF[severity]} is ${JSON.stringify(raw)}, not a whole number of findings of 0 or more: set requireScan's thresholds to whole numbers.`);
    }
    max[severity] = count;
  }
  const waitForSeconds = props.WaitForSeconds === undefined ? 0 : Number(props.WaitForSeconds);
  if (!Number.isInteger(waitForSeconds) || waitForSeconds < 0 || waitForSeconds > MAX_WAIT_SECONDS) {
    throw new LookupError(`The lookup's property ScanGate.WaitForSeconds is ${JSON.stringify(props.WaitForSeconds)}, not a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}: deploy the resource with the ImageDigestLookup construct, which checks it at synth.`);
  }
  return { max, waitForSeconds };
}

/**
 * The thresholds the counts exceed, as phrases such as `2 CRITICAL (at most
 * 0 allowed)`; empty when the image passes the gate.
 */
export function breaches(gate: ScanGate, counts: SeverityCounts): string[] {
  return GATED_SEVERITIES.flatMap((severity) => {
    const allowed = gate.max[severity];
    const found = counts[severity] ?? 0;
    return allowed !== undefined && found > allowed ? [`${found} ${severity} (at most ${allowed} allowed)`] : [];
  });
}
