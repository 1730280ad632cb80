/**
 * The signature requirement of a lookup: the signers whose signature the
 * resolved image must carry before its digest reaches CloudFormation.
 *
 * The lookup reads the signatures through the ECR API alone (no registry
 * login): Notation signatures (AWS Signer, ECR managed signing, the notation
 * CLI) and cosign signatures attached to the digest as OCI referrers, and
 * cosign signatures under cosign's `sha256-<hex>.sig` tag. It fails unless at
 * least one of them is valid and by a trusted signer, and names each one it
 * found and why it was rejected. Set at least one of `cosignPublicKeys` and
 * `notationRootCertificates`.
 *
 * With a `platform`, a signature of the image index or of the platform's
 * manifest is accepted (the index names the manifest by digest); without
 * one, the resolved digest itself must be signed.
 */
export interface SignatureRequirement {
  /**
   * Public keys (PEM, as `cosign generate-key-pair` writes `cosign.pub`):
   * a cosign signature made with the private key of any of them is accepted.
   * The signed payload must name the resolved digest.
   *
   * @default - cosign signatures are not accepted
   */
  readonly cosignPublicKeys?: string[];

  /**
   * Root certificates (PEM) of Notation signatures: a signature whose
   * certificate chain ends at one of them is accepted, if its certificates
   * and the signature itself have not expired. For AWS Signer and ECR managed
   * signing, these are the AWS Signer root certificates of the partition
   * (see the README).
   *
   * @default - Notation signatures are not accepted
   */
  readonly notationRootCertificates?: string[];

  /**
   * The Notation signing identities accepted: subjects of signing
   * certificates, written as in a Notation trust policy
   * (`C=US,ST=WA,O=Example,CN=release-signer`; the order of the parts does
   * not matter), or AWS Signer signing profile ARNs (any version of the
   * profile) and profile version ARNs.
   *
   * Required for AWS Signer's signatures: every AWS account's signing
   * profiles chain to the same AWS Signer root, so without an identity an
   * AWS Signer signature is rejected.
   *
   * @default - any signing certificate under a trusted root
   */
  readonly notationTrustedIdentities?: string[];
}
