import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A rule-pack finding that the provider accepts by design, and why. */
export interface AcceptedFinding {
  /** The rule's id, as cdk-nag names it. */
  readonly id: string;
  /** Why the rule does not fit the provider: shown in reports and kept in the template. */
  readonly reason: string;
}

/** Findings on the provider's function. */
export const FUNCTION_FINDINGS: AcceptedFinding[] = [
  {
    id: 'NIST.800.53.R5-LambdaConcurrency',
    reason: 'One function serves every lookup of the stack; reserved concurrency would take capacity from the account (and fails to deploy in accounts at the minimum unreserved pool) while throttling lookups that CloudFormation starts in parallel, and a throttled lookup stalls the deployment.',
  },
  {
    id: 'NIST.800.53.R5-LambdaDLQ',
    reason: 'The handler answers CloudFormation on every path, before its timeout; an event left in a queue could not be answered later, and it would store the pre-signed ResponseURL, a credential.',
  },
  {
    id: 'NIST.800.53.R5-LambdaInsideVPC',
    reason: 'The function calls only the ECR API and CloudFormation\'s pre-signed S3 response URL, over TLS, and serves no endpoint; inside a VPC it would need NAT or ECR and S3 endpoints in every account that uses it.',
  },
];

/** Findings on the provider's role. */
export const ROLE_FINDINGS: AcceptedFinding[] = [
  {
    id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason: 'The inline policy is part of the role resource, so the function, which references the role, cannot run before its grants exist; it allows only ecr:DescribeImages and ecr:BatchGetImage on the repositories that lookups name (and ecr:DescribeImageScanFindings only where a lookup asks for a scan gate), writes to the function\'s own log group, and describes its own stack to recognise rollbacks.',
  },
];

/** Findings on the role of a stack with a lookup that checks AWS Signer's revocation status. */
export const REVOCATION_FINDINGS: AcceptedFinding[] = [
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'signer:GetRevocationStatus supports no resource type, so IAM accepts it only on "*"; it reads whether a signature was revoked and changes nothing.',
  },
];

/** Findings on the provider's log group. */
export const LOG_GROUP_FINDINGS: AcceptedFinding[] = [
  {
    id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
    reason: 'CloudWatch Logs encrypts the group at rest with a service key; it holds repository names, tags and digests, never the ResponseURL or credentials, so a customer-managed KMS key would add cost without protecting anything secret.',
  },
];

/**
 * Records accepted findings on one of the provider's constructs, in both forms
 * that cdk-nag reads: `Validations.of(...).acknowledge` for cdk-nag 3 and the
 * `cdk_nag` metadata on the CloudFormation resource for cdk-nag 2. Scoped to
 * that construct, so no finding on the user's own resources is hidden.
 */
export function acceptFindings(scope: IConstruct, findings: AcceptedFinding[]): void {
  for (const finding of findings) {
    Validations.of(scope).acknowledge(finding);
  }
  const resource = scope.node.defaultChild;
  if (resource instanceof CfnResource) {
    // One resource may accept findings twice (the role: by design, and for a revocation check); keep both.
    const earlier = (resource.getMetadata('cdk_nag') as { rules_to_suppress?: object[] } | undefined)?.rules_to_suppress ?? [];
    resource.addMetadata('cdk_nag', { rules_to_suppress: [...earlier, ...findings.map(suppression)] });
  }
}

/** cdk-nag 2 names a finding on one part of a rule (`AwsSolutions-IAM5[Resource::*]`) by the rule and `applies_to`. */
function suppression({ id, reason }: AcceptedFinding): object {
  const granular = /^([^[]+)\[(.+)\]$/.exec(id);
  return granular ? { id: granular[1], reason, applies_to: [granular[2]] } : { id, reason };
}
