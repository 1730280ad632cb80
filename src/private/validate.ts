import { Duration, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { ScanGateProperties } from './contract';
import { checkFindingThreshold, checkPlatform, checkRegion, checkRegistryId, checkRepositoryName, MAX_WAIT_SECONDS } from './rules';
import type { ImageSelector } from '../image-selector';
import type { ScanRequirement } from '../scan-requirement';

/** What a lookup asks for, as far as synth can check it. */
export interface LookupRequest {
  readonly repository: ecr.IRepository;
  readonly selector: ImageSelector;
  readonly platform?: string;
  readonly waitFor?: Duration;
  readonly requireScan?: ScanRequirement;
}

/**
 * Rejects literal values that ECR would refuse, before any resource exists.
 * Tokens pass here; the handler checks them with the same rules at deploy time.
 */
export function validateRequest(request: LookupRequest): void {
  const { repository, platform } = request;
  const literal = (value: string | undefined): value is string => value !== undefined && !Token.isUnresolved(value);
  const problems = [
    request.selector._problem(),
    literal(repository.repositoryName) ? checkRepositoryName('repository name', repository.repositoryName) : undefined,
    literal(repository.env.account) ? checkRegistryId('repository account', repository.env.account) : undefined,
    literal(repository.env.region) ? checkRegion('repository region', repository.env.region) : undefined,
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

/** The seconds a lookup may spend waiting, in all: for the push, then for the scan. */
export function totalWaitSeconds(request: LookupRequest): number {
  const millis = (request.waitFor?.toMilliseconds() ?? 0) + (request.requireScan?.waitForScan?.toMilliseconds() ?? 0);
  return Math.ceil(millis / 1000);
}

/** The custom resource property of a scan gate; CloudFormation hands numbers over as strings anyway. */
export function scanGateProperties(requirement: ScanRequirement | undefined): ScanGateProperties | undefined {
  if (requirement === undefined) {
    return undefined;
  }
  const text = (value: number | undefined) => (value === undefined ? undefined : String(value));
  return {
    MaxCritical: String(requirement.maxCritical ?? 0),
    MaxHigh: text(requirement.maxHigh),
    MaxMedium: text(requirement.maxMedium),
    MaxLow: text(requirement.maxLow),
    WaitForSeconds: text(requirement.waitForScan?.toSeconds()),
  };
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
  if (waitFor && (waitFor.toMilliseconds() < 1000 || waitFor.toMilliseconds() % 1000 !== 0)) {
    return `${name} ${waitFor.toHumanString()} is not a whole number of seconds of at least 1: use Duration.seconds() or Duration.minutes(), or leave ${name} unset to fail at once.`;
  }
  return undefined;
}

function totalWaitProblem(request: LookupRequest): string | undefined {
  const total = totalWaitSeconds(request);
  if (total > MAX_WAIT_SECONDS) {
    const parts = request.requireScan?.waitForScan ? ` (waitFor plus requireScan.waitForScan: ${total}s)` : '';
    return `waitFor ${Duration.seconds(total).toHumanString()}${parts} is longer than the ${MAX_WAIT_SECONDS / 60} minutes a lookup can wait: Lambda stops the lookup function after 15 minutes and the handler keeps one minute to resolve the image and answer CloudFormation; wait at most ${MAX_WAIT_SECONDS / 60} minutes, or push the image earlier in the pipeline.`;
  }
  return undefined;
}
