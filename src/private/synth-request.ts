/**
 * The construct's side of the shared request: builds one `LookupRequest`
 * from the props and checks it with the shared rules before any resource
 * exists. Tokens pass, and so do a context provider's placeholders, which the
 * next synth replaces by the real values (checked then); the handler checks
 * whatever was a token with the same rules at deploy time.
 */
import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isContextPlaceholder } from './context-placeholders';
import { repositoryLocation } from './repository-location';
import { signatureTrust } from './signature-keys';
import type { ImageDigestLookupProps } from '../image-digest-lookup-props';
import { ImageSelector } from '../image-selector';
import type { ScanRequirement, ScanSeverity } from '../scan-requirement';
import { LookupRequest, requestProblems, ScanThresholds } from '../shared/lookup-request';
import { checkFindingThreshold, MAX_WAIT_SECONDS } from '../shared/rules';
import { describeSelector } from '../shared/selectors';
import { BOUNDED_SEVERITIES, BoundedSeverity, Severity, thresholdOf, ThresholdOption } from '../shared/severities';

// The public ScanSeverity enum and ScanRequirement's thresholds must be
// literal for jsii; these lines fail to compile when either leaves SEVERITIES.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function sameTypes<A, B>(_same: Same<A, B>): void {}
sameTypes<`${ScanSeverity}`, Severity>(true);
sameTypes<Exclude<keyof ScanRequirement, 'waitForScan'>, ThresholdOption>(true);

/** The request `props` describe, checked; throws naming the lookup's path and every problem found. */
export function lookupRequest(scope: IConstruct, props: ImageDigestLookupProps): LookupRequest {
  const path = scope.node.path;
  if (props.tag !== undefined && props.image !== undefined) {
    throw new Error(`ImageDigestLookup ${path}: both tag ${JSON.stringify(props.tag)} and image (${describeSelector(props.image._selector())}) are set, but a lookup selects one image: keep one of them.`);
  }
  const repository = props.repository;
  const location = repositoryLocation(scope, repository);
  const requirement = props.requireScan;
  const names: LookupRequest = {
    registryId: location.registryId,
    region: location.region,
    repositoryName: repository.repositoryName,
    selector: (props.image ?? ImageSelector.tag(props.tag ?? 'latest'))._selector(),
    platform: props.platform,
    waitForSeconds: 0,
  };
  const literal = (value: string) => !Token.isUnresolved(value) && !isContextPlaceholder(scope, value);
  const problems = [
    ...requestProblems(names, 'input', literal),
    waitProblem('waitFor', props.waitFor),
    waitProblem('requireScan.waitForScan', requirement?.waitForScan),
    totalWaitProblem(props.waitFor, requirement?.waitForScan),
    ...thresholdProblems(requirement),
    props.failOnLifecycleRisk && !props.holdImage
      ? 'failOnLifecycleRisk is set without holdImage, but only a held image is checked against the lifecycle policy: set holdImage: true, or leave failOnLifecycleRisk unset.'
      : undefined,
    ...(props.requireSignature ? signatureTrust(props.requireSignature).problems : []),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new Error(`ImageDigestLookup ${path}: ${problems.join(' ')}`);
  }
  return {
    ...names,
    waitForSeconds: seconds(path, 'waitFor', props.waitFor),
    scanRequirement: requirement && scanThresholds(path, requirement),
    hold: props.holdImage ? { failOnLifecycleRisk: props.failOnLifecycleRisk ?? false } : undefined,
    restoreArchived: props.restoreArchived ? true : undefined,
    signatureRequirement: props.requireSignature && signatureTrust(props.requireSignature).trust,
  };
}

/**
 * The seconds a lookup may spend waiting, in all: for the push, then for the
 * scan. A wait that is a token can be anything up to the limit, which the
 * handler checks at deploy time.
 */
export function totalWaitSeconds(request: LookupRequest): number {
  const waits = [request.waitForSeconds, request.scanRequirement?.waitForSeconds ?? 0];
  return waits.some((wait) => Token.isUnresolved(wait)) ? MAX_WAIT_SECONDS : waits[0] + waits[1];
}

function scanThresholds(path: string, requirement: ScanRequirement): ScanThresholds {
  const max: Partial<Record<BoundedSeverity, number>> = {};
  for (const severity of BOUNDED_SEVERITIES) {
    const threshold = thresholdOf(severity);
    const value = requirement[threshold.option] ?? threshold.defaultMax;
    if (value !== undefined) {
      max[severity] = value;
    }
  }
  return { max, waitForSeconds: seconds(path, 'requireScan.waitForScan', requirement.waitForScan) };
}

/** A wait in whole seconds (a number token when the duration is a token); 0 when unset. */
function seconds(path: string, name: string, wait: Duration | undefined): number {
  if (wait === undefined) {
    return 0;
  }
  try {
    return wait.toSeconds();
  } catch {
    // aws-cdk-lib cannot convert a token amount between units.
    throw new Error(`ImageDigestLookup ${path}: ${name} ${wait.toString()} comes from a token in a unit other than seconds, which cannot be converted at synth: write it as Duration.seconds(...).`);
  }
}

function thresholdProblems(requirement: ScanRequirement | undefined): Array<string | undefined> {
  return BOUNDED_SEVERITIES.map((severity) => thresholdOf(severity).option)
    .map((option) => [option, requirement?.[option]] as const)
    .filter(([, value]) => value !== undefined && !Token.isUnresolved(value))
    .map(([option, value]) => checkFindingThreshold(`requireScan.${option}`, value!));
}

function waitProblem(name: string, waitFor: Duration | undefined): string | undefined {
  if (waitFor && !waitFor.isUnresolved() && (waitFor.toMilliseconds() < 1000 || waitFor.toMilliseconds() % 1000 !== 0)) {
    return `${name} ${waitFor.toHumanString()} is not a whole number of seconds of at least 1: use Duration.seconds() or Duration.minutes(), or leave ${name} unset to fail at once.`;
  }
  return undefined;
}

function totalWaitProblem(waitFor: Duration | undefined, waitForScan: Duration | undefined): string | undefined {
  if (waitFor?.isUnresolved() || waitForScan?.isUnresolved()) {
    return undefined;
  }
  const total = Math.ceil(((waitFor?.toMilliseconds() ?? 0) + (waitForScan?.toMilliseconds() ?? 0)) / 1000);
  if (total > MAX_WAIT_SECONDS) {
    const parts = waitForScan ? ` (waitFor plus requireScan.waitForScan: ${total}s)` : '';
    return `waitFor ${Duration.seconds(total).toHumanString()}${parts} is longer than the ${MAX_WAIT_SECONDS / 60} minutes a lookup can wait: Lambda stops the lookup function after 15 minutes and the handler keeps one minute to resolve the image and answer CloudFormation; wait at most ${MAX_WAIT_SECONDS / 60} minutes, or push the image earlier in the pipeline.`;
  }
  return undefined;
}
