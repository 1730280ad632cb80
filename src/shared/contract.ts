/**
 * The wire form of the contract between the construct, which writes the
 * custom resource, and the handler, which reads it: the resource type, the
 * properties CloudFormation carries and the attributes the handler returns.
 * Keys that belong to a table (selector kinds, severities) come from it.
 */
import type { SelectorWireKey } from './selectors';
import { ALL_SEVERITIES, SEVERITIES, Severity, SeverityAttribute, ThresholdWireKey } from './severities';

/**
 * The CloudFormation type of every lookup. Stacks that have deployed it keep
 * it forever, so it must never change.
 */
export const RESOURCE_TYPE = 'Custom::ImageDigestLookup';

/**
 * The scan requirement as the `ScanGate` property carries it: the most
 * findings of each severity the image may have. CloudFormation hands every
 * scalar property to the handler as a string.
 */
export type ScanRequirementProperties = { readonly [K in ThresholdWireKey]?: string } & {
  /** How long to wait for a scan that is still running, in seconds; absent for no wait. */
  readonly WaitForSeconds?: string;
};

/**
 * The custom resource property of the selector: exactly one of `Tag`,
 * `Digest` and `NewestTagPattern` (see SELECTOR_KINDS) selects the image.
 */
export type SelectorProperties = { readonly [K in SelectorWireKey]?: string };

/**
 * What the construct writes into the custom resource's properties (the keys
 * of `SelectorProperties` as well). The wire key `ScanGate` predates the name
 * "scan requirement" and stays: deployed templates carry it.
 */
export interface LookupProperties extends SelectorProperties {
  readonly ServiceToken: string;
  readonly RepositoryName: string;
  /** The 12-digit account that owns the repository. */
  readonly RegistryId: string;
  /** The region that holds the repository; ECR is called there. */
  readonly Region: string;
  /** `os/architecture[/variant]`: resolve an image index to the manifest of this platform. */
  readonly Platform?: string;
  /** How long to wait for the image to be pushed, in seconds. */
  readonly WaitForSeconds?: string;
  /** The scan requirement: fail when the image's scan findings exceed these thresholds. */
  readonly ScanGate?: ScanRequirementProperties;
  /** The signature requirement: fail unless the image carries a valid signature by a trusted signer. */
  readonly SignatureRequirement?: SignatureRequirementProperties;
  /**
   * Changes whenever the lookup must run again although nothing else did.
   * The handler never reads it.
   */
  readonly RefreshToken?: string;
  // Holding the image (see hold.ts): absent unless the lookup holds its image.
  /** `true`: tag the resolved image while the resource exists, and release the tag on Delete. */
  readonly HoldImage?: string;
  /** `true`: fail when the repository's lifecycle policy could still expire or archive the held image. */
  readonly FailOnLifecycleRisk?: string;
  /** `true`: ask ECR to restore an archived image, and wait for it within WaitForSeconds. */
  readonly RestoreArchived?: string;

  // Synth-time resolution (Refresh.whenDigestChanges()).
  /**
   * The image resolved at synth, `<repository>:<tag>@sha256:<hex>`: what
   * `cdk diff` shows move. The handler compares it with what it resolves.
   */
  readonly ExpectedImage?: string;
  /** What the handler does when the image moved since synth: `fail` or `follow` (MOVED_IMAGE_ACTIONS). */
  readonly OnMovedImage?: string;
}

/**
 * The signature requirement as the `SignatureRequirement` property carries it:
 * what a signature must chain to. Absent lists trust nothing of their kind.
 */
export interface SignatureRequirementProperties {
  /** PEM public keys, one a string: a cosign signature by any of them is accepted. */
  readonly CosignPublicKeys?: string[];
  /** PEM root certificates, one a string: a Notation signature whose chain ends at one of them is accepted. */
  readonly NotationRootCertificates?: string[];
  /** Notation signing identities accepted (certificate subjects); absent for any identity under a trusted root. */
  readonly NotationTrustedIdentities?: string[];
}

/** The attributes of a lookup with a signature requirement: who signed the image, when, and which digest. */
export const SignatureAttribute = {
  /** `cosign key sha256:<fingerprint>` or the Notation signing certificate's subject. */
  SIGNED_BY: 'SignedBy',
  /** The signing time the signature asserts, in ISO-8601; empty for cosign signatures, which assert none. */
  SIGNED_AT: 'SignedAt',
  /** The digest the valid signature signs: the image's, or with a platform the index's. */
  SIGNED_DIGEST: 'SignedDigest',
} as const;

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

/** The attributes of a lookup that holds its image; absent otherwise. */
export const HoldAttribute = {
  /** The tag that holds the image while the resource exists. */
  HOLD_TAG: 'HoldTag',
  /** The lifecycle rules that could still expire or archive the held image, one sentence each; empty when none. */
  LIFECYCLE_RISK: 'LifecycleRisk',
} as const;

/** The attribute of each severity's count, from SEVERITIES. */
export const SEVERITY_ATTRIBUTES = Object.fromEntries(
  ALL_SEVERITIES.map((severity) => [severity, SEVERITIES[severity].attribute]),
) as { readonly [S in Severity]: (typeof SEVERITIES)[S]['attribute'] };

/** The data object of a successful response: every value a string. */
export type LookupAttributes = { readonly [K in (typeof Attribute)[keyof typeof Attribute]]: string }
& { readonly [K in SeverityAttribute]?: string }
& { readonly [K in (typeof HoldAttribute)[keyof typeof HoldAttribute]]?: string }
& { readonly [K in (typeof SignatureAttribute)[keyof typeof SignatureAttribute]]?: string };

/** The separator of the `ImageTags` attribute. */
export const TAG_SEPARATOR = ',';
