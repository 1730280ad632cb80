/**
 * The tags a held lookup puts on its image. They are deterministic, so that
 * every request about one resource (its Create, a duplicate delivery, its
 * Delete) computes the same tag without storing anything.
 */
import { createHash } from 'crypto';
import { HOLD_TAG_PREFIX, RELEASED_TAG_PREFIX } from '../src/shared/hold';

/** The resource that holds an image: its stack and its logical id, as every CloudFormation request names them. */
export interface Holder {
  readonly stackId: string;
  readonly logicalResourceId: string;
}

/** The holder a CloudFormation request is about. */
export function holderOf(event: { readonly StackId: string; readonly LogicalResourceId: string }): Holder {
  return { stackId: event.StackId, logicalResourceId: event.LogicalResourceId };
}

/**
 * `cdk-hold-<16 hex>-<12 hex>` (38 characters, within ECR's tag grammar).
 * The first part names the holder: the stack's id carries a UUID, so a stack
 * deleted and created again under the same name holds anew, and two stacks
 * never share a tag. The digest part differs between a replacement's old and
 * new resource, which share their logical id: otherwise the new resource's
 * Create would move the old one's tag, and the old one's Delete would then
 * release the new image.
 */
export function holdTagOf(holder: Holder, digest: string): string {
  const owner = createHash('sha256').update(`${holder.stackId}\n${holder.logicalResourceId}`).digest('hex').slice(0, 16);
  return `${HOLD_TAG_PREFIX}${owner}-${shortDigest(digest)}`;
}

/** `cdk-released-<12 hex>`: the same for every holder of one image, so releases of it by several stacks agree. */
export function releasedTagOf(digest: string): string {
  return `${RELEASED_TAG_PREFIX}${shortDigest(digest)}`;
}

function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
