/**
 * What a stack of N lookups costs in CloudFormation and IAM terms, read from
 * the template aws-cdk-lib writes, and whether CloudFormation and IAM would
 * accept it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BENCH_ENV, Implementation, lookupApp, RepositoryLayout } from './stacks';
import { Environment, evaluate, pseudoParameters } from '../local/intrinsics';

/** CloudFormation's and IAM's limits that a stack of lookups can reach. */
export const LIMITS = {
  stackResources: 500,
  roleInlinePolicyChars: 10_240,
  managedPolicyChars: 6_144,
  managedPoliciesPerRole: 10,
  templateBytesViaS3: 1_000_000,
} as const;

/** The cost of one synthesized stack. */
export interface TemplateCost {
  readonly implementation: Implementation;
  readonly layout: RepositoryLayout;
  readonly lookups: number;
  readonly resources: number;
  readonly templateBytes: number;
  /** The largest sum of inline policies on one role (IAM's limit is per role). */
  readonly largestRoleInlineChars: number;
  readonly largestManagedPolicyChars: number;
  readonly largestManagedPoliciesPerRole: number;
  /** aws-cdk-lib synthesized it without raising its resource check. */
  readonly synthesizes: boolean;
  /** Every CloudFormation and IAM limit above is met. */
  readonly accepted: boolean;
  /** The first limit broken, for the report. */
  readonly brokenLimit?: string;
}

/** Synthesizes N lookups of one implementation and measures the template. */
export function measureTemplate(implementation: Implementation, layout: RepositoryLayout, lookups: number, trySynthByDefault = true): TemplateCost {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-template-'));
  try {
    const { app, stack } = lookupApp({ implementation, layout, lookups, outdir, allowOversizedStack: true });
    const assembly = app.synth();
    const artifact = assembly.getStackByName(stack.stackName);
    const templateBytes = fs.statSync(artifact.templateFullPath).size;
    const template = artifact.template;
    const iam = iamSizes(template);
    const resources = Object.keys(template.Resources).length;
    const brokenLimit = firstBrokenLimit(resources, templateBytes, iam);
    return {
      implementation,
      layout,
      lookups,
      resources,
      templateBytes,
      ...iam,
      synthesizes: trySynthByDefault ? synthesizesByDefault(implementation, layout, lookups) : resources <= LIMITS.stackResources,
      accepted: brokenLimit === undefined,
      brokenLimit,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The largest N (up to `ceiling`) whose stack CloudFormation and IAM would
 * accept. Every limit grows monotonically with N, so a binary search finds it.
 */
export function largestAcceptedLookups(implementation: Implementation, layout: RepositoryLayout, ceiling = 600): number {
  let good = 0;
  let bad = ceiling + 1;
  while (bad - good > 1) {
    const candidate = Math.floor((good + bad) / 2);
    if (measureTemplate(implementation, layout, candidate, false).accepted) {
      good = candidate;
    } else {
      bad = candidate;
    }
  }
  return good;
}

function synthesizesByDefault(implementation: Implementation, layout: RepositoryLayout, lookups: number): boolean {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-default-'));
  try {
    lookupApp({ implementation, layout, lookups, outdir }).app.synth();
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function firstBrokenLimit(resources: number, templateBytes: number, iam: ReturnType<typeof iamSizes>): string | undefined {
  if (resources > LIMITS.stackResources) {
    return `${resources} resources > ${LIMITS.stackResources}`;
  }
  if (iam.largestRoleInlineChars > LIMITS.roleInlinePolicyChars) {
    return `role inline policies ${iam.largestRoleInlineChars} chars > ${LIMITS.roleInlinePolicyChars}`;
  }
  if (iam.largestManagedPolicyChars > LIMITS.managedPolicyChars) {
    return `managed policy ${iam.largestManagedPolicyChars} chars > ${LIMITS.managedPolicyChars}`;
  }
  if (iam.largestManagedPoliciesPerRole > LIMITS.managedPoliciesPerRole) {
    return `${iam.largestManagedPoliciesPerRole} managed policies on a role > ${LIMITS.managedPoliciesPerRole}`;
  }
  if (templateBytes > LIMITS.templateBytesViaS3) {
    return `template ${templateBytes} bytes > ${LIMITS.templateBytesViaS3}`;
  }
  return undefined;
}

/**
 * IAM sizes per role, in characters without whitespace, with every intrinsic
 * resolved to the value CloudFormation would give it. IAM limits the sum of
 * a role's inline policies (its own `Policies` and every `AWS::IAM::Policy`
 * naming it), each managed policy, and how many managed policies it has.
 */
export function iamSizes(template: any) {
  const resources: Record<string, any> = template.Resources;
  const attachedTo = (resource: any, roleId: string) =>
    (resource.Properties?.Roles ?? []).some((r: any) => r?.Ref === roleId);
  let largestRoleInlineChars = 0;
  let largestManagedPolicyChars = 0;
  let largestManagedPoliciesPerRole = 0;
  for (const [roleId, role] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
    const inline = [
      ...(role.Properties.Policies ?? []).map((p: any) => p.PolicyDocument),
      ...Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && attachedTo(r, roleId)).map((r) => r.Properties.PolicyDocument),
    ];
    // A managed policy is attached either by naming the role or by the role referencing it.
    const referenced = new Set((role.Properties.ManagedPolicyArns ?? []).map((arn: any) => arn?.Ref).filter(Boolean));
    const managed = Object.entries(resources)
      .filter(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && (attachedTo(r, roleId) || referenced.has(id)))
      .map(([, r]) => r);
    const otherManaged = (role.Properties.ManagedPolicyArns ?? []).filter((arn: any) => !referenced.has(arn?.Ref)).length;
    const inlineChars = inline.reduce((sum, doc) => sum + iamChars(doc, resources), 0);
    largestRoleInlineChars = Math.max(largestRoleInlineChars, inlineChars);
    largestManagedPoliciesPerRole = Math.max(largestManagedPoliciesPerRole, managed.length + otherManaged);
    for (const policy of managed) {
      largestManagedPolicyChars = Math.max(largestManagedPolicyChars, iamChars(policy.Properties.PolicyDocument, resources));
    }
  }
  return { largestRoleInlineChars, largestManagedPolicyChars, largestManagedPoliciesPerRole };
}

function iamChars(document: unknown, resources: Record<string, any>): number {
  return JSON.stringify(evaluate(document, deployedEnvironment(resources))).length;
}

/**
 * What CloudFormation would deploy for the intrinsics of these templates: the
 * pseudo parameters, and for the physical names it generates the longest
 * value it may give them, so that the sizes are upper bounds.
 */
function deployedEnvironment(resources: Record<string, any>): Environment {
  return {
    refs: pseudoParameters(BENCH_ENV.account, BENCH_ENV.region),
    otherwise: (reference) => {
      if (reference.intrinsic === 'Ref') {
        // A physical name CloudFormation generates is at most 64 characters.
        return 'x'.repeat(64);
      }
      return resources[reference.logicalId]?.Type === 'AWS::Logs::LogGroup'
        ? `arn:aws:logs:${BENCH_ENV.region}:${BENCH_ENV.account}:log-group:${'x'.repeat(64)}:*`
        : 'x'.repeat(128);
    },
  };
}
