/**
 * The contract between the construct, which writes the custom resource, and
 * the handler, which reads it. The handler imports this module for types and
 * constants only, so both sides agree on every name by construction.
 */

/**
 * The CloudFormation type of every lookup. Stacks that have deployed it keep
 * it forever, so it must never change.
 */
export const RESOURCE_TYPE = 'Custom::ImageDigestLookup';

/** What the construct writes into the custom resource's properties. */
export interface LookupProperties {
  readonly ServiceToken: string;
  readonly RepositoryName: string;
  /** The 12-digit account that owns the repository. */
  readonly RegistryId: string;
  /** The region that holds the repository; ECR is called there. */
  readonly Region: string;
  readonly Tag: string;
  /**
   * Changes whenever the lookup must run again although nothing else did.
   * The handler never reads it.
   */
  readonly RefreshToken?: string;
}

/** The attributes the handler returns, read with `Fn::GetAtt`. */
export const Attribute = {
  /** `sha256:<64 hex>` */
  DIGEST: 'Digest',
  /** The 64 hex characters after `sha256:`, so that the construct can write a literal `sha256:` prefix. */
  DIGEST_HEX: 'DigestHex',
  SIZE_IN_BYTES: 'SizeInBytes',
  PUSHED_AT: 'PushedAt',
  MANIFEST_MEDIA_TYPE: 'ManifestMediaType',
  /** The image's tags joined by commas (a character no tag can hold), bounded to fit the response. */
  IMAGE_TAGS: 'ImageTags',
  /** How many tags the image has, whether or not all of them fit in `ImageTags`. */
  IMAGE_TAG_COUNT: 'ImageTagCount',
} as const;

/** The data object of a successful response: every value a string. */
export type LookupAttributes = { readonly [K in (typeof Attribute)[keyof typeof Attribute]]: string };

/** The separator of the `ImageTags` attribute. */
export const TAG_SEPARATOR = ',';
