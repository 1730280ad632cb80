import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceUpdateEvent, Context } from 'aws-lambda';
import { toAttributes } from './attributes';
import { answerCloudFormation, Success, WorkNames } from './cfn-response';
import { ecrIn, patient } from './ecr-client';
import { checkExpectedImage } from './expected-image';
import { Holder, holderOf } from './hold-tag';
import { afterUpdate, attributeBytes, heldOnRollback, holdResolved, releaseOnDelete, withHoldTag } from './image-hold';
import { LookupRequest, LookupError, readRequest } from './lookup-request';
import { physicalIdOf } from './physical-id';
import { restoringResolver } from './restore';
import { restoreDeployed, RollbackServices, rollbackTarget } from './rollback';
import { checkScan } from './scan';
import { checkSignature } from './signatures';
import { stackStatus } from './stack-status';
import { untilReady } from './wait';

/** How the protocol's own messages name what this handler does. */
const LOOKUP: WorkNames = { work: 'lookup', waitsOn: 'ECR' };

/** The entry point: routes each CloudFormation request; the protocol lives in cfn-response. */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  // The ResponseURL is a credential: log the event without it.
  console.log(JSON.stringify({ ...event, ResponseURL: '[redacted]' }));
  if (typeof event?.ResponseURL !== 'string') {
    console.error('The event has no ResponseURL, so CloudFormation cannot be answered; it is not a CloudFormation custom resource request.');
    return;
  }
  await answerCloudFormation(event, context, LOOKUP, async (signal, dataBudget, answerBy) => {
    switch (event.RequestType) {
      case 'Create':
        return lookUp(readRequest(event.ResourceProperties), holderOf(event), signal, dataBudget, answerBy);
      case 'Update':
        return update(event, signal, dataBudget, answerBy);
      case 'Delete':
        // Only a held image has anything to remove; a failed Create's Delete never does.
        return releaseOnDelete(event, (region) => patient(ecrIn(region), answerBy), signal);
      default:
        throw new LookupError(`Unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}: expected Create, Update or Delete.`);
    }
  });
}

/**
 * A rollback restores the image deployed before; any other Update looks the
 * image up again. Both keep trying a throttling ECR until the deadline: a
 * rollback that gives up early leaves the stack stuck.
 */
async function update(
  event: CloudFormationCustomResourceUpdateEvent, signal: AbortSignal, dataBudget: (physicalResourceId: string) => number, answerBy: number,
): Promise<Success> {
  const services: RollbackServices = { stackStatus, ecrIn: (region) => patient(ecrIn(region), answerBy) };
  const deployed = await rollbackTarget(event, services, signal);
  const held = deployed ? heldOnRollback(event, deployed) : {};
  const success = deployed
    ? await restoreDeployed(deployed, event.ResourceProperties, services, signal, (id) => dataBudget(id) - attributeBytes(held))
    : await lookUp(readRequest(event.ResourceProperties), holderOf(event), signal, dataBudget, answerBy);
  await afterUpdate(event, success, deployed !== undefined, services.ecrIn, signal);
  return { ...success, data: { ...success.data, ...held } };
}

async function lookUp(
  request: LookupRequest, holder: Holder, signal: AbortSignal, dataBudget: (physicalResourceId: string) => number, answerBy: number,
): Promise<Success> {
  const ecr = patient(ecrIn(request.region), answerBy);
  const facts = await untilReady(restoringResolver(ecr, request, signal), request.waitForSeconds * 1000, signal);
  checkExpectedImage(request, facts.digest);
  const signature = request.signatureRequirement && await checkSignature(ecr, request, facts, signal);
  const requirement = request.scanRequirement;
  const scan = requirement
    && await untilReady(() => checkScan(ecr, request, facts.digest, requirement, signal), requirement.waitForSeconds * 1000, signal);
  if (scan) {
    console.log(`Image ${facts.digest} passed requireScan on its ${scan.scanType} scan: ${JSON.stringify(scan.counts)}`);
  }
  // A new digest is a new physical id: CloudFormation treats the change as a
  // replacement, and a rollback can tell from the id which image to restore.
  const physicalResourceId = physicalIdOf({ ...request, digest: facts.digest });
  const held = await holdResolved(ecr, holder, request, facts, signal);
  const budget = dataBudget(physicalResourceId) - attributeBytes(held);
  return { physicalResourceId, data: { ...toAttributes(withHoldTag(facts, held), budget, scan?.counts, signature), ...held } };
}
