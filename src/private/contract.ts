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

/**
 * The scan gate's thresholds: the most findings of each severity the image may
 * have. CloudFormation hands every scalar property to the handler as a string.
 */
export interface ScanGateProperties {
  readonly MaxCritical?: string;
  readonly MaxHigh?: string;
  readonly MaxMedium?: string;
  readonly MaxLow?: string;
  /** How long to wait for a scan that is still running, in seconds; absent for no wait. */
  readonly WaitForSeconds?: string;
}

/**
 * What the construct writes into the custom resource's properties. Exactly one
 * of `Tag`, `Digest` and `NewestTagPattern` selects the image.
 */
export interface LookupProperties {
  readonly ServiceToken: string;
  readonly RepositoryName: string;
  /** The 12-digit account that owns the repository. */
  readonly RegistryId: string;
  /** The region that holds the repository; ECR is called there. */
  readonly Region: string;
  /** Selects the image a tag points to. */
  readonly Tag?: string;
  /** Selects the image with this digest, which must exist and be ACTIVE. */
  readonly Digest?: string;
  /** Selects the most recently pushed runnable image with a tag that matches this pattern (`*` matches any run of characters). */
  readonly NewestTagPattern?: string;
  /** `os/architecture[/variant]`: resolve an image index to the manifest of this platform. */
  readonly Platform?: string;
  /** How long to wait for the image to be pushed, in seconds. */
  readonly WaitForSeconds?: string;
  /** Fail when the image's scan findings exceed these thresholds. */
  readonly ScanGate?: ScanGateProperties;
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
  /** The digest of the image index a platform's manifest was picked from; empty when the image is no index. */
  INDEX_DIGEST: 'IndexDigest',
  SIZE_IN_BYTES: 'SizeInBytes',
  PUSHED_AT: 'PushedAt',
  MANIFEST_MEDIA_TYPE: 'ManifestMediaType',
  /** The image's tags joined by commas (a character no tag can hold), bounded to fit the response. */
  IMAGE_TAGS: 'ImageTags',
  /** How many tags the image has, whether or not all of them fit in `ImageTags`. */
  IMAGE_TAG_COUNT: 'ImageTagCount',
} as const;

/** The scan severities ECR counts, and the attribute that carries each count. */
export const SEVERITY_ATTRIBUTES = {
  CRITICAL: 'FindingsCritical',
  HIGH: 'FindingsHigh',
  MEDIUM: 'FindingsMedium',
  LOW: 'FindingsLow',
  INFORMATIONAL: 'FindingsInformational',
  UNDEFINED: 'FindingsUndefined',
} as const;

/** The data object of a successful response: every value a string. */
export type LookupAttributes = { readonly [K in (typeof Attribute)[keyof typeof Attribute]]: string }
& { readonly [K in (typeof SEVERITY_ATTRIBUTES)[keyof typeof SEVERITY_ATTRIBUTES]]?: string };

/** The separator of the `ImageTags` attribute. */
export const TAG_SEPARATOR = ',';
