/**
 * Update requests sent while CloudFormation rolls a stack back.
 *
 * A failed update is rolled back with an Update whose ResourceProperties are
 * the previous template's and whose PhysicalResourceId is the one the stack
 * holds: the id of the image deployed before the failed update (a FAILED
 * answer keeps the id, and an Update that succeeded with the same digest kept
 * it too). Looking the tag up again would be wrong in both cases that matter:
 * when the lookup's own update failed its gate (requireScan, a platform the
 * new index lacks), the tag still points at the refused image and the
 * rollback would fail the same way, leaving the stack in
 * UPDATE_ROLLBACK_FAILED; and when another resource failed while the tag
 * moved, the rollback would resolve an image that was never deployed. So
 * during a rollback the lookup answers with the image its physical id names,
 * without gates. (An Update that succeeded with a new digest is a
 * replacement: CloudFormation restores the previous resource without asking
 * and sends a Delete of the new id in the cleanup.)
 */
import type { CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import { toAttributes } from './attributes';
import type { Success } from './cfn-response';
import type { EcrSender } from './ecr-client';
import type { LookupRequest } from './lookup-request';
import { DeployedImage, deployedImageOf, physicalIdOf } from './physical-id';
import { ImageFacts, resolveImage } from './resolve';
import { checkScan } from './scan';
import type { SeverityCounts } from './scan-thresholds';
import { deployedSignature } from './signatures';

/** The stack status during which CloudFormation sends the Updates that restore the previous template. */
export const UPDATE_ROLLBACK = 'UPDATE_ROLLBACK_IN_PROGRESS';

/** What a rollback needs from the outside: the stack's status and an ECR client for a region. */
export interface RollbackServices {
  readonly stackStatus: (stackId: string, abortSignal?: AbortSignal) => Promise<string | undefined>;
  readonly ecrIn: (region: string) => EcrSender;
}

/**
 * The image to restore when the Update is part of a rollback; undefined for a
 * forward update, or when the status cannot be read (the lookup then runs as
 * it always did, which is right for every forward update).
 */
export async function rollbackTarget(
  event: CloudFormationCustomResourceUpdateEvent, services: RollbackServices, abortSignal?: AbortSignal,
): Promise<DeployedImage | undefined> {
  const deployed = deployedImageOf(event.PhysicalResourceId);
  if (!deployed) {
    return undefined;
  }
  try {
    const status = await services.stackStatus(event.StackId, abortSignal);
    return status === UPDATE_ROLLBACK ? deployed : undefined;
  } catch (error) {
    const e = error as { name?: string; message?: string };
    console.warn(`Could not read the status of stack ${event.StackId} (${e.name ?? 'Error'}: ${e.message ?? String(error)}); treating the Update as a forward update.`);
    return undefined;
  }
}

/**
 * Answers a rollback Update with the deployed image: its facts as ECR reports
 * them, no gates. An image ECR no longer describes still answers SUCCESS with
 * the digest, because failing would leave the stack in UPDATE_ROLLBACK_FAILED
 * while the previous template already holds that digest.
 */
export async function restoreDeployed(
  deployed: DeployedImage, properties: Record<string, unknown>, services: RollbackServices,
  abortSignal: AbortSignal | undefined, dataBudget: (physicalResourceId: string) => number,
): Promise<Success> {
  console.log(`The stack is rolling back: answering with the image deployed before, ${physicalIdOf(deployed)}, without looking the selector up again or applying gates.`);
  const ecr = services.ecrIn(deployed.region);
  const requestFor = (digest: string): LookupRequest => ({ ...deployed, selector: { kind: 'digest', digest }, waitForSeconds: 0 });
  const selectedTag = typeof properties.Tag === 'string' ? properties.Tag : undefined;
  const indexDigest = indexOf(deployed, properties);
  const describe = (digest: string) => resolveImage(ecr, requestFor(digest), abortSignal).catch((error) => {
    console.warn(`ECR did not describe the deployed image ${digest} (${(error as Error).message}); answering with its digest alone.`);
    return { digest, tags: [] } as ImageFacts;
  });
  const manifest = await describe(deployed.digest);
  // A forward lookup reports an index's tags and push time with its platform's manifest.
  const index = indexDigest === undefined ? undefined : await describe(indexDigest);
  const facts: ImageFacts = {
    ...manifest, selectedTag, indexDigest, tags: index?.tags ?? manifest.tags, pushedAt: index?.pushedAt ?? manifest.pushedAt,
  };
  const counts = properties.ScanGate === undefined ? undefined : await scanCounts(ecr, requestFor(deployed.digest), deployed.digest, abortSignal);
  const signature = properties.SignatureRequirement === undefined ? undefined
    : await deployedSignature(ecr, requestFor(deployed.digest), facts, properties.SignatureRequirement, abortSignal);
  const physicalResourceId = physicalIdOf(deployed);
  return { physicalResourceId, data: toAttributes(facts, dataBudget(physicalResourceId), counts, signature) };
}

/**
 * The index a platform's manifest was picked from, where the properties tell
 * it: a lookup by digest with a platform (as `dockerImageCode({ architecture })`
 * creates) names the index itself. A lookup by tag does not: the tag may have
 * left the index, so the rollback answers no index, and the manifest's own
 * tags and push time.
 */
function indexOf(deployed: DeployedImage, properties: Record<string, unknown>): string | undefined {
  const digest = properties.Digest;
  return properties.Platform !== undefined && typeof digest === 'string' && digest !== deployed.digest ? digest : undefined;
}

/** The scan's counts for the attributes that `findingCount()` reads, without judging them; zeros where there is no scan. */
async function scanCounts(ecr: EcrSender, request: LookupRequest, digest: string, abortSignal?: AbortSignal): Promise<SeverityCounts> {
  try {
    // A gate without thresholds reads the counts and refuses nothing.
    return (await checkScan(ecr, request, digest, { max: {}, waitForSeconds: 0 }, abortSignal)).counts;
  } catch (error) {
    console.warn(`The scan of the deployed image is not readable (${(error as Error).message}); its finding counts are answered as 0.`);
    return {};
  }
}
