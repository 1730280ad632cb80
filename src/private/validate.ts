import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { isContextPlaceholder } from './context-placeholders';
import type { ScanGateProperties } from './contract';
import type { RepositoryLocation } from './repository-location';
import { checkFindingThreshold, checkPlatform, checkRegion, checkRegistryId, checkRepositoryName, MAX_WAIT_SECONDS } from './rules';
import type { ImageSelector } from '../image-selector';
import type { ScanRequirement } from '../scan-requirement';

/** What a lookup asks for, as far as synth can check it. */
export interface LookupRequest {
  readonly repository: ecr.IRepository;
  /** The account and region of the repository's ARN. */
  readonly location: RepositoryLocation;
  readonly selector: ImageSelector;
  readonly platform?: string;
  readonly waitFor?: Duration;
  readonly requireScan?: ScanRequirement;
}

/**
 * Rejects literal values that ECR would refuse, before any resource exists.
 * Tokens pass here; the handler checks them with the same rules at deploy
 * time. So do a context provider's placeholders, which the next synth
 * replaces by the real values (checked then).
 */
export function validateRequest(scope: IConstruct, request: LookupRequest): void {
  const { repository, location, platform } = request;
  const literal = (value: string | undefined): value is string =>
    value !== undefined && !Token.isUnresolved(value) && !isContextPlaceholder(scope, value);
  const selectorValues = Object.values(request.selector._properties()).filter((value): value is string => value !== undefined);
  const problems = [
    selectorValues.every(literal) ? request.selector._problem() : undefined,
    literal(repository.repositoryName) ? checkRepositoryName('repository name', repository.repositoryName) : undefined,
    literal(location.registryId) ? checkRegistryId('repository account', location.registryId) : undefined,
    literal(location.region) ? checkRegion('repository region', location.region) : undefined,
    literal(platform) ? checkPlatform('platform', platform) : undefined,
    waitProblem('waitFor', request.waitFor),
    waitProblem('requireScan.waitForScan', request.requireScan?.waitForScan),
    totalWaitProblem(request),
    ...thresholdProblems(request.requireScan),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new Error(`ImageDigestLookup: ${problems.join(' ')}`);
  }
}

/**
 * The seconds a lookup may spend waiting, in all: for the push, then for the
 * scan. A wait that is a token can be anything up to the limit, which the
 * handler checks at deploy time.
 */
export function totalWaitSeconds(request: Pick<LookupRequest, 'waitFor' | 'requireScan'>): number {
  if (request.waitFor?.isUnresolved() || request.requireScan?.waitForScan?.isUnresolved()) {
    return MAX_WAIT_SECONDS;
  }
  const millis = (request.waitFor?.toMilliseconds() ?? 0) + (request.requireScan?.waitForScan?.toMilliseconds() ?? 0);
  return Math.ceil(millis / 1000);
}

/** The custom resource property of a scan gate; CloudFormation hands numbers over as strings anyway. */
export function scanGateProperties(requirement: ScanRequirement | undefined): ScanGateProperties | undefined {
  if (requirement === undefined) {
    return undefined;
  }
  // String() of a number token would write its encoding, not a reference.
  const text = (value: number | undefined) => (value === undefined ? undefined : Tokenization.stringifyNumber(value));
  return {
    MaxCritical: text(requirement.maxCritical ?? 0),
    MaxHigh: text(requirement.maxHigh),
    MaxMedium: text(requirement.maxMedium),
    MaxLow: text(requirement.maxLow),
    WaitForSeconds: waitSeconds(requirement.waitForScan, 'requireScan.waitForScan'),
  };
}

/** A wait as the handler reads it: whole seconds, written as a string (or a token for one). */
export function waitSeconds(waitFor: Duration | undefined, name: string): string | undefined {
  if (waitFor === undefined) {
    return undefined;
  }
  if (!waitFor.isUnresolved()) {
    return String(waitFor.toSeconds());
  }
  try {
    return Tokenization.stringifyNumber(waitFor.toSeconds());
  } catch {
    // aws-cdk-lib cannot convert a token amount between units.
    throw new Error(`ImageDigestLookup: ${name} ${waitFor.toString()} comes from a token in a unit other than seconds, which cannot be converted at synth: write it as Duration.seconds(...).`);
  }
}

function thresholdProblems(requirement: ScanRequirement | undefined): Array<string | undefined> {
  const thresholds = {
    maxCritical: requirement?.maxCritical, maxHigh: requirement?.maxHigh, maxMedium: requirement?.maxMedium, maxLow: requirement?.maxLow,
  };
  return Object.entries(thresholds)
    .filter(([, value]) => value !== undefined && !Token.isUnresolved(value))
    .map(([name, value]) => checkFindingThreshold(`requireScan.${name}`, value!));
}

function waitProblem(name: string, waitFor: Duration | undefined): string | undefined {
  if (waitFor && !waitFor.isUnresolved() && (waitFor.toMilliseconds() < 1000 || waitFor.toMilliseconds() % 1000 !== 0)) {
    return `${name} ${waitFor.toHumanString()} is not a whole number of seconds of at least 1: use Duration.seconds() or Duration.minutes(), or leave ${name} unset to fail at once.`;
  }
  return undefined;
}

function totalWaitProblem(request: LookupRequest): string | undefined {
  if (request.waitFor?.isUnresolved() || request.requireScan?.waitForScan?.isUnresolved()) {
    return undefined;
  }
  const total = totalWaitSeconds(request);
  if (total > MAX_WAIT_SECONDS) {
    const parts = request.requireScan?.waitForScan ? ` (waitFor plus requireScan.waitForScan: ${total}s)` : '';
    return `waitFor ${Duration.seconds(total).toHumanString()}${parts} is longer than the ${MAX_WAIT_SECONDS / 60} minutes a lookup can wait: Lambda stops the lookup function after 15 minutes and the handler keeps one minute to resolve the image and answer CloudFormation; wait at most ${MAX_WAIT_SECONDS / 60} minutes, or push the image earlier in the pipeline.`;
  }
  return undefined;
}
