/**
 * The construct's side of holding images: the grants a held lookup needs and
 * its attributes.
 */
import { CfnResource, Token } from 'aws-cdk-lib';
import type { LookupAction } from './lookup-role';
import type { ImageDigestLookupProps } from '../image-digest-lookup-props';

/** What a held lookup does besides reading: tag, untag, and read the lifecycle policy. */
export const HOLD_ACTIONS: readonly LookupAction[] = ['ecr:PutImage', 'ecr:BatchDeleteImage', 'ecr:GetLifecyclePolicy'];

/** An attribute only a held lookup answers; asking for it without `holdImage` is a synth error, not a failed deployment. */
export function holdAttribute(
  lookup: { readonly resource: CfnResource; readonly node: { readonly path: string } }, props: ImageDigestLookupProps, property: string, name: string,
): string {
  if (!props.holdImage) {
    throw new Error(`ImageDigestLookup ${lookup.node.path}: ${property} is only known for a lookup that holds its image: set holdImage: true.`);
  }
  return Token.asString(lookup.resource.getAtt(name));
}
