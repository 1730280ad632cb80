/**
 * The hold's place in CloudFormation's lifecycle (lambda/index.ts calls one
 * function per request type):
 * - Create, and an Update that resolves the same digest: hold the image.
 * - An Update that resolves a new digest is a replacement: the new resource
 *   holds the new image now, the old one keeps its own hold until
 *   CloudFormation deletes it after the update succeeded; on rollback the new
 *   resource is deleted instead, and the old hold stays.
 * - An Update that turns holdImage off keeps its physical id, so no Delete
 *   follows: it releases the hold itself. A rollback of it holds again, and
 *   a rollback of an Update that turned it on releases.
 * - Delete: release, never fail. A release that cannot finish keeps the tag
 *   (the image stays), logs how to remove it, and lets the stack delete.
 */
import type { CloudFormationCustomResourceDeleteEvent, CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import type { Success } from './cfn-response';
import { getLifecyclePolicy } from './ecr-calls';
import type { EcrSender } from './ecr-client';
import { tagImage } from './hold';
import { Holder, holderOf, holdTagOf } from './hold-tag';
import { lifecycleRisks } from './lifecycle-risk';
import { LookupError, LookupRequest } from './lookup-request';
import { DeployedImage, deployedImageOf } from './physical-id';
import { releaseHold } from './release';
import type { ImageFacts } from './resolve';
import { HoldAttribute } from '../src/shared/contract';

/** The longest lifecycle finding the attribute carries; the log has every one whole. */
const RISK_ATTRIBUTE_MAX = 600;

/** Holds the resolved image for a lookup with `hold`; the attributes to add to its answer. */
export async function holdResolved(
  ecr: EcrSender, holder: Holder, request: LookupRequest, facts: ImageFacts, abortSignal?: AbortSignal,
): Promise<Record<string, string>> {
  if (request.hold === undefined) {
    return {};
  }
  const image: DeployedImage = { ...request, digest: facts.digest };
  const tag = holdTagOf(holder, facts.digest);
  // A platform's manifest carries no tags of its own; the index's do not select it.
  const tags = [...(facts.indexDigest === undefined ? facts.tags : []), tag];
  const policy = await getLifecyclePolicy(ecr, request, abortSignal);
  const risks = policy === undefined ? [] : lifecycleRisks(policy, tags);
  risks.forEach((risk) => console.warn(`Lifecycle risk for image ${facts.digest} in repository "${request.repositoryName}": ${risk}`));
  if (risks.length > 0 && request.hold.failOnLifecycleRisk) {
    // Before the tag is put: a failed Create gets no Delete that would release it.
    throw new LookupError(`The lifecycle policy of repository "${request.repositoryName}" (registry ${request.registryId}, region ${request.region}) could still remove held image ${facts.digest} (failOnLifecycleRisk): ${risks.join(' ')}`);
  }
  await tagImage(ecr, image, tag, abortSignal);
  const risk = risks.join(' ');
  return {
    [HoldAttribute.HOLD_TAG]: tag,
    [HoldAttribute.LIFECYCLE_RISK]: risk.length > RISK_ATTRIBUTE_MAX ? `${risk.slice(0, RISK_ATTRIBUTE_MAX - 3)}...` : risk,
  };
}

/**
 * The facts as the image is after the hold: its tags include the hold tag,
 * so that a duplicate delivery answers exactly what the first one did. (A
 * platform's manifest carries the hold; the tags reported are the index's.)
 */
export function withHoldTag(facts: ImageFacts, held: Record<string, string>): ImageFacts {
  const tag = held[HoldAttribute.HOLD_TAG];
  return tag === undefined || facts.indexDigest !== undefined || facts.tags.includes(tag) ? facts : { ...facts, tags: [...facts.tags, tag] };
}

/**
 * The hold's attributes for a rollback Update of a held lookup, which answers
 * with the image deployed before: the previous template may read them, and a
 * missing attribute would fail the rollback. The rollback does not judge the
 * lifecycle policy again; the next forward deployment does.
 */
export function heldOnRollback(event: CloudFormationCustomResourceUpdateEvent, deployed: DeployedImage): Record<string, string> {
  return event.ResourceProperties.HoldImage === 'true'
    ? { [HoldAttribute.HOLD_TAG]: holdTagOf(holderOf(event), deployed.digest), [HoldAttribute.LIFECYCLE_RISK]: '' }
    : {};
}

/** How many bytes of the response's data the attributes take. */
export function attributeBytes(attributes: Record<string, string>): number {
  return Buffer.byteLength(JSON.stringify(attributes));
}

/**
 * After an Update that kept its physical id, whose hold no Delete will
 * release: an Update whose properties drop holdImage releases; a rollback
 * Update of a held lookup holds again (best effort: a rollback must not fail).
 */
export async function afterUpdate(
  event: CloudFormationCustomResourceUpdateEvent, success: Success, rollback: boolean,
  ecrIn: (region: string) => EcrSender, abortSignal?: AbortSignal,
): Promise<void> {
  const deployed = deployedImageOf(success.physicalResourceId);
  if (!deployed || success.physicalResourceId !== event.PhysicalResourceId) {
    return;
  }
  const holder = holderOf(event);
  const holdsNow = event.ResourceProperties.HoldImage === 'true';
  const heldBefore = event.OldResourceProperties?.HoldImage === 'true';
  if (rollback && holdsNow) {
    await tagImage(ecrIn(deployed.region), deployed, holdTagOf(holder, deployed.digest), abortSignal)
      .catch((error) => console.warn(`The rollback could not hold image ${deployed.digest} again (${(error as Error).message}); the next deployment holds it.`));
  } else if (heldBefore && !holdsNow) {
    // Forward: holdImage was turned off. Rollback: the failed update had turned it on.
    await release(deployed, holder, ecrIn, abortSignal);
  }
}

/** A Delete of a held lookup releases its own hold, and always succeeds. */
export async function releaseOnDelete(
  event: CloudFormationCustomResourceDeleteEvent, ecrIn: (region: string) => EcrSender, abortSignal?: AbortSignal,
): Promise<Success> {
  const deployed = deployedImageOf(event.PhysicalResourceId);
  // A failed Create's marker names no image, and a lookup without hold put no tag: ECR is not called.
  if (deployed && event.ResourceProperties?.HoldImage === 'true') {
    await release(deployed, holderOf(event), ecrIn, abortSignal);
  }
  return { physicalResourceId: event.PhysicalResourceId };
}

async function release(deployed: DeployedImage, holder: Holder, ecrIn: (region: string) => EcrSender, abortSignal?: AbortSignal): Promise<void> {
  const tag = holdTagOf(holder, deployed.digest);
  try {
    const outcome = await releaseHold(ecrIn(deployed.region), deployed, tag, abortSignal);
    console.log(`Release of tag ${tag} on image ${deployed.digest} in repository "${deployed.repositoryName}": ${outcome}.`);
  } catch (error) {
    console.error(`Could not release tag ${tag} on image ${deployed.digest} in repository "${deployed.repositoryName}" (registry ${deployed.registryId}, region ${deployed.region}): ${(error as Error).message}. The image keeps the tag, so nothing was deleted; remove the tag by hand once the image may go: aws ecr batch-delete-image --registry-id ${deployed.registryId} --region ${deployed.region} --repository-name ${deployed.repositoryName} --image-ids imageTag=${tag} (only when the image has another tag).`);
  }
}
