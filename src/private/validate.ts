import { Duration, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { checkPlatform, checkRegion, checkRegistryId, checkRepositoryName, MAX_WAIT_SECONDS } from './rules';
import type { ImageSelector } from '../image-selector';

/** What a lookup asks for, as far as synth can check it. */
export interface LookupRequest {
  readonly repository: ecr.IRepository;
  readonly selector: ImageSelector;
  readonly platform?: string;
  readonly waitFor?: Duration;
  /** Seconds the scan gate may wait for a scan, counted against the same limit as `waitFor`. */
  readonly scanWaitSeconds?: number;
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
    waitProblem(request),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new Error(`ImageDigestLookup: ${problems.join(' ')}`);
  }
}

/** The seconds a lookup may spend waiting, in all. */
export function totalWaitSeconds(request: LookupRequest): number {
  return (request.waitFor?.toSeconds() ?? 0) + (request.scanWaitSeconds ?? 0);
}

function waitProblem(request: LookupRequest): string | undefined {
  const waitFor = request.waitFor;
  if (waitFor && (waitFor.toMilliseconds() < 1000 || waitFor.toMilliseconds() % 1000 !== 0)) {
    return `waitFor ${waitFor.toHumanString()} is not a whole number of seconds of at least 1: use Duration.seconds() or Duration.minutes(), or leave waitFor unset to fail at once when the image is missing.`;
  }
  const total = totalWaitSeconds(request);
  if (total > MAX_WAIT_SECONDS) {
    const parts = request.scanWaitSeconds ? ` (waitFor plus the scan gate's waitFor: ${total}s)` : '';
    return `waitFor ${Duration.seconds(total).toHumanString()}${parts} is longer than the ${MAX_WAIT_SECONDS / 60} minutes a lookup can wait: Lambda stops the lookup function after 15 minutes and the handler keeps one minute to resolve the image and answer CloudFormation; wait at most ${MAX_WAIT_SECONDS / 60} minutes, or push the image earlier in the pipeline.`;
  }
  return undefined;
}
